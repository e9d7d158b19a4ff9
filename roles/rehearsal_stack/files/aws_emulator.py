# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rehearsal AWS emulator: moto's server plus a few documented patches.

The roles do what is right on real AWS and never special-case the emulator.
Where moto (pinned in requirements.txt) behaves differently from AWS in a way
the talk depends on, a patch below reproduces the AWS behaviour. Each patch
is a function registered with @patch("<the AWS behaviour it reproduces>");
they are applied in order before the server starts, and listed at start-up
in the log. Delete a patch when the pinned moto does the right thing itself.

Usage: aws_emulator.py [--host 127.0.0.1] [--port 5055]
"""

import argparse
import sys

PATCHES = []


def patch(behaviour):
    """Register a patch; `behaviour` names the AWS behaviour it reproduces."""
    def register(func):
        PATCHES.append((behaviour, func))
        return func
    return register


def apply_patches():
    for behaviour, func in PATCHES:
        func()
        print("aws_emulator: patched: %s" % behaviour, flush=True)


# --- CloudFormation EC2 resources (aws_prereqs' VPC stack) -------------------
# moto's CloudFormation models create EC2 resources but drop some properties
# and cannot delete most of what they made. These patches touch only those
# models' CloudFormation hooks; the EC2 API itself is moto's.


def _ec2(account_id, region_name):
    from moto.ec2.models import ec2_backends

    return ec2_backends[account_id][region_name]


def _truthy(value):
    return str(value).lower() == "true"


@patch("CloudFormation applies the Tags property of route tables, internet gateways, NAT gateways and EIPs")
def cfn_ec2_resource_tags():
    from moto.cloudformation import parsing
    from moto.ec2.models.core import TaggedEC2Resource

    original = parsing.parse_and_create_resource

    def parse_and_create_resource(logical_id, resource_json, resources_map, account_id, region_name):
        resource = original(logical_id, resource_json, resources_map, account_id, region_name)
        tags = (resource_json.get("Properties") or {}).get("Tags")
        if isinstance(resource, TaggedEC2Resource) and isinstance(tags, list):
            tags = parsing.clean_json(tags, resources_map)
            resource.add_tags({tag["Key"]: tag["Value"] for tag in tags})
        return resource

    parsing.parse_and_create_resource = parse_and_create_resource


def _apply_cfn_properties(model, attributes):
    """After moto's CloudFormation creates a `model`, set each attribute from
    its property (attributes: {CloudFormation property: model attribute})."""
    original = model.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        resource = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        properties = cloudformation_json.get("Properties") or {}
        for prop, attr in attributes.items():
            if prop in properties:
                setattr(resource, attr, _truthy(properties[prop]))
        return resource

    model.create_from_cloudformation_json = classmethod(create)


@patch("CloudFormation applies EnableDnsSupport and EnableDnsHostnames of AWS::EC2::VPC")
def cfn_vpc_dns_attributes():
    from moto.ec2.models.vpcs import VPC

    _apply_cfn_properties(VPC, {"EnableDnsSupport": "enable_dns_support",
                                "EnableDnsHostnames": "enable_dns_hostnames"})


@patch("CloudFormation applies MapPublicIpOnLaunch of AWS::EC2::Subnet")
def cfn_subnet_map_public_ip():
    from moto.ec2.models.subnets import Subnet

    _apply_cfn_properties(Subnet, {"MapPublicIpOnLaunch": "map_public_ip_on_launch"})


@patch("AWS::EC2::SubnetRouteTableAssociation associates the subnet with the route table "
       "(DescribeRouteTables shows it)")
def cfn_subnet_route_table_association():
    from moto.ec2.models.subnets import SubnetRouteTableAssociation

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        association = cls(properties["RouteTableId"], properties["SubnetId"])
        association.association_id = _ec2(account_id, region_name).associate_route_table(
            properties["RouteTableId"], subnet_id=properties["SubnetId"])
        return association

    def delete(self, account_id, region_name):
        _ec2(account_id, region_name).disassociate_route_table(self.association_id)

    SubnetRouteTableAssociation.create_from_cloudformation_json = classmethod(create)
    # Ref of an association is its id (rtbassoc-...), as on AWS.
    SubnetRouteTableAssociation.physical_resource_id = property(
        lambda self: getattr(self, "association_id", None) or self.route_table_id)
    SubnetRouteTableAssociation.delete = delete


@patch("Deleting a stack deletes its routes, route tables, gateway attachments, internet gateways, "
       "NAT gateways and EIPs")
def cfn_delete_ec2_network_resources():
    # moto's stack delete calls resource.delete(account_id, region_name) and
    # retries in passes while dependencies (DependencyViolation) remain.
    from moto.ec2.models.elastic_ip_addresses import ElasticAddress
    from moto.ec2.models.internet_gateways import InternetGateway
    from moto.ec2.models.nat_gateways import NatGateway
    from moto.ec2.models.route_tables import Route
    from moto.ec2.models.route_tables import RouteTable
    from moto.ec2.models.vpn_gateway import VPCGatewayAttachment

    def delete_route(self, account_id, region_name):
        backend = _ec2(account_id, region_name)
        if self.route_table.id in backend.route_tables:  # gone with its table
            backend.delete_route(self.route_table.id, self.destination_cidr_block,
                                 self.destination_ipv6_cidr_block)

    def delete_route_table(self, account_id, region_name):
        _ec2(account_id, region_name).delete_route_table(self.id)

    def delete_attachment(self, account_id, region_name):
        backend = _ec2(account_id, region_name)
        if str(self.gateway_id).startswith("igw-"):
            backend.detach_internet_gateway(self.gateway_id, self.vpc_id)
        elif self.gateway_id:
            backend.detach_vpn_gateway(self.gateway_id, self.vpc_id)

    def delete_internet_gateway(self, account_id, region_name):
        _ec2(account_id, region_name).delete_internet_gateway(self.id)

    def delete_nat_gateway(self, account_id, region_name):
        # AWS releases the gateway's network interface and its EIP association.
        backend = _ec2(account_id, region_name)
        for eip in backend.addresses:
            if eip.eni is self._eni:
                backend.disassociate_address(address=eip.public_ip)
        backend.enis.pop(self._eni.id, None)
        backend.delete_nat_gateway(self.id)

    def delete_eip(self, account_id, region_name):
        backend = _ec2(account_id, region_name)
        if self in backend.addresses:
            backend.release_address(allocation_id=self.allocation_id)

    Route.delete = delete_route
    RouteTable.delete = delete_route_table
    VPCGatewayAttachment.delete = delete_attachment
    InternetGateway.delete = delete_internet_gateway
    NatGateway.delete = delete_nat_gateway
    ElasticAddress.delete = delete_eip


@patch("CreateChangeSet defaults ChangeSetType to UPDATE; a change set without changes is created FAILED "
       "('didn't contain changes'), not rejected")
def cfn_change_set_without_changes():
    # amazon.aws.cloudformation's check mode creates a change set without a
    # type; moto took it for CREATE (adding a second, REVIEW_IN_PROGRESS stack)
    # and refuses an UPDATE change set that changes nothing.
    from moto.cloudformation.responses import CloudFormationResponse

    original = CloudFormationResponse.create_change_set

    def create_change_set(self):
        get_param = self._get_param

        def _get_param(name, if_none=None):
            return get_param(name, "UPDATE" if name == "ChangeSetType" else if_none)

        self._get_param = _get_param
        self._validate_different_update = lambda *args, **kwargs: None
        try:
            return original(self)
        finally:
            del self._get_param
            del self._validate_different_update

    CloudFormationResponse.create_change_set = create_change_set


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the rehearsal emulator listens on loopback only, not %s" % args.host)
    from moto import server  # imported late: patches may need to run first

    apply_patches()
    server.main(["--host", args.host, "--port", str(args.port)])


if __name__ == "__main__":
    sys.exit(main())
