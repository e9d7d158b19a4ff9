# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rehearsal DNS server: the emulator's public Route53 zones, as the internet would resolve them.

kops checks that the cluster's zone is delegated (a public NS lookup through
the system resolver) before it builds anything; offline, no resolver can
answer. This server answers from the AWS emulator's public hosted zones
instead, the way a recursive resolver would see them: a zone is served only
when it is a top-level zone of the account (the presenter's own domain) or
when a served parent zone delegates it with an NS record (what the ns stage
writes). So the check passes exactly when it would pass on the internet.

Standard library only. UDP and TCP on one address, port 53 by default;
queries of any type are answered from the zone's record sets (A, AAAA,
CNAME, NS, SOA, TXT, MX; alias records are not resolved); names outside
every served zone are REFUSED.

Usage: dns_server.py --endpoint http://127.0.0.1:5055 [--host 127.0.53.1] [--port 53]
"""

import argparse
import ipaddress
import re
import socketserver
import struct
import sys
import threading

import boto3  # comes with moto[server] (requirements.txt), as the emulator runs with the same Python

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28}
CLASS_IN = 1
NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED = 0, 1, 2, 3, 4, 5
TTL_DEFAULT = 300


class DNSError(Exception):
    """A query this server cannot parse (answered FORMERR)."""


def normalize(name):
    """Lower-case, absolute (trailing dot) form of a DNS name."""
    name = name.lower()
    return name if name.endswith(".") else name + "."


def in_zone(name, zone):
    return name == zone or name.endswith("." + zone)


# --- Wire format ---------------------------------------------------------------


def encode_name(name):
    out = b""
    for label in normalize(name).rstrip(".").split("."):
        if label:
            raw = label.encode("idna") if not label.isascii() else label.encode()
            if len(raw) > 63:
                raise ValueError("label too long: %r" % label)
            out += bytes([len(raw)]) + raw
    return out + b"\0"


def decode_name(data, offset):
    """Return (name, offset after it); follows compression pointers."""
    labels = []
    end = None
    for _hop in range(128):
        if offset >= len(data):
            raise DNSError("name runs past the message")
        length = data[offset]
        if length & 0xC0 == 0xC0:
            if offset + 1 >= len(data):
                raise DNSError("truncated pointer")
            if end is None:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | data[offset + 1]
            continue
        offset += 1
        if length == 0:
            return normalize(".".join(labels)) if labels else ".", end if end is not None else offset
        labels.append(data[offset:offset + length].decode("ascii", "replace"))
        offset += length
    raise DNSError("name compression loop")


def parse_query(data):
    """Return (id, flags, qname, qtype, qclass) of a query's first question."""
    if len(data) < 12:
        raise DNSError("message shorter than a header")
    ident, flags, qdcount = struct.unpack("!HHH", data[:6])
    if flags & 0x8000 or qdcount != 1:
        raise DNSError("not a query with one question")
    qname, offset = decode_name(data, 12)
    if offset + 4 > len(data):
        raise DNSError("truncated question")
    qtype, qclass = struct.unpack("!HH", data[offset:offset + 4])
    return ident, flags, qname, qtype, qclass


def encode_rdata(rtype, value):
    """Wire rdata of one Route53 ResourceRecord value."""
    if rtype == "A":
        return ipaddress.IPv4Address(value).packed
    if rtype == "AAAA":
        return ipaddress.IPv6Address(value).packed
    if rtype in ("NS", "CNAME"):
        return encode_name(value)
    if rtype == "MX":
        preference, exchange = value.split(None, 1)
        return struct.pack("!H", int(preference)) + encode_name(exchange)
    if rtype == "SOA":
        mname, rname, *numbers = value.split()
        return encode_name(mname) + encode_name(rname) + struct.pack("!5I", *(int(n) for n in numbers))
    if rtype == "TXT":
        out = b""
        for part in _txt_strings(value):
            raw = part.encode()
            while True:
                out += bytes([len(raw[:255])]) + raw[:255]
                raw = raw[255:]
                if not raw:
                    break
        return out
    raise ValueError("unsupported type %s" % rtype)


def _txt_strings(value):
    """Route53 TXT values are quoted strings, possibly several."""
    value = value.strip()
    if not value.startswith('"'):
        return [value]
    parts, current, quoted, escaped = [], "", False, False
    for char in value:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            if quoted:
                parts.append(current)
                current = ""
            quoted = not quoted
        elif quoted:
            current += char
    return parts


def encode_record(name, rtype, ttl, rdata):
    return encode_name(name) + struct.pack("!HHIH", TYPES[rtype], CLASS_IN, ttl, len(rdata)) + rdata


def encode_response(ident, query_flags, qname, qtype, qclass, rcode, answers=(), authority=()):
    """A response: each record is (name, type, ttl, value)."""
    # QR, opcode and RD copied from the query, AA and RA set: this server is
    # the authority of its zones and answers as the recursive resolver of its clients.
    flags = 0x8000 | (query_flags & 0x7900) | 0x0400 | 0x0080 | rcode
    sections = []
    for records in (answers, authority):
        encoded = []
        for name, rtype, ttl, value in records:
            try:
                encoded.append(encode_record(name, rtype, ttl, encode_rdata(rtype, value)))
            except ValueError:
                continue
        sections.append(encoded)
    header = struct.pack("!HHHHHH", ident, flags, 1, len(sections[0]), len(sections[1]), 0)
    question = encode_name(qname) + struct.pack("!HH", qtype, qclass)
    return header + question + b"".join(sections[0]) + b"".join(sections[1])


# --- Answers from the zones ------------------------------------------------------


