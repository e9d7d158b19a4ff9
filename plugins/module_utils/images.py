# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Container images for the rehearsal's real node, built without a registry or a daemon.

The rehearsal cannot pull (no registry is reachable), so the images the demos
name are built here from Debian's packages: one debootstrap'd base, shared as
the first layer, and per image a second layer holding only what installing
its packages and files changed (deleted files become OCI whiteouts). Each
image is written as an OCI image-layout tarball that ``ctr images import``
takes, named by ``io.containerd.image.name``.

Pure logic (manifests, layer diffs, the OCI layout) is unit tested; the
commands (debootstrap, chroot apt-get) go through a ``run`` callable.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import io
import json
import os
import shutil
import stat
import tarfile
import tempfile

LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar"
CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json"
MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json"
# Fixed times and owners make a rebuild from the same inputs byte-identical.
EPOCH = 0
# What a container image does not carry (caches, docs, the package lists).
PRUNE = ("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man",
         "usr/share/info", "usr/share/locale")
# Paths that are mount points or runtime state in a container, never content.
SKIP = ("proc", "sys", "dev", "run", "tmp")


def tree_manifest(root):
    """{relative path: (type, size, mtime, mode, link target)} of a directory tree."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        names = dirnames + filenames
        if rel_dir == ".":
            # The mount points themselves are content; what is under them is not.
            dirnames[:] = [d for d in dirnames if d not in SKIP]
        for name in names:
            path = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(rel_dir, name))
            info = os.lstat(path)
            link = os.readlink(path) if stat.S_ISLNK(info.st_mode) else ""
            kind = "l" if link else ("d" if stat.S_ISDIR(info.st_mode) else "f")
            found[rel] = (kind, info.st_size if kind == "f" else 0, int(info.st_mtime),
                          stat.S_IMODE(info.st_mode), link)
    return found


def diff_manifests(base, current):
    """(paths added or changed, paths deleted) going from base to current."""
    changed = sorted(p for p, entry in current.items() if base.get(p) != entry)
    deleted = sorted(p for p in base if p not in current)
    # A deleted directory's children need no whiteout of their own.
    top = []
    for path in deleted:
        if not any(path.startswith(d + "/") for d in top):
            top.append(path)
    return changed, top


def _reset(info):
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mtime = EPOCH
    return info


def write_layer(root, paths, whiteouts, out):
    """A layer tar of root's paths (sorted, fixed owner and time) plus whiteouts."""
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for rel in sorted(set(paths)):
            info = tar.gettarinfo(os.path.join(root, rel), arcname=rel)
            # Hard links inside one layer would need their target first; store content.
            if info.islnk():
                info.type = tarfile.REGTYPE
                info.linkname = ""
                info.size = os.path.getsize(os.path.join(root, rel))
            _reset(info)
            info.mode = stat.S_IMODE(os.lstat(os.path.join(root, rel)).st_mode)
            if info.isreg():
                with open(os.path.join(root, rel), "rb") as handle:
                    tar.addfile(info, handle)
            else:
                tar.addfile(info)
        for rel in sorted(whiteouts):
            head, tail = os.path.split(rel)
            info = _reset(tarfile.TarInfo(os.path.join(head, ".wh." + tail)))
            tar.addfile(info, io.BytesIO(b""))


def full_layer(root, out):
    manifest = tree_manifest(root)
    write_layer(root, list(manifest), [], out)
    return manifest


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def image_config(layer_digests, entrypoint=None, cmd=None, env=None, workdir=None,
                 labels=None, arch="amd64", user=None):
    config = {"Env": list(env or ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])}
    if entrypoint:
        config["Entrypoint"] = list(entrypoint)
    if cmd:
        config["Cmd"] = list(cmd)
    if workdir:
        config["WorkingDir"] = workdir
    if user:
        config["User"] = str(user)
    if labels:
        config["Labels"] = dict(labels)
    return {"architecture": arch, "os": "linux", "config": config,
            "rootfs": {"type": "layers", "diff_ids": ["sha256:" + d for d in layer_digests]},
            "created": "1970-01-01T00:00:00Z"}


