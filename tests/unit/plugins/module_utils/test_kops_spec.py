# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

import copy
import glob
import json
import os

import pytest
import yaml
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import (
    API_V1ALPHA3,
    KopsSpecError,
    diff,
    divide,
    load_instance_groups,
    load_spec,
    normalize_subnets,
    resize_node_groups,
    rewrite,
    set_key,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "kops")


def read(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def shared():
    return yaml.safe_load(read("subnets-us-east-2.yaml"))


# Every Cluster fixture: hand-written ones and those printed by the pinned kops.
CLUSTER_FIXTURES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(FIXTURES, "cluster-*.yaml")))
KOPS_PRINTED = [n for n in CLUSTER_FIXTURES if n.startswith("cluster-kops-")]


def container(doc):
    return doc["spec"]["networking"] if doc["apiVersion"] == API_V1ALPHA3 else doc["spec"]


def runtime_config(doc):
    return (doc["spec"].get("kubeAPIServer") or {}).get("runtimeConfig") or {}


def unmanaged(doc):
    """The spec without the paths the module manages (for preservation checks)."""
    doc = copy.deepcopy(doc)
    net = container(doc)
    net.pop("subnets", None)
    net.pop("networkID", None)
    api = doc["spec"].get("kubeAPIServer")
    if api is not None:
        api.pop("runtimeConfig", None)
        if not api:
            del doc["spec"]["kubeAPIServer"]
    return doc


def ordered(doc):
    """JSON with keys in held order: equal only when values AND key order match."""
    return json.dumps(doc, sort_keys=False)


def test_fixtures_cover_every_layout():
    versions = {load_spec(read(n))["apiVersion"] for n in CLUSTER_FIXTURES}
    assert {"kops/v1alpha2", "kops.k8s.io/v1alpha3"} <= versions
    assert "cluster-2017-v1.7.5.yaml" in CLUSTER_FIXTURES


@pytest.mark.parametrize("name", CLUSTER_FIXTURES)
def test_subnets_and_network_id_are_replaced_in_the_layout_of_the_spec(name):
    given_doc = load_spec(read(name))
    facts = shared()
    changed, result = rewrite(read(name), subnets=facts["subnets"], network_id=facts["vpc_id"],
                              batch_api_bugfix="never")
    assert changed
    net = container(result["spec"])
    assert net["networkID"] == facts["vpc_id"]
    assert [s["name"] for s in net["subnets"]] == [s["name"] for s in facts["subnets"]]
    assert net["subnets"][1] == {"cidr": "172.20.32.0/19", "egress": "nat-0ccc0000000000001",
                                 "id": "subnet-0bbb0000000000001", "name": "us-east-2a",
                                 "type": "Private", "zone": "us-east-2a"}
    if given_doc["apiVersion"] == API_V1ALPHA3:
        assert "subnets" not in result["spec"]["spec"] and "networkID" not in result["spec"]["spec"]
    else:
        assert "subnets" not in (result["spec"]["spec"].get("networking") or {})
    assert ordered(unmanaged(result["spec"])) == ordered(unmanaged(given_doc))
    assert yaml.safe_load(result["spec_yaml"]) == json.loads(json.dumps(result["spec"]))


@pytest.mark.parametrize("name", CLUSTER_FIXTURES)
def test_second_application_changes_nothing(name):
    facts = shared()
    kwargs = {"subnets": facts["subnets"], "network_id": facts["vpc_id"]}
    first = rewrite(read(name), **kwargs)[1]
    changed, second = rewrite(first["spec_yaml"], **kwargs)
    assert not changed
    assert second["spec_yaml"] == first["spec_yaml"]
    changed, _third = rewrite(first["spec"], **kwargs)
    assert not changed


def test_2017_spec_gets_the_bugfix_after_etcd_clusters_and_keeps_its_timestamp():
    text = read("cluster-2017-v1.7.5.yaml")
    changed, result = rewrite(text, batch_api_bugfix="auto")
    assert changed and result["bugfix_applied"]
    assert result["spec"]["spec"]["kubeAPIServer"] == {"runtimeConfig": {"batch/v2alpha1": "true"}}
    keys = list(result["spec"]["spec"])
    assert keys.index("kubeAPIServer") == keys.index("etcdClusters") + 1
    assert result["spec"]["metadata"]["creationTimestamp"] == "2017-09-20T01:12:44Z"
    assert result["spec"]["spec"]["cloudProvider"] == "aws"
    assert "batch/v2alpha1: 'true'" in result["spec_yaml"]


