#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rehearsal_images
short_description: Build the rehearsal's container images from Debian's packages
version_added: 0.2.0
description:
  - The rehearsal reaches no container registry. This module builds the images
    the demos need as OCI image-layout archives in a cache directory, one
    C(debootstrap --variant=minbase) base, shared as the first layer, and per image
    a second layer with its Debian packages and files (deleted files as whiteouts).
  - An archive is rebuilt only when its spec (packages, files, command) or the base
    changed; each archive records the spec it was built from beside it.
  - Needs root (debootstrap, chroot) and C(debootstrap) installed.
  - The archives are imported into the real node's containerd by the rehearsal stack.
author:
  - Indy DevOps (@indydevops)
options:
  images:
    description:
      - Image name to spec. A spec has C(ref) (the name the manifests use), and optionally
        C(packages), C(files) (each C(path) with C(content) or C(link), and C(mode)),
        C(remove), C(entrypoint), C(cmd), C(env), C(workdir), C(description).
    type: dict
    required: true
  names:
    description: Build only these images (default all).
    type: list
    elements: str
  base:
    description: The base's Debian C(suite) and C(mirror).
    type: dict
    required: true
  cache_dir:
    description: Where the base and the archives are kept.
    type: path
    required: true
  files_dir:
    description: Where a file's C(src) (instead of C(content)) is read from, on the host that builds.
    type: path
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Build the guestbook's redis image
  indydevops.k8s_talk.rehearsal_images:
    base: {suite: bookworm, mirror: http://deb.debian.org/debian}
    cache_dir: ~/.cache/k8s-talk/images
    images:
      redis:
        ref: localhost/k8s-talk/redis:7.0-bookworm
        packages: [redis-server]
        cmd: [redis-server, --protected-mode, "no"]
"""

RETURN = r"""
archives:
  description: Image name to its archive's C(path), C(image) (the ref) and C(digest) (of its manifest).
  returned: always
  type: dict
built:
  description: Names of the images built (or, in check mode, that would be).
  returned: always
  type: list
  elements: str
seconds:
  description: Seconds each build took.
  returned: always
  type: dict
"""

import hashlib
import json
import os
import shutil
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.indydevops.k8s_talk.plugins.module_utils import images as builder


def with_contents(spec, files_dir):
    """The spec with each file's src read into its content (so a changed file rebuilds)."""
    spec = dict(spec)
    files = []
    for given in spec.get("files") or []:
        item = dict(given)
        if item.get("src"):
            with open(os.path.join(files_dir or "", item.pop("src"))) as handle:
                item["content"] = handle.read()
        files.append(item)
    spec["files"] = files
    return spec


def archive_digest(path):
    """The manifest digest an archive's index names (what containerd lists for it)."""
    import tarfile

    with tarfile.open(path) as tar:
        index = json.load(tar.extractfile("index.json"))
    return index["manifests"][0]["digest"]


def spec_digest(spec, base):
    return hashlib.sha256(json.dumps([spec, base], sort_keys=True).encode()).hexdigest()


def ensure_base(run, base, base_dir, seconds):
    """The debootstrap'd base and its layer, built once per suite and mirror."""
    rootfs = os.path.join(base_dir, "rootfs")
    layer = os.path.join(base_dir, "layer.tar")
    manifest_file = os.path.join(base_dir, "manifest.json")
    base_stamp = os.path.join(base_dir, "base.spec")
    base_key = spec_digest({}, base)
    if not (os.path.exists(base_stamp) and open(base_stamp).read().strip() == base_key):
        start = time.monotonic()
        shutil.rmtree(base_dir, ignore_errors=True)
        os.makedirs(base_dir)
        builder.build_base(run, base["suite"], base["mirror"], rootfs)
        manifest = builder.full_layer(rootfs, layer)
        with open(manifest_file, "w") as handle:
            json.dump(manifest, handle)
        with open(base_stamp, "w") as handle:
            handle.write(base_key + "\n")
        seconds["base"] = round(time.monotonic() - start, 1)
    return rootfs, layer, manifest_file


def main():
    module = AnsibleModule(
        argument_spec=dict(
            images=dict(type="dict", required=True),
            names=dict(type="list", elements="str"),
            base=dict(type="dict", required=True),
            cache_dir=dict(type="path", required=True),
            files_dir=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    names = params["names"] or sorted(params["images"])
    unknown = sorted(set(names) - set(params["images"]))
    if unknown:
        module.fail_json(msg="names: unknown image(s) %s; known: %s" % (
            ", ".join(unknown), ", ".join(sorted(params["images"]))))
    base = {"suite": params["base"]["suite"], "mirror": params["base"]["mirror"]}
    try:
        specs = dict((name, with_contents(params["images"][name], params["files_dir"])) for name in names)
    except (OSError, KeyError) as exc:
        module.fail_json(msg="images: a file of an image cannot be read: %s" % exc)
    cache = params["cache_dir"]
    base_dir = os.path.join(cache, "base-%s" % base["suite"])
    archives, todo = {}, []
    for name in names:
        spec = specs[name]
        out = os.path.join(cache, builder.archive_name(spec))
        archives[name] = {"path": out, "image": spec["ref"]}
        stamp = out + ".spec"
        current = open(stamp).read().strip() if os.path.exists(stamp) and os.path.exists(out) else ""
        if current != spec_digest(spec, base):
            todo.append(name)
    for name in names:
        if name not in todo:
            archives[name]["digest"] = archive_digest(archives[name]["path"])
    if not todo or module.check_mode:
        module.exit_json(changed=bool(todo), archives=archives, built=todo, seconds={})
    if os.geteuid() != 0:
        module.fail_json(msg="building the rehearsal images needs root (debootstrap, chroot): run as root")
    if not shutil.which("debootstrap"):
        module.fail_json(msg="debootstrap is not installed: apt-get install debootstrap")

    def run(cmd, env=None):
        rc, out, err = module.run_command(cmd, environ_update=env)
        if rc != 0:
            module.fail_json(msg="%s failed (%d): %s" % (" ".join(cmd[:4]), rc, (err or out)[-2000:]))
        return out

    seconds = {}
    os.makedirs(cache, exist_ok=True)
    rootfs, layer, manifest_file = ensure_base(run, base, base_dir, seconds)
    with open(manifest_file) as handle:
        manifest = dict((k, tuple(v)) for k, v in json.load(handle).items())
    for name in todo:
        start = time.monotonic()
        spec = specs[name]
        out = archives[name]["path"]
        archives[name]["digest"] = builder.build_image(run, spec, rootfs, manifest, layer, out, workdir=cache)
        with open(out + ".spec", "w") as handle:
            handle.write(spec_digest(spec, base) + "\n")
        seconds[name] = round(time.monotonic() - start, 1)
    module.exit_json(changed=True, archives=archives, built=todo, seconds=seconds)


if __name__ == "__main__":
    main()
