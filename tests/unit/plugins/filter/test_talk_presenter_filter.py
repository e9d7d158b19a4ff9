# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters of presenter mode: thin wrappers over module_utils/talk_presenter.py."""
import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.indydevops.k8s_talk.plugins.filter.talk_presenter import FilterModule

FILTERS = FilterModule().filters()


def test_presenter_output_reads_a_registered_loop_of_ansible_builtin_command():
    results = [
        {"item": "kubectl get nodes", "rc": 0, "stdout": "NAME\nnode-1", "stderr": ""},
        {"item": "kubectl top pods", "rc": 1, "stdout": "", "stderr": "", "msg": "non-zero return code"},
    ]
    assert FILTERS["presenter_output"](results, "40").splitlines() == [
        "$ kubectl get nodes", "NAME", "node-1", "", "$ kubectl top pods", "non-zero return code", "(exit code 1)"]


def test_presenter_argv_and_tools_from_the_stage():
    stage = {"name": "inspect",
             "commands": [{"cmd": "kubectl get nodes", "show": True}, {"cmd": "kubectl describe node <X>"}]}
    shown = FILTERS["presenter_show"](FILTERS["presenter_stage"]([stage], "inspect"))
    assert shown == ["kubectl get nodes"]
    assert FILTERS["presenter_tools"](shown, {"kubernetes": {"binaries": ["kubectl"]}}) == ["kubernetes"]
    assert FILTERS["presenter_argv"](shown[0], {"kubectl": "/k"}, context="") == ["/k", "get", "nodes"]
    assert FILTERS["presenter_prompt"](stage).endswith("press Enter to run inspect")


@pytest.mark.parametrize("name, args", [
    ("presenter_stage", ([], "hello")),
    ("presenter_argv", ("kubectl delete ns x", {"kubectl": "/k"})),
    ("presenter_output", ([], -1)),
    ("presenter_show", ({"name": "x", "commands": "kubectl get nodes"},)),
])
def test_presenter_errors_are_filter_errors(name, args):
    with pytest.raises(AnsibleFilterError, match="presenter"):
        FILTERS[name](*args)
