# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every manifest the addons role can apply, rendered for each combination of
its toggles, validates against the Kubernetes 1.36 OpenAPI schema (the
kubernetes-validate package ships it, strict: unknown fields fail); custom
resources validate against the vendored CRDs' own schema. The objects also
hold together: selectors match pod labels, service accounts exist."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools
import json
import os

import jinja2
from ansible.plugins.filter.core import FilterModule as AnsibleCoreFilters
import jsonschema
import kubernetes_validate
import pytest
import yaml

ROLE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "addons"))
TOOL_PINS = os.path.join(ROLE, "..", "k8s_talk", "defaults", "main", "tools.yml")
with open(TOOL_PINS) as _handle:
    # The schema of the pinned Kubernetes minor (kubernetes-validate ships one per minor).
    KUBERNETES_VERSION = "%s.%s.0" % tuple(
        yaml.safe_load(_handle)["k8s_talk_tool_versions"]["kubernetes"]["version"].lstrip("v").split(".")[:2])

with open(os.path.join(ROLE, "vars", "main.yml")) as _handle:
    ROLE_VARS = yaml.safe_load(_handle)
CATALOG = {entry["name"]: entry for entry in ROLE_VARS["__addons_catalog"]}

# The role defaults as the rehearsal inventory resolves them.
BASE = {
    "addons_releases": ROLE_VARS["addons_releases"],
    "addons_namespace": "kube-system",
    "addons_metrics_server_register_api": True,
    "addons_headlamp_admin_clusterrole": "cluster-admin",
    "addons_external_dns_domain": "k8s.indydevops.example",
    "addons_external_dns_owner_id": "k8s-indydevops-example",
    "addons_external_dns_policy": "upsert-only",
    "addons_external_dns_interval": "1m",
    "addons_ingress_default_class": True,
    "addons_ingress_service_type": "LoadBalancer",
    "addons_ingress_nginx_admission_webhook": True,
    "k8s_talk_region": "us-east-2",
    "__addons_gateway_api": True,
    "addons_node_selector": {},
    "addons_tolerations": [],
    "addons_traefik_ports": {"web": 8000, "websecure": 8443, "traefik": 8080, "metrics": 9100},
    "addons_metrics_server_image": ROLE_VARS["addons_releases"]["metrics_server"]["image"],
    "addons_metrics_server_port": 10250,
    "addons_metrics_server_kubelet_insecure_tls": False,
    "addons_metrics_server_host_network": False,
    "addons_metrics_server_apiserver_host": "",
    "addons_metrics_server_apiserver_port": 443,
}

# Every toggle a template reads, with the values it can take.
TOGGLES = {
    "addons_metrics_server_register_api": [True, False],
    "addons_ingress_nginx_admission_webhook": [True, False],
    "addons_ingress_default_class": [True, False],
    "addons_ingress_service_type": ["LoadBalancer", "NodePort"],
    "addons_external_dns_policy": ["upsert-only", "sync"],
    "__addons_gateway_api": [True, False],
    "__addons_removing": [True, False],
}

ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(os.path.join(ROLE, "templates")),
    trim_blocks=True,  # as Ansible's template engine
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
# The templates use Ansible's own filters (to_json, combine), as Ansible renders them.
ENV.filters.update({name: AnsibleCoreFilters().filters()[name] for name in ("to_json", "combine", "bool")})


def combinations():
    keys = sorted(TOGGLES)
    for values in itertools.product(*(TOGGLES[key] for key in keys)):
        yield dict(zip(keys, values, strict=True))


def render(template, **overrides):
    context = dict(BASE, **overrides)
    # As the role's defaults and vars derive them.
    context.setdefault("addons_traefik_host_network", False)
    context.setdefault("addons_ingress_status_address", "")
    context.setdefault("addons_traefik_api_server", "")
    context.setdefault("addons_traefik_node_selector", context["addons_node_selector"])
    context.setdefault("addons_traefik_tolerations", context["addons_tolerations"])
    context.setdefault("__addons_traefik_bind", "$(HOST_IP)" if context["addons_traefik_host_network"] else "")
    # As the role's defaults: metrics-server goes where every add-on goes unless told otherwise.
    context.setdefault("addons_metrics_server_node_selector", context["addons_node_selector"])
    context.setdefault("addons_metrics_server_tolerations", context["addons_tolerations"])
    text = ENV.get_template(template).render(**context)
    return [doc for doc in yaml.safe_load_all(text) if doc]


