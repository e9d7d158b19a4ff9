#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: kops_subnets_info
short_description: List an existing VPC's subnets in the shape kops wants
version_added: 0.1.0
description:
  - The talk's C(get-subnets.rb). Finds one VPC, by id or by tags, and returns its
    tagged subnets as a kops C(spec.subnets) list, ready for
    M(indydevops.k8s_talk.kops_cluster_spec).
  - Public subnets become C(Utility) subnets named C(utility-<zone>); private subnets
    become C(Private) subnets named C(<zone>) whose C(egress) is the NAT gateway their
    route table sends C(0.0.0.0/0) to. This works with one NAT gateway per zone and
    with a single shared one.
  - Fails with a message saying what to fix when no VPC or several VPCs match, when
    a zone has a private subnet but no public one (or the reverse), or when a private
    subnet has no default route through a NAT gateway.
  - Uses the amazon.aws connection options, so credentials, region and
    O(endpoint_url) work as in every amazon.aws module (and through
    C(module_defaults) for C(group/indydevops.k8s_talk.aws)).
author:
  - Indy DevOps (@indydevops)
options:
  vpc_id:
    description: The VPC's id. Mutually exclusive with O(vpc_tags).
    type: str
  vpc_tags:
    description:
      - "Tags that select exactly one VPC, for example C({Environment: rehearsal}).
        The role C(indydevops.k8s_talk.kops_cluster) passes C({Environment: <environment>})."
      - One of O(vpc_id) and O(vpc_tags) is required.
    type: dict
  public_tags:
    description:
      - Tags of the public subnets (kops utility subnets, where the load balancers
        and NAT gateways live).
    type: dict
    default: {Network: Public}
  private_tags:
    description: Tags of the private subnets (where the control plane and nodes run).
    type: dict
    default: {Network: Private}
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
attributes:
  check_mode:
    support: full
    details: Read only.
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Cluster | Find the subnets of the rehearsal VPC
  indydevops.k8s_talk.kops_subnets_info:
    vpc_tags:
      Environment: rehearsal
  register: vpc

- name: Cluster | The same, by id, with other subnet tags
  indydevops.k8s_talk.kops_subnets_info:
    vpc_id: vpc-0ddd
    public_tags:
      Tier: dmz
    private_tags:
      Tier: app
"""

RETURN = r"""
vpc_id:
  description: The VPC's id (the cluster's C(networkID)).
  returned: always
  type: str
  sample: vpc-0ddd
vpc_cidr:
  description: The VPC's primary IPv4 CIDR.
  returned: always
  type: str
  sample: 10.20.0.0/16
subnets:
  description:
    - The VPC's tagged subnets in kops' shape, ordered by zone, utility before private.
    - C([]) when none is tagged.
  returned: always
  type: list
  elements: dict
  sample:
    - name: utility-us-east-2a
      type: Utility
      zone: us-east-2a
      cidr: 10.20.0.0/22
      id: subnet-0aaa
    - name: us-east-2a
      type: Private
      zone: us-east-2a
      cidr: 10.20.32.0/19
      id: subnet-0bbb
      egress: nat-0ccc
  contains:
    name:
      description: C(utility-<zone>) or C(<zone>).
      type: str
    type:
      description: C(Utility) or C(Private).
      type: str
    zone:
      description: Availability zone.
      type: str
    cidr:
      description: IPv4 CIDR.
      type: str
    id:
      description: Subnet id.
      type: str
    egress:
      description: NAT gateway id of a private subnet's default route.
      type: str
      returned: on private subnets
"""

from ansible_collections.amazon.aws.plugins.module_utils.ec2 import AnsibleEC2Error  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_nat_gateways  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_route_tables  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_subnets  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_vpcs  # noqa: E402
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule  # noqa: E402

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_subnets import KopsSubnetsError  # noqa: E402
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_subnets import subnets_info  # noqa: E402


def describe(client, vpc_id=None, vpc_tags=None):
    """The four describe results the pure logic needs, fetched with amazon.aws' helpers."""
    if vpc_id:
        vpcs = describe_vpcs(client, VpcIds=[vpc_id])
    else:
        vpcs = describe_vpcs(client, Filters=[
            {"Name": f"tag:{k}", "Values": [str(v)]} for k, v in vpc_tags.items()])
    ids = [v["VpcId"] for v in vpcs]
    if not ids:
        return vpcs, [], [], []
    in_vpcs = [{"Name": "vpc-id", "Values": ids}]
    return (vpcs, describe_subnets(client, Filters=in_vpcs),
            describe_route_tables(client, Filters=in_vpcs),
            describe_nat_gateways(client, Filters=in_vpcs))


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "vpc_id": {"type": "str"},
            "vpc_tags": {"type": "dict"},
            "public_tags": {"type": "dict", "default": {"Network": "Public"}},
            "private_tags": {"type": "dict", "default": {"Network": "Private"}},
        },
        required_one_of=[("vpc_id", "vpc_tags")],
        mutually_exclusive=[("vpc_id", "vpc_tags")],
        supports_check_mode=True,
    )
    params = module.params
    client = module.client("ec2")
    try:
        vpcs, subnets, route_tables, nat_gateways = describe(
            client, vpc_id=params["vpc_id"], vpc_tags=params["vpc_tags"])
        changed, result = subnets_info(
            vpcs, subnets, route_tables, nat_gateways, vpc_id=params["vpc_id"],
            vpc_tags=params["vpc_tags"], public_tags=params["public_tags"],
            private_tags=params["private_tags"])
    except AnsibleEC2Error as exc:
        module.fail_json_aws_error(exc)
    except KopsSubnetsError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
