"""Running `netscript` as whole processes for the benchmarks, the way it is installed.

An installed netscript has its bytecode compiled; a work tree run with
PYTHONDONTWRITEBYTECODE=1 compiles every module again in every process, and
a benchmark would time the compiler. The benchmarks' processes keep their
bytecode in a directory of their own (PYTHONPYCACHEPREFIX), so nothing is
written beside the sources, and run each command once untimed first.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig


def compiled_env(directory: str) -> dict[str, str]:
    """The environment for processes whose bytecode lives (compiled once) under ``directory``."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=os.path.join(directory, "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def netscript_argv(command: str | None = None) -> list[str]:
    """``command``; else the `netscript` console script of this interpreter, or on PATH; else `python -m netscript`.

    ``command`` may be a source checkout (a directory with netscript/ in it): its
    netscript then runs as the console script would run it, whichever checkout
    the installed one is (`--command ../other-tree`).

    The interpreter's own scripts directory comes before PATH: there pip put the
    console script a user runs, while PATH may find a version manager's
    dispatcher first (pyenv's shims are shell scripts that cost some 50 ms a run,
    which is pyenv's time, not netscript's).
    """
    if command and os.path.isfile(os.path.join(command, "netscript", "__init__.py")):
        checkout = os.path.abspath(command)
        run = f"import sys; sys.path.insert(0, {checkout!r}); from netscript.cli import run; sys.exit(run())"
        return [sys.executable, "-c", run]
    if command:
        found = shutil.which(command)
        if not found:
            sys.exit(f"{command}: not found")
        return [found]
    own = os.path.join(sysconfig.get_path("scripts"), "netscript")
    found = own if os.access(own, os.X_OK) else shutil.which("netscript")
    return [found] if found else [sys.executable, "-m", "netscript"]
