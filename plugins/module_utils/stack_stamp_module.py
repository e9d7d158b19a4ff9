# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What rehearsal_stamp and rehearsal_stamp_info share: their argument spec and the reads of the system."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os

from ansible.module_utils.urls import open_url

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import stack_stamp
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.process import port_open, read_pid

try:
    import yaml
except ImportError:  # pragma: no cover - ansible-core requires PyYAML
    yaml = None

STACK_OPTIONS = dict(
    path=dict(type="path", required=True),
    inputs=dict(type="str"),
    code=dict(type="list", elements="path", default=[]),
    pid_files=dict(type="list", elements="path", default=[]),
    pid_dirs=dict(type="list", elements="path", default=[]),
    files=dict(type="list", elements="path", default=[]),
    ports=dict(type="list", elements="dict", default=[],
               options=dict(host=dict(type="str", required=True), port=dict(type="int", required=True))),
    kubeconfig=dict(type="path"),
    nodes=dict(type="list", elements="str", default=[]),
    deployments=dict(type="list", elements="str", default=[]),
)
# Both modules take the stack's description as one dict (the role defines it once).
ARGUMENT_SPEC = dict(stack=dict(type="dict", required=True, options=STACK_OPTIONS))

TIMEOUT = 5


def current_processes(params):
    pid_files = stack_stamp.pid_files_in(params["pid_files"], params["pid_dirs"])
    return stack_stamp.process_identities(pid_files, read_pid)


def read_stamp(path):
    try:
        with open(path) as handle:
            return json.load(handle)
    except (IOError, OSError, ValueError):
        return None


def _material(entry, tmpdir, name):
    if entry is None:
        return None
    kind, value = entry
    if kind == "file":
        return value
    path = os.path.join(tmpdir, name)
    with open(path, "wb") as handle:
        handle.write(base64.b64decode(value))
    return path


def _kube_get(client, files, api_path):
    headers = {"Accept": "application/json"}
    if client["token"]:
        headers["Authorization"] = "Bearer " + client["token"]
    response = open_url(client["server"].rstrip("/") + api_path, headers=headers, timeout=TIMEOUT,
                        validate_certs=client["verify"], ca_path=files["ca"],
                        client_cert=files["cert"], client_key=files["key"])
    return json.loads(response.read())


def live_reasons(params, tmpdir):
    """Reasons from the system itself: the ports, the apiserver's nodes and Deployments."""
    reasons = ["%s:%s: nothing listens" % (p["host"], p["port"])
               for p in params["ports"] if not port_open(p["host"], p["port"])]
    if reasons:
        return reasons
    if params["nodes"] or params["deployments"]:
        try:
            with open(params["kubeconfig"]) as handle:
                client = stack_stamp.kubeconfig_client(yaml.safe_load(handle), os.path.dirname(params["kubeconfig"]))
            files = dict((key, _material(client[key], tmpdir, key)) for key in ("ca", "cert", "key"))
            if params["nodes"]:
                reasons += stack_stamp.node_reasons(params["nodes"], _kube_get(client, files, "/api/v1/nodes"))
            for name in params["deployments"]:
                namespace, _sep, deployment = name.partition("/")
                try:
                    found = _kube_get(client, files,
                                      "/apis/apps/v1/namespaces/%s/deployments/%s" % (namespace, deployment))
                except Exception as exc:  # 404 and the like: the Deployment is not there to vouch for
                    found = None if "404" in str(exc) else {"status": {}, "spec": {}, "error": str(exc)}
                reasons += stack_stamp.deployment_reasons(name, found)
        except Exception as exc:  # any failure to ask is a reason to run the whole role
            reasons.append("the apiserver did not answer: %s" % exc)
    return reasons
