# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's arithmetic and its reading of the recorded tasks (tests/bench/bench.py)."""

import importlib.util
import os

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = importlib.util.spec_from_file_location("bench", os.path.join(HERE, "..", "bench", "bench.py"))
bench = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(bench)

BY_ROLE = {"demo_hello": "hello", "kops_cluster": "cluster", "aws_prereqs": "prereqs",
           "demo_autoscaling": "autoscaling"}


def rec(task, role, action, start, end, **more):
    return dict({"task": task, "role": role, "action": action, "start": start, "end": end, "status": "ok",
                 "censored": False, "args": {}}, **more)


def test_median_ratio_and_recap():
    assert bench.median([3, 1, 2]) == 2 and bench.median([]) is None
    assert bench.ratio(4.0, 2.0) == 2.0 and bench.ratio(1.0, 0.0) is None
    text = "PLAY RECAP ***\nlocalhost : ok=5    changed=2    unreachable=0    failed=0\n"
    assert bench.parse_recap(text).startswith("ok=5") and bench.changed_count(bench.parse_recap(text)) == 2


def test_stages_come_from_the_collections_list():
    stages = bench.load_stages()
    names = [name for name, _roles in stages]
    assert names[0] == "stack" and "volumes" in names and names.index("ingress") < names.index("volumes")
    assert bench.role_stages(stages)["demo_hello"] == "hello"


def test_stage_times_count_a_loop_once():
    records = [rec("t1", "demo_hello", "kubernetes.core.k8s", 0, 2),
               rec("t1", "demo_hello", "kubernetes.core.k8s", 0, 2),
               rec("t2", "demo_hello", "ansible.builtin.debug", 2, 2.5), rec("t3", "k8s_talk", "debug", 0, 9)]
    assert bench.stage_times(records, BY_ROLE) == {"hello": 2.5}


def test_raw_tools_and_deliberate_waits_go_to_the_floor():
    records = [
        rec("k", "kops_cluster", "ansible.builtin.command", 0, 30, cmd=["/x/kops", "update"], delta="0:00:20.500000"),
        rec("c", "kops_cluster", "ansible.builtin.command", 0, 3, cmd=["grep", "x"], delta="0:00:01.000000"),
        rec("l", "demo_autoscaling", "indydevops.k8s_talk.http_load", 0, 90),
        rec("w", "demo_autoscaling", "kubernetes.core.k8s_info", 90, 150, args={"wait": True}),
        rec("i", "demo_autoscaling", "kubernetes.core.k8s_info", 150, 151, args={}),
    ]
    assert bench.raw_and_waits(records, BY_ROLE) == {"cluster": (20.5, 0.0), "autoscaling": (0.0, 150.0)}
    assert bench.parse_delta("1:02:03.5") == 3723.5 and bench.parse_delta(None) == 0.0


def test_floor_plan_reads_definitions_sources_and_waits(tmp_path):
    src = tmp_path / "crd.yml"
    src.write_text("kind: CustomResourceDefinition\nmetadata: {name: a.example.org}\n")
    records = [
        rec("n", "demo_hello", "kubernetes.core.k8s", 0, 1,
            args={"definition": "kind: Namespace\nmetadata: {name: demo}\n"}),
        rec("d", "demo_hello", "kubernetes.core.k8s", 1, 5, args={
            "definition": "kind: Deployment\nmetadata: {name: web}\n---\nkind: Service\nmetadata: {name: web}\n",
            "namespace": "demo", "wait": True, "kubeconfig": "/k"}),
        rec("c", "demo_hello", "kubernetes.core.k8s", 5, 6, args={"src": str(src), "wait": True}),
        rec("x", "demo_hello", "kubernetes.core.k8s", 6, 7, args={"definition": {"kind": "Pod"}, "state": "absent"}),
        rec("s", "demo_hello", "kubernetes.core.k8s", 7, 8, censored=True, args=None),
        rec("r", "demo_hello", "kubernetes.core.k8s", 8, 9,
            args={"definition": [{"kind": "CertificateSigningRequest"}]}),
    ]
    plan = bench.floor_plan(records, BY_ROLE)["hello"]
    assert [o["kind"] for o in plan["objects"]] == ["Namespace", "Deployment", "Service", "CustomResourceDefinition"]
    assert plan["objects"][1]["metadata"]["namespace"] == "demo"
    assert plan["waits"] == [("Deployment", "demo", "web", "rollout"),
                             ("CustomResourceDefinition", None, "a.example.org", "condition=Established")]
    assert plan["censored"] == 1 and plan["kubeconfig"] == "/k"


def test_aws_reads_one_per_task_and_the_unknown_named():
    records = [rec("a", "aws_prereqs", "amazon.aws.cloudformation", 0, 1, args={"stack_name": "vpc"}),
               rec("b", "aws_prereqs", "amazon.aws.s3_bucket", 1, 2, args={"name": "state"}),
               rec("c", "aws_prereqs", "amazon.aws.something_new", 2, 3)]
    reads, unknown = bench.aws_reads(records, BY_ROLE)
    assert reads["prereqs"] == [("cloudformation", "describe_stacks", {"StackName": "vpc"}),
                                ("s3", "head_bucket", {"Bucket": "state"})]
    assert unknown == ["amazon.aws.something_new"]


