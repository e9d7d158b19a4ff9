# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verification engine against a fake cluster (the boundary the module makes real)."""

import base64
import hashlib
import os

import pytest
import yaml

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import verify as engine

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "verify")


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def node(name, fake=False, ip="10.1.0.1", taints=None):
    meta = {"name": name, "labels": {"kubernetes.io/hostname": name}}
    if fake:
        meta["annotations"] = {engine.FAKE_NODE_ANNOTATION: "fake"}
    return {"metadata": meta, "spec": {"taints": taints or []},
            "status": {"addresses": [{"type": "InternalIP", "address": ip}]}}


def pod(name, node_name, phase="Running", labels=None, created="2026-01-01T00:00:00Z"):
    return {"metadata": {"name": name, "labels": labels or {}, "creationTimestamp": created},
            "spec": {"nodeName": node_name}, "status": {"phase": phase}}


class FakeCluster:
    def __init__(self, objects=(), nodes=(), logs=None, execs=None, http=None, records=None, aws=None):
        self.objects = list(objects) + list(nodes)
        self.aws_answers = aws or {}
        self.logs = logs or {}
        self.execs = execs or {}
        self.http_answers = http or {}
        self.zone_records = records or {}
        self.calls = []

    def get(self, api_version, kind, name, namespace):
        for obj in self.objects:
            meta = obj["metadata"]
            if obj.get("kind") == kind and meta["name"] == name and meta.get("namespace") == namespace:
                return obj
        return None

    def list(self, api_version, kind, namespace, selector):
        if kind == "Node":
            return [o for o in self.objects if "kind" not in o]
        wanted = dict(part.split("=", 1) for part in selector.split(",")) if selector else {}
        return [o for o in self.objects if o.get("kind") == kind
                and (namespace is None or o["metadata"].get("namespace") == namespace)
                and all((o["metadata"].get("labels") or {}).get(k) == v for k, v in wanted.items())]

    def log(self, namespace, name, container):
        return self.logs.get(name, "")

    def exec(self, namespace, name, container, command):
        self.calls.append(("exec", name, tuple(command)))
        return self.execs.get((name, tuple(command)), (1, "no such command"))

    def http(self, url, headers, method="GET", data=None):
        self.calls.append(("http", url, tuple(sorted(headers.items()))))
        return self.http_answers.get(url, (None, "connection refused"))

    def records(self, zone):
        return self.zone_records.get(zone, [])

    def aws(self, service, call, params):
        self.calls.append(("aws", service, call, tuple(sorted(params.items()))))
        return self.aws_answers[(service, call)]


def k(kind, name, namespace="demo", **rest):
    obj = {"kind": kind, "metadata": {"name": name, "namespace": namespace}}
    obj.update(rest)
    return obj


def one(check, cluster):
    return engine.run([check], cluster)["results"][0]


DEPLOYMENT = k("Deployment", "web", spec={"replicas": 2},
               status={"availableReplicas": 2, "conditions": [{"type": "Available", "status": "True"}]})


def test_object_condition_and_fields_pass():
    result = one({"name": "web", "object": {"api_version": "apps/v1", "kind": "Deployment", "name": "web",
                                            "namespace": "demo", "condition": {"type": "Available"},
                                            "at_least": {"status.availableReplicas": "2"},
                                            "equals": {"spec.replicas": 2}}}, FakeCluster([DEPLOYMENT]))
    assert result["status"] == "PASSED"
    assert "status.availableReplicas 2" in result["detail"]


def test_object_reports_each_mismatch():
    result = one({"name": "web", "object": {"kind": "Deployment", "name": "web", "namespace": "demo",
                                            "at_least": {"status.availableReplicas": 3},
                                            "equals": {"spec.replicas": 3}, "defined": ["status.nope"]}},
                 FakeCluster([DEPLOYMENT]))
    assert result["status"] == "FAILED"
    assert "expected at least 3" in result["detail"]
    assert "spec.replicas is 2, expected 3" in result["detail"]
    assert "status.nope is not set" in result["detail"]


