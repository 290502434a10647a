"""Small commands pay only for what they use: each command's module, and each
heavy library, is imported by the commands that need it (bench/latency.py
times them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import netscript.cli
from netscript.cli import COMMANDS, main

HEAVY = ("lark", "jinja2", "pyroute2", "tree_sitter")
COMMAND_MODULES = tuple(f"netscript.cli.{m}" for m in sorted(set(COMMANDS.values())))


def test_every_command_is_found_in_the_module_the_table_names():
    netscript.cli._register()  # every module, as --help does
    defined = {name: command.callback.__module__ for name, command in main.commands.items()}
    assert defined == {name: f"netscript.cli.{module}" for name, module in COMMANDS.items()}


def imported_by(tmp_path, *args, watched=HEAVY + COMMAND_MODULES) -> list[str]:
    """The modules of ``watched`` that `netscript ARGS` imports, in a fresh process."""
    code = (
        "import json, sys, runpy\n"
        f"sys.argv = ['netscript', *{list(args)!r}]\n"
        "try:\n"
        "    runpy.run_module('netscript', run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        f"print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)), file=sys.stderr)\n"
    )
    (tmp_path / "one.ns").write_text("dummy d0 {\n    up\n}\n")
    (tmp_path / "one.sh").write_text("brctl addbr br0\n")
    # the netscript under test, not whichever checkout the editable install maps
    checkout = os.path.dirname(os.path.dirname(netscript.cli.__file__.rsplit("/", 1)[0]))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [checkout, os.environ.get("PYTHONPATH")])))
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=tmp_path,
                         env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stderr.splitlines()[-1])


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--version"], []),
        (["check", "one.ns"], ["netscript.cli.check"]),
        (["render", "one.ns", "-o", "one.out"], ["netscript.cli.spec"]),  # templates run compiled
        (["fmt", "one.ns"], ["netscript.cli.spec"]),
        (["translate", "one.sh", "-o", "one.out"], ["netscript.cli.translate"]),  # shell is parsed by shfmt, a process
    ],
)
def test_a_command_imports_its_own_module_and_libraries_only(tmp_path, args, expected):
    assert imported_by(tmp_path, *args) == expected


def test_translate_imports_the_readers_of_the_tools_the_script_uses_only(tmp_path):
    from netscript.frontends.legacy import registry

    readers = tuple(sorted({module.__name__ for module in registry.TOOLS.values()}))
    imported = imported_by(tmp_path, "translate", "one.sh", "-o", "one.out", watched=readers)
    assert imported == ["netscript.frontends.legacy.brctl"]


def test_render_imports_the_kinds_the_spec_names_only(tmp_path):
    kinds = tuple(f"netscript.kinds.{kind}" for kind in ("bond", "bridge", "ipvlan", "simple", "vlan", "vxlan"))
    assert imported_by(tmp_path, "render", "one.ns", "-o", "one.out", watched=kinds) == ["netscript.kinds.simple"]


def test_translate_to_modern_commands_loads_neither_the_ir_nor_the_effects(tmp_path):
    # the IR, the link kinds, validation and what each command does to the IR serve --to dsl
    # and `check`; rewriting a brctl line as an ip line needs none of them
    watched = ("netscript.ir.model", "netscript.kinds", "netscript.validate", "netscript.frontends.legacy.effects")
    assert imported_by(tmp_path, "translate", "one.sh", "-o", "one.out", watched=watched) == []


@pytest.mark.parametrize("args", [["check", "one.ns"], ["translate", "one.sh", "-o", "one.out"]])
def test_an_input_that_is_not_gzipped_does_not_load_gzip(tmp_path, args):
    assert imported_by(tmp_path, *args, watched=("gzip",)) == []


@pytest.mark.parametrize("args", [["check", "one.ns"], ["render", "one.ns", "-o", "one.out"]])
def test_a_spec_without_routes_does_not_load_the_routing_ir(tmp_path, args):
    # routes, rules, sysctls and neighbours: their IR, their words and the script's steps for them
    watched = ("netscript.ir.routing", "netscript.routing.words", "netscript.backends.script_routing")
    assert imported_by(tmp_path, *args, watched=watched) == []


def test_a_spec_with_a_route_loads_what_renders_it(tmp_path):
    (tmp_path / "route.ns").write_text("route blackhole 10.66.0.0/16\n")
    watched = ("netscript.ir.routing", "netscript.backends.script_routing")
    assert imported_by(tmp_path, "render", "route.ns", "-o", "one.out", watched=watched) == sorted(watched)


@pytest.mark.parametrize("args", [["check", "one.ns"], ["render", "one.ns", "--output", "one.out"]])
def test_a_spec_without_a_mistake_does_not_load_the_suggestions(tmp_path, args):
    # difflib finds the "did you mean" of an unknown word: a spec with none never asks
    # (click loads it for a short option, `-o`, which it first tries as a long one)
    assert imported_by(tmp_path, *args, watched=("difflib",)) == []


def test_reading_the_kernel_state_does_not_load_the_exporter():
    # plan and apply read the state; only export turns it into a spec (and reads routes for it)
    code = "import sys, netscript.frontends.kernel as k; print(sorted(m for m in sys.modules if 'kernel.program' in m))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(netscript.cli.__file__.rsplit("/", 1)[0])))
    assert out.stdout.strip() == "[]"


def test_the_collector_skips_its_last_pass_over_what_exiting_frees(tmp_path):
    # registered first, so run at exit after netscript's own exit handlers
    code = (
        "import atexit, gc, os, sys\n"
        "atexit.register(lambda: os.write(2, b'frozen %d' % gc.get_freeze_count()))\n"
        "sys.argv = ['netscript', 'check', 'one.ns']\n"
        "from netscript.cli import run\n"
        "run()\n"
    )
    (tmp_path / "one.ns").write_text("dummy d0 {\n    up\n}\n")
    checkout = os.path.dirname(os.path.dirname(netscript.cli.__file__.rsplit("/", 1)[0]))
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=tmp_path,
                         env=dict(os.environ, PYTHONPATH=checkout))
    assert out.returncode == 0, out.stderr
    frozen = int(out.stderr.rsplit("frozen ", 1)[1])
    assert frozen > 10_000  # the modules' objects at least: the whole heap is frozen, not a part
