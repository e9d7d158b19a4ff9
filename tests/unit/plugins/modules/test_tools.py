# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tools module in-process, with a fake Go builder (no Go, no network)."""

import os

import pytest
from ansible_collections.indydevops.k8s_talk.plugins.module_utils import tools as tools_utils
from ansible_collections.indydevops.k8s_talk.plugins.modules import tools
from conftest import ModuleFail

VERSIONS = {
    "kops": {"version": "v1.36.2", "module": "k8s.io/kops", "binaries": ["kops"]},
    "kwok": {"version": "v0.8.0", "module": "sigs.k8s.io/kwok", "binaries": ["kwok", "kwokctl"]},
}


@pytest.fixture
def builds(monkeypatch):
    built = []

    def fake_build(name):
        def build(spec, out):
            built.append(name)
            for binary in spec["binaries"]:
                with open(os.path.join(out, binary), "w", encoding="utf-8") as handle:
                    handle.write("#!/bin/sh\n")
        return build

    monkeypatch.setattr(tools_utils, "go_available", lambda: True)
    monkeypatch.setattr(tools_utils, "BUILDERS", {name: fake_build(name) for name in VERSIONS})
    return built


def test_check_real_and_both_again(run_module, tmp_path, builds):
    """The amazon.aws habit: check mode, real, idempotent check mode, idempotent real."""
    args = {"versions": VERSIONS, "names": ["kwok"], "cache_dir": str(tmp_path)}
    bin_dir = str(tmp_path / "kwok-v0.8.0" / "bin")
    expected = {"bin_dirs": {"kwok": bin_dir},
                "binaries": {"kwok": bin_dir + "/kwok", "kwokctl": bin_dir + "/kwokctl"}}

    result = run_module(tools, args, check_mode=True)
    assert result == dict(expected, changed=True, installed=["kwok"], cached=[])
    assert builds == [] and not os.path.exists(bin_dir)

    result = run_module(tools, args)
    assert result == dict(expected, changed=True, installed=["kwok"], cached=[])
    assert builds == ["kwok"] and os.access(bin_dir + "/kwokctl", os.X_OK)

    for check_mode in (True, False):
        result = run_module(tools, args, check_mode=check_mode)
        assert result == dict(expected, changed=False, installed=[], cached=["kwok"])
    assert builds == ["kwok"]


def test_names_default_to_every_pin_and_cache_dir_to_the_environment(run_module, tmp_path, monkeypatch, builds):
    monkeypatch.setenv("K8S_TALK_CACHE", str(tmp_path / "from-env"))
    result = run_module(tools, {"versions": VERSIONS})
    assert result["changed"] is True
    assert result["installed"] == ["kops", "kwok"]
    assert result["bin_dirs"] == {"kops": str(tmp_path / "from-env" / "kops-v1.36.2" / "bin"),
                                  "kwok": str(tmp_path / "from-env" / "kwok-v0.8.0" / "bin")}
    assert sorted(builds) == ["kops", "kwok"]


def test_cache_dir_expands_the_home_directory(run_module, tmp_path, monkeypatch, builds):
    monkeypatch.setenv("HOME", str(tmp_path))
    result = run_module(tools, {"versions": VERSIONS, "names": ["kops"], "cache_dir": "~/tools"},
                        check_mode=True)
    assert result["binaries"] == {"kops": str(tmp_path / "tools" / "kops-v1.36.2" / "bin" / "kops")}


def test_download_skips_the_build(run_module, tmp_path, monkeypatch, builds):
    downloaded = []

    def fake_download(spec, out):
        downloaded.append(spec["version"])
        with open(os.path.join(out, "kops"), "w", encoding="utf-8") as handle:
            handle.write("#!/bin/sh\n")

    monkeypatch.setattr(tools_utils, "download_tool", fake_download)
    pins = {"kops": dict(VERSIONS["kops"], release={"url": "u", "sha256_url": "s"})}
    result = run_module(tools, {"versions": pins, "cache_dir": str(tmp_path), "download": True})
    assert result["changed"] and downloaded == ["v1.36.2"] and builds == []


@pytest.mark.parametrize("args, message", [
    ({"versions": VERSIONS, "names": ["helm"]}, "unknown tool(s) helm; known: kops, kwok"),
    ({"versions": {"kops": {"version": "v1.36.2"}}}, "the pin of kops needs at least a version"),
    ({"names": ["kops"]}, "missing required arguments: versions"),
])
def test_fails_with_a_message_a_user_can_act_on(run_module, tmp_path, builds, args, message):
    with pytest.raises(ModuleFail) as exc:
        run_module(tools, dict(args, cache_dir=str(tmp_path)))
    assert message in exc.value.result["msg"]
    assert builds == []


def test_a_failed_build_fails_the_module(run_module, tmp_path, monkeypatch, builds):
    def broken(spec, out):
        raise tools_utils.ToolsError("command failed (1): go build ...")

    monkeypatch.setitem(tools_utils.BUILDERS, "kops", broken)
    with pytest.raises(ModuleFail) as exc:
        run_module(tools, {"versions": VERSIONS, "names": ["kops"], "cache_dir": str(tmp_path)})
    assert exc.value.result["msg"] == "command failed (1): go build ..."
