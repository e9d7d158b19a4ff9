#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: kops_cluster_spec
short_description: Point a kops cluster spec at shared subnets and set its API server flags
version_added: 0.1.0
description:
  - The talk's C(kops edit cluster) step as a pure transformation. Takes a kops
    C(Cluster) as printed by C(kops get cluster <name> -o yaml), replaces its
    subnets with the shared subnets of an existing VPC (see
    M(indydevops.k8s_talk.kops_subnets_info)), sets the network id, and adds or
    removes the talk's batch API bugfix in C(kubeAPIServer.runtimeConfig).
  - Returns the new spec for C(kops replace -f); it changes nothing on disk or
    in the state store itself.
  - "Understands the three layouts kops has printed: C(kops.k8s.io/v1alpha2)
    (every kops up to 1.36: C(spec.subnets), C(spec.networkID)),
    C(kops.k8s.io/v1alpha3) (C(spec.networking.subnets),
    C(spec.networking.networkID)) and the 2017 C(kops/v1alpha2). The spec is
    written back in the layout it came in."
  - Everything else in the spec is preserved, values and key order included.
    Applying the module to its own output changes nothing.
  - "C(cloudProvider) is left as kops wrote it: every layout already records it
    (C(spec.cloudProvider: aws) in v1alpha2, C(spec.cloudProvider.aws) in v1alpha3),
    so the talk's bugfix file's C(cloudProvider: aws) line is not needed."
author:
  - Indy DevOps (@indydevops)
