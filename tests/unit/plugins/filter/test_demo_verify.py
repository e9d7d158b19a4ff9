# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


import copy
import os

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from ansible_collections.indydevops.k8s_talk.plugins.filter.demo_verify import (
    FilterModule,
    daemonset_nodes,
    verify_depth,
    verify_report,
)
from hypothesis import given
from hypothesis import strategies as st

FIXTURES = os.path.join(
    os.path.dirname(__file__), "..", "..", "fixtures", "demo_verify"
)


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return yaml.safe_load(handle)


@pytest.mark.parametrize(
    "nodes, expected",
    [
        (fixture("nodes_kwok.yml"), "object"),
        (fixture("nodes_kind.yml"), "runtime"),
        (fixture("nodes_kind.yml") + fixture("nodes_kwok.yml")[:1], "object"),
        ([], "runtime"),
        (None, "runtime"),
    ],
    ids=["kwok", "kind", "mixed", "no-nodes", "none"],
)
def test_verify_depth(nodes, expected):
    assert verify_depth(nodes) == expected


def test_verify_depth_needs_the_annotation_value_fake():
    node = {"metadata": {"name": "n", "annotations": {"kwok.x-k8s.io/node": "real"}}}
    assert verify_depth([node]) == "runtime"


def test_verify_depth_rejects_a_non_list():
    with pytest.raises(AnsibleFilterError):
        verify_depth({"metadata": {}})


def test_report_at_object_depth_marks_runtime_checks_not_run():
    report = verify_report(fixture("checks_hello_object.yml"), "object", title="Hello")
    assert (report["passed"], report["failed"], report["not_run"]) == (2, 0, 1)
    assert report["lines"][0].startswith("Hello, verified at object depth")
    assert report["lines"][3].split()[:2] == ["NOT", "RUN"]
    assert "needs runtime depth" in report["lines"][3]
    assert report["lines"][-1] == "2 passed, 0 failed, 1 not run"
    assert report["failures"] == []


def test_report_never_passes_a_runtime_check_at_object_depth_even_if_ok():
    checks = [{"name": "logs", "depth": "runtime", "ok": True}]
    report = verify_report(checks, "object")
    assert (report["passed"], report["not_run"]) == (0, 1)


@pytest.mark.parametrize(
    "check, status",
    [
        ({"name": "a", "ok": True}, "passed"),
        ({"name": "a", "ok": "true"}, "passed"),
        ({"name": "a", "ok": False}, "failed"),
        ({"name": "a", "ok": "False"}, "failed"),
        ({"name": "a", "depth": "runtime", "ok": True}, "passed"),
        ({"name": "a", "depth": "runtime", "ok": False}, "failed"),
        ({"name": "a", "ok": None, "reason": "no load balancer controller"}, "not_run"),
    ],
)
def test_report_status_at_runtime_depth(check, status):
    report = verify_report([check], "runtime")
    assert report[status] == 1
    assert sum(report[key] for key in ("passed", "failed", "not_run")) == 1


def test_report_not_run_line_carries_the_reason():
    report = verify_report(
        [{"name": "DNS", "ok": None, "reason": "target is rehearsal"}], "runtime"
    )
    assert report["lines"][1] == "  NOT RUN  DNS: target is rehearsal"


def test_report_lists_failures_with_detail():
    report = verify_report(
        [{"name": "Job pi is Complete", "ok": False, "detail": "0 succeeded"}], "object"
    )
    assert report["failures"] == ["FAILED   Job pi is Complete: 0 succeeded"]


@pytest.mark.parametrize(
    "checks, depth",
    [
        ([], "object"),
        ("not a list", "object"),
        ([{"ok": True}], "object"),
        ([{"name": "a", "ok": True}], "deep"),
        ([{"name": "a", "ok": True, "depth": "deep"}], "object"),
        ([{"name": "a", "ok": None}], "object"),
        ([{"name": "a", "ok": "maybe"}], "object"),
    ],
    ids=[
        "empty",
        "not-a-list",
        "no-name",
        "bad-depth",
        "bad-check-depth",
        "no-reason",
        "not-bool",
    ],
)
def test_report_rejects_malformed_input(checks, depth):
    with pytest.raises(AnsibleFilterError):
        verify_report(checks, depth)


check_strategy = st.fixed_dictionaries(
    {
        "name": st.text(min_size=1, max_size=20),
        "depth": st.sampled_from(["object", "runtime"]),
        "ok": st.booleans(),
    }
)


@given(
    st.lists(check_strategy, min_size=1, max_size=10),
    st.sampled_from(["object", "runtime"]),
)
def test_report_accounts_for_every_check_and_leaves_input_alone(checks, depth):
    before = copy.deepcopy(checks)
    report = verify_report(checks, depth)
    assert checks == before
    assert report["passed"] + report["failed"] + report["not_run"] == len(checks)
    assert len(report["lines"]) == len(checks) + 2
    if depth == "object":
        assert report["not_run"] == sum(
            1 for check in checks if check["depth"] == "runtime"
        )
    assert verify_report(checks, depth) == report


@pytest.mark.parametrize(
    "fixture_name, selector, tolerations, expected",
    [
        ("nodes_kwok.yml", {"kubernetes.io/os": "linux"}, [], ["kwok-node-0"]),
        (
            "nodes_kwok.yml",
            {"kubernetes.io/os": "linux"},
            [{"operator": "Exists"}],
            ["kwok-node-0", "kwok-node-1"],
        ),
        (
            "nodes_kwok.yml",
            None,
            [{"key": "kwok.x-k8s.io/node", "value": "fake", "effect": "NoSchedule"}],
            ["kwok-node-0", "kwok-node-1"],
        ),
        (
            "nodes_kwok.yml",
            None,
            [{"key": "kwok.x-k8s.io/node", "value": "real"}],
            ["kwok-node-0"],
        ),
        (
            "nodes_kwok.yml",
            None,
            [
                {
                    "key": "kwok.x-k8s.io/node",
                    "effect": "NoExecute",
                    "operator": "Exists",
                }
            ],
            ["kwok-node-0"],
        ),
        ("nodes_kwok.yml", {"type": "real"}, [{"operator": "Exists"}], []),
        ("nodes_kind.yml", {"kubernetes.io/os": "linux"}, [], ["kind-worker"]),
        (
            "nodes_kind.yml",
            {"kubernetes.io/os": "linux"},
            [
                {
                    "key": "node-role.kubernetes.io/control-plane",
                    "operator": "Exists",
                    "effect": "NoSchedule",
                }
            ],
            ["kind-control-plane", "kind-worker"],
        ),
    ],
)
def test_daemonset_nodes(fixture_name, selector, tolerations, expected):
    assert daemonset_nodes(fixture(fixture_name), selector, tolerations) == expected


def test_daemonset_nodes_tolerates_what_the_controller_tolerates():
    node = {
        "metadata": {"name": "cordoned"},
        "spec": {
            "unschedulable": True,
            "taints": [
                {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}
            ],
        },
    }
    assert daemonset_nodes([node]) == ["cordoned"]


def test_daemonset_nodes_ignores_prefer_no_schedule():
    node = {
        "metadata": {"name": "n"},
        "spec": {"taints": [{"key": "k", "effect": "PreferNoSchedule"}]},
    }
    assert daemonset_nodes([node]) == ["n"]


def test_filters_are_registered():
    assert set(FilterModule().filters()) == {
        "verify_depth",
        "verify_report",
        "daemonset_nodes",
    }
