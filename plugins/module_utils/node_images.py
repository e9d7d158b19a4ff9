# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a single-layer OCI image archive from local files, without docker.

The rehearsal node runs images built here from the pinned sources (pause,
agnhost) and imported into its containerd (``ctr images import``): nothing is
pulled. The archive is an OCI image layout in a tar (``oci-layout``,
``index.json``, ``blobs/sha256/...``): one uncompressed layer holding the
files, its config and its manifest. Every byte is deterministic (sorted
entries, mtime 0, owner root), so the same inputs give the same image id and a
second run changes nothing.

Used by the module indydevops.k8s_talk.rehearsal_node_image.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import io
import json
import os
import re
import tarfile
import tempfile

MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar"


class ImageError(Exception):
    """The image cannot be written; the message says why."""


def split_reference(ref):
    """registry.k8s.io/pause:3.10.2 -> (registry.k8s.io/pause, 3.10.2); a tag is required."""
    match = re.match(r"^([a-z0-9.-]+(?::[0-9]+)?/[a-z0-9._/-]+):([\w][\w.-]{0,127})$", ref or "")
    if not match:
        raise ImageError("%r is not an image reference with a registry and a tag "
                         "(e.g. registry.k8s.io/pause:3.10.2)" % (ref,))
    return match.group(1), match.group(2)


def _digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


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


def image_blobs(ref, layer, entrypoint=None, cmd=None, user=None, arch="amd64", env=None):
    """Return (blobs {digest: bytes}, index bytes, manifest digest) of a one-layer image."""
    repo, tag = split_reference(ref)
    layer_digest = _digest(layer)
    runtime = {"Env": list(env or ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]),
               "WorkingDir": "/"}
    if entrypoint:
        runtime["Entrypoint"] = list(entrypoint)
    if cmd:
        runtime["Cmd"] = list(cmd)
    if user:
        runtime["User"] = str(user)
    config = json.dumps({
        "architecture": arch,
        "os": "linux",
        "config": runtime,
        "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
        "history": [{"created_by": "indydevops.k8s_talk rehearsal_node_image"}],
    }, sort_keys=True, separators=(",", ":")).encode()
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": {"mediaType": MEDIA_CONFIG, "digest": _digest(config), "size": len(config)},
        "layers": [{"mediaType": MEDIA_LAYER, "digest": layer_digest, "size": len(layer)}],
    }, sort_keys=True, separators=(",", ":")).encode()
    index = json.dumps({
        "schemaVersion": 2,
        "mediaType": MEDIA_INDEX,
        "manifests": [{
            "mediaType": MEDIA_MANIFEST,
            "digest": _digest(manifest),
            "size": len(manifest),
            "platform": {"architecture": arch, "os": "linux"},
            # ctr images import names the image by the first, other tools by the second.
            "annotations": {"io.containerd.image.name": "%s:%s" % (repo, tag),
                            "org.opencontainers.image.ref.name": tag},
        }],
    }, sort_keys=True, separators=(",", ":")).encode()
    blobs = {_digest(data): data for data in (layer, config, manifest)}
    return blobs, index, _digest(manifest)


def archive_bytes(blobs, index):
    """The OCI image layout as a tar."""
    members = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index)]
    members += [("blobs/sha256/" + digest.split(":", 1)[1], data) for digest, data in sorted(blobs.items())]
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for directory in ("blobs/", "blobs/sha256/"):
            tar.addfile(_info(directory, tarfile.DIRTYPE, 0o755))
        for name, data in members:
            tar.addfile(_info(name, tarfile.REGTYPE, 0o644, size=len(data)), io.BytesIO(data))
    return buf.getvalue()


def ensure_archive(dest, ref, files=(), directories=(), symlinks=(), entrypoint=None, cmd=None,
                   user=None, arch="amd64", check_mode=False):
    """Write the image archive at dest unless it already holds these bytes; return (changed, result)."""
    layer = layer_tar(files, directories, symlinks)
    blobs, index, manifest_digest = image_blobs(ref, layer, entrypoint, cmd, user, arch)
    data = archive_bytes(blobs, index)
    result = {"path": dest, "image": "%s:%s" % split_reference(ref), "digest": manifest_digest,
              "size": len(data)}
    try:
        with open(dest, "rb") as handle:
            if handle.read() == data:
                return False, result
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ImageError("cannot read %s: %s" % (dest, exc))
    if not check_mode:
        directory = os.path.dirname(os.path.abspath(dest))
        try:
            os.makedirs(directory, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".image-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest)
        except OSError as exc:
            raise ImageError("cannot write %s: %s" % (dest, exc))
    return True, result
