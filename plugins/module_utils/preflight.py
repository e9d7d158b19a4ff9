# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The preflight's pure logic: which stages run, and the semantic rules.

The preflight (plugins/action/preflight.py) refuses bad input before the talk
changes anything. Types and choices come from each role's
meta/argument_specs.yml; the rules here add what a type cannot say (a DNS
name, an AWS region, a bucket name, bounds). Rules are declared as data in
each role's meta/preflight.yml:

    rules:
      - {var: demo_guestbook_frontend_replicas, rule: int_range, min: 0}

Every function takes plain values and returns plain values.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
from urllib.parse import urlsplit

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import bucket_errors
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import domain_errors
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.aws_prereqs import region_errors

_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_VERSION = re.compile(r"^v?[0-9]+\.[0-9]+\.[0-9]+$")
# A Kubernetes resource quantity of storage: a number with an optional binary or decimal suffix.
_QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")


class PreflightError(Exception):
    """A rule file the preflight cannot use (a bug in the collection, not in the input)."""


def named(var, source):
    """How a message names a variable: with the variables it came from, if any."""
    if isinstance(source, (list, tuple)):
        source = " and ".join(s for s in source if s != var)
    return "%s (from %s)" % (var, source) if source and source != var else var


def selected_stages(stages, run_tags, skip_tags, teardown=False):
    """The stages that will run for these --tags / --skip-tags, in order.

    A stage runs when 'all' or one of its tags was asked for, none of its tags
    was skipped, and (teardown aside) a stage tagged 'always' always runs. In a
    teardown nothing is 'always': the rehearsal stack goes down only when its
    own tag is selected.
    """
    run = set(run_tags or ["all"])
    skip = set(skip_tags or [])
    chosen = []
    for stage in stages:
        tags = set(stage.get("tags") or [])
        if teardown:
            tags.discard("always")
        if tags & skip:
            continue
        if "all" in run or tags & run or (not teardown and "always" in tags):
            chosen.append(stage)
    return chosen


def _as_int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.match(r"^-?[0-9]+$", value.strip()):
        return int(value)
    return None


def _int_range(var, value, source, rule):
    low, high = rule.get("min"), rule.get("max")
    number = _as_int(value)
    bounds = ("from %s to %s" % (low, high) if low is not None and high is not None
              else ">= %s" % low if low is not None else "<= %s" % high)
    if number is None or (low is not None and number < low) or (high is not None and number > high):
        return ["%s is %r: it must be an integer %s." % (named(var, source), value, bounds)]
    return []


def _dns_label(var, value, source, rule):
    if isinstance(value, str) and _LABEL.match(value):
        return []
    return ["%s is %r: it must be a DNS label (1-63 lowercase letters, digits and hyphens, "
            "starting and ending with a letter or digit)." % (named(var, source), value)]


def _dns_labels_in(var, value, source, rule):
    """Each item of a list of dicts holds DNS labels under rule['keys'] (e.g. team names, namespaces)."""
    messages = []
    for index, item in enumerate(value if isinstance(value, list) else []):
        for key in rule["keys"]:
            got = item.get(key) if isinstance(item, dict) else None
            if not (isinstance(got, str) and _LABEL.match(got)):
                messages.append("%s[%d].%s is %r: it must be a DNS label (1-63 lowercase letters, digits and "
                                "hyphens, starting and ending with a letter or digit)."
                                % (named(var, source), index, key, got))
    return messages


def _dns_name(var, value, source, rule):
    """A DNS name; empty is allowed with `optional: true`."""
    if rule.get("optional") and value in ("", None):
        return []
    return domain_errors(var, value, source)


def _aws_region(var, value, source, rule):
    return region_errors(var, value, source)


def _s3_bucket(var, value, source, rule):
    return bucket_errors(var, value, source)


def _s3_uri(var, value, source, rule):
    if not isinstance(value, str) or not value.startswith("s3://"):
        return ["%s is %r: it must be s3://<bucket>[/path]." % (named(var, source), value)]
    return bucket_errors(var, value[len("s3://"):].split("/", 1)[0], source)


def _version(var, value, source, rule):
    if isinstance(value, str) and _VERSION.match(value):
        return []
    return ["%s is %r: it must be a version such as 1.36.3." % (named(var, source), value)]


def _duration(var, value, source, rule):
    if isinstance(value, str) and _DURATION.match(value):
        return []
    return ["%s is %r: it must be a Go duration such as 90s, 15m or 1h30m." % (named(var, source), value)]


def _quantity(var, value, source, rule):
    if isinstance(value, str) and _QUANTITY.match(value):
        return []
    return ["%s is %r: it must be a Kubernetes quantity such as 5Gi or 500Mi." % (named(var, source), value)]


def _subdomain_of(var, value, source, rule, values):
    other = rule["other"]
    parent = str(values.get(other, "")).lower().rstrip(".")
    if isinstance(value, str) and value.lower().rstrip(".").endswith("." + parent):
        return []
    return ["%s is %r: it must be a subdomain of %s (%r), e.g. k8s.%s." % (
        named(var, source), value, other, values.get(other), parent)]


def _differs(var, value, source, rule, values):
    other = rule["other"]
    if value != values.get(other):
        return []
    return ["%s is %r, the same as %s: they must differ." % (named(var, source), value, other)]


