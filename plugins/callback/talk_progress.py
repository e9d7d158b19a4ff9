# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: talk_progress
type: aggregate
short_description: Which stage of the talk runs, how long each took, and what a long wait is waiting on
version_added: 0.1.0
description:
  - Prints C([talk] stage 4/17 cluster started) when the first task of a stage's roles starts,
    C([talk] stage 4/17 cluster done in 1 min 12 s) when the next stage begins, and at the end a
    table of every stage's time.
  - >-
    While one task runs longer than the heartbeat (C(kops validate cluster --wait), a rollout,
    the autoscaling demo's load) it prints C([talk] cluster: still on '<task>' after 1 min 00 s)
    every heartbeat, so a long wait is never silent.
  - >-
    Presenter mode's tasks (C(k8s_talk_presenter), C(roles/k8s_talk/tasks/presenter.yml)) count in the
    stage they present, and its pause until Enter prints no such line: it waits on the presenter.
  - The stages and their roles are the collection's one list, C(k8s_talk_stages) in
    C(roles/k8s_talk/defaults/main/stages.yml); the logic lives in C(plugins/module_utils/talk_progress.py).
  - Enabled in the collection's C(ansible.cfg) (C(callbacks_enabled)); it adds lines beside the
    stdout callback and changes none of its output.
author:
  - Indy DevOps (@indydevops)
options:
  heartbeat:
    description:
      - Seconds between the lines of one long task; C(0) turns them off.
      - >-
        A value that is not a whole number of seconds makes Ansible warn (naming the variable, the
        value and the fix) and run on without progress lines; they are the presenter's, never a
        reason to stop the talk.
    type: str
    default: "30"
    env:
      - name: K8S_TALK_PROGRESS_HEARTBEAT
    ini:
      - section: k8s_talk
        key: progress_heartbeat
"""

import os
import threading
import time

from ansible.errors import AnsibleError
from ansible.plugins.callback import CallbackBase

try:
    import yaml
except ImportError:  # pragma: no cover - ansible-core requires PyYAML
    yaml = None

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_progress import Progress
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_progress import ProgressError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_progress import heartbeat_interval

# The collection's one list of the talk's stages, beside this plugin in the collection.
STAGES_FILE = os.path.join(os.path.dirname(__file__), "..", "..", "roles", "k8s_talk", "defaults", "main", "stages.yml")


# Presenter mode's pause (roles/k8s_talk/tasks/presenter.yml) waits on the presenter, not on the cluster.
PAUSE_ACTIONS = ("ansible.builtin.pause", "pause", "ansible.legacy.pause")


def load_stages(path=STAGES_FILE):
    with open(path) as handle:
        return yaml.safe_load(handle)["k8s_talk_stages"]


def presenter_stage(task):
    """The stage presenter mode's tasks run for (the include's k8s_talk_presenter_stage), else None."""
    try:
        stage = task.get_vars().get("k8s_talk_presenter_stage")
    except (AttributeError, TypeError):  # a task without vars: the progress lines go on without
        return None
    return str(stage) if isinstance(stage, str) and "{" not in stage else None


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "indydevops.k8s_talk.talk_progress"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._progress = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beater = None

    def set_options(self, task_keys=None, var_options=None, direct=None):
        super(CallbackModule, self).set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        try:
            interval = heartbeat_interval(self.get_option("heartbeat"))
        except ProgressError as error:
            raise AnsibleError(str(error))
        self._progress = Progress(load_stages(), heartbeat=interval)

    def _say(self, lines):
        for line in lines:
            self._display.display(line)

    def _beat(self):
        while not self._stop.wait(1.0):
            with self._lock:
                line = self._progress.beat(time.monotonic())
            if line:
                self._display.display(line)

    def v2_playbook_on_start(self, playbook):
        if self._progress.heartbeat and self._beater is None:
            self._beater = threading.Thread(target=self._beat, name="talk_progress", daemon=True)
            self._beater.start()

    def v2_playbook_on_task_start(self, task, is_conditional):
        role = task._role.get_name() if task._role else None
        with self._lock:
            lines = self._progress.task_started(role, task.name or task.action, time.monotonic(),
                                                stage=presenter_stage(task),
                                                waits_on_user=task.action in PAUSE_ACTIONS)
        self._say(lines)

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def _ended(self, *args, **kwargs):
        with self._lock:
            self._progress.task_ended()

    v2_playbook_on_play_start = _ended
    v2_playbook_on_no_hosts_remaining = _ended

    def v2_playbook_on_stats(self, stats):
        self._stop.set()
        with self._lock:
            lines = self._progress.finish(time.monotonic())
        self._say(lines)
