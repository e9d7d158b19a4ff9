# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A client certificate issued by the cluster through its Certificates API.

The module indydevops.k8s_talk.k8s_csr asks the cluster's signer for a
certificate the way ``kubectl certificate approve`` teaches it: a
CertificateSigningRequest object, approved, signed by the controller
manager, the certificate read back from its status. This file holds the
decisions (pure, unit tested): is the certificate on disk still good for this
key, and what the CSR object needs (create, recreate, approve, wait, nothing).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import datetime

CREATE, RECREATE, APPROVE, WAIT, NONE = "create", "recreate", "approve", "wait", "none"


class CsrError(Exception):
    """The request cannot be made; the message says why."""


def _public_bytes(key):
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def certificate_current(cert_pem, csr_pem, now, renew_before):
    """(True, why) when cert_pem certifies csr_pem's key and stays valid past now + renew_before."""
    from cryptography import x509

    if not cert_pem:
        return False, "no certificate yet"
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        csr = x509.load_pem_x509_csr(csr_pem)
    except ValueError as exc:
        return False, "unreadable: %s" % exc
    if _public_bytes(cert.public_key()) != _public_bytes(csr.public_key()):
        return False, "the certificate is for another key"
    not_after = cert.not_valid_after_utc
    if not_after - now <= datetime.timedelta(seconds=renew_before):
        return False, "the certificate expires %s" % not_after.isoformat()
    if cert.subject != csr.subject:
        return False, "the certificate names another subject"
    return True, "valid until %s" % not_after.isoformat()


def conditions(obj):
    return dict((c.get("type"), c.get("status")) for c in ((obj or {}).get("status") or {}).get("conditions") or [])


def plan(existing, request_b64, signer_name, usages, expiration_seconds=None):
    """What the CSR object needs so that it ends up issued for this request."""
    if existing is None:
        return CREATE
    spec = existing.get("spec") or {}
    wanted_expiry = int(expiration_seconds) if expiration_seconds else None
    if (spec.get("request") != request_b64 or spec.get("signerName") != signer_name
            or sorted(spec.get("usages") or []) != sorted(usages)
            or (wanted_expiry is not None and spec.get("expirationSeconds") != wanted_expiry)):
        return RECREATE
    found = conditions(existing)
    if found.get("Denied") == "True" or found.get("Failed") == "True":
        return RECREATE
    if found.get("Approved") != "True":
        return APPROVE
    if not (existing.get("status") or {}).get("certificate"):
        return WAIT
    return NONE


def request_b64(csr_pem):
    if b"BEGIN CERTIFICATE REQUEST" not in csr_pem:
        raise CsrError("not a PEM certificate request")
    return base64.b64encode(csr_pem).decode("ascii")


def issued_pem(existing):
    """The PEM certificate in an issued CSR's status (the API holds it base64-encoded)."""
    data = ((existing or {}).get("status") or {}).get("certificate")
    return base64.b64decode(data) if data else None


def manifest(name, csr_pem, signer_name, usages, expiration_seconds=None, labels=None):
    obj = {"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest",
           "metadata": {"name": name, "labels": dict(labels or {})},
           "spec": {"request": request_b64(csr_pem), "signerName": signer_name, "usages": list(usages)}}
    if expiration_seconds:
        obj["spec"]["expirationSeconds"] = int(expiration_seconds)
    return obj


def approval(obj, reason, message):
    """The object with an Approved condition added, for the approval subresource."""
    out = dict(obj)
    status = dict(out.get("status") or {})
    status["conditions"] = list(status.get("conditions") or []) + [{
        "type": "Approved", "status": "True", "reason": reason, "message": message}]
    out["status"] = status
    return out
