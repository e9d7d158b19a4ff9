#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: verify
short_description: Run a demo's declared checks and report each at its depth
version_added: 0.2.0
description:
  - The one verification engine of the talk. A role declares its checks as data;
    this module runs them against the cluster (and, for C(record) and C(aws) checks, the
    AWS APIs) and reports each PASSED, FAILED or NOT RUN with its reason.
  - Object checks read what the API server and the controllers say. Runtime
    checks (C(http), C(exec), C(log)) run against pods on real nodes; when the
    pods they need are only on simulated nodes (annotation
    C(kwok.x-k8s.io/node=fake)) they are NOT RUN, never passed.
  - A FAILED check is retried until O(timeout) seconds have passed since the
    module started (one deadline for all checks).
  - The stage's state is read once per pass over the checks (the nodes, and each object or
    list several checks look at); a retry and every check after it read again.
  - The check vocabulary is documented in C(plugins/module_utils/verify.py).
author:
  - Indy DevOps (@indydevops)
options:
  title:
    description: The report's first line.
    type: str
    default: Demo
  checks:
    description: The checks, each a dict with C(name) and one kind key.
    type: list
    elements: dict
    required: true
  timeout:
    description: Seconds a failing check is retried for (all checks share the deadline).
    type: int
    default: 0
  interval:
    description: Seconds between retries.
    type: int
    default: 3
  kubeconfig:
    description: Path of the kubeconfig.
    type: path
  context:
    description: Context of the kubeconfig to use.
    type: str
  endpoint_url:
    description: AWS endpoint for C(record) and C(aws) checks (the emulator on rehearsal).
    type: str
  access_key:
    description: AWS access key for C(record) and C(aws) checks.
    type: str
  secret_key:
    description: AWS secret key for C(record) and C(aws) checks.
    type: str
  region:
    description: AWS region for C(record) and C(aws) checks.
    type: str
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
    details: Read only.
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Verify the hello demo
  indydevops.k8s_talk.verify:
    title: Hello
    timeout: 120
    checks:
      - name: Deployment hello-minikube is Available
        object:
          api_version: apps/v1
          kind: Deployment
          name: hello-minikube
          namespace: default
          condition: {type: Available, status: "True"}
      - name: The echo server answers through the node port
        http:
          service: hello-minikube
          namespace: default
          path: /echo?msg=hi
          body: hi
"""

RETURN = r"""
lines:
  description: The report, a line per check and a count line.
  returned: always
  type: list
  elements: str
results:
  description:
    - Each check's name, kind, depth, status and detail.
    - An C(http) check that reached its target also returns the C(url) it requested (what a presenter opens).
  returned: always
  type: list
  elements: dict
counts:
  description: How many checks passed, failed and did not run (each NOT RUN says why in its line).
  returned: always
  type: dict
  sample: {passed: 4, failed: 0, not_run: 1}
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.urls import open_url
from ansible_collections.indydevops.k8s_talk.plugins.module_utils import verify as engine

try:
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes import dynamic
    from kubernetes.client.exceptions import ApiException
    from kubernetes.dynamic.exceptions import NotFoundError
    from kubernetes.dynamic.exceptions import ResourceNotFoundError
    from kubernetes.stream import stream
except ImportError:
    K8S_IMPORT_ERROR = traceback.format_exc()
else:
    K8S_IMPORT_ERROR = None


