# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The k8s_diffs callback inside a real ansible-playbook run. The boundary faked is the
cluster: a play-local module named k8s returns what kubernetes.core.k8s returns for a
manifest set of two objects, one changed."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")

MODULE = '''#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
ns = lambda name, label: {"kind": "Namespace", "metadata": {"name": name, "labels": {"team": label}}}
module = AnsibleModule(argument_spec={}, supports_check_mode=True)
module.exit_json(changed=True, result={"results": [
    {"changed": True, "result": ns("dev", "new"), "diff": {"before": ns("dev", "old"), "after": ns("dev", "new")}},
    {"changed": False, "result": ns("qa", "same"), "diff": {"before": ns("qa", "same"), "after": ns("qa", "same")}},
]})
'''


def run(tmp_path, *flags):
    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "k8s.py").write_text(MODULE)
    (tmp_path / "play.yml").write_text(
        "- name: A manifest set\n  hosts: localhost\n  gather_facts: false\n"
        "  tasks:\n    - name: Apply two namespaces\n      k8s: {}\n")
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    env = dict(os.environ,
               ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".cache", "collections"),
               ANSIBLE_LIBRARY=str(tmp_path / "library"),
               ANSIBLE_CALLBACKS_ENABLED="indydevops.k8s_talk.k8s_diffs",
               ANSIBLE_LOCALHOST_WARNING="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    argv = [PLAYBOOK, "-i", "localhost,", "-c", "local", "-e", "ansible_python_interpreter=" + sys.executable,
            str(tmp_path / "play.yml")] + list(flags)
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(not os.path.exists(PLAYBOOK), reason="ansible-playbook is not beside this Python")
def test_with_diff_the_changed_object_of_a_manifest_set_is_shown_by_name(tmp_path):
    result = run(tmp_path, "--diff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "--- before: Namespace dev" in result.stdout, result.stdout
    assert "+++ after: Namespace dev" in result.stdout, result.stdout
    assert '-            "team": "old"' in result.stdout, result.stdout
    assert "Namespace qa" not in result.stdout, result.stdout


@pytest.mark.skipif(not os.path.exists(PLAYBOOK), reason="ansible-playbook is not beside this Python")
def test_without_diff_nothing_is_added(tmp_path):
    result = run(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "before: Namespace" not in result.stdout, result.stdout
