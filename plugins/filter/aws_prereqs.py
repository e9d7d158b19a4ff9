# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters the aws_prereqs role uses; the logic lives in module_utils/aws_prereqs.py.

- settings | aws_prereqs_errors(sources)      -> list of messages ([] when valid)
- zones | aws_prereqs_zone_count_errors(var, count) -> list of messages
- prefix | aws_prereqs_subnet_plan(zones)     -> [{index, zone, type, cidr}]
- prefix | aws_prereqs_stack_parameters(plan, environment) -> {name: str}
- outputs | aws_prereqs_stack_facts(plan, nat_mode) -> {vpc_id, vpc_cidr, subnets, nat_gateways}
- buckets | aws_prereqs_bucket_drift(tags)   -> settings s3_bucket would change
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import PrereqsError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import bucket_drift
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import stack_facts
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import stack_parameters
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import subnet_plan
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import validate
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import zone_count_errors


def _int(value):
    # Inventory values may arrive as strings ("20"); booleans are not numbers.
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def aws_prereqs_errors(settings, sources=None):
    settings = dict((key, _int(value)) if key.endswith(("_vpc_cidr_prefix", "_zone_count")) else (key, value)
                    for key, value in dict(settings).items())
    return validate(settings, dict(sources or {}))


def aws_prereqs_zone_count_errors(zones, var, count):
    return zone_count_errors(var, _int(count), list(zones))


def _wrap(func, *args):
    try:
        return func(*args)
    except PrereqsError as exc:
        raise AnsibleFilterError(str(exc)) from exc


def aws_prereqs_subnet_plan(prefix, zones):
    return _wrap(subnet_plan, _int(prefix), list(zones))


def aws_prereqs_stack_parameters(prefix, plan, environment):
    return _wrap(stack_parameters, _int(prefix), list(plan), environment)


def aws_prereqs_stack_facts(outputs, plan, nat_mode):
    return _wrap(stack_facts, dict(outputs or {}), list(plan), nat_mode)


def aws_prereqs_bucket_drift(buckets, tags):
    return bucket_drift(list(buckets or []), dict(tags or {}))


class FilterModule(object):
    def filters(self):
        return {
            "aws_prereqs_errors": aws_prereqs_errors,
            "aws_prereqs_zone_count_errors": aws_prereqs_zone_count_errors,
            "aws_prereqs_subnet_plan": aws_prereqs_subnet_plan,
            "aws_prereqs_stack_parameters": aws_prereqs_stack_parameters,
            "aws_prereqs_stack_facts": aws_prereqs_stack_facts,
            "aws_prereqs_bucket_drift": aws_prereqs_bucket_drift,
        }
