# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Presenter mode's logic, and its data: the narration and commands of k8s_talk_stages,
and the stage plays of playbooks/*.yml that include it before and after each stage."""
import glob
import os
import re

import pytest
import yaml
from jinja2 import Environment
from jinja2 import StrictUndefined

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import PresenterError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import argv
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import check_read_only
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import output
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import prompt
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import show_commands
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import stage_entry
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import tools_for
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_presenter import typed_commands

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def load(*path):
    with open(os.path.join(ROOT, *path)) as handle:
        return yaml.safe_load(handle)


STAGES = load("roles", "k8s_talk", "defaults", "main", "stages.yml")["k8s_talk_stages"]
TOOLS = load("roles", "k8s_talk", "defaults", "main", "tools.yml")["k8s_talk_tool_versions"]
BINARIES = {"kubectl": "/cache/kubernetes/bin/kubectl", "kops": "/cache/kops/bin/kops", "helm": "/cache/helm/bin/helm"}
HELLO = {
    "name": "hello",
    "narration": "Let's get  sidetracked:\n an echo server.",
    "commands": [
        {"cmd": "kubectl create deployment hello-minikube --image=agnhost"},
        {"cmd": "kubectl -n demo-hello get deployment,service hello-minikube", "show": True},
        {"cmd": "kubectl -n demo-hello describe deployment hello-minikube", "show": "true"},
    ],
}


def presented_stages():
    """{stage: [moments]} of every presenter include in playbooks/*.yml."""
    found = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "playbooks", "*.yml"))):
        for play in load(path) or []:
            for section in ("pre_tasks", "post_tasks", "tasks"):
                for task in play.get(section) or []:
                    include = task.get("ansible.builtin.include_role") or {}
                    if include.get("tasks_from") == "presenter":  # its entry point in meta/argument_specs.yml
                        found.setdefault(task["vars"]["k8s_talk_presenter_stage"], []).append(
                            (os.path.basename(path), section, task["vars"]["k8s_talk_presenter_moment"], task["when"]))
    return found


def role_variables():
    """Every role's defaults and vars, as presenter mode's templates see them in a stage's play."""
    values = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "roles", "*", "defaults", "main.yml"))
                       + glob.glob(os.path.join(ROOT, "roles", "*", "defaults", "main", "*.yml"))
                       + glob.glob(os.path.join(ROOT, "roles", "*", "vars", "main.yml"))):
        values.update(load(path) or {})
    return values


def render(text, values):
    """A template of the stages, rendered as Ansible would: through the defaults it names."""
    env = Environment(undefined=StrictUndefined)
    for _attempt in range(10):
        if "{{" not in text:
            break
        text = env.from_string(text).render(values)
    return text


def test_prompt_says_the_narration_on_one_line_the_typed_commands_and_asks_for_enter():
    assert prompt(HELLO).splitlines() == [
        "[presenter] hello: Let's get sidetracked: an echo server.",
        "[presenter] the audience would type:",
        "    $ kubectl create deployment hello-minikube --image=agnhost",
        "    $ kubectl -n demo-hello get deployment,service hello-minikube",
        "    $ kubectl -n demo-hello describe deployment hello-minikube",
        "[presenter] press Enter to run hello",
    ]


def test_a_stage_without_presenter_data_still_pauses_with_its_name():
    assert prompt({"name": "stack"}) == "[presenter] stack\n[presenter] press Enter to run stack"
    assert show_commands({"name": "stack"}) == [] and typed_commands({"name": "stack"}) == []


def test_show_commands_are_the_ones_marked_show():
    assert show_commands(HELLO) == HELLO_SHOWN


HELLO_SHOWN = ["kubectl -n demo-hello get deployment,service hello-minikube",
               "kubectl -n demo-hello describe deployment hello-minikube"]


@pytest.mark.parametrize("commands", ["kubectl get nodes", ["kubectl get nodes"], [{"show": True}], [{"cmd": " "}]])
def test_commands_that_are_not_a_list_of_cmd_entries_are_refused(commands):
    with pytest.raises(PresenterError, match="stage x"):
        show_commands({"name": "x", "commands": commands})


def test_stage_entry_finds_the_stage_or_names_the_known_ones():
    assert stage_entry(STAGES, "hello")["roles"] == ["demo_hello"]
    with pytest.raises(PresenterError, match="no stage 'helo'.*hello"):
        stage_entry(STAGES, "helo")


@pytest.mark.parametrize("command", [
    "kubectl get nodes -o wide",
    "kubectl -n kube-system get pods",
    "kubectl --namespace=demo describe deployment redis-leader",
    "kubectl -n demo describe secret tls-demo",
    "kubectl get secrets -n demo",
    "kubectl -n demo get secret tls-demo -o name",
    "kubectl auth can-i create deployments -n dev --as alice",
    "kubectl -n demo top pods",
    "kubectl -n apply get pods",  # -n takes its value: the namespace is no sub-command
    "kubectl -n demo rollout status deployment/frontend",
    "kops get cluster --name k8s.indydevops.example",
    "kops get instancegroups --name k8s.indydevops.example",
    "kops validate cluster --name k8s.indydevops.example",
    "helm history guestbook -n demo-helm",
    "helm -n demo-helm list",
])
def test_commands_that_only_read_may_be_shown(command):
    assert check_read_only(command)[0] in ("kubectl", "kops", "helm")


@pytest.mark.parametrize("command, reason", [
    ("kubectl apply -f addons/", "does not only read"),
    ("kubectl -n demo delete pod x", "does not only read"),
    ("kubectl exec tls-demo -- ls /etc/tls", "does not only read"),
    ("kubectl auth reconcile -f rbac.yml", "does not only read"),
    ("kubectl rollout undo deployment/frontend", "does not only read"),
    ("kops update cluster --name k8s.indydevops.example --yes", "does not only read"),
    ("kops get secrets", "may print secrets"),
    ("helm upgrade guestbook ./guestbook", "does not only read"),
    ("helm get values guestbook", "may print secrets"),
    ("kubectl -n demo get secret tls-demo -o yaml", "a Secret's data"),
    ("kubectl -n demo get secrets -ojson", "a Secret's data"),
    ("kubectl get secret tls-demo --output=jsonpath={.data}", "needs a shell"),
    ("kubectl get secret tls-demo --output=go-template", "a Secret's data"),
    ("kubectl describe node <X>", "needs a shell"),
    ("kubectl logs $pods", "needs a shell"),
    ("kubectl get pods | grep x", "needs a shell"),
    ("aws s3 ls", "runs aws"),
    ("./2048.sh", "runs ./2048.sh"),
    ("", "is not a command"),
])
def test_commands_that_change_anything_or_could_print_a_secret_are_refused(command, reason):
    with pytest.raises(PresenterError, match=re.escape(reason)):
        check_read_only(command)


def test_tools_for_names_the_pinned_tools_that_ship_the_binaries_once_each():
    commands = ["kubectl get nodes", "kops get cluster --name c", "kubectl get pods", "helm list"]
    assert tools_for(commands, TOOLS) == ["kubernetes", "kops", "helm"]
    assert tools_for([], TOOLS) == []
    with pytest.raises(PresenterError, match="no pinned tool ships kubectl"):
        tools_for(["kubectl get nodes"], {"kops": TOOLS["kops"]})


@pytest.mark.parametrize("command, context, expected", [
    ("kubectl get nodes -o wide", None, ["/cache/kubernetes/bin/kubectl", "get", "nodes", "-o", "wide"]),
    ("kubectl get nodes", "kind-kind", ["/cache/kubernetes/bin/kubectl", "--context=kind-kind", "get", "nodes"]),
    ("helm list -n x", "kind-kind", ["/cache/helm/bin/helm", "--kube-context=kind-kind", "list", "-n", "x"]),
    ("kops get cluster --name 'k8s.a.b'", "kind-kind", ["/cache/kops/bin/kops", "get", "cluster", "--name", "k8s.a.b"]),
])
def test_argv_runs_the_pinned_binary_with_the_context(command, context, expected):
    assert argv(command, BINARIES, context=context) == expected


def test_argv_needs_the_binary_and_refuses_what_does_not_only_read():
    with pytest.raises(PresenterError, match="no path for helm"):
        argv("helm list", {"kubectl": "/k"})
    with pytest.raises(PresenterError, match="does not only read"):
        argv("kubectl delete ns demo", BINARIES)


def test_output_prints_each_command_and_its_lines_tabs_expanded_trailing_blanks_dropped():
    text = output([
        {"command": "kubectl get nodes", "rc": 0, "stdout": "NAME\tSTATUS  \nnode-1\tReady"},
        {"command": "kubectl top pods", "rc": 1, "stdout": "", "stderr": "error: Metrics API not available"},
        {"command": "kubectl get jobs", "rc": 0, "stdout": ""},
    ])
    assert text.splitlines() == [
        "$ kubectl get nodes", "NAME    STATUS", "node-1  Ready", "",
        "$ kubectl top pods", "error: Metrics API not available", "(exit code 1)", "",
        "$ kubectl get jobs", "(no output)",
    ]


@pytest.mark.parametrize("limit, shown", [(2, ["a", "b", "... (2 more lines)"]), ("0", ["a", "b", "c", "d"]),
                                          (4, ["a", "b", "c", "d"])])
def test_output_cuts_long_output_to_max_lines(limit, shown):
    text = output([{"command": "kubectl get pods", "rc": 0, "stdout": "a\nb\nc\nd"}], max_lines=limit)
    assert text.splitlines()[1:] == shown


@pytest.mark.parametrize("limit", [-1, "many", None])
def test_a_bad_max_lines_names_its_variable(limit):
    with pytest.raises(PresenterError, match="k8s_talk_presenter_max_lines"):
        output([], max_lines=limit)


# --- The data: k8s_talk_stages and the playbooks.

def test_every_stage_of_the_talk_is_presented_before_and_after_by_its_own_play():
    talk = [stage["name"] for stage in STAGES if "always" not in stage["tags"]]
    found = presented_stages()
    assert sorted(found) == sorted(talk)
    for name, hooks in found.items():
        assert [(section, moment) for dummy, section, moment, dummy in hooks] == [
            ("pre_tasks", "before"), ("post_tasks", "after")], name
        assert all(when.startswith("k8s_talk_presenter | bool") for dummy, dummy, dummy, when in hooks), name


def test_every_presented_stage_has_a_narration_line_and_commands():
    for stage in STAGES:
        if stage["name"] in presented_stages():
            assert isinstance(stage.get("narration"), str) and stage["narration"].strip(), stage["name"]
            assert "\n" not in stage["narration"].strip(), stage["name"]
            # Plain text: the preflight's play reads the entries (without the commands) where no stage role is loaded.
            assert "{{" not in stage["narration"] and "{%" not in stage["narration"], stage["name"]
            assert typed_commands(stage), stage["name"]


def test_the_stages_commands_render_with_the_roles_variables_and_the_shown_ones_only_read():
    values = role_variables()
    for stage in STAGES:
        rendered = dict(stage, narration=render(stage.get("narration") or "", values))
        rendered["commands"] = [dict(c, cmd=render(c["cmd"], values)) for c in stage.get("commands") or []]
        for command in show_commands(rendered):
            check_read_only(command)
        assert "{{" not in prompt(rendered), stage["name"]
        tools_for(show_commands(rendered), TOOLS)


def test_the_shown_commands_name_the_demos_and_the_cluster_from_their_role_variables():
    values = role_variables()
    guestbook = [render(c, values) for c in show_commands(stage_entry(STAGES, "guestbook"))]
    assert "kubectl -n demo-guestbook describe deployment redis-leader" in guestbook
    cluster = [render(c, values) for c in show_commands(stage_entry(STAGES, "cluster"))]
    assert "kops get cluster --name k8s.indydevops.example" in cluster
    assert "kubectl get nodes -o wide" in show_commands(stage_entry(STAGES, "inspect"))
