# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tool installer's logic: pure helpers, and ensure() with a fake builder (no Go, no network)."""

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import tarfile

import pytest
import yaml

from ansible_collections.indydevops.k8s_talk.plugins.module_utils import tools

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
PINS_FILE = os.path.join(ROOT, "roles", "k8s_talk", "defaults", "main", "tools.yml")
SHA_A = "a" * 64
SHA_B = "b" * 64

VERSIONS = {
    "kops": {"version": "v1.36.2", "module": "k8s.io/kops", "binaries": ["kops"],
             "release": {"url": "https://example.invalid/{version}/kops-linux-{arch}",
                         "sha256_url": "https://example.invalid/{version}/kops-linux-{arch}.sha256"}},
    "kwok": {"version": "v0.8.0", "module": "sigs.k8s.io/kwok", "binaries": ["kwok", "kwokctl"],
             "release": {"url": "https://example.invalid/{version}/{binary}-linux-{arch}",
                         "sha256_url": "https://example.invalid/{version}/checksums.txt"}},
}


def write_binaries(directory, binaries, mode=0o755):
    os.makedirs(directory, exist_ok=True)
    for binary in binaries:
        path = os.path.join(directory, binary)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("#!/bin/sh\necho fake\n")
        os.chmod(path, mode)


@pytest.fixture
def builds(monkeypatch):
    """Replace the Go builders with one that writes fake binaries; return the names it built."""
    built = []

    def fake_build(name):
        def build(spec, out):
            built.append(name)
            write_binaries(out, spec["binaries"], mode=0o644)  # install() makes them executable
        return build

    monkeypatch.setattr(tools, "go_available", lambda: True)
    monkeypatch.setattr(tools, "BUILDERS", {name: fake_build(name) for name in VERSIONS})
    return built


@pytest.fixture
def downloads(monkeypatch):
    fetched = []

    def fake_download(spec, out):
        fetched.append(spec["version"])
        write_binaries(out, spec["binaries"])

    monkeypatch.setattr(tools, "download_tool", fake_download)
    return fetched


GOMOD = """module k8s.io/kubernetes

go 1.26.0

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/client-go => ./staging/src/k8s.io/client-go
\tk8s.io/component-base => ./staging/src/k8s.io/component-base
)

require github.com/other/module v1.0.0
"""


@pytest.mark.parametrize("version, published", [
    ("v1.36.3", "v0.36.3"),
    ("v1.8.0", "v0.8.0"),
    ("v1.37.0-rc.1", "v0.37.0-rc.1"),
])
def test_staging_replaces_map_to_the_published_version(version, published):
    assert tools.staging_replaces(GOMOD, version) == [
        ("k8s.io/api", published), ("k8s.io/client-go", published), ("k8s.io/component-base", published)]


@pytest.mark.parametrize("gomod, version, message", [
    (GOMOD, "v2.0.0", "unexpected Kubernetes version"),
    (GOMOD, "1.36.3", "unexpected Kubernetes version"),
    ("module k8s.io/kubernetes\n\ngo 1.26\n", "v1.36.3", "no staging replaces"),
])
def test_staging_replaces_refuses(gomod, version, message):
    with pytest.raises(tools.ToolsError, match=message):
        tools.staging_replaces(gomod, version)


@pytest.mark.parametrize("gomod, directive", [
    (GOMOD, "1.26.0"),
    ("module x\n\ngo 1.25\n", "1.25"),
    ("module x\n", "1.26"),
])
def test_go_directive(gomod, directive):
    assert tools.go_directive(gomod) == directive


@pytest.mark.parametrize("sums, filename, want", [
    # a .sha256 file: the bare hash (kops, Kubernetes)
    (SHA_A + "\n", "kops-linux-amd64", SHA_A),
    (SHA_A, "anything", SHA_A),
    # a SHA256SUMS / checksums.txt list (etcd, kwok)
    ("%s  etcd-v3.6.16-linux-amd64.tar.gz\n%s  etcd-v3.6.16-linux-arm64.tar.gz\n" % (SHA_A, SHA_B),
     "etcd-v3.6.16-linux-arm64.tar.gz", SHA_B),
    ("%s *kwok-linux-amd64\n%s *kwokctl-linux-amd64\n" % (SHA_A, SHA_B), "kwokctl-linux-amd64", SHA_B),
    ("%s  ./dist/kwok-linux-amd64\n" % SHA_A, "kwok-linux-amd64", SHA_A),
])
def test_expected_sum_reads_both_formats(sums, filename, want):
    assert tools.expected_sum(sums, filename) == want


