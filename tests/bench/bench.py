# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Measure the talk against the raw tools; print a table, write JSON. Informs, never gates.

Phases, on a stack of its own (own state directory and ports; the real node is one per machine,
so stop any other stack's first, or pass --no-real-node):
  1. stack cold start; warm `present` (median of --runs) with the stamp, and with
     rehearsal_stack_trust_stamp=false (every task, the path before the stamp);
  2. the whole talk, first run (once) and re-run (median of --runs), recorded task by task
     (tests/bench/bench_recorder.py): each stage's time is the sum of its roles' task times; one
     more re-run with rehearsal_stack_trust_stamp=false (what the stamp saves);
  3. each stage alone on the converged talk: `teardown.yml --tags <stage>`, its first-run floor
     (below), `teardown.yml --tags <stage>` again, then `talk.yml --tags <stage>` twice (first run,
     re-run; once each; --no-stage-alone skips); prereqs, ns and cluster re-run only (their
     teardown takes away what every later stage stands on), with the reason;
  4. the floor of each stage's re-run, measured in the same run: its Kubernetes objects (the
     definitions the roles' templates rendered in the first run) applied with one
     `kubectl apply --server-side` and waited on with `kubectl rollout status` / `kubectl wait`
     where the role waited; its AWS reads made by one boto3 client per service (one describe or
     list call per AWS task the re-run made); plus, counted as floor, the time of the raw tools
     the role runs itself (kops, helm, kubectl, ctr: the command results' delta) and of deliberate
     waits (the HTTP load, k8s_info waits, tasks an until loop retried). The first run's floor, per
     stage alone on its torn-down stage: the same objects applied from nothing (CRDs first, then
     kubectl wait for them) with the same waits, plus the first run's raw tools, deliberate waits
     and the time its verification waited for the cluster (its verify time less the re-run's);
     AWS creates are not in it (counted and named per stage).
  5. Ansible's own cost: a probe playbook of PROBE_COUNT tasks of each kind, each doing the least
     it can (set_fact; ping; one k8s_info of a Namespace; a skipped task), recorded the same way;
     each kind's median times the re-run's executions of it is what the re-run would cost if no
     task had anything to do;
  6. peak RSS of the ansible-playbook process tree per phase, and the stack's own RSS.

Usage: python tests/bench/bench.py [--runs N] [--no-real-node] [--no-stage-alone] [--keep] [--json PATH]
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BIN = os.path.dirname(sys.executable)
STAGES_FILE = os.path.join(ROOT, "roles", "k8s_talk", "defaults", "main", "stages.yml")
TOOLS_FILE = os.path.join(ROOT, "roles", "k8s_talk", "defaults", "main", "tools.yml")
# Stages whose teardown takes away what every later stage stands on (the emulator's account, the
# zone, the kops cluster and its kubeconfig): alone, they are measured re-run only.
NOT_ALONE_FIRST = {"stack": "the stack is measured on its own above",
                   "prereqs": "its teardown removes what every later stage stands on",
                   "ns": "its teardown removes what every later stage stands on",
                   "cluster": "its teardown removes the cluster every later stage runs on",
                   "inspect": "it only reads: nothing to tear down, its first run is a re-run",
                   "summary": "it only reads: nothing to tear down, its first run is a re-run"}
RAW_TOOLS = ("kops", "helm", "kubectl", "ctr")
WAITED_KINDS = {"Deployment": "rollout", "DaemonSet": "rollout", "StatefulSet": "rollout",
                "Job": "condition=complete", "CustomResourceDefinition": "condition=Established"}
# Objects a second apply cannot take (immutable once approved): left out of the floor.
SKIPPED_KINDS = ("CertificateSigningRequest",)
# One read per AWS task of a re-run: the call an idempotent tool needs to see the resource.
AWS_READS = {
    "cloudformation": ("cloudformation", "describe_stacks", lambda a: {"StackName": a.get("stack_name")}),
    "cloudformation_info": ("cloudformation", "describe_stacks", lambda a: {"StackName": a.get("stack_name")}),
    "s3_bucket": ("s3", "head_bucket", lambda a: {"Bucket": a.get("name")}),
    "s3_bucket_info": ("s3", "list_buckets", lambda a: {}),
    "s3_object_info": ("s3", "list_objects_v2", lambda a: {"Bucket": a.get("bucket_name")}),
    "route53_zone": ("route53", "list_hosted_zones_by_name", lambda a: {"DNSName": a.get("zone")}),
    "route53": ("route53", "list_hosted_zones_by_name", lambda a: {"DNSName": a.get("zone")}),
    "route53_info": ("route53", "list_hosted_zones", lambda a: {}),
    "aws_az_info": ("ec2", "describe_availability_zones", lambda a: {}),
    "ec2_vpc_net_info": ("ec2", "describe_vpcs", lambda a: {}),
    "ec2_vpc_subnet_info": ("ec2", "describe_subnets", lambda a: {}),
    "ec2_security_group": ("ec2", "describe_security_groups", lambda a: {}),
    "ec2_security_group_info": ("ec2", "describe_security_groups", lambda a: {}),
    "iam_policy": ("iam", "list_role_policies", lambda a: {"RoleName": a.get("iam_name")}),
    "iam_role_info": ("iam", "list_roles", lambda a: {}),
    "efs": ("efs", "describe_file_systems", lambda a: {}),
    "efs_info": ("efs", "describe_file_systems", lambda a: {}),
}
# Actions that run on the controller alone (no module sent to the host).
CONTROLLER_ACTIONS = ("set_fact", "debug", "assert", "fail", "validate_argument_spec", "include_tasks",
                      "import_tasks", "include_role", "import_role", "include_vars", "meta", "add_host",
                      "group_by", "set_stats")
# The least a task of each kind costs: what Ansible pays per task before any work.
PROBE_TASKS = {
    "controller": {"ansible.builtin.set_fact": {"bench_probe": True}},
    "module": {"ansible.builtin.ping": {}},
    "k8s": {"kubernetes.core.k8s_info": {"kind": "Namespace", "name": "kube-system"}},
    "skipped": {"ansible.builtin.ping": {}, "when": False},
}
PROBE_COUNT = 20
TARGETS = {"rerun_ratio": 2.0, "first_ratio": 3.0, "warm_present_s": 2.0, "stack_rss_mib": 1500.0}


# ---- pure logic (tests/unit/test_bench.py)

def median(values):
    return statistics.median(values) if values else None


def ratio(ours, floor):
    return None if not floor else ours / floor


def parse_recap(text):
    recap = [line for line in text.splitlines() if "changed=" in line and "ok=" in line]
    return recap[-1].split(":", 1)[1].strip() if recap else ""


def changed_count(recap):
    for part in recap.split():
        if part.startswith("changed="):
            return int(part.split("=", 1)[1])
    return None


def load_stages(path=STAGES_FILE):
    with open(path) as handle:
        stages = yaml.safe_load(handle)["k8s_talk_stages"]
    return [(stage["name"], stage.get("roles") or []) for stage in stages]


def role_stages(stages):
    return dict((role, name) for name, roles in stages for role in roles)


def read_records(path):
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def stage_times(records, by_role):
    """{stage: seconds}: each task counted once (a loop's items share its time)."""
    tasks = {}
    for rec in records:
        stage = by_role.get(rec.get("role"))
        if stage:
            tasks[rec["task"]] = (stage, rec["end"] - rec["start"])
    times = {}
    for stage, seconds in tasks.values():
        times[stage] = times.get(stage, 0.0) + seconds
    return times


def parse_delta(delta):
    """Seconds from a command result's delta (H:MM:SS.ffffff)."""
    if not delta:
        return 0.0
    hours, minutes, seconds = delta.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def short_action(action):
    return (action or "").rsplit(".", 1)[-1]


def raw_tool(cmd):
    """The raw tool a command runs, wrappers included (the rehearsal runs kops under unshare), or None."""
    argv = cmd if isinstance(cmd, list) else str(cmd).split()
    return next((os.path.basename(str(arg)) for arg in argv if os.path.basename(str(arg)) in RAW_TOOLS), None)


def deliberate_wait(rec):
    """A task that waits on purpose: the HTTP load, k8s_info with wait, and any task an until loop
    retried (attempts > 1: the HPA watched, the load's async_status, a scale-down awaited)."""
    action = short_action(rec.get("action"))
    if rec.get("status") != "ok" or (action in ("command", "shell") and rec.get("cmd")):
        return False
    return (action == "http_load" or (action == "k8s_info" and (rec.get("args") or {}).get("wait"))
            or (rec.get("attempts") or 0) > 1)


def raw_and_waits(records, by_role):
    """{stage: (raw tool seconds, deliberate wait seconds)} counted into the floor (deliberate_wait)."""
    out = {}
    waited = set()
    for rec in records:
        stage = by_role.get(rec.get("role"))
        if not stage or rec.get("status") != "ok":
            continue
        raw, wait = out.get(stage, (0.0, 0.0))
        action = short_action(rec.get("action"))
        cmd = rec.get("cmd")
        if action in ("command", "shell") and cmd:
            if raw_tool(cmd):
                raw += parse_delta(rec.get("delta"))
        elif rec["task"] not in waited and deliberate_wait(rec):
            waited.add(rec["task"])
            wait += rec["end"] - rec["start"]
        out[stage] = (raw, wait)
    return out


def verify_waits(first_records, rerun_records, by_role):
    """{stage: seconds the first run's verification waited for the cluster}: each stage's verify
    time in the first run less its time in the re-run (where nothing is left to converge).
    A raw-tools presenter waits the same (a CronJob's schedule, a rollout) with kubectl --watch."""
    def verify_times(records):
        return stage_times([r for r in records if short_action(r.get("action")) == "verify"], by_role)
    first, again = verify_times(first_records), verify_times(rerun_records)
    return dict((stage, max(0.0, seconds - again.get(stage, 0.0))) for stage, seconds in first.items())


def documents(args, read=None):
    """The objects a kubernetes.core.k8s call applied: its definition (text, list or dict) or src file."""
    definition = args.get("definition")
    if definition is None and args.get("src"):
        read = read or (lambda path: open(path).read())
        definition = read(args["src"])
    if definition is None:
        return []
    if isinstance(definition, str):
        docs = list(yaml.safe_load_all(definition))
    elif isinstance(definition, list):
        # A manifest set: objects, or texts of several documents each (query('template', ...)).
        docs = []
        for item in definition:
            docs.extend(yaml.safe_load_all(item) if isinstance(item, str) else [item])
    else:
        docs = [definition]
    found = []
    for doc in docs:
        if isinstance(doc, dict) and doc.get("kind") == "List":
            found.extend(doc.get("items") or [])
        elif isinstance(doc, dict) and doc.get("kind"):
            found.append(doc)
    return found


def floor_plan(records, by_role, read=None):
    """{stage: {"objects": [...], "waits": [(kind, namespace, name, how)], "censored": n, "kubeconfig": p}}."""
    plan = {}
    for rec in records:
        stage = by_role.get(rec.get("role"))
        if not stage or short_action(rec.get("action")) != "k8s" or rec.get("status") != "ok":
            continue
        entry = plan.setdefault(stage, {"objects": [], "keys": [], "waits": [], "censored": 0, "kubeconfig": None})
        if rec.get("censored"):
            entry["censored"] += 1
            continue
        args = rec.get("args") or {}
        if args.get("state", "present") != "present":
            continue
        entry["kubeconfig"] = entry["kubeconfig"] or args.get("kubeconfig")
        for doc in documents(args, read):
            if doc.get("kind") in SKIPPED_KINDS:
                continue
            key = (doc.get("kind"), (doc.get("metadata") or {}).get("namespace") or args.get("namespace"),
                   (doc.get("metadata") or {}).get("name"))
            placed = doc
            if args.get("namespace") and not (doc.get("metadata") or {}).get("namespace"):
                placed = dict(doc, metadata=dict(doc.get("metadata") or {}, namespace=args["namespace"]))
            # An object applied twice (a manifest set applied, then applied again with wait) is
            # applied once, where it came first, as it was last.
            if key in entry["keys"]:
                entry["objects"][entry["keys"].index(key)] = placed
            else:
                entry["keys"].append(key)
                entry["objects"].append(placed)
            wait = key + (WAITED_KINDS.get(doc.get("kind")),)
            if args.get("wait") and doc.get("kind") in WAITED_KINDS and wait not in entry["waits"]:
                entry["waits"].append(wait)
    for entry in plan.values():
        del entry["keys"]
    return plan


def aws_changed(records, by_role):
    """{stage: AWS tasks that changed something}: creates the first-run floor does not make."""
    out = {}
    for rec in records:
        stage = by_role.get(rec.get("role"))
        action = rec.get("action") or ""
        if stage and rec.get("changed") and (action.startswith("amazon.aws.") or action.startswith("community.aws.")):
            out[stage] = out.get(stage, 0) + 1
    return out


def aws_reads(records, by_role):
    """{stage: [(service, method, kwargs)]}, and the AWS actions no read is known for."""
    reads, unknown = {}, set()
    for rec in records:
        stage = by_role.get(rec.get("role"))
        action = rec.get("action") or ""
        if not stage or not (action.startswith("amazon.aws.") or action.startswith("community.aws.")):
            continue
        read = AWS_READS.get(short_action(action))
        if read is None:
            unknown.add(action)
            continue
        service, method, kwargs = read
        reads.setdefault(stage, []).append((service, method, kwargs(rec.get("args") or {})))
    return reads, sorted(unknown)


def task_kind(rec):
    """Which of the probe's task kinds a recorded task execution costs at least (PROBE_TASKS)."""
    action = rec.get("action") or ""
    if rec.get("status") == "skipped":
        return "skipped"
    if action.startswith("kubernetes.core."):
        return "k8s"
    if short_action(action) in CONTROLLER_ACTIONS:
        return "controller"
    return "module"


def task_mix(records, by_role):
    """{kind: executions} of the stages' tasks (a loop's items each), deliberate waits left out:
    the floor already counts their whole time."""
    mix = {}
    for rec in records:
        if by_role.get(rec.get("role")) and not deliberate_wait(rec):
            kind = task_kind(rec)
            mix[kind] = mix.get(kind, 0) + 1
    return mix


def probe_playbook(kubeconfig, count):
    """A playbook of `count` tasks of each kind, each doing the least its kind can (PROBE_TASKS)."""
    tasks = []
    for kind in sorted(PROBE_TASKS):
        for number in range(count):
            task = dict(PROBE_TASKS[kind], name="probe %s %d" % (kind, number))
            if kind == "k8s":
                task = dict(task, **{"kubernetes.core.k8s_info": dict(task["kubernetes.core.k8s_info"],
                                                                      kubeconfig=kubeconfig)})
            tasks.append(task)
    return yaml.safe_dump([{"name": "Ansible's own cost per task", "hosts": "localhost", "gather_facts": False,
                            "tasks": tasks}], sort_keys=False)


def probe_costs(records):
    """{kind: median seconds per task} from the probe's recording (tasks named 'probe <kind> <n>')."""
    times = {}
    for rec in records:
        parts = (rec.get("name") or "").split()
        if len(parts) == 3 and parts[0] == "probe":
            times.setdefault(parts[1], []).append(rec["end"] - rec["start"])
    return dict((kind, median(values)) for kind, values in times.items())


def ansible_cost(mix, costs):
    """Seconds Ansible itself needs for a task mix when no task has anything to do."""
    return sum(count * (costs.get(kind) or 0.0) for kind, count in mix.items())


def tree_rss_kib(root_pid, statuses):
    """RSS (KiB) of root_pid and its descendants, from {pid: (ppid, rss_kib)}."""
    children = {}
    for pid, (ppid, _rss) in statuses.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        if pid in statuses:
            total += statuses[pid][1]
        todo.extend(children.get(pid, []))
    return total


# ---- measuring

def proc_statuses():
    statuses = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/status" % name) as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
            statuses[int(name)] = (int(fields["PPid"]), int(fields.get("VmRSS", "0 kB").split()[0]))
        except (OSError, KeyError, ValueError):
            continue
    return statuses


class Run(object):
    def __init__(self, env, extra):
        self.env, self.extra = env, extra

    def playbook(self, args, record=None):
        env = dict(self.env)
        if record:
            env.update(BENCH_RECORD=record, ANSIBLE_CALLBACK_PLUGINS=HERE,
                       ANSIBLE_CALLBACKS_ENABLED="indydevops.k8s_talk.talk_progress,bench_recorder")
        started = time.monotonic()
        proc = subprocess.Popen([os.path.join(BIN, "ansible-playbook")] + args + self.extra, cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        peak = [0]

        def sample():
            while proc.poll() is None:
                peak[0] = max(peak[0], tree_rss_kib(proc.pid, proc_statuses()))
                time.sleep(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        output = proc.communicate()[0]
        sampler.join()
        elapsed = time.monotonic() - started
        if proc.returncode != 0:
            sys.stdout.write(output[-4000:])
            raise SystemExit("ansible-playbook %s failed" % " ".join(args))
        return {"seconds": elapsed, "recap": parse_recap(output), "peak_rss_mib": peak[0] / 1024.0}


def tools_logic():
    """The collection's module_utils/tools.py, as tools/install.py loads it (where the tools live)."""
    spec = importlib.util.spec_from_file_location("k8s_talk_install", os.path.join(ROOT, "tools", "install.py"))
    install = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(install)
    return install.load_logic()


def kubectl_path(tools_file=TOOLS_FILE, environ=None):
    """kubectl of the pinned Kubernetes version, where tools/install.py put it."""
    logic = tools_logic()
    with open(tools_file) as handle:
        spec = yaml.safe_load(handle)["k8s_talk_tool_versions"]["kubernetes"]
    return os.path.join(logic.bin_dir(logic.default_cache_root(environ), "kubernetes", spec), "kubectl")


def kubectl(kubeconfig, args):
    binary = kubectl_path()
    return subprocess.run([binary, "--kubeconfig", kubeconfig] + args, capture_output=True, text=True, check=False)


def apply_batches(objects):
    """The objects in the applies a raw-tools user makes: CRDs first (then kubectl wait for them to be
    Established), then the rest in one apply, which may hold objects of those CRDs' kinds."""
    crds = [o for o in objects if o.get("kind") == "CustomResourceDefinition"]
    rest = [o for o in objects if o.get("kind") != "CustomResourceDefinition"]
    return [batch for batch in (crds, rest) if batch]


def k8s_floor(entry):
    """Seconds of the server-side applies of the stage's objects and the waits the role made."""
    if not entry["objects"] or not entry["kubeconfig"]:
        return 0.0, None
    started = time.monotonic()
    error = None
    for batch in apply_batches(entry["objects"]):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
            yaml.safe_dump_all(batch, handle)
        applied = kubectl(entry["kubeconfig"], ["apply", "--server-side", "--force-conflicts",
                                                "--field-manager", "bench-floor", "-f", handle.name])
        os.unlink(handle.name)
        error = error or (None if applied.returncode == 0 else applied.stderr.strip()[-300:])
        if batch[0].get("kind") == "CustomResourceDefinition":
            kubectl(entry["kubeconfig"], ["wait", "--for=condition=Established", "--timeout=120s"]
                    + ["crd/" + (o.get("metadata") or {}).get("name", "") for o in batch])
    for kind, namespace, name, how in entry["waits"]:
        scope = ["-n", namespace] if namespace else []
        verb = ["rollout", "status"] if how == "rollout" else ["wait", "--for=" + how]
        kubectl(entry["kubeconfig"], verb + ["%s/%s" % (kind.lower(), name), "--timeout=300s"] + scope)
    return time.monotonic() - started, error


def aws_floor(calls, endpoint):
    """Seconds of the reads in one process: boto3's import, one client per service, one call per task."""
    started = time.monotonic()
    import boto3  # noqa: PLC0415 - its import is part of what the floor pays

    clients, errors = {}, 0
    for service, method, kwargs in calls:
        if service not in clients:
            clients[service] = boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                                            aws_access_key_id="bench", aws_secret_access_key="bench")
        try:
            getattr(clients[service], method)(**dict((k, v) for k, v in kwargs.items() if v))
        except Exception:  # a read of something the emulator does not hold still costs its round trip
            errors += 1
    return time.monotonic() - started, errors


def stack_rss_mib(state_dir, cluster):
    pids = []
    pid_dir = os.path.join(state_dir, "rehearsal", "kwok", "clusters", cluster, "pids")
    for name in os.listdir(pid_dir):
        with open(os.path.join(pid_dir, name)) as handle:
            pids.append(int(handle.read().strip()))
    for name in ("aws.pid", "dns.pid", "reconciler.pid",
                 "node/containerd.pid", "node/kubelet.pid", "node/kube-proxy.pid"):
        path = os.path.join(state_dir, "rehearsal", name)
        if os.path.exists(path):
            with open(path) as handle:
                pids.append(int(handle.read().strip()))
    statuses = proc_statuses()
    return sum(tree_rss_kib(pid, statuses) for pid in pids) / 1024.0


def fmt(value, unit="s"):
    return "-" if value is None else ("%.1f %s" % (value, unit))


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs behind each median (warm present, re-run)")
    parser.add_argument("--no-real-node", action="store_true", help="rehearsal_stack_real_nodes=0")
    parser.add_argument("--no-stage-alone", action="store_true", help="skip each stage's --tags run")
    parser.add_argument("--keep", action="store_true", help="leave the bench stack running")
    parser.add_argument("--json", help="where to write the results (default tests/output/bench/bench-<UTC>.json)")
    return parser.parse_args()


def sampled(samples):
    return {"seconds": median([s["seconds"] for s in samples]), "recaps": [s["recap"] for s in samples],
            "peak_rss_mib": max(s["peak_rss_mib"] for s in samples)}


def measure_stack(run, runs, results):
    results["stack_cold"] = run.playbook(["playbooks/stack.yml"])
    print("%-33s %s" % ("stack cold start", fmt(results["stack_cold"]["seconds"])), flush=True)
    every_task = ["-e", "rehearsal_stack_trust_stamp=false"]
    for label, more in (("stack_warm", []), ("stack_warm_every_task", every_task)):
        results[label] = sampled([run.playbook(["playbooks/stack.yml"] + more) for dummy in range(runs)])
        seconds, recap = results[label]["seconds"], results[label]["recaps"][-1]
        print("%-33s %s  (%s)" % (label.replace("_", " "), fmt(seconds), recap), flush=True)


def measure_talk(run, runs, results):
    """The first run and the re-runs, recorded: (first records, [re-run records])."""
    record_dir = tempfile.mkdtemp(prefix="bench-record-")
    first_record = os.path.join(record_dir, "first.jsonl")
    results["talk_first"] = run.playbook(["playbooks/talk.yml"], record=first_record)
    print("%-33s %s  (%s)" % ("talk, first run", fmt(results["talk_first"]["seconds"]), results["talk_first"]["recap"]),
          flush=True)
    samples, records = [], []
    for number in range(runs):
        path = os.path.join(record_dir, "rerun-%d.jsonl" % number)
        samples.append(run.playbook(["playbooks/talk.yml"], record=path))
        records.append(read_records(path))
    results["talk_rerun"] = sampled(samples)
    print("%-33s %s  (%s)" % ("talk, re-run (median)", fmt(results["talk_rerun"]["seconds"]),
                              results["talk_rerun"]["recaps"][-1]), flush=True)
    # The same re-run with every stack task (the path before the stamp), once: what the stamp saves.
    results["talk_rerun_every_task"] = run.playbook(["playbooks/talk.yml", "-e", "rehearsal_stack_trust_stamp=false"])
    print("%-33s %s  (%s)" % ("talk, re-run, every stack task", fmt(results["talk_rerun_every_task"]["seconds"]),
                              results["talk_rerun_every_task"]["recap"]), flush=True)
    return read_records(first_record), records


def measure_floor(stages, by_role, first_records, rerun_records, endpoint, results):
    first_times = stage_times(first_records, by_role)
    rerun_times = [stage_times(records, by_role) for records in rerun_records]
    plan = floor_plan(first_records, by_role)
    tools = raw_and_waits(rerun_records[-1], by_role)
    first_tools = raw_and_waits(first_records, by_role)
    first_verify = verify_waits(first_records, rerun_records[-1], by_role)
    aws_changes = aws_changed(first_records, by_role)
    plans = {}
    reads, unknown = aws_reads(rerun_records[-1], by_role)
    results["aws_actions_without_a_read"] = unknown
    per_stage = {}
    for name, _roles in stages:
        entry = plan.get(name, {"objects": [], "waits": [], "censored": 0, "kubeconfig": None})
        k8s_seconds, error = k8s_floor(entry)
        aws_seconds, aws_errors = aws_floor(reads[name], endpoint) if reads.get(name) else (0.0, 0)
        raw, wait = tools.get(name, (0.0, 0.0))
        ours = median([t.get(name, 0.0) for t in rerun_times])
        floor = k8s_seconds + aws_seconds + raw + wait
        per_stage[name] = {
            "first": first_times.get(name), "rerun": ours, "floor_rerun": floor, "ratio_rerun": ratio(ours, floor),
            "floor_parts": {"kubectl_apply_and_wait": k8s_seconds, "aws_reads": aws_seconds, "raw_tools": raw,
                            "deliberate_waits": wait},
            "objects": len(entry["objects"]), "waits": len(entry["waits"]), "censored_tasks": entry["censored"],
            "aws_reads": len(reads.get(name, [])), "aws_read_errors": aws_errors, "apply_error": error,
            "floor_first": None, "floor_first_not_run": NOT_ALONE_FIRST.get(
                name, "measured only with each stage alone (torn down first): run without --no-stage-alone"),
            "floor_first_parts": {"raw_tools": first_tools.get(name, (0.0, 0.0))[0],
                                  "deliberate_waits": first_tools.get(name, (0.0, 0.0))[1],
                                  "verify_waits": first_verify.get(name, 0.0)},
            "aws_changes_not_in_floor": aws_changes.get(name, 0),
        }
        plans[name] = entry
    results["stages"] = per_stage
    results["rerun_stages_seconds"] = sum(s["rerun"] or 0.0 for s in per_stage.values())
    results["rerun_floor_seconds"] = sum(s["floor_rerun"] for s in per_stage.values())
    results["rerun_ratio"] = ratio(results["rerun_stages_seconds"], results["rerun_floor_seconds"])
    return plans


def measure_task_cost(run, by_role, plans, rerun_records, results):
    """Ansible's own cost for the re-run's tasks: each kind's least cost (a probe of PROBE_COUNT
    tasks per kind on the same stack, recorded the same way) times the re-run's executions of it."""
    kubeconfig = next((entry["kubeconfig"] for entry in plans.values() if entry.get("kubeconfig")), None)
    probe_dir = tempfile.mkdtemp(prefix="bench-probe-")
    playbook, record = os.path.join(probe_dir, "probe.yml"), os.path.join(probe_dir, "probe.jsonl")
    with open(playbook, "w") as handle:
        handle.write(probe_playbook(kubeconfig, PROBE_COUNT))
    run.playbook([playbook], record=record)
    costs = probe_costs(read_records(record))
    mix = task_mix(rerun_records[-1], by_role)
    results["task_costs"], results["rerun_task_mix"] = costs, mix
    results["rerun_ansible_seconds"] = ansible_cost(mix, costs)
    print("%-33s %s" % ("Ansible's cost per task", ", ".join(
        "%s %.2f s" % (kind, costs[kind]) for kind in sorted(costs))), flush=True)


def measure_alone(run, stages, plans, results):
    """Each stage alone on the converged talk: torn down alone, its first-run floor (the same objects
    applied from nothing by kubectl, plus the first run's raw tools and waits), torn down again,
    then its first run and its re-run."""
    teardown = ["playbooks/teardown.yml", "-e", "demo_volumes_delete_file_system=true", "--tags"]
    for name, _roles in stages:
        row = results["stages"][name]
        if name in NOT_ALONE_FIRST:
            row["alone_first_not_run"] = NOT_ALONE_FIRST[name]
        else:
            run.playbook(teardown + [name])
            k8s_seconds, error = k8s_floor(plans[name])
            row["floor_first_parts"]["kubectl_apply_and_wait"] = k8s_seconds
            row["floor_first_apply_error"] = error
            row["floor_first"] = sum(row["floor_first_parts"].values())
            row["floor_first_not_run"] = None if row["floor_first"] else "nothing of it to apply or wait for"
            run.playbook(teardown + [name])
            first = run.playbook(["playbooks/talk.yml", "--tags", name])
            row["alone_first"], row["alone_first_recap"] = first["seconds"], first["recap"]
            row["ratio_first_alone"] = ratio(first["seconds"], row["floor_first"])
        if name != "stack":
            again = run.playbook(["playbooks/talk.yml", "--tags", name])
            row["alone_rerun"], row["alone_rerun_recap"] = again["seconds"], again["recap"]
        print("%-33s %s / %s  (%s)" % ("alone: " + name, fmt(row.get("alone_first")), fmt(row.get("alone_rerun")),
                                       row.get("alone_rerun_recap", "")), flush=True)
    measured = [r for r in results["stages"].values() if r.get("floor_first")]
    results["first_alone_seconds"] = sum(r["alone_first"] for r in measured)
    results["first_alone_floor_seconds"] = sum(r["floor_first"] for r in measured)
    results["first_alone_ratio"] = ratio(results["first_alone_seconds"], results["first_alone_floor_seconds"])


def verdict(value, target):
    return "ok" if value is not None and value <= target else "OVER"


def report(stages, results):
    per_stage = results["stages"]
    print("\n%-12s %9s %9s %9s %6s %9s %9s   floor: apply+wait / aws / tools / waits" % (
        "stage", "first", "re-run", "floor", "x", "alone 1st", "alone"))
    for name, _roles in stages:
        row = per_stage[name]
        parts = row["floor_parts"]
        print("%-12s %9s %9s %9s %6s %9s %9s   %.1f / %.1f / %.1f / %.1f%s" % (
            name, fmt(row["first"]), fmt(row["rerun"]), fmt(row["floor_rerun"]),
            "-" if row["ratio_rerun"] is None else "%.1f" % row["ratio_rerun"], fmt(row.get("alone_first")),
            fmt(row.get("alone_rerun")),
            parts["kubectl_apply_and_wait"], parts["aws_reads"], parts["raw_tools"], parts["deliberate_waits"],
            "  apply error: " + row["apply_error"] if row["apply_error"] else ""))
    print("\nre-run: stages %.1f s (whole playbook %.1f s), floor %.1f s: %.1fx (target %.0fx: %s)" % (
        results["rerun_stages_seconds"], results["talk_rerun"]["seconds"], results["rerun_floor_seconds"],
        results["rerun_ratio"] or 0, TARGETS["rerun_ratio"], verdict(results["rerun_ratio"], TARGETS["rerun_ratio"])))
    if results.get("rerun_ansible_seconds") is not None:
        mix, costs = results["rerun_task_mix"], results["task_costs"]
        both = results["rerun_ansible_seconds"] + results["rerun_floor_seconds"]
        print("re-run: Ansible's own cost for its %d task executions with nothing to do %.1f s (%s);"
              " with the floor %.1f s: the stages take %.1fx that; 2x the floor is %.1f s" % (
                  sum(mix.values()), results["rerun_ansible_seconds"], ", ".join(
                      "%s %d x %.2f s" % (kind, mix[kind], costs.get(kind) or 0.0) for kind in sorted(mix)),
                  both, ratio(results["rerun_stages_seconds"], both) or 0,
                  TARGETS["rerun_ratio"] * results["rerun_floor_seconds"]))
    print("\n%-12s %9s %9s %6s   first-run floor: apply+wait / tools / waits / verify waits" % (
        "stage alone", "first", "floor", "x"))
    for name, _roles in stages:
        row = per_stage[name]
        if not row.get("floor_first"):
            print("%-12s %9s   floor NOT RUN: %s" % (name, fmt(row.get("alone_first")), row["floor_first_not_run"]))
            continue
        parts = row["floor_first_parts"]
        notes = []
        if row["aws_changes_not_in_floor"]:
            notes.append("%d AWS changes not in the floor" % row["aws_changes_not_in_floor"])
        if row.get("floor_first_apply_error"):
            notes.append("apply error: " + row["floor_first_apply_error"])
        print("%-12s %9s %9s %6.1f   %.1f / %.1f / %.1f / %.1f%s" % (
            name, fmt(row["alone_first"]), fmt(row["floor_first"]), row["ratio_first_alone"] or 0,
            parts["kubectl_apply_and_wait"], parts["raw_tools"], parts["deliberate_waits"], parts["verify_waits"],
            ("  (" + "; ".join(notes) + ")") if notes else ""))
    if results.get("first_alone_ratio") is not None:
        print("\nfirst run, each stage alone: %.1f s, floor %.1f s: %.1fx (target %.0fx: %s); the whole talk's"
              " first run %.1f s" % (
                  results["first_alone_seconds"], results["first_alone_floor_seconds"], results["first_alone_ratio"],
                  TARGETS["first_ratio"], verdict(results["first_alone_ratio"], TARGETS["first_ratio"]),
                  results["talk_first"]["seconds"]))
    else:
        print("first run %.1f s: its floor NOT RUN (measured only with each stage alone: run without"
              " --no-stage-alone)" % results["talk_first"]["seconds"])
    print("warm stack present %.1f s (every task: %.1f s; target %.0f s: %s); stack RSS %.0f MiB (target %.0f: %s)" % (
        results["stack_warm"]["seconds"], results["stack_warm_every_task"]["seconds"], TARGETS["warm_present_s"],
        verdict(results["stack_warm"]["seconds"], TARGETS["warm_present_s"]), results["stack_rss_mib"],
        TARGETS["stack_rss_mib"], verdict(results["stack_rss_mib"], TARGETS["stack_rss_mib"])))
    print("peak RSS of the ansible-playbook tree: %.0f MiB (first run), %.0f MiB (re-run)" % (
        results["talk_first"]["peak_rss_mib"], results["talk_rerun"]["peak_rss_mib"]))
    if results["aws_actions_without_a_read"]:
        print("AWS actions with no read in the floor: %s" % ", ".join(results["aws_actions_without_a_read"]))


def main():
    args = options()
    state_dir = tempfile.mkdtemp(prefix="k8s-talk-bench-")
    cluster = "k8s-talk-bench"
    endpoint = "http://127.0.0.1:5155"
    env = dict(os.environ, K8S_TALK_STATE_DIR=state_dir, PATH=BIN + os.pathsep + os.environ["PATH"],
               ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"))
    extra = ["-e", "k8s_talk_aws_endpoint_url=" + endpoint, "-e", "rehearsal_stack_apiserver_port=36543",
             "-e", "rehearsal_stack_cluster_name=" + cluster, "-e", "rehearsal_stack_dns_address=127.0.53.4",
             "-e", "rehearsal_stack_reconciler_port=10480"]
    if args.no_real_node:
        extra += ["-e", "rehearsal_stack_real_nodes=0"]
    run = Run(env, extra)
    stages = load_stages()
    by_role = role_stages(stages)
    results = {"runs": args.runs, "real_node": not args.no_real_node,
               "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    path = args.json or os.path.join(ROOT, "tests", "output", "bench",
                                     "bench-%s.json" % time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    try:
        measure_stack(run, args.runs, results)
        results["stack_rss_mib"] = stack_rss_mib(state_dir, cluster)
        first_records, rerun_records = measure_talk(run, args.runs, results)
        plans = measure_floor(stages, by_role, first_records, rerun_records, endpoint, results)
        measure_task_cost(run, by_role, plans, rerun_records, results)
        if not args.no_stage_alone:
            measure_alone(run, stages, plans, results)
        report(stages, results)
    finally:
        if not args.keep:
            # The state directory is the bench's own: the stack's absent takes the cluster and its objects with it.
            run.playbook(["playbooks/stack.yml", "-e", "rehearsal_stack_state=absent"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            json.dump(results, handle, indent=1, sort_keys=True, default=str)
        print("results: %s" % path)


if __name__ == "__main__":
    main()