@pytest.mark.parametrize("version, mode, expected", [
    ("1.7.5", "auto", True),
    ("v1.7.16", "auto", True),
    ("1.6.0", "auto", True),
    ("1.8.0", "auto", False),
    ("1.20.15", "auto", False),
    ("1.34.1", "auto", False),
    (None, "auto", False),
    ("1.7.5", "never", False),
    ("1.7.5", "always", True),
    ("1.20.0", "always", True),
    (None, "always", True),
    ("https://example.org/kubernetes/v1.7.5/", "auto", True),
])
def test_bugfix_modes(version, mode, expected):
    doc = load_spec(read("cluster-2017-v1.7.5.yaml"))
    if version is None:
        del doc["spec"]["kubernetesVersion"]
    else:
        doc["spec"]["kubernetesVersion"] = version
    result = rewrite(doc, batch_api_bugfix=mode)[1]
    assert result["bugfix_applied"] is expected
    assert ("batch/v2alpha1" in runtime_config(result["spec"])) is expected


def with_flag(version, extra=None):
    doc = load_spec(read("cluster-v1alpha3.yaml"))
    doc["spec"]["kubernetesVersion"] = version
    rc = {"batch/v2alpha1": "true"}
    rc.update(extra or {})
    doc["spec"]["kubeAPIServer"] = {"runtimeConfig": rc, "logLevel": 2}
    return doc


@pytest.mark.parametrize("version, mode, kept", [
    ("1.10.0", "auto", True),       # harmless before 1.21: the user's choice
    ("1.21.0", "auto", False),      # would stop kube-apiserver: removed
    ("1.34.1", "auto", False),
    ("1.10.0", "never", False),
])
def test_existing_flag(version, mode, kept):
    changed, result = rewrite(with_flag(version), batch_api_bugfix=mode)
    assert changed is (not kept)
    assert result["bugfix_removed"] is (not kept)
    api = result["spec"]["spec"]["kubeAPIServer"]
    assert api["logLevel"] == 2
    assert ("runtimeConfig" in api) is kept


def test_removing_the_flag_keeps_other_entries_and_drops_empty_parents():
    result = rewrite(with_flag("1.34.1", {"apps/v1alpha1": "true"}), batch_api_bugfix="never")[1]
    assert result["spec"]["spec"]["kubeAPIServer"]["runtimeConfig"] == {"apps/v1alpha1": "true"}
    doc = load_spec(read("cluster-2017-v1.7.5.yaml"))
    added = rewrite(doc, batch_api_bugfix="always")[1]
    removed = rewrite(added["spec"], batch_api_bugfix="never")[1]
    assert removed["spec"] == doc


@pytest.mark.parametrize("runtime, expected", [
    ({"apps/v1alpha1": True}, {"apps/v1alpha1": "true"}),
    ({"apps/v1alpha1": False}, {"apps/v1alpha1": "false"}),
    ({"api/all": "true", "apps/v1alpha1": None}, {"api/all": "true"}),
    ({}, {}),
])
def test_runtime_config_entries(runtime, expected):
    doc = load_spec(read("cluster-v1alpha3.yaml"))
    doc["spec"]["kubeAPIServer"] = {"runtimeConfig": {"apps/v1alpha1": "true"}}
    if not expected:
        del doc["spec"]["kubeAPIServer"]
    result = rewrite(doc, batch_api_bugfix="never", runtime_config=runtime)[1]
    assert runtime_config(result["spec"]) == expected


@pytest.mark.parametrize("name, kwargs, message", [
    ("cluster-v1alpha3.yaml", {"batch_api_bugfix": "always"}, "removed in 1.21"),
    ("cluster-v1alpha3.yaml", {"runtime_config": {"batch/v2alpha1": True}}, "drop one of them"),
    ("cluster-2017-v1.7.5.yaml", {"batch_api_bugfix": "never", "runtime_config": {"batch/v2alpha1": "true"}},
     "drop one of them"),
    ("cluster-2017-v1.7.5.yaml", {"batch_api_bugfix": "sometimes"}, "must be one of"),
    ("cluster-2017-v1.7.5.yaml", {"network_id": ""}, "network_id"),
    ("cluster-2017-v1.7.5.yaml", {"subnets": []}, "at least one subnet"),
])
def test_option_errors(name, kwargs, message):
    with pytest.raises(KopsSpecError, match=message):
        rewrite(read(name), **kwargs)


