# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
import copy
import os

import pytest
import yaml

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_summary import SummaryError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_summary import cost_items
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_summary import cost_lines
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_summary import demo_lines
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_summary import demo_outcome
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_summary import summary

HERE = os.path.dirname(__file__)
ROOT = os.path.join(HERE, "..", "..", "..", "..")


def load(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


REPORTS = load(os.path.join(HERE, "..", "..", "fixtures", "summary", "reports.yml"))
PRICES = load(os.path.join(ROOT, "roles", "summary", "vars", "prices.yml"))["__summary_price_table"]
KOPS = load(os.path.join(ROOT, "roles", "kops_cluster", "defaults", "main.yml"))
# The talk's defaults: 1 t3.medium control plane (32 GiB), 2 t3.medium nodes (64 GiB),
# a t3.micro bastion (32 GiB), 2 x 20 GiB etcd volumes, 3 NAT gateways, API and bastion NLBs.
TALK = {
    "control_plane": {"count": 1, "type": "t3.medium", "root_gib": 32},
    "nodes": {"count": 2, "type": "t3.medium", "root_gib": 64},
    "bastion": {"count": 1, "type": "t3.micro", "root_gib": 32},
    "etcd_volumes_per_control_plane": 2,
    "etcd_volume_gib": 20,
    "nat_gateways": 3,
    "load_balancers": {"network": 2, "classic": 0},
    "efs_gib": 1,
}


def test_the_talk_sizing_is_the_kops_cluster_defaults():
    assert (TALK["control_plane"]["count"], TALK["control_plane"]["type"], TALK["control_plane"]["root_gib"]) == (
        KOPS["kops_cluster_control_plane_count"], KOPS["kops_cluster_control_plane_size"],
        KOPS["kops_cluster_control_plane_volume_size"])
    assert (TALK["nodes"]["count"], TALK["nodes"]["type"], TALK["nodes"]["root_gib"]) == (
        KOPS["kops_cluster_node_count"], KOPS["kops_cluster_node_size"], KOPS["kops_cluster_node_volume_size"])


def test_the_price_table_is_dated_and_prices_every_default_size():
    assert str(PRICES["date"]) == "2026-11-28" and PRICES["region"] == "us-east-1"
    for size in (KOPS["kops_cluster_control_plane_size"], KOPS["kops_cluster_node_size"], "t3.micro"):
        assert PRICES["instance_hourly"][size] > 0


def test_the_talk_costs_what_its_parts_cost():
    items, unpriced = cost_items(TALK, PRICES)
    hourly = dict((item["what"], item["hourly"]) for item in items)
    assert unpriced == []
    assert hourly["control plane t3.medium"] == pytest.approx(0.0416)
    assert hourly["nodes t3.medium"] == pytest.approx(2 * 0.0416)
    assert hourly["bastion t3.micro"] == pytest.approx(0.0104)
    assert hourly["NAT gateways"] == pytest.approx(3 * 0.045)
    assert hourly["public IPv4 (NAT)"] == pytest.approx(3 * 0.005)
    assert hourly["network load balancers"] == pytest.approx(2 * 0.0225)
    assert "classic load balancers" not in hourly
    # 32 + 2 * 64 + 32 root GiB + 2 * 20 etcd GiB = 232 GiB of gp3.
    assert hourly["EBS GiB (root, etcd)"] == pytest.approx(232 * 0.08 / 730)
    lines, total = cost_lines(TALK, PRICES)
    assert hourly["EFS GiB (Standard)"] == pytest.approx(0.30 / 730)
    assert total == pytest.approx(0.0416 * 3 + 0.0104 + 0.135 + 0.015 + 0.045 + 232 * 0.08 / 730 + 0.30 / 730,
                                  abs=1e-4)
    assert lines[0].startswith("AWS cost estimate: about USD 0.36 per hour")
    assert "2026-11-28" in lines[0] and "Prices change" in lines[-1]


@pytest.mark.parametrize("change,delta", [
    ({"nodes": {"count": 5, "type": "t3.medium", "root_gib": 64}}, 3 * (0.0416 + 64 * 0.08 / 730)),
    ({"nat_gateways": 1}, -2 * 0.05),
    ({"bastion": {"count": 0, "type": "t3.micro", "root_gib": 32}}, -(0.0104 + 32 * 0.08 / 730)),
    ({"load_balancers": {"network": 2, "classic": 2}}, 2 * 0.025),
    ({"control_plane": {"count": 3, "type": "t3.medium", "root_gib": 32}}, 2 * (0.0416 + (32 + 40) * 0.08 / 730)),
])
def test_the_estimate_follows_the_inventory(change, delta):
    sizing = copy.deepcopy(TALK)
    sizing.update(change)
    assert cost_lines(sizing, PRICES)[1] - cost_lines(TALK, PRICES)[1] == pytest.approx(delta, abs=1e-4)


def test_counts_given_as_strings_are_read_and_unknown_types_are_named_not_guessed():
    sizing = copy.deepcopy(TALK)
    sizing["nodes"] = {"count": "2", "type": "x9.huge", "root_gib": "64"}
    sizing["load_balancers"] = {"gateway": 1}
    lines, total = cost_lines(sizing, PRICES, emulated=True)
    assert lines[0].startswith("What the same talk would cost on AWS: about USD")
    assert any("not priced" in line and "x9.huge" in line and "gateway load balancer" in line for line in lines)
    assert total < cost_lines(TALK, PRICES)[1]


@pytest.mark.parametrize("sizing,prices,words", [
    (dict(TALK, nat_gateways=-1), PRICES, "nat_gateways must be an integer >= 0"),
    (dict(TALK, nodes={"count": True, "type": "t3.medium"}), PRICES, "nodes.count"),
    (TALK, {"date": "x"}, "the price table lacks region"),
])
def test_bad_input_is_refused(sizing, prices, words):
    with pytest.raises(SummaryError, match=words):
        cost_items(sizing, prices)


def test_a_demo_outcome_counts_reasons_and_urls():
    passed, failed, not_run, reasons, urls = demo_outcome(REPORTS["demo_hello_report"])
    assert (passed, failed, not_run) == (1, 1, 2)
    assert reasons == ["its pods run only on simulated nodes (kwok.x-k8s.io/node: fake), where no container runs"]
    assert urls == []
    assert demo_outcome(REPORTS["demo_guestbook_report"])[4] == [
        "http://10.255.0.1:30080/", "http://10.255.0.1:30080/guestbook.php?cmd=set&key=messages&value=hi"]


@pytest.mark.parametrize("report,outcome", [
    ({"skipped": True, "skip_reason": "Conditional result was False"},
     (0, 0, 0, ["verify skipped: Conditional result was False"], [])),
    ({"failed": True, "msg": "checks must be a non-empty list"},
     (0, 1, 0, ["verify failed: checks must be a non-empty list"], [])),
    ({}, (0, 0, 0, [], [])),
])
def test_a_report_that_did_not_run_says_why(report, outcome):
    assert demo_outcome(report) == outcome


def test_demo_lines_list_every_demo_that_reported_with_a_total():
    lines = demo_lines(REPORTS)
    assert lines[0] == "Demos (verify: passed / failed / not run):"
    names = [line.split()[0] for line in lines[1:] if not line.startswith("    ")]
    assert names == ["guestbook", "hello", "jobs", "total"]
    assert lines[-1].split() == ["total", "4", "/", "1", "/", "3"]
    assert "    url: http://10.255.0.1:30080/" in lines
    assert "    not run: verify skipped: Conditional result was False" in lines


def test_no_demo_ran():
    assert demo_lines({}) == ["Demos: none verified in this run (their tags were not selected)."]


def test_the_summary_is_one_block_and_works_without_aws():
    lines, cost = summary({}, "/k/config", context="kind-kind", dashboard=None, sizing=None)
    assert cost is None
    assert lines[1] == "Kubeconfig: /k/config (context kind-kind)"
    assert "Dashboard: not installed on this target." in lines
    assert lines[-1] == "AWS cost: none, this target uses no AWS."
    lines, cost = summary(REPORTS, "/k/config", dashboard=["Headlamp: port-forward"], sizing=TALK, prices=PRICES,
                          emulated=True)
    assert cost > 0 and "Dashboard: Headlamp: port-forward" in lines
    assert all(isinstance(line, str) and "\n" not in line for line in lines)


def test_efs_is_priced_by_the_gib_stored():
    items, _unpriced = cost_items(TALK, PRICES)
    efs = [item for item in items if item["what"] == "EFS GiB (Standard)"]
    assert efs and efs[0]["count"] == 1
    assert efs[0]["hourly"] == pytest.approx(PRICES["efs_gib_month"] / PRICES["hours_per_month"])
    without = cost_lines(dict(TALK, efs_gib=0), PRICES)[1]
    assert cost_lines(TALK, PRICES)[1] - without == pytest.approx(efs[0]["hourly"], abs=1e-4)
