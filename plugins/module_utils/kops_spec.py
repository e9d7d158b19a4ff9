# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rewrite a kops Cluster spec and its node instance groups.

This is the talk's manual `kops edit cluster` step ("replace the subnets key
with the output of get-subnets.rb, optionally paste the bugfix") as a pure,
idempotent function. It touches only what it is asked to manage (subnets,
network id, `kubeAPIServer.runtimeConfig`, additional policies, the file
repository, `clusterAutoscaler`); every other key keeps its value and its
place. `kops edit ig` for the node groups' sizes is `resize_node_groups`.

Only PyYAML and the standard library are used: the module runs wherever
Ansible does. Key order survives because dicts keep insertion order and the
spec is dumped with sort_keys=False.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import datetime
import ipaddress
import re
import traceback
from urllib.parse import urlsplit

try:
    import yaml
except ImportError:  # reported by the module with missing_required_lib
    HAS_YAML = False
    YAML_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_YAML = True
    YAML_IMPORT_ERROR = None

API_V1ALPHA2 = "kops.k8s.io/v1alpha2"
API_V1ALPHA3 = "kops.k8s.io/v1alpha3"
API_LEGACY = "kops/v1alpha2"
SUPPORTED_API_VERSIONS = (API_V1ALPHA2, API_V1ALPHA3, API_LEGACY)

BUGFIX_KEY = "batch/v2alpha1"
BUGFIX_CHOICES = ("auto", "always", "never")
# CronJob is served as batch/v1beta1 from 1.8; batch/v2alpha1 is gone in 1.21.
BUGFIX_NEEDED_BELOW = (1, 8)
BUGFIX_REMOVED_IN = (1, 21)

SUBNET_TYPES = ("Private", "Utility", "Public")
SUBNET_KEYS = ("name", "cidr", "ipv6CIDR", "zone", "region", "id", "egress", "type",
               "publicIP", "additionalRoutes")
EGRESS_EXTERNAL = "External"
EGRESS_PREFIXES = ("nat-", "eipalloc-", "i-", "tgw-")

# ClusterAutoscalerConfig (pkg/apis/kops/v1alpha2/componentconfig.go, kops 1.36).
CLUSTER_AUTOSCALER_KEYS = (
    "enabled", "expander", "balanceSimilarNodeGroups", "emitPerNodeGroupMetrics", "awsUseStaticInstanceList",
    "ignoreDaemonSetsUtilization", "scaleDownUtilizationThreshold", "skipNodesWithCustomControllerPods",
    "skipNodesWithSystemPods", "skipNodesWithLocalStorage", "newPodScaleUpDelay", "scaleDownDelayAfterAdd",
    "scaleDownUnneededTime", "scaleDownUnreadyTime", "cordonNodeBeforeTerminating", "image", "memoryRequest",
    "cpuRequest", "maxNodeProvisionTime", "podAnnotations", "createPriorityExpanderConfig",
    "customPriorityExpanderConfig", "maxNodesTotal")
CLUSTER_AUTOSCALER_EXPANDERS = ("least-waste", "random", "most-pods", "price", "priority")
NODE_ROLE = "Node"

SECRET_KEY_PATTERN = re.compile(r"(password|secret|token|privatekey|credential)", re.IGNORECASE)
MASK = "********"


class KopsSpecError(Exception):
    """A spec or an option kops would reject; the message says what to fix."""


