# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the rehearsal stack's real node changes on its host, recorded and undone.

A kubelet, containerd, the CNI plugins and kube-proxy change the machine
outside their own directories: sysctls (the kubelet's kernel defaults,
ip_forward), host directories (/var/log/containers, /run/containerd, ...),
mounts (netns, rootfs, volumes), network links (the CNI bridge, veths),
iptables chains (KUBE-*, CNI-*) and cgroups (kubepods). ``record`` notes the
sysctls and which host paths existed before the node first started;
``restore`` puts everything back after the node's processes have stopped;
``leftovers`` lists whatever is still there (empty after a clean ``absent``).

Everything takes plain values and a ``runner`` callable (argv -> (rc, out)), so
the logic is unit tested without root.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import shlex
import shutil
import signal

CHAIN_PATTERN = r"^(KUBE-|CNI-)"
IPTABLES_TABLES = ("filter", "nat", "mangle", "raw")


class NodeHostError(Exception):
    """The host cannot be recorded or restored; the message says why."""


def sysctl_path(name, proc="/proc"):
    return os.path.join(proc, "sys", *name.split("."))


def read_sysctl(name, proc="/proc"):
    try:
        with open(sysctl_path(name, proc)) as handle:
            return " ".join(handle.read().split())
    except (IOError, OSError):
        return None


def write_sysctl(name, value, proc="/proc"):
    try:
        with open(sysctl_path(name, proc), "w") as handle:
            handle.write(value)
    except (IOError, OSError) as exc:
        raise NodeHostError("cannot restore sysctl %s to %s: %s" % (name, value, exc))


def record(state_file, sysctls, paths, proc="/proc", check_mode=False):
    """Note the sysctls and which paths exist, once (a later run keeps the first record)."""
    if os.path.exists(state_file):
        return False, load(state_file)
    data = {"sysctls": {name: read_sysctl(name, proc) for name in sysctls},
            "paths": {path: os.path.lexists(path) for path in paths}}
    if not check_mode:
        parent = os.path.dirname(state_file)
        if parent and not os.path.isdir(parent):
            os.makedirs(parent, 0o700)
        with open(state_file, "w") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
    return True, data


def load(state_file):
    try:
        with open(state_file) as handle:
            return json.load(handle)
    except (IOError, OSError, ValueError) as exc:
        raise NodeHostError("cannot read %s: %s" % (state_file, exc))


def mounts_under(prefixes, mountinfo="/proc/self/mountinfo"):
    """Mount points below any prefix, deepest first (the order to unmount them)."""
    found = []
    try:
        with open(mountinfo) as handle:
            lines = handle.read().splitlines()
    except (IOError, OSError):
        return []
    for line in lines:
        fields = line.split()
        if len(fields) < 5:
            continue
        point = fields[4].replace("\\040", " ")
        if any(point == p or point.startswith(p.rstrip("/") + "/") for p in prefixes):
            found.append(point)
    return sorted(set(found), key=lambda p: (-p.count("/"), p))


def chains_to_remove(save_output, pattern=CHAIN_PATTERN):
    """From one table's iptables-save output: the rules to delete, then the chains to flush and delete.

    Returns (rules, chains): rules are argument lists for ``iptables -t T -D``
    (rules of other chains that jump to a matching chain), chains the names
    of matching chains.
    """
    chains, rules = [], []
    regex = re.compile(pattern)
    for line in save_output.splitlines():
        if line.startswith(":"):
            name = line[1:].split()[0]
            if regex.search(name):
                chains.append(name)
        elif line.startswith("-A "):
            # iptables-save quotes as a shell does (CNI's comments hold quotes).
            parts = shlex.split(line)
            chain = parts[1]
            target = parts[parts.index("-j") + 1] if "-j" in parts else None
            if not regex.search(chain) and target and regex.search(target):
                rules.append(parts[1:])
    return rules, chains


def pids_in_cgroups(cgroup_dirs):
    pids = set()
    for top in cgroup_dirs:
        for root, _dirs, files in os.walk(top):
            if "cgroup.procs" in files:
                try:
                    with open(os.path.join(root, "cgroup.procs")) as handle:
                        pids.update(int(p) for p in handle.read().split() if p.isdigit())
                except (IOError, OSError):
                    continue
    return sorted(pids)


def cgroup_dirs(names, cgroup_root="/sys/fs/cgroup"):
    """Each controller's directory of the named top-level cgroups (cgroup v1 and v2 layouts)."""
    found = []
    if not os.path.isdir(cgroup_root):
        return found
    tops = [cgroup_root] + [os.path.join(cgroup_root, c) for c in sorted(os.listdir(cgroup_root))]
    for top in tops:
        for name in names:
            path = os.path.join(top, name)
            if os.path.isdir(path):
                found.append(path)
    return found


