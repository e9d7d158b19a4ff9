# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The talk's get-subnets.rb: a VPC's tagged subnets as a kops subnet list.

Pure functions over the plain results of the EC2 describe calls (boto3's
shapes: Vpcs, Subnets, RouteTables, NatGateways), so they are tested without
AWS. The module does the calls.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DEFAULT_ROUTE = "0.0.0.0/0"
NAT_GATEWAY_GONE = ("deleting", "deleted", "failed")


class KopsSubnetsError(Exception):
    """The VPC is not laid out the way kops needs; the message says what to fix."""


def tag_dict(resource):
    """boto3's [{'Key': k, 'Value': v}] tag list as a dict."""
    return {t["Key"]: t.get("Value", "") for t in resource.get("Tags") or []}


def matches(resource, tags):
    """True when the resource carries every tag in `tags` (all values compared as strings)."""
    have = tag_dict(resource)
    return all(k in have and have[k] == str(v) for k, v in (tags or {}).items())


def _describe_tags(tags):
    return ", ".join(f"{k}={v}" for k, v in sorted((tags or {}).items())) or "(none)"


def select_vpc(vpcs, vpc_id=None, vpc_tags=None):
    """The one VPC named by id or matching the tags, else KopsSubnetsError."""
    if vpc_id:
        found = [v for v in vpcs if v.get("VpcId") == vpc_id]
        what = f"id {vpc_id}"
    else:
        if not vpc_tags:
            raise KopsSubnetsError("give vpc_id or vpc_tags to find the VPC")
        found = [v for v in vpcs if matches(v, vpc_tags)]
        what = f"tags {_describe_tags(vpc_tags)}"
    if not found:
        raise KopsSubnetsError(f"no VPC matches {what}; create it first (the prereqs stage) "
                               "or check the tags and the region")
    if len(found) > 1:
        ids = ", ".join(sorted(v["VpcId"] for v in found))
        raise KopsSubnetsError(f"{len(found)} VPCs match {what} ({ids}); "
                               "name one with vpc_id or add a tag")
    return found[0]


def route_table_for(subnet_id, route_tables):
    """The route table a subnet uses: its explicit association, else the VPC's main table."""
    main = None
    for table in route_tables:
        for assoc in table.get("Associations") or []:
            if assoc.get("SubnetId") == subnet_id:
                return table
            if assoc.get("Main"):
                main = table
    return main


def nat_egress(subnet, route_tables, nat_gateways):
    """The NAT gateway id the subnet's default route goes to, else KopsSubnetsError."""
    subnet_id = subnet["SubnetId"]
    which = f"private subnet {subnet_id} ({subnet.get('AvailabilityZone')})"
    table = route_table_for(subnet_id, route_tables)
    if table is None:
        raise KopsSubnetsError(f"{which} has no route table: neither an association nor a "
                               "main route table in its VPC")
    default = [r for r in table.get("Routes") or []
               if r.get("DestinationCidrBlock") == DEFAULT_ROUTE and r.get("State", "active") == "active"]
    nat_ids = [r["NatGatewayId"] for r in default if r.get("NatGatewayId")]
    if not nat_ids:
        targets = ", ".join(sorted(
            v for r in default for k, v in r.items()
            if k.endswith("Id") and k not in ("DestinationPrefixListId",))) or "nothing"
        raise KopsSubnetsError(
            f"{which} has no default route through a NAT gateway: route table "
            f"{table.get('RouteTableId')} sends {DEFAULT_ROUTE} to {targets}; kops private "
            "subnets need egress through a NAT gateway")
    nat_id = nat_ids[0]
    if nat_gateways is not None:
        known = {n["NatGatewayId"]: n for n in nat_gateways}
        gateway = known.get(nat_id)
        if gateway is None or gateway.get("State") in NAT_GATEWAY_GONE:
            state = "does not exist in the VPC" if gateway is None else f"is {gateway.get('State')}"
            raise KopsSubnetsError(f"{which} routes {DEFAULT_ROUTE} to NAT gateway {nat_id}, which {state}")
    return nat_id