@pytest.mark.parametrize("text, message", [
    ("- a\n- b\n", "mapping"),
    ("apiVersion: v1\nkind: Pod\nspec: {}\n", "kind: Cluster"),
    ("apiVersion: kops/v1alpha1\nkind: Cluster\nspec: {}\n", "unsupported apiVersion"),
    ("apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\n", "no spec"),
    ("a: [\n", "not valid YAML"),
    ("kind: Cluster\n---\nkind: InstanceGroup\n", "exactly one YAML document"),
    ("apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\nspec:\n  kubernetesVersion: latest\n",
     "kubernetesVersion"),
])
def test_spec_errors(text, message):
    with pytest.raises(KopsSpecError, match=message):
        rewrite(text)


def test_spec_must_be_text_or_mapping():
    with pytest.raises(KopsSpecError, match="YAML string or a dict"):
        rewrite(42)


def subnet(**kw):
    base = {"name": "us-east-2a", "type": "Private", "zone": "us-east-2a", "cidr": "172.20.32.0/19"}
    base.update(kw)
    return {k: v for k, v in base.items() if v is not None}


@pytest.mark.parametrize("subnets, message", [
    ([subnet(type="Dmz")], "must be one of Private, Utility, Public"),
    ([subnet(), subnet(cidr="172.20.64.0/19")], "used twice"),
    ([subnet(zone=None)], "no zone"),
    ([subnet(cidr=None)], "no cidr"),
    ([subnet(name=None)], "no name"),
    ([subnet(cidr="172.20.32.1/19")], "invalid cidr"),
    ([subnet(cidr="10.0.0.0/24")], "not inside the network CIDR"),
    ([subnet(id="subnet-1"), subnet(name="utility-us-east-2a", type="Utility", cidr="172.20.0.0/22")],
     "cannot mix subnets with and without id"),
    ([subnet(egress="igw-123")], "must be External or an id starting with nat-"),
    ([subnet(type="Utility", egress="nat-123")], "only allowed on Private"),
    ([subnet(colour="blue")], "unknown keys colour"),
    (["us-east-2a"], "must be a mapping"),
])
def test_subnet_validation(subnets, message):
    with pytest.raises(KopsSpecError, match=message):
        normalize_subnets(subnets, ["172.20.0.0/16"])


@pytest.mark.parametrize("egress", ["External", "nat-0abc", "eipalloc-0abc", "i-0abc", "tgw-0abc"])
def test_valid_egress(egress):
    assert normalize_subnets([subnet(egress=egress)])[0]["egress"] == egress


def test_public_subnet_with_external_egress_is_valid():
    assert normalize_subnets([subnet(type="Public", egress="External")])[0]["type"] == "Public"


def test_shared_subnets_need_a_network_id():
    doc = load_spec(read("cluster-v1alpha3.yaml"))
    with pytest.raises(KopsSpecError, match="set network_id"):
        rewrite(doc, subnets=shared()["subnets"])


def test_subnet_keys_are_written_in_kops_order_without_empty_values():
    result = normalize_subnets([
        {"zone": "z", "type": "Private", "name": "n", "cidr": "10.0.0.0/24", "egress": None, "id": "subnet-1"},
    ])
    assert list(result[0]) == ["cidr", "id", "name", "type", "zone"]


@pytest.mark.parametrize("keys, new, expected", [
    (["a", "c"], "b", ["a", "b", "c"]),
    (["c", "a"], "b", ["c", "a", "b"]),
    (["a", "b"], "a", ["a", "b"]),
    ([], "a", ["a"]),
])
def test_set_key_places_new_keys_where_kops_would(keys, new, expected):
    mapping = {k: 1 for k in keys}
    set_key(mapping, new, 2)
    assert list(mapping) == expected


def test_diff_masks_secret_looking_values():
    doc = load_spec(read("cluster-v1alpha3.yaml"))
    doc["spec"]["kubeAPIServer"] = {"oidcClientSecret": "hunter2"}
    result = rewrite(doc, batch_api_bugfix="never")[1]
    shown = diff(result["before"], result["spec"])
    assert "hunter2" not in shown["before"] + shown["after"]
    assert "********" in shown["after"]