options:
  spec:
    description:
      - The cluster, as printed by C(kops get cluster <name> -o yaml).
      - A YAML string (preferred, timestamps survive verbatim) or a dict.
    type: raw
    required: true
  subnets:
    description:
      - The subnets the cluster uses, replacing the whole existing list.
      - Validated as kops does. O(subnets[].type) is V(Private), V(Utility) or V(Public);
        names are unique; O(subnets[].zone) and O(subnets[].cidr) are required; either every
        subnet has an O(subnets[].id) or none has; O(subnets[].egress) is V(External) or an id
        starting with C(nat-), C(eipalloc-), C(i-) or C(tgw-), and an egress id is only
        allowed on V(Private) subnets. A CIDR outside the spec's C(networkCIDR) is refused.
      - Omit to leave the subnets as they are.
    type: list
    elements: dict
    suboptions:
      name:
        description: Subnet name, C(<zone>) for private and C(utility-<zone>) for utility subnets.
        type: str
        required: true
      type:
        description: Subnet type.
        type: str
        required: true
        choices: [Private, Utility, Public]
      zone:
        description: Availability zone.
        type: str
        required: true
      cidr:
        description: The subnet's IPv4 CIDR, inside the VPC's.
        type: str
        required: true
      id:
        description: The AWS subnet id of a shared subnet.
        type: str
      egress:
        description: Where a private subnet's default route goes (a NAT gateway id such as C(nat-0abc)).
        type: str
      ipv6CIDR:
        description: The subnet's IPv6 CIDR.
        type: str
      region:
        description: Region of the subnet, for clouds that need it.
        type: str
      publicIP:
        description: Elastic IP for the NAT gateway kops creates in a utility subnet.
        type: str
      additionalRoutes:
        description: Extra routes for a private subnet, passed to kops as they are.
        type: list
        elements: dict
  network_id:
    description:
      - The id of the existing VPC the cluster runs in (C(networkID)).
      - Required when the subnets have ids, unless the spec already has one. Omit to leave it as it is.
    type: str
  batch_api_bugfix:
    description:
      - The talk enabled C(batch/v2alpha1) so that CronJobs work on Kubernetes 1.7
        (kops issue 618). From 1.8 CronJob is served as C(batch/v1beta1) without it,
        and from 1.21 C(batch/v2alpha1) no longer exists, so the flag would stop a
        modern kube-apiserver from starting.
      - V(auto) adds the flag when C(spec.kubernetesVersion) is older than 1.8,
        removes it on 1.21 and newer, and otherwise leaves it alone.
      - V(always) adds it; on Kubernetes 1.21 or newer this fails with an explanation.
      - V(never) removes it if present.
    type: str
    choices: [auto, always, never]
    default: auto
  runtime_config:
    description:
      - Extra C(kubeAPIServer.runtimeConfig) entries (C(--runtime-config) of kube-apiserver).
      - Booleans become the strings C("true") and C("false"), as kops expects. A null value
        removes the entry. Entries not named here are left alone.
    type: dict
    default: {}
  additional_policies:
    description:
      - Extra IAM statements for the instance roles kops creates (C(spec.additionalPolicies)),
        by role (C(node), C(control-plane), C(bastion)), each a list of IAM statements.
      - A role given is set to exactly these statements (an empty list removes its entry);
        roles not given are left alone. The role C(indydevops.k8s_talk.kops_cluster) grants the
        nodes what external-dns needs on the cluster's zone, and nothing else.
    type: dict
    default: {}
  file_repository:
    description:
      - Where the nodes fetch kops' files and kops reads their C(.sha256) hashes
        (C(spec.assets.fileRepository)), an C(http://) or C(https://) URL; the
        path of each file's upstream URL is appended to it.
      - kops needs it for a Kubernetes version whose hashes it does not know.
      - An empty string removes it; omit to leave it as it is.
    type: str
  cluster_autoscaler:
    description:
      - kops' cluster-autoscaler add-on (C(spec.clusterAutoscaler)), a C(ClusterAutoscalerConfig)
        mapping with camelCase keys as in the kops cluster spec, C(enabled) required.
      - Set to exactly this mapping; a mapping of only C(enabled) V(false) removes the key (as
        C(kops create cluster) writes it). Unknown keys, an unknown C(expander) and a
        C(scaleDownUtilizationThreshold) outside (0, 1] are refused. Omit to leave it as it is.
      - kops scales the instance groups whose C(minSize) is below their C(maxSize); see
        M(indydevops.k8s_talk.kops_instance_groups).
    type: dict
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
    details: The module never changes anything itself; check mode returns the same result.
  diff_mode:
    support: full
    details: The spec before and after, as YAML, with secret-looking values masked.
notes:
  - Feed RV(spec_yaml) to C(kops replace -f /dev/stdin) only when C(changed) is true, so a second
    run of a play makes no kops change.
seealso:
  - module: indydevops.k8s_talk.kops_subnets_info
  - module: indydevops.k8s_talk.kops_instance_groups
  - name: kops cluster spec
    description: The fields of the kops Cluster resource.
    link: https://kops.sigs.k8s.io/cluster_spec/
  - name: Running kops in an existing VPC
    description: Shared subnets, egress and networkID.
    link: https://kops.sigs.k8s.io/run_in_existing_vpc/
"""

EXAMPLES = r"""
- name: Cluster | Read the spec kops laid out
  ansible.builtin.command:
    cmd: kops get cluster k8s.indydevops.example -o yaml
  environment:
    KOPS_STATE_STORE: s3://indydevops-rehearsal-kops-state-store
  register: kops_get
  changed_when: false

- name: Cluster | Find the VPC's subnets (get-subnets.rb)
  indydevops.k8s_talk.kops_subnets_info:
    vpc_tags:
      Environment: rehearsal
  register: vpc

- name: Cluster | Point the spec at the VPC's subnets
  indydevops.k8s_talk.kops_cluster_spec:
    spec: "{{ kops_get.stdout }}"
    subnets: "{{ vpc.subnets }}"
    network_id: "{{ vpc.vpc_id }}"
  register: cluster_spec

- name: Cluster | The talk's 2017 cluster, with the batch API bugfix forced and one more API
  indydevops.k8s_talk.kops_cluster_spec:
    spec: "{{ lookup('ansible.builtin.file', 'cluster-2017.yaml') }}"
    subnets:
      - name: utility-us-east-2a
        type: Utility
        zone: us-east-2a
        cidr: 10.20.0.0/22
        id: subnet-0aaa
      - name: us-east-2a
        type: Private
        zone: us-east-2a
        cidr: 10.20.32.0/19
        id: subnet-0bbb
        egress: nat-0ccc
    network_id: vpc-0ddd
    batch_api_bugfix: always
    runtime_config:
      apps/v1alpha1: true
  register: cluster_spec_2017

- name: Cluster | Drop the bugfix and an old API from a modern spec
  indydevops.k8s_talk.kops_cluster_spec:
    spec: "{{ kops_get.stdout }}"
    batch_api_bugfix: never
    runtime_config:
      apps/v1alpha1: null
- name: Cluster | Turn on kops' cluster-autoscaler add-on
  indydevops.k8s_talk.kops_cluster_spec:
    spec: "{{ kops_get.stdout }}"
    cluster_autoscaler:
      enabled: true
      expander: least-waste
      scaleDownUtilizationThreshold: "0.5"

- name: Cluster | Subnets kops creates itself (no ids), with every other subnet field
  indydevops.k8s_talk.kops_cluster_spec:
    spec: "{{ kops_get.stdout }}"
    subnets:
      - name: utility-us-east-2a
        type: Utility
        zone: us-east-2a
        region: us-east-2
        cidr: 172.20.0.0/22
        ipv6CIDR: 2600:1f16:0:100::/64
        publicIP: 203.0.113.10
      - name: us-east-2a
        type: Private
        zone: us-east-2a
        cidr: 172.20.32.0/19
        egress: External
        additionalRoutes:
          - cidr: 10.100.0.0/16
            target: pcx-0abc

- name: Cluster | Replace the spec in the state store only when it changed
  ansible.builtin.command:
    cmd: kops replace -f /dev/stdin
    stdin: "{{ cluster_spec.spec_yaml }}"
  environment:
    KOPS_STATE_STORE: s3://indydevops-rehearsal-kops-state-store
  when: cluster_spec is changed
  changed_when: true
"""

RETURN = r"""
spec:
  description: The rewritten cluster, in the layout it came in.
  returned: always
  type: dict
  sample:
    apiVersion: kops.k8s.io/v1alpha2
    kind: Cluster
    metadata:
      name: k8s.indydevops.example
    spec:
      networkID: vpc-0ddd
      subnets:
        - cidr: 10.20.32.0/19
          egress: nat-0ccc
          id: subnet-0bbb
          name: us-east-2a
          type: Private
          zone: us-east-2a
spec_yaml:
  description: RV(spec) as YAML, ready for C(kops replace -f).
  returned: always
  type: str
  sample: "apiVersion: kops.k8s.io/v1alpha2\nkind: Cluster\n..."
bugfix_applied:
  description: Whether the returned spec enables C(batch/v2alpha1) in C(kubeAPIServer.runtimeConfig).
  returned: always
  type: bool
  sample: false
diff:
  description: The spec before and after, as YAML.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The spec as given.
      type: str
    after:
      description: The rewritten spec.
      type: str
"""

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible.module_utils.basic import missing_required_lib  # noqa: E402

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import BUGFIX_CHOICES  # noqa: E402
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import HAS_YAML  # noqa: E402
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import YAML_IMPORT_ERROR  # noqa: E402
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import KopsSpecError  # noqa: E402
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import diff  # noqa: E402
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.kops_spec import rewrite  # noqa: E402

SUBNET_SPEC = {
    "name": {"type": "str", "required": True},
    "type": {"type": "str", "required": True, "choices": ["Private", "Utility", "Public"]},
    "zone": {"type": "str", "required": True},
    "cidr": {"type": "str", "required": True},
    "id": {"type": "str"},
    "egress": {"type": "str"},
    "ipv6CIDR": {"type": "str"},
    "region": {"type": "str"},
    "publicIP": {"type": "str"},
    "additionalRoutes": {"type": "list", "elements": "dict"},
}


def main():
    module = AnsibleModule(
        argument_spec={
            "spec": {"type": "raw", "required": True},
            "subnets": {"type": "list", "elements": "dict", "options": SUBNET_SPEC},
            "network_id": {"type": "str"},
            "batch_api_bugfix": {"type": "str", "choices": list(BUGFIX_CHOICES), "default": "auto"},
            "runtime_config": {"type": "dict", "default": {}},
            "additional_policies": {"type": "dict", "default": {}},
            "file_repository": {"type": "str"},
            "cluster_autoscaler": {"type": "dict"},
        },
        supports_check_mode=True,
    )
    if not HAS_YAML:
        module.fail_json(msg=missing_required_lib("PyYAML"), exception=YAML_IMPORT_ERROR)
    params = module.params
    try:
        changed, result = rewrite(
            params["spec"], subnets=params["subnets"], network_id=params["network_id"],
            batch_api_bugfix=params["batch_api_bugfix"], runtime_config=params["runtime_config"],
            additional_policies=params["additional_policies"],
            file_repository=params["file_repository"],
            cluster_autoscaler=params["cluster_autoscaler"])
    except KopsSpecError as exc:
        module.fail_json(msg=str(exc))
    if result["bugfix_removed"]:
        module.warn("removed batch/v2alpha1 from kubeAPIServer.runtimeConfig: the API group does "
                    "not exist on this Kubernetes version and would stop kube-apiserver")
    output = {"changed": changed, "spec": result["spec"], "spec_yaml": result["spec_yaml"],
              "bugfix_applied": result["bugfix_applied"]}
    if module._diff:
        output["diff"] = diff(result["before"], result["spec"])
    module.exit_json(**output)


if __name__ == "__main__":
    main()
