# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""kops_subnets_info against moto's in-process EC2 (the AWS boundary, faked)."""

import boto3
import pytest
from ansible_collections.indydevops.k8s_talk.plugins.modules import kops_subnets_info
from conftest import ModuleFail
from moto import mock_aws

REGION = "us-east-2"
CREDS = {"region": REGION, "access_key": "testing", "secret_key": "testing"}


def build_vpc(ec2, environment, zones, nat="per_zone", second_octet=20):
    """The aws_prereqs layout: public + private subnet per zone, NAT egress."""
    def spec(kind, **kw):
        return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in kw.items()]}]

    vpc = ec2.create_vpc(CidrBlock=f"172.{second_octet}.0.0/16",
                         TagSpecifications=spec("vpc", Environment=environment))["Vpc"]["VpcId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    expected, nat_id = [], None
    for index, zone in enumerate(zones):
        public = ec2.create_subnet(
            VpcId=vpc, AvailabilityZone=zone, CidrBlock=f"172.{second_octet}.{4 * index}.0/22",
            TagSpecifications=spec("subnet", Network="Public", Environment=environment))["Subnet"]
        private = ec2.create_subnet(
            VpcId=vpc, AvailabilityZone=zone, CidrBlock=f"172.{second_octet}.{32 * (index + 1)}.0/19",
            TagSpecifications=spec("subnet", Network="Private", Environment=environment))["Subnet"]
        ec2.associate_route_table(RouteTableId=public_rt, SubnetId=public["SubnetId"])
        if nat_id is None or nat == "per_zone":
            eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
            gateway = ec2.create_nat_gateway(SubnetId=public["SubnetId"], AllocationId=eip)
            nat_id = gateway["NatGateway"]["NatGatewayId"]
        private_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=private_rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat_id)
        ec2.associate_route_table(RouteTableId=private_rt, SubnetId=private["SubnetId"])
        expected.append({"name": f"utility-{zone}", "type": "Utility", "zone": zone,
                         "cidr": public["CidrBlock"], "id": public["SubnetId"]})
        expected.append({"name": zone, "type": "Private", "zone": zone, "cidr": private["CidrBlock"],
                         "id": private["SubnetId"], "egress": nat_id})
    return vpc, expected


@pytest.fixture
def ec2(monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        yield boto3.client("ec2", region_name=REGION, aws_access_key_id="testing",
                           aws_secret_access_key="testing")


@pytest.mark.parametrize("nat", ["per_zone", "single"])
@pytest.mark.parametrize("check_mode", [False, True])
def test_finds_the_vpc_by_tags(run_module, ec2, nat, check_mode):
    zones = ["us-east-2c", "us-east-2a", "us-east-2b"]
    vpc, expected = build_vpc(ec2, "rehearsal", zones, nat=nat)
    build_vpc(ec2, "production", ["us-east-2a"], second_octet=30)
    result = run_module(kops_subnets_info, dict(CREDS, vpc_tags={"Environment": "rehearsal"}),
                        check_mode=check_mode)
    assert result["changed"] is False
    assert result["vpc_id"] == vpc
    assert result["vpc_cidr"] == "172.20.0.0/16"
    assert result["subnets"] == sorted(expected, key=lambda s: (s["zone"], s["type"] != "Utility"))
    assert len({s["egress"] for s in result["subnets"] if "egress" in s}) == (3 if nat == "per_zone" else 1)


def test_finds_the_vpc_by_id_and_returns_an_empty_list_without_tagged_subnets(run_module, ec2):
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    result = run_module(kops_subnets_info, dict(CREDS, vpc_id=vpc))
    assert result["subnets"] == []
    assert result["vpc_cidr"] == "10.1.0.0/16"


@pytest.mark.parametrize("args, message", [
    ({"vpc_tags": {"Environment": "nowhere"}}, "no VPC matches tags Environment=nowhere"),
    ({"vpc_id": "vpc-0123456789abcdef0"}, "no VPC matches id vpc-0123456789abcdef0"),
    ({}, "one of the following is required: vpc_id, vpc_tags"),
    ({"vpc_id": "vpc-1", "vpc_tags": {"A": "b"}}, "mutually exclusive"),
])
def test_failures(run_module, ec2, args, message):
    with pytest.raises(ModuleFail, match=message):
        run_module(kops_subnets_info, dict(CREDS, **args))


def test_private_subnet_without_nat_route_fails(run_module, ec2):
    vpc, expected = build_vpc(ec2, "rehearsal", ["us-east-2a"])
    associated = {"Name": "association.subnet-id", "Values": [expected[1]["id"]]}
    tables = ec2.describe_route_tables(Filters=[associated])
    ec2.delete_route(RouteTableId=tables["RouteTables"][0]["RouteTableId"], DestinationCidrBlock="0.0.0.0/0")
    with pytest.raises(ModuleFail, match="no default route through a NAT gateway"):
        run_module(kops_subnets_info, dict(CREDS, vpc_id=vpc))