def test_fixtures_printed_by_the_pinned_kops_exist():
    assert KOPS_PRINTED, "run tests/unit/fixtures/kops/regenerate.sh"


@pytest.mark.parametrize("name", KOPS_PRINTED)
def test_specs_printed_by_the_pinned_kops(name):
    doc = load_spec(read(name))
    assert doc["apiVersion"] == "kops.k8s.io/v1alpha2"
    facts = shared()
    result = rewrite(doc, subnets=facts["subnets"], network_id=facts["vpc_id"])[1]
    assert not result["bugfix_applied"]
    assert ordered(unmanaged(result["spec"])) == ordered(unmanaged(doc))


CREATED = [n for n in KOPS_PRINTED if not n.endswith("-replaced.yaml")]


@pytest.mark.parametrize("created", CREATED)
def test_what_kops_makes_of_the_rewrite_is_a_fixed_point(created):
    """kops replace + kops get of our output: the rewrite changes nothing more."""
    facts = json.loads(read(created.replace(".yaml", "-vpc.json")))
    kwargs = {"subnets": facts["subnets"], "network_id": facts["vpc_id"]}
    changed = rewrite(read(created), **kwargs)[0]
    assert changed
    changed, again = rewrite(read(created.replace(".yaml", "-replaced.yaml")), **kwargs)
    assert not changed
    assert again["spec"]["spec"]["subnets"] == [dict(sorted(s.items())) for s in facts["subnets"]]


# Property-based: arbitrary extra keys anywhere in the spec, arbitrary valid
# subnet lists and options. The rewrite is idempotent and leaves every key
# outside subnets / networkID / kubeAPIServer.runtimeConfig alone.

KEY = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=1, max_size=8)
SCALAR = st.one_of(st.text(max_size=12), st.integers(), st.booleans(), st.none())
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEY, inner, max_size=3)), max_leaves=8)
MANAGED = {"subnets", "networkID", "kubeAPIServer", "networking", "kubernetesVersion"}


@st.composite
def subnet_lists(draw):
    zones = draw(st.lists(st.sampled_from(["us-east-2a", "us-east-2b", "us-east-2c"]),
                          min_size=1, max_size=3, unique=True))
    with_ids = draw(st.booleans())
    result = []
    for index, zone in enumerate(zones):
        utility = {"name": "utility-" + zone, "type": "Utility", "zone": zone,
                   "cidr": f"172.20.{4 * index}.0/22"}
        private = {"name": zone, "type": "Private", "zone": zone, "cidr": f"172.20.{32 * (index + 1)}.0/19",
                   "egress": draw(st.sampled_from(["nat-0a", "nat-0b", "External", None]))}
        if with_ids:
            utility["id"] = f"subnet-u{index}"
            private["id"] = f"subnet-p{index}"
        result.extend([utility, private])
    return [{k: v for k, v in s.items() if v is not None} for s in result]


@st.composite
def specs(draw):
    doc = load_spec(read(draw(st.sampled_from(CLUSTER_FIXTURES))))
    extra = draw(st.dictionaries(KEY.filter(lambda k: k not in MANAGED), VALUE, max_size=4))
    for key, value in extra.items():
        doc["spec"][key] = value
    doc["spec"]["kubernetesVersion"] = draw(st.sampled_from(["1.6.4", "1.7.5", "1.9.0", "1.20.4", "1.34.1"]))
    api = draw(st.one_of(
        st.none(), st.dictionaries(KEY.filter(lambda k: k != "runtimeConfig"), VALUE, max_size=2)))
    if api is not None:
        runtime = draw(st.dictionaries(st.sampled_from(["apps/v1alpha1", "batch/v2alpha1", "api/all"]),
                                       st.sampled_from(["true", "false"]), max_size=2))
        if runtime:
            api["runtimeConfig"] = runtime
        doc["spec"]["kubeAPIServer"] = api
    return doc


@st.composite
def options(draw):
    kwargs = {
        "batch_api_bugfix": draw(st.sampled_from(["auto", "always", "never"])),
        "runtime_config": draw(st.dictionaries(
            st.sampled_from(["apps/v1alpha1", "api/all"]), st.one_of(st.booleans(), st.none()), max_size=2)),
    }
    if draw(st.booleans()):
        kwargs["subnets"] = draw(subnet_lists())
        kwargs["network_id"] = "vpc-0abc"
    return kwargs