def served_zones(zones):
    """The zones the internet would reach: {zone name: [record sets]}.

    zones: {zone name: [Route53 record sets]} of the public hosted zones.
    A zone is served when no other public zone of the account is its parent
    (a top-level zone of the account, as the presenter's registrar delegates
    it) or when its closest served parent holds an NS record set for its name.
    """
    served = {}
    for name in sorted(zones, key=lambda zone: zone.count(".")):
        parents = [zone for zone in served if name != zone and in_zone(name, zone)]
        if not parents:
            if not any(name != zone and in_zone(name, zone) for zone in zones):
                served[name] = zones[name]
            continue
        parent = max(parents, key=len)
        delegated = any(normalize(rrset["Name"]) == name and rrset["Type"] == "NS" for rrset in served[parent])
        if delegated:
            served[name] = zones[name]
    return served


# moto 5.2 lists a zone's SOA value as the repr of a dict ("{'Value': '<soa>'}").
_WRAPPED_VALUE = re.compile(r"""^\{'Value': '(?P<value>.*)'\}$""")


def values(rrset):
    """The values of a record set (none for an alias record)."""
    found = []
    for record in rrset.get("ResourceRecords", []):
        wrapped = _WRAPPED_VALUE.match(record["Value"])
        found.append(wrapped.group("value") if wrapped else record["Value"])
    return found


def answer(served, qname, qtype):
    """Return (rcode, answers, authority) for a question, from the served zones."""
    qname = normalize(qname)
    candidates = [zone for zone in served if in_zone(qname, zone)]
    if not candidates:
        return REFUSED, [], []
    zone = max(candidates, key=len)
    rrsets = served[zone]
    soa = [(zone, "SOA", int(rrset.get("TTL", TTL_DEFAULT)), value)
           for rrset in rrsets if normalize(rrset["Name"]) == zone and rrset["Type"] == "SOA"
           for value in values(rrset)]
    at_name = [rrset for rrset in rrsets if normalize(rrset["Name"]) == qname]
    if not at_name:
        return NXDOMAIN, [], soa
    wanted = [rrset for rrset in at_name if TYPES.get(rrset["Type"]) == qtype]
    if not wanted and qtype != TYPES["CNAME"]:
        wanted = [rrset for rrset in at_name if rrset["Type"] == "CNAME"]
    answers = [(qname, rrset["Type"], int(rrset.get("TTL", TTL_DEFAULT)), value)
               for rrset in wanted if rrset["Type"] in TYPES
               for value in values(rrset)]
    return NOERROR, answers, [] if answers else soa


def handle(data, read_zones):
    """The response (bytes) to one query (bytes); None when it is not worth an answer."""
    try:
        ident, flags, qname, qtype, qclass = parse_query(data)
    except DNSError:
        if len(data) < 2:
            return None
        return struct.pack("!HHHHHH", struct.unpack("!H", data[:2])[0], 0x8000 | FORMERR, 0, 0, 0, 0)
    if flags & 0x7800:  # an opcode other than QUERY
        return encode_response(ident, flags, qname, qtype, qclass, NOTIMP)
    try:
        rcode, answers, authority = answer(served_zones(read_zones()), qname, qtype)
    except Exception as exc:  # the emulator is down or answers an error: SERVFAIL, as resolvers do
        print("dns_server: cannot read the zones: %s" % exc, file=sys.stderr, flush=True)
        return encode_response(ident, flags, qname, qtype, qclass, SERVFAIL)
    return encode_response(ident, flags, qname, qtype, qclass, rcode, answers, authority)


def route53_zones(endpoint, region):
    """A function that reads {zone name: [record sets]} of the emulator's public zones."""
    client = boto3.client("route53", endpoint_url=endpoint, region_name=region,
                          aws_access_key_id="rehearsal", aws_secret_access_key="rehearsal")

    def read():
        zones = {}
        for page in client.get_paginator("list_hosted_zones").paginate():
            for zone in page["HostedZones"]:
                if zone.get("Config", {}).get("PrivateZone"):
                    continue
                records = []
                for rpage in client.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone["Id"]):
                    records.extend(rpage["ResourceRecordSets"])
                zones[normalize(zone["Name"])] = records
        return zones

    return read


# --- Servers -----------------------------------------------------------------------


class _UDPHandler(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        response = handle(data, self.server.read_zones)
        if response is not None:
            sock.sendto(response, self.client_address)


class _TCPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            prefix = self.rfile.read(2)
            if len(prefix) < 2:
                return
            data = self.rfile.read(struct.unpack("!H", prefix)[0])
            response = handle(data, self.server.read_zones)
            if response is None:
                return
            self.wfile.write(struct.pack("!H", len(response)) + response)


class _UDPServer(socketserver.ThreadingMixIn, socketserver.UDPServer):
    daemon_threads = True
    allow_reuse_address = True


class _TCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="the AWS emulator's URL")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--host", default="127.0.53.1")
    parser.add_argument("--port", type=int, default=53)
    args = parser.parse_args(argv)
    if not ipaddress.ip_address(args.host).is_loopback:
        parser.error("the rehearsal DNS server listens on a loopback address only, not %s" % args.host)
    read_zones = route53_zones(args.endpoint, args.region)
    servers = [_UDPServer((args.host, args.port), _UDPHandler), _TCPServer((args.host, args.port), _TCPHandler)]
    for server in servers:
        server.read_zones = read_zones
    print("dns_server: serving the public zones of %s on %s:%s (udp, tcp)" % (args.endpoint, args.host, args.port),
          flush=True)
    threading.Thread(target=servers[0].serve_forever, daemon=True).start()
    servers[1].serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
