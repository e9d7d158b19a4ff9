#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rehearsal_process
short_description: Run a local background service tracked by a pid file
version_added: 0.1.0
description:
  - Starts a command in the background on this machine and waits until it
    listens on O(host):O(port); stops it again with O(state=absent).
  - The rehearsal stack uses it for the AWS emulator.
  - A running, listening process is left alone. A dead one, or one that no
    longer listens, is restarted. A stale pid file (dead or reused pid) is
    never trusted, and a process this module did not start is never
    signalled; a port held by such a process is an error.
author:
  - Indy DevOps (@indydevops)
options:
  argv:
    description: The command to run, as a list (no shell).
    type: list
    elements: str
    required: true
  pid_file:
    description: Where the pid of the process is kept.
    type: path
    required: true
  log_file:
    description: Where the process's standard output and error go. Required with O(state=present).
    type: path
  host:
    description: Address the process listens on.
    type: str
    default: 127.0.0.1
  port:
    description: Port the process listens on.
    type: int
    required: true
  env:
    description: Extra environment variables for the process.
    type: dict
    default: {}
  timeout:
    description: Seconds to wait for the port to open.
    type: float
    default: 30
  state:
    description: Whether the process should run.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Start the AWS emulator on 127.0.0.1:5055
  indydevops.k8s_talk.rehearsal_process:
    argv: ["{{ ansible_playbook_python }}", /path/to/aws_emulator.py, --port, "5055"]
    pid_file: ~/.local/state/k8s-talk/rehearsal/aws.pid
    log_file: ~/.local/state/k8s-talk/rehearsal/aws.log
    port: 5055

- name: Stop it
  indydevops.k8s_talk.rehearsal_process:
    argv: ["{{ ansible_playbook_python }}", /path/to/aws_emulator.py, --port, "5055"]
    pid_file: ~/.local/state/k8s-talk/rehearsal/aws.pid
    port: 5055
    state: absent
"""

RETURN = r"""
pid:
  description: Pid of the running process (null when none).
  returned: always
  type: int
  sample: 4242
action:
  description: What was done, V(none), V(start), V(restart), V(stop) or V(remove stale pid file).
  returned: always
  type: str
  sample: start
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.process import ProcessError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.process import start
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.process import stop


def main():
    module = AnsibleModule(
        argument_spec=dict(
            argv=dict(type="list", elements="str", required=True),
            pid_file=dict(type="path", required=True),
            log_file=dict(type="path"),
            host=dict(type="str", default="127.0.0.1"),
            port=dict(type="int", required=True),
            env=dict(type="dict", default={}),
            timeout=dict(type="float", default=30.0),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        required_if=[("state", "present", ["log_file"])],
        supports_check_mode=True,
    )
    params = module.params
    try:
        if params["state"] == "present":
            changed, result = start(
                params["argv"], params["pid_file"], params["log_file"], params["host"],
                params["port"], env=params["env"], timeout=params["timeout"],
                check_mode=module.check_mode)
        else:
            changed, result = stop(params["argv"], params["pid_file"], check_mode=module.check_mode)
    except ProcessError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=changed, pid=result.get("pid"), action=result["action"])


if __name__ == "__main__":
    main()