def rewrite_or_reject(doc, kwargs):
    try:
        return rewrite(doc, **kwargs)
    except KopsSpecError:
        assume(False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(), options())
def test_property_idempotent(doc, kwargs):
    first = rewrite_or_reject(doc, kwargs)[1]
    changed, second = rewrite(first["spec_yaml"], **kwargs)
    assert not changed
    assert second["spec"] == first["spec"]
    changed, third = rewrite(first["spec"], **kwargs)
    assert not changed and third["spec_yaml"] == first["spec_yaml"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs(), options())
def test_property_only_managed_paths_change(doc, kwargs):
    before = copy.deepcopy(doc)
    result = rewrite_or_reject(doc, kwargs)[1]
    assert doc == before, "the input must not be modified"
    assert ordered(unmanaged(result["spec"])) == ordered(unmanaged(before))
    # runtimeConfig entries the options do not name are untouched
    named = set(kwargs["runtime_config"]) | {"batch/v2alpha1"}
    assert {k: v for k, v in runtime_config(result["spec"]).items() if k not in named} == \
        {k: v for k, v in runtime_config(before).items() if k not in named}


@pytest.mark.parametrize("value", ["\x85", "\u2028", "caf\u00e9", "2017-09-20T01:12:44Z", "yes", "1.10", ""])
def test_awkward_strings_survive_the_yaml_round_trip(value):
    doc = load_spec(read("cluster-v1alpha3.yaml"))
    doc["spec"]["cloudLabels"]["Note"] = value
    first = rewrite(doc, batch_api_bugfix="never")[1]
    changed, second = rewrite(first["spec_yaml"], batch_api_bugfix="never")
    assert not changed
    assert second["spec"]["spec"]["cloudLabels"]["Note"] == value


def external_dns_statements(zone_id="Z0123456789ABC"):
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(
        os.path.dirname(__file__), "..", "..", "..", "..", "roles", "kops_cluster", "templates")),
        undefined=jinja2.StrictUndefined)
    return json.loads(env.get_template("external_dns_policy.json.j2").render(__kops_cluster_zone_id=zone_id))


def test_external_dns_policy_is_scoped_to_the_cluster_zone():
    scoped, listing = external_dns_statements()
    assert scoped["Resource"] == ["arn:aws:route53:::hostedzone/Z0123456789ABC"]
    assert "route53:ChangeResourceRecordSets" in scoped["Action"]
    assert listing["Action"] == ["route53:ListHostedZones"]
    assert all(not action.endswith("*") for s in (scoped, listing) for action in s["Action"])


def test_additional_policies_are_set_once_and_kept():
    spec = read(KOPS_PRINTED[0])
    statements = external_dns_statements()
    changed, result = rewrite(spec, additional_policies={"node": statements})
    assert changed
    stored = result["spec"]["spec"]["additionalPolicies"]["node"]
    assert isinstance(stored, str) and json.loads(stored) == statements
    changed, again = rewrite(result["spec_yaml"], additional_policies={"node": statements})
    assert not changed
    changed, removed = rewrite(result["spec_yaml"], additional_policies={"node": []})
    assert changed and "additionalPolicies" not in removed["spec"]["spec"]


def test_additional_policies_refuse_unknown_roles_and_shapes():
    with pytest.raises(KopsSpecError):
        rewrite(read(KOPS_PRINTED[0]), additional_policies={"workers": []})
    with pytest.raises(KopsSpecError):
        rewrite(read(KOPS_PRINTED[0]), additional_policies={"node": ["not a statement"]})


REPOSITORY = "http://127.0.0.1:5055/indydevops-rehearsal-kops-assets"


@pytest.mark.parametrize("name", CLUSTER_FIXTURES)
def test_file_repository_is_set_once_and_removed(name):
    changed, result = rewrite(read(name), file_repository=REPOSITORY)
    assert changed
    assert result["spec"]["spec"]["assets"] == {"fileRepository": REPOSITORY}
    without = copy.deepcopy(result["spec"])
    del without["spec"]["assets"]
    assert ordered(without) == ordered(rewrite(read(name))[1]["spec"])
    changed, again = rewrite(result["spec_yaml"], file_repository=REPOSITORY)
    assert not changed and again["spec_yaml"] == result["spec_yaml"]
    changed, removed = rewrite(result["spec_yaml"], file_repository="")
    assert changed and "assets" not in removed["spec"]["spec"]
    assert ordered(removed["spec"]) == ordered(without)


