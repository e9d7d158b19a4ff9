# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demos' verification: which depth the cluster allows, and the report.

The one place that decides whether a demo is verified at object depth
(simulated nodes: the objects and the status the real controllers set) or at
runtime depth (containers really run: logs, exec, HTTP), and that turns a
demo's checks into the block of text it prints. A check that cannot run at
the current depth is reported NOT RUN with its reason, never as passed.
"""

DOCUMENTATION = r"""
name: demo_verify
short_description: Verification depth and report for the demo roles
description:
  - C(verify_depth) returns V(object) when any node carries the annotation
    C(kwok.x-k8s.io/node=fake) (simulated nodes run no container), V(runtime) otherwise.
  - C(verify_report) turns a list of checks into a report (lines to print and counts).
  - C(daemonset_nodes) returns the names of the nodes a DaemonSet places a pod on.
author: indydevops.k8s_talk contributors
"""

EXAMPLES = r"""
- name: Choose the depth from the cluster's nodes
  ansible.builtin.set_fact:
    depth: "{{ nodes_info.resources | indydevops.k8s_talk.verify_depth }}"

- name: Report
  ansible.builtin.debug:
    msg: "{{ (checks | indydevops.k8s_talk.verify_report(depth, title='Jobs')).lines }}"
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

FAKE_NODE_ANNOTATION = "kwok.x-k8s.io/node"
DEPTHS = ("object", "runtime")
DEPTH_REASONS = {
    "object": f"object depth: the nodes are simulated ({FAKE_NODE_ANNOTATION}: fake), no container runs on them",
    "runtime": "runtime depth: containers run on the cluster's nodes",
}
NOT_RUN_AT_OBJECT_DEPTH = (
    "needs runtime depth: simulated nodes run no container (no logs, exec or HTTP)"
)

# Taints the DaemonSet controller tolerates on every DaemonSet pod by itself.
DAEMONSET_TOLERATED_TAINTS = (
    "node.kubernetes.io/not-ready",
    "node.kubernetes.io/unreachable",
    "node.kubernetes.io/disk-pressure",
    "node.kubernetes.io/memory-pressure",
    "node.kubernetes.io/pid-pressure",
    "node.kubernetes.io/unschedulable",
)
BLOCKING_EFFECTS = ("NoSchedule", "NoExecute")


def _metadata(obj):
    if not isinstance(obj, dict):
        raise AnsibleFilterError(f"expected a Kubernetes object (a dict), got {obj!r}")
    return obj.get("metadata") or {}


def is_simulated(node):
    annotations = _metadata(node).get("annotations") or {}
    return annotations.get(FAKE_NODE_ANNOTATION) == "fake"


def verify_depth(nodes):
    """'object' when any node is simulated (pods may land there), else 'runtime'."""
    if nodes is None:
        nodes = []
    if not isinstance(nodes, list):
        raise AnsibleFilterError(
            "verify_depth expects the list of nodes (k8s_info resources)"
        )
    return "object" if any(is_simulated(node) for node in nodes) else "runtime"


def _status(check, depth):
    """(status, text after the name) of one check at the given depth."""
    check_depth = check.get("depth", "object")
    if check_depth not in DEPTHS:
        raise AnsibleFilterError(
            "check {!r}: depth must be one of {}, got {!r}".format(
                check.get("name"), ", ".join(DEPTHS), check_depth
            )
        )
    if check_depth == "runtime" and depth == "object":
        return "NOT RUN", NOT_RUN_AT_OBJECT_DEPTH
    ok = check.get("ok")
    if ok is None or ok == "":
        reason = check.get("reason")
        if not reason:
            raise AnsibleFilterError(
                "check {!r} did not run and gives no reason".format(check.get("name"))
            )
        return "NOT RUN", reason
    try:
        ok = boolean(ok, strict=True)
    except TypeError:
        raise AnsibleFilterError(
            "check {!r}: ok must be a boolean, got {!r}".format(check.get("name"), ok)
        )
    return ("PASSED" if ok else "FAILED"), check.get("detail") or ""


def verify_report(checks, depth, title="Demo"):
    """The report of a demo's checks: lines to print, counts and failures."""
    if depth not in DEPTHS:
        raise AnsibleFilterError(
            "depth must be one of {}, got {!r}".format(", ".join(DEPTHS), depth)
        )
    if not isinstance(checks, list) or not checks:
        raise AnsibleFilterError("verify_report expects a non-empty list of checks")
    counts = {"PASSED": 0, "FAILED": 0, "NOT RUN": 0}
    lines = [f"{title}, verified at {DEPTH_REASONS[depth]}"]
    failures = []
    for check in checks:
        if not isinstance(check, dict) or not check.get("name"):
            raise AnsibleFilterError(
                f"every check is a dict with a name, got {check!r}"
            )
        status, text = _status(check, depth)
        counts[status] += 1
        line = f"{status:<8} {check['name']}"
        if text:
            line += ": " + text
        lines.append("  " + line)
        if status == "FAILED":
            failures.append(line)
    lines.append(
        f"{counts['PASSED']} passed, {counts['FAILED']} failed,"
        f" {counts['NOT RUN']} not run"
    )
    return {
        "depth": depth,
        "lines": lines,
        "passed": counts["PASSED"],
        "failed": counts["FAILED"],
        "not_run": counts["NOT RUN"],
        "failures": failures,
    }


def _tolerates(tolerations, taint):
    for toleration in tolerations:
        effect = toleration.get("effect")
        if effect and effect != taint.get("effect"):
            continue
        key = toleration.get("key")
        operator = toleration.get("operator", "Equal")
        if operator == "Exists":
            if not key or key == taint.get("key"):
                return True
        elif key == taint.get("key") and toleration.get("value", "") == taint.get(
            "value", ""
        ):
            return True
    return False


def daemonset_nodes(nodes, node_selector=None, tolerations=None):
    """Names of the nodes a DaemonSet with this selector and tolerations runs on."""
    if not isinstance(nodes, list):
        raise AnsibleFilterError(
            "daemonset_nodes expects the list of nodes (k8s_info resources)"
        )
    node_selector = node_selector or {}
    tolerations = list(tolerations or [])
    tolerations += [
        {"key": key, "operator": "Exists"} for key in DAEMONSET_TOLERATED_TAINTS
    ]
    names = []
    for node in nodes:
        labels = _metadata(node).get("labels") or {}
        if any(labels.get(key) != value for key, value in node_selector.items()):
            continue
        taints = (node.get("spec") or {}).get("taints") or []
        if any(
            t.get("effect") in BLOCKING_EFFECTS and not _tolerates(tolerations, t)
            for t in taints
        ):
            continue
        names.append(_metadata(node).get("name"))
    return sorted(names)


class FilterModule:
    def filters(self):
        return {
            "verify_depth": verify_depth,
            "verify_report": verify_report,
            "daemonset_nodes": daemonset_nodes,
        }