@pytest.mark.parametrize("root, expected", [(1, 600), (2, 300), (9, 0)])
def test_tree_rss_sums_the_descendants(root, expected):
    statuses = {1: (0, 100), 2: (1, 200), 3: (2, 100), 4: (1, 200), 5: (0, 999)}
    assert bench.tree_rss_kib(root, statuses) == expected


def test_kubectl_path_follows_the_pin(tmp_path):
    tools = tmp_path / "tools.yml"
    tools.write_text("k8s_talk_tool_versions:\n  kubernetes: {version: v9.9.9}\n")
    path = bench.kubectl_path(str(tools), {"K8S_TALK_CACHE": "/cache"})
    assert path == "/cache/kubernetes-v9.9.9/bin/kubectl"


@pytest.mark.parametrize("cmd, expected", [
    (["/cache/kops-v1/bin/kops", "get", "cluster"], "kops"),
    (["unshare", "--mount", "sh", "-c", "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", "/r/resolv.conf",
      "/cache/kops-v1/bin/kops", "update", "cluster"], "kops"),
    ("helm status guestbook", "helm"),
    (["sh", "-c", "true"], None),
])
def test_raw_tool_sees_through_wrappers(cmd, expected):
    assert bench.raw_tool(cmd) == expected


def test_until_retries_count_as_deliberate_waits():
    records = [rec("h", "demo_autoscaling", "kubernetes.core.k8s_info", 0, 40, attempts=8),
               rec("a", "demo_autoscaling", "ansible.builtin.async_status", 40, 100, attempts=12),
               rec("o", "demo_autoscaling", "kubernetes.core.k8s_info", 100, 101, attempts=1)]
    assert bench.raw_and_waits(records, BY_ROLE) == {"autoscaling": (0.0, 100.0)}


def test_the_first_runs_verification_wait_is_its_time_less_the_reruns():
    first = [rec("v", "demo_hello", "indydevops.k8s_talk.verify", 0, 30),
             rec("v2", "demo_autoscaling", "indydevops.k8s_talk.verify", 0, 1)]
    again = [rec("v", "demo_hello", "indydevops.k8s_talk.verify", 0, 2),
             rec("v2", "demo_autoscaling", "indydevops.k8s_talk.verify", 0, 3)]
    assert bench.verify_waits(first, again, BY_ROLE) == {"hello": 28.0, "autoscaling": 0.0}


def test_an_object_applied_twice_is_applied_once_as_it_was_last():
    definition = "kind: Deployment\nmetadata: {name: web, namespace: demo}\nspec: {replicas: %d}\n"
    records = [rec("a", "demo_hello", "kubernetes.core.k8s", 0, 1, args={"definition": definition % 1}),
               rec("b", "demo_hello", "kubernetes.core.k8s", 1, 2,
                   args={"definition": "kind: Service\nmetadata: {name: web, namespace: demo}\n"}),
               rec("c", "demo_hello", "kubernetes.core.k8s", 2, 3, args={"definition": definition % 2, "wait": True}),
               rec("d", "demo_hello", "kubernetes.core.k8s", 3, 4, args={"definition": definition % 2, "wait": True})]
    plan = bench.floor_plan(records, BY_ROLE)["hello"]
    assert [(o["kind"], o.get("spec")) for o in plan["objects"]] == [("Deployment", {"replicas": 2}),
                                                                     ("Service", None)]
    assert plan["waits"] == [("Deployment", "demo", "web", "rollout")]


def test_crds_are_applied_before_the_objects_of_their_kinds():
    objects = [{"kind": "Namespace"}, {"kind": "CustomResourceDefinition"}, {"kind": "GatewayClass"}]
    assert bench.apply_batches(objects) == [[{"kind": "CustomResourceDefinition"}],
                                            [{"kind": "Namespace"}, {"kind": "GatewayClass"}]]
    assert bench.apply_batches([]) == []


def test_aws_changes_are_counted_per_stage():
    records = [rec("e", "aws_prereqs", "community.aws.efs", 0, 1, changed=True),
               rec("i", "aws_prereqs", "amazon.aws.ec2_vpc_net_info", 0, 1, changed=False),
               rec("k", "demo_hello", "kubernetes.core.k8s", 0, 1, changed=True)]
    assert bench.aws_changed(records, BY_ROLE) == {"prereqs": 1}


