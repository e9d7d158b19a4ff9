# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in-process: exit_json / fail_json raise, so a test
asserts on exactly what the module returned."""

from unittest import mock

import pytest
from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args


class ModuleExit(Exception):
    def __init__(self, result):
        super().__init__(result)
        self.result = result


class ModuleFail(Exception):
    def __init__(self, result):
        super().__init__(result.get("msg"))
        self.result = result


def _exit_json(self, **kwargs):
    kwargs.setdefault("changed", False)
    raise ModuleExit(kwargs)


def _fail_json(self, **kwargs):
    kwargs["failed"] = True
    raise ModuleFail(kwargs)


@pytest.fixture
def run_module():
    """run_module(module, args) -> result dict; failures raise ModuleFail."""
    def run(module, args, check_mode=False, diff=False):
        args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with mock.patch.multiple(basic.AnsibleModule, exit_json=_exit_json, fail_json=_fail_json), \
                patch_module_args(args):
            try:
                module.main()
            except ModuleExit as exc:
                return exc.result
        raise AssertionError("the module returned without exit_json or fail_json")
    return run
