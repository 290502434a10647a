"""The compiled templates say what jinja2 says, and are used only while they are current.

After editing templates/*.j2: python3 -m netscript.backends.templates
"""

from __future__ import annotations

import glob
import os
import sys

import pytest

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from golden.regen import render

from netscript.backends import bash, compiled_templates, template_runtime, templates

HERE = os.path.dirname(__file__)
SPECS = sorted(glob.glob(os.path.join(HERE, "golden", "cases", "*.ns"))) + sorted(
    glob.glob(os.path.join(HERE, "..", "examples", "*.ns"))
)
FORMS = {"plain": [], "teardown": ["--teardown"], "batch": ["--batch"], "no-disrupt": ["--no-disrupt"],
         "batch-no-disrupt": ["--batch", "--no-disrupt"]}


def test_the_compiled_templates_are_the_templates_current_text():
    assert templates.sources() == compiled_templates.SOURCES, (
        "templates/*.j2 changed: run python3 -m netscript.backends.templates"
    )


def test_compiling_again_gives_the_same_module():
    assert templates.compile_module(bash.FILTERS) == templates.COMPILED.read_text(encoding="utf-8")


def rendered_by_jinja2(spec, options, monkeypatch):
    """The script as jinja2 itself renders it, as when the compiled templates are stale."""
    with monkeypatch.context() as m:
        m.setattr(templates, "_compiled", lambda filters: None)
        return render(spec, options)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("spec", SPECS, ids=[os.path.basename(s) for s in SPECS])
def test_compiled_templates_render_what_jinja2_renders(spec, form, monkeypatch):
    assert templates._compiled(tuple(sorted(bash.FILTERS.items()))) is not None
    assert render(spec, FORMS[form]) == rendered_by_jinja2(spec, FORMS[form], monkeypatch)


def test_a_stale_compilation_is_not_used(monkeypatch):
    templates._compiled.cache_clear()
    edited = {**compiled_templates.SOURCES, "steps.sh.j2": compiled_templates.SOURCES["steps.sh.j2"] + "\n"}
    monkeypatch.setattr(compiled_templates, "SOURCES", edited)
    try:
        assert templates._compiled(tuple(sorted(bash.FILTERS.items()))) is None
        spec = SPECS[0]
        assert render(spec, []) == rendered_by_jinja2(spec, [], monkeypatch)
    finally:
        templates._compiled.cache_clear()


def compiled(text: str, **filters):
    """A template of ``text`` compiled as the module's are, on the runtime."""
    import jinja2

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, **templates.OPTIONS)
    env.filters.update(filters)
    code = env.compile(text, "t", raw=True).replace("from jinja2.runtime import", "from netscript.backends.template_runtime import")
    runtime = template_runtime.Environment({"t": lambda environment: _bind(code, environment)}, filters)
    return runtime.get_template("t"), env.from_string(text)


def _bind(code, environment):
    namespace = {"environment": environment}
    exec(code, namespace)
    return namespace["root"], namespace["blocks"]


@pytest.mark.parametrize(
    "text, variables",
    [
        ("{% for x in xs %}{{ 'if' if loop.first else 'elif' }} {{ x }}{{ ',' if not loop.last }}{% endfor %}", {"xs": "abc"}),
        ("{% macro m(a, b='-') %}{{ a }}{{ b }}{% endmacro %}{{ m(1) }} {{ m(1, 2) }} {{ m(a=3) }}", {}),
        ("{% set ns = namespace(n=0) %}{% for x in xs %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}", {"xs": [1, 2]}),
        ("{{ d.k }} {{ d['k'] }} {{ xs[0] }} {{ xs | length }} {{ 'a' ~ 1 }} {{ n is none }}", {"d": {"k": 1}, "xs": [5], "n": None}),
        ("{{ w | q }}", {"w": "a b"}),
    ],
)
def test_the_runtime_behaves_as_jinja2(text, variables):
    ours, theirs = compiled(text, q=bash.q)
    assert ours.render(**variables) == theirs.render(**variables)


@pytest.mark.parametrize("text", ["{{ nothing }}", "{{ d.missing }}", "{% if nothing %}x{% endif %}",
                                  "{% for x in nothing %}{% endfor %}"])
def test_an_undefined_name_is_an_error_as_with_strict_undefined(text):
    import jinja2

    ours, theirs = compiled(text)
    with pytest.raises(jinja2.UndefinedError):
        theirs.render(d={})
    with pytest.raises(template_runtime.UndefinedError):
        ours.render(d={})