class Cluster:
    """The engine's boundary, for real: the Kubernetes API, HTTP and AWS (Route53, the aws checks' calls)."""

    def __init__(self, module):
        self.module = module
        self._clients = None

    def _connect(self):
        # Only a check that asks the cluster connects (a run of AWS checks alone needs no kubeconfig).
        if self._clients is None:
            api_client = k8s_config.new_client_from_config(
                config_file=self.module.params["kubeconfig"], context=self.module.params["context"])
            self._clients = (dynamic.DynamicClient(api_client), k8s_client.CoreV1Api(api_client))
        return self._clients

    @property
    def dynamic(self):
        return self._connect()[0]

    @property
    def core(self):
        return self._connect()[1]

    def _resource(self, api_version, kind):
        return self.dynamic.resources.get(api_version=api_version, kind=kind)

    def get(self, api_version, kind, name, namespace):
        try:
            return self._resource(api_version, kind).get(name=name, namespace=namespace).to_dict()
        except (NotFoundError, ResourceNotFoundError):
            # No such object, or a kind the cluster does not serve (its CRD is gone): none.
            return None

    def list(self, api_version, kind, namespace, selector):
        found = self._resource(api_version, kind).get(namespace=namespace, label_selector=selector or None)
        return found.to_dict().get("items") or []

    def log(self, namespace, pod, container):
        return self.core.read_namespaced_pod_log(pod, namespace, container=container)

    def exec(self, namespace, pod, container, command):
        kwargs = dict(command=command, stderr=True, stdin=False, stdout=True, tty=False,
                      _preload_content=False)
        if container:
            kwargs["container"] = container
        resp = stream(self.core.connect_get_namespaced_pod_exec, pod, namespace, **kwargs)
        out = []
        while resp.is_open():
            resp.update(timeout=1)
            if resp.peek_stdout():
                out.append(resp.read_stdout())
        resp.close()
        return resp.returncode, "".join(out)

    def http(self, url, headers, method="GET", data=None):
        try:
            resp = open_url(url, method=method, headers=headers, data=data, timeout=10,
                            validate_certs=False, follow_redirects="all")
            return resp.getcode(), resp.read().decode("utf-8", errors="replace")
        except Exception as exc:  # urllib's HTTPError carries the status
            code = getattr(exc, "code", None)
            if code is not None:
                body = exc.read().decode("utf-8", errors="replace") if hasattr(exc, "read") else ""
                return code, body
            return None, "%s: %s" % (type(exc).__name__, exc)

    def request(self, kubeconfig, verb, api_version, kind, namespace, name, body):
        """(HTTP status, message) of a request made as the identity in another kubeconfig."""
        other = dynamic.DynamicClient(k8s_config.new_client_from_config(config_file=kubeconfig))
        try:
            resource = other.resources.get(api_version=api_version, kind=kind)
            if verb == "create":
                # A server-side dry run: authorization and admission answer, nothing is stored.
                resource.create(body=body, namespace=namespace, dry_run="All")
                return 201, ""
            resource.get(name=name, namespace=namespace)
            return 200, ""
        except ApiException as exc:
            return exc.status, (exc.reason or "").strip()

    def _aws_client(self, service):
        import boto3  # only record and aws checks need it (amazon.aws' own requirement)

        params = self.module.params
        return boto3.client(service, endpoint_url=params["endpoint_url"] or None,
                            aws_access_key_id=params["access_key"] or None,
                            aws_secret_access_key=params["secret_key"] or None,
                            region_name=params["region"] or None)

    def aws(self, service, call, params):
        """The answer of one read-only AWS call (describe_/list_/get_ only)."""
        if not call.startswith(("describe_", "list_", "get_")):
            raise engine.CheckError("aws checks only read: %s is not a describe_, list_ or get_ call" % call)
        answer = getattr(self._aws_client(service), call)(**params)
        answer.pop("ResponseMetadata", None)
        return answer

    def records(self, zone):
        r53 = self._aws_client("route53")
        name = zone.rstrip(".") + "."
        zones = [z for z in r53.list_hosted_zones()["HostedZones"] if z["Name"] == name]
        out = []
        for found in zones:
            for page in r53.get_paginator("list_resource_record_sets").paginate(HostedZoneId=found["Id"]):
                for record in page["ResourceRecordSets"]:
                    values = [r["Value"] for r in record.get("ResourceRecords", [])]
                    if record.get("AliasTarget"):
                        values.append(record["AliasTarget"]["DNSName"])
                    out.append({"name": record["Name"], "type": record["Type"], "values": values})
        return out


def main():
    module = AnsibleModule(
        argument_spec=dict(
            title=dict(type="str", default="Demo"),
            checks=dict(type="list", elements="dict", required=True),
            timeout=dict(type="int", default=0),
            interval=dict(type="int", default=3),
            kubeconfig=dict(type="path"),
            context=dict(type="str"),
            endpoint_url=dict(type="str"),
            access_key=dict(type="str", no_log=False),
            secret_key=dict(type="str", no_log=True),
            region=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    if K8S_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("kubernetes"), exception=K8S_IMPORT_ERROR)
    params = module.params
    try:
        report = engine.run(params["checks"], Cluster(module), title=params["title"],
                            timeout=params["timeout"], interval=params["interval"])
    except engine.CheckError as exc:
        module.fail_json(msg="%s: a check is declared wrongly: %s" % (params["title"], exc))
    result = dict(changed=False, lines=report["lines"], results=report["results"],
                  counts=dict(passed=report["passed"], failed=report["failed"], not_run=report["not_run"]))
    if report["failed"]:
        module.fail_json(msg="%s: %d check(s) failed: %s" % (
            params["title"], report["failed"], "; ".join(report["failures"])), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