def crd_documents():
    docs = []
    for entry in CATALOG.values():
        for path in entry["crds"]:
            with open(os.path.join(ROLE, "files", path)) as handle:
                docs.extend(doc for doc in yaml.safe_load_all(handle) if doc)
    return docs


CRDS = crd_documents()
CR_SCHEMAS = {
    (crd["spec"]["group"] + "/" + version["name"], crd["spec"]["names"]["kind"]): version["schema"][
        "openAPIV3Schema"
    ]
    for crd in CRDS
    for version in crd["spec"]["versions"]
}
TEMPLATES = sorted({template for entry in CATALOG.values() for template in entry["templates"]})
RENDERINGS = sorted(
    {
        (template, json.dumps(docs, sort_keys=True))
        for template in TEMPLATES
        for toggles in combinations()
        for docs in [render(template, **toggles)]
    }
)


def validate(doc):
    key = (doc["apiVersion"], doc["kind"])
    if key in CR_SCHEMAS:
        jsonschema.Draft7Validator(CR_SCHEMAS[key]).validate(doc)
    else:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize(
    "doc",
    [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}, "spec": {"selectr": {}}},
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "x"},
            "spec": {"ports": [{"port": "80"}]},
        },
    ],
)
def test_the_1_36_schema_is_strict(doc):
    """The validation below is worth something: typos and wrong types fail."""
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize(
    "template, rendered", RENDERINGS, ids=[f"{t}-{i}" for i, (t, _r) in enumerate(RENDERINGS)]
)
def test_every_rendered_object_validates_against_the_1_36_schema(template, rendered):
    docs = json.loads(rendered)
    assert docs, template
    for doc in docs:
        validate(doc)


@pytest.mark.parametrize("crd", CRDS, ids=[crd["metadata"]["name"] for crd in CRDS])
def test_vendored_crds_validate_and_are_the_pinned_gateway_api_release(crd):
    kubernetes_validate.validate(crd, KUBERNETES_VERSION, strict=True)
    assert (
        crd["metadata"]["annotations"]["gateway.networking.k8s.io/bundle-version"]
        == ROLE_VARS["addons_releases"]["gateway_api"]["version"]
    )
    assert crd["metadata"]["annotations"]["gateway.networking.k8s.io/channel"] == "standard"


@pytest.mark.parametrize(
    "template, rendered", RENDERINGS, ids=[f"{t}-{i}" for i, (t, _r) in enumerate(RENDERINGS)]
)
def test_deployments_select_their_pods_and_run_as_an_existing_service_account(template, rendered):
    docs = json.loads(rendered)
    accounts = {doc["metadata"]["name"] for doc in docs if doc["kind"] == "ServiceAccount"} | {"default"}
    for doc in docs:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        pod = doc["spec"]["template"]
        if doc["kind"] == "Deployment":
            selector = doc["spec"]["selector"]["matchLabels"]
            assert selector.items() <= pod["metadata"]["labels"].items(), doc["metadata"]["name"]
        assert pod["spec"].get("serviceAccountName", "default") in accounts, doc["metadata"]["name"]
        for container in pod["spec"]["containers"]:
            assert ":" in container["image"].rsplit("/", 1)[-1] and ":latest" not in container["image"]


@pytest.mark.parametrize("template", TEMPLATES)
def test_removal_renders_a_superset_of_what_any_apply_renders(template):
    """state absent must reach every object some toggle could have applied."""

    def names(docs):
        return {(doc["kind"], doc["metadata"]["name"]) for doc in docs}

    removed = set()
    applied = set()
    for toggles in combinations():
        docs = names(render(template, **toggles))
        (removed if toggles["__addons_removing"] else applied).update(docs)
    assert applied <= removed


