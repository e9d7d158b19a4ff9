# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Presenter mode: what to say before a stage, what to run and print after it.

Pure logic behind the filters of plugins/filter/talk_presenter.py, which
roles/k8s_talk/tasks/presenter.yml uses. A stage (an entry of
``k8s_talk_stages``, roles/k8s_talk/defaults/main/stages.yml) carries:

    narration: one line of the talk
    commands:
      - {cmd: "kubectl create deployment hello-minikube ..."}        # typed, shown before
      - {cmd: "kubectl -n demo-hello get deployment,service", show: true}  # also run after

Commands marked ``show`` are run for real after the stage, without a shell:
only commands that read (``get``, ``describe``, ``logs``, ...) and never one
that prints a Secret's data. No Ansible here; plain values in, plain values out.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import shlex

PREFIX = "[presenter]"

# Per tool: the sub-commands that only read, and the ones refused even so.
READ_ONLY = {
    "kubectl": {"get", "describe", "top", "logs", "events", "explain", "api-resources",
                "api-versions", "cluster-info", "version", "auth can-i", "auth whoami",
                "rollout status", "rollout history"},
    "kops": {"get", "validate", "version"},
    "helm": {"list", "ls", "status", "history", "version"},
}
# What reads but may print secret material: never run to be shown.
REFUSED = {
    "kops": {"get secrets", "get secret", "get sshpublickey", "get sshpublickeys"},
    "helm": {"get values", "get all", "get manifest"},
}
# Flags that take their value as the next word (so it is not the sub-command).
VALUE_FLAGS = {"-n", "--namespace", "--context", "--kube-context", "--kubeconfig", "-l", "--selector",
               "-o", "--output", "--as", "--name", "--state", "-f", "--filename"}
# The output formats that never print an object's data.
SAFE_OUTPUTS = {"wide", "name"}
# Characters that would need a shell: a shown command runs without one.
SHELL_CHARACTERS = set("|;&$`<>(){}*?\\")


class PresenterError(Exception):
    """A stage or a command presenter mode cannot use (names the stage or command and the fix)."""


def stage_entry(stages, name):
    """The entry of the stage called name in the talk's stages."""
    for stage in stages or []:
        if stage.get("name") == name:
            return stage
    raise PresenterError("presenter: no stage %r in k8s_talk_stages (stages: %s); fix: pass "
                         "k8s_talk_presenter_stage as one of them" % (
                             name, ", ".join(str(s.get("name")) for s in stages or [])))


def _commands(stage):
    commands = stage.get("commands") or []
    if not isinstance(commands, list):
        raise PresenterError("presenter: stage %s: commands must be a list of {cmd, show}" % stage.get("name"))
    result = []
    for command in commands:
        if not isinstance(command, dict) or not isinstance(command.get("cmd"), str) or not command["cmd"].strip():
            raise PresenterError("presenter: stage %s: %r is not {cmd: <command>, show: <bool>}" % (
                stage.get("name"), command))
        result.append(command)
    return result


def typed_commands(stage):
    """Every command of the stage, as the audience would type it."""
    return [command["cmd"].strip() for command in _commands(stage)]


def show_commands(stage):
    """The stage's commands run for real after it (those marked show)."""
    return [command["cmd"].strip() for command in _commands(stage) if _truthy(command.get("show"))]


def _truthy(value):
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


def prompt(stage):
    """The lines presenter mode prints before the stage, the last one asking for Enter."""
    name = stage.get("name")
    narration = " ".join(str(stage.get("narration") or "").split())
    lines = ["%s %s: %s" % (PREFIX, name, narration) if narration else "%s %s" % (PREFIX, name)]
    commands = typed_commands(stage)
    if commands:
        lines.append("%s the audience would type:" % PREFIX)
        lines.extend("    $ %s" % command for command in commands)
    lines.append("%s press Enter to run %s" % (PREFIX, name))
    return "\n".join(lines)


def _sub_command(words):
    """The words after the tool that name what it does (flags and their values skipped)."""
    found, skip = [], False
    for word in words[1:]:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in VALUE_FLAGS
            continue
        found.append(word)
    return found


