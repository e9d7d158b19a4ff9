# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rehearsal stack's stamp: what a converged stack looked like, and whether it still does.

At the end of a ``present`` that changed nothing it did not also record, the stack writes a stamp:
the digest of its inputs (the role's variables) and of its code (the role and the collection's
plugins), the identity of every process it started (pid and the kernel's start time, so a
restarted or reused pid never matches), the identity of the files it wrote, the ports its services
listen on, the nodes that must be Ready and the Deployments that must be available. A later
``present`` compares the running stack with the stamp in one call: when
nothing differs, the stack is the one these inputs converged and its 60-odd tasks have nothing to
do; when anything differs (one reason is enough), the whole role runs as before.

What the emulator holds (the account's zones, the kops assets bucket) is not asked again: it lives
in the emulator's process, which must be the same process as at convergence, and nothing in the
collection deletes those two.

Pure logic here (unit tested); the reads of /proc, of files, of sockets and of the apiserver are
passed in by the modules.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os

STAMP_VERSION = 1
# Files up to this size are identified by their content, larger ones (binaries) by size and mtime.
HASH_LIMIT = 1 << 20


def digest_inputs(inputs):
    """The sha256 of the role's inputs, independent of the order of their keys."""
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest_tree(paths):
    """The sha256 of every file under paths (names relative to each path, then contents)."""
    sha = hashlib.sha256()
    for top in sorted(paths):
        if os.path.isfile(top):
            entries = [("", top)]
        else:
            entries = []
            for root, dirs, files in os.walk(top):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                for name in sorted(files):
                    if name.endswith((".pyc", ".pyo")):
                        continue
                    full = os.path.join(root, name)
                    entries.append((os.path.relpath(full, top), full))
        sha.update(("\0dir:" + os.path.basename(os.path.normpath(top))).encode("utf-8"))
        for rel, full in entries:
            sha.update(("\0file:" + rel + "\0").encode("utf-8"))
            with open(full, "rb") as handle:
                sha.update(handle.read())
    return sha.hexdigest()


def file_identity(path):
    """sha256 of a small file, size and mtime of a large one, None when it does not exist."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if info.st_size > HASH_LIMIT:
        return "size=%d,mtime=%d" % (info.st_size, info.st_mtime_ns)
    with open(path, "rb") as handle:
        return "sha256=" + hashlib.sha256(handle.read()).hexdigest()


def start_time(stat_text):
    """The start time (clock ticks since boot, field 22) from the text of /proc/<pid>/stat."""
    # The command (field 2) is in parentheses and may hold spaces: split after its last ')'.
    rest = stat_text[stat_text.rindex(")") + 2:].split()
    return rest[19]


def pid_files_in(pid_files, pid_dirs, listdir=os.listdir):
    """The pid files named, plus every <name>.pid in each directory (sorted, no duplicates)."""
    found = set(pid_files)
    for directory in pid_dirs:
        try:
            names = listdir(directory)
        except OSError:
            continue
        found.update(os.path.join(directory, name) for name in names if name.endswith(".pid"))
    return sorted(found)


def build(inputs_digest, code_digest, processes, files, spec):
    """The stamp: digests, {pid_file: {pid, start}}, {path: identity} and what to ask again."""
    return {
        "version": STAMP_VERSION,
        "inputs": inputs_digest,
        "code": code_digest,
        "processes": processes,
        "files": files,
        "ports": [[port["host"], int(port["port"])] for port in spec.get("ports") or []],
        "nodes": sorted(spec.get("nodes") or []),
        "deployments": sorted(spec.get("deployments") or []),
    }


def compare(stamp, inputs_digest, code_digest, spec):
    """Reasons the stamp does not describe what these inputs ask for (nothing read from the system)."""
    if not stamp:
        return ["no stamp: the stack has not converged with this version"]
    if stamp.get("version") != STAMP_VERSION:
        return ["the stamp is of another version (%s)" % stamp.get("version")]
    reasons = []
    if stamp.get("inputs") != inputs_digest:
        reasons.append("the inputs changed (a rehearsal_stack_* variable or one the stack reads)")
    if stamp.get("code") != code_digest:
        reasons.append("the role or the collection's plugins changed")
    if sorted(stamp.get("files") or {}) != sorted(set(spec.get("files") or [])):
        reasons.append("the files asked for changed")
    wanted = build(inputs_digest, code_digest, {}, {}, spec)
    for key in ("ports", "nodes", "deployments"):
        if stamp.get(key) != wanted[key]:
            reasons.append("the %s asked for changed" % key)
    return reasons


def process_reasons(recorded, current):
    """Reasons from the processes: each recorded pid file must name the same live process."""
    reasons = []
    for pid_file in sorted(recorded):
        now = current.get(pid_file)
        if now is None:
            reasons.append("%s: no live process" % pid_file)
        elif now != recorded[pid_file]:
            was = recorded[pid_file].get("pid")
            reasons.append("%s: another process (pid %s, was %s)" % (pid_file, now.get("pid"), was))
    for pid_file in sorted(set(current) - set(recorded)):
        reasons.append("%s: a process the stamp does not know" % pid_file)
    return reasons


def file_reasons(recorded, current):
    reasons = []
    for path in sorted(recorded):
        if current.get(path) != recorded[path]:
            reasons.append("%s: %s" % (path, "gone" if current.get(path) is None else "changed"))
    return reasons


def node_reasons(names, node_list):
    """Reasons from a NodeList: each named node must exist and be Ready."""
    ready = set()
    for item in node_list.get("items") or []:
        conditions = (item.get("status") or {}).get("conditions") or []
        if any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions):
            ready.add((item.get("metadata") or {}).get("name"))
    return ["node %s: not Ready" % name for name in sorted(names) if name not in ready]


def deployment_reasons(name, deployment):
    """Reasons from one Deployment: every desired replica available, the current generation seen."""
    if not deployment:
        return ["deployment %s: not found" % name]
    status = deployment.get("status") or {}
    desired = (deployment.get("spec") or {}).get("replicas", 1)
    if status.get("observedGeneration", 0) < (deployment.get("metadata") or {}).get("generation", 0):
        return ["deployment %s: a change not yet rolled out" % name]
    if status.get("availableReplicas", 0) < desired or status.get("updatedReplicas", 0) < desired:
        return ["deployment %s: %s of %s replicas available" % (name, status.get("availableReplicas", 0), desired)]
    return []


# The reads: /proc, files, a kubeconfig. Each returns data for the logic above.


def process_identities(pid_files, read_pid, proc="/proc"):
    """{pid_file: {pid, start}} for each pid file naming a live, not zombie, process."""
    found = {}
    for pid_file in pid_files:
        try:
            pid = read_pid(pid_file)
        except Exception:  # an unreadable pid file names no process we can vouch for
            pid = None
        if not pid:
            continue
        try:
            with open(os.path.join(proc, str(pid), "stat")) as handle:
                text = handle.read()
        except (IOError, OSError):
            continue
        if text[text.rindex(")") + 2:].split()[0] == "Z":
            continue
        found[pid_file] = {"pid": pid, "start": start_time(text)}
    return found


def file_identities(paths):
    return dict((path, file_identity(path)) for path in sorted(set(paths)))


def kubeconfig_client(config, base_dir):
    """(server, ca file or None, verify, cert file, key file, token) from a kubeconfig's current context.

    Inline *-data entries are returned as ("data", base64 text) pairs for the caller to write out.
    """
    contexts = dict((c["name"], c.get("context") or {}) for c in config.get("contexts") or [])
    context = contexts.get(config.get("current-context")) or (list(contexts.values()) or [{}])[0]
    clusters = dict((c["name"], c.get("cluster") or {}) for c in config.get("clusters") or [])
    users = dict((u["name"], u.get("user") or {}) for u in config.get("users") or [])
    cluster = clusters.get(context.get("cluster")) or {}
    user = users.get(context.get("user")) or {}

    def pick(entry, key):
        if entry.get(key + "-data"):
            return ("data", entry[key + "-data"])
        if entry.get(key):
            return ("file", os.path.join(base_dir, entry[key]))
        return None

    return {
        "server": cluster.get("server"),
        "ca": pick(cluster, "certificate-authority"),
        "verify": not cluster.get("insecure-skip-tls-verify", False),
        "cert": pick(user, "client-certificate"),
        "key": pick(user, "client-key"),
        "token": user.get("token"),
    }
