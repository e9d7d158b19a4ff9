# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
import copy
import os

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import MAX_ZONES
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import PrereqsError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import bucket_drift
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import stack_facts
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import stack_parameters
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import subnet_plan
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import validate
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import zone_count_errors

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "aws_prereqs")
ZONES = ["us-east-2a", "us-east-2b", "us-east-2c"]
GOOD = {
    "aws_prereqs_public_domain": "indydevops.example",
    "aws_prereqs_cluster_dns_zone": "k8s.indydevops.example",
    "aws_prereqs_private_domain": "rehearsal.indydevops",
    "aws_prereqs_region": "us-east-2",
    "aws_prereqs_vpc_cidr_prefix": 20,
    "aws_prereqs_state_bucket": "indydevops-rehearsal-kops-state-store",
    "aws_prereqs_zone_count": 3,
    "aws_prereqs_nat_gateway_mode": "per_zone",
}


def load(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return yaml.safe_load(handle)


def test_good_settings_have_no_errors():
    assert validate(GOOD) == []


@pytest.mark.parametrize("var,value,words", [
    ("aws_prereqs_public_domain", "Indy_DevOps.example",
     ["aws_prereqs_public_domain", "k8s_talk_public_domain", "Indy_DevOps"]),
    ("aws_prereqs_public_domain", "localhost", ["single label"]),
    ("aws_prereqs_public_domain", "-bad.example", ["invalid label"]),
    ("aws_prereqs_public_domain", "a" * 64 + ".example", ["invalid label"]),
    ("aws_prereqs_public_domain", "", ["empty"]),
    ("aws_prereqs_private_domain", "rehearsal..indydevops", ["aws_prereqs_private_domain", "invalid label"]),
    ("aws_prereqs_cluster_dns_zone", ("a" * 60 + ".") * 5 + "com", ["253"]),
    ("aws_prereqs_region", "us-east", ["aws_prereqs_region", "k8s_talk_region", "us-east-2"]),
    ("aws_prereqs_region", "US-EAST-2", ["not an AWS region"]),
    ("aws_prereqs_vpc_cidr_prefix", 256, ["aws_prereqs_vpc_cidr_prefix", "0 to 255"]),
    ("aws_prereqs_vpc_cidr_prefix", -1, ["0 to 255"]),
    ("aws_prereqs_vpc_cidr_prefix", True, ["0 to 255"]),
    ("aws_prereqs_state_bucket", "ab", ["aws_prereqs_state_bucket", "3 to 63"]),
    ("aws_prereqs_state_bucket", "x" * 64, ["3 to 63"]),
    ("aws_prereqs_state_bucket", "Indy-Bucket", ["lowercase"]),
    ("aws_prereqs_state_bucket", "indy_bucket", ["lowercase"]),
    ("aws_prereqs_state_bucket", "-indy", ["start and end"]),
    ("aws_prereqs_state_bucket", "indy..bucket", ["adjacent"]),
    ("aws_prereqs_state_bucket", "192.168.1.1", ["IP address"]),
    ("aws_prereqs_state_bucket", "xn--indy", ["xn--"]),
    ("aws_prereqs_state_bucket", "indy-s3alias", ["-s3alias"]),
    ("aws_prereqs_zone_count", 0, ["aws_prereqs_zone_count", "1 to %d" % MAX_ZONES]),
    ("aws_prereqs_zone_count", MAX_ZONES + 1, ["1 to %d" % MAX_ZONES]),
    ("aws_prereqs_nat_gateway_mode", "double", ["per_zone, single"]),
])
def test_one_bad_value_gives_one_error_naming_the_variable(var, value, words):
    settings = dict(GOOD, **{var: value})
    sources = {"aws_prereqs_public_domain": "k8s_talk_public_domain", "aws_prereqs_region": "k8s_talk_region"}
    errors = validate(settings, sources)
    assert len(errors) == 1
    for word in words:
        assert word in errors[0]


@pytest.mark.parametrize("count,available,ok", [
    (3, ZONES, True),
    (1, ZONES, True),
    (4, ZONES, False),
    (2, ["eu-west-3a"], False),
])
def test_zone_count_against_the_region(count, available, ok):
    errors = zone_count_errors("aws_prereqs_zone_count", count, available)
    assert (errors == []) is ok
    if not ok:
        assert "aws_prereqs_zone_count" in errors[0] and "lower it to %d" % len(available) in errors[0]


def test_subnet_plan_three_zones():
    plan = subnet_plan(20, ZONES)
    assert [(s["zone"], s["type"], s["cidr"]) for s in plan] == [
        ("us-east-2a", "Private", "172.20.0.0/19"),
        ("us-east-2a", "Public", "172.20.192.0/22"),
        ("us-east-2b", "Private", "172.20.32.0/19"),
        ("us-east-2b", "Public", "172.20.196.0/22"),
        ("us-east-2c", "Private", "172.20.64.0/19"),
        ("us-east-2c", "Public", "172.20.200.0/22"),
    ]


@given(prefix=st.integers(0, 255), count=st.integers(1, MAX_ZONES))
def test_subnet_plan_never_overlaps_and_stays_in_the_vpc(prefix, count):
    import ipaddress

    zones = ["zone-%d" % i for i in range(count)]
    nets = [ipaddress.ip_network(s["cidr"]) for s in subnet_plan(prefix, zones)]
    vpc = ipaddress.ip_network("172.%d.0.0/16" % prefix)
    assert all(net.subnet_of(vpc) for net in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1:])
    # Adding zones never moves the CIDRs of the zones already there.
    assert subnet_plan(prefix, zones)[:2] == subnet_plan(prefix, zones[:1])


