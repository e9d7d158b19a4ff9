# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import copy
import os

import pytest
import yaml
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import (
    normalize_subnets,
)
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_subnets import (
    KopsSubnetsError,
    route_table_for,
    select_vpc,
    subnets_info,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "kops")


def load(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return yaml.safe_load(handle)


def run(data, **kwargs):
    kwargs.setdefault("vpc_tags", {"Environment": "rehearsal"})
    return subnets_info(data["vpcs"], data["subnets"], data["route_tables"], data["nat_gateways"], **kwargs)


@pytest.mark.parametrize("name", ["describe-vpc-nat-per-zone.yaml", "describe-vpc-single-nat.yaml"])
def test_subnets_in_kops_shape_ordered_by_zone_then_type(name):
    data = load(name)
    changed, result = run(data)
    assert changed is False
    assert result["vpc_id"] == "vpc-0a1b2c3d4e5f60718"
    assert result["vpc_cidr"] == "172.20.0.0/16"
    assert result["subnets"] == data["expected"]
    # what kops_cluster_spec accepts, unchanged
    assert normalize_subnets(result["subnets"], [result["vpc_cidr"]]) == \
        [dict(sorted(s.items())) for s in data["expected"]]


def test_vpc_by_id_and_without_tagged_subnets():
    data = load("describe-vpc-nat-per-zone.yaml")
    result = run(data, vpc_id="vpc-0ffff000000000000", vpc_tags=None)[1]
    assert result == {"vpc_id": "vpc-0ffff000000000000", "vpc_cidr": "172.30.0.0/16", "subnets": []}


def test_custom_subnet_tags():
    data = load("describe-vpc-nat-per-zone.yaml")
    for subnet in data["subnets"]:
        for tag in subnet["Tags"]:
            if tag["Key"] == "Network":
                tag.update(Key="Tier", Value={"Public": "dmz", "Private": "app"}[tag["Value"]])
    result = run(data, public_tags={"Tier": "dmz"}, private_tags={"Tier": "app"})[1]
    assert result["subnets"] == data["expected"]
    result = run(data)[1]
    assert result["subnets"] == []


def mutate(data, how):
    data = copy.deepcopy(data)
    tables = {t["RouteTableId"]: t for t in data["route_tables"]}
    subnets = {s["SubnetId"]: s for s in data["subnets"]}
    if how == "untag public b":
        subnets["subnet-0aaa0000000000002"]["Tags"] = []
    elif how == "untag private b":
        subnets["subnet-0bbb0000000000002"]["Tags"] = []
    elif how == "two private in a":
        subnets["subnet-0eee0000000000001"]["Tags"] = [{"Key": "Network", "Value": "Private"}]
    elif how == "both tags":
        subnets["subnet-0aaa0000000000001"]["Tags"].append({"Key": "Role", "Value": "x"})
    elif how == "igw default route":
        tables["rtb-0priv00000000000a"]["Routes"][1] = {
            "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0123456789abcdef0", "State": "active"}
    elif how == "no default route":
        del tables["rtb-0priv00000000000a"]["Routes"][1]
    elif how == "blackhole route":
        tables["rtb-0priv00000000000a"]["Routes"][1]["State"] = "blackhole"
    elif how == "nat deleted":
        data["nat_gateways"][0]["State"] = "deleted"
    elif how == "nat unknown":
        del data["nat_gateways"][0]
    elif how == "no route tables":
        data["route_tables"] = []
    elif how == "private on main table":
        # the association is gone: the subnet falls back to the main table (internet gateway)
        tables["rtb-0priv00000000000a"]["Associations"] = []
    elif how == "second vpc same tags":
        data["vpcs"][1]["Tags"] = [{"Key": "Environment", "Value": "rehearsal"}]
    elif how == "no vpc":
        data["vpcs"] = []
    return data


@pytest.mark.parametrize("how, kwargs, message", [
    ("untag public b", {}, "zone us-east-2b has a private subnet .* but no public"),
    ("untag private b", {}, "zone us-east-2b has a public .* but no private subnet"),
    ("two private in a", {}, "zone us-east-2a has two private subnets"),
    ("both tags", {"private_tags": {"Role": "x"}}, "matches both public_tags"),
    ("igw default route", {}, "no default route through a NAT gateway.*igw-0123456789abcdef0"),
    ("no default route", {}, "no default route through a NAT gateway.*sends 0.0.0.0/0 to nothing"),
    ("blackhole route", {}, "no default route through a NAT gateway"),
    ("nat deleted", {}, "NAT gateway nat-0ccc0000000000001, which is deleted"),
    ("nat unknown", {}, "which does not exist in the VPC"),
    ("no route tables", {}, "has no route table"),
    ("private on main table", {}, "rtb-0main000000000000 sends 0.0.0.0/0 to igw-"),
    ("second vpc same tags", {}, "2 VPCs match tags Environment=rehearsal"),
    ("no vpc", {}, "no VPC matches tags Environment=rehearsal"),
    (None, {"vpc_id": "vpc-0nothere", "vpc_tags": None}, "no VPC matches id vpc-0nothere"),
    (None, {"vpc_tags": None}, "give vpc_id or vpc_tags"),
])
def test_errors_say_what_to_fix(how, kwargs, message):
    data = mutate(load("describe-vpc-nat-per-zone.yaml"), how)
    with pytest.raises(KopsSubnetsError, match=message):
        run(data, **kwargs)


@pytest.mark.parametrize("vpcs, tags, expected", [
    ([{"VpcId": "vpc-1", "Tags": [{"Key": "A", "Value": "1"}]}], {"A": 1}, "vpc-1"),
    ([{"VpcId": "vpc-1", "Tags": [{"Key": "A", "Value": "1"}, {"Key": "B", "Value": "2"}]},
      {"VpcId": "vpc-2", "Tags": [{"Key": "A", "Value": "1"}]}], {"A": "1", "B": "2"}, "vpc-1"),
])
def test_select_vpc_by_tags(vpcs, tags, expected):
    assert select_vpc(vpcs, vpc_tags=tags)["VpcId"] == expected


def test_explicit_association_wins_over_main_table():
    tables = [{"RouteTableId": "main", "Associations": [{"Main": True}]},
              {"RouteTableId": "own", "Associations": [{"SubnetId": "subnet-1"}]}]
    assert route_table_for("subnet-1", tables)["RouteTableId"] == "own"
    assert route_table_for("subnet-2", tables)["RouteTableId"] == "main"
    assert route_table_for("subnet-2", tables[1:]) is None
