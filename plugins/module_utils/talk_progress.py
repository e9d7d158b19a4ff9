# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which stage of the talk runs, for how long, and what it is waiting on.

Pure logic behind the ``indydevops.k8s_talk.talk_progress`` callback: the
callback feeds it the role of each task as it starts and a clock, and prints
the lines it returns. The stages and their roles come from the caller (the
collection's one list, ``k8s_talk_stages`` in roles/k8s_talk/defaults/main/stages.yml);
nothing here knows the talk's stage names. No Ansible, no clock of its own.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

PREFIX = "[talk]"
HEARTBEAT_VARIABLE = "K8S_TALK_PROGRESS_HEARTBEAT"
DEFAULT_HEARTBEAT = 30


class ProgressError(Exception):
    """Input the progress lines cannot be made from (names its variable and the fix)."""


def heartbeat_interval(value, default=DEFAULT_HEARTBEAT):
    """Seconds between the 'still waiting' lines of one long task; 0 turns them off."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    text = str(value).strip()
    try:
        seconds = int(text)
    except ValueError:
        seconds = -1
    if seconds < 0:
        raise ProgressError(
            "%s=%r is not a whole number of seconds: set it to 0 (no heartbeat) or a positive "
            "number such as %d" % (HEARTBEAT_VARIABLE, value, DEFAULT_HEARTBEAT))
    return seconds


def stage_of_roles(stages):
    """{role: stage name} from the talk's stages (each a dict with name and roles)."""
    owner = {}
    for stage in stages:
        for role in stage.get("roles", []):
            owner[role] = stage["name"]
    return owner


def short_role(name):
    """indydevops.k8s_talk.demo_hello -> demo_hello (a role's name without its collection)."""
    return (name or "").rsplit(".", 1)[-1]


def duration(seconds):
    """42 s, 3 min 05 s, 1 h 02 min: how the talk reports a time."""
    seconds = int(round(max(0.0, seconds)))
    if seconds < 60:
        return "%d s" % seconds
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return "%d min %02d s" % (minutes, seconds)
    hours, minutes = divmod(minutes, 60)
    return "%d h %02d min" % (hours, minutes)


class Progress:
    """The stages seen so far, the one running, and the task it waits on."""

    def __init__(self, stages, heartbeat=DEFAULT_HEARTBEAT):
        self.order = [stage["name"] for stage in stages]
        self.owner = stage_of_roles(stages)
        self.heartbeat = heartbeat
        self.done = []          # [(stage, seconds)] in the order they ran
        self.stage = None       # the stage running
        self.stage_start = None
        self.task = None        # the task running and when it started
        self.task_start = None
        self.last_beat = None

    def _close(self, now):
        if self.stage is None:
            return []
        took = now - self.stage_start
        self.done.append((self.stage, took))
        position = self._position(self.stage)
        line = "%s %s done in %s" % (PREFIX, self._label(self.stage, position), duration(took))
        self.stage = None
        return [line]

    def _position(self, stage):
        return self.order.index(stage) + 1 if stage in self.order else None

    def _label(self, stage, position):
        if position is None:
            return "stage %s" % stage
        return "stage %d/%d %s" % (position, len(self.order), stage)

    def task_started(self, role, task, now, stage=None, waits_on_user=False):
        """Lines for a task that starts: its stage's start (and the previous stage's end) when it moves on.

        Tasks outside every stage's roles (a play's own tasks, preflight) stay in the stage running,
        unless they name their stage (presenter mode's, before and after a stage's roles). A task that
        waits on the user (presenter mode's pause until Enter) has no heartbeat: nothing is stuck.
        """
        lines = []
        stage = stage or self.owner.get(short_role(role))
        if stage is not None and stage != self.stage:
            lines.extend(self._close(now))
            self.stage, self.stage_start = stage, now
            lines.append("%s %s started" % (PREFIX, self._label(stage, self._position(stage))))
        self.task, self.task_start, self.last_beat = (None if waits_on_user else task), now, now
        return lines

    def task_ended(self):
        """The task is over: nothing to beat for until the next one starts."""
        self.task = None

    def beat(self, now):
        """A 'still waiting' line when the running task has taken another heartbeat interval, else None."""
        if not self.heartbeat or self.task is None or now - self.last_beat < self.heartbeat:
            return None
        self.last_beat = now
        where = "%s: " % self.stage if self.stage else ""
        return "%s %sstill on '%s' after %s" % (PREFIX, where, self.task, duration(now - self.task_start))

    def finish(self, now):
        """The last stage's end and a table of every stage's time, in the order they ran."""
        lines = self._close(now)
        self.task = None
        if not self.done:
            return lines
        width = max(len(stage) for stage, dummy in self.done)
        total = sum(took for dummy, took in self.done)
        lines.append("%s time per stage:" % PREFIX)
        for stage, took in self.done:
            lines.append("%s   %-*s  %s" % (PREFIX, width, stage, duration(took)))
        lines.append("%s   %-*s  %s" % (PREFIX, width, "total", duration(total)))
        return lines