if HAS_YAML:
    class _SpecLoader(yaml.SafeLoader):
        """SafeLoader that keeps timestamps as strings, so they round-trip verbatim."""

    _SpecLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _plain(value):
    """Deep copy of value with dates as ISO strings (a dict spec may carry them)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return copy.deepcopy(value)


def _parse_documents(text, what):
    """The YAML documents of text (empty ones dropped), timestamps kept as strings."""
    try:
        return [d for d in yaml.load_all(text, Loader=_SpecLoader) if d is not None]
    except yaml.YAMLError as exc:
        raise KopsSpecError(f"{what} is not valid YAML: {exc}") from exc


def _check_document(doc, kind, what):
    """doc, a kops object of this kind in a layout kops has printed; raise otherwise."""
    if not isinstance(doc, dict):
        raise KopsSpecError(f"{what} must be a mapping with apiVersion, kind, metadata and spec")
    if doc.get("kind") != kind:
        raise KopsSpecError(f"{what} must be a kops {kind} (kind: {kind}), got kind {doc.get('kind')!r}")
    api_version = doc.get("apiVersion")
    if api_version not in SUPPORTED_API_VERSIONS:
        raise KopsSpecError(
            f"unsupported apiVersion {api_version!r}: expected one of "
            f"{', '.join(SUPPORTED_API_VERSIONS)} (kops 1.6 to 1.36)")
    if not isinstance(doc.get("spec"), dict):
        raise KopsSpecError(f"the {kind} has no spec mapping")
    return doc


def load_spec(spec):
    """Return the Cluster document as a dict, from a YAML string or a dict."""
    if isinstance(spec, dict):
        doc = _plain(spec)
    elif isinstance(spec, str):
        docs = _parse_documents(spec, "spec")
        if len(docs) != 1:
            raise KopsSpecError(
                "spec must hold exactly one YAML document (the output of "
                f"`kops get cluster <name> -o yaml`), found {len(docs)}")
        doc = docs[0]
    else:
        raise KopsSpecError(f"spec must be a YAML string or a dict, not {type(spec).__name__}")
    return _check_document(doc, "Cluster", "spec")


def load_instance_groups(groups):
    """The InstanceGroup documents, from `kops get ig -o yaml` (text) or a list of dicts."""
    if isinstance(groups, str):
        docs = _parse_documents(groups, "instance_groups")
    elif isinstance(groups, (list, tuple)):
        docs = [_plain(doc) for doc in groups]
    else:
        raise KopsSpecError(f"instance_groups must be a YAML string or a list, not {type(groups).__name__}")
    names = []
    for index, doc in enumerate(docs):
        _check_document(doc, "InstanceGroup", f"instance_groups[{index}]")
        name = (doc.get("metadata") or {}).get("name")
        if not name:
            raise KopsSpecError(f"instance_groups[{index}] has no metadata.name")
        if name in names:
            raise KopsSpecError(f"instance group {name!r} is listed twice")
        names.append(name)
    return docs


def dump_spec(doc):
    """YAML for `kops replace -f`, keys in the order they are held."""
    # allow_unicode=False escapes line-break-like characters (NEL, LS, PS)
    # that would not survive a YAML round trip unescaped.
    return yaml.safe_dump(doc, sort_keys=False, default_flow_style=False, allow_unicode=False)


def dump_documents(docs):
    """Several objects as one YAML stream for `kops replace -f` ("" for none)."""
    return "---\n".join(dump_spec(doc) for doc in docs)


def network_container(doc):
    """The mapping that holds subnets and networkID in this layout."""
    spec = doc["spec"]
    if doc["apiVersion"] == API_V1ALPHA3:
        networking = spec.get("networking")
        if networking is None:
            networking = {}
            set_key(spec, "networking", networking)
        if not isinstance(networking, dict):
            raise KopsSpecError(f"spec.networking must be a mapping in {API_V1ALPHA3}")
        return networking
    return spec


def network_path(doc):
    return "spec.networking" if doc["apiVersion"] == API_V1ALPHA3 else "spec"


def set_key(mapping, key, value):
    """Set mapping[key]; a new key goes where kops would print it.

    An existing key keeps its place. A new key is inserted in sorted position
    when the mapping is sorted (as kops prints it), otherwise appended.
    """
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping)
    if keys != sorted(keys):
        mapping[key] = value
        return
    items = list(mapping.items())
    index = len([k for k in keys if k < key])
    items.insert(index, (key, value))
    mapping.clear()
    mapping.update(items)


def _parse_version(text):
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", str(text))
    if not match:
        return None
    return tuple(int(part or 0) for part in match.groups())


def kubernetes_version(doc):
    """(major, minor, patch) of spec.kubernetesVersion, None when unset."""
    raw = doc["spec"].get("kubernetesVersion")
    if raw in (None, ""):
        return None
    version = _parse_version(raw)
    if version is None:
        raise KopsSpecError(f"cannot read spec.kubernetesVersion {raw!r} as a version")
    return version


def normalize_subnets(subnets, network_cidrs=None):
    """Validate a subnet list as kops does; return it with keys in kops' order.

    Raises KopsSpecError with every problem found, one per line.
    """
    if not isinstance(subnets, list):
        raise KopsSpecError("subnets must be a list of mappings")
    errors = []
    result = []
    names = set()
    for index, subnet in enumerate(subnets):
        where = f"subnets[{index}]"
        if not isinstance(subnet, dict):
            errors.append(f"{where} must be a mapping, got {subnet!r}")
            continue
        unknown = sorted(set(subnet) - set(SUBNET_KEYS))
        if unknown:
            errors.append(f"{where} has unknown keys {', '.join(unknown)} "
                          f"(kops knows {', '.join(SUBNET_KEYS)})")
        name = subnet.get("name")
        if name:
            where = f"subnet {name!r}"
            if name in names:
                errors.append(f"subnet name {name!r} is used twice; names must be unique")
            names.add(name)
        else:
            errors.append(f"{where} has no name")
        subnet_type = subnet.get("type")
        if subnet_type not in SUBNET_TYPES:
            errors.append(f"{where} has type {subnet_type!r}; must be one of {', '.join(SUBNET_TYPES)}")
        if not subnet.get("zone"):
            errors.append(f"{where} has no zone")
        cidr = subnet.get("cidr")
        if not cidr:
            errors.append(f"{where} has no cidr")
        else:
            errors.extend(_cidr_errors(where, cidr, network_cidrs))
        egress = subnet.get("egress")
        if egress:
            if egress != EGRESS_EXTERNAL and not str(egress).startswith(EGRESS_PREFIXES):
                errors.append(
                    f"{where} has egress {egress!r}; must be {EGRESS_EXTERNAL} "
                    f"or an id starting with {', '.join(EGRESS_PREFIXES)}")
            elif egress != EGRESS_EXTERNAL and subnet_type != "Private":
                errors.append(f"{where} has egress {egress!r} but type {subnet_type!r}; "
                              "an egress id is only allowed on Private subnets")
        result.append({key: subnet[key] for key in sorted(subnet)
                       if subnet[key] not in (None, "", [], {})})
    with_id = [s.get("name") for s in result if s.get("id")]
    if with_id and len(with_id) != len(result):
        without = [s.get("name") for s in result if not s.get("id")]
        errors.append(f"cannot mix subnets with and without id: {', '.join(map(str, with_id))} "
                      f"have an id, {', '.join(map(str, without))} do not")
    if errors:
        raise KopsSpecError("invalid subnets:\n  " + "\n  ".join(errors))
    return result


def _cidr_errors(where, cidr, network_cidrs):
    try:
        net = ipaddress.ip_network(str(cidr), strict=True)
    except ValueError as exc:
        return [f"{where} has an invalid cidr {cidr!r}: {exc}"]
    if network_cidrs:
        parents = [ipaddress.ip_network(str(c), strict=False) for c in network_cidrs]
        if not any(net.version == p.version and net.subnet_of(p) for p in parents):
            inside = ", ".join(map(str, network_cidrs))
            return [f"{where} cidr {cidr} is not inside the network CIDR {inside}"]
    return []


def _network_cidrs(container):
    cidrs = [container.get("networkCIDR")] + list(container.get("additionalNetworkCIDRs") or [])
    return [c for c in cidrs if c]


def _runtime_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def _bugfix_wanted(mode, version):
    """True: ensure the flag, False: remove it, None: leave it as it is."""
    if mode not in BUGFIX_CHOICES:
        raise KopsSpecError(f"batch_api_bugfix must be one of {', '.join(BUGFIX_CHOICES)}, not {mode!r}")
    too_new = version is not None and version[:2] >= BUGFIX_REMOVED_IN
    if mode == "always":
        if too_new:
            raise KopsSpecError(
                f"batch_api_bugfix=always asks for batch/v2alpha1 on Kubernetes "
                f"{'.'.join(map(str, version))}, but that API group was removed in 1.21: "
                "kube-apiserver would refuse to start. CronJob is served as batch/v1 there "
                "without any flag; use batch_api_bugfix=auto or never.")
        return True
    if mode == "never":
        return False
    if version is None:
        return None
    if version[:2] < BUGFIX_NEEDED_BELOW:
        return True
    # On 1.21+ the flag stops kube-apiserver from starting: take it out.
    return False if too_new else None


def _apply_runtime_config(spec, updates):
    """Set (value) or remove (None) runtimeConfig entries; drop empty parents."""
    api_server = spec.get("kubeAPIServer")
    if api_server is not None and not isinstance(api_server, dict):
        raise KopsSpecError("spec.kubeAPIServer must be a mapping")
    runtime = (api_server or {}).get("runtimeConfig")
    if runtime is not None and not isinstance(runtime, dict):
        raise KopsSpecError("spec.kubeAPIServer.runtimeConfig must be a mapping")
    wanted = dict(runtime or {})
    for key, value in updates.items():
        if value is None:
            wanted.pop(key, None)
        else:
            wanted[key] = value
    if wanted == (runtime or {}):
        return
    if api_server is None:
        api_server = {}
        set_key(spec, "kubeAPIServer", api_server)
    if runtime is None:
        runtime = {}
        set_key(api_server, "runtimeConfig", runtime)
    for key in list(runtime):
        if key not in wanted:
            del runtime[key]
    for key, value in wanted.items():
        set_key(runtime, key, value)
    if not runtime:
        del api_server["runtimeConfig"]
    if not api_server:
        del spec["kubeAPIServer"]


POLICY_ROLES = ("node", "control-plane", "bastion")


def _apply_additional_policies(spec, policies):
    """spec.additionalPolicies: kops takes each role's extra IAM statements as a JSON string.

    Each role given is set to exactly these statements (an empty list removes the
    role's entry); roles not given are left as they are.
    """
    current = spec.get("additionalPolicies") or {}
    for role, given in policies.items():
        statements = given
        if role not in POLICY_ROLES:
            raise KopsSpecError(f"additional_policies: role must be one of {', '.join(POLICY_ROLES)}, not {role!r}")
        if isinstance(given, str):
            statements = json.loads(given)
        if isinstance(statements, dict):
            statements = statements.get("Statement", [statements])
        if not isinstance(statements, list) or not all(isinstance(s, dict) for s in statements):
            raise KopsSpecError(f"additional_policies.{role} must be a list of IAM statements")
        if not statements:
            current.pop(role, None)
            continue
        wanted = json.dumps(statements, indent=2, sort_keys=True)
        existing = current.get(role)
        try:
            same = existing is not None and json.loads(existing) == statements
        except ValueError:
            same = False
        if not same:
            current[role] = wanted
    if current:
        set_key(spec, "additionalPolicies", current)
    else:
        spec.pop("additionalPolicies", None)


def _apply_file_repository(spec, file_repository):
    """spec.assets.fileRepository: where nodes fetch kops' files (and kops their .sha256).

    A URL sets it; an empty string removes it (and an emptied spec.assets).
    kops reads the hashes with plain HTTP(S), so only those schemes are taken.
    """
    assets = spec.get("assets") or {}
    if file_repository:
        scheme = urlsplit(file_repository).scheme
        if scheme not in ("http", "https") or not urlsplit(file_repository).netloc:
            raise KopsSpecError(f"file_repository must be an http:// or https:// URL, not {file_repository!r}")
        set_key(assets, "fileRepository", file_repository)
    else:
        assets.pop("fileRepository", None)
    if assets:
        set_key(spec, "assets", assets)
    else:
        spec.pop("assets", None)


def _apply_cluster_autoscaler(spec, wanted):
    """spec.clusterAutoscaler: kops' cluster-autoscaler add-on, exactly as wanted.

    wanted is a ClusterAutoscalerConfig mapping (camelCase keys, `enabled`
    required). Disabled with nothing else set removes the key, which is what
    `kops create cluster` writes; otherwise the mapping is set to exactly this.
    """
    if not isinstance(wanted, dict):
        raise KopsSpecError(f"cluster_autoscaler must be a mapping, not {type(wanted).__name__}")
    unknown = sorted(set(wanted) - set(CLUSTER_AUTOSCALER_KEYS))
    if unknown:
        raise KopsSpecError(f"cluster_autoscaler: unknown key(s) {', '.join(unknown)}; kops 1.36 knows "
                            f"{', '.join(CLUSTER_AUTOSCALER_KEYS)}")
    if not isinstance(wanted.get("enabled"), bool):
        raise KopsSpecError("cluster_autoscaler.enabled must be true or false, "
                            f"not {wanted.get('enabled')!r}")
    expander = wanted.get("expander")
    if expander is not None and expander not in CLUSTER_AUTOSCALER_EXPANDERS:
        raise KopsSpecError(f"cluster_autoscaler.expander must be one of "
                            f"{', '.join(CLUSTER_AUTOSCALER_EXPANDERS)}, not {expander!r}")
    threshold = wanted.get("scaleDownUtilizationThreshold")
    if threshold is not None:
        # kops keeps it as a string ("0.5"); a YAML float would be refused.
        try:
            ok = 0 < float(threshold) <= 1
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise KopsSpecError("cluster_autoscaler.scaleDownUtilizationThreshold must be a number "
                                f"in (0, 1], such as \"0.5\", not {threshold!r}")
    config = {k: (str(v) if k == "scaleDownUtilizationThreshold" else copy.deepcopy(v))
              for k, v in wanted.items() if v is not None}
    if not config["enabled"] and len(config) == 1:
        spec.pop("clusterAutoscaler", None)
    elif spec.get("clusterAutoscaler") != config:
        set_key(spec, "clusterAutoscaler", config)


def divide(total, parts):
    """total split over parts groups as `kops create cluster --node-count` does.

    Each gets total // parts; the first total % parts get one more.
    """
    if parts <= 0:
        return []
    share, remainder = divmod(total, parts)
    return [share + (1 if index < remainder else 0) for index in range(parts)]


def _size(value, what):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise KopsSpecError(f"{what} must be a whole number >= 0, not {value!r}")
    return value


def resize_node_groups(groups, min_size=None, max_size=None):
    """Return (changed, result) for the node instance groups sized to these totals.

    The totals are spread over the groups of role Node in name order, as
    kops spreads --node-count over its per-zone groups. Only spec.minSize and
    spec.maxSize are touched; control-plane and bastion groups are left as
    they are. None leaves that bound alone.

    result: groups (every group, in the order given), changed (the names
    changed), changed_yaml (those groups as one stream for `kops replace -f`),
    sizes ({name: {min, max}} of the node groups), before (the groups as given).
    """
    before = load_instance_groups(groups)
    docs = copy.deepcopy(before)
    nodes = sorted((d for d in docs if d["spec"].get("role") == NODE_ROLE),
                   key=lambda d: d["metadata"]["name"])
    if (min_size is not None or max_size is not None) and not nodes:
        raise KopsSpecError("there is no instance group of role Node to size")
    if min_size is not None:
        _size(min_size, "min_size")
    if max_size is not None:
        _size(max_size, "max_size")
    if min_size is not None and max_size is not None and max_size < min_size:
        raise KopsSpecError(f"max_size ({max_size}) is smaller than min_size ({min_size})")
    for key, total in (("minSize", min_size), ("maxSize", max_size)):
        if total is None:
            continue
        counts = divide(total, len(nodes))
        for index, doc in enumerate(nodes):
            count = counts[index]
            if doc["spec"].get(key) != count:
                set_key(doc["spec"], key, count)
    for doc in nodes:
        low, high = doc["spec"].get("minSize"), doc["spec"].get("maxSize")
        if low is not None and high is not None and high < low:
            raise KopsSpecError(f"instance group {doc['metadata']['name']!r} would have maxSize {high} "
                                f"below minSize {low}: give min_size and max_size together")
    changed = [after["metadata"]["name"] for index, after in enumerate(docs) if after != before[index]]
    result = {
        "groups": docs,
        "changed": changed,
        "changed_yaml": dump_documents([d for d in docs if d["metadata"]["name"] in changed]),
        "sizes": {d["metadata"]["name"]: {"min": d["spec"].get("minSize"), "max": d["spec"].get("maxSize")}
                  for d in nodes},
        "before": before,
    }
    return bool(changed), result


def rewrite(spec, subnets=None, network_id=None, batch_api_bugfix="auto", runtime_config=None,
            additional_policies=None, file_repository=None, cluster_autoscaler=None):
    """Return (changed, result) for the spec with the wanted subnets and API flags.

    result: spec (dict), spec_yaml (str), bugfix_applied (bool),
    bugfix_removed (bool), before (dict, the spec as given).
    """
    before = load_spec(spec)
    doc = copy.deepcopy(before)
    container = network_container(doc)
    path = network_path(doc)

    if network_id is not None:
        if not isinstance(network_id, str) or not network_id.strip():
            raise KopsSpecError("network_id must be a non-empty VPC id such as vpc-0abc")
        set_key(container, "networkID", network_id.strip())
    if subnets is not None:
        wanted = normalize_subnets(subnets, _network_cidrs(container))
        if not wanted:
            raise KopsSpecError("subnets is empty: kops needs at least one subnet")
        if any(s.get("id") for s in wanted) and not container.get("networkID"):
            raise KopsSpecError("subnets with an id are shared subnets of an existing VPC: "
                                f"set network_id to that VPC's id ({path}.networkID)")
        current = container.get("subnets")
        if current != wanted:
            set_key(container, "subnets", wanted)

    version = kubernetes_version(doc)
    bugfix = _bugfix_wanted(batch_api_bugfix, version)
    updates = {}
    for key, value in (runtime_config or {}).items():
        updates[str(key)] = _runtime_value(value)
    if updates.get(BUGFIX_KEY) is not None and bugfix is False:
        why = "" if batch_api_bugfix == "never" else \
            " on Kubernetes >= 1.21, where the API group no longer exists"
        raise KopsSpecError(f"runtime_config sets {BUGFIX_KEY} but batch_api_bugfix "
                            f"({batch_api_bugfix}) removes it{why}; drop one of them")
    if bugfix is True:
        updates[BUGFIX_KEY] = "true"
    elif bugfix is False:
        updates[BUGFIX_KEY] = None
    had_flag = BUGFIX_KEY in ((doc["spec"].get("kubeAPIServer") or {}).get("runtimeConfig") or {})
    _apply_runtime_config(doc["spec"], updates)
    if not doc["spec"].get("networking") and doc["apiVersion"] == API_V1ALPHA3 \
            and "networking" not in before["spec"]:
        doc["spec"].pop("networking", None)

    if additional_policies:
        _apply_additional_policies(doc["spec"], additional_policies)
    if file_repository is not None:
        _apply_file_repository(doc["spec"], file_repository)
    if cluster_autoscaler is not None:
        _apply_cluster_autoscaler(doc["spec"], cluster_autoscaler)

    has_flag = BUGFIX_KEY in ((doc["spec"].get("kubeAPIServer") or {}).get("runtimeConfig") or {})
    result = {
        "spec": doc,
        "spec_yaml": dump_spec(doc),
        "bugfix_applied": bool(has_flag),
        "bugfix_removed": bool(had_flag and not has_flag),
        "before": before,
    }
    return doc != before, result


def mask_secrets(value):
    """Copy of value with anything that looks like a secret masked (for diffs)."""
    if isinstance(value, dict):
        return {k: MASK if SECRET_KEY_PATTERN.search(str(k)) and isinstance(v, str)
                else mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    return value


def diff(before, after):
    """{'before': yaml, 'after': yaml} with secrets masked, for --diff."""
    return {"before": dump_spec(mask_secrets(before)), "after": dump_spec(mask_secrets(after))}