def _at_least(var, value, source, rule, values):
    """An integer no smaller than another variable's (a maximum and its minimum)."""
    other = rule["other"]
    number, floor = _as_int(value), _as_int(values.get(other))
    if number is None or floor is None or number >= floor:
        return []  # a value that is no integer is int_range's to report
    return ["%s is %r but %s is %r: it must be at least %s." % (
        named(var, source), value, other, values.get(other), other)]


def _has_key(var, value, source, rule):
    if isinstance(value, dict) and rule["key"] in value:
        return []
    return ["%s must hold the key %s." % (named(var, source), rule["key"])]


def _not_empty(var, value, source, rule):
    if isinstance(value, (dict, list, str)) and value:
        return []
    return ["%s is %r: it must not be empty." % (named(var, source), value)]


def _one_of(var, value, source, rule):
    if value in rule["values"]:
        return []
    return ["%s is %r: it must be one of %s." % (named(var, source), value, ", ".join(map(str, rule["values"])))]


def _loopback_address(var, value, source, rule):
    try:
        if ipaddress.ip_address(str(value)).is_loopback:
            return []
    except ValueError:
        pass
    return ["%s is %r: it must be a loopback IP address such as 127.0.53.1." % (named(var, source), value)]


def _host_port(var, value, source, rule):
    """host:port (a host name or IPv4 address, a port 1-65535); empty is allowed with `optional: true`."""
    if rule.get("optional") and value in ("", None):
        return []
    if isinstance(value, str) and ":" in value:
        host, port = value.rsplit(":", 1)
        if host and re.match(r"^[A-Za-z0-9.-]+$", host) and port.isdigit() and 0 < int(port) < 65536:
            return []
    return ["%s is %r: it must be host:port, e.g. 127.0.0.1:36443." % (named(var, source), value)]


def _http_url(var, value, source, rule):
    """An http(s) URL with a host; empty is allowed with `optional: true`."""
    if rule.get("optional") and value in ("", None):
        return []
    if isinstance(value, str):
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc:
            return []
    return ["%s is %r: it must be an http:// or https:// URL." % (named(var, source), value)]


def _together(var, value, source, rule, values):
    """Both set or both empty (a certificate and its key)."""
    other = rule["other"]
    if bool(value) == bool(values.get(other)):
        return []
    return ["%s is %r but %s is %r: set both or neither." % (named(var, source), value, other, values.get(other))]


RULES = {
    "int_range": _int_range,
    "dns_label": _dns_label,
    "dns_labels_in": _dns_labels_in,
    "dns_name": _dns_name,
    "aws_region": _aws_region,
    "s3_bucket": _s3_bucket,
    "s3_uri": _s3_uri,
    "version": _version,
    "duration": _duration,
    "quantity": _quantity,
    "has_key": _has_key,
    "not_empty": _not_empty,
    "one_of": _one_of,
    "loopback_address": _loopback_address,
    "http_url": _http_url,
    "host_port": _host_port,
}
# Rules that compare a variable with another one of the same role.
CROSS_RULES = {
    "subdomain_of": _subdomain_of,
    "differs": _differs,
    "together": _together,
    "at_least": _at_least,
}


def check_rule(rule, values, sources, failed=None):
    """The messages of one rule ([] when it holds).

    rule: one entry of a role's meta/preflight.yml; values: {var: value} of
    the role; sources: {var: [variables the value came from]}; failed: the
    set of variables already refused (updated), so a value derived from a
    refused one is not reported again.
    """
    kind = rule.get("rule")
    var = rule.get("var")
    if not var or (kind not in RULES and kind not in CROSS_RULES):
        raise PreflightError("unknown preflight rule %r (known: %s)" % (
            rule, ", ".join(sorted(list(RULES) + list(CROSS_RULES)))))
    if var not in values:
        return []
    roots = sources.get(var) or [var]
    value = values[var]
    source = " and ".join(r for r in roots if r != var) or None
    if failed and (var in failed or set(roots) & set(failed)):
        # Derived from a value already refused: one message, at its cause.
        failed.add(var)
        return []
    if kind in CROSS_RULES:
        messages = CROSS_RULES[kind](var, value, source, rule, values)
    else:
        messages = RULES[kind](var, value, source, rule)
    if messages and failed is not None:
        failed.add(var)
    if messages and rule.get("fix"):
        messages = ["%s Fix: %s" % (messages[0], rule["fix"])] + messages[1:]
    return messages


def source_of(var, defaults, user_set, shared_prefix="k8s_talk_"):
    """The variables a role variable's value comes from, for the messages.

    A value the user set comes from itself. A default is followed through
    the role's other defaults down to what the user can change: a variable
    the user set, a shared k8s_talk_* variable, or a default that is a plain
    value. defaults: {var: raw default}; user_set: the names the user set.
    """
    roots, seen, todo = [], set(), [var]
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        raw = defaults.get(name)
        follow = name == var or (name not in user_set and not name.startswith(shared_prefix))
        refs = []
        if follow and name not in user_set and isinstance(raw, str):
            refs = [ref for ref in re.findall(r"\b([a-z][a-z0-9_]*)\b", raw)
                    if ref != name and (ref in defaults or ref.startswith(shared_prefix))]
        if refs:
            todo.extend(refs)
        elif name not in roots:
            roots.append(name)
    return roots


def mask(value, secret):
    return "********" if secret else value
