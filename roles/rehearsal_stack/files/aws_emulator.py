#!/usr/bin/env python3
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rehearsal AWS emulator: moto's server plus a few documented patches.

The roles do what is right on real AWS and never special-case the emulator.
Where moto (pinned in requirements.txt) behaves differently from AWS in a way
the talk depends on, a patch below reproduces the AWS behaviour. Each patch
is a function registered with @patch("<the AWS behaviour it reproduces>");
they are applied in order before the server starts, and listed at start-up
in the log. Delete a patch when the pinned moto does the right thing itself.

Usage: aws_emulator.py [--host 127.0.0.1] [--port 5055]
"""

import argparse
import sys

PATCHES = []


def patch(behaviour):
    """Register a patch; `behaviour` names the AWS behaviour it reproduces."""
    def register(func):
        PATCHES.append((behaviour, func))
        return func
    return register


def apply_patches():
    for behaviour, func in PATCHES:
        func()
        print("aws_emulator: patched: %s" % behaviour, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the rehearsal emulator listens on loopback only, not %s" % args.host)
    from moto import server  # imported late: patches may need to run first

    apply_patches()
    server.main(["--host", args.host, "--port", str(args.port)])


if __name__ == "__main__":
    sys.exit(main())
