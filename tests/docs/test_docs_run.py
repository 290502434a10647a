"""--run on the real kernel: each snippet in a throwaway namespace, never the host's."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import _can_make_namespaces

pytestmark = pytest.mark.kernel

if _can_make_namespaces():
    pytest.skip(_can_make_namespaces(), allow_module_level=True)


def namespaces() -> set[str]:
    """The throwaway namespaces of --run (other tests may be making their own meanwhile)."""
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.split() and line.startswith("nsdoc-")}


def host_links() -> set[str]:
    out = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
    return {line.split(":")[1].strip().split("@")[0] for line in out.splitlines()}


@pytest.fixture
def untouched_host():
    before_ns, before_links = namespaces(), host_links()
    yield
    assert namespaces() == before_ns, "a namespace was left behind"
    assert host_links() == before_links, "the host's links changed"


FAILING = """# A recipe that fails on a real kernel

```console
# brctl addbr br0
# brctl addif br0 eth0
# brctl stp br0 on
# brctl setfd br0 1
# brctl addif br0 eth1
```
"""


def run_json(cli, path):
    result = cli("check", "--run", "--format", "json", path)
    return result, json.loads(result.stdout)


@pytest.mark.skipif(subprocess.run(["sh", "-c", "command -v brctl"], capture_output=True).returncode != 0, reason="needs brctl")
def test_a_failing_command_is_reported_with_the_kernels_message(cli, tmp_path, untouched_host):
    doc = tmp_path / "fail.md"
    doc.write_text(FAILING)
    result, found = run_json(cli, doc)
    failed = [d for d in found if d["code"] == "NS605"]
    assert len(failed) == 1 and result.exit_code == 1
    assert failed[0]["line"] == 7 and failed[0]["column"] == 3
    assert "Numerical result out of range" in failed[0]["message"]


@pytest.mark.skipif(subprocess.run(["sh", "-c", "command -v brctl"], capture_output=True).returncode != 0, reason="needs brctl")
def test_a_working_snippet_runs_clean_with_stand_ins_for_interfaces(cli, tmp_path, untouched_host):
    doc = tmp_path / "ok.md"
    doc.write_text("```sh\nbrctl addbr br0\nbrctl addif br0 eth0 eth1\nbrctl setfd br0 4\nbrctl stp br0 on\n```\n")
    _, found = run_json(cli, doc)
    assert [d for d in found if d["code"] in ("NS605", "NS606")] == []


def test_kinds_this_kernel_lacks_are_skipped_not_failed(tmp_path, untouched_host):
    from netscript.docs.document import Document
    from netscript.docs.run import kernel_has, throwaway_namespace
    from netscript.ir.model import LinkKind

    with throwaway_namespace() as ns:
        cache: dict = {}
        assert kernel_has(LinkKind.BRIDGE, ns, cache) and kernel_has(LinkKind.VETH, ns, cache)
        has_bond = kernel_has(LinkKind.BOND, ns, cache)
    doc_text = "```sh\necho +bond0 > /sys/class/net/bonding_masters\necho +eth0 > /sys/class/net/bond0/bonding/slaves\n```\n"
    from netscript.docs.run import run_snippet

    doc = Document("b.md", doc_text, "markdown")
    from netscript.docs.checker import blocks_of

    found = run_snippet(blocks_of(doc)[0], doc, {})
    if not has_bond:
        assert [d.code for d in found] in ([], ["NS606"])  # [] until the sysfs parser is registered
        assert all("bond" in d.message for d in found)


def test_snippets_naming_namespaces_are_not_run(cli, tmp_path, untouched_host):
    doc = tmp_path / "ns.md"
    doc.write_text("```sh\nbrctl addbr br0\nip netns exec other brctl addbr br1\n```\n")
    _, found = run_json(cli, doc)
    assert [d["code"] for d in found if d["code"].startswith("NS60")] == ["NS606"]


def test_the_namespace_is_deleted_when_interrupted(monkeypatch, untouched_host):
    from netscript.docs import run

    made = []

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        with run.throwaway_namespace() as ns:
            made.append(ns)
            assert ns in namespaces()
            interrupted()
    assert made and made[0] not in namespaces()


def test_sigterm_becomes_an_exception_so_cleanup_runs(untouched_host):
    import signal

    from netscript.docs import run

    with pytest.raises(run._Interrupted):
        with run._deleting_on_signal():
            with run.throwaway_namespace() as ns:
                os.kill(os.getpid(), signal.SIGTERM)
    assert ns not in namespaces()
