#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netscript contributors
# MIT License (see the netscript repository)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: facts
short_description: The live virtual network of a host, as netscript data and as a spec
version_added: "1.0.0"
description:
  - Reads the live state of a network namespace over netlink, as
    C(netscript export) does, and returns it as facts under C(ansible_facts.netscript)
    both as data (C(links)) and as spec text (C(spec)) that M(netscript.net.apply)
    builds again.
  - Links of other namespaces (with O(all_netns) or O(netns_prefix)) are under
    C(ansible_facts.netscript.namespaces), one key per namespace.
  - Settings the kernel picks by itself, and MAC addresses, are left out, as
    C(netscript export) leaves them out.
options:
  netns:
    description:
      - Read this namespace instead of the one the module runs in.
    type: str
  netns_prefix:
    description:
      - Also read every namespace named with this prefix, keyed without it (as
        M(netscript.net.apply) with O(netscript.net.apply#module:netns_prefix) made them).
    type: str
    default: ""
  all_netns:
    description:
      - Also read every named namespace (C(ip netns list)).
    type: bool
    default: false
notes:
  - Needs netscript on the managed host, importable by the Python that runs
    the module (see the C(netscript.net.install) role), and root.
requirements:
  - netscript (Python package) on the managed host
  - Linux, root
attributes:
  check_mode:
    support: full
    description: Only reads.
  diff_mode:
    support: none
    description: Nothing to compare.
  facts:
    support: full
    description: Sets C(ansible_facts.netscript).
author:
  - netscript contributors
"""

EXAMPLES = r"""
- name: Read the live state
  netscript.net.facts:

- name: Keep it as a spec, to apply elsewhere
  ansible.builtin.copy:
    content: "{{ ansible_facts.netscript.spec }}"
    dest: "/srv/specs/{{ inventory_hostname }}.ns"
  delegate_to: localhost

- name: Every namespace a --netns-prefix apply made
  netscript.net.facts:
    netns_prefix: "lab-"
"""

RETURN = r"""
ansible_facts:
  description: The facts set.
  returned: always
  type: complex
  contains:
    netscript:
      description: The live state.
      returned: always
      type: complex
      contains:
        netns:
          description: The namespace read (null, the module's own).
          type: str
          returned: always
        spec:
          description: The live state as spec text, what C(netscript export) prints.
          type: str
          returned: always
          sample: "bridge br0 mtu 1400 {\n    addr 10.0.0.1/24\n    up\n}\n"
        links:
          description:
            - The links of the namespace read, in the spec's order, each with
              C(name), C(kind) and what is set of C(link) (the lower device),
              C(options) (the kind's settings, in the DSL's keys), C(mtu),
              C(txqueuelen), C(state) (C(up)), C(addresses), C(ports) and
              C(peer) (a veth's other end).
          type: list
          elements: dict
          returned: always
          sample:
            - {name: br0, kind: bridge, mtu: 1400, state: up, addresses: ["10.0.0.1/24"]}
        namespaces:
          description: The other namespaces read, by name, each with its C(links).
          type: dict
          returned: always
        diagnostics:
          description: What the export could not say as a spec (links of kinds netscript lacks, kept as physical).
          type: list
          elements: dict
          returned: always
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netscript.net.plugins.module_utils.netscript import (
    errors,
    failure_message,
    require_netscript,
)

# The document keys that are the facts (not the envelope: format, command, ok).
FACT_KEYS = ("netns", "spec", "links", "namespaces", "diagnostics")


# The options, as DOCUMENTATION describes them (a test holds the two to each other).
ARGUMENT_SPEC = dict(
    netns=dict(type="str"),
    netns_prefix=dict(type="str", default=""),
    all_netns=dict(type="bool", default=False),
)


def main():
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC,
        supports_check_mode=True,
    )
    api = require_netscript(module)
    p = module.params
    document = api.export(p["netns"] or None, netns_prefix=p["netns_prefix"], all_netns=p["all_netns"])
    if not document["ok"]:
        module.fail_json(msg=failure_message(errors(document)), diagnostics=document["diagnostics"])
    module.exit_json(changed=False, ansible_facts=dict(netscript={k: document[k] for k in FACT_KEYS}))


if __name__ == "__main__":
    main()
