# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The talk's prerequisites as plain data: validation, subnet plan, stack I/O.

Everything here takes plain values and returns plain values, so the role's
decisions (what is a valid name, which CIDR goes to which zone, how stack
outputs become facts) are unit tested without Ansible or AWS.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# The CloudFormation template is rendered for 1..MAX_ZONES zones.
MAX_ZONES = 6
NAT_MODES = ("per_zone", "single")

_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IPV4 = re.compile(r"^[0-9]+(\.[0-9]+){3}$")


class PrereqsError(Exception):
    """A value the user can fix; the message names the variable and the fix."""


def _named(var, source):
    return "%s (from %s)" % (var, source) if source else var


def domain_errors(var, value, source=None):
    """Errors for a DNS zone name (no trailing dot needed)."""
    name = _named(var, source)
    if not isinstance(value, str) or not value.strip("."):
        return ["%s is empty: set it to a DNS name such as example.com." % name]
    text = value[:-1] if value.endswith(".") else value
    if len(text) > 253:
        return ["%s '%s' is %d characters long: a DNS name has at most 253." % (name, value, len(text))]
    labels = text.split(".")
    if len(labels) < 2:
        return ["%s '%s' has a single label: use at least two (name.tld)." % (name, value)]
    for label in labels:
        if not _LABEL.match(label):
            return [
                "%s '%s' has an invalid label '%s': use 1-63 lowercase letters, digits and "
                "hyphens, not starting or ending with a hyphen." % (name, value, label)
            ]
    return []


def region_errors(var, value, source=None):
    if isinstance(value, str) and _REGION.match(value):
        return []
    return [
        "%s '%s' is not an AWS region name: use a name such as us-east-2 "
        "(aws ec2 describe-regions lists them)." % (_named(var, source), value)
    ]


def cidr_prefix_errors(var, value, source=None):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 255:
        return [
            "%s '%s' must be an integer from 0 to 255: it is the second octet of the "
            "VPC CIDR 172.<prefix>.0.0/16 (16-31 stays in RFC 1918 space)." % (_named(var, source), value)
        ]
    return []


def bucket_errors(var, value, source=None):
    """The S3 general purpose bucket naming rules."""
    name = _named(var, source)
    if not isinstance(value, str):
        return ["%s must be a string." % name]
    if not 3 <= len(value) <= 63:
        return ["%s '%s' is %d characters long: a bucket name has 3 to 63." % (name, value, len(value))]
    if not _BUCKET.match(value):
        return [
            "%s '%s' may hold only lowercase letters, digits, dots and hyphens, and must "
            "start and end with a letter or a digit." % (name, value)
        ]
    if ".." in value or ".-" in value or "-." in value:
        return ["%s '%s' must not have two adjacent dots or a dot next to a hyphen." % (name, value)]
    if _IPV4.match(value):
        return ["%s '%s' must not look like an IP address." % (name, value)]
    for prefix in ("xn--", "sthree-", "amzn-s3-demo-"):
        if value.startswith(prefix):
            return ["%s '%s' must not start with '%s' (reserved by S3)." % (name, value, prefix)]
    for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"):
        if value.endswith(suffix):
            return ["%s '%s' must not end with '%s' (reserved by S3)." % (name, value, suffix)]
    return []


def zone_count_errors(var, value, available=None):
    name = var
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ZONES:
        return ["%s '%s' must be an integer from 1 to %d." % (name, value, MAX_ZONES)]
    if available is not None and value > len(available):
        return [
            "%s is %d but the region has only %d availability zones (%s): lower it to %d "
            "or fewer." % (name, value, len(available), ", ".join(available), len(available))
        ]
    return []


def nat_mode_errors(var, value):
    if value in NAT_MODES:
        return []
    return ["%s '%s' must be one of: %s." % (var, value, ", ".join(NAT_MODES))]


def validate(settings, sources=None):
    """All errors for the role's settings, [] when they are fine.

    settings: {variable name: value}; the kind of check follows the name's
    suffix. sources: {variable name: inventory variable it comes from}.
    """
    sources = sources or {}
    checks = (
        ("_domain", domain_errors),
        ("_zone", domain_errors),
        ("_region", region_errors),
        ("_vpc_cidr_prefix", cidr_prefix_errors),
        ("_state_bucket", bucket_errors),
    )
    errors = []
    for var in sorted(settings):
        value = settings[var]
        for suffix, check in checks:
            if var.endswith(suffix):
                errors.extend(check(var, value, sources.get(var)))
        if var.endswith("_zone_count"):
            errors.extend(zone_count_errors(var, value))
        if var.endswith("_nat_gateway_mode"):
            errors.extend(nat_mode_errors(var, value))
    return errors


