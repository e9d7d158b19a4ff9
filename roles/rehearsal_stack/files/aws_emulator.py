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
import hashlib
import re
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


# --- What kops update/delete cluster calls ------------------------------------

# The Canonical Ubuntu images that kops' stable channel names for AWS, exactly
# as in roles/kops_cluster/files/channels/stable (a unit test keeps the two
# equal; bump both with the kops pin). moto ships only older Canonical images.
CANONICAL_IMAGES = [
    "099720109477/ubuntu/images/hvm-ssd/ubuntu-focal-20.04-amd64-server-20250624",
    "099720109477/ubuntu/images/hvm-ssd/ubuntu-focal-20.04-arm64-server-20250624",
    "099720109477/ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20260410",
    "099720109477/ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20260410",
    "099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20260218",
    "099720109477/ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20260218",
]
_CANONICAL_NAME = re.compile(r"ubuntu-(?P<codename>[a-z]+)-(?P<version>[0-9.]+)-(?P<arch>amd64|arm64)-server-"
                             r"(?P<serial>[0-9]{8})$")
_ARCHITECTURES = {"amd64": "x86_64", "arm64": "arm64"}


def canonical_image(channel_name, region_name):
    """DescribeImages' fields of a channel image ("<owner>/<name>") in a region."""
    owner, name = channel_name.split("/", 1)
    parts = _CANONICAL_NAME.search(name).groupdict()
    serial = parts["serial"]
    return {
        # AMI ids are regional; stable across restarts of the emulator.
        "ami_id": "ami-" + hashlib.sha256(("%s/%s" % (region_name, channel_name)).encode()).hexdigest()[:17],
        "name": name,
        "owner_id": owner,
        "description": "Canonical, Ubuntu, %s, %s %s image" % (parts["version"], parts["arch"], parts["codename"]),
        "architecture": _ARCHITECTURES[parts["arch"]],
        "image_location": channel_name,
        "creation_date": "%s-%s-%sT00:00:00.000Z" % (serial[:4], serial[4:6], serial[6:]),
        "public": True,
        "virtualization_type": "hvm",
        "hypervisor": "xen",
        "root_device_type": "ebs",
        "root_device_name": "/dev/sda1",
        "sriov": "simple",
    }


@patch("DescribeImages finds the Canonical Ubuntu images of kops' stable channel (owner 099720109477) in every region")
def canonical_ubuntu_images():
    from moto import settings
    from moto.core.parse import default_timestamp_parser
    from moto.ec2.models.amis import Ami
    from moto.ec2.models.amis import AmiBackend

    original = AmiBackend._load_amis

    def _load_amis(self):
        original(self)
        if not settings.ec2_load_default_amis():  # moto's switch for its own public images
            return
        for channel_name in CANONICAL_IMAGES:
            fields = canonical_image(channel_name, self.region_name)
            fields["creation_date"] = default_timestamp_parser(fields["creation_date"])
            image = Ami(self, **fields)
            image.ena_support = True
            self.amis[image.id] = image

    AmiBackend._load_amis = _load_amis


# Protocols whose rules carry ports (names and numbers); any other protocol
# allows all ports, and its rules have none.
_PORT_PROTOCOLS = {"tcp", "6", "udp", "17", "icmp", "1", "icmpv6", "58"}


@patch("Security group rules of a protocol without ports (IP-in-IP '4') are authorized, listed and revoked "
       "without FromPort/ToPort")
def security_group_rules_without_ports():
    # moto converts FromPort/ToPort to int for every protocol but -1 (which it
    # handles), so a protocol-4 rule without ports, as kops' Calico rules are,
    # failed with a 500.
    from moto.ec2.models.security_groups import SecurityGroupRule

    original = SecurityGroupRule.__init__

    def __init__(self, ec2_backend, ip_protocol, group_id, from_port, to_port, *args, **kwargs):
        portless = from_port is None and to_port is None and str(ip_protocol).lower() not in _PORT_PROTOCOLS
        if portless:
            from_port = to_port = -1
        original(self, ec2_backend, ip_protocol, group_id, from_port, to_port, *args, **kwargs)
        if portless:
            # DescribeSecurityGroups shows no ports; DescribeSecurityGroupRules shows -1 (moto does that).
            self.from_port = self.to_port = None

    SecurityGroupRule.__init__ = __init__


@patch("DescribeWarmPool of a missing Auto Scaling group is a ValidationError (400) "
       "'AutoScalingGroup name not found - No such Auto Scaling group: <name>'")
def warm_pool_of_missing_group():
    # kops' WarmPool task takes a ValidationError for "no warm pool yet".
    from moto.autoscaling.exceptions import ValidationError
    from moto.autoscaling.models import AutoScalingBackend

    original = AutoScalingBackend.describe_warm_pool

    def describe_warm_pool(self, group_name):
        if group_name not in self.autoscaling_groups:
            raise ValidationError("AutoScalingGroup name not found - No such Auto Scaling group: %s" % group_name)
        return original(self, group_name)

    AutoScalingBackend.describe_warm_pool = describe_warm_pool


@patch("DeleteKeyPair by KeyPairId deletes the key pair")
def delete_key_pair_by_id():
    # moto reads only KeyName; kops delete cluster deletes its SSH key by id.
    from moto.ec2.responses.key_pairs import KeyPairs

    original = KeyPairs.delete_key_pair

    def delete_key_pair(self):
        key_pair_id = self._get_param("KeyPairId")
        if not key_pair_id or self._get_param("KeyName"):
            return original(self)
        names = [key.key_name for key in self.ec2_backend.key_pairs.values() if key.id == key_pair_id]
        get_param = self._get_param

        def _get_param(name, if_none=None):
            if name == "KeyName":
                return names[0] if names else if_none
            return get_param(name, if_none)

        self._get_param = _get_param
        try:
            return original(self)
        finally:
            del self._get_param

    KeyPairs.delete_key_pair = delete_key_pair


@patch("EFS answers the file-system tag API community.aws.efs uses (DescribeTags, CreateTags, DeleteTags "
       "on /2015-02-01/tags|create-tags|delete-tags/<FileSystemId>), kept in the same tags as TagResource")
def efs_file_system_tags():
    # moto implements TagResource/ListTagsForResource only; the older, still
    # served calls answered NotImplementedError (a 500) to every efs task.
    import json

    from moto.efs.exceptions import FileSystemNotFound
    from moto.efs import urls
    from moto.efs.responses import EFSResponse

    def _file_system_id(self):
        file_system_id = self._get_param("FileSystemId") or self.path.rstrip("/").rsplit("/", 1)[-1]
        if file_system_id not in self.efs_backend.file_systems_by_id:
            raise FileSystemNotFound(file_system_id)
        return file_system_id

    def describe_tags(self):
        tags = self.efs_backend.list_tags_for_resource(_file_system_id(self))
        return json.dumps({"Tags": tags}), {"Content-Type": "application/json"}

    def create_tags(self):
        tags = {tag["Key"]: tag.get("Value") for tag in self._get_param("Tags") or []}
        self.efs_backend.tag_resource(_file_system_id(self), tags)
        return "", {"status": 204}

    def delete_tags(self):
        self.efs_backend.untag_resource(_file_system_id(self), self._get_param("TagKeys") or [])
        return "", {"status": 204}

    EFSResponse.describe_tags = describe_tags
    EFSResponse.create_tags = create_tags
    EFSResponse.delete_tags = delete_tags
    for path in ("tags/<file_system_id>/", "create-tags/<file_system_id>", "delete-tags/<file_system_id>"):
        urls.url_paths["/2015-02-01/" + path] = urls.response.dispatch


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
