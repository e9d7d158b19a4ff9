# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Versions are pinned in one file per kind; the READMEs only repeat them.

Tools: roles/k8s_talk/defaults/main/tools.yml. Add-ons: roles/addons/vars/main.yml.
Every version the READMEs name for a pinned component (three-part versions:
the talk's 2017 versions are two-part, "kops 1.6", "external-dns v0.3") must
be the pinned one, so a bump that forgets a README fails here.
"""

import os
import re

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
READMES = ["README.md", "roles/addons/README.md", "roles/kops_cluster/README.md",
           "roles/rehearsal_stack/README.md", "roles/demo_helm/README.md", "docs/DEVELOPMENT.md"]


def load(path):
    with open(os.path.join(ROOT, path)) as handle:
        return yaml.safe_load(handle)


TOOLS = load("roles/k8s_talk/defaults/main/tools.yml")["k8s_talk_tool_versions"]
ADDONS = load("roles/addons/vars/main.yml")["addons_releases"]
# How the READMEs name each pinned component -> its pinned version.
PINNED = {
    "kops": TOOLS["kops"]["version"],
    "Helm": TOOLS["helm"]["version"],
    "metrics-server": ADDONS["metrics_server"]["version"],
    "Headlamp": ADDONS["headlamp"]["version"],
    "external-dns": ADDONS["external_dns"]["version"],
    "Traefik": ADDONS["traefik"]["version"],
    "ingress-nginx": ADDONS["ingress_nginx"]["version"],
}


def readme_texts():
    for path in READMES:
        full = os.path.join(ROOT, path)
        if os.path.exists(full):
            with open(full) as handle:
                yield path, handle.read()


def bare(version):
    return version.lstrip("v")


@pytest.mark.parametrize("name", sorted(PINNED))
def test_every_version_a_readme_names_is_the_pin(name):
    pattern = re.compile(r"\b%s v?([0-9]+\.[0-9]+\.[0-9]+)\b" % re.escape(name))
    for path, text in readme_texts():
        for found in pattern.findall(text):
            assert found == bare(PINNED[name]), "%s names %s %s, the pin is %s" % (path, name, found, PINNED[name])


@pytest.mark.parametrize("name", sorted(PINNED))
def test_the_top_readme_names_each_pin(name):
    text = dict(readme_texts())["README.md"]
    assert re.search(r"\b%s v?%s\b" % (re.escape(name), re.escape(bare(PINNED[name]))), text), name


def test_the_kops_clusters_kubernetes_is_the_pinned_one():
    defaults = load("roles/kops_cluster/defaults/main.yml")
    assert "k8s_talk_tool_versions.kubernetes.version" in defaults["kops_cluster_kubernetes_version"]


def test_the_rehearsals_traefik_is_the_add_ons_one():
    """The Traefik the rehearsal builds and imports is the version and image the add-ons run."""
    assert TOOLS["traefik"]["version"] == ADDONS["traefik"]["version"]
    assert TOOLS["traefik"]["image"] == ADDONS["traefik"]["image"]


def test_no_second_tool_version_file():
    assert not os.path.exists(os.path.join(ROOT, "tools", "versions.yml"))