def _add_bytes(tar, name, data):
    info = _reset(tarfile.TarInfo(name))
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def write_oci_archive(ref, layers, config, out):
    """An OCI image-layout tarball of the layer tars and config, named ref.

    The one OCI writer of the collection: the Debian-based images here and the
    node's images from the pinned sources (node_images) both end in it.
    """
    blobs = []
    layer_descs = []
    for layer in layers:
        digest, size = sha256_file(layer), os.path.getsize(layer)
        layer_descs.append({"mediaType": LAYER_MEDIA_TYPE, "digest": "sha256:" + digest, "size": size})
        blobs.append((digest, layer))
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    config_digest = hashlib.sha256(config_bytes).hexdigest()
    manifest = {"schemaVersion": 2, "mediaType": MANIFEST_MEDIA_TYPE,
                "config": {"mediaType": CONFIG_MEDIA_TYPE, "digest": "sha256:" + config_digest,
                           "size": len(config_bytes)},
                "layers": layer_descs}
    manifest_bytes = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    manifest_digest = hashlib.sha256(manifest_bytes).hexdigest()
    tag = ref.rsplit(":", 1)[1] if ":" in ref.rsplit("/", 1)[-1] else "latest"
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [{"mediaType": MANIFEST_MEDIA_TYPE, "digest": "sha256:" + manifest_digest,
                            "size": len(manifest_bytes),
                            "annotations": {"io.containerd.image.name": ref,
                                            "org.opencontainers.image.ref.name": tag}}]}
    partial = out + ".partial"
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
        _add_bytes(tar, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        _add_bytes(tar, "index.json", json.dumps(index, sort_keys=True).encode())
        _add_bytes(tar, "blobs/sha256/" + config_digest, config_bytes)
        _add_bytes(tar, "blobs/sha256/" + manifest_digest, manifest_bytes)
        for digest, path in blobs:
            info = _reset(tar.gettarinfo(path, arcname="blobs/sha256/" + digest))
            info.mode = 0o644
            with open(path, "rb") as handle:
                tar.addfile(info, handle)
    os.replace(partial, out)
    return "sha256:" + manifest_digest


# ---- building from Debian's packages ----------------------------------------

POLICY_RC = "#!/bin/sh\n# No service starts while an image is built.\nexit 101\n"


def archive_name(spec):
    """File name of an image's archive in the cache: <name>_<tag>.oci.tar."""
    ref = spec["ref"]
    name, tag = ref.rsplit(":", 1)
    return "%s_%s.oci.tar" % (name.replace("/", "_"), tag)


def build_base(run, suite, mirror, rootfs):
    run(["debootstrap", "--variant=minbase", suite, rootfs, mirror])
    prune(rootfs)


def prune(rootfs):
    for rel in PRUNE:
        path = os.path.join(rootfs, rel)
        if os.path.isdir(path):
            for entry in os.listdir(path):
                if entry in ("partial", "lock"):  # apt's own working entries
                    continue
                target = os.path.join(path, entry)
                if os.path.isdir(target) and not os.path.islink(target):
                    shutil.rmtree(target)
                else:
                    os.unlink(target)


def install_packages(run, rootfs, packages):
    """apt-get install in a chroot of rootfs, with no service started."""
    policy = os.path.join(rootfs, "usr/sbin/policy-rc.d")
    with open(policy, "w") as handle:
        handle.write(POLICY_RC)
    os.chmod(policy, 0o755)
    try:
        env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
        run(["chroot", rootfs, "apt-get", "update", "-qq"], env=env)
        run(["chroot", rootfs, "apt-get", "install", "-y", "-qq", "--no-install-recommends"]
            + list(packages), env=env)
        run(["chroot", rootfs, "apt-get", "clean"], env=env)
    finally:
        os.unlink(policy)
    prune(rootfs)


def add_files(rootfs, files):
    """files: [{path, content, mode}] written into the image."""
    for item in files or []:
        target = os.path.join(rootfs, item["path"].lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.lexists(target):
            os.unlink(target)
        if item.get("link"):
            os.symlink(item["link"], target)
            continue
        with open(target, "w") as handle:
            handle.write(item.get("content", ""))
        os.chmod(target, int(str(item.get("mode", "0644")), 8))


def remove_paths(rootfs, paths):
    for rel in paths or []:
        target = os.path.join(rootfs, rel.lstrip("/"))
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        elif os.path.lexists(target):
            os.unlink(target)


def build_image(run, spec, base_rootfs, base_manifest, base_layer, out, workdir=None):
    """Build one image from the base: its packages, files and removals as a second layer."""
    work = tempfile.mkdtemp(prefix="k8s-talk-image-", dir=workdir)
    try:
        rootfs = os.path.join(work, "rootfs")
        run(["cp", "-a", base_rootfs, rootfs])
        if spec.get("packages"):
            install_packages(run, rootfs, spec["packages"])
        remove_paths(rootfs, spec.get("remove"))
        add_files(rootfs, spec.get("files"))
        changed, deleted = diff_manifests(base_manifest, tree_manifest(rootfs))
        layer = os.path.join(work, "layer.tar")
        write_layer(rootfs, changed, deleted, layer)
        layers = [base_layer, layer]
        config = image_config([sha256_file(p) for p in layers], spec.get("entrypoint"), spec.get("cmd"),
                              spec.get("env"), spec.get("workdir"),
                              {"org.opencontainers.image.description": spec.get("description", ""),
                               "io.k8s-talk.packages": " ".join(spec.get("packages") or [])})
        return write_oci_archive(spec["ref"], layers, config, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