def test_object_missing_fails_and_absent_passes():
    check = {"name": "x", "object": {"kind": "Deployment", "name": "gone", "namespace": "demo"}}
    assert one(check, FakeCluster())["status"] == "FAILED"
    check["object"]["absent"] = True
    assert one(check, FakeCluster())["status"] == "PASSED"
    assert one(check, FakeCluster([k("Deployment", "gone")]))["status"] == "FAILED"


def test_paths_with_dotted_keys_in_brackets():
    svc = k("Service", "frontend", metadata={"name": "frontend", "namespace": "demo",
                                             "annotations": {"external-dns.alpha.kubernetes.io/hostname": "g.k8s."}})
    check = {"name": "a", "object": {"kind": "Service", "name": "frontend", "namespace": "demo", "equals": {
        "metadata.annotations[external-dns.alpha.kubernetes.io/hostname]": "g.k8s."}}}
    assert one(check, FakeCluster([svc]))["status"] == "PASSED"
    assert engine.dig({"a": [{"b": 1}]}, "a.0.b") == 1
    assert engine.dig({"a": []}, "a.0") is engine.MISSING


def test_objects_filters_count_and_max():
    jobs = [k("Job", "cron-1", metadata={"name": "cron-1", "namespace": "demo", "labels": {"app": "cron"},
                                         "ownerReferences": [{"kind": "CronJob", "name": "cron"}]},
              status={"completionTime": "t"}),
            k("Job", "cron-2", metadata={"name": "cron-2", "namespace": "demo", "labels": {"app": "cron"},
                                         "ownerReferences": [{"kind": "CronJob", "name": "other"}]},
              status={"completionTime": "t"})]
    check = {"name": "j", "objects": {"kind": "Job", "namespace": "demo", "selector": "app=cron",
                                      "owned_by": {"kind": "CronJob", "name": "cron"},
                                      "defined": ["status.completionTime"], "count": 1, "max": 1}}
    result = one(check, FakeCluster(jobs))
    assert result["status"] == "PASSED" and "cron-1" in result["detail"] and "cron-2" not in result["detail"]
    del check["objects"]["owned_by"]
    assert one(check, FakeCluster(jobs))["status"] == "FAILED"  # two, at most one allowed


def test_endpoints_counts_only_ready():
    slices = [k("EndpointSlice", "web-abc", metadata={"name": "web-abc", "namespace": "demo",
                                                      "labels": {"kubernetes.io/service-name": "web"}},
                endpoints=[{"conditions": {"ready": True}}, {"conditions": {"ready": False}}])]
    check = {"name": "e", "endpoints": {"service": "web", "namespace": "demo", "ready": 2}}
    assert one(check, FakeCluster(slices))["status"] == "FAILED"
    check["endpoints"]["ready"] = 1
    assert one(check, FakeCluster(slices))["status"] == "PASSED"


def test_daemonset_one_pod_per_allowed_node():
    nodes = [node("a"), node("b", taints=[{"key": "dedicated", "effect": "NoSchedule"}])]
    ds = k("DaemonSet", "tail", spec={"selector": {"matchLabels": {"app": "tail"}}, "template": {"spec": {}}},
           status={"desiredNumberScheduled": 1, "numberReady": 1})
    pods = [pod("tail-1", "a", labels={"app": "tail"})]
    for p in pods:
        p.update(kind="Pod")
        p["metadata"]["namespace"] = "demo"
    check = {"name": "d", "daemonset": {"name": "tail", "namespace": "demo"}}
    assert one(check, FakeCluster([ds] + pods, nodes))["status"] == "PASSED"
    ds["spec"]["template"]["spec"]["tolerations"] = [{"key": "dedicated", "operator": "Exists"}]
    assert one(check, FakeCluster([ds] + pods, nodes))["status"] == "FAILED"