@pytest.mark.parametrize(
    "gateway_api, policy",
    [(True, "upsert-only"), (False, "upsert-only"), (True, "sync")],
)
def test_external_dns_args_and_rbac(gateway_api, policy):
    docs = render("external_dns.yml.j2", __addons_gateway_api=gateway_api, addons_external_dns_policy=policy)
    (deployment,) = [doc for doc in docs if doc["kind"] == "Deployment"]
    (role,) = [doc for doc in docs if doc["kind"] == "ClusterRole"]
    args = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--domain-filter=k8s.indydevops.example" in args
    assert "--txt-owner-id=k8s-indydevops-example" in args
    assert "--registry=txt" in args and "--provider=aws" in args
    assert f"--policy={policy}" in args
    assert ("--source=gateway-httproute" in args) is gateway_api
    assert {"--source=service", "--source=ingress"} <= set(args)
    resources = {res for rule in role["rules"] for res in rule["resources"]}
    assert "secrets" not in resources
    assert ("httproutes" in resources) is gateway_api


@pytest.mark.parametrize(
    "template, kind, name",
    [
        ("metrics_server.yml.j2", "APIService", "v1beta1.metrics.k8s.io"),
        ("ingress_nginx.yml.j2", "ValidatingWebhookConfiguration", "ingress-nginx-admission"),
    ],
)
def test_objects_the_apiserver_calls_are_optional(template, kind, name):
    on = dict.fromkeys(("addons_metrics_server_register_api", "addons_ingress_nginx_admission_webhook"), True)
    off = dict.fromkeys(on, False)
    assert (kind, name) in {(d["kind"], d["metadata"]["name"]) for d in render(template, **on)}
    assert (kind, name) not in {(d["kind"], d["metadata"]["name"]) for d in render(template, **off)}


@pytest.mark.parametrize("default_class", [True, False])
def test_one_default_ingress_class_per_controller(default_class):
    for template in ("traefik.yml.j2", "ingress_nginx.yml.j2"):
        (ingress_class,) = [
            d
            for d in render(template, addons_ingress_default_class=default_class)
            if d["kind"] == "IngressClass"
        ]
        annotations = ingress_class["metadata"].get("annotations") or {}
        assert (annotations.get("ingressclass.kubernetes.io/is-default-class") == "true") is default_class


REHEARSAL_PLACEMENT = {
    "addons_node_selector": {"type": "kwok"},
    "addons_tolerations": [{"key": "kwok.x-k8s.io/node", "operator": "Exists", "effect": "NoSchedule"}],
}


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_addon_pod_takes_the_placement(template):
    for doc in render(template, **REHEARSAL_PLACEMENT):
        pod = (doc.get("spec") or {}).get("template", {}).get("spec")
        if pod is None:
            continue
        validate(doc)
        assert pod["nodeSelector"] == {"kubernetes.io/os": "linux", "type": "kwok"}, (template, doc["metadata"])
        assert pod["tolerations"] == REHEARSAL_PLACEMENT["addons_tolerations"]


def traefik_pod(**overrides):
    docs = render("traefik.yml.j2", **overrides)
    for doc in docs:
        validate(doc)
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    return deployment["spec"]["template"]["spec"]


def test_traefik_on_aws_listens_everywhere_and_copies_its_load_balancers_address():
    pod = traefik_pod()
    args = pod["containers"][0]["args"]
    assert pod["hostNetwork"] is False and "dnsPolicy" not in pod
    assert "--entryPoints.web.address=:8000/tcp" in args
    assert "--providers.kubernetesingress.ingressendpoint.publishedservice=kube-system/traefik" in args
    assert "--providers.kubernetesgateway.statusaddress.service.name=traefik" in args
    assert not [a for a in args if ".ip=" in a]
    assert not [e for e in pod["containers"][0]["env"] if e["name"].startswith("KUBERNETES_")]