def test_file_repository_omitted_leaves_the_assets_alone():
    spec = yaml.safe_load(read(KOPS_PRINTED[0]))
    spec["spec"]["assets"] = {"containerRegistry": "registry.example", "fileRepository": REPOSITORY}
    changed, result = rewrite(spec)
    assert not changed
    changed, result = rewrite(spec, file_repository="")
    assert changed and result["spec"]["spec"]["assets"] == {"containerRegistry": "registry.example"}


@pytest.mark.parametrize("value", ["s3://bucket/path", "bucket/path", "http://", "ftp://host/x"])
def test_file_repository_must_be_an_http_url(value):
    with pytest.raises(KopsSpecError, match="file_repository must be an http"):
        rewrite(read(KOPS_PRINTED[0]), file_repository=value)


# The cluster autoscaler add-on (spec.clusterAutoscaler) and the node groups' bounds.

GROUPS = "instancegroups-kops-v1.36.2.stream"
GROUPS_REPLACED = "instancegroups-kops-v1.36.2-replaced.stream"


def node_sizes(result):
    return [(name, sizes["min"], sizes["max"]) for name, sizes in result["sizes"].items()]


def test_cluster_autoscaler_is_set_once_and_removed():
    changed, result = rewrite(read(KOPS_PRINTED[0]), cluster_autoscaler={"enabled": True, "expander": "least-waste"})
    assert changed
    assert result["spec"]["spec"]["clusterAutoscaler"] == {"enabled": True, "expander": "least-waste"}
    keys = list(result["spec"]["spec"])
    assert keys.index("clusterAutoscaler") < keys.index("configBase")  # where kops prints it
    changed, again = rewrite(result["spec_yaml"], cluster_autoscaler={"enabled": True, "expander": "least-waste"})
    assert not changed and again["spec_yaml"] == result["spec_yaml"]
    changed, off = rewrite(result["spec_yaml"], cluster_autoscaler={"enabled": False})
    assert changed and "clusterAutoscaler" not in off["spec"]["spec"]
    assert ordered(off["spec"]) == ordered(rewrite(read(KOPS_PRINTED[0]))[1]["spec"])
    # Disabled with options kept is written as such (kops then runs nothing).
    changed, kept = rewrite(result["spec_yaml"], cluster_autoscaler={"enabled": False, "expander": "random"})
    assert changed and kept["spec"]["spec"]["clusterAutoscaler"] == {"enabled": False, "expander": "random"}


def test_cluster_autoscaler_omitted_leaves_it_alone():
    spec = yaml.safe_load(read(KOPS_PRINTED[0]))
    spec["spec"]["clusterAutoscaler"] = {"enabled": True, "maxNodesTotal": 9}
    assert rewrite(spec)[0] is False


def test_cluster_autoscaler_threshold_is_written_as_kops_keeps_it():
    changed, result = rewrite(read(KOPS_PRINTED[0]),
                              cluster_autoscaler={"enabled": True, "scaleDownUtilizationThreshold": 0.5})
    assert result["spec"]["spec"]["clusterAutoscaler"]["scaleDownUtilizationThreshold"] == "0.5"
    assert "scaleDownUtilizationThreshold: '0.5'" in result["spec_yaml"]


@pytest.mark.parametrize("wanted, message", [
    ({"enabled": "yes"}, "cluster_autoscaler.enabled must be true or false"),
    ({"expander": "random"}, "cluster_autoscaler.enabled must be true or false"),
    ({"enabled": True, "expanders": "random"}, "unknown key.*expanders"),
    ({"enabled": True, "expander": "cheapest"}, "expander must be one of least-waste"),
    ({"enabled": True, "scaleDownUtilizationThreshold": "1.5"}, r"in \(0, 1\]"),
    ({"enabled": True, "scaleDownUtilizationThreshold": "half"}, r"in \(0, 1\]"),
    (["enabled"], "cluster_autoscaler must be a mapping"),
])
def test_cluster_autoscaler_errors(wanted, message):
    with pytest.raises(KopsSpecError, match=message):
        rewrite(read(KOPS_PRINTED[0]), cluster_autoscaler=wanted)


