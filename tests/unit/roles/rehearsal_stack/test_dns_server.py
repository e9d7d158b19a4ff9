# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rehearsal DNS server: which zones the internet would reach (the NS
delegation), the answers it gives, and the wire format, without sockets."""
import importlib.util
import os
import struct

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
SERVER = os.path.join(ROOT, "roles", "rehearsal_stack", "files", "dns_server.py")


def load_server():
    spec = importlib.util.spec_from_file_location("dns_server", SERVER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dns = load_server()
AWS_NS = ["ns-2048.awsdns-64.com", "ns-2049.awsdns-65.net"]
SOA = "ns-2048.awsdns-64.com. hostmaster.example.com. 1 7200 900 1209600 86400"


def rrset(name, rtype, *values, ttl=300):
    return {"Name": name, "Type": rtype, "TTL": ttl, "ResourceRecords": [{"Value": v} for v in values]}


def zone(name, *extra):
    # moto 5.2 lists the SOA value as the repr of a dict; the server unwraps it.
    return [rrset(name, "NS", *AWS_NS, ttl=172800), rrset(name, "SOA", "{'Value': '%s'}" % SOA, ttl=900), *extra]


PARENT = "indydevops.example."
CHILD = "k8s.indydevops.example."
DELEGATION = rrset(CHILD, "NS", *[n + "." for n in AWS_NS])


@pytest.mark.parametrize("zones, served", [
    ({PARENT: zone(PARENT)}, [PARENT]),
    # The ns stage's delegation makes the child zone reachable.
    ({PARENT: zone(PARENT, DELEGATION), CHILD: zone(CHILD)}, [PARENT, CHILD]),
    # Without it, the child zone exists in Route53 but the internet cannot find it.
    ({PARENT: zone(PARENT), CHILD: zone(CHILD)}, [PARENT]),
    # Nor a grandchild under an undelegated child.
    ({PARENT: zone(PARENT), CHILD: zone(CHILD, rrset("a." + CHILD, "NS", "x.")), "a." + CHILD: zone("a." + CHILD)},
     [PARENT]),
    # Unrelated top-level zones are each the account's own.
    ({PARENT: zone(PARENT), "other.test.": zone("other.test.")}, [PARENT, "other.test."]),
])
def test_served_zones_follow_the_delegation(zones, served):
    assert sorted(dns.served_zones(zones)) == sorted(served)


SERVED = {PARENT: zone(PARENT, DELEGATION),
          CHILD: zone(CHILD, rrset("api." + CHILD, "A", "203.0.113.10"),
                      rrset("www." + CHILD, "CNAME", "api." + CHILD),
                      rrset("txt." + CHILD, "TXT", '"heritage=external-dns" "owner=k8s"'))}


@pytest.mark.parametrize("qname, qtype, rcode, answers, with_soa", [
    ("k8s.indydevops.example", "NS", dns.NOERROR, [("NS", v) for v in AWS_NS], False),
    ("K8S.IndyDevOps.Example.", "NS", dns.NOERROR, [("NS", v) for v in AWS_NS], False),
    ("k8s.indydevops.example", "SOA", dns.NOERROR, [("SOA", SOA)], False),
    ("api.k8s.indydevops.example", "A", dns.NOERROR, [("A", "203.0.113.10")], False),
    ("api.k8s.indydevops.example", "AAAA", dns.NOERROR, [], True),
    ("www.k8s.indydevops.example", "A", dns.NOERROR, [("CNAME", "api." + CHILD)], False),
    ("missing.k8s.indydevops.example", "A", dns.NXDOMAIN, [], True),
    ("registry.k8s.io", "A", dns.REFUSED, [], False),
])
def test_answers(qname, qtype, rcode, answers, with_soa):
    got_rcode, got_answers, authority = dns.answer(dns.served_zones(SERVED), qname, dns.TYPES[qtype])
    assert got_rcode == rcode
    assert [(rtype, value) for _name, rtype, _ttl, value in got_answers] == answers
    assert bool(authority) == with_soa and all(record[1] == "SOA" for record in authority)


def query(name, qtype, ident=4242, flags=0x0100, extra=b""):
    header = struct.pack("!HHHHHH", ident, flags, 1, 0, 0, 1 if extra else 0)
    return header + dns.encode_name(name) + struct.pack("!HH", dns.TYPES[qtype], dns.CLASS_IN) + extra


# Go's resolver adds an EDNS0 OPT record; it is ignored.
OPT = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)


@pytest.mark.parametrize("extra", [b"", OPT])
def test_wire_round_trip(extra):
    response = dns.handle(query("k8s.indydevops.example", "NS", extra=extra), lambda: SERVED)
    ident, flags, qdcount, ancount, nscount, arcount = struct.unpack("!HHHHHH", response[:12])
    assert ident == 4242 and flags & 0x8000 and flags & 0x0400 and flags & 0x0100 and flags & 0x000F == 0
    assert (qdcount, ancount, nscount, arcount) == (1, len(AWS_NS), 0, 0)
    name, offset = dns.decode_name(response, 12)
    assert name == CHILD
    offset += 4
    hosts = []
    for _record in range(ancount):
        owner, offset = dns.decode_name(response, offset)
        rtype, rclass, ttl, length = struct.unpack("!HHIH", response[offset:offset + 10])
        offset += 10
        assert (owner, rtype, rclass, ttl) == (CHILD, dns.TYPES["NS"], dns.CLASS_IN, 172800)
        hosts.append(dns.decode_name(response, offset)[0])
        offset += length
    assert hosts == [n + "." for n in AWS_NS] and offset == len(response)


def test_txt_and_soa_rdata():
    assert dns.encode_rdata("TXT", '"a b" "c"') == b"\x03a b\x01c"
    soa = dns.encode_rdata("SOA", SOA)
    assert soa.endswith(struct.pack("!5I", 1, 7200, 900, 1209600, 86400))


def test_compressed_names_are_followed():
    message = b"\x00" * 12 + b"\x03k8s\x00" + b"\x03api\xc0\x0c"
    assert dns.decode_name(message, 17) == ("api.k8s.", 23)


@pytest.mark.parametrize("data", [b"\x12\x34", b"\x12\x34" + b"\x80\x00" + b"\x00" * 8, b"\x12\x34" + b"\x00" * 10])
def test_malformed_queries_get_formerr(data):
    response = dns.handle(data, lambda: SERVED)
    assert response[:2] == b"\x12\x34" and response[3] & 0x0F == dns.FORMERR


def test_an_unreadable_emulator_is_servfail():
    def broken():
        raise OSError("connection refused")

    response = dns.handle(query("k8s.indydevops.example", "NS"), broken)
    assert response[3] & 0x0F == dns.SERVFAIL


def test_listens_on_loopback_only():
    with pytest.raises(SystemExit):
        dns.main(["--endpoint", "http://127.0.0.1:1", "--host", "192.0.2.1"])
