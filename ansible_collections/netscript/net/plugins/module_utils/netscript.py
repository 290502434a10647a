# -*- coding: utf-8 -*-
# Copyright: netscript contributors
# MIT License (see the netscript repository)

"""What the netscript.net modules share: finding netscript on the host, and its documents as Ansible results.

The modules call netscript's Python API (``netscript.api``), whose documents
are the ones ``netscript plan|apply --format json`` print; this file only
reshapes them for Ansible (``changed``, ``diff``, ``msg``).
"""

from __future__ import annotations

import traceback

try:
    from netscript import api as netscript_api
except ImportError:
    netscript_api = None
    NETSCRIPT_IMPORT_ERROR = traceback.format_exc()
else:
    NETSCRIPT_IMPORT_ERROR = None

def require_netscript(module):
    """Fail the task, saying how to install it, when netscript cannot be imported on the host."""
    if netscript_api is None:
        from ansible.module_utils.basic import missing_required_lib

        module.fail_json(
            msg=missing_required_lib("netscript")
            + " (install it on the managed host, e.g. with the netscript.net.install role, and point"
            " ansible_python_interpreter at the Python that has it)",
            exception=NETSCRIPT_IMPORT_ERROR,
        )
    return netscript_api


def errors(document):
    """The error diagnostics of a document, in the order netscript reports them."""
    return [d for d in document.get("diagnostics", []) if d.get("severity") == "error"]


def failure_message(problems):
    """One line per diagnostic, as netscript prints them: ``path:line:col: message [CODE]``."""
    lines = []
    for d in problems:
        where = "%s:%s:%s: " % (d["path"], d["line"], d["column"]) if d.get("path") and d.get("line") else ""
        lines.append("%s%s [%s]" % (where, d["message"], d["code"]))
    return "; ".join(lines) or "netscript failed"


def _where(change, netns):
    link = change["link"]
    return link if change.get("netns") in (None, netns) else "%s@%s" % (link, change["netns"])


def diff_of(steps, netns, spec_name):
    """Ansible's before/after for a plan: each attribute as the live state has it, and as the spec wants it.

    The words are the plan's: ``br0: mtu: 1300`` before and ``br0: mtu: 1400``
    after, one line per attribute in the order of the steps (a step's
    ``changes``: its settings, or ``exists``, ``address``, ``master`` for what
    it makes or takes away whole). An attribute two steps change shows its
    first value and its last; a link deleted to be made again shows why
    (the setting that forced it), not that it briefly did not exist.
    """
    before, after = {}, {}
    touched = set()
    for step in steps:
        for change in step["changes"]:
            where = _where(change, netns)
            if change["attribute"] == "exists" and step["action"] == "create" and where in touched:
                continue  # the second half of a recreate
            # every address is an attribute of its own (added or removed); other attributes have one value
            address = change["wanted"] if change["wanted"] != "(none)" else change["actual"]
            key = (where, change["attribute"], address if change["attribute"] == "address" else None)
            before.setdefault(key, "%s: %s: %s" % (where, change["attribute"], change["actual"]))
            after[key] = "%s: %s: %s" % (where, change["attribute"], change["wanted"])
        touched.add(step["link"] if step.get("netns") in (None, netns) else "%s@%s" % (step["link"], step["netns"]))
    where = "namespace %s" % netns if netns else "this namespace"
    return {
        "before_header": "live state of %s" % where,
        "after_header": spec_name,
        "before": "".join(line + "\n" for line in before.values()),
        "after": "".join(line + "\n" for line in after.values()),
    }
