"""The netscript.net collection as a collection: it builds, ansible-doc renders it, ansible-test passes.

ansible-test sanity runs here on the subset that needs no network: the
others (validate-modules, pylint, pep8, yamllint, import, runtime-metadata,
ansible-doc) each make a virtual environment and bootstrap pip in it from
a script ansible-test downloads from its own server, which this machine and
CI cannot reach. What validate-modules would hold most dearly, that the
documented options are the module's real ones, is checked here directly.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml
from conftest import REPO

COLLECTION = Path(REPO) / "ansible_collections" / "netscript" / "net"
MODULES = ("apply", "facts")

# The sanity tests that run offline (README.md, "Many machines: Ansible", says the same).
OFFLINE_SANITY = (
    "action-plugin-docs", "changelog", "compile", "empty-init", "ignores", "line-endings", "no-assert",
    "no-get-exception", "no-illegal-filenames", "no-smart-quotes", "replace-urlopen", "shebang", "shellcheck",
    "symlinks", "use-argspec-type-path", "use-compat-six",
)


def ansible(*args: str, cwd=None, check=True) -> subprocess.CompletedProcess:
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=REPO, LC_ALL="C.UTF-8", ANSIBLE_NOCOLOR="1")
    return subprocess.run([sys.executable, "-m", "ansible", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=check, timeout=600)


def module_source(name: str) -> dict:
    """The module's file run as Python (its DOCUMENTATION, EXAMPLES, RETURN and ARGUMENT_SPEC), not imported."""
    namespace: dict = {"__name__": "documented"}
    exec(compile((COLLECTION / "plugins" / "modules" / f"{name}.py").read_text(), name, "exec"), namespace)
    return namespace


def test_the_collection_builds_with_its_modules_docs_and_examples(tmp_path):
    ansible("galaxy", "collection", "build", "--output-path", str(tmp_path), cwd=COLLECTION)
    (built,) = tmp_path.glob("netscript-net-*.tar.gz")
    with tarfile.open(built) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("MANIFEST.json"))
    assert {"plugins/modules/apply.py", "plugins/modules/facts.py", "plugins/action/apply.py",
            "plugins/module_utils/netscript.py", "roles/install/tasks/main.yml", "examples/site.yml",
            "README.md"} <= names
    assert manifest["collection_info"]["namespace"] == "netscript" and manifest["collection_info"]["name"] == "net"


@pytest.mark.parametrize("name", MODULES)
def test_ansible_doc_renders_each_module(name):
    shown = ansible("doc", f"netscript.net.{name}")
    assert f"netscript.net.{name}" in shown.stdout and "OPTIONS" in shown.stdout and "RETURN VALUES" in shown.stdout
    # ansible-doc's own complaints about the documentation; Python warnings from the engine's
    # dependencies (a newer cryptography's deprecations) say nothing about ours
    complaints = [line for line in shown.stderr.splitlines() if "[WARNING]" in line or "ERROR" in line]
    assert complaints == [], shown.stderr
    doc = json.loads(ansible("doc", "--json", f"netscript.net.{name}").stdout)[f"netscript.net.{name}"]
    assert doc["doc"]["module"] == name and doc["examples"] and doc["return"]


def test_ansible_doc_renders_the_install_role():
    shown = ansible("doc", "-t", "role", "netscript.net.install")
    assert "netscript_venv" in shown.stdout and "netscript_wheel" in shown.stdout


@pytest.mark.parametrize("name", MODULES)
def test_the_documented_options_are_the_modules_own(name):
    source = module_source(name)
    documented = yaml.safe_load(source["DOCUMENTATION"])["options"]
    real = source["ARGUMENT_SPEC"]
    assert set(documented) == set(real)
    for option, spec in real.items():
        doc = documented[option]
        assert doc["type"] == spec["type"], option
        assert doc.get("default") == spec.get("default"), option
    yaml.safe_load(source["EXAMPLES"])
    yaml.safe_load(source["RETURN"])


def test_ansible_test_sanity_passes_offline(tmp_path):
    # a copy, so that ansible-test's tests/output never lands in the tree
    copy = tmp_path / "ansible_collections" / "netscript" / "net"
    shutil.copytree(COLLECTION, copy, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    tests = [word for test in OFFLINE_SANITY for word in ("--test", test)]
    run = ansible("test", "sanity", "--local", "--python", f"{sys.version_info.major}.{sys.version_info.minor}",
                  *tests, cwd=copy, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count('Running sanity test "') == len(OFFLINE_SANITY)

    # and it does look: a smart quote is found
    with open(copy / "plugins" / "module_utils" / "netscript.py", "a") as f:
        f.write("# \u201cquoted\u201d\n")
    run = ansible("test", "sanity", "--local", "--test", "no-smart-quotes", cwd=copy, check=False)
    assert run.returncode != 0 and "use ASCII quotes" in run.stdout + run.stderr
