# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
import glob
import os

import pytest
import yaml

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import CROSS_RULES
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import RULES
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import PreflightError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import check_rule
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import named
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import selected_stages
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import source_of

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
STAGES = yaml.safe_load(open(os.path.join(ROOT, "roles", "k8s_talk", "defaults", "main", "stages.yml")))[
    "k8s_talk_stages"]


def names(stages):
    return [stage["name"] for stage in stages]


@pytest.mark.parametrize("run, skip, teardown, expected", [
    (["all"], [], False, [s["name"] for s in STAGES]),
    ([], [], False, [s["name"] for s in STAGES]),
    (["prereqs", "ns"], [], False, ["stack", "prereqs", "ns", "summary"]),
    (["demos"], [], False, ["stack", "hello", "secrets", "jobs", "cronjobs", "daemonsets", "guestbook", "ingress",
                            "volumes", "rbac", "helm", "autoscaling", "summary"]),
    (["guestbook"], [], False, ["stack", "guestbook", "summary"]),
    (["all"], ["demos"], False, ["stack", "prereqs", "ns", "cluster", "inspect", "addons", "summary"]),
    (["all"], ["always"], False, ["prereqs", "ns", "cluster", "inspect", "addons", "hello", "secrets", "jobs",
                                  "cronjobs", "daemonsets", "guestbook", "ingress", "volumes", "rbac", "helm",
                                  "autoscaling"]),
    (["demos"], [], True, ["hello", "secrets", "jobs", "cronjobs", "daemonsets", "guestbook", "ingress", "volumes",
                           "rbac", "helm", "autoscaling"]),
    (["helm"], [], False, ["stack", "helm", "summary"]),
    (["stack"], [], True, ["stack"]),
    (["nothing"], [], False, ["stack", "summary"]),
])
def test_selected_stages_follow_tags(run, skip, teardown, expected):
    assert names(selected_stages(STAGES, run, skip, teardown=teardown)) == expected


GOOD = {
    "a_label": "indydevops",
    "a_domain": "k8s.indydevops.example",
    "a_parent": "indydevops.example",
    "a_region": "us-east-2",
    "a_bucket": "indydevops-dev-kops-state-store",
    "a_store": "s3://indydevops-dev-kops-state-store/prefix",
    "a_count": 3,
    "a_max": 4,
    "a_version": "1.36.3",
    "a_duration": "1h30m",
    "a_size": "5Gi",
    "a_tags": {"Environment": "dev"},
    "a_port": 5055,
    "b_port": 36443,
    "a_key": "/pki/ca.key",
}

# (rule, value that passes, value that is refused, text the refusal holds)
CASES = [
    ({"var": "a_label", "rule": "dns_label"}, "indydevops", "Indy_DevOps", "DNS label"),
    ({"var": "a_label", "rule": "dns_label"}, "a" * 63, "a" * 64, "DNS label"),
    ({"var": "a_teams", "rule": "dns_labels_in", "keys": ["name", "namespace"]},
     [{"name": "dev", "namespace": "dev"}], [{"name": "dev", "namespace": "Dev_Team"}],
     "a_teams[0].namespace is 'Dev_Team'"),
    ({"var": "a_domain", "rule": "dns_name"}, "k8s.example.com", "localhost", "single label"),
    ({"var": "a_domain", "rule": "dns_name", "optional": True}, "", "localhost", "single label"),
    ({"var": "a_domain", "rule": "dns_name"}, "k8s.example.com", "", "DNS name"),
    ({"var": "a_region", "rule": "aws_region"}, "eu-central-1", "mars-1", "not an AWS region"),
    ({"var": "a_bucket", "rule": "s3_bucket"}, "my.bucket-1", "My_Bucket", "lowercase"),
    ({"var": "a_bucket", "rule": "s3_bucket"}, "abc", "ab", "3 to 63"),
    ({"var": "a_store", "rule": "s3_uri"}, "s3://bucket-1", "bucket-1", "s3://<bucket>"),
    ({"var": "a_store", "rule": "s3_uri"}, "s3://bucket-1/x", "s3://xn--bucket", "reserved"),
    ({"var": "a_count", "rule": "int_range", "min": 0}, 0, -1, "integer >= 0"),
    ({"var": "a_count", "rule": "int_range", "min": 0}, "5", "five", "integer >= 0"),
    ({"var": "a_count", "rule": "int_range", "min": 1, "max": 6}, 6, 7, "from 1 to 6"),
    ({"var": "a_count", "rule": "int_range", "max": 6}, 6, True, "<= 6"),
    ({"var": "a_count", "rule": "one_of", "values": [1, 3, 5]}, 5, 2, "one of 1, 3, 5"),
    ({"var": "a_version", "rule": "version"}, "v1.36.3", "1.36", "version such as"),
    ({"var": "a_duration", "rule": "duration"}, "90s", "15 minutes", "Go duration"),
    ({"var": "a_size", "rule": "quantity"}, "5Gi", "5 GB", "Kubernetes quantity"),
    ({"var": "a_size", "rule": "quantity"}, "1.5Ti", "Gi", "Kubernetes quantity"),
    ({"var": "a_tags", "rule": "has_key", "key": "Environment"}, {"Environment": "x"}, {}, "Environment"),
    ({"var": "some_values", "rule": "not_empty"}, {"frontend": {"replicas": 5}}, {}, "must not be empty"),
    ({"var": "a_domain", "rule": "subdomain_of", "other": "a_parent"}, "k8s.indydevops.example",
     "k8s.other.example", "subdomain of a_parent"),
    ({"var": "a_port", "rule": "differs", "other": "b_port"}, 5055, 36443, "must differ"),
    ({"var": "a_cert", "rule": "together", "other": "a_key"}, "/pki/ca.crt", "", "set both or neither"),
    ({"var": "a_max", "rule": "at_least", "other": "a_count"}, 3, 2, "must be at least a_count"),
    ({"var": "an_address", "rule": "loopback_address"}, "127.0.53.1", "192.0.2.1", "loopback IP"),
    ({"var": "an_address", "rule": "loopback_address"}, "::1", "localhost", "loopback IP"),
    ({"var": "a_url", "rule": "http_url"}, "http://127.0.0.1:5055/bucket", "s3://bucket", "http:// or https://"),
    ({"var": "a_url", "rule": "http_url", "optional": True}, "", "https://", "http:// or https://"),
    ({"var": "a_url", "rule": "http_url"}, "https://example.com", "", "http:// or https://"),
    ({"var": "an_api", "rule": "host_port"}, "127.0.0.1:36443", "127.0.0.1", "host:port"),
    ({"var": "an_api", "rule": "host_port", "optional": True}, "", "localhost:0", "host:port"),
    ({"var": "an_api", "rule": "host_port"}, "api.example:443", "https://api:443", "host:port"),
]


