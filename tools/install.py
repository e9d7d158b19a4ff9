# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Install the pinned command-line tools (kops, kwok, etcd, Kubernetes, Helm, the node's runtime).

Versions live in roles/k8s_talk/defaults/main/tools.yml (k8s_talk_tool_versions);
the logic is the collection's plugins/module_utils/tools.py, which the module
indydevops.k8s_talk.tools runs inside plays. Each tool lands in its own cache
directory, ``$K8S_TALK_CACHE/<tool>-<version>/bin`` (default
``~/.cache/k8s-talk``), so a bump never reuses a stale binary and a second run
does nothing.

Where ``go`` is on PATH the tools are built from the Go module proxy (this is
how the offline rehearsal machine gets them). Otherwise the official release
binaries are downloaded and their sha256 checked against the published sums.

Tools from different Go modules build side by side (``--jobs``, default 4): on a
cold machine much of a build is waiting on the module proxy.

Usage: tools/install.py [--print-bin-dirs] [--download] [--jobs N] [TOOL ...]
"""

import argparse
import importlib.util
import json
import os
import sys
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VERSIONS_FILE = os.path.join(ROOT, "roles", "k8s_talk", "defaults", "main", "tools.yml")
LOGIC_FILE = os.path.join(ROOT, "plugins", "module_utils", "tools.py")


def load_logic():
    """The collection's module_utils/tools.py, loaded by path: works from a plain clone."""
    spec = importlib.util.spec_from_file_location("k8s_talk_tools", LOGIC_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_versions():
    with open(VERSIONS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["k8s_talk_tool_versions"]


def log(msg):
    print("[tools] %s" % msg, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tools", nargs="*", help="tools to install (default: all)")
    parser.add_argument("--download", action="store_true",
                        help="download release binaries even when go is present")
    parser.add_argument("--jobs", type=int, default=4,
                        help="tools (groups of one Go module) built at once (default: 4)")
    parser.add_argument("--print-bin-dirs", action="store_true",
                        help="print the bin directories as JSON and exit")
    args = parser.parse_args(argv)
    tools = load_logic()
    versions = load_versions()
    cache_root = tools.default_cache_root()
    if args.print_bin_dirs:
        print(json.dumps(tools.bin_dirs(versions, cache_root), indent=2))
        return 0
    names = args.tools or list(versions)
    unknown = tools.unknown_names(versions, names)
    if unknown:
        log("unknown tool(s) %s; known: %s" % (", ".join(unknown), ", ".join(versions)))
        return 2
    started = time.monotonic()
    try:
        tools.ensure(versions, cache_root, names, force_download=args.download, log=log, jobs=args.jobs)
    except tools.ToolsError as exc:
        log("ERROR: %s" % exc)
        return 1
    log("all tools ready in %.0f s (cache: %s)" % (time.monotonic() - started, cache_root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