@pytest.mark.parametrize("fixture_name, expected", [("nodes_kwok.yml", ["kwok-node-0"]),
                                                    ("nodes_kind.yml", None)])
def test_daemonset_nodes_on_recorded_node_lists(fixture_name, expected):
    nodes = fixture(fixture_name)
    names = engine.daemonset_nodes(nodes)
    if expected is not None:
        assert names == expected
    assert all(isinstance(n, str) for n in names)


def test_data_compares_digests_and_key_set():
    secret = k("Secret", "tls", data={"a": base64.b64encode(b"one").decode(), "b": base64.b64encode(b"two").decode()})
    digests = {"a": hashlib.sha256(b"one").hexdigest(), "b": hashlib.sha256(b"two").hexdigest()}
    check = {"name": "s", "data": {"kind": "Secret", "name": "tls", "namespace": "demo", "sha256": digests}}
    result = one(check, FakeCluster([secret]))
    assert result["status"] == "PASSED" and "one" not in result["detail"]
    check["data"]["sha256"] = dict(digests, c="x")
    assert "c missing" in one(check, FakeCluster([secret]))["detail"]
    cm = k("ConfigMap", "conf", data={"x": "hello"})
    check = {"name": "c", "data": {"kind": "ConfigMap", "name": "conf", "namespace": "demo",
                                   "sha256": {"x": hashlib.sha256(b"hello").hexdigest()}}}
    assert one(check, FakeCluster([cm]))["status"] == "PASSED"


