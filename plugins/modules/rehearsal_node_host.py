#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: rehearsal_node_host
short_description: Record and undo what the rehearsal stack's real node changes on its host
version_added: 0.2.0
description:
  - O(action=record) notes, once, the values of O(sysctls) and which of
    O(paths) exist, in O(state_file), before the node's kubelet first starts.
  - O(action=restore) runs after the node's processes have stopped, and only
    when O(state_file) exists (the node ran here), because the chains and cgroups it
    removes have generic names that another kubelet on the host would share. It kills
    what still runs (command lines naming O(needles), processes in the
    O(cgroups)), unmounts what is mounted below O(mount_prefixes), deletes
    C(cni-*) network namespaces, the O(links), the C(KUBE-*) and C(CNI-*)
    iptables and ip6tables chains and the O(cgroups), puts the recorded
    sysctls back and removes the host paths that did not exist before. It
    fails, naming them, when anything is left.
  - O(action=leftovers) only lists what is there (C(leftovers) is empty on a clean host).
author:
  - Indy DevOps (@indydevops)
options:
  action:
    description: What to do.
    type: str
    choices: [record, restore, leftovers]
    required: true
  state_file:
    description: Where the record is kept (removed by a successful O(action=restore)).
    type: path
    required: true
  sysctls:
    description: Sysctls the node may change (dotted names).
    type: list
    elements: str
    default: []
  paths:
    description: Host paths the node may create.
    type: list
    elements: path
    default: []
  needles:
    description: Strings whose presence in a command line marks a process as the node's.
    type: list
    elements: str
    default: []
  mount_prefixes:
    description: Directories below which every mount is the node's.
    type: list
    elements: path
    default: []
  links:
    description: Network links the node creates (its bridge, its address's interface).
    type: list
    elements: str
    default: []
  cgroups:
    description: Top-level cgroups the node's kubelet creates, in every controller.
    type: list
    elements: str
    default: [kubepods]
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
notes:
  - Needs root, as the node itself does.
"""

EXAMPLES = r"""
- name: Note the sysctls before the kubelet changes them
  indydevops.k8s_talk.rehearsal_node_host:
    action: record
    state_file: /tmp/state/rehearsal/node/host.json
    sysctls: [net.ipv4.ip_forward, vm.overcommit_memory]
    paths: [/var/log/containers]

- name: List what the node left behind
  indydevops.k8s_talk.rehearsal_node_host:
    action: leftovers
    state_file: /tmp/state/rehearsal/node/host.json
    mount_prefixes: [/tmp/state/rehearsal/node]
    links: [k8s-talk-br0]
  register: node_leftovers
"""

RETURN = r"""
record:
  description: The record (O(action=record)).
  returned: when O(action=record)
  type: dict
  sample: {"sysctls": {"net.ipv4.ip_forward": "0"}, "paths": {"/var/log/containers": false}}
leftovers:
  description: What of the node is on the host, by kind (after O(action=restore), what was undone).
  returned: when O(action) is V(restore) or V(leftovers)
  type: dict
  sample: {"links": ["k8s-talk-br0"], "iptables_chains": ["iptables/nat/KUBE-SERVICES"]}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.node_host import NodeHostError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.node_host import leftovers
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.node_host import record
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.node_host import restore


def main():
    module = AnsibleModule(
        argument_spec={
            "action": {"type": "str", "choices": ["record", "restore", "leftovers"], "required": True},
            "state_file": {"type": "path", "required": True},
            "sysctls": {"type": "list", "elements": "str", "default": []},
            "paths": {"type": "list", "elements": "path", "default": []},
            "needles": {"type": "list", "elements": "str", "default": []},
            "mount_prefixes": {"type": "list", "elements": "path", "default": []},
            "links": {"type": "list", "elements": "str", "default": []},
            "cgroups": {"type": "list", "elements": "str", "default": ["kubepods"]},
        },
        supports_check_mode=True,
    )
    params = module.params

    def runner(argv):
        # A host without iptables (or ip) has none of their state to undo.
        if module.get_bin_path(argv[0]) is None:
            return 127, ""
        rc, out, err = module.run_command(argv)
        return rc, out + err

    spec = {key: params[key] for key in ("state_file", "needles", "mount_prefixes", "links", "cgroups")}
    try:
        if params["action"] == "record":
            changed, data = record(params["state_file"], params["sysctls"], params["paths"],
                                   check_mode=module.check_mode)
            module.exit_json(changed=changed, record=data)
        if params["action"] == "restore":
            changed, found = restore(spec, runner, check_mode=module.check_mode)
        else:
            changed, found = False, leftovers(spec, runner)
    except NodeHostError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=changed, leftovers=found)


if __name__ == "__main__":
    main()
