"""One fact, one place: every path that judges a kind's setting asks the kind's own declaration.

A team option is checked against its runner or link watcher in the DSL and
in teamd's JSON (a legacy script's `teamd -c`) from the same declaration in
netscript/kinds/team.py, so the two can never disagree again; and every
kind's defaults and selectors are declared where a consumer can find them.
"""

from __future__ import annotations

import json

import pytest

from netscript import kinds
from netscript.frontends.dsl import parse
from netscript.ir.model import LinkKind
from netscript.kinds.spec import settings
from netscript.validate import validate

TEAM = kinds.spec(LinkKind.TEAM)
SELECTED = [(key, meta) for key, (_, meta) in settings(TEAM.options).items() if meta.modes]
SAMPLE = {"int": "100", "ip": "192.0.2.1", "list": "eth", "flag": "on", "choice": None}


def sample_value(meta) -> str:
    codec = meta.codec
    choices = getattr(codec, "choices", None) or getattr(getattr(codec, "item", None), "choices", None)
    if choices:
        return choices[0]
    name = type(codec).__name__
    return {"Int": "100", "IPAddress": "192.0.2.1", "Flag": "on"}.get(name, "x")


def json_value(meta, text: str):
    name = type(meta.codec).__name__
    if name == "Int":
        return int(text)
    if name == "Flag":
        return True
    if name == "WordList":
        return [text]
    return text


def nest(path: str, value) -> dict:
    node: dict = {}
    top = node
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return top


def test_every_team_option_that_depends_on_a_selector_is_declared_so():
    assert {meta.selected_by for _, meta in SELECTED} == {"runner", "link_watch"}
    assert len(SELECTED) >= 12


@pytest.mark.parametrize("key,meta", SELECTED, ids=[k for k, _ in SELECTED])
def test_dsl_and_teamd_json_judge_an_option_under_the_wrong_selector_alike(cli, tmp_path, key, meta):
    # one judgement, one finding: the option goes into the IR from either, and validation judges it
    selector = meta.selected_by
    other = next(c for c in settings(TEAM.options)[selector][1].codec.choices if c not in meta.modes)
    value = sample_value(meta)
    program, problems = parse(f"team t0 {selector} {other} {key} {value}\n")
    assert not [d for d in problems if d.severity.value == "error"], problems
    in_spec = [f"{d.message} [{d.code}]" for d in validate(program) if d.code in ("NS210", "NS213")]
    config = nest(meta.ip, json_value(meta, value))
    config.setdefault(selector, {})["name"] = other
    script = tmp_path / "team.sh"
    script.write_text(f"#!/bin/sh\nteamd -d -t t0 -c '{json.dumps(config)}'\n")
    result = cli("check", script)
    in_script = [line.split(": error: ")[1] for line in result.output.splitlines()
                 if line.endswith(("[NS210]", "[NS213]"))]
    assert in_spec and in_script == in_spec, (key, other, result.output)
    assert "[NS412]" not in result.output, result.output


@pytest.mark.parametrize("kind", list(kinds.KINDS), ids=lambda k: k.value)
def test_each_selector_a_kind_declares_is_one_of_its_settings_with_a_default(kind):
    spec = kinds.spec(kind)
    for cls in (spec.options, spec.port_options):
        if cls is None:
            continue
        fields = dict(settings(cls).values())
        for meta in fields.values():
            if meta.modes:
                selector = fields[meta.selected_by]
                assert selector.default is not None, (kind, meta.selected_by)
                assert set(meta.modes) <= set(selector.codec.choices)


def test_teamd_gets_the_selector_of_every_option_it_is_given():
    # `team t delay_up 100` (what export writes, the ethtool watcher being teamd's default) must
    # still name the watcher in teamd's JSON: a link_watch object without a name makes teamd
    # refuse every port (seen in the kernel lab)
    from netscript.backends import ipcmd

    program, _ = parse("team t0 runner activebackup delay_up 100\nteam t1 tx_hash eth runner lacp\n")
    first, second = (json.loads(ipcmd.teamd_config(link)) for link in program.links)
    assert first["link_watch"] == {"name": "ethtool", "delay_up": 100}
    assert second["runner"] == {"name": "lacp", "tx_hash": ["eth"]}
    assert "link_watch" not in second