def runtime_cluster(pod_node, **kw):
    nodes = [node("real-1", ip="10.1.0.7"), node("kwok-0", fake=True)]
    svc = k("Service", "web", spec={"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]})
    slices = [k("EndpointSlice", "web-1", metadata={"name": "web-1", "namespace": "demo",
                                                    "labels": {"kubernetes.io/service-name": "web"}},
                endpoints=[{"conditions": {"ready": True}, "nodeName": pod_node}])]
    p = pod("web-1", pod_node, labels={"app": "web"})
    p.update(kind="Pod")
    p["metadata"]["namespace"] = "demo"
    return FakeCluster([svc, p] + slices, nodes, **kw)


def test_http_through_the_node_port_of_a_real_node():
    cluster = runtime_cluster("real-1", http={"http://10.1.0.7:30080/echo?msg=hi": (200, "hi\n")})
    check = {"name": "h", "http": {"service": "web", "namespace": "demo", "path": "/echo?msg=hi", "body": "hi"}}
    result = one(check, cluster)
    assert result["status"] == "PASSED" and result["depth"] == "runtime"
    assert result["url"] == "http://10.1.0.7:30080/echo?msg=hi"
    check["http"]["body"] = "bye"
    assert one(check, cluster)["status"] == "FAILED"


def test_http_address_and_host_header():
    cluster = runtime_cluster("real-1", http={"http://127.0.0.1:30080/": (200, "ok")})
    check = {"name": "h", "http": {"service": "web", "namespace": "demo", "address": "127.0.0.1", "host": "a.b"}}
    assert one(check, cluster)["status"] == "PASSED"
    assert ("http", "http://127.0.0.1:30080/", (("Host", "a.b"),)) in cluster.calls


@pytest.mark.parametrize("port, url", [
    (80, "http://10.1.0.7:30080/"), ("80", "http://10.1.0.7:30080/"), ("web", "http://10.1.0.7:30080/"),
    ("websecure", None), (443, None),
])
def test_http_picks_the_services_port_by_name_or_number(port, url):
    cluster = runtime_cluster("real-1", http={"http://10.1.0.7:30080/": (200, "ok")})
    cluster.objects[0]["spec"]["ports"] = [{"name": "web", "port": 80, "nodePort": 30080},
                                           {"name": "other", "port": 8443, "nodePort": 30443}]
    result = one({"name": "h", "http": {"service": "web", "namespace": "demo", "port": port}}, cluster)
    assert result.get("url") == url
    assert result["status"] == ("PASSED" if url else "FAILED")


def test_runtime_checks_are_not_run_when_pods_are_only_on_simulated_nodes():
    cluster = runtime_cluster("kwok-0")
    for check in ({"name": "h", "http": {"service": "web", "namespace": "demo"}},
                  {"name": "l", "log": {"namespace": "demo", "selector": "app=web", "startswith": "3"}},
                  {"name": "x", "exec": {"namespace": "demo", "pod": "web-1", "command": ["ls"]}}):
        result = one(check, cluster)
        assert result["status"] == "NOT RUN", check
        assert "simulated" in result["detail"]
    assert cluster.calls == []


def test_http_is_not_run_when_the_services_pods_are_simulated_without_endpoints():
    # A host-network pod on a simulated node gets no IP, so its Service has no endpoint at all.
    cluster = runtime_cluster("kwok-0")
    cluster.objects = [o for o in cluster.objects if o.get("kind") != "EndpointSlice"]
    cluster.objects[0]["spec"]["selector"] = {"app": "web"}
    result = one({"name": "h", "http": {"service": "web", "namespace": "demo"}}, cluster)
    assert result["status"] == "NOT RUN" and "simulated" in result["detail"]
    cluster.objects[0]["spec"]["selector"] = {"app": "none"}
    assert one({"name": "h", "http": {"service": "web", "namespace": "demo"}}, cluster)["status"] == "FAILED"


def test_runtime_checks_fail_when_no_pod_exists():
    result = one({"name": "l", "log": {"namespace": "demo", "selector": "app=none", "startswith": "3"}},
                 runtime_cluster("real-1"))
    assert result["status"] == "FAILED"


def test_log_and_exec_on_a_real_node():
    cluster = runtime_cluster("real-1", logs={"web-1": "3.14159\n"},
                              execs={("web-1", ("ls", "/etc/tls")): (0, "key.pem\ncert.pem\n")})
    assert one({"name": "l", "log": {"namespace": "demo", "selector": "app=web", "startswith": "3.14"}},
               cluster)["status"] == "PASSED"
    assert one({"name": "l", "log": {"namespace": "demo", "selector": "app=web", "startswith": "2.71"}},
               cluster)["status"] == "FAILED"
    check = {"name": "x", "exec": {"namespace": "demo", "pod": "web-1", "command": ["ls", "/etc/tls"],
                                   "lines": ["cert.pem", "key.pem"]}}
    assert one(check, cluster)["status"] == "PASSED"
    check["exec"]["lines"] = ["cert.pem"]
    assert one(check, cluster)["status"] == "FAILED"
    check["exec"]["command"] = ["false"]
    assert "exited 1" in one(check, cluster)["detail"]


def test_record_in_the_zone():
    cluster = FakeCluster(records={"k8s.example": [{"name": "g.k8s.example.", "type": "A", "values": ["1.2.3.4"]}]})
    assert one({"name": "r", "record": {"zone": "k8s.example", "name": "g.k8s.example"}}, cluster)["status"] == "PASSED"
    assert one({"name": "r", "record": {"zone": "k8s.example", "name": "x.k8s.example"}}, cluster)["status"] == "FAILED"


@pytest.mark.parametrize("writers, status, says", [
    # external-dns only on a simulated node: nothing really writes the record.
    ([("external-dns-1", "sim")], "NOT RUN", "runs only on simulated nodes"),
    # no external-dns at all (the add-on switched off).
    ([], "NOT RUN", "no writer runs"),
    # a running external-dns that has not written it yet: a failure (retried until the deadline).
    ([("external-dns-1", "real")], "FAILED", "no A record"),
])
def test_record_with_its_writer(writers, status, says):
    pods = [k("Pod", name, namespace="kube-system", spec={"nodeName": on}, status={"phase": "Running"},
              metadata={"name": name, "namespace": "kube-system", "labels": {"app": "external-dns"}})
            for name, on in writers]
    cluster = FakeCluster(pods, nodes=[node("real"), node("sim", fake=True)])
    check = {"name": "r", "record": {"zone": "k8s.example", "name": "play.k8s.example",
                                     "writer": {"namespace": "kube-system", "selector": "app=external-dns"}}}
    result = one(check, cluster)
    assert result["status"] == status
    assert says in result["detail"]


def test_object_written_by_a_controller_is_not_run_where_the_controller_is_simulated():
    ingress = k("Ingress", "play", status={"loadBalancer": {}})
    controller = k("Pod", "traefik-1", namespace="kube-system", spec={"nodeName": "sim"},
                   metadata={"name": "traefik-1", "namespace": "kube-system", "labels": {"app": "traefik"}})
    check = {"name": "i", "object": {"api_version": "networking.k8s.io/v1", "kind": "Ingress", "name": "play",
                                     "namespace": "demo", "defined": ["status.loadBalancer.ingress.0"],
                                     "writer": {"namespace": "kube-system", "selector": "app=traefik"}}}
    nodes = [node("real"), node("sim", fake=True)]
    result = one(check, FakeCluster([ingress, controller], nodes=nodes))
    assert result["status"] == "NOT RUN" and "simulated" in result["detail"]
    controller["spec"]["nodeName"] = "real"
    assert one(check, FakeCluster([ingress, controller], nodes=nodes))["status"] == "FAILED"
    ingress["status"]["loadBalancer"]["ingress"] = [{"ip": "10.255.0.1"}]
    assert one(check, FakeCluster([ingress, controller], nodes=nodes))["status"] == "PASSED"


def test_record_with_a_writer_passes_once_written():
    cluster = FakeCluster(records={"k8s.example": [
        {"name": "play.k8s.example.", "type": "A", "values": ["10.255.0.1"]}]})
    check = {"name": "r", "record": {"zone": "k8s.example", "name": "play.k8s.example",
                                     "writer": {"namespace": "kube-system", "selector": "app=external-dns"}}}
    assert one(check, cluster)["status"] == "PASSED"


def test_given_checks_and_their_reasons():
    assert one({"name": "g", "given": {"ok": True, "detail": "d"}}, FakeCluster())["status"] == "PASSED"
    assert one({"name": "g", "given": {"ok": "False"}}, FakeCluster())["status"] == "FAILED"
    result = one({"name": "g", "given": {"ok": None, "reason": "no LB here"}}, FakeCluster())
    assert result == dict(result, status="NOT RUN", detail="no LB here")
    with pytest.raises(engine.CheckError):
        one({"name": "g", "given": {"ok": None}}, FakeCluster())


@pytest.mark.parametrize("check", [
    {"object": {}},
    {"name": "two kinds", "object": {}, "log": {}},
    {"name": "no kind"},
    {"name": "not a dict", "object": "Deployment"},
])
def test_wrongly_declared_checks_are_refused_before_any_call(check):
    cluster = FakeCluster()
    with pytest.raises(engine.CheckError):
        engine.run([{"name": "fine", "given": {"ok": True}}, check], cluster)
    assert cluster.calls == []


def test_a_failing_check_is_retried_until_the_deadline():
    clock = {"now": 0.0}
    cluster = FakeCluster()
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        clock["now"] += seconds
        if clock["now"] >= 6:
            cluster.objects.append(DEPLOYMENT)

    report = engine.run([{"name": "web", "object": {"kind": "Deployment", "name": "web", "namespace": "demo"}}],
                        cluster, timeout=30, interval=3, clock=lambda: clock["now"], sleep=sleep)
    assert report["passed"] == 1 and sleeps == [3, 3]
    report = engine.run([{"name": "x", "object": {"kind": "Deployment", "name": "x", "namespace": "demo"}}],
                        cluster, timeout=10, interval=3, clock=lambda: clock["now"], sleep=sleep)
    assert report["failed"] == 1 and report["failures"] == ["x: Deployment demo/x not found"]


class CountingCluster(FakeCluster):
    def __init__(self, *args, **kwargs):
        FakeCluster.__init__(self, *args, **kwargs)
        self.reads = []

    def get(self, api_version, kind, name, namespace):
        self.reads.append(("get", kind, name))
        return FakeCluster.get(self, api_version, kind, name, namespace)

    def list(self, api_version, kind, namespace, selector):
        self.reads.append(("list", kind))
        return FakeCluster.list(self, api_version, kind, namespace, selector)


def test_a_pass_over_the_checks_reads_each_object_and_the_nodes_once():
    cluster = CountingCluster(objects=[DEPLOYMENT])
    spec = {"kind": "Deployment", "name": "web", "namespace": "demo"}
    checks = [{"name": "there", "object": spec},
              {"name": "available", "object": dict(spec, condition={"type": "Available", "status": "True"})},
              {"name": "two replicas", "object": dict(spec, equals={"spec.replicas": 2})}]
    report = engine.run(checks, cluster)
    assert report["passed"] == 3, report["lines"]
    assert cluster.reads == [("list", "Node"), ("get", "Deployment", "web")]


def test_a_retried_check_and_the_checks_after_it_read_again():
    clock = {"now": 0.0}
    cluster = CountingCluster()

    def sleep(seconds):
        clock["now"] += seconds
        cluster.objects.append(DEPLOYMENT)

    spec = {"kind": "Deployment", "name": "web", "namespace": "demo"}
    report = engine.run([{"name": "first", "object": spec}, {"name": "second", "object": spec}], cluster,
                        timeout=30, interval=3, clock=lambda: clock["now"], sleep=sleep)
    assert report["passed"] == 2, report["lines"]
    # The failed read, then a fresh one after the sleep that the second check shares.
    assert cluster.reads == [("list", "Node"), ("get", "Deployment", "web"),
                             ("list", "Node"), ("get", "Deployment", "web")]


def test_runtime_calls_are_never_kept():
    reads = engine.ReadOnce(FakeCluster(http={"http://x/": (200, "ok")}))
    assert reads.http("http://x/", {}) == (200, "ok") and reads.http("http://x/", {}) == (200, "ok")
    assert reads._cluster.calls == [("http", "http://x/", ()), ("http", "http://x/", ())]


def test_report_lines_and_counts():
    report = engine.run([{"name": "a", "given": {"ok": True, "detail": "fine"}},
                         {"name": "b", "given": {"ok": None, "reason": "why"}}], FakeCluster(), title="T")
    assert report["lines"] == ["T", "  PASSED   a: fine", "  NOT RUN  b: why", "1 passed, 0 failed, 1 not run"]


class RequestCluster(FakeCluster):
    """Answers requests as the API server would for each kubeconfig (identity)."""

    def __init__(self, answers):
        super().__init__()
        self.answers = answers

    def request(self, kubeconfig, verb, api_version, kind, namespace, name, body):
        self.calls.append(("request", kubeconfig, verb, kind, namespace))
        return self.answers.get((kubeconfig, verb, kind, namespace), (404, "Not Found"))


DEPLOY_BODY = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "probe"}}


