"""A callback that writes what the engine saw, one JSON line per event, to $NETSCRIPT_RECORD.

The tests read it instead of the screen output: each task's result per
host (changed, failed, diff, the module's return values), when each
host's task started and ended, and the play recap.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: record
type: notification
short_description: write every task result as a JSON line (netscript's tests)
description: Writes each host's task start, result and the recap to the file named by NETSCRIPT_RECORD.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "record"
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, **event):
        event["time"] = time.time()
        with open(os.environ["NETSCRIPT_RECORD"], "a") as f:
            f.write(json.dumps(event, default=str) + "\n")

    def v2_runner_on_start(self, host, task):
        self._write(event="start", host=host.get_name(), task=task.get_name())

    def _result(self, status, result):
        self._write(event=status, host=result._host.get_name(), task=result._task.get_name(), result=result._result)

    def v2_runner_on_ok(self, result):
        self._result("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result("failed", result)

    def v2_runner_on_unreachable(self, result):
        self._result("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        self._write(event="stats", hosts={h: stats.summarize(h) for h in hosts})
