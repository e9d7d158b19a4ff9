#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: k8s_csr
short_description: Get a client certificate issued by the cluster through a CertificateSigningRequest
version_added: 0.3.0
description:
  - Submits the certificate request in O(csr_path) as a C(CertificateSigningRequest) object,
    approves it (what C(kubectl certificate approve) does), waits until the cluster's signer
    has issued the certificate and writes it to O(certificate_path).
  - Nothing is asked of the cluster while the certificate on disk certifies the request's key,
    names its subject and stays valid for more than O(renew_before) seconds. Issued CSR objects
    are garbage-collected by the cluster after an hour; the certificate file is the record.
  - A CSR object for another request, or a denied or failed one, is replaced.
  - With O(state=absent) the CSR object is deleted (the files are the caller's).
author:
  - Indy DevOps (@indydevops)
options:
  name:
    description: Name of the CertificateSigningRequest object.
    type: str
    required: true
  state:
    description: C(present) gets the certificate issued; C(absent) deletes the CSR object.
    type: str
    choices: [present, absent]
    default: present
  csr_path:
    description: PEM certificate request (e.g. from M(community.crypto.openssl_csr)). Required with C(present).
    type: path
  certificate_path:
    description: Where the issued PEM certificate is written (mode 0644). Required with C(present).
    type: path
  signer_name:
    description: The signer asked to sign.
    type: str
    default: kubernetes.io/kube-apiserver-client
  usages:
    description: Key usages requested.
    type: list
    elements: str
    default: [client auth]
  expiration_seconds:
    description: Requested validity; the signer may issue a shorter one. Unset leaves it to the signer.
    type: int
  renew_before:
    description: Seconds before expiry at which a new certificate is requested.
    type: int
    default: 86400
  labels:
    description: Labels of the CSR object.
    type: dict
    default: {}
  wait_timeout:
    description: Seconds to wait for the signer to issue the certificate.
    type: int
    default: 60
  kubeconfig:
    description: Path to the kubeconfig of an identity allowed to create and approve CSRs.
    type: path
  context:
    description: Context of O(kubeconfig) to use.
    type: str
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
requirements:
  - kubernetes (Python client)
  - cryptography
notes:
  - The cluster must run a signer for O(signer_name); for C(kubernetes.io/kube-apiserver-client)
    that is the kube-controller-manager with C(--cluster-signing-cert-file) and C(--cluster-signing-key-file).
"""

EXAMPLES = r"""
- name: Ask the cluster to certify a developer's key
  indydevops.k8s_talk.k8s_csr:
    name: k8s-talk-dev-alice
    csr_path: /home/me/.local/state/k8s-talk/demo-rbac/dev/alice.csr
    certificate_path: /home/me/.local/state/k8s-talk/demo-rbac/dev/alice.crt
    expiration_seconds: 604800
    kubeconfig: /home/me/.kube/admin
"""

RETURN = r"""
action:
  description: What was done with the CSR object (C(none) when the certificate on disk is current).
  returned: always
  type: str
  sample: create
reason:
  description: Why a certificate was (or would be) requested, or why the one on disk is kept.
  returned: always
  type: str
  sample: valid until 2026-12-05T10:00:00+00:00
"""

import datetime
import os
import tempfile
import time
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.indydevops.k8s_talk.plugins.module_utils import csr as logic

try:
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes.client.exceptions import ApiException
except ImportError:
    K8S_IMPORT_ERROR = traceback.format_exc()
else:
    K8S_IMPORT_ERROR = None


def read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def write(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".cert-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def get(api, name):
    try:
        return api.api_client.sanitize_for_serialization(api.read_certificate_signing_request(name))
    except ApiException as exc:
        if exc.status == 404:
            return None
        raise


def delete(api, name, timeout):
    try:
        api.delete_certificate_signing_request(name)
    except ApiException as exc:
        if exc.status != 404:
            raise
    deadline = time.monotonic() + timeout
    while get(api, name) is not None:
        if time.monotonic() > deadline:
            raise logic.CsrError("CSR %s is still there after deletion" % name)
        time.sleep(0.5)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            csr_path=dict(type="path"),
            certificate_path=dict(type="path"),
            signer_name=dict(type="str", default="kubernetes.io/kube-apiserver-client"),
            usages=dict(type="list", elements="str", default=["client auth"]),
            expiration_seconds=dict(type="int"),
            renew_before=dict(type="int", default=86400),
            labels=dict(type="dict", default={}),
            wait_timeout=dict(type="int", default=60),
            kubeconfig=dict(type="path"),
            context=dict(type="str"),
        ),
        required_if=[("state", "present", ["csr_path", "certificate_path"])],
        supports_check_mode=True,
    )
    if K8S_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("kubernetes"), exception=K8S_IMPORT_ERROR)
    p = module.params
    api = k8s_client.CertificatesV1Api(k8s_config.new_client_from_config(
        config_file=p["kubeconfig"], context=p["context"]))
    try:
        if p["state"] == "absent":
            gone = get(api, p["name"]) is None
            if not gone and not module.check_mode:
                delete(api, p["name"], p["wait_timeout"])
            module.exit_json(changed=not gone, action="none" if gone else "delete",
                             reason="no CSR object" if gone else "deleted")
        csr_pem = read(p["csr_path"])
        if csr_pem is None:
            module.fail_json(msg="csr_path %s does not exist (make the request first)" % p["csr_path"])
        now = datetime.datetime.now(datetime.timezone.utc)
        current, why = logic.certificate_current(read(p["certificate_path"]), csr_pem, now, p["renew_before"])
        if current:
            module.exit_json(changed=False, action=logic.NONE, reason=why)
        existing = get(api, p["name"])
        action = logic.plan(existing, logic.request_b64(csr_pem), p["signer_name"], p["usages"],
                            p["expiration_seconds"])
        if module.check_mode:
            module.exit_json(changed=True, action=action, reason=why)
        if action == logic.RECREATE:
            delete(api, p["name"], p["wait_timeout"])
            existing = None
        if existing is None:
            api.create_certificate_signing_request(logic.manifest(
                p["name"], csr_pem, p["signer_name"], p["usages"], p["expiration_seconds"], p["labels"]))
            existing = get(api, p["name"])
        if logic.conditions(existing).get("Approved") != "True":
            api.replace_certificate_signing_request_approval(p["name"], logic.approval(
                existing, "IndydevopsK8sTalk", "approved by indydevops.k8s_talk (kubectl certificate approve)"))
        deadline = time.monotonic() + p["wait_timeout"]
        while True:
            existing = get(api, p["name"])
            cert = logic.issued_pem(existing)
            if cert:
                break
            if time.monotonic() > deadline:
                module.fail_json(msg="the signer %s did not issue a certificate for CSR %s within %d s "
                                     "(conditions: %s); does the cluster run that signer?"
                                 % (p["signer_name"], p["name"], p["wait_timeout"], logic.conditions(existing)))
            time.sleep(1)
        write(p["certificate_path"], cert)
    except (ApiException, logic.CsrError, OSError) as exc:
        module.fail_json(msg="CSR %s: %s" % (p["name"], exc))
    module.exit_json(changed=True, action=action, reason=why)


if __name__ == "__main__":
    main()
