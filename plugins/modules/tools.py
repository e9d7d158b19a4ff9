#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: tools
short_description: Install the pinned tools (kops, kwok, etcd, Kubernetes, Helm, the rehearsal node's runtime)
version_added: 0.1.0
description:
  - Makes sure each named tool of O(versions) is in its own cache directory,
    C(<cache_dir>/<tool>-<version>/bin), and returns where its binaries are.
    A tool already there is left alone, so a second run changes nothing and a
    version bump never reuses a stale binary.
  - Where C(go) is on the target's PATH the tools are built from the Go module
    proxy (how the offline rehearsal machine gets them); otherwise, or with
    O(download=true), the official release binaries are downloaded and checked
    against their published sha256.
  - A build of Kubernetes takes many minutes; run the task with C(async) or a
    long enough timeout where that matters.
  - The command-line C(tools/install.py) of the collection's repository runs the
    same code (C(make tools)).
author:
  - Indy DevOps (@indydevops)
options:
  versions:
    description:
      - The pins, as in the role default C(k8s_talk_tool_versions) of
        C(roles/k8s_talk/defaults/main/tools.yml), keyed by tool name.
      - Each value needs C(version) and C(binaries) (list of binary names); a
        build needs C(module) (the Go module), a download C(release) (C(url) or
        C(archive), and C(sha256_url), with C({version}), C({bare_version})
        (the version without its leading C(v)), C({arch}) and C({binary})
        placeholders).
      - The rehearsal node's C(pause) and C(agnhost) are built from the
        Kubernetes source (C(pause) with a C compiler, C(gcc -static)) and
        carry an C(image) reference instead of a C(release); they have no
        release binaries to download.
    type: dict
    required: true
  names:
    description:
      - The tools to install, keys of O(versions).
      - Default is every tool in O(versions).
    type: list
    elements: str
  cache_dir:
    description:
      - Root of the tool cache.
      - Default is the environment variable E(K8S_TALK_CACHE) of the target,
        else C(~/.cache/k8s-talk).
    type: path
  download:
    description:
      - Download the release binaries even when C(go) is present.
    type: bool
    default: false
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
notes:
  - Downloads need the internet; builds need the Go module proxy (or a filled
    Go module cache).
"""

EXAMPLES = r"""
- name: Install the pinned kops
  indydevops.k8s_talk.tools:
    versions: "{{ k8s_talk_tool_versions }}"
    names: [kops]
  register: kops_tools

- name: Print the kops version
  ansible.builtin.command:
    argv: ["{{ kops_tools.binaries.kops }}", version, --short]
  changed_when: false

- name: Install every pinned tool from the release binaries into a cache of its own
  indydevops.k8s_talk.tools:
    versions: "{{ k8s_talk_tool_versions }}"
    cache_dir: /opt/k8s-talk/tools
    download: true
"""

RETURN = r"""
bin_dirs:
  description: The bin directory of each named tool (also in check mode, where it may not exist yet).
  returned: always
  type: dict
  sample:
    kops: /home/user/.cache/k8s-talk/kops-v1.36.2/bin
binaries:
  description: The path of every binary of the named tools, keyed by binary name.
  returned: always
  type: dict
  sample:
    kwok: /home/user/.cache/k8s-talk/kwok-v0.8.0/bin/kwok
    kwokctl: /home/user/.cache/k8s-talk/kwok-v0.8.0/bin/kwokctl
installed:
  description: The tools built or downloaded by this run (in check mode, those that would be).
  returned: always
  type: list
  elements: str
  sample: [kops]
cached:
  description: The tools that were already in the cache.
  returned: always
  type: list
  elements: str
  sample: [kwok, etcd]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.tools import ToolsError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.tools import default_cache_root
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.tools import ensure


def main():
    module = AnsibleModule(
        argument_spec={
            "versions": {"type": "dict", "required": True},
            "names": {"type": "list", "elements": "str"},
            "cache_dir": {"type": "path"},
            "download": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
    )
    params = module.params
    try:
        changed, result = ensure(
            params["versions"], params["cache_dir"] or default_cache_root(), params["names"],
            force_download=params["download"], check_mode=module.check_mode, log=module.log)
    except ToolsError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
