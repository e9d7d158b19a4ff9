# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a single-layer OCI image archive from local files, without docker.

The rehearsal node runs images built here from the pinned sources (pause,
agnhost) and imported into its containerd (``ctr images import``): nothing is
pulled. The archive is an OCI image layout in a tar (``oci-layout``,
``index.json``, ``blobs/sha256/...``), written by the collection's one OCI
writer (module_utils/images.py): one uncompressed layer holding the files, its
config and its manifest. Every byte is deterministic (sorted
entries, mtime 0, owner root), so the same inputs give the same image id and a
second run changes nothing.

Used by the module indydevops.k8s_talk.rehearsal_node_image.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import io
import os
import re
import shutil
import tarfile
import tempfile

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import images


class ImageError(Exception):
    """The image cannot be written; the message says why."""


def split_reference(ref):
    """registry.k8s.io/pause:3.10.2 -> (registry.k8s.io/pause, 3.10.2); a tag is required."""
    match = re.match(r"^([a-z0-9.-]+(?::[0-9]+)?/[a-z0-9._/-]+):([\w][\w.-]{0,127})$", ref or "")
    if not match:
        raise ImageError("%r is not an image reference with a registry and a tag "
                         "(e.g. registry.k8s.io/pause:3.10.2)" % (ref,))
    return match.group(1), match.group(2)


def _info(name, kind, mode, size=0, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.size = size
    info.linkname = linkname
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def _normalize(path):
    path = os.path.normpath("/" + (path or "")).lstrip("/")
    if not path or path == ".":
        raise ImageError("an image entry needs a path below /, got %r" % (path,))
    return path


def layer_tar(files=(), directories=(), symlinks=()):
    """The layer: bytes of a tar with each file, directory and symlink, parents first, sorted.

    files: [{"src": local path, "dest": path in the image, "mode": int}];
    directories: [{"dest": ..., "mode": int}]; symlinks: [{"dest": ..., "target": ...}].
    """
    entries = {}
    for item in directories:
        entries[_normalize(item["dest"])] = ("dir", item.get("mode", 0o755), None)
    for item in symlinks:
        entries[_normalize(item["dest"])] = ("link", 0o777, item["target"])
    for item in files:
        src = item["src"]
        if not os.path.isfile(src):
            raise ImageError("%s does not exist (build it first)" % src)
        entries[_normalize(item["dest"])] = ("file", item.get("mode", 0o755), src)
    for path in list(entries):
        parent = os.path.dirname(path)
        while parent and parent not in entries:
            entries[parent] = ("dir", 0o755, None)
            parent = os.path.dirname(parent)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(entries):
            kind, mode, value = entries[path]
            if kind == "dir":
                tar.addfile(_info(path + "/", tarfile.DIRTYPE, mode))
            elif kind == "link":
                tar.addfile(_info(path, tarfile.SYMTYPE, mode, linkname=value))
            else:
                with open(value, "rb") as handle:
                    data = handle.read()
                tar.addfile(_info(path, tarfile.REGTYPE, mode, size=len(data)), io.BytesIO(data))
    return buf.getvalue()


def ensure_archive(dest, ref, files=(), directories=(), symlinks=(), entrypoint=None, cmd=None,
                   user=None, arch="amd64", check_mode=False):
    """Write the image archive at dest unless it already holds these bytes; return (changed, result)."""
    repo, tag = split_reference(ref)
    layer = layer_tar(files, directories, symlinks)
    with tempfile.TemporaryDirectory(prefix="k8s-talk-image-") as work:
        layer_path = os.path.join(work, "layer.tar")
        with open(layer_path, "wb") as handle:
            handle.write(layer)
        config = images.image_config([hashlib.sha256(layer).hexdigest()], entrypoint=entrypoint, cmd=cmd,
                                     workdir="/", arch=arch, user=user)
        built = os.path.join(work, "image.oci.tar")
        image = "%s:%s" % (repo, tag)
        digest = images.write_oci_archive(image, [layer_path], config, built)
        result = {"path": dest, "image": image, "digest": digest, "size": os.path.getsize(built)}
        try:
            if images.sha256_file(dest) == images.sha256_file(built):
                return False, result
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise ImageError("cannot read %s: %s" % (dest, exc))
        if not check_mode:
            try:
                os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
                shutil.copyfile(built, dest + ".partial")
                os.chmod(dest + ".partial", 0o644)
                os.replace(dest + ".partial", dest)
            except OSError as exc:
                raise ImageError("cannot write %s: %s" % (dest, exc))
    return True, result
