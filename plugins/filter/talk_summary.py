# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: talk_summary
short_description: The end of the talk in one block of lines, with an hourly AWS cost estimate
version_added: 0.1.0
description:
  - Lists, per demo that reported (the C(demo_<name>_report) results of C(indydevops.k8s_talk.verify)),
    the checks passed, failed and NOT RUN with their reasons, and the URLs its HTTP checks requested.
  - Adds the kubeconfig in use, how to reach the dashboard, and an hourly cost estimate of the talk's
    AWS resources (instances, EBS volumes, NAT gateways and their public addresses, load balancers)
    from O(sizing) and a dated price table.
  - The logic lives in C(plugins/module_utils/talk_summary.py).
author:
  - Indy DevOps (@indydevops)
positional: kubeconfig
options:
  _input:
    description: The demos' verify reports, by variable name (C(demo_guestbook_report) and so on).
    type: dict
    required: true
  kubeconfig:
    description: The kubeconfig path in use.
    type: str
    required: true
  context:
    description: The kubeconfig context in use, if one was chosen.
    type: str
  dashboard:
    description: Lines saying how to reach the dashboard and get its token; empty when it is not installed.
    type: list
    elements: str
  sizing:
    description:
      - The talk's AWS resources; omit (or null) on a target without AWS.
      - C(control_plane), C(nodes), C(bastion) (each C(count), C(type), C(root_gib)),
        C(etcd_volumes_per_control_plane), C(etcd_volume_gib), C(nat_gateways) and
        C(load_balancers) (a count per kind in the price table).
    type: dict
  prices:
    description:
      - The price table (C(date), C(region), C(currency), C(instance_hourly), C(nat_gateway_hourly),
        C(load_balancer_hourly), C(public_ipv4_hourly), C(ebs_gib_month), C(hours_per_month)).
    type: dict
  emulated:
    description: AWS is an emulator here; the estimate is labelled as what the same talk would cost on AWS.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Summary | Make the summary
  ansible.builtin.set_fact:
    summary_report: >-
      {{ {'demo_hello_report': demo_hello_report}
         | indydevops.k8s_talk.talk_summary(k8s_talk_kubeconfig, sizing=sizing, prices=prices) }}
"""

RETURN = r"""
_value:
  description: The summary.
  type: dict
  contains:
    lines:
      description: The summary, one string per line.
      type: list
      elements: str
    hourly_cost:
      description: The estimated cost per hour in the table's currency; null on a target without AWS.
      type: float
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_summary import SummaryError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_summary import summary


def talk_summary(reports, kubeconfig, context=None, dashboard=None, sizing=None, prices=None, emulated=False):
    try:
        lines, cost = summary(dict(reports or {}), kubeconfig, context=context or None,
                              dashboard=list(dashboard or []), sizing=sizing, prices=prices, emulated=bool(emulated))
    except SummaryError as exc:
        raise AnsibleFilterError("talk_summary: %s" % exc) from exc
    return {"lines": lines, "hourly_cost": cost}


class FilterModule(object):
    def filters(self):
        return {"talk_summary": talk_summary}
