# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every role of the talk has `<role>_state: present|absent` (typed, defaulted) and a tasks file for each."""

import os

import pytest
import yaml

ROLES = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "roles"))
# The collection's shared defaults and the talk-wide preflight: no resources of its own.
SHARED = {"k8s_talk"}


@pytest.mark.parametrize("role", sorted(r for r in os.listdir(ROLES) if r not in SHARED))
def test_every_role_has_a_state_present_or_absent(role):
    with open(os.path.join(ROLES, role, "meta", "argument_specs.yml")) as handle:
        options = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    state = options.get(role + "_state")
    assert state, "%s has no %s_state in meta/argument_specs.yml" % (role, role)
    assert state["choices"] == ["present", "absent"] and state["default"] == "present"
    with open(os.path.join(ROLES, role, "defaults", "main.yml")) as handle:
        assert yaml.safe_load(handle)[role + "_state"] == "present"
    for name in ("present.yml", "absent.yml"):
        assert os.path.isfile(os.path.join(ROLES, role, "tasks", name)), "%s has no tasks/%s" % (role, name)
