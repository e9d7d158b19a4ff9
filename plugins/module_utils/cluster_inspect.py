# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The talk's "Inspect the cluster" as one compact table.

``kubectl get nodes``, ``kubectl -n kube-system get pods`` and the talk's
troubleshooting tip ``kubectl get events``, from the objects the Kubernetes API
returns (plain dicts, as ``kubernetes.core.k8s_info`` gives them), printed as
aligned columns. Pure functions: no Ansible, no cluster.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.verify import is_simulated

INSTANCE_GROUP_LABEL = "kops.k8s.io/instancegroup"
ROLE_LABEL_PREFIX = "node-role.kubernetes.io/"
NONE = "-"


class InspectError(Exception):
    """Input the table cannot be made from (a bug in the caller, not in the cluster)."""


def _meta(obj):
    return obj.get("metadata") or {}


def _status(obj):
    return obj.get("status") or {}


def node_role(node):
    """The node's roles as kubectl shows them (node-role.kubernetes.io/<role> labels, or kubernetes.io/role)."""
    labels = _meta(node).get("labels") or {}
    roles = sorted(key[len(ROLE_LABEL_PREFIX):] for key in labels
                   if key.startswith(ROLE_LABEL_PREFIX) and key != ROLE_LABEL_PREFIX)
    if not roles and labels.get("kubernetes.io/role"):
        roles = [labels["kubernetes.io/role"]]
    return ",".join(roles) or "<none>"


def _condition(obj, kind):
    for condition in _status(obj).get("conditions") or []:
        if condition.get("type") == kind:
            return condition.get("status")
    return None


def node_ready(node):
    status = {"True": "Ready", "False": "NotReady"}.get(_condition(node, "Ready"), "Unknown")
    if (node.get("spec") or {}).get("unschedulable"):
        status += ",SchedulingDisabled"
    return status


def node_rows(nodes):
    """One row per node, sorted by name: name, role, instance group, kubelet, ready (and kind when any is simulated)."""
    nodes = sorted(nodes or [], key=lambda n: _meta(n).get("name") or "")
    simulated = any(is_simulated(node) for node in nodes)
    header = ["NODE", "ROLE", "INSTANCE GROUP", "KUBELET", "STATUS"] + (["KIND"] if simulated else [])
    rows = []
    for node in nodes:
        labels = _meta(node).get("labels") or {}
        row = [_meta(node).get("name") or NONE, node_role(node), labels.get(INSTANCE_GROUP_LABEL) or NONE,
               (_status(node).get("nodeInfo") or {}).get("kubeletVersion") or NONE, node_ready(node)]
        if simulated:
            row.append("simulated" if is_simulated(node) else "real")
        rows.append(row)
    return header, rows


def pod_phase(pod):
    """The pod's status as kubectl prints it: a waiting/terminated container's reason, else the phase."""
    if _meta(pod).get("deletionTimestamp"):
        return "Terminating"
    for container in _status(pod).get("containerStatuses") or []:
        state = container.get("state") or {}
        for key in ("waiting", "terminated"):
            reason = (state.get(key) or {}).get("reason")
            completed = key == "terminated" and reason == "Completed" and _status(pod).get("phase") == "Succeeded"
            if reason and not completed:
                return reason
    return _status(pod).get("phase") or "Unknown"


def pod_rows(pods):
    """One row per pod, sorted by name: name, ready containers, status, node."""
    header = ["POD", "READY", "STATUS", "NODE"]
    rows = []
    for pod in sorted(pods or [], key=lambda p: _meta(p).get("name") or ""):
        statuses = _status(pod).get("containerStatuses") or []
        total = len((pod.get("spec") or {}).get("containers") or []) or len(statuses)
        ready = sum(1 for container in statuses if container.get("ready"))
        rows.append([_meta(pod).get("name") or NONE, "%d/%d" % (ready, total), pod_phase(pod),
                     (pod.get("spec") or {}).get("nodeName") or NONE])
    return header, rows


def event_time(event):
    """The event's latest time to the second (events.k8s.io and core/v1 spell it differently); '' when it has none."""
    time = (event.get("lastTimestamp") or event.get("eventTime") or (event.get("series") or {}).get("lastObservedTime")
            or _meta(event).get("creationTimestamp") or "")
    # eventTime carries microseconds, lastTimestamp does not: compare and print both to the second.
    return time[:19] + "Z" if len(time) >= 19 else time


def event_rows(events, last):
    """The `last` latest events, oldest first (as `kubectl get events --sort-by=.lastTimestamp` ends)."""
    if not isinstance(last, int) or isinstance(last, bool) or last < 0:
        raise InspectError("the number of events must be an integer >= 0, got %r" % (last,))
    header = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    ordered = sorted(events or [], key=lambda e: (event_time(e), _meta(e).get("name") or ""))
    chosen = ordered[max(0, len(ordered) - last):] if last else []
    rows = []
    for event in chosen:
        involved = event.get("involvedObject") or event.get("regarding") or {}
        obj = "%s/%s" % ((involved.get("kind") or "").lower(), involved.get("name") or "")
        if involved.get("namespace"):
            obj = involved["namespace"] + " " + obj
        message = " ".join((event.get("message") or event.get("note") or "").split())
        rows.append([event_time(event) or NONE, event.get("type") or NONE, event.get("reason") or NONE, obj, message])
    return header, rows


def columns(header, rows, width=None):
    """Aligned lines of a table; the last column is cut at `width` characters when given."""
    cells = [header] + rows
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(header) - 1)]
    lines = []
    for row in cells:
        last = str(row[-1])
        if width and len(last) > width:
            last = last[:width - 3] + "..."
        lines.append("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row[:-1])) + "  " + last)
    return [line.rstrip() for line in lines]


def table(nodes, pods, events, last=10, pods_namespace="kube-system", message_width=80):
    """The whole inspection as lines: the nodes, the pods of `pods_namespace`, the `last` latest events."""
    header, rows = node_rows(nodes)
    simulated = sum(1 for row in rows if row[-1] == "simulated") if "KIND" in header else 0
    ready = sum(1 for row in rows if row[4].startswith("Ready"))
    lines = ["Nodes: %d (%d ready%s)" % (len(rows), ready, ", %d simulated" % simulated if simulated else "")]
    lines += ["  " + line for line in columns(header, rows)] if rows else ["  (no nodes)"]
    header, rows = pod_rows(pods)
    running = sum(1 for row in rows if row[2] == "Running")
    lines.append("Pods in %s: %d (%d running)" % (pods_namespace, len(rows), running))
    lines += ["  " + line for line in columns(header, rows)] if rows else ["  (no pods)"]
    header, rows = event_rows(events, last)
    lines.append("Events: the last %d of %d (kubectl get events)" % (len(rows), len(events or [])))
    lines += ["  " + line for line in columns(header, rows, message_width)] if rows else ["  (no events)"]
    return lines