def subnet_plan(cidr_prefix, zones):
    """One private and one public subnet per zone, in the VPC 172.<prefix>.0.0/16.

    Private subnets (the nodes) get /19s from the bottom of the range, public
    subnets (load balancers, NAT gateways, bastion) /22s from 172.<p>.192.0:
    room for MAX_ZONES zones, the CIDRs of a zone never move when zones are added.
    """
    if cidr_prefix_errors("vpc_cidr_prefix", cidr_prefix):
        raise PrereqsError(cidr_prefix_errors("vpc_cidr_prefix", cidr_prefix)[0])
    if not 1 <= len(zones) <= MAX_ZONES:
        raise PrereqsError("between 1 and %d zones are needed, got %d" % (MAX_ZONES, len(zones)))
    if len(set(zones)) != len(zones):
        raise PrereqsError("zones must be distinct, got %s" % ", ".join(zones))
    plan = []
    for index, zone in enumerate(zones):
        plan.append({"index": index + 1, "zone": zone, "type": "Private",
                     "cidr": "172.%d.%d.0/19" % (cidr_prefix, 32 * index)})
        plan.append({"index": index + 1, "zone": zone, "type": "Public",
                     "cidr": "172.%d.%d.0/22" % (cidr_prefix, 192 + 4 * index)})
    return plan


def stack_parameters(cidr_prefix, plan, environment):
    """Every template parameter, explicit and scalar (strings), so a re-run is a no-op."""
    params = {"VpcCidr": "172.%d.0.0/16" % cidr_prefix, "Environment": str(environment)}
    for subnet in plan:
        params["Zone%d" % subnet["index"]] = subnet["zone"]
        params["%sSubnet%dCidr" % (subnet["type"], subnet["index"])] = subnet["cidr"]
    return params


def stack_facts(outputs, plan, nat_mode):
    """Stack outputs -> the role's facts; PrereqsError names a missing output."""
    outputs = outputs or {}

    def output(key):
        if key not in outputs:
            raise PrereqsError(
                "the VPC stack has no output %s: it was made by another template; "
                "delete the stack or choose another aws_prereqs_stack_name" % key
            )
        return outputs[key]

    subnets = []
    nat_gateways = {}
    for subnet in plan:
        subnets.append({
            "zone": subnet["zone"],
            "type": subnet["type"],
            "id": output("%sSubnet%dId" % (subnet["type"], subnet["index"])),
            "cidr": subnet["cidr"],
        })
        if subnet["type"] == "Public" and (nat_mode == "per_zone" or subnet["index"] == 1):
            nat_gateways[subnet["zone"]] = output("NatGateway%dId" % subnet["index"])
    return {
        "vpc_id": output("VpcId"),
        "vpc_cidr": output("VpcCidr"),
        "subnets": subnets,
        "nat_gateways": nat_gateways,
    }


def _unwrap(value, key):
    """A bucket setting as s3_bucket_info returns it: amazon.aws 11 gives the
    configuration itself, earlier releases wrapped it in the API's key."""
    value = value or {}
    if key in value:
        return value[key] or {}
    return value


def bucket_drift(buckets, tags):
    """What amazon.aws.s3_bucket would change on the state bucket (it has no check mode).

    buckets: amazon.aws.s3_bucket_info's `buckets` for the bucket's name, with
    versioning, encryption, public access block, ownership and tagging facts.
    Returns the settings that differ, ['bucket'] when it does not exist.
    """
    if not buckets:
        return ["bucket"]
    bucket = buckets[0]
    drift = []
    if (bucket.get("bucket_versioning") or {}).get("Status") != "Enabled":
        drift.append("versioning")
    encryption = _unwrap(bucket.get("bucket_encryption"), "ServerSideEncryptionConfiguration")
    rules = encryption.get("Rules") or [{}]
    if (rules[0].get("ApplyServerSideEncryptionByDefault") or {}).get("SSEAlgorithm") != "AES256":
        drift.append("encryption")
    block = _unwrap(bucket.get("public_access_block"), "PublicAccessBlockConfiguration")
    if not all(block.get(key) is True for key in
               ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")):
        drift.append("public_access")
    controls = _unwrap(bucket.get("bucket_ownership_controls"), "OwnershipControls")
    ownership = controls.get("Rules") or [{}]
    if ownership[0].get("ObjectOwnership") != "BucketOwnerEnforced":
        drift.append("object_ownership")
    current = bucket.get("bucket_tagging") or {}
    if any(current.get(key) != str(value) for key, value in (tags or {}).items()):
        drift.append("tags")
    return drift
