# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the README's walkthrough: its shell blocks, in order, against the rehearsal target.

The section "## Walkthrough..." of README.md holds ```sh blocks; the first sets the shell up
(PATH, KUBECONFIG, kubectl) and is prepended to every other, each of which runs in a fresh
`bash -euo pipefail` from the repository's root. The run stops at the first block that fails;
each block's output goes to <log-dir>/block-<n>.log and a line per block says PASSED or FAILED
with its time. `--list` prints the blocks without running them.

Usage: python tests/walkthrough/run.py [--readme README.md] [--log-dir DIR] [--list]
"""

import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HEADING = "## Walkthrough"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)


def walkthrough_blocks(text):
    """The shell blocks of the walkthrough section, in order (setup first)."""
    found = re.search(r"^" + re.escape(HEADING), text, re.M)
    if not found:
        raise ValueError("README has no section starting with %r" % HEADING)
    rest = text[found.start():]
    end = rest.find("\n## ", len(HEADING))
    section = rest if end < 0 else rest[:end]
    blocks = [block.strip() for block in BLOCK.findall(section)]
    if len(blocks) < 2:
        raise ValueError("the walkthrough needs a setup block and at least one step, found %d block(s)" % len(blocks))
    return blocks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    parser.add_argument("--log-dir", default=os.path.join(ROOT, "tests", "output", "walkthrough"))
    parser.add_argument("--list", action="store_true", help="print the blocks, run nothing")
    args = parser.parse_args(argv)
    with open(args.readme) as handle:
        setup, *steps = walkthrough_blocks(handle.read())
    if args.list:
        for number, step in enumerate(steps, 1):
            print("--- block %d\n%s" % (number, step))
        return 0
    os.makedirs(args.log_dir, exist_ok=True)
    began = time.monotonic()
    for number, step in enumerate(steps, 1):
        first = step.splitlines()[0]
        log = os.path.join(args.log_dir, "block-%d.log" % number)
        start = time.monotonic()
        with open(log, "w") as out:
            rc = subprocess.call(["bash", "-euo", "pipefail", "-c", setup + "\n" + step], cwd=ROOT,
                                 stdout=out, stderr=subprocess.STDOUT)
        took = time.monotonic() - start
        print("%-6s block %d (%s) in %.0f s%s" % ("PASSED" if rc == 0 else "FAILED", number, first, took,
                                                  "" if rc == 0 else ": rc=%d, see %s" % (rc, log)), flush=True)
        if rc != 0:
            return 1
    print("walkthrough: %d blocks passed in %.0f s" % (len(steps), time.monotonic() - began))
    return 0


if __name__ == "__main__":
    sys.exit(main())
