# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import os
from unittest import mock

import pytest
import yaml
from ansible.module_utils import basic
from ansible_collections.indydevops.k8s_talk.plugins.modules import kops_cluster_spec
from conftest import ModuleFail

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "kops")


def read(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


FACTS = yaml.safe_load(read("subnets-us-east-2.yaml"))
ARGS = {"spec": read("cluster-v1alpha3.yaml"), "subnets": FACTS["subnets"], "network_id": FACTS["vpc_id"]}


# The amazon.aws habit: check mode, real, idempotent check mode, idempotent real.
@pytest.mark.parametrize("check_mode", [True, False])
def test_changed_then_idempotent(run_module, check_mode):
    first = run_module(kops_cluster_spec, ARGS, check_mode=check_mode)
    assert first["changed"] is True
    assert first["bugfix_applied"] is False
    assert first["spec"]["spec"]["networking"]["networkID"] == FACTS["vpc_id"]
    assert yaml.safe_load(first["spec_yaml"])["spec"]["networking"]["subnets"][1]["egress"] == \
        "nat-0ccc0000000000001"
    assert "diff" not in first
    again = run_module(kops_cluster_spec, dict(ARGS, spec=first["spec_yaml"]), check_mode=check_mode)
    assert again["changed"] is False
    assert again["spec_yaml"] == first["spec_yaml"]
    as_dict = run_module(kops_cluster_spec, dict(ARGS, spec=first["spec"]), check_mode=check_mode)
    assert as_dict["changed"] is False


def test_diff_mode_returns_before_and_after(run_module):
    result = run_module(kops_cluster_spec, ARGS, diff=True)
    assert set(result["diff"]) == {"before", "after"}
    assert "networkID" not in result["diff"]["before"]
    assert "networkID: " + FACTS["vpc_id"] in result["diff"]["after"]


def test_2017_spec_gets_the_bugfix(run_module):
    result = run_module(kops_cluster_spec, dict(ARGS, spec=read("cluster-2017-v1.7.5.yaml")))
    assert result["bugfix_applied"] is True
    assert result["spec"]["spec"]["kubeAPIServer"]["runtimeConfig"] == {"batch/v2alpha1": "true"}
    assert result["spec"]["spec"]["networkID"] == FACTS["vpc_id"]


def test_runtime_config_booleans_become_strings(run_module):
    result = run_module(kops_cluster_spec, dict(ARGS, runtime_config={"apps/v1alpha1": True}))
    assert result["spec"]["spec"]["kubeAPIServer"]["runtimeConfig"] == {"apps/v1alpha1": "true"}


def test_removing_the_flag_on_a_modern_cluster_warns(run_module):
    doc = yaml.safe_load(read("cluster-v1alpha3.yaml"))
    doc["spec"]["kubeAPIServer"] = {"runtimeConfig": {"batch/v2alpha1": "true"}}
    with mock.patch.object(basic.AnsibleModule, "warn") as warn:
        result = run_module(kops_cluster_spec, {"spec": yaml.safe_dump(doc)})
    assert result["changed"] is True
    assert "kubeAPIServer" not in result["spec"]["spec"]
    assert "batch/v2alpha1" in warn.call_args.args[0]


@pytest.mark.parametrize("args, message", [
    ({"batch_api_bugfix": "always"}, "removed in 1.21"),
    ({"spec": "kind: Pod\n"}, "kind: Cluster"),
    ({"subnets": [dict(FACTS["subnets"][0], egress="nat-0abc")]}, "only allowed on Private"),
    ({"subnets": [dict(FACTS["subnets"][0], cidr="10.9.0.0/24")]}, "not inside the network CIDR"),
    ({"subnets": [{"name": "a", "type": "Private", "zone": "z"}]}, "missing required arguments: cidr"),
    ({"subnets": [dict(FACTS["subnets"][0], type="Dmz")]}, "value of type must be one of"),
    ({"batch_api_bugfix": "maybe"}, "value of batch_api_bugfix must be one of"),
])
def test_failures_have_actionable_messages(run_module, args, message):
    with pytest.raises(ModuleFail, match=message) as failure:
        run_module(kops_cluster_spec, dict(ARGS, **args))
    assert failure.value.result["failed"] is True


def test_cluster_autoscaler_is_passed_through(run_module):
    result = run_module(kops_cluster_spec, dict(ARGS, cluster_autoscaler={"enabled": True}))
    assert result["spec"]["spec"]["clusterAutoscaler"] == {"enabled": True}
    with pytest.raises(ModuleFail, match="cluster_autoscaler.enabled"):
        run_module(kops_cluster_spec, dict(ARGS, cluster_autoscaler={"expander": "random"}))
