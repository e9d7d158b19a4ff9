# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import os

import pytest
import yaml
from ansible_collections.indydevops.k8s_talk.plugins.modules import kops_instance_groups
from conftest import ModuleFail

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "kops")


def read(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


ARGS = {"instance_groups": read("instancegroups-kops-v1.36.2.stream"), "min_size": 2, "max_size": 4}


@pytest.mark.parametrize("check_mode", [True, False])
def test_changed_then_idempotent(run_module, check_mode):
    first = run_module(kops_instance_groups, ARGS, check_mode=check_mode)
    assert first["changed"] is True
    assert first["changed_groups"] == ["nodes-us-east-2a", "nodes-us-east-2c"]
    assert first["sizes"]["nodes-us-east-2a"] == {"min": 1, "max": 2}
    assert "diff" not in first
    replaced = read("instancegroups-kops-v1.36.2-replaced.stream")
    again = run_module(kops_instance_groups, dict(ARGS, instance_groups=replaced), check_mode=check_mode)
    assert again["changed"] is False and again["changed_yaml"] == ""


def test_diff_shows_only_the_changed_groups(run_module):
    result = run_module(kops_instance_groups, ARGS, diff=True)
    before = list(yaml.safe_load_all(result["diff"]["before"]))
    after = list(yaml.safe_load_all(result["diff"]["after"]))
    assert [d["metadata"]["name"] for d in before] == ["nodes-us-east-2a", "nodes-us-east-2c"]
    assert [d["spec"]["maxSize"] for d in before] == [1, 0]
    assert [d["spec"]["maxSize"] for d in after] == [2, 1]


def test_bad_bounds_fail_with_the_reason(run_module):
    with pytest.raises(ModuleFail, match=r"max_size \(1\) is smaller than min_size \(2\)"):
        run_module(kops_instance_groups, dict(ARGS, max_size=1))
