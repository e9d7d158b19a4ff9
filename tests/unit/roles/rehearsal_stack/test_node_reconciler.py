# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rehearsal's instance-to-node reconciler: which nodes kops' instances
become, which go when their instance goes, and which instance the real node
stands for (the pure plan; the API calls are the real ones, in molecule)."""

import importlib.util
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
SCRIPT = os.path.join(ROOT, "roles", "rehearsal_stack", "files", "node_reconciler.py")


def load():
    spec = importlib.util.spec_from_file_location("node_reconciler", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rec = load()
CLUSTER = "k8s.indydevops.example"
TEMPLATE = "k8s.io/cluster-autoscaler/node-template/label/"


def instance(iid, group, role, state="running", zone="us-east-2a", ip="172.20.0.5", launched="2026-11-28T18:00:00"):
    tags = {
        "kops.k8s.io/instancegroup": group,
        "KubernetesCluster": CLUSTER,
        TEMPLATE + "kops.k8s.io/instancegroup": group,
    }
    if role == "control-plane":
        tags.update(
            {
                "k8s.io/role/control-plane": "1",
                "k8s.io/role/master": "1",
                TEMPLATE + "node-role.kubernetes.io/control-plane": "",
                TEMPLATE + "kops.k8s.io/kops-controller-pki": "",
            }
        )
    elif role == "node":
        tags.update({"k8s.io/role/node": "1", TEMPLATE + "node-role.kubernetes.io/node": ""})
    else:
        tags.update({"k8s.io/role/bastion": "1"})
    return {
        "InstanceId": iid,
        "InstanceType": "t3.medium",
        "State": {"Name": state},
        "Placement": {"AvailabilityZone": zone},
        "PrivateIpAddress": ip,
        "PrivateDnsName": "ip-%s.ec2.internal" % ip.replace(".", "-"),
        "LaunchTime": launched,
        "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
    }


def node(name, managed=True, provider=""):
    labels = {"app.kubernetes.io/managed-by": rec.MANAGED_BY} if managed else {}
    return {"metadata": {"name": name, "labels": labels}, "spec": {"providerID": provider}}


CP = instance("i-0cp", "control-plane-us-east-2a", "control-plane")
N1 = instance("i-0n1", "nodes-us-east-2a", "node", ip="172.20.0.6")
N2 = instance("i-0n2", "nodes-us-east-2b", "node", zone="us-east-2b", ip="172.20.32.4", launched="2026-11-28T18:00:01")
BASTION = instance("i-0bastion", "bastions", "bastion")


def names(nodes):
    return [n["metadata"]["name"] for n in nodes]


def test_each_running_control_plane_and_worker_instance_becomes_a_node_the_bastion_does_not():
    changes = rec.plan([CP, N1, N2, BASTION], [], "us-east-2")
    assert names(changes["create"]) == ["i-0cp", "i-0n1", "i-0n2"]
    assert changes["delete"] == [] and changes["claim"] is None


def test_a_node_is_named_by_its_instance_with_kops_labels_provider_id_and_address():
    cp, worker = rec.plan([CP, N1], [], "us-east-2")["create"]
    assert cp["spec"]["providerID"] == "aws:///us-east-2a/i-0cp"
    assert cp["metadata"]["labels"]["kops.k8s.io/instancegroup"] == "control-plane-us-east-2a"
    assert "node-role.kubernetes.io/control-plane" in cp["metadata"]["labels"]
    assert "kops.k8s.io/kops-controller-pki" in cp["metadata"]["labels"]
    assert cp["spec"]["taints"] == [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
    assert cp["metadata"]["annotations"]["kwok.x-k8s.io/node"] == "fake"
    assert worker["metadata"]["labels"]["topology.kubernetes.io/zone"] == "us-east-2a"
    assert worker["metadata"]["labels"]["node.kubernetes.io/instance-type"] == "t3.medium"
    assert "node-role.kubernetes.io/node" in worker["metadata"]["labels"]
    assert worker["spec"]["taints"] == []
    assert {"type": "InternalIP", "address": "172.20.0.6"} in worker["status"]["addresses"]
    assert worker["status"]["capacity"] == {"cpu": "2", "memory": "4Gi", "pods": "110"}


def test_a_node_reports_the_kubelet_version_it_is_given_not_kwoks():
    (worker,) = rec.plan([N1], [], "us-east-2", kubelet_version="v1.36.3")["create"]
    assert worker["status"]["nodeInfo"]["kubeletVersion"] == "v1.36.3"


def test_with_a_real_node_the_simulated_ones_take_the_kwok_taint():
    (worker,) = rec.plan([N1], [], "us-east-2", simulated_taint=True)["create"]
    assert worker["spec"]["taints"] == [{"key": "kwok.x-k8s.io/node", "value": "fake", "effect": "NoSchedule"}]


def test_nodes_of_instances_that_are_gone_or_stopping_are_removed_and_others_left_alone():
    stopping = dict(N2, State={"Name": "shutting-down"})
    nodes = [node("i-0cp"), node("i-0n1"), node("i-0n2"), node("i-0old"), node("rehearsal-extra", managed=False)]
    changes = rec.plan([CP, N1, stopping], nodes, "us-east-2")
    assert changes["create"] == []
    assert changes["delete"] == ["i-0n2", "i-0old"]


def test_the_real_node_claims_the_first_launched_worker_which_gets_no_simulated_node():
    changes = rec.plan(
        [N2, CP, N1], [node("rehearsal-node-1", managed=False)], "us-east-2", real_node="rehearsal-node-1"
    )
    name, claimed = changes["claim"]
    assert (name, claimed["InstanceId"]) == ("rehearsal-node-1", "i-0n1")
    assert names(changes["create"]) == ["i-0cp", "i-0n2"]


def test_a_simulated_node_already_made_for_the_claimed_instance_is_removed():
    changes = rec.plan(
        [CP, N1],
        [node("rehearsal-node-1", managed=False), node("i-0n1"), node("i-0cp")],
        "us-east-2",
        real_node="rehearsal-node-1",
    )
    assert changes["claim"][1]["InstanceId"] == "i-0n1"
    assert changes["delete"] == ["i-0n1"]


def test_a_real_node_that_already_stands_for_an_instance_is_not_claimed_again():
    real = node("rehearsal-node-1", managed=False, provider="aws:///us-east-2a/i-0n1")
    changes = rec.plan([CP, N1, N2], [real, node("i-0cp"), node("i-0n2")], "us-east-2", real_node="rehearsal-node-1")
    assert (changes["create"], changes["delete"], changes["claim"]) == ([], [], None)


def test_without_a_registered_real_node_every_instance_is_simulated():
    changes = rec.plan([CP, N1], [], "us-east-2", real_node="rehearsal-node-1")
    assert names(changes["create"]) == ["i-0cp", "i-0n1"] and changes["claim"] is None


def test_a_control_plane_node_gets_the_static_pods_kops_validate_looks_for():
    pods = rec.static_pod_manifests("i-0cp")
    assert [p["metadata"]["labels"]["k8s-app"] for p in pods] == [
        "kube-apiserver",
        "kube-controller-manager",
        "kube-scheduler",
    ]
    assert all(p["spec"]["nodeName"] == "i-0cp" and p["spec"]["hostNetwork"] for p in pods)
    assert all(p["metadata"]["namespace"] == "kube-system" for p in pods)


def test_a_node_made_before_the_real_node_came_gets_the_simulated_taint():
    made = dict(node("i-0n1"), spec={"providerID": "aws:///us-east-2a/i-0n1", "taints": []})
    changes = rec.plan([N1], [made], "us-east-2", simulated_taint=True)
    assert changes["taints"] == {"i-0n1": [{"key": "kwok.x-k8s.io/node", "value": "fake", "effect": "NoSchedule"}]}
    # As the API returns it: its own key order, no value where none was set.
    made["spec"]["taints"] = [
        {"effect": "NoSchedule", "key": "kwok.x-k8s.io/node", "time_added": None, "value": "fake"}
    ]
    assert rec.plan([N1], [made], "us-east-2", simulated_taint=True)["taints"] == {}


def test_a_real_node_standing_for_a_gone_instance_is_released_and_nothing_claims_it():
    real = node("rehearsal-node-1", managed=False, provider="aws:///us-east-2a/i-0gone")
    changes = rec.plan([CP, N1], [real, node("i-0cp")], "us-east-2", real_node="rehearsal-node-1")
    assert changes["release"] == "rehearsal-node-1" and changes["claim"] is None
    assert names(changes["create"]) == ["i-0n1"]
