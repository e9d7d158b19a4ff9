# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The end of the talk in one block: what the demos proved, where to look, what it costs.

Pure functions over plain values: the demos' verify reports (what
``indydevops.k8s_talk.verify`` returned, registered as ``demo_<name>_report``),
the talk's sizing (instance groups, NAT gateways, load balancers, volumes) and
a dated price table. No Ansible, no cloud.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

REPORT_PREFIX, REPORT_SUFFIX = "demo_", "_report"
PASSED, FAILED, NOT_RUN = "PASSED", "FAILED", "NOT RUN"
PRICE_KEYS = ("date", "region", "currency", "instance_hourly", "nat_gateway_hourly", "load_balancer_hourly",
              "public_ipv4_hourly", "ebs_gib_month", "efs_gib_month", "hours_per_month")


class SummaryError(Exception):
    """Input the summary cannot be made from (a bug in the caller or the price table)."""


def _int(value, name, low=0):
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise SummaryError("%s must be an integer >= %d, got %r" % (name, low, value))
    return value


def demo_name(var):
    """demo_guestbook_report -> guestbook."""
    return var[len(REPORT_PREFIX):len(var) - len(REPORT_SUFFIX)]


def demo_outcome(report):
    """(passed, failed, not run, reasons of what did not run, URLs) of one demo's verify report."""
    report = report or {}
    if report.get("skipped"):
        return 0, 0, 0, ["verify skipped: %s" % (report.get("skip_reason") or "condition false")], []
    if report.get("failed") and "results" not in report:
        return 0, 1, 0, ["verify failed: %s" % (report.get("msg") or "no message")], []
    results = report.get("results") or []
    counts = dict((status, sum(1 for r in results if r.get("status") == status))
                  for status in (PASSED, FAILED, NOT_RUN))
    reasons, urls = [], []
    for result in results:
        if result.get("status") == NOT_RUN and result.get("detail") and result["detail"] not in reasons:
            reasons.append(result["detail"])
        if result.get("url") and result["url"] not in urls:
            urls.append(result["url"])
    return counts[PASSED], counts[FAILED], counts[NOT_RUN], reasons, urls


def demo_lines(reports):
    """A line per demo that reported (sorted by name), its URLs and NOT RUN reasons indented below it."""
    if not reports:
        return ["Demos: none verified in this run (their tags were not selected)."]
    lines = ["Demos (verify: passed / failed / not run):"]
    totals = [0, 0, 0]
    for var in sorted(reports):
        passed, failed, not_run, reasons, urls = demo_outcome(reports[var])
        totals = [totals[0] + passed, totals[1] + failed, totals[2] + not_run]
        lines.append("  %-12s %d / %d / %d" % (demo_name(var), passed, failed, not_run))
        lines.extend("    url: %s" % url for url in urls)
        lines.extend("    not run: %s" % reason for reason in reasons)
    lines.append("  %-12s %d / %d / %d" % ("total", totals[0], totals[1], totals[2]))
    return lines


def _check_prices(prices):
    missing = [key for key in PRICE_KEYS if key not in (prices or {})]
    if missing:
        raise SummaryError("the price table lacks %s" % ", ".join(missing))


def _instances(group, sizing):
    spec = sizing.get(group) or {}
    return (_int(spec.get("count", 0), group + ".count"), spec.get("type"),
            _int(spec.get("root_gib", 0), group + ".root_gib"))


def cost_items(sizing, prices):
    """The priced parts of the talk on AWS: [{what, count, unit_hourly, hourly}], and the types with no price.

    sizing: {control_plane|nodes|bastion: {count, type, root_gib}, etcd_volumes_per_control_plane,
    etcd_volume_gib, nat_gateways, load_balancers: {kind: count}, efs_gib}.
    """
    _check_prices(prices)
    items, unpriced, volume_gib = [], [], 0
    for group, label in (("control_plane", "control plane"), ("nodes", "nodes"), ("bastion", "bastion")):
        count, kind, root_gib = _instances(group, sizing)
        if not count:
            continue
        volume_gib += count * root_gib
        unit = (prices["instance_hourly"] or {}).get(kind)
        if unit is None:
            unpriced.append(kind)
            continue
        items.append({"what": "%s %s" % (label, kind), "count": count, "unit_hourly": unit})
    etcd_volumes = _instances("control_plane", sizing)[0] * _int(
        sizing.get("etcd_volumes_per_control_plane", 0), "etcd_volumes_per_control_plane")
    volume_gib += etcd_volumes * _int(sizing.get("etcd_volume_gib", 0), "etcd_volume_gib")
    nat = _int(sizing.get("nat_gateways", 0), "nat_gateways")
    if nat:
        items.append({"what": "NAT gateways", "count": nat, "unit_hourly": prices["nat_gateway_hourly"]})
        items.append({"what": "public IPv4 (NAT)", "count": nat, "unit_hourly": prices["public_ipv4_hourly"]})
    for kind, given in sorted((sizing.get("load_balancers") or {}).items()):
        count = _int(given, "load_balancers." + kind)
        unit = (prices["load_balancer_hourly"] or {}).get(kind)
        if not count:
            continue
        if unit is None:
            unpriced.append(kind + " load balancer")
            continue
        items.append({"what": "%s load balancers" % kind, "count": count, "unit_hourly": unit})
    if volume_gib:
        hours = _int(prices["hours_per_month"], "hours_per_month", 1)
        items.append({"what": "EBS GiB (root, etcd)", "count": volume_gib,
                      "unit_hourly": float(prices["ebs_gib_month"]) / hours})
    efs_gib = _int(sizing.get("efs_gib", 0), "efs_gib")
    if efs_gib:
        hours = _int(prices["hours_per_month"], "hours_per_month", 1)
        items.append({"what": "EFS GiB (Standard)", "count": efs_gib,
                      "unit_hourly": float(prices["efs_gib_month"]) / hours})
    for item in items:
        item["hourly"] = item["count"] * float(item["unit_hourly"])
    return items, unpriced


def cost_lines(sizing, prices, emulated=False):
    """The hourly estimate as lines, labelled as what the talk would cost when AWS is emulated."""
    items, unpriced = cost_items(sizing, prices)
    total = sum(item["hourly"] for item in items)
    heading = "What the same talk would cost on AWS" if emulated else "AWS cost estimate"
    lines = ["%s: about %s %.2f per hour (%s %.0f per day), %s on-demand list prices of %s:" % (
        heading, prices["currency"], total, prices["currency"], total * 24, prices["region"], prices["date"])]
    for item in items:
        lines.append("  %-24s %4d x %-9s = %.4f" % (
            item["what"], item["count"], "%.4g" % item["unit_hourly"], item["hourly"]))
    if unpriced:
        lines.append("  not priced (not in the table, left out of the total): %s" % ", ".join(sorted(set(unpriced))))
    lines.append("  Prices change and data transfer, LCUs and requests are extra; check the AWS pricing pages.")
    return lines, round(total, 4)


def summary(reports, kubeconfig, context=None, dashboard=None, sizing=None, prices=None, emulated=False):
    """The whole summary: (lines, hourly cost or None when the target has no AWS)."""
    lines = ["The talk, in summary", "Kubeconfig: %s%s" % (kubeconfig, " (context %s)" % context if context else "")]
    lines += demo_lines(reports)
    lines += ["Dashboard: %s" % line for line in (dashboard or ["not installed on this target."])]
    cost = None
    if sizing is None:
        lines.append("AWS cost: none, this target uses no AWS.")
    else:
        cost_part, cost = cost_lines(sizing, prices, emulated)
        lines += cost_part
    return lines, cost
