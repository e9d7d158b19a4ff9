# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: inspect_table
short_description: The talk's "Inspect the cluster" as a compact table
version_added: 0.1.0
description:
  - Turns the nodes, the pods of one namespace and the events the Kubernetes API returned
    (the C(resources) of C(kubernetes.core.k8s_info)) into aligned lines, as
    C(kubectl get nodes), C(kubectl -n kube-system get pods) and C(kubectl get events) print them.
  - Nodes show their role, kops instance group (label C(kops.k8s.io/instancegroup)), kubelet
    version and readiness; when any node is simulated (annotation C(kwok.x-k8s.io/node=fake))
    a column says which are simulated and which are real.
  - The logic lives in C(plugins/module_utils/cluster_inspect.py).
author:
  - Indy DevOps (@indydevops)
positional: pods, events
options:
  _input:
    description: The nodes (Node objects as dicts).
    type: list
    elements: dict
    required: true
  pods:
    description: The pods to list (Pod objects as dicts).
    type: list
    elements: dict
    required: true
  events:
    description: The events to pick the latest from (Event objects as dicts).
    type: list
    elements: dict
    required: true
  last:
    description: How many of the latest events to show (0 shows none).
    type: int
    default: 10
  pods_namespace:
    description: The namespace the pods came from, for the table's heading.
    type: str
    default: kube-system
  message_width:
    description: Event messages longer than this are cut.
    type: int
    default: 80
"""

EXAMPLES = r"""
- name: Inspect | Print the cluster
  ansible.builtin.debug:
    msg: "{{ nodes.resources | indydevops.k8s_talk.inspect_table(pods.resources, events.resources, last=10) }}"
"""

RETURN = r"""
_value:
  description: The table, one string per line (a heading per section, then its aligned rows).
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.cluster_inspect import InspectError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.cluster_inspect import table


def _int(value, name):
    # Inventory values may arrive as strings ("10"); booleans are not numbers.
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise AnsibleFilterError("inspect_table: %s must be an integer, got %r" % (name, value))
    return value


def inspect_table(nodes, pods, events, last=10, pods_namespace="kube-system", message_width=80):
    try:
        return table(list(nodes or []), list(pods or []), list(events or []), last=_int(last, "last"),
                     pods_namespace=pods_namespace, message_width=_int(message_width, "message_width"))
    except InspectError as exc:
        raise AnsibleFilterError("inspect_table: %s" % exc) from exc


class FilterModule(object):
    def filters(self):
        return {"inspect_table": inspect_table}