@pytest.mark.parametrize("sums", ["", "%s  other-file\n" % SHA_A, "not-a-hash\n"])
def test_expected_sum_refuses_a_missing_file(sums):
    with pytest.raises(tools.ToolsError, match="no sha256 for kops-linux-amd64"):
        tools.expected_sum(sums, "kops-linux-amd64")


@pytest.mark.parametrize("cache_root, name, version, expected", [
    ("/c", "kops", "v1.36.2", "/c/kops-v1.36.2/bin"),
    ("/home/u/.cache/k8s-talk", "kubernetes", "v1.36.3", "/home/u/.cache/k8s-talk/kubernetes-v1.36.3/bin"),
    ("rel", "etcd", "v3.6.16", "rel/etcd-v3.6.16/bin"),
])
def test_bin_dir_layout(cache_root, name, version, expected):
    assert tools.bin_dir(cache_root, name, {"version": version}) == expected


def test_bin_dirs_cover_every_pin():
    assert tools.bin_dirs(VERSIONS, "/c") == {"kops": "/c/kops-v1.36.2/bin", "kwok": "/c/kwok-v0.8.0/bin"}


@pytest.mark.parametrize("environ, expected", [
    ({"K8S_TALK_CACHE": "/srv/tools"}, "/srv/tools"),
    ({"K8S_TALK_CACHE": ""}, os.path.join(os.path.expanduser("~"), ".cache", "k8s-talk")),
    ({}, os.path.join(os.path.expanduser("~"), ".cache", "k8s-talk")),
])
def test_default_cache_root(environ, expected):
    assert tools.default_cache_root(environ) == expected


@pytest.mark.parametrize("machine, expected", [
    ("x86_64", "amd64"), ("aarch64", "arm64"), ("arm64", "arm64"), ("ppc64le", "ppc64le"), ("X86_64", "amd64"),
])
def test_arch(machine, expected):
    assert tools.arch(machine) == expected


