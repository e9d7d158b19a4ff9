#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rehearsal_stamp
short_description: Record what a converged rehearsal stack looks like, or forget it
version_added: 0.1.0
description:
  - With O(state=present), writes the stamp of a rehearsal stack that has just converged; the
    digests of its inputs and code, the identity (pid and start time) of every process it
    started, the identity of every file it wrote, and what to ask again (ports, nodes,
    Deployments). M(indydevops.k8s_talk.rehearsal_stamp_info)
    compares a running stack with it.
  - With O(state=absent), removes the stamp; the stack's absent does so first, so a stack being
    taken down is never taken for a converged one.
  - The stamp is the stack's own bookkeeping beside its state, not a change to the stack, so
    writing it reports C(changed=false); in check mode nothing is written.
author:
  - Indy DevOps (@indydevops)
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
  - indydevops.k8s_talk.rehearsal_stamp
options:
  state:
    description: Whether the stamp should exist.
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Record the converged stack
  indydevops.k8s_talk.rehearsal_stamp:
    stack:
      path: ~/.local/state/k8s-talk/rehearsal/converged.json
      inputs: "{{ query('ansible.builtin.varnames', '^rehearsal_stack_') | to_json | hash('sha256') }}"
      pid_files: [~/.local/state/k8s-talk/rehearsal/aws.pid]
      ports: [{host: 127.0.0.1, port: 5055}]

- name: Forget it
  indydevops.k8s_talk.rehearsal_stamp:
    stack:
      path: ~/.local/state/k8s-talk/rehearsal/converged.json
    state: absent
"""

RETURN = r"""
processes:
  description: The processes recorded, by pid file (with O(state=present)).
  returned: success
  type: dict
  sample: {"/root/.local/state/k8s-talk/rehearsal/aws.pid": {"pid": 4242, "start": "81723"}}
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import stack_stamp
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.stack_stamp_module import (
    ARGUMENT_SPEC, current_processes)


def main():
    spec = dict(ARGUMENT_SPEC, state=dict(type="str", choices=["present", "absent"], default="present"))
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    params = module.params["stack"]
    if module.params["state"] == "present" and not params["inputs"]:
        module.fail_json(msg="stack.inputs is required with state=present (the digest of the stack's inputs)")
    if module.params["state"] == "absent":
        if os.path.exists(params["path"]) and not module.check_mode:
            os.remove(params["path"])
        module.exit_json(changed=False)
    processes = current_processes(params)
    stamp = stack_stamp.build(params["inputs"], stack_stamp.digest_tree(params["code"]), processes,
                              stack_stamp.file_identities(params["files"]), params)
    if not module.check_mode:
        temporary = params["path"] + ".tmp"
        with open(temporary, "w") as handle:
            json.dump(stamp, handle, indent=1, sort_keys=True)
        os.chmod(temporary, 0o600)
        os.rename(temporary, params["path"])
    module.exit_json(changed=False, processes=processes)


if __name__ == "__main__":
    main()
