# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decisions behind k8s_csr: is the certificate on disk current, what the CSR object needs."""

import base64
import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import csr

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.timezone.utc)
SUBJECT = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "developers"),
                     x509.NameAttribute(NameOID.COMMON_NAME, "alice")])


def key():
    return ec.generate_private_key(ec.SECP256R1())


def request(k, subject=SUBJECT):
    built = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(k, hashes.SHA256())
    return built.public_bytes(serialization.Encoding.PEM)


def certificate(k, days=7, subject=SUBJECT):
    ca = key()
    built = (x509.CertificateBuilder().subject_name(subject)
             .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ca")]))
             .public_key(k.public_key()).serial_number(1)
             .not_valid_before(NOW - datetime.timedelta(hours=1))
             .not_valid_after(NOW + datetime.timedelta(days=days)).sign(ca, hashes.SHA256()))
    return built.public_bytes(serialization.Encoding.PEM)


def test_a_certificate_for_the_requests_key_and_subject_is_current():
    k = key()
    ok, why = csr.certificate_current(certificate(k), request(k), NOW, 86400)
    assert ok and why.startswith("valid until 2026-12-05")


@pytest.mark.parametrize("make, reason", [
    (lambda k: None, "no certificate yet"),
    (lambda k: b"garbage", "unreadable"),
    (lambda k: certificate(key()), "another key"),
    (lambda k: certificate(k, days=1), "expires"),
    (lambda k: certificate(k, subject=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bob")])),
     "another subject"),
])
def test_a_certificate_that_does_not_fit_is_renewed(make, reason):
    k = key()
    ok, why = csr.certificate_current(make(k), request(k), NOW, 86400)
    assert not ok and reason in why


def existing(req, signer="kubernetes.io/kube-apiserver-client", usages=("client auth",), conditions=(),
             certificate=None, expiration=None):
    spec = {"request": req, "signerName": signer, "usages": list(usages)}
    if expiration:
        spec["expirationSeconds"] = expiration
    status = {"conditions": [{"type": t, "status": "True"} for t in conditions]}
    if certificate:
        status["certificate"] = certificate
    return {"spec": spec, "status": status}


SIGNER = "kubernetes.io/kube-apiserver-client"


@pytest.mark.parametrize("obj, expected", [
    (None, csr.CREATE),
    (existing("other"), csr.RECREATE),
    (existing("req", signer="example.com/other"), csr.RECREATE),
    (existing("req", usages=("server auth",)), csr.RECREATE),
    (existing("req", conditions=("Denied",)), csr.RECREATE),
    (existing("req", conditions=("Approved", "Failed")), csr.RECREATE),
    (existing("req"), csr.APPROVE),
    (existing("req", conditions=("Approved",)), csr.WAIT),
    (existing("req", conditions=("Approved",), certificate="Y2VydA=="), csr.NONE),
])
def test_plan(obj, expected):
    assert csr.plan(obj, "req", SIGNER, ["client auth"]) == expected


def test_plan_keeps_the_expiry_it_asked_for():
    obj = existing("req", conditions=("Approved",), certificate="Y2VydA==", expiration=604800)
    assert csr.plan(obj, "req", SIGNER, ["client auth"], 604800) == csr.NONE
    assert csr.plan(obj, "req", SIGNER, ["client auth"], 3600) == csr.RECREATE
    assert csr.plan(obj, "req", SIGNER, ["client auth"]) == csr.NONE  # no expiry asked: any will do


def test_manifest_approval_and_issued_certificate():
    k = key()
    pem = request(k)
    obj = csr.manifest("k8s-talk-dev-alice", pem, SIGNER, ["client auth"], 604800, {"team": "dev"})
    assert obj["spec"] == {"request": base64.b64encode(pem).decode(), "signerName": SIGNER,
                           "usages": ["client auth"], "expirationSeconds": 604800}
    assert obj["metadata"] == {"name": "k8s-talk-dev-alice", "labels": {"team": "dev"}}
    approved = csr.approval(obj, "Why", "because")
    assert csr.conditions(approved) == {"Approved": "True"} and "status" not in obj
    assert csr.issued_pem({"status": {"certificate": base64.b64encode(b"PEM").decode()}}) == b"PEM"
    assert csr.issued_pem({"status": {}}) is None
    with pytest.raises(csr.CsrError, match="not a PEM"):
        csr.request_b64(b"nope")
