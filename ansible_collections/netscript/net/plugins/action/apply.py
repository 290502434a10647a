# -*- coding: utf-8 -*-
# Copyright: netscript contributors
# MIT License (see the netscript repository)

"""netscript.net.apply on the controller: a ``src`` spec is read here and sent as text.

Only ``src`` needs the controller (it names a file there, found the way
ansible.builtin.copy finds its src); ``spec`` and ``path`` go to the module
as they are.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        src = args.get("src")
        if src is not None:
            if args.get("spec") is not None or args.get("path") is not None:
                raise AnsibleActionFail("parameters are mutually exclusive: src|spec|path")
            found = self._find_needle("files", src)
            with open(found, "rb") as f:
                args["spec"] = to_text(f.read(), errors="surrogate_or_strict")
            args["src"] = found  # names the spec in diagnostics; its extension picks the reader
        result.update(self._execute_module(module_name="netscript.net.apply", module_args=args, task_vars=task_vars))
        return result