def classify(subnet, public_tags, private_tags):
    """'Utility', 'Private' or None for a subnet, by its tags."""
    public = matches(subnet, public_tags)
    private = matches(subnet, private_tags)
    if public and private:
        raise KopsSubnetsError(
            f"subnet {subnet['SubnetId']} matches both public_tags ({_describe_tags(public_tags)}) "
            f"and private_tags ({_describe_tags(private_tags)})")
    if public:
        return "Utility"
    if private:
        return "Private"
    return None


def kops_subnets(vpc, subnets, route_tables, *, nat_gateways=None,
                 public_tags=None, private_tags=None):
    """The VPC's tagged subnets in kops' shape, ordered by zone then type.

    Utility (public) subnets: {name: utility-<zone>, type: Utility, zone, cidr, id}.
    Private subnets: {name: <zone>, type: Private, zone, cidr, id, egress: <nat id>}.
    Returns [] when no subnet carries the tags.
    """
    public_tags = {"Network": "Public"} if public_tags is None else public_tags
    private_tags = {"Network": "Private"} if private_tags is None else private_tags
    vpc_id = vpc["VpcId"]
    by_zone = {}
    for subnet in subnets:
        if subnet.get("VpcId", vpc_id) != vpc_id:
            continue
        kind = classify(subnet, public_tags, private_tags)
        if kind is None:
            continue
        zone = subnet["AvailabilityZone"]
        slot = by_zone.setdefault(zone, {})
        if kind in slot:
            label = "public" if kind == "Utility" else "private"
            raise KopsSubnetsError(
                f"zone {zone} has two {label} subnets ({slot[kind]['SubnetId']}, "
                f"{subnet['SubnetId']}); kops takes one of each type per zone: untag one")
        slot[kind] = subnet

    errors = []
    for zone in sorted(by_zone):
        slot = by_zone[zone]
        if "Private" in slot and "Utility" not in slot:
            errors.append(f"zone {zone} has a private subnet ({slot['Private']['SubnetId']}) but "
                          f"no public (utility) subnet tagged {_describe_tags(public_tags)}")
        if "Utility" in slot and "Private" not in slot:
            errors.append(f"zone {zone} has a public (utility) subnet ({slot['Utility']['SubnetId']}) "
                          f"but no private subnet tagged {_describe_tags(private_tags)}")
    if errors:
        raise KopsSubnetsError("; ".join(errors))

    result = []
    for zone in sorted(by_zone):
        utility = by_zone[zone]["Utility"]
        private = by_zone[zone]["Private"]
        result.append({"name": f"utility-{zone}", "type": "Utility", "zone": zone,
                       "cidr": utility["CidrBlock"], "id": utility["SubnetId"]})
        result.append({"name": zone, "type": "Private", "zone": zone, "cidr": private["CidrBlock"],
                       "id": private["SubnetId"],
                       "egress": nat_egress(private, route_tables, nat_gateways)})
    return result


def subnets_info(vpcs, subnets, route_tables, nat_gateways, *, vpc_id=None, vpc_tags=None,
                 public_tags=None, private_tags=None):
    """(changed, result) for the info module: result has vpc_id, vpc_cidr, subnets."""
    vpc = select_vpc(vpcs, vpc_id=vpc_id, vpc_tags=vpc_tags)
    in_vpc = [s for s in subnets if s.get("VpcId") == vpc["VpcId"]]
    tables = [t for t in route_tables if t.get("VpcId", vpc["VpcId"]) == vpc["VpcId"]]
    nats = [n for n in nat_gateways if n.get("VpcId", vpc["VpcId"]) == vpc["VpcId"]]
    found = kops_subnets(vpc, in_vpc, tables, nat_gateways=nats, public_tags=public_tags,
                         private_tags=private_tags)
    return False, {"vpc_id": vpc["VpcId"], "vpc_cidr": vpc.get("CidrBlock"), "subnets": found}
