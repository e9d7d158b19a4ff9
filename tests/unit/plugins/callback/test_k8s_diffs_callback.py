# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The k8s_diffs callback inside a real ansible-playbook run. The boundary faked is the
cluster: a play-local module named k8s returns what kubernetes.core.k8s returns for a
manifest set of two objects, one changed."""

MODULE = '''#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
ns = lambda name, label: {"kind": "Namespace", "metadata": {"name": name, "labels": {"team": label}}}
module = AnsibleModule(argument_spec={}, supports_check_mode=True)
module.exit_json(changed=True, result={"results": [
    {"changed": True, "result": ns("dev", "new"), "diff": {"before": ns("dev", "old"), "after": ns("dev", "new")}},
    {"changed": False, "result": ns("qa", "same"), "diff": {"before": ns("qa", "same"), "after": ns("qa", "same")}},
]})
'''


def run(run_playbook, tmp_path, *flags):
    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "k8s.py").write_text(MODULE)
    (tmp_path / "play.yml").write_text(
        "- name: A manifest set\n  hosts: localhost\n  gather_facts: false\n"
        "  tasks:\n    - name: Apply two namespaces\n      k8s: {}\n")
    return run_playbook("indydevops.k8s_talk.k8s_diffs", env={"ANSIBLE_LIBRARY": str(tmp_path / "library")},
                        args=flags)


def test_with_diff_the_changed_object_of_a_manifest_set_is_shown_by_name(run_playbook, tmp_path):
    result = run(run_playbook, tmp_path, "--diff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "--- before: Namespace dev" in result.stdout, result.stdout
    assert "+++ after: Namespace dev" in result.stdout, result.stdout
    assert '-            "team": "old"' in result.stdout, result.stdout
    assert "Namespace qa" not in result.stdout, result.stdout


def test_without_diff_nothing_is_added(run_playbook, tmp_path):
    result = run(run_playbook, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "before: Namespace" not in result.stdout, result.stdout