def _output_format(words):
    for index, word in enumerate(words):
        if word in ("-o", "--output") and index + 1 < len(words):
            return words[index + 1]
        for flag in ("-o=", "--output="):
            if word.startswith(flag):
                return word[len(flag):]
        if word.startswith("-o") and len(word) > 2 and not word.startswith("--"):
            return word[2:]
    return None


def check_read_only(command):
    """The command's words, or PresenterError when it changes anything or could print a secret."""
    if not isinstance(command, str) or not command.strip():
        raise PresenterError("presenter: %r is not a command" % (command,))
    shell = sorted(SHELL_CHARACTERS & set(command))
    if shell:
        raise PresenterError("presenter: %r needs a shell (%s); fix: show a plain command, or leave "
                             "show off for it" % (command, " ".join(shell)))
    words = shlex.split(command)
    tool = words[0]
    if tool not in READ_ONLY:
        raise PresenterError("presenter: %r runs %s; fix: show only %s commands" % (
            command, tool, ", ".join(sorted(READ_ONLY))))
    sub = _sub_command(words)
    one, two = " ".join(sub[:1]), " ".join(sub[:2])
    if two in REFUSED.get(tool, ()) or one in REFUSED.get(tool, ()):
        raise PresenterError("presenter: %r may print secrets; fix: leave show off for it" % command)
    if one not in READ_ONLY[tool] and two not in READ_ONLY[tool]:
        raise PresenterError("presenter: %r does not only read (%s %s); fix: leave show off for it "
                             "(read-only: %s)" % (command, tool, one, ", ".join(sorted(READ_ONLY[tool]))))
    if tool == "kubectl" and any("secret" in word.lower() for word in sub[1:]):
        output = _output_format(words)
        if one != "describe" and output is not None and output not in SAFE_OUTPUTS:
            raise PresenterError("presenter: %r would print a Secret's data (-o %s); fix: describe it, "
                                 "or get it without -o" % (command, output))
    return words


def tools_for(commands, tool_versions):
    """The names of the pinned tools (keys of k8s_talk_tool_versions) whose binaries the commands run."""
    needed = []
    for command in commands or []:
        binary = check_read_only(command)[0]
        owner = next((name for name, pin in sorted((tool_versions or {}).items())
                      if binary in (pin.get("binaries") or [])), None)
        if owner is None:
            raise PresenterError("presenter: no pinned tool ships %s (k8s_talk_tool_versions)" % binary)
        if owner not in needed:
            needed.append(owner)
    return needed


def argv(command, binaries, context=None):
    """The argv that runs command with the pinned binary; context: the kubeconfig context, if any."""
    words = check_read_only(command)
    tool = words[0]
    path = (binaries or {}).get(tool)
    if not path:
        raise PresenterError("presenter: no path for %s among the installed binaries (%s)" % (
            tool, ", ".join(sorted(binaries or {}))))
    extra = []
    if context and tool == "kubectl":
        extra = ["--context=%s" % context]
    elif context and tool == "helm":
        extra = ["--kube-context=%s" % context]
    return [path] + extra + words[1:]


def output(results, max_lines=40):
    """What the shown commands printed, as one block of text.

    results: [{command, rc, stdout, stderr}]; each command's output is cut to
    its first max_lines lines (0: no limit), tabs expanded and trailing blanks
    dropped, so a table stays a table in Ansible's output.
    """
    try:
        limit = int(max_lines)
    except (TypeError, ValueError):
        limit = -1
    if limit < 0:
        raise PresenterError("presenter: k8s_talk_presenter_max_lines is %r: it must be a whole number "
                             "(0: no limit)" % (max_lines,))
    lines = []
    for result in results or []:
        lines.append("$ %s" % result.get("command"))
        text = result.get("stdout") or ""
        rc = result.get("rc")
        if rc not in (0, None):
            text = "\n".join(part for part in (text, result.get("stderr") or "") if part)
        body = [line.expandtabs(8).rstrip() for line in text.splitlines()]
        if limit and len(body) > limit:
            body = body[:limit] + ["... (%d more lines)" % (len(body) - limit)]
        lines.extend(body or ["(no output)"])
        if rc not in (0, None):
            lines.append("(exit code %s)" % rc)
        lines.append("")
    return "\n".join(lines).rstrip("\n")
