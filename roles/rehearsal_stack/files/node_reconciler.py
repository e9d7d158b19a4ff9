# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rehearsal's instances become nodes: one Kubernetes node per running kops instance.

On AWS each instance kops launches boots, runs nodeup and joins the cluster
as a node named by its instance id, whose spec.providerID names the instance
(aws:///<zone>/<id>); a control-plane instance also runs kube-apiserver,
kube-controller-manager and kube-scheduler as static pods. `kops validate
cluster` checks exactly that. The emulator's instances are records, not
machines, so this process plays their boot: every few seconds it lists the
emulator's instances that carry kops' instance-group tag and

- registers a node for each running control-plane or worker instance (not the
  bastion, which never joins), with the labels kops gives it (its
  node-template tags), the zone, region and instance type, the instance's
  private address, and the control plane's taint; KWOK simulates these nodes
  (annotation kwok.x-k8s.io/node=fake);
- gives a control-plane node the three static pods kops validate looks for
  (kube-system, k8s-app=kube-apiserver|kube-controller-manager|kube-scheduler,
  host network on the node);
- lets the real node (--real-node, a kubelet that registered itself without a
  provider id) stand for one worker instance instead: its providerID and
  labels are set once, and that instance gets no simulated node;
- removes the nodes (and static pods) of instances that are gone or stopping,
  so scaling an instance group, `kops rolling-update` and `kops delete
  cluster` are reflected within seconds.

It touches only nodes it labelled (app.kubernetes.io/managed-by=
rehearsal-instances) and the real node. A health endpoint on --host:--port
answers GET / with the last pass as JSON.

Usage: node_reconciler.py --endpoint http://127.0.0.1:5055 --region us-east-2
       --kubeconfig PATH [--real-node NAME] [--simulated-taint] [--kubelet-version v1.36.3]
       [--host 127.0.0.1] [--port 10280]
"""

import argparse
import http.server
import json
import os
import signal
import sys
import threading
import time

import boto3  # comes with moto[server] (requirements.txt), as the emulator runs with the same Python
from kubernetes import client, config  # the client kubernetes.core uses (requirements.txt)
from kubernetes.client.rest import ApiException

MANAGED_BY = "rehearsal-instances"
GROUP_TAG = "kops.k8s.io/instancegroup"
TEMPLATE_LABEL = "k8s.io/cluster-autoscaler/node-template/label/"
ROLE_TAGS = (
    ("k8s.io/role/control-plane", "control-plane"),
    ("k8s.io/role/master", "control-plane"),
    ("k8s.io/role/node", "node"),
)
STATIC_PODS = ("kube-apiserver", "kube-controller-manager", "kube-scheduler")
SIMULATED_TAINT = {"key": "kwok.x-k8s.io/node", "value": "fake", "effect": "NoSchedule"}
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
CAPACITY = {
    # What the instance types of the talk offer (vCPU, memory); others get the default.
    "t3.micro": ("2", "1Gi"),
    "t3.small": ("2", "2Gi"),
    "t3.medium": ("2", "4Gi"),
    "t3.large": ("2", "8Gi"),
    "t3.xlarge": ("4", "16Gi"),
    "t3.2xlarge": ("8", "32Gi"),
    "m5.large": ("2", "8Gi"),
    "m5.xlarge": ("4", "16Gi"),
    "c5.large": ("2", "4Gi"),
}
DEFAULT_CAPACITY = ("2", "4Gi")


def tags_of(instance):
    return {t["Key"]: t["Value"] for t in instance.get("Tags", [])}


def role_of(tags):
    """control-plane, node, or None (a bastion, or not kops')."""
    if GROUP_TAG not in tags:
        return None
    for tag, role in ROLE_TAGS:
        if tag in tags:
            return role
    return None


def provider_id(instance):
    return "aws:///%s/%s" % (instance["Placement"]["AvailabilityZone"], instance["InstanceId"])


def instance_labels(instance, region):
    """The labels kops puts on the instance's node: its node-template tags and the cloud's."""
    tags = tags_of(instance)
    labels = {k[len(TEMPLATE_LABEL) :]: v for k, v in tags.items() if k.startswith(TEMPLATE_LABEL)}
    labels.update(
        {
            "kops.k8s.io/instancegroup": tags[GROUP_TAG],
            "node.kubernetes.io/instance-type": instance["InstanceType"],
            "topology.kubernetes.io/region": region,
            "topology.kubernetes.io/zone": instance["Placement"]["AvailabilityZone"],
        }
    )
    if role_of(tags) == "node":
        labels.setdefault("node-role.kubernetes.io/node", "")
    else:
        labels.setdefault("node-role.kubernetes.io/control-plane", "")
    return labels


def node_info(kubelet_version):
    """What the node's kubelet reports (kops compares the control plane's version before an update)."""
    return {
        "architecture": "amd64",
        "operatingSystem": "linux",
        "osImage": "Ubuntu 24.04 LTS",
        "kubeletVersion": kubelet_version,
        "containerRuntimeVersion": "containerd://simulated",
    }


def node_manifest(instance, region, simulated_taint=False, kubelet_version="v0.0.0"):
    """The Node a kops instance becomes (named by its instance id, as kops names nodes on AWS)."""
    name = instance["InstanceId"]
    role = role_of(tags_of(instance))
    labels = instance_labels(instance, region)
    labels.update(
        {
            "app.kubernetes.io/managed-by": MANAGED_BY,
            "kubernetes.io/arch": "amd64",
            "kubernetes.io/os": "linux",
            "kubernetes.io/hostname": name,
            "type": "kwok",
        }
    )
    taints = []
    if role == "control-plane":
        taints.append(dict(CONTROL_PLANE_TAINT))
    if simulated_taint:
        taints.append(dict(SIMULATED_TAINT))
    cpu, memory = CAPACITY.get(instance["InstanceType"], DEFAULT_CAPACITY)
    capacity = {"cpu": cpu, "memory": memory, "pods": "110"}
    addresses = [{"type": "InternalIP", "address": instance.get("PrivateIpAddress", "")}]
    if instance.get("PrivateDnsName"):
        addresses += [
            {"type": "InternalDNS", "address": instance["PrivateDnsName"]},
            {"type": "Hostname", "address": instance["PrivateDnsName"]},
        ]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": labels,
            "annotations": {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
        },
        "spec": {"providerID": provider_id(instance), "taints": taints},
        "status": {
            "allocatable": capacity,
            "capacity": capacity,
            "addresses": [a for a in addresses if a["address"]],
            "nodeInfo": node_info(kubelet_version),
        },
    }


def static_pod_manifests(node_name):
    """The control plane's static pods kops validate expects on a control-plane node."""
    pods = []
    for component in STATIC_PODS:
        pods.append(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": "%s-%s" % (component, node_name),
                    "namespace": "kube-system",
                    "labels": {
                        "k8s-app": component,
                        "tier": "control-plane",
                        "app.kubernetes.io/managed-by": MANAGED_BY,
                    },
                    "annotations": {"kubernetes.io/config.source": "file"},
                },
                "spec": {
                    "nodeName": node_name,
                    "hostNetwork": True,
                    "priorityClassName": "system-cluster-critical",
                    "tolerations": [{"operator": "Exists"}],
                    "containers": [{"name": component, "image": "registry.k8s.io/%s" % component}],
                },
            }
        )
    return pods


