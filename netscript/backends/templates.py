"""The script templates, ``templates/*.j2``, rendered.

The templates say how a script reads, and jinja2 defines what they mean. A
process that imports jinja2 and compiles them spends about 40 ms on it, more
than the rest of `netscript render` of a small spec, so jinja2's own
compilation of them is kept in :mod:`.compiled_templates` and run by
:mod:`.template_runtime`. It is used only while the texts and options it was
compiled from are the templates' own: a template edited and not compiled
again is rendered by jinja2 itself, slower and the same. To compile them
again::

    python3 -m netscript.backends.templates

(tests/test_templates.py fails until that has been done, and holds the
compiled output to jinja2's.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..resources import resource_dir

if TYPE_CHECKING:
    import jinja2

    from .template_runtime import Environment

# how jinja2 reads the templates (the compiled code depends on it too)
OPTIONS: dict[str, Any] = {"autoescape": False, "keep_trailing_newline": True, "trim_blocks": True, "lstrip_blocks": True}

Filters = Mapping[str, Callable[..., str]]
COMPILED = Path(__file__).with_name("compiled_templates.py")


def sources() -> dict[str, str]:
    """Each template's name -> its text."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(resource_dir("templates").glob("*.j2"))}


def render(name: str, filters: Filters, **variables: Any) -> str:
    """Template ``name`` rendered with ``variables``; ``filters`` are the ones the templates use."""
    key = tuple(sorted(filters.items()))
    compiled = _compiled(key)
    if compiled is not None:
        return compiled.get_template(name).render(**variables)
    return jinja_environment(key).get_template(name).render(**variables)


@functools.lru_cache(maxsize=4)
def _compiled(filters: tuple[tuple[str, Callable], ...]) -> Environment | None:
    """The compiled templates, when they are those of the templates' current text."""
    from . import compiled_templates
    from .template_runtime import Environment

    # the texts themselves, not a digest: comparing 10 kB costs less than importing hashlib
    if (sources(), OPTIONS) != (compiled_templates.SOURCES, compiled_templates.OPTIONS):
        return None
    return Environment(compiled_templates.TEMPLATES, dict(filters))


@functools.lru_cache(maxsize=4)
def jinja_environment(filters: tuple[tuple[str, Callable], ...]) -> jinja2.Environment:
    """jinja2 itself, reading the templates from their files."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_dir("templates"))), undefined=jinja2.StrictUndefined, **OPTIONS
    )
    env.filters.update(dict(filters))
    return env


_RUNTIME_IMPORT = "from jinja2.runtime import "


def compile_module(filters: Filters) -> str:
    """The text of compiled_templates.py: jinja2's compilation of each template, as a function of
    the environment that returns its root render function and its blocks."""
    import jinja2

    env = jinja_environment(tuple(sorted(filters.items())))
    texts = sources()
    names: set[str] = set()
    functions = []
    for name, text in texts.items():
        code = env.compile(text, name, raw=True)
        first, _, body = code.partition("\n")
        if not first.startswith(_RUNTIME_IMPORT):
            raise RuntimeError(f"jinja2 {jinja2.__version__} compiles {name} to code that starts {first!r}")
        if not _one_line_strings(body):
            raise RuntimeError(f"jinja2 {jinja2.__version__} compiles {name} to a string of several lines")
        names.update(n.strip() for n in first.removeprefix(_RUNTIME_IMPORT).split(","))
        indented = "\n".join("    " + line if line else line for line in body.splitlines())
        functions.append(f"def {_function(name)}(environment):\n{indented}\n    return root, blocks\n")
    text = (
        f"# Compiled from templates/*.j2 by jinja2 {jinja2.__version__}: `python3 -m netscript.backends.templates`.\n"
        "# Do not edit: it is used only while SOURCES and OPTIONS are the templates' own (templates.py).\n"
        "# ruff: noqa\n"
        "# mypy: ignore-errors\n"
        f"from .template_runtime import {', '.join(sorted(names))}\n\n"
        f"OPTIONS = {OPTIONS!r}\n\n"
        "SOURCES = {\n" + "".join(f"    {name!r}: {text!r},\n" for name, text in texts.items()) + "}\n\n\n"
        + "\n\n".join(functions)
        + "\n\nTEMPLATES = {\n"
        + "".join(f"    {name!r}: {_function(name)},\n" for name in texts)
        + "}\n"
    )
    compile(text, str(COMPILED), "exec")
    return text


def _one_line_strings(code: str) -> bool:
    """Whether every string in ``code`` is on one line, so indenting its lines changes no string."""
    import io
    import tokenize

    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    return all(t.start[0] == t.end[0] for t in tokens if t.type == tokenize.STRING)


def _function(name: str) -> str:
    return "_" + "".join(c if c.isalnum() else "_" for c in name)


if __name__ == "__main__":
    from .bash import FILTERS

    COMPILED.write_text(compile_module(FILTERS), encoding="utf-8")
    print(f"wrote {COMPILED}")
