#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rehearsal_stamp_info
short_description: Tell whether a running rehearsal stack is the one its inputs converged
version_added: 0.1.0
description:
  - Compares the running stack with the stamp M(indydevops.k8s_talk.rehearsal_stamp) wrote when it
    last converged; the same inputs and code, every recorded process alive as the same process (pid
    and start time), no process the stamp does not know, every recorded file unchanged, every port
    listening, every node Ready, every Deployment available.
  - Returns RV(converged) and, when not, every reason; one is enough for the caller to run the
    whole stack role. It reads only, and answers the same in check mode.
author:
  - Indy DevOps (@indydevops)
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
  - indydevops.k8s_talk.rehearsal_stamp
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Ask whether the stack is converged
  indydevops.k8s_talk.rehearsal_stamp_info:
    stack:
      path: ~/.local/state/k8s-talk/rehearsal/converged.json
      inputs: "{{ query('ansible.builtin.varnames', '^rehearsal_stack_') | to_json | hash('sha256') }}"
      pid_files: [~/.local/state/k8s-talk/rehearsal/aws.pid]
      ports: [{host: 127.0.0.1, port: 5055}]
  register: stamp

- name: Say why not
  ansible.builtin.debug:
    var: stamp.reasons
  when: not stamp.converged
"""

RETURN = r"""
converged:
  description: Whether the running stack is the one the stamp recorded, for these inputs.
  returned: always
  type: bool
  sample: true
reasons:
  description: Why not (empty when RV(converged)).
  returned: always
  type: list
  elements: str
  sample: ["/root/.local/state/k8s-talk/rehearsal/aws.pid: no live process"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import stack_stamp
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.stack_stamp_module import (
    ARGUMENT_SPEC, current_processes, live_reasons, read_stamp)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params["stack"]
    if not params["inputs"]:
        module.fail_json(msg="stack.inputs is required (the digest of the stack's inputs)")
    stamp = read_stamp(params["path"])
    reasons = stack_stamp.compare(stamp, params["inputs"], stack_stamp.digest_tree(params["code"]), params)
    if not reasons:
        reasons = stack_stamp.process_reasons(stamp["processes"], current_processes(params))
        reasons += stack_stamp.file_reasons(stamp["files"], stack_stamp.file_identities(stamp["files"]))
    if not reasons:
        reasons = live_reasons(params, module.tmpdir)
    module.exit_json(changed=False, converged=not reasons, reasons=reasons)


if __name__ == "__main__":
    main()
