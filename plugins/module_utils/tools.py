# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Install the pinned tools (kops, kwok, etcd, Kubernetes, Helm, the rehearsal node's runtime and images).

The pins arrive as a plain dict (the role default k8s_talk_tool_versions).
Each tool lands in its own cache directory, ``<cache_root>/<tool>-<version>/bin``,
so a bump never reuses a stale binary and a second run does nothing.

Where ``go`` is on PATH the tools are built from the Go module proxy (this is
how the offline rehearsal machine gets them). Otherwise the official release
binaries are downloaded and their sha256 checked against the published sums.

Used by the module indydevops.k8s_talk.tools and by the CLI tools/install.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import concurrent.futures
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import tarfile
import tempfile
import time

try:
    from ansible.module_utils.urls import ConnectionError as UrlsConnectionError
    from ansible.module_utils.urls import open_url
except ImportError:  # tools/install.py under a Python without ansible-core: builds still work
    UrlsConnectionError = None
    open_url = None


class ToolsError(Exception):
    """A tool cannot be installed; the message says why."""


def _quiet(msg):
    """The default logger: says nothing."""
    del msg


def default_cache_root(environ=None):
    """$K8S_TALK_CACHE, else ~/.cache/k8s-talk."""
    environ = os.environ if environ is None else environ
    return environ.get("K8S_TALK_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "k8s-talk")


def bin_dir(cache_root, name, spec):
    return os.path.join(cache_root, "%s-%s" % (name, spec["version"]), "bin")


def bin_dirs(versions, cache_root):
    return {name: bin_dir(cache_root, name, spec) for name, spec in versions.items()}


def arch(machine=None):
    machine = (machine or platform.machine()).lower()
    return {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)


def go_available():
    return shutil.which("go") is not None


def run(cmd, cwd=None, env=None):
    # The CLI runs this too, without a module object: AnsibleModule.run_command is not at hand.
    proc = subprocess.run(  # pylint: disable=ansible-bad-function
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, check=False)
    if proc.returncode != 0:
        raise ToolsError("command failed (%s): %s\n%s" % (
            proc.returncode, " ".join(cmd), proc.stdout[-4000:]))
    return proc.stdout


def go_env(extra=None):
    env = dict(os.environ)
    env["CGO_ENABLED"] = "0"
    env.setdefault("GOFLAGS", "-buildvcs=false")
    env["GOFLAGS"] += " -mod=mod"
    env.update(extra or {})
    return env


def module_gomod(module, version):
    """Return the text of a module's go.mod at a version, from the module proxy."""
    out = run(["go", "mod", "download", "-json", "%s@%s" % (module, version)],
              env=go_env(), cwd=tempfile.gettempdir())
    info = json.loads(out)
    if info.get("Error"):
        raise ToolsError(info["Error"])
    with open(info["GoMod"], encoding="utf-8") as handle:
        return handle.read()


def staging_replaces(gomod_text, k8s_version):
    """Map each ``./staging`` replace of k8s.io/kubernetes to its published version.

    The staging modules are published with major 0 and the same minor and
    patch: kubernetes v1.36.3 -> k8s.io/api v0.36.3.
    """
    match = re.match(r"v1\.(\d+\.\d+.*)$", k8s_version)
    if not match:
        raise ToolsError("unexpected Kubernetes version %r" % k8s_version)
    published = "v0." + match.group(1)
    mods = re.findall(r"^\s*(k8s\.io/[\w.-]+) => \./staging/", gomod_text, re.M)
    if not mods:
        raise ToolsError("no staging replaces found in k8s.io/kubernetes go.mod")
    return [(mod, published) for mod in mods]


def go_directive(gomod_text):
    match = re.search(r"^go (\d+\.\d+(?:\.\d+)?)\s*$", gomod_text, re.M)
    return match.group(1) if match else "1.26"


def build_with_wrapper(spec, out, pkgs, ldflags, replaces=(), main_src=None, name=None,
                       directives=(), files=None):
    """Build pkgs of spec's module from a throwaway wrapper module.

    A wrapper (rather than `go install mod@version`) is what works for every
    tool: it lets us replace Kubernetes' v0.0.0 staging requirements, and it
    does not need the proxy's version list (the proxy does not serve one for
    k8s.io/kops, which makes `go install` fail). directives are further go.mod
    lines (a tool's own replace and exclude directives, which Go honours only
    in the main module); files ({relative path: text}) are written into the
    wrapper first (a local module a directive points at).
    """
    module, version = spec["module"], spec["version"]
    gomod = module_gomod(module, version)
    lines = ["module k8s-talk.local/build", "", "go %s" % go_directive(gomod), "",
             "require %s %s" % (module, version), ""]
    lines += ["replace %s => %s %s" % (mod, mod, ver) for mod, ver in replaces]
    lines += list(directives)
    work = tempfile.mkdtemp(prefix="k8s-talk-build-")
    try:
        with open(os.path.join(work, "go.mod"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        for relpath, text in sorted((files or {}).items()):
            path = os.path.join(work, relpath)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        if main_src:
            with open(os.path.join(work, "main.go"), "w", encoding="utf-8") as handle:
                handle.write(main_src)
            run(["go", "mod", "tidy"], cwd=work, env=go_env())
        target = out + "/" if len(pkgs) > 1 else os.path.join(out, name or os.path.basename(pkgs[0]))
        run(["go", "build", "-trimpath", "-ldflags", ldflags, "-o", target] + list(pkgs),
            cwd=work, env=go_env())
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build_kubernetes(spec, out):
    version = spec["version"]
    gomod = module_gomod(spec["module"], version)
    major, minor = re.match(r"v(\d+)\.(\d+)", version).groups()
    ldflags = " ".join([
        "-s", "-w",
        "-X k8s.io/component-base/version.gitVersion=%s" % version,
        "-X k8s.io/component-base/version.gitMajor=%s" % major,
        "-X k8s.io/component-base/version.gitMinor=%s" % minor,
        "-X k8s.io/component-base/version.gitTreeState=clean",
        "-X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z",
        "-X k8s.io/client-go/pkg/version.gitVersion=%s" % version,
        "-X k8s.io/client-go/pkg/version.gitMajor=%s" % major,
        "-X k8s.io/client-go/pkg/version.gitMinor=%s" % minor,
    ])
    pkgs = ["%s/cmd/%s" % (spec["module"], b) for b in spec["binaries"]]
    build_with_wrapper(spec, out, pkgs, ldflags, replaces=staging_replaces(gomod, version))


ETCD_MAIN = """// Generated by indydevops.k8s_talk (module_utils/tools.py): the etcd binary's
// main, as in go.etcd.io/etcd/v3 (main.go), built against the pinned server module.
package main

import (
\t"os"

\t"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
\tetcdmain.Main(os.Args)
}
"""


def build_etcd(spec, out):
    build_with_wrapper(spec, out, ["."], "-s -w", main_src=ETCD_MAIN, name="etcd")


def build_kops(spec, out):
    build_with_wrapper(spec, out, ["k8s.io/kops/cmd/kops"],
                       "-s -w -X k8s.io/kops.GitVersion=%s" % spec["version"])


def build_kwok(spec, out):
    build_with_wrapper(spec, out, ["sigs.k8s.io/kwok/cmd/%s" % b for b in spec["binaries"]],
                       "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=%s" % spec["version"])


def build_containerd(spec, out):
    module, version = spec["module"], spec["version"]
    # As containerd's Makefile stamps it (`containerd --version`, the CRI's RuntimeVersion).
    ldflags = "-s -w -X %s/version.Version=%s -X %s/version.Package=%s" % (
        module, version, module, re.sub(r"/v\d+$", "", module))
    build_with_wrapper(spec, out, ["%s/cmd/%s" % (module, b) for b in spec["binaries"]], ldflags)


# Where each CNI plugin lives in github.com/containernetworking/plugins.
CNI_PLUGIN_DIRS = {
    "bandwidth": "plugins/meta/bandwidth",
    "bridge": "plugins/main/bridge",
    "firewall": "plugins/meta/firewall",
    "host-local": "plugins/ipam/host-local",
    "loopback": "plugins/main/loopback",
    "portmap": "plugins/meta/portmap",
    "ptp": "plugins/main/ptp",
    "static": "plugins/ipam/static",
    "tuning": "plugins/meta/tuning",
}


def cni_packages(spec):
    unknown = sorted(set(spec["binaries"]) - set(CNI_PLUGIN_DIRS))
    if unknown:
        raise ToolsError("unknown CNI plugin(s) %s; known: %s" % (
            ", ".join(unknown), ", ".join(sorted(CNI_PLUGIN_DIRS))))
    return ["%s/%s" % (spec["module"], CNI_PLUGIN_DIRS[b]) for b in spec["binaries"]]


def build_cni_plugins(spec, out):
    ldflags = "-s -w -X %s/pkg/utils/buildversion.BuildVersion=%s" % (spec["module"], spec["version"])
    build_with_wrapper(spec, out, cni_packages(spec), ldflags)


def coredns_main(spec):
    """CoreDNS' main with only the pin's ``plugins`` compiled in.

    CoreDNS registers a plugin by importing it (its own main imports them all
    through core/plugin, with every cloud provider's SDK). The rehearsal's
    Corefile needs a few: building only those downloads and compiles a
    fraction of the modules. Without ``plugins``, everything, as upstream.
    """
    module = spec["module"]
    plugins = spec.get("plugins")
    if not plugins:
        imports = ['\t_ "%s/core/plugin"' % module]
    else:
        bad = [p for p in plugins if not re.match(r"^[a-z0-9]+$", str(p))]
        if bad:
            raise ToolsError("CoreDNS plugin names are lowercase words, got %s" % ", ".join(map(str, bad)))
        imports = ['\t_ "%s/plugin/%s"' % (module, p) for p in sorted(set(plugins))]
    return "\n".join([
        "// Generated by indydevops.k8s_talk (module_utils/tools.py): CoreDNS' main with the",
        "// pinned plugins only (the plugins run in the order of CoreDNS' plugin.cfg).",
        "package main",
        "",
        "import (",
        "\t\"%s/coremain\"" % module,
    ] + imports + [
        ")",
        "",
        "func main() {",
        "\tcoremain.Run()",
        "}",
        "",
    ])


def build_coredns(spec, out):
    # As CoreDNS' Makefile stamps it (`coredns -version`).
    ldflags = "-s -w -X %s/coremain.GitCommit=%s" % (spec["module"], spec["version"])
    build_with_wrapper(spec, out, ["."], ldflags, main_src=coredns_main(spec), name="coredns")


def build_helm(spec, out):
    # As Helm's Makefile stamps a tagged release (`helm version`; metadata stays empty).
    stamp = "%s/internal/version" % spec["module"]
    ldflags = "-s -w -X %s.version=%s -X %s.gitTreeState=clean" % (stamp, spec["version"], stamp)
    build_with_wrapper(spec, out, ["%s/cmd/helm" % spec["module"]], ldflags)


def gomod_directives(gomod_text, keyword):
    """The ``replace`` or ``exclude`` directives of a go.mod, one ``(left, right)`` per line.

    Both forms are read: ``replace a => b v1`` and a ``replace ( ... )`` block.
    For ``exclude`` the right side is empty. Comments are dropped.
    """
    found = []
    in_block = False
    for raw in gomod_text.splitlines():
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if in_block:
            if line == ")":
                in_block = False
            else:
                found.append(line)
            continue
        if line == "%s (" % keyword:
            in_block = True
        elif line.startswith(keyword + " "):
            found.append(line[len(keyword) + 1:].strip())
    if keyword == "replace":
        pairs = []
        for entry in found:
            left, sep, right = entry.partition("=>")
            if not sep:
                raise ToolsError("cannot read the go.mod directive: replace %s" % entry)
            pairs.append((left.strip(), right.strip()))
        return pairs
    return [(entry, "") for entry in found]


# Traefik's dynamic configuration embeds two structs of the nested module
# github.com/traefik/traefik/dynamic/ext (pkg/config/dynamic/ext, reached through
# a local replace). A nested module is left out of the parent's module zip and
# the proxy serves no version of it, so the build supplies the extension point
# as the open-source binary has it: empty, adding no fields.
TRAEFIK_EXT_MODULE = "github.com/traefik/traefik/dynamic/ext"
TRAEFIK_EXT_DIR = "traefik-dynamic-ext"
TRAEFIK_EXT_SRC = """// Generated by indydevops.k8s_talk (module_utils/tools.py): the extension point
// traefik's pkg/config/dynamic embeds (ext.HTTP in HTTPConfiguration, ext.Router
// in Router), with no extension, as the open-source binary is built.
package ext

// HTTP adds nothing to the dynamic HTTP configuration.
type HTTP struct{}

// Router adds nothing to a router.
type Router struct{}
"""


def traefik_directives(gomod_text):
    """Traefik's own replace and exclude directives for the wrapper module: (lines, files).

    Module replaces are kept as they are. The local replace of the ext module
    (traefik v3.7 and later) points at a generated copy, returned in files;
    any other local replace is refused (its source is not in the module zip).
    """
    lines, files = [], {}
    for left, target in gomod_directives(gomod_text, "replace"):
        right = target
        if target.startswith("./") or target.startswith("../"):
            if left.split()[0] != TRAEFIK_EXT_MODULE:
                raise ToolsError("traefik's go.mod replaces %s with the local %s, which the module "
                                 "zip does not hold" % (left, target))
            right = "./" + TRAEFIK_EXT_DIR
            files = {
                TRAEFIK_EXT_DIR + "/go.mod": "module %s\n\ngo 1.24.0\n" % TRAEFIK_EXT_MODULE,
                TRAEFIK_EXT_DIR + "/ext.go": TRAEFIK_EXT_SRC,
            }
        lines.append("replace %s => %s" % (left, right))
    lines += ["exclude %s" % left for left, _right in gomod_directives(gomod_text, "exclude")]
    return lines, files


def build_traefik(spec, out):
    """Traefik, the add-ons' ingress controller, for the rehearsal's image (roles/addons)."""
    module, version = spec["module"], spec["version"]
    stamp = "%s/pkg/version" % module
    # As traefik's Makefile stamps it (`traefik version`); a fixed date keeps the build reproducible.
    ldflags = "-s -w -X %s.Version=%s -X %s.BuildDate=1970-01-01T00:00:00Z" % (stamp, version, stamp)
    directives, files = traefik_directives(module_gomod(module, version))
    build_with_wrapper(spec, out, ["%s/cmd/traefik" % module], ldflags, directives=directives, files=files)


def build_metrics_server(spec, out):
    # As metrics-server's Makefile stamps it (client-go's version package, `metrics-server --version`).
    build_with_wrapper(spec, out, ["%s/cmd/metrics-server" % spec["module"]],
                       "-s -w -X k8s.io/client-go/pkg/version.gitVersion=%s" % spec["version"])


def image_tag(spec):
    """The tag of a pin's ``image`` (registry.k8s.io/pause:3.10.2 -> 3.10.2)."""
    match = re.match(r"^[^@]+/[^/:@]+:([\w][\w.-]{0,127})$", spec.get("image") or "")
    if not match:
        raise ToolsError("the pin needs an image reference with a tag (registry/name:tag), got %r"
                         % spec.get("image"))
    return match.group(1)


def build_agnhost(spec, out):
    """agnhost, the e2e tests' echo server, from the pinned Kubernetes source (test/images/agnhost)."""
    version = spec["version"]
    gomod = module_gomod(spec["module"], version)
    build_with_wrapper(spec, out, ["%s/test/images/agnhost" % spec["module"]],
                       "-s -w -X main.Version=%s" % image_tag(spec),
                       replaces=staging_replaces(gomod, version))


def module_dir(module, version):
    """The unpacked source of a module at a version, from the module proxy (or cache)."""
    out = run(["go", "mod", "download", "-json", "%s@%s" % (module, version)],
              env=go_env(), cwd=tempfile.gettempdir())
    info = json.loads(out)
    if info.get("Error") or not info.get("Dir"):
        raise ToolsError(info.get("Error") or "no source directory for %s@%s" % (module, version))
    return info["Dir"]


def pause_cflags(spec):
    # As build/pause/Makefile: -DVERSION=v$(TAG)-$(REV).
    return ["-Os", "-Wall", "-Werror", "-static", "-DVERSION=v%s-0" % image_tag(spec)]


def build_pause(spec, out):
    """The pod sandbox's pause, a static C program from the pinned Kubernetes source."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        raise ToolsError("building pause needs a C compiler with static libc (apt-get install gcc libc6-dev)")
    source = os.path.join(module_dir(spec["module"], spec["version"]), "build", "pause", "linux", "pause.c")
    run([compiler] + pause_cflags(spec) + ["-o", os.path.join(out, "pause"), source])


BUILDERS = {
    "kops": build_kops,
    "kwok": build_kwok,
    "etcd": build_etcd,
    "kubernetes": build_kubernetes,
    # The node's kubelet and kube-proxy, from the same module and version as
    # the control plane, in a cache directory of their own.
    "kubernetes-node": build_kubernetes,
    "containerd": build_containerd,
    "cni-plugins": build_cni_plugins,
    "agnhost": build_agnhost,
    "pause": build_pause,
    "coredns": build_coredns,
    "helm": build_helm,
    "traefik": build_traefik,
    "metrics-server": build_metrics_server,
}


def fetch(url, dest):
    if open_url is None:
        raise ToolsError("downloading %s needs ansible-core: run tools/install.py with the venv's "
                         "Python (.venv/bin/python), or install Go to build instead" % url)
    try:
        with open_url(url, timeout=120) as resp, open(dest, "wb") as handle:
            shutil.copyfileobj(resp, handle)
    except (OSError, UrlsConnectionError) as exc:
        raise ToolsError("cannot download %s: %s" % (url, exc))


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def expected_sum(sums_text, filename):
    """Find a file's sha256 in a .sha256 file (bare hash) or a SHA256SUMS list."""
    for line in sums_text.splitlines():
        parts = line.split()
        if len(parts) == 1 and re.fullmatch(r"[0-9a-f]{64}", parts[0]):
            return parts[0]
        if len(parts) >= 2 and parts[-1].lstrip("*").endswith(filename):
            return parts[0]
    raise ToolsError("no sha256 for %s in the published sums" % filename)


def release_fields(spec, machine=None):
    """The placeholders of a release URL: {version}, {bare_version} (no leading v), {arch}."""
    return {"version": spec["version"], "bare_version": spec["version"].lstrip("v"),
            "arch": arch(machine)}


def download_tool(spec, out):
    """Download spec's release binaries into out, each checked against its published sha256."""
    rel = spec["release"]
    fmt = release_fields(spec)
    work = tempfile.mkdtemp(prefix="k8s-talk-dl-")
    try:
        if "archive" in rel:
            url = rel["archive"].format(**fmt)
            targets = [(url, os.path.join(work, os.path.basename(url)))]
        else:
            targets = [(rel["url"].format(binary=b, **fmt), os.path.join(work, b))
                       for b in spec["binaries"]]
        for url, dest in targets:
            fetch(url, dest)
            sums_path = dest + ".sums"
            fetch(rel["sha256_url"].format(binary=os.path.basename(dest), **fmt), sums_path)
            with open(sums_path, encoding="utf-8") as handle:
                want = expected_sum(handle.read(), os.path.basename(url))
            got = sha256_of(dest)
            if got != want:
                raise ToolsError("sha256 mismatch for %s: got %s, want %s" % (url, got, want))
        if "archive" in rel:
            with tarfile.open(targets[0][1]) as tar:
                for member in tar.getmembers():
                    binary = os.path.basename(member.name)
                    if binary in spec["binaries"] and member.isfile():
                        # Copied by name, never extracted by the archive's path.
                        with open(os.path.join(work, binary), "wb") as handle:
                            shutil.copyfileobj(tar.extractfile(member), handle)
        for binary in spec["binaries"]:
            shutil.move(os.path.join(work, binary), os.path.join(out, binary))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def is_installed(cache_root, name, spec):
    directory = bin_dir(cache_root, name, spec)
    return all(os.access(os.path.join(directory, b), os.X_OK) for b in spec["binaries"])


def check_spec(name, spec):
    if not isinstance(spec, dict) or not spec.get("version") or not spec.get("binaries"):
        raise ToolsError("the pin of %s needs at least a version and a list of binaries, got %r"
                         % (name, spec))


def unknown_names(versions, names):
    return sorted(set(names) - set(versions))


def install(name, spec, cache_root, force_download=False, log=None):
    """Build or download one tool into its cache directory, replacing what was there."""
    log = log or _quiet
    directory = bin_dir(cache_root, name, spec)
    use_go = name in BUILDERS and go_available() and not force_download
    if not use_go and "release" not in spec:
        raise ToolsError("%s %s: go is not on PATH (or a download was asked for) and its pin "
                         "names no release to download" % (name, spec["version"]))
    method = "build from the Go module proxy" if use_go else "download release binaries"
    log("%s %s: %s ..." % (name, spec["version"], method))
    started = time.monotonic()
    staging = directory + ".partial"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        os.makedirs(staging)
        if use_go:
            BUILDERS[name](spec, staging)
        else:
            download_tool(spec, staging)
        for binary in spec["binaries"]:
            os.chmod(os.path.join(staging, binary), 0o755)
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(os.path.dirname(directory), exist_ok=True)
        os.rename(staging, directory)
    except (OSError, tarfile.TarError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ToolsError("%s %s: %s failed: %s" % (name, spec["version"], method, exc))
    except ToolsError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log("%s %s: %s done in %.0f s" % (name, spec["version"], method, time.monotonic() - started))


def build_groups(versions, names):
    """The names in lists that may build side by side: tools from one Go module
    (kubernetes, kubernetes-node, pause, agnhost) share its download and build
    cache, so they build one after another in one group; the order of names is kept."""
    groups = {}
    for name in names:
        spec = versions[name]
        groups.setdefault(spec.get("module") or name, []).append(name)
    return list(groups.values())


def ensure(versions, cache_root, names=None, force_download=False, check_mode=False, log=None, jobs=1):
    """Make sure the named tools (default: all) are in the cache; return (changed, result).

    result: bin_dirs {name: dir}, binaries {binary: path}, installed (names built or
    downloaded now, or that would be in check mode) and cached (names already there).
    jobs > 1 builds that many groups of missing tools at once (build_groups): a cold
    machine spends much of a build waiting on the module proxy, so builds overlap well.
    """
    log = log or _quiet
    names = list(dict.fromkeys(versions if names is None else names))
    unknown = unknown_names(versions, names)
    if unknown:
        raise ToolsError("unknown tool(s) %s; known: %s" % (", ".join(unknown), ", ".join(versions)))
    result = {"bin_dirs": {}, "binaries": {}, "installed": [], "cached": []}
    for name in names:
        spec = versions[name]
        check_spec(name, spec)
        directory = bin_dir(cache_root, name, spec)
        result["bin_dirs"][name] = directory
        for binary in spec["binaries"]:
            result["binaries"][binary] = os.path.join(directory, binary)
        if is_installed(cache_root, name, spec):
            log("%s %s: cached in %s" % (name, spec["version"], directory))
            result["cached"].append(name)
            continue
        result["installed"].append(name)
    if not check_mode:
        _install_all(versions, cache_root, result["installed"], force_download, log, jobs)
    return bool(result["installed"]), result


def _install_all(versions, cache_root, names, force_download, log, jobs):
    def install_group(group):
        for name in group:
            install(name, versions[name], cache_root, force_download=force_download, log=log)

    groups = build_groups(versions, names)
    if jobs <= 1 or len(groups) <= 1:
        for group in groups:
            install_group(group)
        return
    # Every group runs to its end (a failure elsewhere leaves no half-built
    # directory behind); the first failure, in the order of names, is raised.
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(install_group, group) for group in groups]
    errors = [f.exception() for f in futures if f.exception() is not None]
    if errors:
        raise errors[0]
