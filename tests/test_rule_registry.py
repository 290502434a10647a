"""The rule registry: each rule's code names the one function that checks it, and only that function reports it.

The catalogue (netscript/codes.py) names a ``check`` for every rule of
validation (NS2xx) and of documentation checking (NS6xx, but what --run
reports). The source of every module that checks rules is read here: a code
reported by a function the registry does not name for it (a second copy of a
rule, as the document simulator once had of validation's) fails, and so does
a rule with no function, or a function that is not there.
"""

from __future__ import annotations

import ast
import importlib
import pathlib
import re

import pytest

import netscript
from netscript.codes import RULES

CODE = re.compile(r"NS\d{3}")
RUN_OUTCOMES = {"NS605", "NS606"}  # what --run reports is the kernel's verdict on a command, not a rule
PACKAGE = pathlib.Path(netscript.__file__).parent
# The modules that judge rules, besides those the registry names: the validator, the
# document simulator and end-state check, and every kind (a new kind's rules land here).
RULE_MODULES = {"netscript.validate", "netscript.docs.simulate", "netscript.docs.validation"} | {
    f"netscript.kinds.{p.stem}" for p in (PACKAGE / "kinds").glob("*.py") if p.stem != "__init__"
}


def is_rule(code: str) -> bool:
    return code.startswith("NS2") or (code.startswith("NS6") and code not in RUN_OUTCOMES)


def checks() -> dict[str, str]:
    return {r.code: r.check for r in RULES.values() if r.check is not None}


def reported(module: str) -> dict[str, set[str]]:
    """Code -> the functions ("module:Class.function") of ``module`` that report it.

    A report is a call whose first argument is the code as written: ``diag("NS205", ...)``,
    ``self.add("NS231", ...)``.
    """
    path = PACKAGE.parent / (module.replace(".", "/") + ".py")
    out: dict[str, set[str]] = {}

    def walk(node: ast.AST, scope: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                walk(child, [*scope, child.name])
                continue
            if isinstance(child, ast.Call) and child.args:
                first = child.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and CODE.fullmatch(first.value):
                    out.setdefault(first.value, set()).add(f"{module}:{'.'.join(scope) or '<module>'}")
            walk(child, scope)

    walk(ast.parse(path.read_text()), [])
    return out


def everything_reported() -> dict[str, set[str]]:
    modules = RULE_MODULES | {check.split(":")[0] for check in checks().values()}
    out: dict[str, set[str]] = {}
    for module in sorted(modules):
        for code, functions in reported(module).items():
            out.setdefault(code, set()).update(functions)
    return out


def test_every_rule_names_the_function_that_checks_it():
    unchecked = [r.code for r in RULES.values() if is_rule(r.code) and not r.retired and r.check is None]
    assert unchecked == []
    assert [code for code in checks() if not is_rule(code)] == []


@pytest.mark.parametrize("code, check", sorted(checks().items()))
def test_the_named_function_is_there(code, check):
    module, name = check.split(":")
    target: object = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    assert callable(target)


def test_a_rule_is_reported_by_its_one_function_only():
    found = everything_reported()
    registry = checks()
    elsewhere = {code: sorted(functions - {registry[code]}) for code, functions in found.items()
                 if code in registry and functions != {registry[code]}}
    assert elsewhere == {}
    # and every function the registry names does report its code there
    assert [code for code, check in registry.items() if check not in found.get(code, set())] == []


def test_a_checking_function_reports_only_the_codes_listed_for_it():
    registry = checks()
    checking = set(registry.values())
    unlisted = sorted((function, code) for code, functions in everything_reported().items() for function in functions
                      if function in checking and registry.get(code) != function)
    assert unlisted == []


def test_a_retired_code_is_reported_nowhere():
    found = everything_reported()
    assert [r.code for r in RULES.values() if r.retired and r.code in found] == []


def test_the_catalogue_is_whole_whatever_is_imported():
    # no stage adds codes of its own when it loads: the table read alone is the whole table
    import subprocess
    import sys

    alone = subprocess.run([sys.executable, "-c", "from netscript.codes import RULES; print(' '.join(RULES))"],
                           check=True, capture_output=True, text=True, cwd=PACKAGE.parent).stdout.split()
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        used |= set(reported(module))
    assert sorted(used - set(alone)) == []
    assert alone == list(RULES)
