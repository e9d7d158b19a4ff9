# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The callback inside a real ansible-playbook run: a role named as one of the talk's
(the stage list is the collection's own) whose task outlasts a one-second heartbeat."""


def progress(run_playbook, tmp_path, heartbeat):
    return run_playbook("indydevops.k8s_talk.talk_progress",
                        env={"ANSIBLE_ROLES_PATH": str(tmp_path / "roles"), "K8S_TALK_PROGRESS_HEARTBEAT": heartbeat})


def play(run_playbook, tmp_path, heartbeat):
    for role, seconds in (("aws_prereqs", 0), ("demo_hello", 3)):
        tasks = tmp_path / "roles" / role / "tasks"
        tasks.mkdir(parents=True)
        (tasks / "main.yml").write_text(
            "- name: %s | Wait\n  ansible.builtin.command: sleep %d\n  changed_when: false\n" % (role, seconds))
    (tmp_path / "play.yml").write_text(
        "- name: Two stages\n  hosts: localhost\n  gather_facts: false\n"
        "  roles: [aws_prereqs, demo_hello]\n")
    return progress(run_playbook, tmp_path, heartbeat)


def test_stages_their_times_and_the_heartbeat_of_a_long_task(run_playbook, tmp_path):
    result = play(run_playbook, tmp_path, "1")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("[talk]")]
    assert lines[0].endswith(" prereqs started"), lines
    assert any(line.endswith(" prereqs done in 0 s") or line.endswith(" prereqs done in 1 s") for line in lines), lines
    assert any(line.endswith(" hello started") for line in lines), lines
    assert any(line.startswith("[talk] hello: still on 'demo_hello | Wait' after ") for line in lines), lines
    assert "[talk] time per stage:" in lines
    assert lines[-1].startswith("[talk]   total "), lines


def test_a_heartbeat_that_is_not_a_number_is_named_with_its_fix_and_no_progress_is_printed(run_playbook, tmp_path):
    # Ansible turns a callback that refuses its options into a warning and runs on without it:
    # the progress lines are the presenter's, never a reason to stop the talk.
    result = play(run_playbook, tmp_path, "soon")
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "K8S_TALK_PROGRESS_HEARTBEAT='soon' is not a whole number of seconds: set it to 0" in output, output
    assert "[talk]" not in result.stdout, output


def test_presenter_modes_pause_counts_in_the_stage_it_names_and_has_no_heartbeat(run_playbook, tmp_path):
    # As playbooks/*.yml include roles/k8s_talk/tasks/presenter.yml: a role outside every stage,
    # before the stage's roles, naming the stage; its pause (3 s here, Enter on stage) is no wait to report.
    for role, body in (("aws_prereqs", "- name: aws_prereqs | Go\n  ansible.builtin.command: 'true'\n"
                                       "  changed_when: false\n"),
                       ("demo_hello", "- name: demo_hello | Go\n  ansible.builtin.command: 'true'\n"
                                      "  changed_when: false\n"),
                       ("talkshow", "- name: Presenter | Wait\n  ansible.builtin.pause:\n    seconds: 3\n")):
        tasks = tmp_path / "roles" / role / "tasks"
        tasks.mkdir(parents=True)
        (tasks / "main.yml").write_text(body)
    (tmp_path / "play.yml").write_text(
        "- name: Before\n  hosts: localhost\n  gather_facts: false\n  roles: [aws_prereqs]\n"
        "- name: Hello\n  hosts: localhost\n  gather_facts: false\n  pre_tasks:\n"
        "    - name: Presenter before hello\n      ansible.builtin.include_role:\n        name: talkshow\n"
        "      vars: {k8s_talk_presenter_stage: hello}\n  roles: [demo_hello]\n")
    result = progress(run_playbook, tmp_path, "1")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.index(" hello started") < out.index("TASK [talkshow : Presenter | Wait]"), out
    assert "still on 'Presenter | Wait'" not in out, out
