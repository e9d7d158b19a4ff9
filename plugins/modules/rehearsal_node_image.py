#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rehearsal_node_image
short_description: Write a one-layer OCI image archive from local files (no docker)
version_added: 0.2.0
description:
  - Writes an OCI image layout tar at O(dest) holding one layer with O(files),
    O(directories) and O(symlinks), named O(image), ready for
    C(ctr images import). The rehearsal stack's real node runs the images
    built this way (pause, agnhost), so nothing is pulled.
  - The bytes are deterministic, so an unchanged image is left alone.
author:
  - Indy DevOps (@indydevops)
options:
  dest:
    description: Path of the archive.
    type: path
    required: true
  image:
    description: The image reference, with registry and tag, as a manifest names it.
    type: str
    required: true
  files:
    description: Files to put in the layer, each with C(src) (local path), C(dest) (path in the image) and C(mode).
    type: list
    elements: dict
    default: []
  directories:
    description: Directories to create, each with C(dest) and C(mode).
    type: list
    elements: dict
    default: []
  symlinks:
    description: Symbolic links, each with C(dest) and C(target).
    type: list
    elements: dict
    default: []
  entrypoint:
    description: The image's entrypoint.
    type: list
    elements: str
  cmd:
    description: The image's default arguments.
    type: list
    elements: str
  user:
    description: The user the image runs as (C(uid[:gid])).
    type: str
  arch:
    description: The image's architecture.
    type: str
    default: amd64
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Write the pause image
  indydevops.k8s_talk.rehearsal_node_image:
    dest: /tmp/images/pause.tar
    image: registry.k8s.io/pause:3.10.2
    files:
      - {src: /root/.cache/k8s-talk/pause-v1.36.3/bin/pause, dest: /pause, mode: "0755"}
    entrypoint: [/pause]
    user: "65535:65535"
"""

RETURN = r"""
path:
  description: The archive.
  returned: always
  type: str
image:
  description: The image reference.
  returned: always
  type: str
  sample: registry.k8s.io/pause:3.10.2
digest:
  description: The digest of the image's manifest.
  returned: always
  type: str
size:
  description: The archive's size in bytes.
  returned: always
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.node_images import ImageError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.node_images import ensure_archive


def _modes(items):
    return [dict(item, mode=int(str(item["mode"]), 8)) if "mode" in item else item for item in items]


def main():
    module = AnsibleModule(
        argument_spec={
            "dest": {"type": "path", "required": True},
            "image": {"type": "str", "required": True},
            "files": {"type": "list", "elements": "dict", "default": []},
            "directories": {"type": "list", "elements": "dict", "default": []},
            "symlinks": {"type": "list", "elements": "dict", "default": []},
            "entrypoint": {"type": "list", "elements": "str"},
            "cmd": {"type": "list", "elements": "str"},
            "user": {"type": "str"},
            "arch": {"type": "str", "default": "amd64"},
        },
        supports_check_mode=True,
    )
    params = module.params
    try:
        changed, result = ensure_archive(
            params["dest"], params["image"], _modes(params["files"]), _modes(params["directories"]),
            params["symlinks"], params["entrypoint"], params["cmd"], params["user"], params["arch"],
            check_mode=module.check_mode)
    except (ImageError, ValueError, KeyError) as exc:
        module.fail_json(msg="cannot write the image %s: %s" % (params["image"], exc))
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