def test_the_report_prints_the_first_run_against_its_floor(capsys):
    def row(first_alone=None, floor_first=None, not_run=None):
        return {"first": 10.0, "rerun": 2.0, "floor_rerun": 1.0, "ratio_rerun": 2.0, "apply_error": None,
                "floor_parts": {"kubectl_apply_and_wait": 1.0, "aws_reads": 0.0, "raw_tools": 0.0,
                                "deliberate_waits": 0.0},
                "alone_first": first_alone, "alone_rerun": 2.0, "floor_first": floor_first,
                "ratio_first_alone": bench.ratio(first_alone, floor_first) if floor_first else None,
                "floor_first_not_run": not_run, "aws_changes_not_in_floor": 2 if first_alone else 0,
                "floor_first_parts": {"kubectl_apply_and_wait": 3.0, "raw_tools": 0.0, "deliberate_waits": 1.0,
                                      "verify_waits": 1.0}}
    stages = [("cluster", []), ("hello", [])]
    results = {"stages": {"cluster": row(not_run="its teardown removes the cluster"), "hello": row(12.0, 5.0)},
               "rerun_stages_seconds": 4.0, "rerun_floor_seconds": 2.0, "rerun_ratio": 2.0,
               "talk_rerun": {"seconds": 5.0, "peak_rss_mib": 1.0},
               "talk_first": {"seconds": 20.0, "peak_rss_mib": 1.0},
               "stack_warm": {"seconds": 1.0}, "stack_warm_every_task": {"seconds": 9.0}, "stack_rss_mib": 900.0,
               "aws_actions_without_a_read": [], "first_alone_seconds": 12.0, "first_alone_floor_seconds": 5.0,
               "first_alone_ratio": 2.4}
    results.update(rerun_ansible_seconds=3.0, rerun_task_mix={"k8s": 2, "module": 1},
                   task_costs={"k8s": 1.0, "module": 1.0, "skipped": 0.1})
    bench.report(stages, results)
    out = capsys.readouterr().out
    assert ("re-run: Ansible's own cost for its 3 task executions with nothing to do 3.0 s (k8s 2 x 1.00 s,"
            " module 1 x 1.00 s); with the floor 5.0 s: the stages take 0.8x that; 2x the floor is 4.0 s") in out
    assert "cluster" in out and "floor NOT RUN: its teardown removes the cluster" in out
    assert "hello           12.0 s     5.0 s    2.4   3.0 / 0.0 / 1.0 / 1.0  (2 AWS changes not in the floor)" in out
    assert "first run, each stage alone: 12.0 s, floor 5.0 s: 2.4x (target 3x: ok)" in out


def test_a_manifest_set_of_texts_is_read_document_by_document():
    args = {"definition": ["kind: Namespace\nmetadata: {name: a}\n---\nkind: Service\nmetadata: {name: b}\n",
                           {"kind": "Pod", "metadata": {"name": "c"}}]}
    assert [d["kind"] for d in bench.documents(args)] == ["Namespace", "Service", "Pod"]


def test_the_task_mix_counts_each_execution_by_kind_and_leaves_waits_to_the_floor():
    records = [rec("k", "demo_hello", "kubernetes.core.k8s", 0, 1), rec("k", "demo_hello", "kubernetes.core.k8s", 0, 1),
               rec("w", "demo_hello", "kubernetes.core.k8s_info", 1, 9, args={"wait": True}),
               rec("s", "demo_hello", "ansible.builtin.set_fact", 9, 9.1),
               rec("v", "demo_hello", "ansible.builtin.validate_argument_spec", 9, 9.1),
               rec("m", "demo_hello", "ansible.builtin.stat", 9, 9.5),
               rec("c", "demo_hello", "ansible.builtin.command", 9, 9.5, cmd=["kubectl"], attempts=3),
               rec("x", "demo_hello", "ansible.builtin.stat", 9, 9.1, status="skipped"),
               rec("o", "k8s_talk", "ansible.builtin.stat", 0, 1)]
    assert bench.task_mix(records, BY_ROLE) == {"k8s": 2, "controller": 2, "module": 2, "skipped": 1}


def test_the_probe_runs_each_kind_the_same_number_of_times_and_reads_back_per_kind():
    plays = yaml.safe_load(bench.probe_playbook("/k/config", 3))
    tasks = plays[0]["tasks"]
    assert plays[0]["hosts"] == "localhost" and plays[0]["gather_facts"] is False
    assert len(tasks) == 3 * len(bench.PROBE_TASKS)
    k8s = [t for t in tasks if t["name"].startswith("probe k8s ")]
    assert k8s[0]["kubernetes.core.k8s_info"] == {"kind": "Namespace", "name": "kube-system", "kubeconfig": "/k/config"}
    assert all(t["when"] is False for t in tasks if t["name"].startswith("probe skipped "))
    records = [{"name": "probe k8s 0", "start": 0, "end": 1.0}, {"name": "probe k8s 1", "start": 0, "end": 3.0},
               {"name": "probe module 0", "start": 0, "end": 0.5}, {"name": "Gathering", "start": 0, "end": 9}]
    costs = bench.probe_costs(records)
    assert costs == {"k8s": 2.0, "module": 0.5}
    assert bench.ansible_cost({"k8s": 10, "module": 2, "skipped": 4}, costs) == 21.0
