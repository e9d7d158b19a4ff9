# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: bench_recorder
type: aggregate
short_description: Record each task's role, action, time and module arguments for tests/bench/bench.py
description:
  - Enabled only by the benchmark (ANSIBLE_CALLBACK_PLUGINS, ANSIBLE_CALLBACKS_ENABLED); writes one
    JSON line per task result (a loop's items each) to the file BENCH_RECORD names.
  - Censored (no_log) results keep no arguments.
requirements:
  - BENCH_RECORD set to the file to write
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_recorder"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._path = os.environ.get("BENCH_RECORD")
        self._started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started[task._uuid] = time.time()

    def v2_playbook_on_handler_task_start(self, task):
        self._started[task._uuid] = time.time()

    def _write(self, result, status):
        if not self._path:
            return
        task = result._task
        ended = time.time()
        res = result._result
        items = res.get("results") if isinstance(res.get("results"), list) else [res]
        role = task._role.get_name(include_role_fqcn=False) if task._role else None
        with open(self._path, "a") as out:
            for item in items:
                if not isinstance(item, dict):
                    continue
                censored = "censored" in item
                invocation = item.get("invocation") or {}
                out.write(json.dumps({
                    "task": task._uuid, "role": role, "action": task.action, "name": task.get_name(), "status": status,
                    "start": self._started.get(task._uuid, ended), "end": ended,
                    "changed": bool(item.get("changed")), "censored": censored,
                    "args": None if censored else invocation.get("module_args"),
                    "delta": item.get("delta"), "cmd": item.get("cmd"), "loop": "results" in res,
                    "attempts": item.get("attempts"),
                }, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._write(result, "ok")

    def v2_runner_on_skipped(self, result):
        self._write(result, "skipped")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, "failed")
