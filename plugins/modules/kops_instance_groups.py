#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: kops_instance_groups
short_description: Size a kops cluster's node instance groups
version_added: 0.1.0
description:
  - C(kops edit ig) for the node groups as a pure transformation. Takes the
    instance groups as printed by C(kops get instancegroups --name <cluster> -o yaml)
    and sets C(spec.minSize) and C(spec.maxSize) of the groups of role C(Node)
    to the totals given, spread over the groups in name order as
    C(kops create cluster --node-count) spreads its count over the per-zone
    groups (each gets total // groups, the first total % groups one more).
  - Control-plane and bastion groups, and every other key, are left as they are.
  - Returns the changed groups for C(kops replace -f); it changes nothing in
    the state store itself. Applying the module to its own output changes nothing.
author:
  - Indy DevOps (@indydevops)
options:
  instance_groups:
    description:
      - The groups as printed by C(kops get instancegroups -o yaml), a YAML stream (preferred),
        or a list of dicts.
    type: raw
    required: true
  min_size:
    description:
      - The smallest number of nodes, over all node groups. Omit to leave each group's C(minSize).
    type: int
  max_size:
    description:
      - The largest number of nodes the cluster-autoscaler may grow to, over all node groups;
        at least O(min_size). Omit to leave each group's C(maxSize).
    type: int
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
    details: The module never changes anything itself; check mode returns the same result.
  diff_mode:
    support: full
    details: The changed groups before and after, as YAML.
notes:
  - Feed RV(changed_yaml) to C(kops replace -f /dev/stdin) only when C(changed) is true, then
    C(kops update cluster --yes) sets the Auto Scaling groups' bounds.
seealso:
  - module: indydevops.k8s_talk.kops_cluster_spec
  - name: kops instance groups
    description: The fields of the kops InstanceGroup resource.
    link: https://kops.sigs.k8s.io/instance_groups/
  - name: kops cluster autoscaler
    description: The add-on that scales the groups between their bounds.
    link: https://kops.sigs.k8s.io/addons/#cluster-autoscaler
"""

EXAMPLES = r"""
- name: Cluster | Read the instance groups kops laid out
  ansible.builtin.command:
    cmd: kops get instancegroups --name k8s.indydevops.example -o yaml
  environment:
    KOPS_STATE_STORE: s3://indydevops-rehearsal-kops-state-store
  register: kops_get_ig
  changed_when: false

- name: Cluster | Let the nodes grow from 2 to 4
  indydevops.k8s_talk.kops_instance_groups:
    instance_groups: "{{ kops_get_ig.stdout }}"
    min_size: 2
    max_size: 4
  register: node_groups

- name: Cluster | Replace the changed groups in the state store
  ansible.builtin.command:
    cmd: kops replace -f /dev/stdin
    stdin: "{{ node_groups.changed_yaml }}"
  environment:
    KOPS_STATE_STORE: s3://indydevops-rehearsal-kops-state-store
  when: node_groups is changed
  changed_when: true
"""

RETURN = r"""
changed_groups:
  description: The names of the groups the module changed.
  returned: always
  type: list
  elements: str
  sample: [nodes-us-east-1a]
changed_yaml:
  description: The changed groups as one YAML stream for C(kops replace -f); empty when nothing changed.
  returned: always
  type: str
  sample: "apiVersion: kops.k8s.io/v1alpha2\nkind: InstanceGroup\n..."
sizes:
  description: Each node group's bounds after the change.
  returned: always
  type: dict
  sample:
    nodes-us-east-1a: {min: 1, max: 2}
    nodes-us-east-1b: {min: 1, max: 2}
diff:
  description: The changed groups before and after, as YAML.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The groups as given.
      type: str
    after:
      description: The resized groups.
      type: str
"""

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible.module_utils.basic import missing_required_lib  # noqa: E402

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import HAS_YAML  # noqa: E402
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import YAML_IMPORT_ERROR  # noqa: E402
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import KopsSpecError  # noqa: E402
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import dump_documents  # noqa: E402
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import resize_node_groups  # noqa: E402


def main():
    module = AnsibleModule(
        argument_spec={
            "instance_groups": {"type": "raw", "required": True},
            "min_size": {"type": "int"},
            "max_size": {"type": "int"},
        },
        supports_check_mode=True,
    )
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib("PyYAML"), exception=YAML_IMPORT_ERROR)
    params = module.params
    try:
        changed, result = resize_node_groups(params["instance_groups"], min_size=params["min_size"],
                                             max_size=params["max_size"])
    except KopsSpecError as exc:
        module.fail_json(msg=str(exc))
    output = {"changed": changed, "changed_groups": result["changed"],
              "changed_yaml": result["changed_yaml"], "sizes": result["sizes"]}
    if module._diff:
        names = set(result["changed"])
        output["diff"] = {
            "before": dump_documents([g for g in result["before"] if g["metadata"]["name"] in names]),
            "after": result["changed_yaml"],
        }
    module.exit_json(**output)


if __name__ == "__main__":
    main()
