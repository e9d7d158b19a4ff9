# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""execution-environment.yml stays in step with the collection, and ansible-builder accepts it.

The kops it downloads is the pin of roles/k8s_talk/defaults/main/tools.yml (version and
release URLs), ansible-core is the pin of constraints.txt, the collection tarball is
galaxy.yml's version. `ansible-builder create` writes the build context (no container
engine needed); the Containerfile must install the collection and run the kops step.
"""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)


def load(path):
    with open(os.path.join(ROOT, path)) as handle:
        return yaml.safe_load(handle)


EE = load("execution-environment.yml")
KOPS = load("roles/k8s_talk/defaults/main/tools.yml")["k8s_talk_tool_versions"]["kops"]
GALAXY = load("galaxy.yml")
TARBALL = "%s-%s-%s.tar.gz" % (GALAXY["namespace"], GALAXY["name"], GALAXY["version"])
STEPS = EE["additional_build_steps"]["append_final"]
KOPS_STEP = next(step for step in STEPS if step.startswith("RUN") and "kops" in step)


def test_the_schema_is_ansible_builder_3():
    assert EE["version"] == 3


def test_kops_is_the_pinned_version():
    assert "ARG KOPS_VERSION=%s" % KOPS["version"] in STEPS


@pytest.mark.parametrize("key", ["url", "sha256_url"])
def test_kops_comes_from_the_pinned_release_urls(key):
    url = KOPS["release"][key].replace("{version}", "${KOPS_VERSION}").replace("{arch}", "${KOPS_ARCH}")
    assert url in KOPS_STEP


def test_kops_is_checked_and_installed_where_the_tools_module_looks():
    assert "sha256sum -c" in KOPS_STEP
    assert "ENV K8S_TALK_CACHE=/opt/k8s-talk" in STEPS and "$K8S_TALK_CACHE/kops-${KOPS_VERSION}/bin" in KOPS_STEP


@pytest.mark.parametrize("package", ["ansible-core", "ansible-builder"])
def test_pins_are_the_constraints_pins(package):
    with open(os.path.join(ROOT, "constraints.txt")) as handle:
        pin = re.search(r"^%s==(\S+)$" % re.escape(package), handle.read(), re.M).group(1)
    if package == "ansible-core":
        assert EE["dependencies"]["ansible_core"]["package_pip"] == "ansible-core==" + pin
    else:
        with open(os.path.join(ROOT, "requirements-dev.txt")) as handle:
            assert re.search(r"^ansible-builder==%s\b" % re.escape(pin), handle.read(), re.M)


def test_the_collection_is_galaxy_yml_version_and_python_the_runtime_requirements():
    assert EE["dependencies"]["python"] == "requirements.txt"
    assert [entry["src"] for entry in EE["additional_build_files"]] == ["build/" + TARBALL]
    assert [c["name"] for c in EE["dependencies"]["galaxy"]["collections"]] == ["/build/collection/" + TARBALL]


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    work = tmp_path_factory.mktemp("ee")
    for name in ("execution-environment.yml", "requirements.txt"):
        shutil.copy(os.path.join(ROOT, name), str(work))
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(work / "build"),
                    ROOT], check=True, capture_output=True)
    subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f", str(work / "execution-environment.yml"),
                    "-c", str(work / "context"), "--output-filename", "Containerfile"],
                   check=True, capture_output=True, cwd=str(work))
    return work / "context"


def test_ansible_builder_writes_a_context_with_the_collection_and_the_kops_step(context):
    containerfile = (context / "Containerfile").read_text()
    assert "ansible-galaxy collection install" in containerfile
    assert "ARG KOPS_VERSION=%s" % KOPS["version"] in containerfile
    assert "kops-linux-${KOPS_ARCH}.sha256" in containerfile and "sha256sum -c" in containerfile
    assert 'ANSIBLE_INSTALL_REFS="%s ' % EE["dependencies"]["ansible_core"]["package_pip"] in containerfile
    assert (context / "_build" / "collection" / TARBALL).is_file()
    assert "/build/collection/" + TARBALL in (context / "_build" / "requirements.yml").read_text()
    with open(os.path.join(ROOT, "requirements.txt")) as handle:
        assert (context / "_build" / "requirements.txt").read_text() == handle.read()
