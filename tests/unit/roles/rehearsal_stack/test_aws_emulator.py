# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's patches for kops update/delete cluster, asserted through boto3
against the emulator running as the rehearsal runs it (a subprocess on loopback).
Each assertion fails on moto 5.2.5 without its patch."""
import importlib.util
import os
import socket
import subprocess
import sys
import time
import uuid

import boto3
import botocore.config
import pytest
import yaml
from botocore.exceptions import ClientError

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
EMULATOR = os.path.join(ROOT, "roles", "rehearsal_stack", "files", "aws_emulator.py")
CHANNEL = os.path.join(ROOT, "roles", "kops_cluster", "files", "channels", "stable")
CANONICAL = "099720109477"
REGIONS = ["us-east-1", "eu-west-1"]
ARCHITECTURES = {"amd64": "x86_64", "arm64": "arm64"}  # channel architectureID -> EC2 Architecture


def load_emulator():
    spec = importlib.util.spec_from_file_location("aws_emulator", EMULATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def channel_canonical_images():
    """{name: architectureID} of the AWS images of Canonical's account the shipped channel names."""
    with open(CHANNEL) as handle:
        images = yaml.safe_load(handle)["spec"]["images"]
    return {image["name"]: image["architectureID"] for image in images
            if image["providerID"] == "aws" and image["name"].startswith(CANONICAL + "/")}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("emulator") / "aws.log"
    env = dict(os.environ, AWS_DEFAULT_REGION=REGIONS[0])
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, EMULATOR, "--host", "127.0.0.1", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "the emulator exited: " + log.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the emulator did not listen within 60s: " + log.read_text()
                time.sleep(0.2)
        yield "http://127.0.0.1:%d" % port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def client(endpoint):
    # No retries: moto's 500s fail at once.
    config = botocore.config.Config(retries={"max_attempts": 1})

    def make(service, region=REGIONS[0]):
        return boto3.client(service, endpoint_url=endpoint, region_name=region, config=config,
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    return make


def test_emulator_images_are_the_channels_canonical_images():
    emulator = load_emulator()
    channel = channel_canonical_images()
    assert sorted(emulator.CANONICAL_IMAGES) == sorted(channel)
    for name, architecture in channel.items():
        assert emulator.canonical_image(name, REGIONS[0])["architecture"] == ARCHITECTURES[architecture]


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("channel_name,architecture", [
    pytest.param(name, arch, id=name.rsplit("/", 1)[1]) for name, arch in sorted(channel_canonical_images().items())])
def test_describe_images_finds_the_channel_image(client, region, channel_name, architecture):
    owner, name = channel_name.split("/", 1)
    ec2 = client("ec2", region)
    images = ec2.describe_images(Owners=[owner], Filters=[{"Name": "name", "Values": [name]}])["Images"]
    assert len(images) == 1
    image = images[0]
    assert (image["Name"], image["OwnerId"], image["Architecture"]) == (name, owner, ARCHITECTURES[architecture])
    assert image["RootDeviceName"] == "/dev/sda1"
    assert (image["RootDeviceType"], image["VirtualizationType"]) == ("ebs", "hvm")
    assert image["EnaSupport"] is True
    assert image["State"] == "available"


def security_group(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    name = "sg-" + uuid.uuid4().hex[:8]
    return ec2.create_security_group(GroupName=name, Description="test", VpcId=vpc_id)["GroupId"]


@pytest.mark.parametrize("source", ["cidr", "group"])
def test_ip_in_ip_ingress_rule_is_added_listed_and_revoked(client, source):
    # kops' Calico rules: IP-in-IP (protocol 4) between the cluster's groups, no ports.
    ec2 = client("ec2")
    group_id = security_group(ec2)
    peer = {"cidr": {"IpRanges": [{"CidrIp": "10.20.0.0/16"}]},
            "group": {"UserIdGroupPairs": [{"GroupId": group_id}]}}[source]
    permission = dict(peer, IpProtocol="4")

    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[permission])

    by_group = [{"Name": "group-id", "Values": [group_id]}]
    rules = ec2.describe_security_group_rules(Filters=by_group)["SecurityGroupRules"]
    # -1 for "all ports", as kops compares it.
    assert [(r["IpProtocol"], r["FromPort"], r["ToPort"]) for r in rules if not r["IsEgress"]] == [("4", -1, -1)]
    ingress = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]["IpPermissions"]
    assert [(p["IpProtocol"], "FromPort" in p, "ToPort" in p) for p in ingress] == [("4", False, False)]

    ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=[permission])

    assert ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]["IpPermissions"] == []


def test_describe_warm_pool_of_a_missing_group_is_a_validation_error(client):
    with pytest.raises(ClientError) as raised:
        client("autoscaling").describe_warm_pool(AutoScalingGroupName="no-such-group")
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Code"] == "ValidationError"
    assert error["Error"]["Message"].startswith("AutoScalingGroup name not found")
    assert "no-such-group" in error["Error"]["Message"]


def test_delete_key_pair_by_id_deletes_it(client):
    ec2 = client("ec2")
    name = "kops-" + uuid.uuid4().hex[:8]
    key_pair_id = ec2.create_key_pair(KeyName=name)["KeyPairId"]

    ec2.delete_key_pair(KeyPairId=key_pair_id)

    assert name not in [key["KeyName"] for key in ec2.describe_key_pairs()["KeyPairs"]]


def test_efs_file_system_tags_are_described_created_and_deleted(client):
    efs = client("efs")
    file_system_id = efs.create_file_system(
        CreationToken="demo-" + uuid.uuid4().hex[:8], Encrypted=True,
        Tags=[{"Key": "Environment", "Value": "rehearsal"}])["FileSystemId"]

    efs.create_tags(FileSystemId=file_system_id, Tags=[{"Key": "Name", "Value": "efs"}])
    assert {t["Key"]: t["Value"] for t in efs.describe_tags(FileSystemId=file_system_id)["Tags"]} == {
        "Environment": "rehearsal", "Name": "efs"}

    efs.delete_tags(FileSystemId=file_system_id, TagKeys=["Name"])
    # The same tags as the newer API's.
    assert efs.list_tags_for_resource(ResourceId=file_system_id)["Tags"] == [
        {"Key": "Environment", "Value": "rehearsal"}]

    with pytest.raises(ClientError) as raised:
        efs.describe_tags(FileSystemId="fs-00000000")
    assert raised.value.response["Error"]["Code"] == "FileSystemNotFound"
