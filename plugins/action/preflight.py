# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of indydevops.k8s_talk.preflight (documented in plugins/modules/preflight.py).

Runs on the controller, before anything else: it needs the play's variables
and the roles' own files (argument specs, defaults, rules), not a target.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import PreflightError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import check_rule
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import mask
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import named
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import selected_stages
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.preflight import source_of

ROLES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "roles")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def _load(self, path, default=None):
        if not os.path.exists(path):
            return default
        # Trusted as templates: role defaults are templates, as when Ansible loads them.
        return self._loader.load_from_file(path, trusted_as_template=True) or default

    def _role_files(self, role):
        base = os.path.join(ROLES_DIR, role)
        if not os.path.isdir(base):
            raise AnsibleError("preflight: no role %s in %s" % (role, ROLES_DIR))
        specs = self._load(os.path.join(base, "meta", "argument_specs.yml"), {})
        options = ((specs.get("argument_specs") or {}).get("main") or {}).get("options") or {}
        defaults = {}
        single = os.path.join(base, "defaults", "main.yml")
        if os.path.exists(single):
            defaults.update(self._load(single, {}))
        folder = os.path.join(base, "defaults", "main")
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith((".yml", ".yaml")):
                    defaults.update(self._load(os.path.join(folder, name), {}))
        rules = (self._load(os.path.join(base, "meta", "preflight.yml"), {}) or {}).get("rules") or []
        return base, options, defaults, rules

    def _role_values(self, role, state, task_vars):
        """Each option's value as the role would see it, and where it came from."""
        base, options, defaults, rules = self._role_files(role)
        overrides = {}
        if state and "%s_state" % role in options:
            overrides["%s_state" % role] = state
        available = dict(defaults)
        available.update(task_vars)
        available.update(overrides)
        available["role_path"] = base
        templar = self._templar.copy_with_new_env(available_variables=available)
        values, sources, problems = {}, {}, []
        user_set = set(var for var in options if var in task_vars
                       and not (var in defaults and task_vars[var] == defaults[var]))
        user_set |= set(overrides)
        for var in options:
            if var in overrides:
                values[var], sources[var] = overrides[var], [var]
                continue
            given = var in user_set
            if not given and var not in defaults:
                continue
            try:
                values[var] = templar.template(task_vars[var] if given else defaults[var])
            except AnsibleError as exc:
                if given:
                    problems.append("%s cannot be evaluated: %s" % (var, exc.message))
                # A default that needs run-time facts is checked by the role itself.
                continue
            sources[var] = source_of(var, defaults, user_set)
        return options, values, sources, rules, problems, templar

    def _check_role(self, role, state, task_vars):
        options, values, sources, rules, problems, templar = self._role_values(role, state, task_vars)
        errors = [{"role": role, "var": None, "message": msg} for msg in problems]
        secret = {var for var, spec in options.items() if spec.get("no_log")}
        specs = {var: options[var] for var in values}
        result = ArgumentSpecValidator(specs).validate(dict(values), validate_role_argument_spec=True)
        for error in result.errors:
            message = error.msg if hasattr(error, "msg") else str(error)
            var = next((v for v in values if "'%s'" % v in message or " %s " % v in " %s " % message), None)
            if var:
                message = "%s is %r: %s. Fix: see its type and choices in roles/%s/meta/argument_specs.yml." % (
                    named(var, sources.get(var)), mask(values[var], var in secret), message.rstrip("."), role)
            errors.append({"role": role, "var": var, "message": message})
        failed = set(error["var"] for error in errors if error["var"])
        failed |= set(self._failed)
        checked = dict(values)
        checked.update(result.validated_parameters or {})
        for rule in rules:
            when = rule.get("when")
            if when is not None and not templar.evaluate_conditional(when):
                continue
            try:
                messages = check_rule(rule, checked, sources, failed)
            except PreflightError as exc:
                raise AnsibleError("preflight: roles/%s/meta/preflight.yml: %s" % (role, exc))
            errors.extend({"role": role, "var": rule["var"], "message": m} for m in messages)
        self._failed |= failed
        return sorted(values), errors

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        args = self._task.args
        state = args.get("state")
        stages = args.get("stages")
        if stages is not None:
            chosen = selected_stages(stages, task_vars.get("ansible_run_tags"),
                                     task_vars.get("ansible_skip_tags"), teardown=state == "absent")
            templar = self._templar.copy_with_new_env(available_variables=task_vars)
            chosen = [s for s in chosen if all(templar.template(task_vars.get(flag, False))
                                               for flag in s.get("needs") or [])]
            roles = [role for stage in chosen for role in stage.get("roles") or []]
            result["stages"] = [stage["name"] for stage in chosen]
        else:
            roles = list(args.get("roles") or [])
        checked, errors = {}, []
        self._failed = set()
        for role in roles:
            variables, role_errors = self._check_role(role, state, task_vars)
            checked[role] = variables
            errors.extend(role_errors)
        result.update(changed=False, roles=roles, checked=checked, errors=errors)
        if errors:
            result["failed"] = True
            result["msg"] = "The preflight refused %d value(s); nothing was changed:\n%s" % (
                len(errors), "\n".join("- [%s] %s" % (e["role"], e["message"]) for e in errors))
        else:
            result["msg"] = "Preflight passed: %d variables of %s." % (
                sum(len(v) for v in checked.values()), ", ".join(roles) or "no role")
        return result