@pytest.mark.parametrize("total, parts, expected", [
    (2, 3, [1, 1, 0]),
    (4, 3, [2, 1, 1]),
    (3, 3, [1, 1, 1]),
    (0, 2, [0, 0]),
    (5, 1, [5]),
    (3, 0, []),
])
def test_divide_spreads_like_kops_node_count(total, parts, expected):
    assert divide(total, parts) == expected


def test_node_groups_are_sized_and_only_their_bounds_change():
    before = load_instance_groups(read(GROUPS))
    changed, result = resize_node_groups(read(GROUPS), min_size=2, max_size=4)
    assert changed
    assert node_sizes(result) == [("nodes-us-east-2a", 1, 2), ("nodes-us-east-2b", 1, 1), ("nodes-us-east-2c", 0, 1)]
    assert result["changed"] == ["nodes-us-east-2a", "nodes-us-east-2c"]
    for was, now in zip(before, result["groups"], strict=True):
        if now["spec"]["role"] != "Node":
            assert now == was  # bastion and control plane untouched
        else:
            assert {k: v for k, v in now["spec"].items() if k not in ("minSize", "maxSize")} == \
                {k: v for k, v in was["spec"].items() if k not in ("minSize", "maxSize")}
            assert list(now["spec"]) == list(was["spec"])  # keys keep their place
    replace = list(yaml.safe_load_all(result["changed_yaml"]))
    assert [d["metadata"]["name"] for d in replace] == result["changed"]
    assert all(d["kind"] == "InstanceGroup" for d in replace)


def test_what_kops_makes_of_the_resize_is_a_fixed_point():
    # kops replace added metadata.generation; the bounds are what we asked.
    changed, result = resize_node_groups(read(GROUPS_REPLACED), min_size=2, max_size=4)
    assert not changed and result["changed"] == [] and result["changed_yaml"] == ""
    changed, again = resize_node_groups(resize_node_groups(read(GROUPS), 2, 4)[1]["groups"], 2, 4)
    assert not changed


def test_node_group_bounds_left_alone_when_not_given():
    changed, result = resize_node_groups(read(GROUPS))
    assert not changed
    assert node_sizes(result) == [("nodes-us-east-2a", 1, 1), ("nodes-us-east-2b", 1, 1), ("nodes-us-east-2c", 0, 0)]
    changed, result = resize_node_groups(read(GROUPS), max_size=6)
    assert node_sizes(result) == [("nodes-us-east-2a", 1, 2), ("nodes-us-east-2b", 1, 2), ("nodes-us-east-2c", 0, 2)]


@pytest.mark.parametrize("kwargs, message", [
    ({"min_size": 3, "max_size": 2}, r"max_size \(2\) is smaller than min_size \(3\)"),
    ({"min_size": -1}, "min_size must be a whole number >= 0"),
    ({"max_size": True}, "max_size must be a whole number >= 0"),
    ({"min_size": 4}, "would have maxSize 1 below minSize 2: give min_size and max_size together"),
])
def test_node_group_size_errors(kwargs, message):
    with pytest.raises(KopsSpecError, match=message):
        resize_node_groups(read(GROUPS), **kwargs)


@pytest.mark.parametrize("groups, message", [
    ("kind: Cluster\napiVersion: kops.k8s.io/v1alpha2\nspec: {}\n",
     r"instance_groups\[0\] must be a kops InstanceGroup"),
    ("apiVersion: kops.k8s.io/v1alpha2\nkind: InstanceGroup\nmetadata: {}\nspec: {}\n", "has no metadata.name"),
    ("a: [", "instance_groups is not valid YAML"),
    (42, "instance_groups must be a YAML string or a list"),
])
def test_instance_group_input_errors(groups, message):
    with pytest.raises(KopsSpecError, match=message):
        resize_node_groups(groups, min_size=1)


def test_sizing_needs_a_node_group_and_names_once():
    only_bastion = read(GROUPS).split("---")[0]
    with pytest.raises(KopsSpecError, match="no instance group of role Node"):
        resize_node_groups(only_bastion, min_size=1)
    twice = load_instance_groups(read(GROUPS))
    with pytest.raises(KopsSpecError, match="listed twice"):
        resize_node_groups(twice + twice[-1:], min_size=1)
