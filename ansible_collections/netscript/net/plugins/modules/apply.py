#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netscript contributors
# MIT License (see the netscript repository)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: apply
short_description: Make a host's virtual network match a netscript spec
version_added: "1.0.0"
description:
  - Plans the changes that make the live kernel match a netscript spec (bridges,
    veths, macvlans, vxlans, bonds... with their addresses and settings) and
    carries them out over netlink, all or nothing. A step the kernel refuses,
    or a state read back that differs from the spec, undoes every change made.
  - It calls netscript's Python API on the managed host (C(netscript.api)),
    whose documents are the ones C(netscript plan --format json) and
    C(netscript apply --format json) print.
  - In check mode it only plans. C(changed) then says whether there is
    anything to change, and C(steps) lists the steps; nothing is touched.
  - "In diff mode the plan is shown as before and after, one line per
    attribute in the words C(netscript plan) uses (C(br0: mtu: 1500))."
  - C(changed) is true only when the kernel was changed and the change kept.
options:
  spec:
    description:
      - The spec itself, as text (for example from C(lookup('template', ...))).
      - Read as netscript's DSL.
    type: str
  src:
    description:
      - A spec file on the controller, looked up like the C(src) of
        M(ansible.builtin.copy) (the role's or playbook's C(files/) first).
        The module's action plugin reads it and sends its text.
      - A name ending in C(.sh) is read as a legacy bring-up script.
    type: path
  path:
    description:
      - A spec file on the managed host.
      - A name ending in C(.sh) is read as a legacy bring-up script.
    type: path
  netns:
    description:
      - Put the links the spec leaves unqualified in this network namespace,
        which must exist (C(netscript apply --netns)).
      - Empty or omitted, the namespace the module runs in.
    type: str
  netns_prefix:
    description:
      - Prefix the names of the namespaces the spec declares (C(--netns-prefix)).
    type: str
    default: ""
  prune:
    description:
      - Also delete links the spec does not mention (never physical ones),
        release ports and remove addresses it does not list.
    type: bool
    default: false
  no_disrupt:
    description:
      - Refuse steps that disrupt traffic (delete, recreate, move, down...);
        the task fails and nothing is changed.
    type: bool
    default: false
  force:
    description:
      - Allow steps that cut the interface carrying the default route.
    type: bool
    default: false
  wait:
    description:
      - Give up after this many seconds when another apply holds a namespace.
      - Omitted, wait as long as it takes.
    type: float
notes:
  - Needs netscript on the managed host, importable by the Python that runs
    the module (see the C(netscript.net.install) role), and root.
  - Supports C(check_mode) and C(diff_mode).
requirements:
  - netscript (Python package) on the managed host
  - Linux, root
attributes:
  check_mode:
    support: full
    description: Runs C(netscript plan); nothing is touched.
  diff_mode:
    support: full
    description: Before and after per attribute, in the plan's words.
author:
  - netscript contributors
"""

EXAMPLES = r"""
- name: VM bridges from a template
  netscript.net.apply:
    spec: "{{ lookup('template', 'kvm-host.ns.j2') }}"
    no_disrupt: true
  register: net

- name: The same spec in a namespace of its own
  netscript.net.apply:
    src: lab.ns
    netns: lab

- name: A legacy bring-up script already on the host
  netscript.net.apply:
    path: /etc/network/bring-up.sh
    prune: true
"""

RETURN = r"""
changed:
  description: Check mode, there are steps to make; otherwise the kernel was changed and the change kept.
  returned: always
  type: bool