def taint_set(taints):
    return sorted((t.get("key"), t.get("value") or "", t.get("effect")) for t in taints)


def plan(instances, nodes, region, real_node=None, simulated_taint=False, kubelet_version="v0.0.0"):
    """What to change: {'create': [Node], 'delete': [name], 'claim': (real node name, instance) or None}.

    instances: the emulator's instances (any state); nodes: the cluster's Node
    objects (dicts with metadata and spec).
    """
    wanted = {}
    for instance in instances:
        if instance.get("State", {}).get("Name") not in ("pending", "running"):
            continue
        if role_of(tags_of(instance)) is None:
            continue
        wanted[instance["InstanceId"]] = instance
    by_name = {n["metadata"]["name"]: n for n in nodes}
    claim = None
    claimed_id = None
    release = None
    real = by_name.get(real_node) if real_node else None
    if real is not None:
        current = (real.get("spec") or {}).get("providerID") or ""
        if current and current.rsplit("/", 1)[-1] not in wanted:
            # Its instance is gone (kops delete cluster); a provider id cannot change:
            # the node must register again (its kubelet restarted) to stand for another.
            release = real_node
        elif current:
            claimed_id = current.rsplit("/", 1)[-1]
        else:
            workers = sorted(
                (i for i in wanted.values() if role_of(tags_of(i)) == "node"),
                key=lambda i: (i.get("LaunchTime", ""), i["InstanceId"]),
            )
            if workers:
                claim = (real_node, workers[0])
                claimed_id = workers[0]["InstanceId"]
    managed = {
        name
        for name, n in by_name.items()
        if (n["metadata"].get("labels") or {}).get("app.kubernetes.io/managed-by") == MANAGED_BY
    }
    create = [
        node_manifest(i, region, simulated_taint, kubelet_version)
        for iid, i in sorted(wanted.items())
        if iid != claimed_id and iid not in by_name
    ]
    delete = sorted(name for name in managed if name not in wanted or name == claimed_id)
    # A node made before the real node came (or after it went) has the other taints.
    taints = {}
    for name in sorted(managed - set(delete)):
        want = node_manifest(wanted[name], region, simulated_taint, kubelet_version)["spec"]["taints"]
        have = (by_name[name].get("spec") or {}).get("taints") or []
        if taint_set(have) != taint_set(want):
            taints[name] = want
    return {"create": create, "delete": delete, "claim": claim, "taints": taints, "release": release}


