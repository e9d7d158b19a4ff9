# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
import os

import pytest
import yaml

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_progress import Progress
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_progress import ProgressError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_progress import duration
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_progress import heartbeat_interval
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_progress import short_role
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.talk_progress import stage_of_roles

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
with open(os.path.join(ROOT, "roles", "k8s_talk", "defaults", "main", "stages.yml")) as handle:
    STAGES = yaml.safe_load(handle)["k8s_talk_stages"]
# The stages a tag selects (tagged always run with every tag): what the talk's order is made of.
TALK = [stage for stage in STAGES if "always" not in stage["tags"]]


def test_the_talk_has_its_stages_in_order():
    names = [stage["name"] for stage in TALK]
    assert names[:4] == ["prereqs", "ns", "cluster", "inspect"]
    assert names.index("addons") < names.index("hello") < names.index("autoscaling")


def test_every_role_of_the_talk_belongs_to_one_stage():
    owner = stage_of_roles(STAGES)
    assert owner["kops_cluster"] == "cluster"
    assert owner["demo_hello"] == "hello"
    roles = [role for stage in STAGES for role in stage["roles"]]
    assert len(roles) == len(set(roles))


@pytest.mark.parametrize("name, short", [
    ("indydevops.k8s_talk.demo_hello", "demo_hello"), ("demo_hello", "demo_hello"), (None, ""),
])
def test_short_role(name, short):
    assert short_role(name) == short


@pytest.mark.parametrize("seconds, text", [
    (0, "0 s"), (41.6, "42 s"), (59.4, "59 s"), (60, "1 min 00 s"), (185, "3 min 05 s"),
    (3720, "1 h 02 min"), (-3, "0 s"),
])
def test_duration(seconds, text):
    assert duration(seconds) == text


@pytest.mark.parametrize("value, seconds", [(None, 30), ("", 30), ("  ", 30), ("0", 0), ("5", 5), (12, 12)])
def test_heartbeat_interval(value, seconds):
    assert heartbeat_interval(value) == seconds


@pytest.mark.parametrize("value", ["soon", "-1", "1.5", -2])
def test_a_heartbeat_that_is_no_whole_number_names_its_variable_value_and_fix(value):
    with pytest.raises(ProgressError) as error:
        heartbeat_interval(value)
    message = str(error.value)
    assert "K8S_TALK_PROGRESS_HEARTBEAT" in message and repr(value) in message and "set it to 0" in message


def run(progress, events):
    lines = []
    for now, role, task in events:
        lines.extend(progress.task_started(role, task, now))
    return lines


def test_a_stage_starts_with_its_first_task_and_ends_when_the_next_begins():
    progress = Progress(TALK)
    count = len(TALK)
    lines = run(progress, [
        (0, None, "Preflight | Validate"),
        (1, "indydevops.k8s_talk.aws_prereqs", "Prerequisites | VPC"),
        (5, "indydevops.k8s_talk.aws_prereqs", "Prerequisites | Subnets"),
        (11, "indydevops.k8s_talk.ns_delegation", "NS | Zone"),
    ])
    assert lines == [
        "[talk] stage 1/%d prereqs started" % count,
        "[talk] stage 1/%d prereqs done in 10 s" % count,
        "[talk] stage 2/%d ns started" % count,
    ]


def test_tasks_outside_every_stage_stay_in_the_running_one():
    progress = Progress(TALK)
    run(progress, [(0, "kops_cluster", "Cluster | Update"), (3, None, "a play's own task"),
                   (4, "k8s_talk", "defaults")])
    assert progress.stage == "cluster"