steps:
  description:
    - The steps planned, in order, as C(netscript plan --format json) lists them.
    - Each has C(action) (C(create), C(modify), C(delete), C(add-address)...),
      C(netns), C(link), C(title) (the plan's words), C(disrupts),
      C(differences) (C(netns), C(link), C(attribute), C(wanted), C(actual))
      and C(ip) (the equivalent C(ip) commands).
  returned: always
  type: list
  elements: dict
  sample:
    - action: modify
      netns: lab
      link: br0
      title: modify br0 (mtu)
      disrupts: false
      differences:
        - {netns: lab, link: br0, attribute: mtu, wanted: "1400", actual: "1500"}
      ip: ["ip -n lab link set dev br0 mtu 1400"]
applied:
  description: The steps made and kept (empty in check mode, on failure and after a rollback).
  returned: always
  type: list
  elements: dict
rolled_back:
  description: A step failed or the state read back differed, and the changes made were undone.
  returned: always
  type: bool
requests:
  description: Change requests sent to the kernel, undo included.
  returned: always
  type: int
diagnostics:
  description:
    - netscript's diagnostics, each with C(code) (C(NS503)...), C(severity),
      C(message), C(path), C(line), C(column) and, when there is one, C(hint).
    - A step the kernel refused also has C(step) (the planned step, with its
      C(number)) and C(kernel_error) (the kernel's own words).
  returned: always
  type: list
  elements: dict
  sample:
    - code: NS503
      severity: error
      message: "step 3 of 5, create dummy d0 in namespace lab: Operation not supported (EOPNOTSUPP): ...; the 2 change(s) made were undone, the namespaces are as they were"
      step: {number: 3, action: create, link: d0, title: create dummy d0}
      kernel_error: "Operation not supported (EOPNOTSUPP): Unknown device type"
refusals:
  description: In check mode, what apply with these options would refuse (the task then fails).
  returned: check mode
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netscript.net.plugins.module_utils.netscript import (
    diff_of,
    errors,
    failure_message,
    require_netscript,
)


# The options, as DOCUMENTATION describes them (a test holds the two to each other).
ARGUMENT_SPEC = dict(
    spec=dict(type="str"),
    src=dict(type="path"),
    path=dict(type="path"),
    netns=dict(type="str"),
    netns_prefix=dict(type="str", default=""),
    prune=dict(type="bool", default=False),
    no_disrupt=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
    wait=dict(type="float"),
)


def main():
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("spec", "path"), ("src", "path")],
        required_one_of=[("spec", "src", "path")],
        supports_check_mode=True,
    )
    api = require_netscript(module)
    p = module.params
    if p["src"] and p["spec"] is None:
        module.fail_json(msg="src names a file on the controller: run the module as a task (its action plugin reads it)")
    netns = p["netns"] or None
    if p["path"]:
        name, text = p["path"], None
    else:  # the action plugin has read src on the controller into spec, and left src to name it
        name, text = p["src"] or api.TEXT_PATH, p["spec"]
    options = dict(text=text, netns=netns, netns_prefix=p["netns_prefix"], prune=p["prune"])

    if module.check_mode:
        document = api.plan(name, no_disrupt=p["no_disrupt"], force=p["force"], **options)
        steps = document["steps"]
        result = dict(
            changed=document["changed"],
            steps=steps,
            applied=[],
            rolled_back=False,
            requests=0,
            diagnostics=document["diagnostics"],
            refusals=document["refusals"],
        )
        if module._diff and steps:
            result["diff"] = diff_of(steps, netns, name)
        problems = errors(document) or document["refusals"]
        if problems:
            module.fail_json(msg=failure_message(problems), **result)
        module.exit_json(**result)

    document = api.apply(name, no_disrupt=p["no_disrupt"], force=p["force"], wait=p["wait"], **options)
    steps = document["planned"]
    result = dict(
        changed=document["changed"],
        steps=steps,
        applied=document["applied"],
        rolled_back=document["rolled_back"],
        requests=document["requests"],
        diagnostics=document["diagnostics"],
    )
    if module._diff and document["applied"]:
        result["diff"] = diff_of(document["applied"], netns, name)
    if not document["ok"]:
        module.fail_json(msg=failure_message(errors(document)), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
