# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Background processes tracked by pid files (the rehearsal stack's services).

A process is ours only if its pid file names a live process whose command
line is the one we started: a stale pid file (dead or reused pid) is never
trusted, and a process we did not start is never signalled.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os
import signal
import socket
import subprocess
import time


class ProcessError(Exception):
    """A fault the user can fix; the message says how."""


def read_pid(pid_file):
    try:
        with open(pid_file) as handle:
            text = handle.read().strip()
    except (IOError, OSError) as exc:
        if exc.errno == errno.ENOENT:
            return None
        raise ProcessError("cannot read pid file %s: %s" % (pid_file, exc))
    return int(text) if text.isdigit() else None


def cmdline_of(pid, proc="/proc"):
    try:
        with open(os.path.join(proc, str(pid), "cmdline"), "rb") as handle:
            raw = handle.read()
    except (IOError, OSError):
        return None
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def is_ours(pid, argv, proc="/proc"):
    """True when pid is alive and runs argv (the command we started).

    argv may also be the start of the command line (an interpreter and a
    script of ours, whatever the arguments): stopping a process started with
    other arguments than today's.
    """
    if not pid:
        return False
    cmd = cmdline_of(pid, proc)
    if not cmd or len(cmd) < len(argv):
        return False
    # An interpreter may prefix the script: compare the tail; or the head.
    return cmd[-len(argv):] == list(argv) or cmd[:len(argv)] == list(argv)


def port_open(host, port, timeout=0.5):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        return sock.connect_ex((host, port)) == 0
    finally:
        sock.close()


def wait_for_port(host, port, timeout, is_alive):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(host, port):
            return True
        if not is_alive():
            return False
        time.sleep(0.2)
    return False


def status(argv, pid_file, host, port):
    pid = read_pid(pid_file)
    ours = is_ours(pid, argv)
    return {
        "pid": pid if ours else None,
        "running": ours,
        "healthy": ours and port_open(host, port),
        "stale_pid_file": pid is not None and not ours,
        "port_taken": (not ours) and port_open(host, port),
    }


def start(argv, pid_file, log_file, host, port, env=None, timeout=30.0, check_mode=False):
    """Ensure argv runs in the background, listening on host:port.

    Returns (changed, result). A healthy process is left alone; a dead or
    unhealthy one (ours) is restarted; a port held by something else is an
    error that names it.
    """
    before = status(argv, pid_file, host, port)
    if before["healthy"]:
        return False, dict(before, action="none")
    if before["port_taken"]:
        raise ProcessError(
            "port %s:%s is already in use by a process this stack did not start "
            "(pid file %s). Stop that process or choose another port." % (host, port, pid_file))
    if check_mode:
        return True, dict(before, action="restart" if before["running"] else "start")
    if before["running"]:
        _terminate(before["pid"])
    for path in (pid_file, log_file):
        parent = os.path.dirname(path)
        if parent and not os.path.isdir(parent):
            os.makedirs(parent, 0o700)
    full_env = dict(os.environ)
    full_env.update(env or {})
    # A daemon that outlives the module: run_command waits for its command.
    with open(log_file, "ab") as log:
        proc = subprocess.Popen(  # pylint: disable=consider-using-with,ansible-bad-function
            list(argv), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=full_env, close_fds=True, start_new_session=True)
    with open(pid_file, "w") as handle:
        handle.write("%d\n" % proc.pid)
    if not wait_for_port(host, port, timeout, lambda: proc.poll() is None):
        code = proc.poll()
        _terminate(proc.pid)
        _remove(pid_file)
        raise ProcessError(
            "%s did not listen on %s:%s within %ss (exit code %s); see %s"
            % (argv[0], host, port, timeout, code, log_file))
    return True, dict(status(argv, pid_file, host, port), action="start")


def stop(argv, pid_file, check_mode=False):
    """Stop the process named by pid_file, only if it is the one we started."""
    pid = read_pid(pid_file)
    ours = is_ours(pid, argv)
    if pid is None:
        return False, {"pid": None, "action": "none"}
    if check_mode:
        return True, {"pid": pid if ours else None, "action": "stop" if ours else "remove stale pid file"}
    if ours:
        _terminate(pid)
    _remove(pid_file)
    return True, {"pid": pid if ours else None, "action": "stop" if ours else "remove stale pid file"}


def _terminate(pid, grace=10.0):
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except OSError:
            try:
                os.kill(pid, sig)
            except OSError:
                return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                waited = os.waitpid(pid, os.WNOHANG)[0]
                if waited == pid:
                    return
            except ChildProcessError:
                pass
            if not os.path.exists("/proc/%d" % pid) or _is_zombie(pid):
                return
            time.sleep(0.1)


def _is_zombie(pid):
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().split(")")[-1].split()[0] == "Z"
    except (IOError, OSError, IndexError):
        return True


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def pid_dir_status(pid_dir, proc="/proc"):
    """Status of every ``<name>.pid`` in pid_dir, sorted by name.

    A process counts as running only if its pid is alive and its command is
    the binary the file is named after (a reused pid is not ours).
    """
    try:
        names = sorted(f[:-4] for f in os.listdir(pid_dir) if f.endswith(".pid"))
    except OSError:
        return []
    result = []
    for name in names:
        pid = read_pid(os.path.join(pid_dir, name + ".pid"))
        cmd = cmdline_of(pid, proc) if pid else None
        running = bool(cmd) and os.path.basename(cmd[0]) == name
        result.append({"name": name, "pid": pid, "running": running})
    return result
