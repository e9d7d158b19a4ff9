# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options rehearsal_stamp and rehearsal_stamp_info share: one spec of what the stamp holds.
    DOCUMENTATION = r"""
options:
  stack:
    description:
      - What the stack is made of and where its stamp is kept; the role defines it once
        (C(__rehearsal_stack_stamp) in C(roles/rehearsal_stack/vars/main.yml)).
    type: dict
    required: true
    suboptions:
      path:
        description: The stamp file.
        type: path
        required: true
      inputs:
        description:
          - A digest of the stack's inputs (its variables), computed by the caller so that no secret
            reaches the module. Required but to remove the stamp.
        type: str
      code:
        description: Files and directories whose content the stack's behaviour depends on (the role, the plugins).
        type: list
        elements: path
        default: []
      pid_files:
        description: The pid files of the processes the stack started.
        type: list
        elements: path
        default: []
      pid_dirs:
        description: Directories whose every C(<name>.pid) file names a process the stack started (kwokctl's).
        type: list
        elements: path
        default: []
      files:
        description: Files the stack wrote or runs (small ones by content, large ones by size and mtime).
        type: list
        elements: path
        default: []
      ports:
        description: Where the stack's services listen.
        type: list
        elements: dict
        default: []
        suboptions:
          host:
            description: Address.
            type: str
            required: true
          port:
            description: Port.
            type: int
            required: true
      kubeconfig:
        description: The admin kubeconfig of the stack's control plane (for O(stack.nodes) and O(stack.deployments)).
        type: path
      nodes:
        description: Nodes that must be Ready.
        type: list
        elements: str
        default: []
      deployments:
        description: Deployments (C(<namespace>/<name>)) that must have every replica available.
        type: list
        elements: str
        default: []
"""
