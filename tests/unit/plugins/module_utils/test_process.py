# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pid-file process manager behind the rehearsal stack, with real processes."""

import os
import socket
import subprocess
import sys

import pytest

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import process


def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def server(tmp_path):
    port = free_port()
    argv = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
    paths = {"pid_file": str(tmp_path / "srv.pid"), "log_file": str(tmp_path / "srv.log")}
    yield argv, port, paths
    process.stop(argv, paths["pid_file"])


def test_start_then_start_again_changes_nothing(server):
    argv, port, paths = server
    changed, result = process.start(argv, paths["pid_file"], paths["log_file"], "127.0.0.1", port)
    assert changed and result["action"] == "start" and result["healthy"]
    changed, result = process.start(argv, paths["pid_file"], paths["log_file"], "127.0.0.1", port)
    assert not changed and result["action"] == "none"


def test_check_mode_predicts_start_and_starts_nothing(server):
    argv, port, paths = server
    changed, result = process.start(
        argv, paths["pid_file"], paths["log_file"], "127.0.0.1", port, check_mode=True)
    assert changed and result["action"] == "start"
    assert not os.path.exists(paths["pid_file"])
    assert not process.port_open("127.0.0.1", port)


def test_dead_process_is_restarted(server):
    argv, port, paths = server
    process.start(argv, paths["pid_file"], paths["log_file"], "127.0.0.1", port)
    old = process.read_pid(paths["pid_file"])
    os.kill(old, 9)
    os.waitpid(old, 0)
    changed, result = process.start(argv, paths["pid_file"], paths["log_file"], "127.0.0.1", port)
    assert changed and result["pid"] != old and result["healthy"]


def test_a_process_started_with_other_arguments_is_stopped_by_the_start_of_its_command(server):
    argv, port, paths = server
    process.start(argv, paths["pid_file"], paths["log_file"], "127.0.0.1", port)
    pid = process.read_pid(paths["pid_file"])
    assert not process.is_ours(pid, [sys.executable, "-m", "json.tool"])
    changed, result = process.stop(argv[:3], paths["pid_file"])
    assert changed and result["action"] == "stop" and result["pid"] == pid
    assert not process.is_ours(pid, argv) and not os.path.exists(paths["pid_file"])


def test_stale_pid_file_is_not_trusted(server, tmp_path):
    argv, port, paths = server
    # A pid that is alive but runs something else (this test process).
    with open(paths["pid_file"], "w") as handle:
        handle.write("%d\n" % os.getpid())
    state = process.status(argv, paths["pid_file"], "127.0.0.1", port)
    assert state["stale_pid_file"] and not state["running"]
    changed, result = process.stop(argv, paths["pid_file"])
    assert changed and result["action"] == "remove stale pid file"
    assert not os.path.exists(paths["pid_file"])  # and this process was not signalled


def test_port_held_by_a_stranger_is_a_clear_error(server):
    argv, port, paths = server
    stranger = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert process.wait_for_port("127.0.0.1", port, 10, lambda: stranger.poll() is None)
        with pytest.raises(process.ProcessError, match="already in use.*did not start"):
            process.start(argv, paths["pid_file"], paths["log_file"], "127.0.0.1", port)
        assert not os.path.exists(paths["pid_file"])
    finally:
        stranger.kill()
        stranger.wait()


def test_a_command_that_never_listens_fails_and_leaves_nothing(tmp_path):
    argv = [sys.executable, "-c", "import sys; sys.exit(3)"]
    pid_file = str(tmp_path / "x.pid")
    with pytest.raises(process.ProcessError, match="did not listen.*exit code 3"):
        process.start(argv, pid_file, str(tmp_path / "x.log"), "127.0.0.1", free_port(), timeout=5)
    assert not os.path.exists(pid_file)


def test_stop_without_pid_file_changes_nothing(tmp_path):
    assert process.stop(["x"], str(tmp_path / "none.pid")) == (False, {"pid": None, "action": "none"})


@pytest.mark.parametrize(
    "files, expected",
    [
        ({}, []),
        ({"etcd.pid": "{self}"}, [{"name": "etcd", "running": False}]),  # reused pid, other binary
        ({"python3.pid": "garbage"}, [{"name": "python3", "running": False}]),
        ({"kube-apiserver.pid": "999999999"}, [{"name": "kube-apiserver", "running": False}]),
    ],
)
def test_pid_dir_status(tmp_path, files, expected):
    for name, content in files.items():
        (tmp_path / name).write_text(content.replace("{self}", str(os.getpid())))
    got = [{"name": p["name"], "running": p["running"]} for p in process.pid_dir_status(str(tmp_path))]
    assert got == expected


def test_pid_dir_status_sees_a_live_component(tmp_path):
    # Name the pid file after the binary this test process runs.
    exe = os.path.basename(process.cmdline_of(os.getpid())[0])
    (tmp_path / (exe + ".pid")).write_text(str(os.getpid()))
    assert process.pid_dir_status(str(tmp_path)) == [{"name": exe, "pid": os.getpid(), "running": True}]
    assert process.pid_dir_status(str(tmp_path / "missing")) == []
