# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
import os

import pytest
import yaml

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.cluster_inspect import InspectError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.cluster_inspect import columns
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.cluster_inspect import event_rows
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.cluster_inspect import node_role
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.cluster_inspect import node_rows
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.cluster_inspect import pod_rows
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.cluster_inspect import table

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures")


def load(*path):
    with open(os.path.join(FIXTURES, *path)) as handle:
        return yaml.safe_load(handle)


CLUSTER = load("inspect", "cluster.yml")
KWOK = load("verify", "nodes_kwok.yml")


def test_nodes_show_role_instance_group_kubelet_readiness_and_kind():
    header, rows = node_rows(CLUSTER["nodes"])
    assert header == ["NODE", "ROLE", "INSTANCE GROUP", "KUBELET", "STATUS", "KIND"]
    assert rows == [
        ["i-0a1b", "control-plane", "control-plane-us-east-2a", "v1.36.3", "Ready", "real"],
        ["i-0b2c", "node", "nodes-us-east-2a", "v1.36.3", "Ready", "real"],
        ["kwok-node-0", "agent", "-", "fake", "NotReady,SchedulingDisabled", "simulated"],
    ]


def test_without_simulated_nodes_there_is_no_kind_column():
    header, rows = node_rows([n for n in CLUSTER["nodes"] if not n["metadata"]["name"].startswith("kwok")])
    assert "KIND" not in header and all(len(row) == 5 for row in rows)


@pytest.mark.parametrize("labels,role", [
    ({"node-role.kubernetes.io/control-plane": "", "node-role.kubernetes.io/master": ""}, "control-plane,master"),
    ({"kubernetes.io/role": "agent"}, "agent"),
    ({}, "<none>"),
    (None, "<none>"),
])
def test_node_role(labels, role):
    assert node_role({"metadata": {"labels": labels}}) == role


def test_pods_show_ready_status_and_node():
    header, rows = pod_rows(CLUSTER["pods"])
    assert header == ["POD", "READY", "STATUS", "NODE"]
    assert rows == [
        ["calico-kube-controllers-5f", "0/1", "Pending", "-"],
        ["ebs-csi-node-abcde", "1/2", "CrashLoopBackOff", "i-0b2c"],
        ["kube-dns-7d9c-x2v", "1/1", "Running", "i-0a1b"],
    ]


@pytest.mark.parametrize("pod,status", [
    ({"metadata": {"deletionTimestamp": "x"}, "status": {"phase": "Running"}}, "Terminating"),
    ({"status": {"phase": "Succeeded", "containerStatuses": [{"state": {"terminated": {"reason": "Completed"}}}]}},
     "Succeeded"),
    ({"status": {"phase": "Failed", "containerStatuses": [{"state": {"terminated": {"reason": "OOMKilled"}}}]}},
     "OOMKilled"),
    ({}, "Unknown"),
])
def test_pod_status_as_kubectl_prints_it(pod, status):
    assert pod_rows([pod])[1][0][2] == status


@pytest.mark.parametrize("last,reasons", [
    (0, []),
    (1, ["BackOff"]),
    (2, ["RegisteredNode", "BackOff"]),
    (4, ["Scheduled", "RegisteredNode", "BackOff"]),
    (10, ["Scheduled", "RegisteredNode", "BackOff"]),
])
def test_events_are_the_latest_oldest_first(last, reasons):
    assert [row[2] for row in event_rows(CLUSTER["events"], last)[1]] == reasons


def test_event_rows_read_both_event_apis():
    rows = event_rows(CLUSTER["events"], 3)[1]
    assert rows[1][3] == "node/i-0b2c"
    assert rows[2][:4] == ["2026-11-28T14:02:00Z", "Warning", "BackOff", "kube-system pod/ebs-csi-node-abcde"]
    assert "\n" not in rows[2][4] and rows[2][4].endswith("after 5 restarts")


@pytest.mark.parametrize("last", [-1, "3", True, None])
def test_a_bad_event_count_is_refused(last):
    with pytest.raises(InspectError, match="integer >= 0"):
        event_rows([], last)


def test_columns_align_and_cut_the_last_one():
    lines = columns(["A", "LONGER", "MSG"], [["xyz", "1", "m" * 30]], width=10)
    assert lines == ["A    LONGER  MSG", "xyz  1       mmmmmmm..."]


def test_the_table_is_compact_lines_with_a_heading_per_section():
    lines = table(CLUSTER["nodes"], CLUSTER["pods"], CLUSTER["events"], last=2, message_width=40)
    assert lines[0] == "Nodes: 3 (2 ready, 1 simulated)"
    assert lines[1].split() == ["NODE", "ROLE", "INSTANCE", "GROUP", "KUBELET", "STATUS", "KIND"]
    assert "Pods in kube-system: 3 (1 running)" in lines
    assert "Events: the last 2 of 3 (kubectl get events)" in lines
    assert len(lines) == 1 + 4 + 1 + 4 + 1 + 3
    assert all(isinstance(line, str) and "\n" not in line and len(line) < 160 for line in lines)


def test_the_rehearsal_nodes_are_all_simulated_and_an_empty_cluster_says_so():
    lines = table(KWOK, [], [], last=5)
    assert lines[0] == "Nodes: 2 (0 ready, 2 simulated)"
    assert lines[-4:] == ["Pods in kube-system: 0 (0 running)", "  (no pods)",
                          "Events: the last 0 of 0 (kubectl get events)", "  (no events)"]