def test_traefik_in_the_nodes_network_listens_on_the_nodes_address_only():
    ports = {"web": 8000, "websecure": 8443, "traefik": 9000, "metrics": 9100}
    pod = traefik_pod(addons_traefik_host_network=True, addons_traefik_ports=ports,
                      addons_ingress_status_address="10.255.0.1", addons_traefik_api_server="127.0.0.1:36443",
                      addons_traefik_node_selector={}, addons_traefik_tolerations=[])
    container = pod["containers"][0]
    args = container["args"]
    assert pod["hostNetwork"] is True and pod["dnsPolicy"] == "ClusterFirstWithHostNet"
    # The kubelet expands $(HOST_IP) from the env var (status.hostIP).
    assert {"name": "HOST_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIP"}}} in container["env"]
    # Its in-cluster client goes to the loopback API server, not the kubernetes Service.
    assert {"name": "KUBERNETES_SERVICE_HOST", "value": "127.0.0.1"} in container["env"]
    assert {"name": "KUBERNETES_SERVICE_PORT", "value": "36443"} in container["env"]
    assert "--entryPoints.web.address=$(HOST_IP):8000/tcp" in args
    assert "--entryPoints.traefik.address=$(HOST_IP):9000/tcp" in args
    assert container["readinessProbe"]["httpGet"]["port"] == 9000
    assert {p["name"]: p["containerPort"] for p in container["ports"]} == ports
    assert "--providers.kubernetesingress.ingressendpoint.ip=10.255.0.1" in args
    assert "--providers.kubernetesgateway.statusaddress.ip=10.255.0.1" in args
    assert not [a for a in args if "publishedservice" in a or "statusaddress.service" in a]
    gateway = next(d for d in render("traefik_gateway.yml.j2", addons_traefik_ports=ports) if d["kind"] == "Gateway")
    assert gateway["spec"]["listeners"][0]["port"] == 8000


# The rehearsal inventory's metrics-server (inventories/rehearsal/group_vars/all/addons.yml).
REHEARSAL_METRICS_SERVER = dict(
    REHEARSAL_PLACEMENT,
    addons_metrics_server_register_api=True,
    addons_metrics_server_host_network=True,
    addons_metrics_server_port=4443,
    addons_metrics_server_kubelet_insecure_tls=True,
    addons_metrics_server_node_selector={},
    addons_metrics_server_tolerations=[],
    addons_metrics_server_apiserver_host="127.0.0.1",
    addons_metrics_server_apiserver_port=36443,
)


def test_metrics_server_in_the_nodes_network_binds_the_node_address_off_the_kubelets_port():
    docs = {doc["kind"]: doc for doc in render("metrics_server.yml.j2", **REHEARSAL_METRICS_SERVER)}
    for doc in docs.values():
        validate(doc)
    pod = docs["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert pod["hostNetwork"] is True
    # A new pod needs the old one's port on the node: the rollout replaces, never surges.
    assert docs["Deployment"]["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": 0, "maxUnavailable": 1}
    # Off the simulated nodes, whatever every other add-on is told.
    assert pod["nodeSelector"] == {"kubernetes.io/os": "linux"} and pod["tolerations"] == []
    assert {"--secure-port=4443", "--bind-address=$(NODE_IP)", "--kubelet-insecure-tls"} <= set(container["args"])
    assert container["env"] == [{"name": "NODE_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIP"}}},
                                {"name": "KUBERNETES_SERVICE_HOST", "value": "127.0.0.1"},
                                {"name": "KUBERNETES_SERVICE_PORT", "value": "36443"}]
    assert container["ports"][0]["containerPort"] == 4443
    # The Service and the probes follow the port by its name.
    assert docs["Service"]["spec"]["ports"][0]["targetPort"] == "https"
    assert docs["APIService"]["spec"]["service"]["name"] == "metrics-server"


def test_metrics_server_by_default_is_the_release_manifest():
    pod = {doc["kind"]: doc for doc in render("metrics_server.yml.j2")}["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert "hostNetwork" not in pod and "env" not in container
    assert "--secure-port=10250" in container["args"] and "--kubelet-insecure-tls" not in container["args"]
    assert container["image"] == ROLE_VARS["addons_releases"]["metrics_server"]["image"]
