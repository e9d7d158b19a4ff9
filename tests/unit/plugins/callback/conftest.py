# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One way the callback tests run a real ansible-playbook: tmp_path/play.yml on localhost,
an empty ansible.cfg, this collection on the collections path, the named callbacks enabled."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


@pytest.fixture
def run_playbook(tmp_path):
    if not os.path.exists(PLAYBOOK):
        pytest.skip("ansible-playbook is not beside this Python")

    def run(callbacks, env=None, args=()):
        (tmp_path / "ansible.cfg").write_text("[defaults]\n")
        environ = dict(os.environ,
                       ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"),
                       ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".cache", "collections"),
                       ANSIBLE_CALLBACKS_ENABLED=callbacks,
                       ANSIBLE_LOCALHOST_WARNING="false",
                       ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
        environ.update(env or {})
        argv = [PLAYBOOK, "-i", "localhost,", "-c", "local", "-e", "ansible_python_interpreter=" + sys.executable,
                str(tmp_path / "play.yml")] + list(args)
        return subprocess.run(argv, env=environ, capture_output=True, text=True, timeout=120, check=False)

    return run
