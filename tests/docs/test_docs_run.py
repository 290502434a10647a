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
    from netscript.docs.run import kernel_has, run_session, throwaway_namespace
    from netscript.ir.model import LinkKind
    from netscript.source import Source

    with throwaway_namespace() as ns:
        cache: dict = {}
        assert kernel_has(LinkKind.BRIDGE, ns, cache) and kernel_has(LinkKind.VETH, ns, cache)
        has_bond = kernel_has(LinkKind.BOND, ns, cache)
    doc_text = "```sh\necho +bond0 > /sys/class/net/bonding_masters\necho +eth0 > /sys/class/net/bond0/bonding/slaves\n```\n"
    report = run_session(Source("b.md", doc_text))
    if not has_bond:
        assert [d.code for d in report.diagnostics] == ["NS606"] and "no bond links" in report.diagnostics[0].message
        assert (report.ran, report.skipped) == (0, 1)


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

    with pytest.raises(KeyboardInterrupt), run.throwaway_namespace() as ns:
        made.append(ns)
        assert ns in namespaces()
        interrupted()
    assert made and made[0] not in namespaces()


def test_sigterm_becomes_an_exception_so_cleanup_runs(untouched_host):
    import signal

    from netscript.docs import run

    with pytest.raises(run._Interrupted), run._deleting_on_signal(), run.throwaway_namespace() as ns:
        os.kill(os.getpid(), signal.SIGTERM)
    assert ns not in namespaces()


# -- one session per document ------------------------------------------------------------------

STEP_BY_STEP = """# A bridge, step by step

First the bridge:

```sh
ip link add name br0 type bridge
ip link set br0 up
```

Then the port (eth0 is your uplink):

```sh
ip link set eth0 master br0
```

And the bridge's own settings:

```sh
ip link set br0 type bridge stp_state 1
```
"""


def test_a_how_to_runs_as_one_session_so_later_blocks_see_earlier_ones(cli, tmp_path, untouched_host):
    doc = tmp_path / "howto.md"
    doc.write_text(STEP_BY_STEP)
    _, found = run_json(cli, doc)
    # the port block needs master br0, made two blocks before; the last sets a bridge option
    # on it (alone, br0 would be a veth stand-in and the kernel would refuse)
    assert [d for d in found if d["code"] in ("NS605", "NS606")] == [], found
    text = cli("check", "--run", doc)
    assert "netscript: --run: 3 snippets: 3 ran, 3 passed, 0 failed, 0 skipped" in text.stderr


def test_a_failed_block_skips_the_blocks_that_need_what_it_was_to_make(cli, tmp_path, untouched_host):
    doc = tmp_path / "howto.md"
    doc.write_text(STEP_BY_STEP.replace("ip link add name br0 type bridge", "ip link add name br0 type bridge hello_time 5"))
    _, found = run_json(cli, doc)
    assert [(d["code"], d["line"]) for d in found if d["code"] in ("NS605", "NS606")] == [
        ("NS605", 6), ("NS606", 13), ("NS606", 19)]
    assert "Numerical result out of range" in found[0]["message"] or "out of range" in found[0]["message"]
    assert all("failed at line 6" in d["message"] for d in found if d["code"] == "NS606")
    text = cli("check", "--run", doc)
    assert "--run: 3 snippets: 1 ran, 0 passed, 1 failed, 2 skipped" in text.stderr


SERVICE = """#!/bin/sh
ip link add name br0 type bridge
case "$1" in
start) ip link set br0 up ;;
stop) ip link del br0 ;;
reload) ip link set br0 type bridge stp_state 1 ;;
esac
"""


@pytest.mark.parametrize("name, text", [
    ("service.sh", SERVICE),
    # the same as a Markdown block, one command per line
    ("service.md", "```sh\n" + SERVICE.split("\n", 1)[1].replace(") ip", ")\n    ip").replace(" ;;", "\n    ;;") + "```\n"),
])
def test_case_branches_are_alternatives_not_a_sequence(cli, tmp_path, untouched_host, name, text):
    # one after another, stop would delete br0 and reload fail on it; each branch runs on the
    # state the script has when the case starts (br0 made), in a namespace of its own
    doc = tmp_path / name
    doc.write_text(text)
    _, found = run_json(cli, doc)
    assert [d for d in found if d["code"] in ("NS605", "NS606")] == [], found


def test_a_branch_that_fails_from_the_state_before_the_case_is_reported_at_its_line(cli, tmp_path, untouched_host):
    doc = tmp_path / "service.sh"
    doc.write_text(SERVICE.replace("reload) ip link set br0 type bridge stp_state 1 ;;", "restart) ip link add name br0 type bridge ;;"))
    _, found = run_json(cli, doc)
    assert [(d["code"], d["line"]) for d in found if d["code"] in ("NS605", "NS606")] == [("NS605", 6)]
    assert "File exists" in found[0]["message"]


def test_the_error_is_reported_not_the_warning_ip_prints_before_it(cli, tmp_path, untouched_host):
    doc = tmp_path / "addr.md"
    doc.write_text("```sh\nip address add 10.0.0.1/24 dev eth1\nip address del 10.0.0.1 dev eth1\nip address del 10.0.0.1 dev eth1\n```\n")
    _, found = run_json(cli, doc)
    (failed,) = [d for d in found if d["code"] == "NS605"]
    assert failed["line"] == 4
    # ip warns about the missing prefix length over four lines, then fails
    assert failed["message"].endswith("failed: Error: ipv4: Address not found."), failed["message"]


def test_every_namespace_is_deleted_when_a_signal_arrives_mid_run(monkeypatch, untouched_host):
    import signal

    from netscript.docs import run, sandbox
    from netscript.source import Source

    real = sandbox.in_namespace
    seen = []

    def interrupted(netns, argv):
        seen.append(netns)
        if argv[:2] == ["sh", "-c"] and "stp_state" in argv[2]:
            os.kill(os.getpid(), signal.SIGTERM)  # mid-run: the session's namespace and the probe's are up
        return real(netns, argv)

    monkeypatch.setattr(sandbox, "in_namespace", interrupted)
    with pytest.raises(sandbox.Interrupted):
        run.run_session(Source("howto.md", STEP_BY_STEP))
    assert seen and not set(seen) & namespaces()


def test_a_veth_does_not_stand_in_for_a_link_whose_kind_settings_change(cli, tmp_path, untouched_host):
    # br9 is made nowhere: a veth stand-in would make the kernel refuse `type bridge`, a
    # failure that says nothing about the document
    doc = tmp_path / "opts.md"
    doc.write_text("```sh\nip link set br9 type bridge stp_state 1\n```\n")
    _, found = run_json(cli, doc)
    assert [(d["code"], d["message"]) for d in found] == [
        ("NS606", "snippet not run: it needs bridge br9, which nothing before it creates")]