class Reconciler(object):
    def __init__(self, args):
        self.args = args
        self.ec2 = boto3.client(
            "ec2",
            endpoint_url=args.endpoint,
            region_name=args.region,
            aws_access_key_id="rehearsal",
            aws_secret_access_key="rehearsal",
        )
        self.api = client.CoreV1Api(config.new_client_from_config(config_file=args.kubeconfig))
        self.status = {"passes": 0, "nodes": [], "error": None}

    def instances(self):
        found = []
        for page in self.ec2.get_paginator("describe_instances").paginate(
            Filters=[{"Name": "tag-key", "Values": [GROUP_TAG]}]
        ):
            for reservation in page["Reservations"]:
                found.extend(reservation["Instances"])
        for instance in found:
            if "LaunchTime" in instance:
                instance["LaunchTime"] = instance["LaunchTime"].isoformat()
        return found

    def once(self):
        nodes = [n.to_dict() for n in self.api.list_node().items]
        for n in nodes:
            n["metadata"]["labels"] = n["metadata"].get("labels") or {}
            n["spec"]["providerID"] = (n.get("spec") or {}).get("provider_id")
        changes = plan(
            self.instances(),
            nodes,
            self.args.region,
            self.args.real_node,
            self.args.simulated_taint,
            self.args.kubelet_version,
        )
        for name in changes["delete"]:
            for component in STATIC_PODS:
                try:
                    self.api.delete_namespaced_pod("%s-%s" % (component, name), "kube-system", grace_period_seconds=0)
                except ApiException as e:
                    if e.status != 404:
                        raise
            self.api.delete_node(name)
            claimed = changes["claim"] and changes["claim"][1]["InstanceId"] == name
            log("removed node %s (%s)" % (name, "the real node stands for it" if claimed else "its instance is gone"))
        for node in changes["create"]:
            status = node.pop("status")
            self.api.create_node(node)
            self.api.patch_node_status(node["metadata"]["name"], {"status": status})
            log(
                "registered node %s (%s)"
                % (node["metadata"]["name"], node["metadata"]["labels"]["kops.k8s.io/instancegroup"])
            )
        for n in nodes:
            # KWOK reports its own version where the node does not name one.
            version = ((n.get("status") or {}).get("node_info") or {}).get("kubelet_version")
            managed = n["metadata"]["labels"].get("app.kubernetes.io/managed-by") == MANAGED_BY
            if managed and n["metadata"]["name"] not in changes["delete"] and version != self.args.kubelet_version:
                self.api.patch_node_status(
                    n["metadata"]["name"], {"status": {"nodeInfo": node_info(self.args.kubelet_version)}}
                )
        for name, taints in changes["taints"].items():
            self.api.patch_node(name, {"spec": {"taints": taints}})
            log("node %s now has the taints %s" % (name, [t["key"] for t in taints]))
        if changes["release"] and self.args.real_node_pid_file:
            self.release(changes["release"])
        if changes["claim"]:
            name, instance = changes["claim"]
            self.api.patch_node(
                name,
                {
                    "metadata": {"labels": instance_labels(instance, self.args.region)},
                    "spec": {"providerID": provider_id(instance)},
                },
            )
            log("real node %s stands for instance %s" % (name, instance["InstanceId"]))
        cp = [
            n["metadata"]["name"]
            for n in nodes + changes["create"]
            if "node-role.kubernetes.io/control-plane" in n["metadata"]["labels"]
            and n["metadata"]["labels"].get("app.kubernetes.io/managed-by") == MANAGED_BY
            and n["metadata"]["name"] not in changes["delete"]
        ]
        existing = {
            p.metadata.name
            for p in self.api.list_namespaced_pod(
                "kube-system", label_selector="app.kubernetes.io/managed-by=" + MANAGED_BY
            ).items
        }
        for name in cp:
            for pod in static_pod_manifests(name):
                if pod["metadata"]["name"] not in existing:
                    self.api.create_namespaced_pod("kube-system", pod)
        self.status = {
            "passes": self.status["passes"] + 1,
            "error": None,
            "nodes": sorted(set(n["metadata"]["name"] for n in nodes + changes["create"]) - set(changes["delete"])),
        }

    def release(self, name):
        """The real node stood for an instance that is gone: its Node goes and its kubelet
        stops, so the stack's next `present` starts it again and it registers afresh."""
        try:
            with open(self.args.real_node_pid_file) as handle:
                pid = int(handle.read().strip())
            with open("/proc/%d/cmdline" % pid, "rb") as handle:
                is_kubelet = b"kubelet" in handle.read()
        except (IOError, OSError, ValueError):
            pid, is_kubelet = None, False
        self.api.delete_node(name)
        if is_kubelet:
            os.kill(pid, signal.SIGTERM)
        log(
            "real node %s stood for an instance that is gone: node removed, kubelet %s stopped "
            "(the stack's next present registers it again)" % (name, pid)
        )

    def run(self):
        while True:
            try:
                self.once()
            except Exception as e:  # keep going: the emulator or the API server may be restarting
                self.status = dict(self.status, error=str(e)[:500])
                log("pass failed: %s" % str(e)[:500])
            time.sleep(self.args.interval)


def log(message):
    sys.stderr.write("%s %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%S"), message))
    sys.stderr.flush()


def serve_health(reconciler, host, port):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps(reconciler.status).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--real-node", default=None)
    parser.add_argument("--simulated-taint", action="store_true")
    parser.add_argument("--real-node-pid-file", default=None, help="the real node's kubelet pid file")
    parser.add_argument("--kubelet-version", default="v0.0.0", help="the version the nodes' kubelets report")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=10280)
    parser.add_argument("--interval", type=float, default=2.0)
    args = parser.parse_args(argv)
    reconciler = Reconciler(args)
    serve_health(reconciler, args.host, args.port)
    reconciler.run()


if __name__ == "__main__":
    main()