def test_request_passes_on_the_expected_status_and_fails_otherwise():
    cluster = RequestCluster({("dev.kubeconfig", "create", "Deployment", "dev"): (201, ""),
                              ("dev.kubeconfig", "create", "Deployment", "qa"): (403, "Forbidden")})
    allowed = {"name": "a", "request": {"kubeconfig": "dev.kubeconfig", "user": "alice", "api_version": "apps/v1",
                                        "kind": "Deployment", "namespace": "dev", "body": DEPLOY_BODY,
                                        "status": 201}}
    result = one(allowed, cluster)
    assert result["status"] == "PASSED" and result["depth"] == "object"
    assert result["detail"] == "create Deployment in dev as alice -> 201"
    refused = dict(allowed, request=dict(allowed["request"], namespace="qa", status=403))
    assert one(refused, cluster)["status"] == "PASSED"
    wrong = dict(allowed, request=dict(allowed["request"], namespace="qa", status=201))
    result = one(dict(wrong, wait=False), cluster)
    assert result["status"] == "FAILED" and result["detail"].endswith("-> 403 Forbidden, expected 201")


@pytest.mark.parametrize("spec, message", [
    ({"kubeconfig": "k", "kind": "Secret", "verb": "delete", "status": 403}, "verb must be one of"),
    ({"kind": "Secret", "verb": "list", "status": 403}, "needs kubeconfig"),
    ({"kubeconfig": "k", "kind": "Secret", "verb": "list"}, "needs kubeconfig"),
    ({"kubeconfig": "k", "kind": "Secret", "verb": "create", "status": 403}, "needs the object as body"),
])
def test_request_checks_declared_wrongly_are_refused(spec, message):
    with pytest.raises(engine.CheckError, match=message):
        engine.run([{"name": "r", "request": spec}], RequestCluster({}))


