"""Where the grammars and templates are, in a source checkout or installed."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    """The directory of the ``grammars`` or ``templates`` package data.

    A source checkout (``setup.cfg`` beside the package) uses its own folders,
    so a second checkout or work tree never reads another one's templates
    through an editable install's mapping. An installed netscript ships them as
    ``netscript.grammars`` and ``netscript.templates`` (setup.cfg maps the
    top-level folders there).
    """
    if (_CHECKOUT / "setup.cfg").is_file() and (_CHECKOUT / name).is_dir():
        return _CHECKOUT / name
    return Path(str(importlib.resources.files(f"netscript.{name}")))