@pytest.mark.parametrize("prefix,zones", [(300, ZONES), (20, []), (20, ["a"] * 7), (20, ["a", "a"])])
def test_subnet_plan_rejects(prefix, zones):
    with pytest.raises(PrereqsError):
        subnet_plan(prefix, zones)


def test_stack_parameters_are_explicit_strings():
    params = stack_parameters(20, subnet_plan(20, ZONES), "rehearsal")
    assert params["VpcCidr"] == "172.20.0.0/16"
    assert params["Zone3"] == "us-east-2c"
    assert params["PublicSubnet2Cidr"] == "172.20.196.0/22"
    assert len(params) == 2 + 3 * 3
    assert all(isinstance(value, str) for value in params.values())


@pytest.mark.parametrize("mode,nat_zones", [("per_zone", ZONES), ("single", ZONES[:1])])
def test_stack_facts_from_outputs(mode, nat_zones):
    outputs = load("stack_outputs.yml")
    facts = stack_facts(outputs, subnet_plan(20, ZONES), mode)
    assert facts["vpc_id"] == "vpc-f7b6407fb0af464c4"
    assert facts["vpc_cidr"] == "172.20.0.0/16"
    assert sorted(facts["nat_gateways"]) == nat_zones
    assert facts["subnets"][0] == {"zone": "us-east-2a", "type": "Private",
                                   "id": "subnet-51b89e8d0d6ea6276", "cidr": "172.20.0.0/19"}
    assert {s["type"] for s in facts["subnets"]} == {"Public", "Private"}


def test_stack_facts_names_a_missing_output():
    outputs = load("stack_outputs.yml")
    del outputs["PrivateSubnet2Id"]
    with pytest.raises(PrereqsError, match="PrivateSubnet2Id"):
        stack_facts(outputs, subnet_plan(20, ZONES), "per_zone")


def drifted(path, value, fixture="bucket_info.yml"):
    buckets = load(fixture)
    node = buckets[0]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return buckets


@pytest.mark.parametrize("buckets,expected", [
    (load("bucket_info.yml"), []),
    ([], ["bucket"]),
    (drifted(["bucket_versioning", "Status"], "Suspended"), ["versioning"]),
    (drifted(["bucket_encryption"], {}), ["encryption"]),
    (drifted(["public_access_block", "PublicAccessBlockConfiguration", "BlockPublicPolicy"], False),
     ["public_access"]),
    (drifted(["bucket_ownership_controls", "OwnershipControls", "Rules"],
             [{"ObjectOwnership": "ObjectWriter"}]), ["object_ownership"]),
    (drifted(["bucket_tagging"], {}), ["tags"]),
    # amazon.aws 11's shape (no wrapping keys)
    (load("bucket_info_11.yml"), []),
    (drifted(["bucket_encryption", "Rules"], [], "bucket_info_11.yml"), ["encryption"]),
    (drifted(["public_access_block", "BlockPublicPolicy"], False, "bucket_info_11.yml"), ["public_access"]),
    (drifted(["bucket_ownership_controls", "Rules"], [{"ObjectOwnership": "ObjectWriter"}], "bucket_info_11.yml"),
     ["object_ownership"]),
])
def test_bucket_drift(buckets, expected):
    assert bucket_drift(copy.deepcopy(buckets), {"Environment": "rehearsal"}) == expected