# ---- aws: what an AWS API answers -----------------------------------------------

EFS = {"FileSystems": [{"FileSystemId": "fs-1", "Encrypted": True, "LifeCycleState": "available",
                        "Tags": [{"Key": "Environment", "Value": "rehearsal"}]}]}
MOUNT_TARGETS = {"MountTargets": [{"SubnetId": "subnet-a", "LifeCycleState": "available"},
                                  {"SubnetId": "subnet-b", "LifeCycleState": "creating"}]}


def aws_check(**spec):
    base = {"service": "efs", "call": "describe_file_systems", "params": {"FileSystemId": "fs-1"}}
    base.update(spec)
    return {"name": "efs", "aws": base}


def test_aws_answer_compared_like_an_object():
    cluster = FakeCluster(aws={("efs", "describe_file_systems"): EFS})
    report = engine.run([aws_check(equals={"FileSystems.0.Encrypted": True}, length={"FileSystems": 1},
                                   defined=["FileSystems.0.Tags"])], cluster)
    assert report["passed"] == 1, report["lines"]
    assert ("aws", "efs", "describe_file_systems", (("FileSystemId", "fs-1"),)) in cluster.calls
    assert "efs describe_file_systems" in report["results"][0]["detail"]


@pytest.mark.parametrize("spec,says", [
    ({"equals": {"FileSystems.0.Encrypted": False}}, "FileSystems.0.Encrypted is True, expected False"),
    ({"length": {"FileSystems": 2}}, "FileSystems has 1 item(s), expected 2"),
    ({"length": {"Nothing": 0}}, "Nothing has missing item(s), expected 0"),
    ({"defined": ["FileSystems.0.KmsKeyId"]}, "FileSystems.0.KmsKeyId is not set"),
])
def test_aws_answer_that_differs_fails_saying_how(spec, says):
    cluster = FakeCluster(aws={("efs", "describe_file_systems"): EFS})
    report = engine.run([aws_check(**spec)], cluster)
    assert report["failed"] == 1 and says in report["results"][0]["detail"], report["lines"]


