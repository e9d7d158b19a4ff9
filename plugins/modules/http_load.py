#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: http_load
short_description: Send HTTP GET requests to a URL for a fixed time (a bounded load run)
version_added: 0.3.0
description:
  - Sends GET requests to O(url) from O(concurrency) workers for O(duration)
    seconds, each with a O(timeout), and reports how many were answered. The
    run always ends by itself (at most O(duration) + O(timeout) seconds).
  - The autoscaling demo's load generator (the upstream HorizontalPodAutoscaler
    walkthrough's C(while sleep 0.01; do wget -q -O- http://php-apache; done),
    bounded in time).
  - Sends nothing in check mode. The load leaves nothing behind, so the module
    never reports a change.
author:
  - Indy DevOps (@indydevops)
options:
  url:
    description: The URL to GET (http or https).
    type: str
    required: true
  duration:
    description: Seconds to keep sending requests (1-3600).
    type: int
    default: 60
  concurrency:
    description: Workers sending requests at the same time, one request each at a time (1-64).
    type: int
    default: 1
  timeout:
    description: Seconds each request may take (1-300).
    type: int
    default: 10
extends_documentation_fragment:
  - indydevops.k8s_talk.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Load the php-apache Service for a minute through its node port
  indydevops.k8s_talk.http_load:
    url: http://10.255.0.1:30080/
    duration: 60
    concurrency: 2
"""

RETURN = r"""
requests:
  description: Requests sent.
  returned: always
  type: int
ok:
  description: Requests answered with a 2xx status.
  returned: always
  type: int
not_ok:
  description: Requests not answered with a 2xx status (an error or another status).
  returned: always
  type: int
errors:
  description: Up to five distinct errors met.
  returned: always
  type: list
  elements: str
seconds:
  description: How long the run took.
  returned: always
  type: float
rate:
  description: Requests per second.
  returned: always
  type: float
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.indydevops.k8s_talk.plugins.module_utils.http_load import LoadError
from ansible_collections.indydevops.k8s_talk.plugins.module_utils.http_load import run_load


def main():
    module = AnsibleModule(
        argument_spec={
            "url": {"type": "str", "required": True},
            "duration": {"type": "int", "default": 60},
            "concurrency": {"type": "int", "default": 1},
            "timeout": {"type": "int", "default": 10},
        },
        supports_check_mode=True,
    )
    params = module.params
    if module.check_mode:
        module.exit_json(changed=False, requests=0, ok=0, not_ok=0, errors=[], seconds=0.0, rate=0.0)
    try:
        result = run_load(params["url"], params["duration"], params["concurrency"], params["timeout"])
    except LoadError as exc:
        module.fail_json(msg="cannot run the load: %s" % exc)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
