# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The volumes demo's manifests, rendered as the role renders them (static and dynamic
provisioning, with and without a placement), validate against the Kubernetes 1.36 OpenAPI
schema (strict), run the pinned driver release and hold together; the driver's IAM policy
is valid JSON that grants no more than the driver needs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools
import json
import os

import jinja2
from ansible.plugins.filter.core import FilterModule as AnsibleCoreFilters
import kubernetes_validate
import pytest
import yaml

ROLE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "demo_volumes"))
with open(os.path.join(ROLE, "..", "k8s_talk", "defaults", "main", "tools.yml")) as _handle:
    KUBERNETES_VERSION = "%s.%s.0" % tuple(
        yaml.safe_load(_handle)["k8s_talk_tool_versions"]["kubernetes"]["version"].lstrip("v").split(".")[:2])
with open(os.path.join(ROLE, "vars", "main.yml")) as _handle:
    ROLE_VARS = yaml.safe_load(_handle)
with open(os.path.join(ROLE, "defaults", "main.yml")) as _handle:
    DEFAULTS = yaml.safe_load(_handle)
DRIVER = ROLE_VARS["demo_volumes_driver"]

ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(ROLE, "templates")), trim_blocks=True,
                         undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
ENV.filters.update({name: AnsibleCoreFilters().filters()[name]
                    for name in ("to_json", "to_nice_json", "to_nice_yaml", "combine", "bool")})

KWOK_PLACEMENT = {"selector": {"type": "kwok"},
                  "tolerations": [{"key": "kwok.x-k8s.io/node", "operator": "Exists", "effect": "NoSchedule"}]}
SETTINGS = list(itertools.product([True, False], [None, KWOK_PLACEMENT]))


def context(static, placement):
    placement = placement or {"selector": {}, "tolerations": []}
    return {
        "demo_volumes_driver": DRIVER,
        "demo_volumes_namespace": DEFAULTS["demo_volumes_namespace"],
        "demo_volumes_capacity": DEFAULTS["demo_volumes_capacity"],
        "demo_volumes_image": DEFAULTS["demo_volumes_image"],
        "demo_volumes_static_volume": static,
        "demo_volumes_driver_node_selector": placement["selector"],
        "demo_volumes_driver_tolerations": placement["tolerations"],
        "demo_volumes_consumer_node_selector": placement["selector"],
        "demo_volumes_consumer_tolerations": placement["tolerations"],
        "__demo_volumes_labels": ROLE_VARS["__demo_volumes_labels"],
        "__demo_volumes_storage_class": ROLE_VARS["__demo_volumes_storage_class"],
        "__demo_volumes_claim": ROLE_VARS["__demo_volumes_claim"],
        "__demo_volumes_pod": ROLE_VARS["__demo_volumes_pod"],
        "__demo_volumes_file_system_id": "fs-0123456789abcdef0",
        "__demo_volumes_volume": "efs-fs-0123456789abcdef0",
        "__demo_volumes_fs": {"efs": {"file_system_arn":
                                      "arn:aws:elasticfilesystem:us-east-2:123456789012:file-system/fs-0123456789abcdef0"}},
    }


def render(template, static=True, placement=None):
    text = ENV.get_template(template).render(**context(static, placement))
    return [doc for doc in yaml.safe_load_all(text) if doc]


MANIFESTS = ["namespace.yml.j2", "driver.yml.j2", "storage.yml.j2", "consumer.yml.j2"]


@pytest.mark.parametrize("template", MANIFESTS)
@pytest.mark.parametrize("static, placement", SETTINGS)
def test_every_object_validates_against_the_1_36_schema(template, static, placement):
    docs = render(template, static, placement)
    assert docs
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_driver_runs_the_pinned_release():
    images = {container["image"] for doc in render("driver.yml.j2") if doc["kind"] in ("Deployment", "DaemonSet")
              for container in doc["spec"]["template"]["spec"]["containers"]}
    assert images == set(DRIVER["images"].values())
    assert DRIVER["images"]["driver"].endswith(":" + DRIVER["version"])
    for doc in render("driver.yml.j2"):
        labels = doc["metadata"]["labels"]
        assert labels["app.kubernetes.io/version"] == DRIVER["version"]
        assert labels["helm.sh/chart"] == "aws-efs-csi-driver-%s" % DRIVER["chart"]