def test_the_pins_file_holds_only_the_tool_versions():
    with open(PINS_FILE, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert list(data) == ["k8s_talk_tool_versions"]
    pins = data["k8s_talk_tool_versions"]
    assert list(pins) == ["kops", "kwok", "etcd", "kubernetes", "kubernetes-node", "containerd",
                          "cni-plugins", "pause", "agnhost", "coredns", "helm", "traefik", "metrics-server"]
    for name, spec in pins.items():
        assert spec["version"].startswith("v"), name
        assert name in tools.BUILDERS
        # Only CoreDNS' build takes a choice (its compiled-in plugins).
        assert "plugins" not in spec or name == "coredns", name
        keys = set(spec) - {"plugins"}
        if "image" in spec:  # imported into the node as an image (pause and agnhost have no release)
            assert keys - {"release"} == {"version", "module", "binaries", "image"}, name
            assert tools.image_tag(spec)
            if "release" not in spec:
                continue
        assert keys - {"image"} == {"version", "module", "binaries", "release"}, name
        assert "sha256_url" in spec["release"] and ("url" in spec["release"]) != ("archive" in spec["release"])


def test_the_node_runs_the_control_planes_kubernetes():
    with open(PINS_FILE, encoding="utf-8") as handle:
        pins = yaml.safe_load(handle)["k8s_talk_tool_versions"]
    for name in ("kubernetes-node", "pause", "agnhost"):
        assert (pins[name]["module"], pins[name]["version"]) == (
            pins["kubernetes"]["module"], pins["kubernetes"]["version"]), name


@pytest.mark.parametrize("spec, machine, expected", [
    ({"version": "v2.4.2"}, "x86_64", {"version": "v2.4.2", "bare_version": "2.4.2", "arch": "amd64"}),
    ({"version": "v1.10.0"}, "aarch64", {"version": "v1.10.0", "bare_version": "1.10.0", "arch": "arm64"}),
])
def test_release_fields(spec, machine, expected):
    assert tools.release_fields(spec, machine) == expected


@pytest.mark.parametrize("image, tag", [
    ("registry.k8s.io/pause:3.10.2", "3.10.2"),
    ("registry.k8s.io/e2e-test-images/agnhost:2.63.0", "2.63.0"),
    ("localhost:5000/x/y:v1", "v1"),
])
def test_image_tag(image, tag):
    assert tools.image_tag({"image": image}) == tag


@pytest.mark.parametrize("image", [None, "", "pause", "registry.k8s.io/pause", "pause:3.10",
                                   "registry.k8s.io/pause@sha256:" + SHA_A])
def test_image_tag_refuses_a_reference_without_registry_or_tag(image):
    with pytest.raises(tools.ToolsError, match="image reference with a tag"):
        tools.image_tag({"image": image})


def test_cni_packages_map_each_plugin_to_its_directory():
    spec = {"module": "github.com/containernetworking/plugins",
            "binaries": ["bridge", "host-local", "loopback", "portmap"]}
    assert tools.cni_packages(spec) == [
        "github.com/containernetworking/plugins/plugins/main/bridge",
        "github.com/containernetworking/plugins/plugins/ipam/host-local",
        "github.com/containernetworking/plugins/plugins/main/loopback",
        "github.com/containernetworking/plugins/plugins/meta/portmap",
    ]


def test_cni_packages_refuse_an_unknown_plugin():
    with pytest.raises(tools.ToolsError, match="unknown CNI plugin.*flannel"):
        tools.cni_packages({"module": "m", "binaries": ["bridge", "flannel"]})


def test_pause_cflags_stamp_the_image_version_as_upstreams_makefile():
    assert tools.pause_cflags({"image": "registry.k8s.io/pause:3.10.2"}) == [
        "-Os", "-Wall", "-Werror", "-static", "-DVERSION=v3.10.2-0"]


def test_pause_needs_a_c_compiler(tmp_path, monkeypatch):
    monkeypatch.setattr(tools.shutil, "which", lambda name: None)
    with pytest.raises(tools.ToolsError, match="C compiler"):
        tools.build_pause({"module": "k8s.io/kubernetes", "version": "v1.36.3",
                           "image": "registry.k8s.io/pause:3.10.2"}, str(tmp_path))


@pytest.fixture
def wrapper_calls(monkeypatch):
    """Record build_with_wrapper's arguments instead of running go."""
    calls = []
    monkeypatch.setattr(tools, "build_with_wrapper", lambda spec, out, pkgs, ldflags, replaces=(), **kw:
                        calls.append({"pkgs": pkgs, "ldflags": ldflags, "replaces": list(replaces)}))
    monkeypatch.setattr(tools, "module_gomod", lambda module, version:
                        "module k8s.io/kubernetes\n\treplace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n)\n")
    return calls


def test_containerd_is_stamped_as_its_makefile_does(wrapper_calls):
    tools.build_containerd({"module": "github.com/containerd/containerd/v2", "version": "v2.4.2",
                            "binaries": ["containerd", "ctr"]}, "/out")
    assert wrapper_calls == [{
        "pkgs": ["github.com/containerd/containerd/v2/cmd/containerd",
                 "github.com/containerd/containerd/v2/cmd/ctr"],
        "ldflags": "-s -w -X github.com/containerd/containerd/v2/version.Version=v2.4.2"
                   " -X github.com/containerd/containerd/v2/version.Package=github.com/containerd/containerd",
        "replaces": []}]


def test_cni_plugins_carry_their_version(wrapper_calls):
    tools.build_cni_plugins({"module": "github.com/containernetworking/plugins", "version": "v1.10.0",
                             "binaries": ["loopback"]}, "/out")
    assert wrapper_calls[0]["ldflags"].endswith("/pkg/utils/buildversion.BuildVersion=v1.10.0")
    assert wrapper_calls[0]["pkgs"] == ["github.com/containernetworking/plugins/plugins/main/loopback"]


def test_agnhost_builds_from_the_kubernetes_source_with_its_image_version(wrapper_calls):
    tools.build_agnhost({"module": "k8s.io/kubernetes", "version": "v1.36.3", "binaries": ["agnhost"],
                         "image": "registry.k8s.io/e2e-test-images/agnhost:2.63.0"}, "/out")
    assert wrapper_calls == [{"pkgs": ["k8s.io/kubernetes/test/images/agnhost"],
                              "ldflags": "-s -w -X main.Version=2.63.0",
                              "replaces": [("k8s.io/api", "v0.36.3")]}]


def test_metrics_server_is_stamped_as_its_makefile_does(wrapper_calls):
    tools.build_metrics_server({"module": "sigs.k8s.io/metrics-server", "version": "v0.8.0",
                                "binaries": ["metrics-server"]}, "/out")
    assert wrapper_calls == [{"pkgs": ["sigs.k8s.io/metrics-server/cmd/metrics-server"],
                              "ldflags": "-s -w -X k8s.io/client-go/pkg/version.gitVersion=v0.8.0", "replaces": []}]


def test_helm_is_stamped_as_its_makefile_stamps_a_release(wrapper_calls):
    tools.build_helm({"module": "helm.sh/helm/v4", "version": "v4.3.1", "binaries": ["helm"]}, "/out")
    assert wrapper_calls == [{"pkgs": ["helm.sh/helm/v4/cmd/helm"],
                              "ldflags": "-s -w -X helm.sh/helm/v4/internal/version.version=v4.3.1"
                                         " -X helm.sh/helm/v4/internal/version.gitTreeState=clean",
                              "replaces": []}]


TRAEFIK_37_GOMOD = """module github.com/traefik/traefik/v3

go 1.26.0

require github.com/traefik/traefik/dynamic/ext v0.0.0-00010101000000-000000000000

// Dynamic config extension.
replace github.com/traefik/traefik/dynamic/ext => ./pkg/config/dynamic/ext

// Containous forks
replace (
\tgithub.com/abbot/go-http-auth => github.com/containous/go-http-auth v0.4.1-0.20260804094822-b975dcaa8c48
\tgithub.com/gorilla/mux => github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59 // a fork
)

exclude github.com/tencentcloud/tencentcloud-sdk-go v3.0.83+incompatible
"""


def test_gomod_directives_read_single_lines_and_blocks():
    assert tools.gomod_directives(TRAEFIK_37_GOMOD, "replace") == [
        ("github.com/traefik/traefik/dynamic/ext", "./pkg/config/dynamic/ext"),
        ("github.com/abbot/go-http-auth", "github.com/containous/go-http-auth v0.4.1-0.20260804094822-b975dcaa8c48"),
        ("github.com/gorilla/mux", "github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59")]
    assert tools.gomod_directives(TRAEFIK_37_GOMOD, "exclude") == [
        ("github.com/tencentcloud/tencentcloud-sdk-go v3.0.83+incompatible", "")]
    assert tools.gomod_directives("module x\n", "replace") == []


def test_traefik_keeps_its_forks_and_gets_the_ext_module_it_cannot_download():
    lines, files = tools.traefik_directives(TRAEFIK_37_GOMOD)
    assert lines == [
        "replace github.com/traefik/traefik/dynamic/ext => ./traefik-dynamic-ext",
        "replace github.com/abbot/go-http-auth => "
        "github.com/containous/go-http-auth v0.4.1-0.20260804094822-b975dcaa8c48",
        "replace github.com/gorilla/mux => github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59",
        "exclude github.com/tencentcloud/tencentcloud-sdk-go v3.0.83+incompatible"]
    assert files["traefik-dynamic-ext/go.mod"].startswith("module github.com/traefik/traefik/dynamic/ext\n")
    assert "type HTTP struct{}" in files["traefik-dynamic-ext/ext.go"]
    assert "type Router struct{}" in files["traefik-dynamic-ext/ext.go"]
    # v3.6 has no ext module: only the forks, no files.
    lines, files = tools.traefik_directives(TRAEFIK_37_GOMOD.replace(
        "replace github.com/traefik/traefik/dynamic/ext => ./pkg/config/dynamic/ext", ""))
    assert files == {} and lines[0].startswith("replace github.com/abbot/go-http-auth")


def test_traefik_refuses_another_local_replace():
    with pytest.raises(tools.ToolsError, match="module zip does not hold"):
        tools.traefik_directives("replace example.com/x => ./x\n")


def test_traefik_is_stamped_as_its_makefile_does(monkeypatch):
    calls = []
    monkeypatch.setattr(tools, "module_gomod", lambda module, version: TRAEFIK_37_GOMOD)
    monkeypatch.setattr(tools, "build_with_wrapper", lambda spec, out, pkgs, ldflags, **kw:
                        calls.append((pkgs, ldflags, kw["directives"], sorted(kw["files"]))))
    tools.build_traefik({"module": "github.com/traefik/traefik/v3", "version": "v3.7.13",
                         "binaries": ["traefik"]}, "/out")
    pkgs, ldflags, directives, files = calls[0]
    assert pkgs == ["github.com/traefik/traefik/v3/cmd/traefik"]
    assert ldflags == ("-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=v3.7.13"
                       " -X github.com/traefik/traefik/v3/pkg/version.BuildDate=1970-01-01T00:00:00Z")
    assert len(directives) == 4 and files == ["traefik-dynamic-ext/ext.go", "traefik-dynamic-ext/go.mod"]


# ensure(): (cached before, check_mode) -> (changed, installed, cached, names built)
@pytest.mark.parametrize("cached_before, check_mode, changed, installed, cached", [
    ([], False, True, ["kops", "kwok"], []),
    ([], True, True, ["kops", "kwok"], []),
    (["kops"], False, True, ["kwok"], ["kops"]),
    (["kops"], True, True, ["kwok"], ["kops"]),
    (["kops", "kwok"], False, False, [], ["kops", "kwok"]),
    (["kops", "kwok"], True, False, [], ["kops", "kwok"]),
])
def test_ensure_builds_only_what_is_missing(tmp_path, builds, cached_before, check_mode, changed, installed, cached):
    root = str(tmp_path)
    for name in cached_before:
        write_binaries(tools.bin_dir(root, name, VERSIONS[name]), VERSIONS[name]["binaries"])
    got_changed, result = tools.ensure(VERSIONS, root, None, check_mode=check_mode)
    assert got_changed is changed
    assert result == {
        "bin_dirs": {"kops": root + "/kops-v1.36.2/bin", "kwok": root + "/kwok-v0.8.0/bin"},
        "binaries": {"kops": root + "/kops-v1.36.2/bin/kops", "kwok": root + "/kwok-v0.8.0/bin/kwok",
                     "kwokctl": root + "/kwok-v0.8.0/bin/kwokctl"},
        "installed": installed,
        "cached": cached,
    }
    assert builds == ([] if check_mode else installed)
    for name, spec in VERSIONS.items():
        assert tools.is_installed(root, name, spec) is (name in cached_before or not check_mode)
    assert not [d for walk in os.walk(root) for d in walk[1] if d.endswith(".partial")]


def test_ensure_installs_executables_and_a_second_run_does_nothing(tmp_path, builds):
    root = str(tmp_path)
    assert tools.ensure(VERSIONS, root, ["kwok"])[0] is True
    mode = os.stat(os.path.join(root, "kwok-v0.8.0", "bin", "kwokctl")).st_mode
    assert mode & stat.S_IXUSR
    changed, result = tools.ensure(VERSIONS, root, ["kwok"])
    assert (changed, result["installed"], result["cached"]) == (False, [], ["kwok"])
    assert builds == ["kwok"]


def test_ensure_keeps_the_order_of_names_and_drops_duplicates(tmp_path, builds):
    changed, result = tools.ensure(VERSIONS, str(tmp_path), ["kwok", "kops", "kwok"])
    assert changed and result["installed"] == ["kwok", "kops"] and list(result["bin_dirs"]) == ["kwok", "kops"]
    assert builds == ["kwok", "kops"]


def test_a_binary_that_is_not_executable_counts_as_missing(tmp_path, builds):
    root = str(tmp_path)
    write_binaries(tools.bin_dir(root, "kwok", VERSIONS["kwok"]), ["kwok"])
    write_binaries(tools.bin_dir(root, "kwok", VERSIONS["kwok"]), ["kwokctl"], mode=0o644)
    changed, result = tools.ensure(VERSIONS, root, ["kwok"])
    assert changed and result["installed"] == ["kwok"] and builds == ["kwok"]


def test_a_version_bump_gets_its_own_directory(tmp_path, builds):
    root = str(tmp_path)
    write_binaries(tools.bin_dir(root, "kops", VERSIONS["kops"]), ["kops"])
    bumped = {"kops": dict(VERSIONS["kops"], version="v1.37.0")}
    changed, result = tools.ensure(bumped, root, ["kops"])
    assert changed and result["bin_dirs"]["kops"] == root + "/kops-v1.37.0/bin"
    assert tools.is_installed(root, "kops", VERSIONS["kops"])


@pytest.mark.parametrize("go, force_download, method", [
    (True, False, "build"),
    (True, True, "download"),
    (False, False, "download"),
])
def test_build_or_download(tmp_path, monkeypatch, builds, downloads, go, force_download, method):
    monkeypatch.setattr(tools, "go_available", lambda: go)
    messages = []
    changed, result = tools.ensure(VERSIONS, str(tmp_path), ["kops"], force_download=force_download,
                                   log=messages.append)
    assert changed and result["installed"] == ["kops"]
    assert (builds, downloads) == ((["kops"], []) if method == "build" else ([], ["v1.36.2"]))
    how = "build from the Go module proxy" if method == "build" else "download release binaries"
    assert messages[0] == "kops v1.36.2: %s ..." % how
    assert " done in " in messages[-1]


def test_a_cached_tool_is_logged(tmp_path, builds):
    root = str(tmp_path)
    write_binaries(tools.bin_dir(root, "kops", VERSIONS["kops"]), ["kops"])
    messages = []
    tools.ensure(VERSIONS, root, ["kops"], log=messages.append)
    assert messages == ["kops v1.36.2: cached in %s/kops-v1.36.2/bin" % root]


def test_a_failed_build_leaves_nothing_behind(tmp_path, monkeypatch, builds):
    def broken(spec, out):
        write_binaries(out, ["half"])
        raise tools.ToolsError("command failed (1): go build")

    monkeypatch.setitem(tools.BUILDERS, "kops", broken)
    with pytest.raises(tools.ToolsError, match="go build"):
        tools.ensure(VERSIONS, str(tmp_path), ["kops"])
    assert not os.path.exists(os.path.join(str(tmp_path), "kops-v1.36.2", "bin.partial"))
    assert not os.path.exists(os.path.join(str(tmp_path), "kops-v1.36.2", "bin"))


def test_an_os_error_becomes_a_tools_error(tmp_path, monkeypatch, builds):
    def unreachable(spec, out):
        raise OSError("network is unreachable")

    monkeypatch.setattr(tools, "go_available", lambda: False)
    monkeypatch.setattr(tools, "download_tool", unreachable)
    with pytest.raises(tools.ToolsError, match="kops v1.36.2: download release binaries failed: network"):
        tools.ensure(VERSIONS, str(tmp_path), ["kops"])


@pytest.mark.parametrize("versions, names, message", [
    (VERSIONS, ["kops", "helm", "argo"], "unknown tool\\(s\\) argo, helm; known: kops, kwok"),
    ({"kops": {"version": "v1"}}, ["kops"], "the pin of kops needs at least a version and a list of binaries"),
    ({"kops": "v1.36.2"}, None, "the pin of kops needs"),
    ({"kops": {"version": "v1", "binaries": ["kops"]}}, ["kops"], "names no release to download"),
])
def test_ensure_refuses(tmp_path, monkeypatch, versions, names, message):
    monkeypatch.setattr(tools, "go_available", lambda: False)
    with pytest.raises(tools.ToolsError, match=message):
        tools.ensure(versions, str(tmp_path), names)


def test_unknown_names_are_refused_before_anything_is_built(tmp_path, builds):
    with pytest.raises(tools.ToolsError):
        tools.ensure(VERSIONS, str(tmp_path), ["kops", "nope"])
    assert builds == [] and os.listdir(str(tmp_path)) == []


# build_groups(): tools of one Go module build in one group, in the order given.
@pytest.mark.parametrize("modules, names, groups", [
    ({"a": "m1", "b": "m2"}, ["a", "b"], [["a"], ["b"]]),
    ({"k": "k8s.io/kubernetes", "n": "k8s.io/kubernetes", "p": "k8s.io/kubernetes", "c": "x"},
     ["k", "c", "n", "p"], [["k", "n", "p"], ["c"]]),
    ({"a": None, "b": None}, ["b", "a"], [["b"], ["a"]]),
    ({"a": "m"}, [], []),
])
def test_build_groups(modules, names, groups):
    versions = {name: {"version": "v1", "binaries": [name], "module": module} for name, module in modules.items()}
    assert tools.build_groups(versions, names) == groups


def test_parallel_jobs_build_every_group_side_by_side(tmp_path, monkeypatch):
    """Two groups with jobs=2 run at once: each build waits until the other has started."""
    import threading

    versions = {name: {"version": "v1", "module": name, "binaries": [name]} for name in ("one", "two")}
    barrier = threading.Barrier(2, timeout=10)

    def build(spec, out):
        barrier.wait()  # times out (BrokenBarrierError) if the builds ran one after another
        write_binaries(out, spec["binaries"])

    monkeypatch.setattr(tools, "go_available", lambda: True)
    monkeypatch.setattr(tools, "BUILDERS", {"one": build, "two": build})
    changed, result = tools.ensure(versions, str(tmp_path), None, jobs=2)
    assert changed and result["installed"] == ["one", "two"]
    assert all(tools.is_installed(str(tmp_path), n, versions[n]) for n in versions)


def test_a_failed_group_does_not_stop_the_others_and_its_error_is_raised(tmp_path, monkeypatch, builds):
    def broken(spec, out):
        raise tools.ToolsError("command failed (1): go build kops")

    monkeypatch.setitem(tools.BUILDERS, "kops", broken)
    with pytest.raises(tools.ToolsError, match="go build kops"):
        tools.ensure(VERSIONS, str(tmp_path), ["kops", "kwok"], jobs=2)
    assert builds == ["kwok"] and tools.is_installed(str(tmp_path), "kwok", VERSIONS["kwok"])
    assert not os.path.exists(os.path.join(str(tmp_path), "kops-v1.36.2", "bin.partial"))


class Response(io.BytesIO):
    """What open_url returns, as far as fetch() uses it."""


def serve(monkeypatch, files):
    """Make open_url answer from files {url: bytes}; anything else is unreachable."""
    asked = []

    def fake_open_url(url, timeout=None):
        asked.append(url)
        if url not in files:
            raise OSError("unreachable: %s" % url)
        return Response(files[url])

    monkeypatch.setattr(tools, "open_url", fake_open_url)
    monkeypatch.setattr(tools, "arch", lambda machine=None: "amd64")
    return asked


def sha(data):
    return hashlib.sha256(data).hexdigest()


def test_download_checks_each_binary_against_its_sha256_file(tmp_path, monkeypatch):
    spec = {"version": "v1.36.2", "binaries": ["kops"], "release": VERSIONS["kops"]["release"]}
    serve(monkeypatch, {"https://example.invalid/v1.36.2/kops-linux-amd64": b"kops!",
                        "https://example.invalid/v1.36.2/kops-linux-amd64.sha256": sha(b"kops!").encode()})
    tools.download_tool(spec, str(tmp_path))
    assert (tmp_path / "kops").read_bytes() == b"kops!"


def test_download_reads_a_checksums_list(tmp_path, monkeypatch):
    sums = "%s  kwok-linux-amd64\n%s  kwokctl-linux-amd64\n" % (sha(b"kwok"), sha(b"kwokctl"))
    serve(monkeypatch, {"https://example.invalid/v0.8.0/kwok-linux-amd64": b"kwok",
                        "https://example.invalid/v0.8.0/kwokctl-linux-amd64": b"kwokctl",
                        "https://example.invalid/v0.8.0/checksums.txt": sums.encode()})
    tools.download_tool(VERSIONS["kwok"], str(tmp_path))
    assert sorted(os.listdir(str(tmp_path))) == ["kwok", "kwokctl"]


def tar_gz(members):
    """A .tar.gz in memory holding members ((path, bytes), ...)."""
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return archive


def test_download_unpacks_only_the_binaries_of_an_archive(tmp_path, monkeypatch):
    archive = tar_gz((("etcd-v3.6.16-linux-amd64/etcd", b"etcd"), ("etcd-v3.6.16-linux-amd64/README", b"r")))
    base = "https://example.invalid/v3.6.16/"
    spec = {"version": "v3.6.16", "binaries": ["etcd"],
            "release": {"archive": base + "etcd-{version}-linux-{arch}.tar.gz", "sha256_url": base + "SHA256SUMS"}}
    sums = "%s  etcd-v3.6.16-linux-amd64.tar.gz\n" % sha(archive.getvalue())
    serve(monkeypatch, {base + "etcd-v3.6.16-linux-amd64.tar.gz": archive.getvalue(),
                        base + "SHA256SUMS": sums.encode()})
    out = tmp_path / "out"
    out.mkdir()
    tools.download_tool(spec, str(out))
    assert os.listdir(str(out)) == ["etcd"] and (out / "etcd").read_bytes() == b"etcd"


def test_helm_downloads_from_its_official_archive_and_sha256sum(tmp_path, monkeypatch):
    with open(PINS_FILE, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)["k8s_talk_tool_versions"]["helm"]
    archive = tar_gz((("linux-amd64/helm", b"helm"), ("linux-amd64/LICENSE", b"l")))
    url = "https://get.helm.sh/helm-%s-linux-amd64.tar.gz" % spec["version"]
    serve(monkeypatch, {url: archive.getvalue(),
                        url + ".sha256sum": ("%s  %s\n" % (sha(archive.getvalue()), os.path.basename(url))).encode()})
    tools.download_tool(spec, str(tmp_path))
    assert os.listdir(str(tmp_path)) == ["helm"] and (tmp_path / "helm").read_bytes() == b"helm"


def test_download_refuses_a_sha256_mismatch(tmp_path, monkeypatch):
    serve(monkeypatch, {"https://example.invalid/v1.36.2/kops-linux-amd64": b"tampered",
                        "https://example.invalid/v1.36.2/kops-linux-amd64.sha256": SHA_A.encode()})
    with pytest.raises(tools.ToolsError, match="sha256 mismatch for https://example.invalid/v1.36.2/kops-linux-amd64"):
        tools.download_tool(VERSIONS["kops"], str(tmp_path))
    assert os.listdir(str(tmp_path)) == []


def test_an_unreachable_url_is_a_tools_error(tmp_path, monkeypatch):
    serve(monkeypatch, {})
    with pytest.raises(tools.ToolsError, match="cannot download https://example.invalid/.*unreachable"):
        tools.download_tool(VERSIONS["kops"], str(tmp_path))


def test_downloads_need_ansible_core(tmp_path, monkeypatch):
    monkeypatch.setattr(tools, "open_url", None)
    with pytest.raises(tools.ToolsError, match="needs ansible-core"):
        tools.fetch("https://example.invalid/x", str(tmp_path / "x"))


def cli(*args, cache):
    # No go on PATH and no reachable proxy: the CLI must find everything cached.
    env = {"PATH": os.path.dirname(sys.executable), "K8S_TALK_CACHE": cache, "HOME": cache,
           "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"}
    return subprocess.run([sys.executable, os.path.join(ROOT, "tools", "install.py")] + list(args),
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
                          timeout=60)


def test_cli_prints_the_bin_dirs_of_every_pin(tmp_path):
    proc = cli("--print-bin-dirs", cache=str(tmp_path))
    assert proc.returncode == 0, proc.stdout
    with open(PINS_FILE, encoding="utf-8") as handle:
        pins = yaml.safe_load(handle)["k8s_talk_tool_versions"]
    assert json.loads(proc.stdout) == {n: "%s/%s-%s/bin" % (tmp_path, n, s["version"]) for n, s in pins.items()}


def test_cli_reports_cached_tools_and_refuses_unknown_ones(tmp_path):
    with open(PINS_FILE, encoding="utf-8") as handle:
        pins = yaml.safe_load(handle)["k8s_talk_tool_versions"]
    write_binaries(tools.bin_dir(str(tmp_path), "kops", pins["kops"]), pins["kops"]["binaries"])
    proc = cli("kops", cache=str(tmp_path))
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.splitlines()[0] == "[tools] kops %s: cached in %s/kops-%s/bin" % (
        pins["kops"]["version"], tmp_path, pins["kops"]["version"])
    assert proc.stdout.splitlines()[-1].startswith("[tools] all tools ready in ")
    proc = cli("kops", "terraform", cache=str(tmp_path))
    assert proc.returncode == 2
    assert proc.stdout == ("[tools] unknown tool(s) terraform; known: kops, kwok, etcd, kubernetes, kubernetes-node, "
                           "containerd, cni-plugins, pause, agnhost, coredns, helm, traefik, metrics-server\n")


def test_coredns_main_imports_only_the_pinned_plugins():
    spec = {"module": "github.com/coredns/coredns", "plugins": ["reload", "kubernetes", "bind", "kubernetes"]}
    src = tools.coredns_main(spec)
    assert '"github.com/coredns/coredns/coremain"' in src and "coremain.Run()" in src
    imported = [line.split('"')[1] for line in src.splitlines() if line.startswith('\t_ "')]
    assert imported == ["github.com/coredns/coredns/plugin/" + p for p in ("bind", "kubernetes", "reload")]
    everything = tools.coredns_main({"module": "github.com/coredns/coredns"})
    assert '_ "github.com/coredns/coredns/core/plugin"' in everything


@pytest.mark.parametrize("plugin", ["../x", "Kubernetes", "a b", ""])
def test_coredns_main_refuses_a_plugin_name_that_is_not_a_word(plugin):
    with pytest.raises(tools.ToolsError, match="lowercase words"):
        tools.coredns_main({"module": "github.com/coredns/coredns", "plugins": ["cache", plugin]})


def test_coredns_pin_compiles_in_every_plugin_the_rehearsal_corefile_uses():
    with open(PINS_FILE, encoding="utf-8") as handle:
        pinned = set(yaml.safe_load(handle)["k8s_talk_tool_versions"]["coredns"]["plugins"])
    template = os.path.join(ROOT, "roles", "rehearsal_stack", "templates", "coredns.yml.j2")
    with open(template, encoding="utf-8") as handle:
        text = handle.read()
    corefile = text.split("Corefile: |", 1)[1].split("\n---", 1)[0]
    # A directive is the first word of a line inside a server block ("name {" or "name args").
    used = {line.split()[0] for line in corefile.splitlines()[2:]
            if line.strip() and line.startswith(" " * 8) and not line.startswith(" " * 9) and line.split()[0] != "}"}
    assert used and used <= pinned, "the Corefile uses %s, not compiled in" % sorted(used - pinned)
    assert used == pinned, "compiled in but unused: %s" % sorted(pinned - used)
