"""Where the grammars and templates are, installed or in a source checkout."""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def resource_dir(name: str) -> Path:
    """The directory of the ``grammars`` or ``templates`` package data.

    An installed netscript ships them as ``netscript.grammars`` and
    ``netscript.templates`` (setup.cfg maps the top-level folders there); a
    source checkout that was not installed finds them beside the package.
    """
    try:
        return Path(str(importlib.resources.files(f"netscript.{name}")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / name
