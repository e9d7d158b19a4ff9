# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one verification engine of the talk's demos.

A role declares its checks as data (its ``vars/main.yml``); this engine runs
them against a ``cluster`` (the boundary: the module gives it the real
Kubernetes API, HTTP and Route53; unit tests give it a fake) and reports each
check as PASSED, FAILED or NOT RUN with a reason, never NOT RUN as passed.

Depth: object checks read what the API server and the real controllers say.
Runtime checks (``http``, ``exec``, ``log``) need a container that really runs:
they run against pods on real nodes and say NOT RUN when the pods they need
are only on simulated nodes (annotation ``kwok.x-k8s.io/node: fake``).

A check is a dict with ``name`` and exactly one kind key:

- ``object``: ``{api_version, kind, name, namespace}`` plus optional
  ``condition`` ``{type, status}``, ``equals`` ``{path: value}``,
  ``at_least`` ``{path: number}``, ``defined`` ``[path]``, ``length`` and
  ``each`` (as for ``aws``), ``absent: true``;
  ``writer`` ``{namespace, selector}``: the pods of the controller that writes
  what is checked (an ingress controller's status), NOT RUN instead of FAILED
  when none runs on a real node.
  Paths are dotted; a key holding dots goes in brackets
  (``metadata.annotations[external-dns.alpha.kubernetes.io/hostname]``).
- ``objects``: ``{api_version, kind, namespace, selector}`` plus ``count``
  (at least), ``max``, ``owned_by`` ``{kind, name}``; only the items with
  every ``defined`` ``[path]`` set and every ``where`` ``{path: value}`` count.
- ``endpoints``: ``{service, namespace, ready}``: ready endpoints in the
  Service's EndpointSlices.
- ``daemonset``: ``{name, namespace}``: desired = ready = the nodes its
  selector and tolerations allow, one pod on each.
- ``data``: ``{kind: Secret|ConfigMap, name, namespace, sha256: {key: digest}}``:
  exactly these keys, each with this digest (contents never leave the engine).
- ``http`` (runtime): ``{service, namespace, path, host, status, body, contains}``
  through the Service's node port on a real node running one of its pods
  (``address`` replaces the node's own), through its load balancer
  (``via: load_balancer``), or ``url`` given directly.
- ``exec`` (runtime): ``{namespace, pod | selector, container, command}`` with
  ``lines`` (sorted stdout lines equal), ``sha256`` (of the trimmed stdout) or
  ``contains``.
- ``log`` (runtime): ``{namespace, pod | selector, container, phase}`` with
  ``startswith`` or ``contains``; ``every_pod: true`` checks every pod found.
- ``record``: ``{zone, name, type}``: the record exists in the Route53 zone;
  with ``writer`` (as for ``object``: external-dns' pods), a missing record
  is NOT RUN when no writer pod runs on a real node.
- ``resolves``: ``{name}``: the name resolves from the controller.
- ``request``: ``{kubeconfig, verb, api_version, kind, namespace, name, body,
  status}``: the API server's answer (HTTP status) to a request made with
  another identity's own kubeconfig (a team's user, not impersonation):
  ``verb`` ``create`` (server-side dry run: nothing is stored), ``list`` or
  ``get``; ``status`` the expected code (e.g. 403 refused, 201 allowed).
- ``aws``: ``{service, call, params}``: what the AWS API answers (boto3's
  method of that client, e.g. ``efs describe_file_systems``), compared as
  ``object`` compares (``equals``, ``at_least``, ``defined``) plus ``length``
  ``{path: n}`` (a list has exactly n items) and ``each``
  ``{path: {key: value}}`` (every item of a non-empty list has the value),
  ``unequal`` ``{path: value}`` and ``tags`` ``{path: {Key: Value}}`` (an AWS
  tag list holds these tags); ``show``: the key that names a list's items in
  a failed ``length`` (what is left over).
- ``gone``: ``{manifests: [objects]}``: none of these objects exists (by
  apiVersion, kind, name, namespace; a kind no longer served has none).
- ``given``: ``{ok, detail, reason}``: a result the role measured itself
  (files on the controller); ``ok: null`` with a reason is NOT RUN.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import re
import socket
import time

FAKE_NODE_ANNOTATION = "kwok.x-k8s.io/node"
KINDS = ("object", "objects", "endpoints", "daemonset", "data", "http", "exec", "log",
         "record", "resolves", "request", "aws", "gone", "given")
REQUEST_VERBS = ("create", "list", "get")
RUNTIME_KINDS = ("http", "exec", "log")
CLUSTERLESS_KINDS = ("aws", "given", "resolves")
PASSED, FAILED, NOT_RUN = "PASSED", "FAILED", "NOT RUN"
SIMULATED_ONLY = ("its pods run only on simulated nodes ({0}: fake), where no container runs"
                  .format(FAKE_NODE_ANNOTATION))
# Taints the DaemonSet controller tolerates on every DaemonSet pod by itself.
DAEMONSET_TOLERATED_TAINTS = (
    "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable",
    "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
    "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable",
)
BLOCKING_EFFECTS = ("NoSchedule", "NoExecute")
MISSING = object()


class CheckError(ValueError):
    """A check declared wrongly (the role's fault, not the cluster's)."""


def kind_of(check):
    if not isinstance(check, dict) or not check.get("name"):
        raise CheckError("every check is a dict with a name, got %r" % (check,))
    kinds = [k for k in KINDS if k in check]
    if len(kinds) != 1:
        raise CheckError("check %r needs exactly one of %s, has %s"
                         % (check["name"], ", ".join(KINDS), ", ".join(kinds) or "none"))
    if not isinstance(check[kinds[0]], dict):
        raise CheckError("check %r: %s must be a dict" % (check["name"], kinds[0]))
    return kinds[0]


PATH_PART = re.compile(r"\[([^\]]+)\]|([^.\[]+)")


def dig(obj, path):
    """The value at a dotted path ('spec.ports.0.nodePort'), or MISSING.

    A key holding dots goes in brackets: 'metadata.annotations[a.b/c]'.
    """
    for bracketed, plain in PATH_PART.findall(str(path)):
        part = bracketed or plain
        if isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        elif isinstance(obj, dict) and part in obj:
            obj = obj[part]
        else:
            return MISSING
    return obj


def is_simulated(node):
    return ((node.get("metadata") or {}).get("annotations") or {}).get(FAKE_NODE_ANNOTATION) == "fake"


def ref(spec):
    namespace = spec.get("namespace")
    return "%s %s%s" % (spec.get("kind", ""), (namespace + "/") if namespace else "", spec.get("name", ""))


def condition_status(obj, ctype):
    for cond in (obj.get("status") or {}).get("conditions") or []:
        if cond.get("type") == ctype:
            return cond.get("status")
    return None


def shown(value):
    return "missing" if value is MISSING else value


# ---- object depth ---------------------------------------------------------

def compare(obj, spec):
    """(problems, facts) of an object against a check's condition, equals,
    unequal, at_least, defined, length (with show), each and tags."""
    problems, facts = [], []
    cond = spec.get("condition")
    if cond:
        got = condition_status(obj, cond["type"])
        want = str(cond.get("status", "True"))
        (facts if got == want else problems).append("condition %s=%s" % (cond["type"], got))
    for path, want in (spec.get("equals") or {}).items():
        got = dig(obj, path)
        if got == want:
            facts.append("%s %s" % (path, got))
        else:
            problems.append("%s is %s, expected %s" % (path, shown(got), want))
    for path, want in (spec.get("at_least") or {}).items():
        got = dig(obj, path)
        number = got if isinstance(got, (int, float)) and not isinstance(got, bool) else 0
        if number >= int(want):
            facts.append("%s %s" % (path, number))
        else:
            problems.append("%s is %s, expected at least %s" % (path, shown(got), want))
    for path in spec.get("defined") or []:
        got = dig(obj, path)
        if got is MISSING or got is None:
            problems.append("%s is not set" % path)
        else:
            facts.append("%s %s" % (path, got))
    for path, want in (spec.get("unequal") or {}).items():
        got = dig(obj, path)
        if got != want:
            facts.append("%s %s" % (path, shown(got)))
        else:
            problems.append("%s is %s" % (path, got))
    for path, want in (spec.get("length") or {}).items():
        got = dig(obj, path)
        size = len(got) if isinstance(got, (list, dict)) else None
        if size == int(want):
            facts.append("%d %s" % (size, path))
        else:
            # ``show``: the key naming each item, so a failure lists what is there.
            named_items = [str(dig(item, spec["show"])) for item in got] if spec.get("show") and size else []
            problems.append("%s has %s item(s), expected %s%s" % (
                path, shown(got) if size is None else size, want, ": " + ", ".join(named_items) if named_items else ""))
    for path, want in (spec.get("each") or {}).items():
        items = dig(obj, path)
        items = items if isinstance(items, list) else []
        for key, value in want.items():
            off = [shown(dig(item, key)) for item in items if dig(item, key) != value]
            if not items or off:
                problems.append("%s: %s is %s, expected %s in each" % (
                    path, key, ", ".join(str(o) for o in off) or "no item", value))
            else:
                facts.append("%s %s in each of %d" % (key, value, len(items)))
    for path, want in (spec.get("tags") or {}).items():
        got = dig(obj, path)
        tags = dict((t.get("Key"), t.get("Value")) for t in got) if isinstance(got, list) else {}
        for key, value in sorted(want.items()):
            if tags.get(key) == value:
                facts.append("tag %s=%s" % (key, value))
            else:
                problems.append("tag %s is %s, expected %s" % (key, tags.get(key, "missing"), value))
    return problems, facts


def eval_object(spec, cluster, nodes=()):
    obj = cluster.get(spec.get("api_version", "v1"), spec["kind"], spec["name"], spec.get("namespace"))
    if spec.get("absent"):
        return (PASSED, "%s is gone" % ref(spec)) if obj is None else (FAILED, "%s still exists" % ref(spec))
    if obj is None:
        return FAILED, "%s not found" % ref(spec)
    problems, facts = compare(obj, spec)
    if problems:
        return unwritten(spec, cluster, nodes, "; ".join(problems))
    return PASSED, ", ".join(facts) or "exists"


def owned_by(obj, owner):
    for ref_ in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref_.get("kind") == owner.get("kind") and ref_.get("name") == owner.get("name"):
            return True
    return False


def eval_objects(spec, cluster):
    items = cluster.list(spec.get("api_version", "v1"), spec["kind"], spec.get("namespace"),
                         spec.get("selector"))
    if spec.get("owned_by"):
        items = [i for i in items if owned_by(i, spec["owned_by"])]
    listed = len(items)
    for path in spec.get("defined") or []:
        items = [i for i in items if dig(i, path) not in (MISSING, None)]
    for path, want in (spec.get("where") or {}).items():
        items = [i for i in items if dig(i, path) == want]
    least = int(spec.get("count", 1))
    most = int(spec["max"]) if spec.get("max") is not None else None
    names = sorted(i["metadata"]["name"] for i in items)
    filters = ["%s set" % p for p in spec.get("defined") or []]
    filters += ["%s=%s" % (p, v) for p, v in (spec.get("where") or {}).items()]
    detail = "%d of %d %s(s)%s%s" % (
        len(items), listed, spec["kind"], " with " + ", ".join(filters) if filters else "",
        ": " + ", ".join(names) if names else "")
    ok = len(items) >= least and (most is None or len(items) <= most)
    return (PASSED if ok else FAILED), detail


def ready_endpoints(cluster, namespace, service):
    slices = cluster.list("discovery.k8s.io/v1", "EndpointSlice", namespace,
                          "kubernetes.io/service-name=%s" % service)
    return [e for s in slices for e in (s.get("endpoints") or [])
            if (e.get("conditions") or {}).get("ready")]


def eval_endpoints(spec, cluster):
    ready = ready_endpoints(cluster, spec.get("namespace"), spec["service"])
    want = int(spec.get("ready", 1))
    return ((PASSED if len(ready) >= want else FAILED),
            "%d ready endpoint(s) of Service %s, expected at least %d" % (len(ready), spec["service"], want))


def tolerates(tolerations, taint):
    for tol in tolerations:
        if tol.get("effect") and tol.get("effect") != taint.get("effect"):
            continue
        if tol.get("operator", "Equal") == "Exists":
            if not tol.get("key") or tol.get("key") == taint.get("key"):
                return True
        elif tol.get("key") == taint.get("key") and tol.get("value", "") == taint.get("value", ""):
            return True
    return False


def daemonset_nodes(nodes, node_selector=None, tolerations=None):
    """Names of the nodes a DaemonSet with this selector and tolerations runs on."""
    node_selector = node_selector or {}
    tolerations = list(tolerations or []) + [
        {"key": key, "operator": "Exists"} for key in DAEMONSET_TOLERATED_TAINTS]
    names = []
    for node in nodes:
        labels = (node.get("metadata") or {}).get("labels") or {}
        if any(labels.get(k) != v for k, v in node_selector.items()):
            continue
        taints = (node.get("spec") or {}).get("taints") or []
        if any(t.get("effect") in BLOCKING_EFFECTS and not tolerates(tolerations, t) for t in taints):
            continue
        names.append(node["metadata"]["name"])
    return sorted(names)


def eval_daemonset(spec, cluster, nodes):
    ds = cluster.get("apps/v1", "DaemonSet", spec["name"], spec.get("namespace"))
    if ds is None:
        return FAILED, "DaemonSet %s not found" % spec["name"]
    pod_spec = ds["spec"]["template"].get("spec") or {}
    allowed = daemonset_nodes(nodes, pod_spec.get("nodeSelector"), pod_spec.get("tolerations"))
    status = ds.get("status") or {}
    pods = cluster.list("v1", "Pod", spec.get("namespace"), selector_of(ds))
    on = sorted(p.get("spec", {}).get("nodeName") or "" for p in pods)
    ok = (allowed and status.get("desiredNumberScheduled") == len(allowed)
          and status.get("numberReady") == len(allowed) and on == allowed)
    return (PASSED if ok else FAILED), "desired %s, ready %s, nodes allowed %d (%s), pods on %s" % (
        status.get("desiredNumberScheduled"), status.get("numberReady"), len(allowed),
        ", ".join(allowed), ", ".join(on) or "no node")


def selector_of(obj):
    labels = ((obj.get("spec") or {}).get("selector") or {})
    labels = labels.get("matchLabels", labels) if isinstance(labels, dict) else {}
    return ",".join("%s=%s" % (k, v) for k, v in sorted(labels.items()))


def eval_data(spec, cluster):
    obj = cluster.get("v1", spec["kind"], spec["name"], spec.get("namespace"))
    if obj is None:
        return FAILED, "%s not found" % ref(spec)
    data = obj.get("data") or {}
    digests = {}
    for key, value in data.items():
        raw = base64.b64decode(value) if spec["kind"] == "Secret" else value.encode("utf-8")
        digests[key] = hashlib.sha256(raw).hexdigest()
    want = spec.get("sha256") or {}
    parts = []
    for key in sorted(set(want) | set(digests)):
        if key not in digests:
            parts.append("%s missing" % key)
        elif key not in want:
            parts.append("%s unexpected" % key)
        else:
            parts.append("%s %s" % (key, "matches" if digests[key] == want[key] else "differs"))
    ok = digests == want
    return (PASSED if ok else FAILED), "sha256 compared: " + ", ".join(parts)


def eval_record(spec, cluster, nodes):
    records = cluster.records(spec["zone"])
    name = spec["name"].rstrip(".") + "."
    found = [r for r in records if r.get("name") == name and r.get("type") == spec.get("type", "A")]
    if found:
        values = ", ".join(found[0].get("values") or [])
        return PASSED, "%s %s in zone %s: %s" % (name, found[0]["type"], spec["zone"], values)
    return unwritten(spec, cluster, nodes, "no %s record %s in zone %s" % (spec.get("type", "A"), name, spec["zone"]))


def unwritten(spec, cluster, nodes, detail):
    """A failure, or NOT RUN when the check's ``writer`` pods run on no real node.

    What a controller writes (external-dns' records, an ingress controller's
    status) can only be there when the controller really runs.
    """
    writer = spec.get("writer")
    if writer:
        real, pods = real_pods(cluster, nodes, writer.get("namespace"), selector=writer.get("selector"))
        if not real:
            return NOT_RUN, "%s, and %s" % (detail, (
                "its writer (selector %s) runs only on simulated nodes (%s: fake), where no container runs"
                % (writer.get("selector"), FAKE_NODE_ANNOTATION)) if pods else
                "no writer runs (no pod with selector %s in namespace %s)" % (
                    writer.get("selector"), writer.get("namespace")))
    return FAILED, detail


def eval_resolves(spec):
    try:
        found = sorted(set(a[4][0] for a in socket.getaddrinfo(spec["name"], None)))
    except socket.gaierror as exc:
        return FAILED, "%s does not resolve (%s)" % (spec["name"], exc)
    return PASSED, "%s -> %s" % (spec["name"], ", ".join(found))


def eval_request(spec, cluster):
    verb = spec.get("verb", "create")
    if verb not in REQUEST_VERBS:
        raise CheckError("request verb must be one of %s, got %r" % (", ".join(REQUEST_VERBS), verb))
    if not spec.get("kubeconfig") or "status" not in spec:
        raise CheckError("a request check needs kubeconfig and the expected status")
    if verb == "create" and not isinstance(spec.get("body"), dict):
        raise CheckError("a create request needs the object as body")
    status, message = cluster.request(spec["kubeconfig"], verb, spec.get("api_version", "v1"), spec["kind"],
                                      spec.get("namespace"), spec.get("name"), spec.get("body"))
    where = "%s %s%s" % (verb, spec["kind"], " in " + spec["namespace"] if spec.get("namespace") else
                         " cluster-wide")
    detail = "%s as %s -> %s%s" % (where, spec.get("user") or spec["kubeconfig"], status,
                                   " " + message[:120] if message else "")
    return (PASSED if str(status) == str(spec["status"]) else FAILED), (
        detail if str(status) == str(spec["status"]) else detail + ", expected %s" % spec["status"])


def eval_gone(spec, cluster):
    """None of the objects of these manifests exists (a kind the cluster no longer serves has none)."""
    manifests = [doc for doc in spec.get("manifests") or [] if isinstance(doc, dict)]
    if not manifests:
        raise CheckError("a gone check needs the manifests of the objects that must be gone")
    left = []
    for doc in manifests:
        meta = doc.get("metadata") or {}
        found = {"kind": doc["kind"], "name": meta.get("name"), "namespace": meta.get("namespace")}
        if cluster.get(doc["apiVersion"], doc["kind"], meta.get("name"), meta.get("namespace")) is not None:
            left.append(ref(found))
    if left:
        return FAILED, "%d of %d still exist: %s" % (len(left), len(manifests), ", ".join(left))
    return PASSED, "none of %d exists" % len(manifests)


def eval_aws(spec, cluster):
    """What an AWS API call answers (the emulator's on rehearsal), compared as an object check compares."""
    if not spec.get("service") or not spec.get("call"):
        raise CheckError("an aws check needs service and call (a boto3 method, e.g. describe_file_systems)")
    answer = cluster.aws(spec["service"], spec["call"], spec.get("params") or {})
    where = "%s %s" % (spec["service"], spec["call"])
    problems, facts = compare(answer, spec)
    if problems:
        return FAILED, "%s: %s" % (where, "; ".join(problems))
    return PASSED, "%s: %s" % (where, ", ".join(facts) or "answered")


def eval_given(spec):
    ok = spec.get("ok")
    if ok is None or ok == "":
        if not spec.get("reason"):
            raise CheckError("a given check that did not run needs a reason")
        return NOT_RUN, spec["reason"]
    if isinstance(ok, str):
        ok = ok.strip().lower() in ("true", "yes", "1")
    return (PASSED if ok else FAILED), spec.get("detail") or ""


# ---- runtime depth --------------------------------------------------------

def real_pods(cluster, nodes, namespace, pod=None, selector=None, phase=None):
    """(pods on real nodes, pods found) for a pod name or a label selector."""
    if pod:
        one = cluster.get("v1", "Pod", pod, namespace)
        pods = [one] if one else []
    else:
        pods = cluster.list("v1", "Pod", namespace, selector)
    if phase:
        pods = [p for p in pods if (p.get("status") or {}).get("phase") == phase]
    simulated = set(n["metadata"]["name"] for n in nodes if is_simulated(n))
    real = [p for p in pods if (p.get("spec") or {}).get("nodeName")
            and p["spec"]["nodeName"] not in simulated]
    real.sort(key=lambda p: (p.get("metadata") or {}).get("creationTimestamp") or "")
    return real, pods


def pods_not_found(spec, pods):
    what = spec.get("pod") or "selector %s" % spec.get("selector")
    if pods:
        return NOT_RUN, "%s: %s" % (what, SIMULATED_ONLY)
    return FAILED, "no pod %s%s in namespace %s" % (
        what, " in phase " + spec["phase"] if spec.get("phase") else "", spec.get("namespace"))


def node_address(node):
    addresses = (node.get("status") or {}).get("addresses") or []
    for wanted in ("InternalIP", "ExternalIP", "Hostname"):
        for addr in addresses:
            if addr.get("type") == wanted:
                return addr.get("address")
    return None


def service_pods_simulated(cluster, nodes, svc):
    """The Service selects pods and every one is on a simulated node (a host-network pod there has no IP,
    so no endpoint either)."""
    selector = ",".join("%s=%s" % (k, v) for k, v in sorted(((svc.get("spec") or {}).get("selector") or {}).items()))
    if not selector:
        return False
    real, pods = real_pods(cluster, nodes, (svc.get("metadata") or {}).get("namespace"), selector=selector)
    return bool(pods) and not real


def http_url(spec, cluster, nodes):
    """(url, None) or (None, (status, detail)) for an http check."""
    if spec.get("url"):
        return spec["url"], None
    namespace = spec.get("namespace")
    svc = cluster.get("v1", "Service", spec["service"], namespace)
    if svc is None:
        return None, (FAILED, "Service %s not found" % spec["service"])
    ports = svc["spec"].get("ports") or []
    # The port by name or number (a templated number may arrive as a string).
    wanted = spec.get("port")
    port = next((p for p in ports if wanted is None or str(wanted) in (str(p.get("name")), str(p.get("port")))),
                None)
    if spec.get("via") == "load_balancer":
        ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        host = next((i.get("hostname") or i.get("ip") for i in ingress if i.get("hostname") or i.get("ip")), None)
        if not host or not port:
            return None, (FAILED, "Service %s has no load balancer address yet" % spec["service"])
        return "http://%s:%s%s" % (host, port["port"], spec.get("path", "/")), None
    if not port or not port.get("nodePort"):
        return None, (FAILED, "Service %s has no node port%s" % (
            spec["service"], " " + str(spec["port"]) if spec.get("port") else ""))
    endpoints = ready_endpoints(cluster, namespace, spec["service"])
    by_name = dict((n["metadata"]["name"], n) for n in nodes)
    real = [by_name[e["nodeName"]] for e in endpoints
            if e.get("nodeName") in by_name and not is_simulated(by_name[e["nodeName"]])]
    if not real:
        if endpoints or service_pods_simulated(cluster, nodes, svc):
            return None, (NOT_RUN, "Service %s: %s" % (spec["service"], SIMULATED_ONLY))
        return None, (FAILED, "Service %s has no ready endpoint" % spec["service"])
    address = spec.get("address") or node_address(real[0])
    return "http://%s:%s%s" % (address, port["nodePort"], spec.get("path", "/")), None


def eval_http(spec, cluster, nodes):
    url, early = http_url(spec, cluster, nodes)
    if early:
        return early
    headers = {"Host": spec["host"]} if spec.get("host") else {}
    status, body = cluster.http(url, headers, spec.get("method", "GET"), spec.get("data"))
    want = int(spec.get("status", 200))
    problems = []
    if status != want:
        problems.append("status %s, expected %s" % (status, want))
    text = (body or "").strip()
    if "body" in spec and text != str(spec["body"]).strip():
        problems.append("body %r, expected %r" % (text[:60], str(spec["body"])[:60]))
    if "contains" in spec and str(spec["contains"]) not in (body or ""):
        problems.append("body lacks %r" % spec["contains"])
    where = "%s %s%s" % (spec.get("method", "GET"), url, " (Host: %s)" % spec["host"] if spec.get("host") else "")
    if problems:
        return FAILED, "%s -> %s" % (where, "; ".join(problems)), {"url": url}
    # The URL a passed check reached is reported on its own: what the presenter
    # (and the browser test) opens.
    return PASSED, "%s -> %s %s" % (where, status, text[:60].replace("\n", " ")), {"url": url}


def eval_exec(spec, cluster, nodes):
    real, pods = real_pods(cluster, nodes, spec.get("namespace"), spec.get("pod"), spec.get("selector"))
    if not real:
        return pods_not_found(spec, pods)
    pod = real[-1]["metadata"]["name"]
    command = spec["command"] if isinstance(spec["command"], list) else str(spec["command"]).split()
    rc, out = cluster.exec(spec.get("namespace"), pod, spec.get("container"), command)
    text = (out or "").strip()
    where = "exec %s in %s" % (" ".join(command), pod)
    if rc not in (0, None):
        return FAILED, "%s exited %s: %s" % (where, rc, text[:80])
    if "lines" in spec:
        got = sorted(line.strip() for line in text.splitlines() if line.strip())
        ok = got == sorted(spec["lines"])
        return (PASSED if ok else FAILED), "%s -> %s" % (where, " ".join(got))
    if "sha256" in spec:
        ok = hashlib.sha256(text.encode("utf-8")).hexdigest() == spec["sha256"]
        return (PASSED if ok else FAILED), "%s -> %d bytes, sha256 %s" % (
            where, len(text), "matches" if ok else "differs")
    ok = str(spec.get("contains", "")) in text
    return (PASSED if ok else FAILED), "%s -> %s" % (where, text[:60].replace("\n", " "))


def eval_log(spec, cluster, nodes):
    real, pods = real_pods(cluster, nodes, spec.get("namespace"), spec.get("pod"), spec.get("selector"),
                           spec.get("phase"))
    if not real:
        return pods_not_found(spec, pods)
    chosen = real if spec.get("every_pod") else real[-1:]
    bad, first = [], None
    for pod in chosen:
        text = cluster.log(spec.get("namespace"), pod["metadata"]["name"], spec.get("container")) or ""
        first = first if first is not None else text
        ok = (text.startswith(str(spec["startswith"])) if "startswith" in spec
              else str(spec.get("contains", "")) in text and bool(text))
        if not ok:
            bad.append("%s: %r" % (pod["metadata"]["name"], text[:40]))
    if bad:
        return FAILED, "; ".join(bad)
    simulated = len(pods) - len(real)
    return PASSED, "%d pod log(s)%s, e.g. %r" % (
        len(chosen), " (%d on simulated nodes not read)" % simulated if simulated and spec.get("every_pod") else "",
        (first or "")[:40].strip())


# ---- the run ----------------------------------------------------------------

def evaluate(check, cluster, nodes):
    kind = kind_of(check)
    spec = check[kind]
    if kind == "given":
        return eval_given(spec)
    try:
        if kind == "object":
            return eval_object(spec, cluster, nodes)
        if kind == "objects":
            return eval_objects(spec, cluster)
        if kind == "endpoints":
            return eval_endpoints(spec, cluster)
        if kind == "daemonset":
            return eval_daemonset(spec, cluster, nodes)
        if kind == "data":
            return eval_data(spec, cluster)
        if kind == "record":
            return eval_record(spec, cluster, nodes)
        if kind == "resolves":
            return eval_resolves(spec)
        if kind == "request":
            return eval_request(spec, cluster)
        if kind == "aws":
            return eval_aws(spec, cluster)
        if kind == "gone":
            return eval_gone(spec, cluster)
        if kind == "http":
            return eval_http(spec, cluster, nodes)
        if kind == "exec":
            return eval_exec(spec, cluster, nodes)
        return eval_log(spec, cluster, nodes)
    except KeyError as exc:
        raise CheckError("check %r: %s needs %s" % (check["name"], kind, exc))
    except CheckError:
        raise
    except Exception as exc:  # the cluster's answer is the check's result, not a crash
        return FAILED, "%s: %s" % (type(exc).__name__, str(exc)[:200])


class ReadOnce(object):
    """The cluster's objects read once per pass over the checks.

    ``get`` and ``list`` answers are kept, so checks that look at the same
    object (the nodes every check needs, a Deployment several checks read)
    ask the API server once. ``fresh()`` forgets them: a check that failed is
    retried against new reads, and so is every check after it. Runtime
    calls (exec, log, http), requests made as another identity and AWS calls
    always go to the cluster.
    """

    def __init__(self, cluster):
        self._cluster = cluster
        self._answers = {}

    def fresh(self):
        self._answers = {}

    def _kept(self, key, read):
        if key not in self._answers:
            self._answers[key] = read()
        return self._answers[key]

    def get(self, api_version, kind, name, namespace):
        return self._kept(("get", api_version, kind, name, namespace),
                          lambda: self._cluster.get(api_version, kind, name, namespace))

    def list(self, api_version, kind, namespace, selector):
        return self._kept(("list", api_version, kind, namespace, selector),
                          lambda: self._cluster.list(api_version, kind, namespace, selector))

    def __getattr__(self, name):
        return getattr(self._cluster, name)


def run(checks, cluster, title="Demo", timeout=0, interval=3, clock=time.monotonic, sleep=time.sleep):
    """Run every check; a FAILED one is retried until the shared deadline, on fresh reads."""
    if not isinstance(checks, list) or not checks:
        raise CheckError("checks must be a non-empty list")
    for check in checks:
        kind_of(check)
    deadline = clock() + float(timeout)
    results = []
    reads = ReadOnce(cluster)
    for check in checks:
        kind = kind_of(check)
        while True:
            # Checks of AWS alone (or given results) need no cluster: none is asked.
            nodes = [] if kind in CLUSTERLESS_KINDS else reads.list("v1", "Node", None, None)
            # (status, detail), or (status, detail, extra fields of the result).
            outcome = evaluate(check, reads, nodes)
            status, detail = outcome[0], outcome[1]
            if status != FAILED or not check.get("wait", True) or clock() >= deadline:
                break
            sleep(interval)
            reads.fresh()
        result = {"name": check["name"], "kind": kind, "status": status, "detail": detail,
                  "depth": "runtime" if kind in RUNTIME_KINDS else "object"}
        result.update(outcome[2] if len(outcome) > 2 else {})
        results.append(result)
    return report(title, results)


def report(title, results):
    counts = {PASSED: 0, FAILED: 0, NOT_RUN: 0}
    lines = [title]
    for result in results:
        counts[result["status"]] += 1
        line = "%-8s %s" % (result["status"], result["name"])
        if result["detail"]:
            line += ": " + result["detail"]
        lines.append("  " + line)
    lines.append("%d passed, %d failed, %d not run" % (counts[PASSED], counts[FAILED], counts[NOT_RUN]))
    return {"lines": lines, "results": results, "passed": counts[PASSED], "failed": counts[FAILED],
            "not_run": counts[NOT_RUN],
            "failures": ["%s: %s" % (r["name"], r["detail"]) for r in results if r["status"] == FAILED]}