def processes_matching(needles, proc="/proc", own_pid=None):
    """Pids whose command line contains any needle (the node's paths)."""
    own_pid = os.getpid() if own_pid is None else own_pid
    found = []
    for entry in os.listdir(proc):
        if not entry.isdigit() or int(entry) == own_pid:
            continue
        try:
            with open(os.path.join(proc, entry, "cmdline"), "rb") as handle:
                cmd = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except (IOError, OSError):
            continue
        if any(n in cmd for n in needles):
            found.append(int(entry))
    return sorted(found)


def links(names, runner):
    rc, out = runner(["ip", "-o", "link", "show"])
    present = []
    if rc != 0:
        return present
    for line in out.splitlines():
        match = re.match(r"^\d+: ([^:@]+)[@:]", line)
        if match and match.group(1) in names:
            present.append(match.group(1))
    return present


def leftovers(spec, runner, proc="/proc", cgroup_root="/sys/fs/cgroup", mountinfo="/proc/self/mountinfo"):
    """Everything of the node still on the host, by kind ({} when the host is clean).

    spec: needles (process command-line substrings), mount_prefixes, links,
    cgroups (top-level cgroup names), state_file (the record: changed sysctls,
    host paths that did not exist before).
    """
    found = {}
    procs = processes_matching(spec.get("needles", []), proc)
    procs += pids_in_cgroups(cgroup_dirs(spec.get("cgroups", []), cgroup_root))
    if procs:
        found["processes"] = sorted(set(procs))
    mounts = mounts_under(spec.get("mount_prefixes", []), mountinfo)
    if mounts:
        found["mounts"] = mounts
    netns = [n for n in _listdir("/var/run/netns") if n.startswith("cni-")]
    if netns:
        found["netns"] = netns
    present = links(spec.get("links", []), runner)
    if present:
        found["links"] = present
    chains = []
    for tool in ("iptables", "ip6tables"):
        for table in IPTABLES_TABLES:
            rc, out = runner(["%s-save" % tool, "-t", table])
            if rc == 0:
                chains += ["%s/%s/%s" % (tool, table, c) for c in chains_to_remove(out)[1]]
    if chains:
        found["iptables_chains"] = chains
    groups = cgroup_dirs(spec.get("cgroups", []), cgroup_root)
    if groups:
        found["cgroups"] = groups
    state_file = spec.get("state_file")
    if state_file and os.path.exists(state_file):
        data = load(state_file)
        changed = {k: read_sysctl(k, proc) for k, v in data["sysctls"].items() if read_sysctl(k, proc) != v}
        if changed:
            found["sysctls"] = changed
        paths = [p for p, existed in data["paths"].items() if not existed and os.path.lexists(p)]
        if paths:
            found["paths"] = paths
    return found


def _listdir(path):
    try:
        return sorted(os.listdir(path))
    except (IOError, OSError):
        return []


def _kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def restore(spec, runner, proc="/proc", cgroup_root="/sys/fs/cgroup", mountinfo="/proc/self/mountinfo",
            check_mode=False):
    """Undo what leftovers() lists; return (changed, {kind: what was undone}).

    Only after record(): without its state file the node never ran here, and
    KUBE-* chains or kubepods cgroups belong to someone else's kubelet.
    """
    state_file = spec.get("state_file")
    if not state_file or not os.path.exists(state_file):
        return False, {}
    before = leftovers(spec, runner, proc, cgroup_root, mountinfo)
    if check_mode or not before:
        if not check_mode:
            os.unlink(state_file)
        return bool(before), before
    _kill(before.get("processes", []))
    for point in mounts_under(spec.get("mount_prefixes", []), mountinfo):
        runner(["umount", "-l", point])
    for name in before.get("netns", []):
        runner(["ip", "netns", "delete", name])
    for name in before.get("links", []):
        runner(["ip", "link", "delete", name])
    for tool in ("iptables", "ip6tables"):
        for table in IPTABLES_TABLES:
            rc, out = runner(["%s-save" % tool, "-t", table])
            if rc != 0:
                continue
            rules, chains = chains_to_remove(out)
            for rule in rules:
                runner([tool, "-w", "-t", table, "-D"] + rule)
            for chain in chains:
                runner([tool, "-w", "-t", table, "-F", chain])
            for chain in chains:
                runner([tool, "-w", "-t", table, "-X", chain])
    for top in cgroup_dirs(spec.get("cgroups", []), cgroup_root):
        for root, _dirs, _files in sorted(os.walk(top, topdown=False), key=lambda w: -w[0].count("/")):
            try:
                os.rmdir(root)
            except OSError:
                pass
    if os.path.exists(state_file):
        data = load(state_file)
        for name, value in data["sysctls"].items():
            if value is not None and read_sysctl(name, proc) != value:
                write_sysctl(name, value, proc)
        for path, existed in data["paths"].items():
            if not existed and os.path.lexists(path):
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
    after = leftovers(spec, runner, proc, cgroup_root, mountinfo)
    if after:
        raise NodeHostError("the node left these behind: %s" % json.dumps(after, sort_keys=True))
    if os.path.exists(state_file):
        os.unlink(state_file)
    return True, before
