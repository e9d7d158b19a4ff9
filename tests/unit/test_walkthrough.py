# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's walkthrough (run by tests/walkthrough/run.py) holds together with the code:
every stage of k8s_talk_stages is in it by its tag, every tag it names exists, the kubectl it
calls is the pinned one, and it ends with the teardown."""

import importlib.util
import os
import shlex

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
spec = importlib.util.spec_from_file_location("walkthrough", os.path.join(ROOT, "tests", "walkthrough", "run.py"))
walkthrough = importlib.util.module_from_spec(spec)
spec.loader.exec_module(walkthrough)

with open(os.path.join(ROOT, "README.md")) as _handle:
    SETUP, *STEPS = walkthrough.walkthrough_blocks(_handle.read())
with open(os.path.join(ROOT, "roles", "k8s_talk", "defaults", "main", "stages.yml")) as _handle:
    STAGES = yaml.safe_load(_handle)["k8s_talk_stages"]
with open(os.path.join(ROOT, "roles", "k8s_talk", "defaults", "main", "tools.yml")) as _handle:
    KUBERNETES = yaml.safe_load(_handle)["k8s_talk_tool_versions"]["kubernetes"]["version"]


def tags_named():
    named = []
    for step in STEPS:
        for line in step.splitlines():
            words = shlex.split(line)
            if words[:2] == ["ansible-playbook", "playbooks/talk.yml"] and "--tags" in words:
                named += words[words.index("--tags") + 1].split(",")
    return named


def test_every_stage_is_walked_through_in_the_talks_order():
    own = [stage["name"] for stage in STAGES if stage["name"] in stage["tags"] and "always" not in stage["tags"]]
    assert tags_named() == own


def test_every_tag_it_names_exists():
    known = {tag for stage in STAGES for tag in stage["tags"]}
    assert set(tags_named()) <= known


def test_its_kubectl_is_the_pinned_one():
    assert "/kubernetes-%s/bin/kubectl" % KUBERNETES in SETUP


def test_it_ends_with_the_teardown():
    assert STEPS[-1].splitlines()[-1] == "ansible-playbook playbooks/teardown.yml"


@pytest.mark.parametrize("text, says", [
    ("# x\n", "no section"),
    ("## Walkthrough\n```sh\nsetup\n```\n## Next\n```sh\nnot this\n```\n", "at least one step"),
])
def test_a_readme_without_a_walkthrough_is_refused(text, says):
    with pytest.raises(ValueError, match=says):
        walkthrough.walkthrough_blocks(text)


def test_blocks_stop_at_the_next_section():
    text = "## Walkthrough\n```sh\nsetup\n```\n```sh\none\n```\n## Next\n```sh\nnot this\n```\n"
    assert walkthrough.walkthrough_blocks(text) == ["setup", "one"]
