# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rehearsal stack's stamp: what a converged stack recorded, and each way a running one differs."""

import os
import subprocess
import sys

import pytest

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import stack_stamp
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.process import read_pid

SPEC = {"ports": [{"host": "127.0.0.1", "port": 5055}], "nodes": ["rehearsal-node-1"],
        "deployments": ["kube-system/coredns"], "files": []}


def stamp(**changes):
    spec = dict(SPEC, **changes)
    return stack_stamp.build("in", "code", {}, {}, spec)


def test_digest_inputs_ignores_key_order():
    assert stack_stamp.digest_inputs({"a": 1, "b": [1, 2]}) == stack_stamp.digest_inputs({"b": [1, 2], "a": 1})
    assert stack_stamp.digest_inputs({"a": 1}) != stack_stamp.digest_inputs({"a": 2})


def test_digest_tree_follows_content_and_names_not_caches(tmp_path):
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "main.yml").write_text("a")
    before = stack_stamp.digest_tree([str(tmp_path)])
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_text("cache")
    assert stack_stamp.digest_tree([str(tmp_path)]) == before
    (tmp_path / "tasks" / "main.yml").write_text("b")
    assert stack_stamp.digest_tree([str(tmp_path)]) != before
    (tmp_path / "tasks" / "main.yml").write_text("a")
    (tmp_path / "tasks" / "main.yml").rename(tmp_path / "tasks" / "other.yml")
    assert stack_stamp.digest_tree([str(tmp_path)]) != before


def test_file_identity_small_by_content_large_by_size(tmp_path, monkeypatch):
    small = tmp_path / "small"
    small.write_text("x")
    assert stack_stamp.file_identity(str(small)).startswith("sha256=")
    monkeypatch.setattr(stack_stamp, "HASH_LIMIT", 0)
    assert stack_stamp.file_identity(str(small)).startswith("size=1,mtime=")
    assert stack_stamp.file_identity(str(tmp_path / "missing")) is None


def test_start_time_reads_field_22_past_a_command_with_spaces():
    text = "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10"
    assert stack_stamp.start_time(text) == "987654"


def test_pid_files_in_lists_the_named_files_and_each_directory(tmp_path):
    (tmp_path / "etcd.pid").write_text("1")
    (tmp_path / "notes.txt").write_text("")
    found = stack_stamp.pid_files_in(["/x/aws.pid"], [str(tmp_path), str(tmp_path / "missing")])
    assert found == sorted(["/x/aws.pid", str(tmp_path / "etcd.pid")])


def test_a_live_process_has_an_identity_and_a_restart_changes_it(tmp_path):
    pid_file = str(tmp_path / "sleep.pid")
    first = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with open(pid_file, "w") as handle:
            handle.write(str(first.pid))
        recorded = stack_stamp.process_identities([pid_file], read_pid)
        assert recorded[pid_file]["pid"] == first.pid
        assert stack_stamp.process_reasons(recorded, stack_stamp.process_identities([pid_file], read_pid)) == []
    finally:
        first.kill()
        first.wait()
    assert stack_stamp.process_identities([pid_file], read_pid) == {}
    reasons = stack_stamp.process_reasons(recorded, {})
    assert reasons == ["%s: no live process" % pid_file]
    # The same pid file naming another process (a restart) is not the recorded one.
    other = {pid_file: {"pid": recorded[pid_file]["pid"], "start": "1"}}
    assert "another process" in stack_stamp.process_reasons(recorded, other)[0]
    assert "does not know" in stack_stamp.process_reasons({}, recorded)[0]


def test_compare_names_every_difference():
    assert stack_stamp.compare(None, "in", "code", SPEC) == ["no stamp: the stack has not converged with this version"]
    other_version = stack_stamp.compare(dict(stamp(), version=0), "in", "code", SPEC)
    assert other_version[0].startswith("the stamp is of another version")
    assert stack_stamp.compare(stamp(), "in", "code", SPEC) == []
    assert stack_stamp.compare(stamp(), "other", "code", SPEC) == [
        "the inputs changed (a rehearsal_stack_* variable or one the stack reads)"]
    assert stack_stamp.compare(stamp(), "in", "new", SPEC) == ["the role or the collection's plugins changed"]
    assert stack_stamp.compare(stamp(), "in", "code", dict(SPEC, nodes=[])) == ["the nodes asked for changed"]
    assert stack_stamp.compare(stamp(), "in", "code", dict(SPEC, files=["/a"])) == ["the files asked for changed"]


def test_file_reasons():
    recorded = {"/a": "sha256=1", "/b": "sha256=2"}
    assert stack_stamp.file_reasons(recorded, {"/a": "sha256=1", "/b": None}) == ["/b: gone"]
    assert stack_stamp.file_reasons({"/a": "sha256=1"}, {"/a": "sha256=9"}) == ["/a: changed"]


def node(name, ready):
    return {"metadata": {"name": name}, "status": {"conditions": [{"type": "Ready", "status": ready}]}}


def test_node_reasons():
    nodes = {"items": [node("a", "True"), node("b", "False")]}
    assert stack_stamp.node_reasons(["a"], nodes) == []
    assert stack_stamp.node_reasons(["a", "b", "c"], nodes) == ["node b: not Ready", "node c: not Ready"]


def deployment(generation, replicas, observed, available, updated):
    return {"metadata": {"generation": generation}, "spec": {"replicas": replicas},
            "status": {"observedGeneration": observed, "availableReplicas": available, "updatedReplicas": updated}}


@pytest.mark.parametrize("deployment, reason", [
    (None, "deployment ns/d: not found"),
    (deployment(2, 1, 1, 1, 1), "deployment ns/d: a change not yet rolled out"),
    (deployment(1, 2, 1, 1, 2), "deployment ns/d: 1 of 2 replicas available"),
])
def test_deployment_reasons(deployment, reason):
    assert stack_stamp.deployment_reasons("ns/d", deployment) == [reason]


def test_deployment_available():
    assert stack_stamp.deployment_reasons("ns/d", deployment(1, 1, 1, 1, 1)) == []


def test_kubeconfig_client_reads_the_current_context(tmp_path):
    config = {
        "current-context": "b",
        "contexts": [{"name": "a", "context": {"cluster": "x", "user": "u"}},
                     {"name": "b", "context": {"cluster": "y", "user": "v"}}],
        "clusters": [{"name": "x", "cluster": {"server": "https://x"}},
                     {"name": "y", "cluster": {"server": "https://y", "certificate-authority": "pki/ca.crt"}}],
        "users": [{"name": "v", "user": {"client-certificate-data": "Y2VydA==", "client-key": "/abs/key"}}],
    }
    client = stack_stamp.kubeconfig_client(config, str(tmp_path))
    assert client["server"] == "https://y"
    assert client["ca"] == ("file", os.path.join(str(tmp_path), "pki/ca.crt"))
    assert client["cert"] == ("data", "Y2VydA==")
    assert client["key"] == ("file", "/abs/key")
    assert client["verify"] and client["token"] is None


def test_build_records_what_to_ask_again():
    built = stack_stamp.build("in", "code", {"/p": {"pid": 1, "start": "2"}}, {"/f": None}, SPEC)
    assert built["ports"] == [["127.0.0.1", 5055]] and built["processes"] == {"/p": {"pid": 1, "start": "2"}}
    assert built["version"] == stack_stamp.STAMP_VERSION
