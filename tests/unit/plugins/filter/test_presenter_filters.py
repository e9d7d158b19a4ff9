# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters inspect_table and talk_summary: thin wrappers over module_utils."""
import os

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.indydevops.k8s_talk.plugins.filter.inspect_table import FilterModule as InspectFilters
from ansible_collections.indydevops.k8s_talk.plugins.filter.talk_summary import FilterModule as SummaryFilters

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
inspect_table = InspectFilters().filters()["inspect_table"]
talk_summary = SummaryFilters().filters()["talk_summary"]


def load(*path):
    with open(os.path.join(ROOT, *path)) as handle:
        return yaml.safe_load(handle)


def test_inspect_table_reads_counts_given_as_strings():
    cluster = load("tests", "unit", "fixtures", "inspect", "cluster.yml")
    lines = inspect_table(cluster["nodes"], cluster["pods"], cluster["events"], last="1", message_width="40")
    assert "Events: the last 1 of 3 (kubectl get events)" in lines


@pytest.mark.parametrize("last", [-1, "many", None])
def test_inspect_table_refuses_a_bad_count_as_a_filter_error(last):
    with pytest.raises(AnsibleFilterError, match="inspect_table"):
        inspect_table([], [], [], last=last)


def test_talk_summary_returns_lines_and_the_hourly_cost():
    sizing = {"control_plane": {"count": "1", "type": "t3.medium", "root_gib": "32"}, "nat_gateways": "1"}
    prices = load("roles", "summary", "vars", "prices.yml")["__summary_price_table"]
    result = talk_summary({}, "/k", context="", sizing=sizing, prices=prices, emulated=True)
    assert result["hourly_cost"] > 0 and result["lines"][1] == "Kubeconfig: /k"
    assert talk_summary({}, "/k")["hourly_cost"] is None


def test_talk_summary_refuses_a_bad_price_table_as_a_filter_error():
    with pytest.raises(AnsibleFilterError, match="price table"):
        talk_summary({}, "/k", sizing={}, prices={})
