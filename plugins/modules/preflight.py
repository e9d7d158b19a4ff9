#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: preflight
short_description: Refuse bad input to the talk's roles before anything changes
version_added: 0.2.0
description:
  - Validates the variables of the collection's roles as each role would see them (the user's
    value, else the role default evaluated with the play's variables), on the controller, without
    touching any target.
  - Types, choices and required values come from each role's C(meta/argument_specs.yml); the
    semantic rules (DNS names, AWS regions, bucket names, bounds, one variable against another) from
    each role's C(meta/preflight.yml).
  - Every refusal names the variable, its value, the variables it came from (for a default derived
    from the shared C(k8s_talk_*) values) and the fix; all refusals are reported together. A value
    derived from one already refused is not reported again.
  - "The first play of C(playbooks/talk.yml) and C(playbooks/teardown.yml) passes O(stages): only the
    stages that will run (by C(--tags), C(--skip-tags) and the inventory's capability flags) are checked.
    Each role also calls it for itself with O(roles), so a role used alone is checked the same way."
author:
  - Indy DevOps (@indydevops)
options:
  roles:
    description: Short names of the collection's roles to check (ignored when O(stages) is given).
    type: list
    elements: str
  stages:
    description:
      - The talk's stage table (C(k8s_talk_stages)); each entry has C(name), C(tags), C(roles) and
        C(needs), the capability flags the stage needs.
      - Other keys are not read. Pass only these four where the entries hold presenter mode's
        C(narration) and C(commands), which template the stages' own role variables (see the example).
    type: list
    elements: dict
  state:
    description:
      - Check the roles as they run with this state (sets each role's C(<role>_state)).
      - V(absent) also means a teardown, where no stage is C(always).
    type: str
    choices: [present, absent]
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  action:
    description: Runs on the controller.
    support: full
notes:
  - An action plugin; it never runs on a managed host.
"""

EXAMPLES = r"""
- name: Check the guestbook's variables before it is applied
  indydevops.k8s_talk.preflight:
    roles: [demo_guestbook]

- name: Check every stage that will run (the first play of the talk)
  indydevops.k8s_talk.preflight:
    stages: >-
      {{ k8s_talk_stages | map('ansible.builtin.dict2items')
         | map('selectattr', 'key', 'in', ['name', 'tags', 'roles', 'needs'])
         | map('ansible.builtin.items2dict') | list }}
"""

RETURN = r"""
roles:
  description: The roles checked, in order.
  returned: always
  type: list
  elements: str
  sample: [k8s_talk, rehearsal_stack, aws_prereqs]
stages:
  description: The stages selected to run (only with O(stages)).
  returned: when O(stages) is given
  type: list
  elements: str
  sample: [talk, stack, prereqs]
checked:
  description: Per role, the names of the variables checked.
  returned: always
  type: dict
errors:
  description: One entry per refusal, empty when everything passed.
  returned: always
  type: list
  elements: dict
  contains:
    role:
      description: The role whose variable was refused.
      type: str
    var:
      description: The variable refused.
      type: str
    message:
      description: What is wrong and how to fix it.
      type: str
"""
