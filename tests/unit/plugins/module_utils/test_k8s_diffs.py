# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the k8s_diffs callback finds in kubernetes.core.k8s results."""
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.k8s_diffs import hidden_diffs
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.k8s_diffs import object_name


def obj(kind, name, namespace=None, **extra):
    meta = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return dict({"kind": kind, "metadata": meta}, **extra)


def applied(kind, name, namespace=None, changed=True, before=None):
    after = obj(kind, name, namespace, data={"a": "1"})
    return {"changed": changed, "result": after, "diff": {"before": before or {}, "after": after}}


def manifest_set(*items):
    return {"changed": any(i["changed"] for i in items), "result": {"results": list(items)}}


def test_each_changed_object_of_a_manifest_set_is_named_and_unchanged_ones_are_left_out():
    result = manifest_set(applied("Namespace", "dev"), applied("Namespace", "qa", changed=False),
                          applied("Role", "team", "dev"))
    diffs = hidden_diffs("kubernetes.core.k8s", result)
    assert [d["before_header"] for d in diffs] == ["Namespace dev", "Role dev/team"]
    assert [d["after_header"] for d in diffs] == ["Namespace dev", "Role dev/team"]
    assert diffs[1]["after"]["data"] == {"a": "1"}


def test_a_one_object_call_keeps_the_diff_ansible_shows_itself():
    assert hidden_diffs("kubernetes.core.k8s", applied("Namespace", "dev")) == []


def test_other_actions_and_results_without_diffs_add_nothing():
    result = manifest_set(applied("Namespace", "dev"))
    assert hidden_diffs("ansible.builtin.copy", result) == []
    assert hidden_diffs("kubernetes.core.k8s", manifest_set({"changed": True, "result": obj("Pod", "p")})) == []
    assert hidden_diffs("kubernetes.core.k8s", {"changed": False, "result": {}}) == []


def test_a_loop_of_manifest_sets_is_looked_into_item_by_item():
    loop = {"results": [manifest_set(applied("Deployment", "web", "demo")), applied("Namespace", "demo")]}
    assert [d["before_header"] for d in hidden_diffs("k8s", loop)] == ["Deployment demo/web"]


def test_a_deleted_object_is_named_from_its_before():
    gone = {"changed": True, "result": {}, "diff": {"before": obj("Secret", "s", "demo"), "after": {}}}
    assert object_name(gone) == "Secret demo/s"
    assert object_name({"changed": True}) == "object"
