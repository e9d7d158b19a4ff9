"""Offline stand-in for get-pip.py, which ansible-test downloads to bootstrap
pip in the virtual environments of its sanity tests (the download host is not
reachable from CI). It does the same from the standard library's ensurepip,
then installs the requested pip version from PyPI.

Arguments are get-pip's: pip install options and requirements, plus
--no-setuptools / --no-wheel, which only get-pip knows.
"""

import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