def test_each_item_of_a_list_must_have_the_value():
    cluster = FakeCluster(aws={("efs", "describe_mount_targets"): MOUNT_TARGETS})
    check = aws_check(call="describe_mount_targets", each={"MountTargets": {"LifeCycleState": "available"}})
    report = engine.run([check], cluster)
    assert report["failed"] == 1
    assert "LifeCycleState is creating, expected available in each" in report["results"][0]["detail"]
    MOUNT_TARGETS["MountTargets"][1]["LifeCycleState"] = "available"
    try:
        assert engine.run([check], cluster)["passed"] == 1
    finally:
        MOUNT_TARGETS["MountTargets"][1]["LifeCycleState"] = "creating"


def test_each_of_an_empty_list_fails():
    cluster = FakeCluster(aws={("efs", "describe_mount_targets"): {"MountTargets": []}})
    check = aws_check(call="describe_mount_targets", each={"MountTargets": {"LifeCycleState": "available"}})
    report = engine.run([check], cluster)
    assert report["failed"] == 1 and "no item" in report["results"][0]["detail"]


def test_an_aws_check_needs_service_and_call():
    with pytest.raises(engine.CheckError, match="service and call"):
        engine.run([{"name": "x", "aws": {"service": "efs"}}], FakeCluster())


def test_an_aws_error_is_the_checks_failure():
    class Refusing(FakeCluster):
        def aws(self, service, call, params):
            raise RuntimeError("FileSystemNotFound")
    report = engine.run([aws_check(length={"FileSystems": 1})], Refusing())
    assert report["failed"] == 1 and "FileSystemNotFound" in report["results"][0]["detail"]