@pytest.mark.parametrize("rule, good, bad, text", CASES)
def test_each_rule_passes_good_and_refuses_bad_by_name(rule, good, bad, text):
    assert check_rule(rule, dict(GOOD, **{rule["var"]: good}), {}) == []
    messages = check_rule(rule, dict(GOOD, **{rule["var"]: bad}), {})
    assert len(messages) == 1
    assert messages[0].startswith(rule["var"])
    assert text in messages[0]


def test_every_rule_kind_is_covered_by_the_table():
    assert {case[0]["rule"] for case in CASES} == set(RULES) | set(CROSS_RULES)


def test_fix_is_appended_and_source_named():
    rule = {"var": "a_count", "rule": "int_range", "min": 0, "fix": "use 0 or more."}
    messages = check_rule(rule, {"a_count": -1}, {"a_count": ["k8s_talk_count"]})
    assert messages == ["a_count (from k8s_talk_count) is -1: it must be an integer >= 0. Fix: use 0 or more."]


def test_a_value_derived_from_a_refused_one_is_not_reported_again():
    failed = {"k8s_talk_org"}
    rule = {"var": "a_domain", "rule": "dns_name"}
    assert check_rule(rule, {"a_domain": "Bad_Org.example"}, {"a_domain": ["k8s_talk_org"]}, failed) == []
    assert "a_domain" in failed


def test_a_refused_variable_is_reported_once():
    failed = set()
    values = {"a_domain": "k8s.Bad.example", "a_parent": "other.example"}
    first = check_rule({"var": "a_domain", "rule": "dns_name"}, values, {}, failed)
    second = check_rule({"var": "a_domain", "rule": "subdomain_of", "other": "a_parent"}, values, {}, failed)
    assert len(first) == 1 and second == []


def test_missing_variables_are_not_checked():
    assert check_rule({"var": "absent", "rule": "dns_label"}, {}, {}) == []


@pytest.mark.parametrize("rule", [{"var": "x", "rule": "nope"}, {"rule": "dns_label"}])
def test_unknown_rules_are_a_collection_bug(rule):
    with pytest.raises(PreflightError):
        check_rule(rule, {"x": 1}, {})


DEFAULTS = {
    "role_cluster_dns_zone": "k8s.{{ role_public_domain }}",
    "role_public_domain": "{{ k8s_talk_public_domain }}",
    "role_stack_name": "{{ k8s_talk_org }}-{{ k8s_talk_environment }}-vpc",
    "role_zone_count": 3,
    "role_tags": {"Environment": "{{ role_environment }}"},
}


@pytest.mark.parametrize("var, user_set, expected", [
    ("role_cluster_dns_zone", set(), ["k8s_talk_public_domain"]),
    ("role_cluster_dns_zone", {"role_public_domain"}, ["role_public_domain"]),
    ("role_cluster_dns_zone", {"role_cluster_dns_zone"}, ["role_cluster_dns_zone"]),
    ("role_stack_name", set(), ["k8s_talk_org", "k8s_talk_environment"]),
    ("role_zone_count", set(), ["role_zone_count"]),
    ("role_tags", set(), ["role_tags"]),
])
def test_source_follows_defaults_to_what_the_user_can_change(var, user_set, expected):
    assert source_of(var, DEFAULTS, user_set) == expected


@pytest.mark.parametrize("source, expected", [
    (None, "x"), ("x", "x"), (["x"], "x"), (["k8s_talk_a", "k8s_talk_b"], "x (from k8s_talk_a and k8s_talk_b)"),
])
def test_named(source, expected):
    assert named("x", source) == expected


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(ROOT, "roles", "*", "meta", "preflight.yml"))))
def test_every_role_rule_names_a_known_rule_and_a_declared_variable(path):
    role_dir = os.path.dirname(os.path.dirname(path))
    rules = yaml.safe_load(open(path))["rules"]
    specs = yaml.safe_load(open(os.path.join(role_dir, "meta", "argument_specs.yml")))
    options = specs["argument_specs"]["main"]["options"]
    assert rules
    for rule in rules:
        assert rule["rule"] in set(RULES) | set(CROSS_RULES), rule
        assert rule["var"] in options, "%s: %s is not in argument_specs.yml" % (path, rule["var"])
        if "other" in rule:
            assert rule["other"] in options, rule


def test_every_stage_role_has_rules():
    for stage in STAGES:
        for role in stage["roles"]:
            assert os.path.exists(os.path.join(ROOT, "roles", role, "meta", "preflight.yml")), role