def test_presenter_tasks_count_in_the_stage_they_name():
    # Presenter mode's tasks are the k8s_talk role's: before a stage's roles they name it, so its
    # narration and the pause until Enter count in that stage, not in the one before.
    progress = Progress(TALK)
    count = len(TALK)
    lines = run(progress, [(0, "inspect", "Inspect | kubectl get nodes")])
    lines += progress.task_started("k8s_talk", "Presenter | Say what the stage does", 4, stage="hello")
    lines += progress.task_started("demo_hello", "Hello | Run the echo server", 30)
    lines += progress.task_started("k8s_talk", "Presenter | Show what they print", 40, stage="hello")
    position = [stage["name"] for stage in TALK].index("hello") + 1
    assert lines == [
        "[talk] stage 4/%d inspect started" % count,
        "[talk] stage 4/%d inspect done in 4 s" % count,
        "[talk] stage %d/%d hello started" % (position, count),
    ]
    assert progress.stage == "hello"


def test_no_heartbeat_while_presenter_mode_waits_for_enter():
    progress = Progress(TALK, heartbeat=30)
    progress.task_started("k8s_talk", "Presenter | wait for Enter", 0, stage="hello", waits_on_user=True)
    assert progress.beat(300) is None
    progress.task_started("demo_hello", "Hello | Wait for the rollout", 300)
    assert progress.beat(330) == "[talk] hello: still on 'Hello | Wait for the rollout' after 30 s"


def test_a_stage_missing_from_the_order_is_named_without_a_position():
    progress = Progress(TALK)
    assert run(progress, [(0, "rehearsal_stack", "Stack | Start")]) == []
    everything = Progress(STAGES)
    started = run(everything, [(0, "rehearsal_stack", "Stack | Start")])
    assert started == ["[talk] stage 1/%d stack started" % len(STAGES)]
    orphan = Progress([{"name": "extra", "roles": ["x"]}])
    orphan.order = []
    assert run(orphan, [(0, "x", "t")]) == ["[talk] stage extra started"]


def test_the_heartbeat_names_the_stage_the_task_and_its_time_once_per_interval():
    progress = Progress(TALK, heartbeat=30)
    task = "Cluster | Validate (kops validate cluster --wait)"
    run(progress, [(100, "kops_cluster", task)])
    assert progress.beat(129) is None
    assert progress.beat(130) == "[talk] cluster: still on '%s' after 30 s" % task
    assert progress.beat(150) is None
    assert progress.beat(161) == "[talk] cluster: still on '%s' after 1 min 01 s" % task


def test_no_heartbeat_between_tasks_or_when_turned_off():
    progress = Progress(TALK, heartbeat=30)
    assert progress.beat(1000) is None
    run(progress, [(0, "kops_cluster", "Cluster | Update")])
    progress.task_ended()
    assert progress.beat(100) is None
    quiet = Progress(TALK, heartbeat=0)
    run(quiet, [(0, "kops_cluster", "Cluster | Update")])
    assert quiet.beat(1000) is None


def test_a_new_task_restarts_the_heartbeat():
    progress = Progress(TALK, heartbeat=30)
    run(progress, [(0, "kops_cluster", "one"), (25, "kops_cluster", "two")])
    assert progress.beat(40) is None
    assert progress.beat(55) == "[talk] cluster: still on 'two' after 30 s"


def test_the_heartbeat_before_any_stage_names_no_stage():
    progress = Progress(TALK, heartbeat=10)
    run(progress, [(0, None, "Preflight | Validate")])
    assert progress.beat(10) == "[talk] still on 'Preflight | Validate' after 10 s"


def test_finish_ends_the_last_stage_and_tables_every_stage_with_the_total():
    progress = Progress(TALK)
    run(progress, [(0, "aws_prereqs", "a"), (20, "kops_cluster", "b"), (95, "demo_hello", "c")])
    lines = progress.finish(100)
    count = len(TALK)
    assert lines == [
        "[talk] stage %d/%d hello done in 5 s" % ([s["name"] for s in TALK].index("hello") + 1, count),
        "[talk] time per stage:",
        "[talk]   prereqs  20 s",
        "[talk]   cluster  1 min 15 s",
        "[talk]   hello    5 s",
        "[talk]   total    1 min 40 s",
    ]
    assert progress.beat(10000) is None


def test_finish_without_any_stage_prints_nothing():
    assert Progress(TALK).finish(5) == []
