# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: k8s_diffs
type: aggregate
short_description: Show each object's diff of a kubernetes.core.k8s call that applies a manifest set
version_added: 0.3.0
description:
  - A C(kubernetes.core.k8s) call with several objects (a manifest set) returns each object's
    diff inside its result, where C(--diff) does not look; this callback prints them after the
    task's result line, one per changed object, headed with the object (C(Kind namespace/name)).
  - Only with C(--diff), or on a task with C(diff=true). A call with one object keeps the diff
    Ansible shows itself, and this callback adds nothing there.
  - Enabled in the collection's C(ansible.cfg) (C(callbacks_enabled)) and in molecule's config;
    the logic lives in C(plugins/module_utils/k8s_diffs.py).
author:
  - Indy DevOps (@indydevops)
"""

from ansible import context
from ansible.plugins.callback import CallbackBase

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.k8s_diffs import hidden_diffs


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "indydevops.k8s_talk.k8s_diffs"
    CALLBACK_NEEDS_ENABLED = True

    def v2_runner_on_ok(self, result):
        task = result._task
        if not (context.CLIARGS.get("diff") or getattr(task, "diff", False)):
            return
        diffs = hidden_diffs(task.action, result._result)
        if diffs:
            self._display.display(self._get_diff(diffs))
