# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's CloudFormation template, rendered for every shape, passes cfn-lint."""
import os
import shutil
import subprocess
import sys

import jinja2
import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
TEMPLATE = os.path.join(ROOT, "roles", "aws_prereqs", "templates", "vpc.cfn.yml.j2")


class CfnLoader(yaml.SafeLoader):
    """Reads the short-form intrinsic functions (!Ref, !Sub, !GetAtt)."""


CfnLoader.add_multi_constructor("!", lambda loader, suffix, node: {suffix: loader.construct_scalar(node)})


def render(zones, mode):
    # trim_blocks as Ansible's template lookup renders it.
    env = jinja2.Environment(trim_blocks=True, undefined=jinja2.StrictUndefined)
    with open(TEMPLATE) as handle:
        return env.from_string(handle.read()).render(
            aws_prereqs_zone_count=zones, aws_prereqs_nat_gateway_mode=mode)


def cfn_lint():
    exe = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
    return exe if os.path.exists(exe) else shutil.which("cfn-lint")


@pytest.mark.parametrize("zones", [1, 3, 6])
@pytest.mark.parametrize("mode", ["per_zone", "single"])
def test_rendered_template_passes_cfn_lint(tmp_path, zones, mode):
    if not cfn_lint():
        pytest.skip("cfn-lint is not installed (requirements-dev.txt)")
    path = tmp_path / ("vpc-%d-%s.yml" % (zones, mode))
    path.write_text(render(zones, mode))
    result = subprocess.run([cfn_lint(), str(path)], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("zones,mode,nats", [(3, "per_zone", 3), (3, "single", 1), (1, "per_zone", 1)])
def test_template_shape(zones, mode, nats):
    doc = yaml.load(render(zones, mode), Loader=CfnLoader)
    resources = doc["Resources"]
    types = [r["Type"] for r in resources.values()]
    assert types.count("AWS::EC2::Subnet") == 2 * zones
    assert types.count("AWS::EC2::NatGateway") == nats
    assert types.count("AWS::EC2::SubnetRouteTableAssociation") == 2 * zones
    # Every parameter is a scalar: no List<...>/CommaDelimitedList (a re-run must compare equal).
    assert all("List" not in p["Type"] for p in doc["Parameters"].values())
    assert resources["Vpc"]["Properties"]["EnableDnsHostnames"] is True
    for name, res in resources.items():
        if res["Type"] == "AWS::EC2::Subnet":
            tags = {t["Key"]: t["Value"] for t in res["Properties"]["Tags"]}
            kind = "Public" if name.startswith("Public") else "Private"
            assert tags["Network"] == kind
            assert "Environment" in tags
            elb = "kubernetes.io/role/elb" if kind == "Public" else "kubernetes.io/role/internal-elb"
            assert elb in tags
            assert res["Properties"].get("MapPublicIpOnLaunch", False) is (kind == "Public")
