# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Install the pinned command-line tools (kops, kwok, etcd, Kubernetes).

Versions live in tools/versions.yml. Each tool lands in its own cache
directory, ``$K8S_TALK_CACHE/<tool>-<version>/bin`` (default
``~/.cache/k8s-talk``), so a bump never reuses a stale binary and a second run
does nothing.

Where ``go`` is on PATH the tools are built from the Go module proxy (this is
how the offline rehearsal machine gets them). Otherwise the official release
binaries are downloaded and their sha256 checked against the published sums.

Usage: tools/install.py [--print-bin-dirs] [--download] [TOOL ...]
"""

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS_FILE = os.path.join(HERE, "versions.yml")


class InstallError(Exception):
    pass


def cache_root():
    return os.environ.get("K8S_TALK_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "k8s-talk"
    )


def bin_dir(name, spec):
    return os.path.join(cache_root(), "%s-%s" % (name, spec["version"]), "bin")


def arch():
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)


def log(msg):
    print("[tools] %s" % msg, flush=True)


def run(cmd, cwd=None, env=None):
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    if proc.returncode != 0:
        raise InstallError("command failed (%s): %s\n%s" % (
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
        raise InstallError(info["Error"])
    with open(info["GoMod"], encoding="utf-8") as handle:
        return handle.read()


def staging_replaces(gomod_text, k8s_version):
    """Map each ``./staging`` replace of k8s.io/kubernetes to its published version.

    The staging modules are published with major 0 and the same minor and
    patch: kubernetes v1.36.3 -> k8s.io/api v0.36.3.
    """
    match = re.match(r"v1\.(\d+\.\d+.*)$", k8s_version)
    if not match:
        raise InstallError("unexpected Kubernetes version %r" % k8s_version)
    published = "v0." + match.group(1)
    mods = re.findall(r"^\s*(k8s\.io/[\w.-]+) => \./staging/", gomod_text, re.M)
    if not mods:
        raise InstallError("no staging replaces found in k8s.io/kubernetes go.mod")
    return [(mod, published) for mod in mods]


def go_directive(gomod_text):
    match = re.search(r"^go (\d+\.\d+(?:\.\d+)?)\s*$", gomod_text, re.M)
    return match.group(1) if match else "1.26"


def build_with_wrapper(spec, out, pkgs, ldflags, replaces=(), main_src=None, name=None):
    """Build pkgs of spec's module from a throwaway wrapper module.

    A wrapper (rather than `go install mod@version`) is what works for every
    tool: it lets us replace Kubernetes' v0.0.0 staging requirements, and it
    does not need the proxy's version list (the proxy does not serve one for
    k8s.io/kops, which makes `go install` fail).
    """
    module, version = spec["module"], spec["version"]
    gomod = module_gomod(module, version)
    lines = ["module k8s-talk.local/build", "", "go %s" % go_directive(gomod), "",
             "require %s %s" % (module, version), ""]
    lines += ["replace %s => %s %s" % (mod, mod, ver) for mod, ver in replaces]
    with tempfile.TemporaryDirectory(prefix="k8s-talk-build-") as work:
        with open(os.path.join(work, "go.mod"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        if main_src:
            with open(os.path.join(work, "main.go"), "w", encoding="utf-8") as handle:
                handle.write(main_src)
            run(["go", "mod", "tidy"], cwd=work, env=go_env())
        target = out + "/" if len(pkgs) > 1 else os.path.join(out, name or os.path.basename(pkgs[0]))
        run(["go", "build", "-trimpath", "-ldflags", ldflags, "-o", target] + list(pkgs),
            cwd=work, env=go_env())


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


ETCD_MAIN = """// Generated by indydevops.k8s_talk tools/install.py: the etcd binary's main,
// as in go.etcd.io/etcd/v3 (main.go), built against the pinned server module.
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


BUILDERS = {
    "kops": build_kops,
    "kwok": build_kwok,
    "etcd": build_etcd,
    "kubernetes": build_kubernetes,
}


def fetch(url, dest):
    with urllib.request.urlopen(url, timeout=120) as resp, open(dest, "wb") as handle:
        shutil.copyfileobj(resp, handle)


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
    raise InstallError("no sha256 for %s in the published sums" % filename)


def download_tool(name, spec, out):
    rel = spec["release"]
    fmt = {"version": spec["version"], "arch": arch()}
    with tempfile.TemporaryDirectory(prefix="k8s-talk-dl-") as work:
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
                raise InstallError("sha256 mismatch for %s: got %s, want %s" % (url, got, want))
        if "archive" in rel:
            with tarfile.open(targets[0][1]) as tar:
                for member in tar.getmembers():
                    if os.path.basename(member.name) in spec["binaries"] and member.isfile():
                        member.name = os.path.basename(member.name)
                        tar.extract(member, work)
        for binary in spec["binaries"]:
            shutil.move(os.path.join(work, binary), os.path.join(out, binary))
    del name


def installed(name, spec):
    directory = bin_dir(name, spec)
    return all(os.access(os.path.join(directory, b), os.X_OK) for b in spec["binaries"])


def install(name, spec, force_download=False):
    directory = bin_dir(name, spec)
    if installed(name, spec):
        log("%s %s: cached in %s" % (name, spec["version"], directory))
        return
    use_go = shutil.which("go") and not force_download
    method = "build from the Go module proxy" if use_go else "download release binaries"
    log("%s %s: %s ..." % (name, spec["version"], method))
    started = time.monotonic()
    staging = directory + ".partial"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    if use_go:
        BUILDERS[name](spec, staging)
    else:
        download_tool(name, spec, staging)
    for binary in spec["binaries"]:
        os.chmod(os.path.join(staging, binary), 0o755)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(os.path.dirname(directory), exist_ok=True)
    os.rename(staging, directory)
    log("%s %s: %s done in %.0f s" % (name, spec["version"], method,
                                      time.monotonic() - started))


def load_versions():
    with open(VERSIONS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tools", nargs="*", help="tools to install (default: all)")
    parser.add_argument("--download", action="store_true",
                        help="download release binaries even when go is present")
    parser.add_argument("--print-bin-dirs", action="store_true",
                        help="print the bin directories as JSON and exit")
    args = parser.parse_args(argv)
    versions = load_versions()
    if args.print_bin_dirs:
        print(json.dumps({n: bin_dir(n, s) for n, s in versions.items()}, indent=2))
        return 0
    names = args.tools or list(versions)
    unknown = sorted(set(names) - set(versions))
    if unknown:
        log("unknown tool(s) %s; known: %s" % (", ".join(unknown), ", ".join(versions)))
        return 2
    started = time.monotonic()
    try:
        for name in names:
            install(name, versions[name], force_download=args.download)
    except InstallError as exc:
        log("ERROR: %s" % exc)
        return 1
    log("all tools ready in %.0f s (cache: %s)" % (time.monotonic() - started, cache_root()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