def test_the_driver_objects_hold_together():
    docs = render("driver.yml.j2", placement=KWOK_PLACEMENT)
    accounts = {doc["metadata"]["name"] for doc in docs if doc["kind"] == "ServiceAccount"}
    roles = {doc["metadata"]["name"] for doc in docs if doc["kind"] == "ClusterRole"}
    for doc in docs:
        if doc["kind"] == "ClusterRoleBinding":
            assert doc["roleRef"]["name"] in roles
            assert {s["name"] for s in doc["subjects"]} <= accounts
            assert {s["namespace"] for s in doc["subjects"]} == {DRIVER["namespace"]}
        if doc["kind"] in ("Deployment", "DaemonSet"):
            pod = doc["spec"]["template"]
            assert doc["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
            assert pod["spec"]["serviceAccountName"] in accounts
            # The placement is added to upstream's, never replacing it.
            assert pod["spec"]["nodeSelector"] == {"kubernetes.io/os": "linux", "type": "kwok"}
    controller = next(doc for doc in docs if doc["kind"] == "Deployment")
    assert KWOK_PLACEMENT["tolerations"][0] in controller["spec"]["template"]["spec"]["tolerations"]
    assert {"key": "CriticalAddonsOnly", "operator": "Exists"} in controller["spec"]["template"]["spec"]["tolerations"]


@pytest.mark.parametrize("static", [True, False])
def test_the_claim_can_bind_only_what_the_storage_class_names(static):
    docs = render("storage.yml.j2", static)
    by_kind = {doc["kind"]: doc for doc in docs}
    sc, pvc = by_kind["StorageClass"], by_kind["PersistentVolumeClaim"]
    assert sc["provisioner"] == DRIVER["name"] and sc["parameters"]["provisioningMode"] == "efs-ap"
    assert sc["parameters"]["fileSystemId"] == "fs-0123456789abcdef0"
    assert pvc["spec"]["storageClassName"] == sc["metadata"]["name"] == "efs-sc"
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"] and pvc["metadata"]["name"] == "efs"
    if static:
        pv = by_kind["PersistentVolume"]
        assert pv["spec"]["storageClassName"] == "efs-sc"
        assert pv["spec"]["csi"] == {"driver": DRIVER["name"], "volumeHandle": "fs-0123456789abcdef0"}
        assert pv["spec"]["accessModes"] == pvc["spec"]["accessModes"]
        assert pv["spec"]["capacity"]["storage"] == pvc["spec"]["resources"]["requests"]["storage"]
        # Retain: deleting the claim never deletes the file system's files; absent deletes the volume itself.
        assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    else:
        assert "PersistentVolume" not in by_kind


def test_the_consumer_writes_success_on_the_claim():
    pod = render("consumer.yml.j2")[0]
    assert pod["metadata"]["name"] == "efs-consumer"
    assert pod["spec"]["volumes"] == [{"name": "efs", "persistentVolumeClaim": {"claimName": "efs"}}]
    container = pod["spec"]["containers"][0]
    assert container["volumeMounts"] == [{"name": "efs", "mountPath": "/mnt"}]
    assert "/mnt/SUCCESS" in container["command"][-1]


def test_the_driver_policy_is_scoped():
    policy = json.loads(ENV.get_template("driver-policy.json.j2").render(**context(True, None)))
    statements = {s["Sid"]: s for s in policy["Statement"]}
    create = statements["AccessPointsOfTheTalksFileSystem"]
    assert create["Resource"].endswith(":file-system/fs-0123456789abcdef0")
    assert "aws:RequestTag/efs.csi.aws.com/cluster" in json.dumps(create["Condition"])
    assert statements["DeleteTheDriversAccessPoints"]["Condition"] == {
        "StringEquals": {"aws:ResourceTag/efs.csi.aws.com/cluster": "true"}}
    actions = {a for s in policy["Statement"] for a in s["Action"]}
    assert not any(a.endswith("*") for a in actions)
    assert "elasticfilesystem:DeleteFileSystem" not in actions
