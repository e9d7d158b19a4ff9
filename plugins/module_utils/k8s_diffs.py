# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diffs a kubernetes.core.k8s call keeps out of Ansible's sight.

A call with one object returns its ``diff`` at the top of the result, where
``--diff`` shows it. A call with a manifest set (several objects) returns
``{"changed": ..., "result": {"results": [{"changed": ..., "diff": ...}, ...]}}``:
Ansible looks for ``diff`` only at the top (or in a loop's items), so each
object's change goes unshown. Pure logic behind the
``indydevops.k8s_talk.k8s_diffs`` callback.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

K8S_ACTIONS = frozenset(("kubernetes.core.k8s", "k8s"))


def object_name(item):
    """``Kind namespace/name`` of one object's result (its result, else its diff's after/before)."""
    diff = item.get("diff") if isinstance(item.get("diff"), dict) else {}
    for obj in (item.get("result"), diff.get("after"), diff.get("before")):
        if isinstance(obj, dict) and obj.get("kind"):
            meta = obj.get("metadata") or {}
            namespace = meta.get("namespace")
            return "%s %s%s" % (obj["kind"], (namespace + "/") if namespace else "", meta.get("name", ""))
    return "object"


def hidden_diffs(action, result):
    """The per-object diffs of a manifest-set call's result, headed by each object's name.

    [] when the action is not kubernetes.core.k8s, when the result already has a
    top-level ``diff`` (Ansible shows that one), or when no object changed.
    Loop results are looked into item by item.
    """
    if action not in K8S_ACTIONS or not isinstance(result, dict):
        return []
    items = result.get("results") if isinstance(result.get("results"), list) else [result]
    found = []
    for item in items:
        if not isinstance(item, dict) or "diff" in item:
            continue
        nested = (item.get("result") or {}).get("results") if isinstance(item.get("result"), dict) else None
        for obj in nested if isinstance(nested, list) else []:
            diff = obj.get("diff") if isinstance(obj, dict) else None
            if not obj.get("changed") or not isinstance(diff, dict) or "before" not in diff or "after" not in diff:
                continue
            name = object_name(obj)
            found.append(dict(diff, before_header=name, after_header=name))
    return found