def test_aws_tags_are_found_in_any_order():
    cluster = FakeCluster(aws={("efs", "describe_file_systems"): EFS})
    assert engine.run([aws_check(tags={"FileSystems.0.Tags": {"Environment": "rehearsal"}})], cluster)["passed"] == 1
    report = engine.run([aws_check(tags={"FileSystems.0.Tags": {"Environment": "dev", "Name": "efs"}})], cluster)
    assert report["failed"] == 1
    detail = report["results"][0]["detail"]
    assert "tag Environment is rehearsal, expected dev; tag Name is missing, expected efs" in detail


# ---- leftovers: gone, unequal, show ---------------------------------------------

def test_gone_lists_what_is_left():
    left = k("Deployment", "traefik", "kube-system")
    cluster = FakeCluster(objects=[left])
    manifests = [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "traefik", "namespace": "kube-system"}},
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo-hello"}},
    ]
    report = engine.run([{"name": "gone", "gone": {"manifests": manifests}}], cluster)
    assert report["failed"] == 1
    assert report["results"][0]["detail"] == "1 of 2 still exist: Deployment kube-system/traefik"
    assert engine.run([{"name": "gone", "gone": {"manifests": manifests[1:]}}], cluster)["passed"] == 1


def test_gone_needs_manifests():
    with pytest.raises(engine.CheckError, match="manifests"):
        engine.run([{"name": "gone", "gone": {"manifests": []}}], FakeCluster())


def test_a_length_that_fails_shows_the_items():
    tagged = {"ResourceTagMappingList": [{"ResourceARN": "arn:aws:ec2:us-east-2:1:vpc/vpc-1"}]}
    cluster = FakeCluster(aws={("resourcegroupstaggingapi", "get_resources"): tagged})
    check = {"name": "tagged", "aws": {"service": "resourcegroupstaggingapi", "call": "get_resources",
                                       "length": {"ResourceTagMappingList": 0}, "show": "ResourceARN"}}
    report = engine.run([check], cluster)
    assert report["failed"] == 1
    assert report["results"][0]["detail"].endswith("has 1 item(s), expected 0: arn:aws:ec2:us-east-2:1:vpc/vpc-1")


def test_unequal_fails_on_the_value():
    zones = {"HostedZones": [{"Name": "k8s.indydevops.example."}]}
    cluster = FakeCluster(aws={("route53", "list_hosted_zones_by_name"): zones})
    check = aws_check(service="route53", call="list_hosted_zones_by_name",
                      unequal={"HostedZones.0.Name": "k8s.indydevops.example."})
    assert engine.run([check], cluster)["failed"] == 1
    zones["HostedZones"] = [{"Name": "other.example."}]
    assert engine.run([check], cluster)["passed"] == 1


def test_aws_and_given_checks_never_ask_the_cluster():
    class NoCluster(FakeCluster):
        def list(self, *args):
            raise AssertionError("the cluster was asked")
    checks = [aws_check(length={"FileSystems": 1}), {"name": "g", "given": {"ok": True}}]
    report = engine.run(checks, NoCluster(aws={("efs", "describe_file_systems"): EFS}))
    assert report["passed"] == 2, report["lines"]
