# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of presenter mode (roles/k8s_talk/tasks/presenter.yml); the logic lives in module_utils/talk_presenter.py.

- stages | presenter_stage(name)              -> the stage's entry of k8s_talk_stages
- stage | presenter_prompt                    -> the narration and the typed commands, one text
- stage | presenter_show                      -> the read-only commands run after the stage
- commands | presenter_tools(tool_versions)   -> the pinned tools they run (names for indydevops.k8s_talk.tools)
- command | presenter_argv(binaries, context) -> the argv that runs it with the pinned binary
- results | presenter_output(max_lines)       -> what the commands printed, one text
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import PresenterError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import argv
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import output
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import prompt
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import show_commands
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import stage_entry
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import tools_for


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except PresenterError as exc:
        raise AnsibleFilterError(str(exc)) from exc


def presenter_stage(stages, name):
    return _call(stage_entry, list(stages or []), name)


def presenter_prompt(stage):
    return _call(prompt, stage)


def presenter_show(stage):
    return _call(show_commands, stage)


def presenter_tools(commands, tool_versions):
    return _call(tools_for, list(commands or []), dict(tool_versions or {}))


def presenter_argv(command, binaries, context=None):
    return _call(argv, command, dict(binaries or {}), context=context or None)


def presenter_output(results, max_lines=40):
    # Registered loop results of ansible.builtin.command: the command is the loop item.
    plain = [{"command": r.get("item"), "rc": r.get("rc"), "stdout": r.get("stdout"),
              "stderr": r.get("stderr") or r.get("msg")} for r in results or []]
    return _call(output, plain, max_lines)


class FilterModule(object):
    def filters(self):
        return {
            "presenter_stage": presenter_stage,
            "presenter_prompt": presenter_prompt,
            "presenter_show": presenter_show,
            "presenter_tools": presenter_tools,
            "presenter_argv": presenter_argv,
            "presenter_output": presenter_output,
        }
