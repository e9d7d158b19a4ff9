#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rehearsal_process_info
short_description: Report which processes of a pid-file directory are running
version_added: 0.1.0
description:
  - Reads every C(<name>.pid) file in O(pid_dir) and reports whether that
    process runs. A process counts as running only when its pid is alive and
    its command is the binary the pid file is named after, so a reused pid is
    never mistaken for a component.
  - The rehearsal stack uses it to find dead control plane components that
    kwokctl started.
author:
  - Indy DevOps (@indydevops)
options:
  pid_dir:
    description: Directory holding the pid files.
    type: path
    required: true
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Find dead control plane components
  indydevops.k8s_talk.rehearsal_process_info:
    pid_dir: ~/.local/state/k8s-talk/rehearsal/kwok/clusters/k8s-talk/pids
  register: components

- name: Show them
  ansible.builtin.debug:
    msg: "{{ components.processes | rejectattr('running') | map(attribute='name') }}"
"""

RETURN = r"""
processes:
  description: One entry per pid file, sorted by name; empty when the directory does not exist.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The pid file's name without C(.pid).
      type: str
      sample: kube-apiserver
    pid:
      description: The pid the file names (null when unreadable).
      type: int
      sample: 23100
    running:
      description: Whether that pid is alive and runs the named binary.
      type: bool
      sample: true
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.process import pid_dir_status


def main():
    module = AnsibleModule(
        argument_spec=dict(pid_dir=dict(type="path", required=True)),
        supports_check_mode=True,
    )
    module.exit_json(changed=False, processes=pid_dir_status(module.params["pid_dir"]))


if __name__ == "__main__":
    main()
