"""`plan --format json` and `apply --format json`: the documents the Ansible modules (and scripts) rely on.

README.md ("Many machines: Ansible") promises these keys; a key renamed or
dropped fails here first. Standard output carries exactly one document
whatever happens (an unreadable spec, a missing namespace, a refused step),
and it is the one ``netscript.api`` returns in-process.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from live_helpers import ip

from netscript import api

PLAN_KEYS = {"format", "command", "spec", "netns", "ok", "changed", "steps", "disrupting", "refusals", "diagnostics"}
APPLY_KEYS = {"format", "command", "spec", "netns", "ok", "changed", "planned", "applied", "rolled_back", "requests",
              "interrupted", "diagnostics"}
STEP_KEYS = {"action", "netns", "link", "title", "disrupts", "differences", "ip", "changes"}
DIAGNOSTIC_KEYS = {"path", "line", "column", "end_line", "end_column", "severity", "code", "message"}

SPEC = "bridge br0 mtu 1400 {\n    addr 192.0.2.1/24\n    up\n}\n\nveth v0 peer v1 {\n    up\n}\n"


def document(result) -> dict:
    return json.loads(result.stdout)


def test_plan_and_apply_print_one_stable_document_each(cli, netns, tmp_path):
    spec = tmp_path / "host.ns"
    spec.write_text(SPEC)

    planned = cli("plan", spec, "--netns", netns, "--format", "json")
    assert planned.exit_code == 0, planned.output
    plan = document(planned)
    assert set(plan) == PLAN_KEYS
    assert (plan["format"], plan["command"], plan["netns"], plan["ok"], plan["changed"]) == (1, "plan", netns, True, True)
    assert all(set(step) == STEP_KEYS for step in plan["steps"])
    create = plan["steps"][0]
    assert create["title"] == "create bridge br0"
    assert create["changes"] == [{"netns": netns, "link": "br0", "attribute": "exists", "wanted": "yes", "actual": "no"}]

    applied = cli("apply", spec, "--netns", netns, "--format", "json")
    assert applied.exit_code == 0, applied.output
    report = document(applied)
    assert set(report) == APPLY_KEYS
    assert (report["ok"], report["changed"], report["rolled_back"]) == (True, True, False)
    assert [s["title"] for s in report["applied"]] == [s["title"] for s in plan["steps"]]

    again = document(cli("apply", spec, "--netns", netns, "--format", "json"))
    assert (again["changed"], again["applied"], again["requests"]) == (False, [], 0)
    assert document(cli("plan", spec, "--netns", netns, "--format", "json"))["changed"] is False

    # the library gives the same document
    ip(netns, "link", "set", "br0", "mtu", "1300")
    in_process = api.plan(str(spec), netns=netns)
    assert in_process == document(cli("plan", spec, "--netns", netns, "--format", "json"))
    (modify,) = in_process["steps"]
    assert modify["differences"] == [{"netns": netns, "link": "br0", "attribute": "mtu", "wanted": "1400", "actual": "1300"}]


def test_a_refused_step_is_reported_with_the_step_and_the_kernels_error(cli, netns, tmp_path):
    probe = subprocess.run(["ip", "-n", netns, "link", "add", "probe0", "type", "dummy"], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("this kernel has the dummy driver: no kind to refuse")
    spec = tmp_path / "host.ns"
    spec.write_text(SPEC + "\ndummy d0\n")
    result = cli("apply", spec, "--netns", netns, "--format", "json")
    assert result.exit_code == 1
    report = document(result)
    assert (report["ok"], report["changed"], report["rolled_back"], report["applied"]) == (False, False, True, [])
    (failed,) = [d for d in report["diagnostics"] if d["code"] == "NS503"]
    assert set(failed) >= DIAGNOSTIC_KEYS | {"step", "kernel_error"}
    assert failed["step"]["number"] == [s["link"] for s in report["planned"]].index("d0") + 1
    assert (failed["step"]["action"], failed["step"]["link"]) == ("create", "d0")
    assert failed["kernel_error"].startswith("Operation not supported (EOPNOTSUPP)")
    assert (failed["path"], failed["line"]) == (str(spec), 10)


def test_a_document_comes_also_when_the_spec_or_the_namespace_cannot_be_used(cli, netns, tmp_path):
    broken = tmp_path / "broken.ns"
    broken.write_text("bridge br0 {\n")
    result = cli("plan", broken, "--netns", netns, "--format", "json")
    assert result.exit_code == 2
    plan = document(result)
    assert set(plan) == PLAN_KEYS and plan["ok"] is False and plan["steps"] == []
    assert [d["code"] for d in plan["diagnostics"]] == ["NS103"]

    spec = tmp_path / "host.ns"
    spec.write_text(SPEC)
    result = cli("apply", spec, "--netns", netns + "-absent", "--format", "json")
    assert result.exit_code == 1
    report = document(result)
    assert set(report) == APPLY_KEYS and report["ok"] is False and report["changed"] is False
    assert [d["code"] for d in report["diagnostics"]] == ["NS501"]


def test_plan_names_what_apply_would_refuse_with_the_same_options(netns):
    ip(netns, "link", "add", "v0", "type", "veth", "peer", "name", "v0p")
    ip(netns, "link", "add", "link", "v0p", "name", "mv0", "type", "macvlan", "mode", "bridge")
    spec = "veth v0 peer v0p\n\nmacvlan mv0 link v0p mode vepa\n"  # a mode the kernel cannot change in place
    plain = api.plan("host.ns", text=spec, netns=netns)
    assert plain["ok"] and plain["disrupting"] == 1 and plain["refusals"] == []
    careful = api.plan("host.ns", text=spec, netns=netns, no_disrupt=True)
    assert careful["steps"] == plain["steps"]
    assert [d["severity"] for d in careful["refusals"]] == ["error"]
    assert "mv0" in careful["refusals"][0]["message"]
    assert careful["diagnostics"] == []
    refused = api.apply("host.ns", text=spec, netns=netns, no_disrupt=True)
    assert refused["ok"] is False and refused["requests"] == 0
    assert [d["code"] for d in refused["diagnostics"]] == [d["code"] for d in careful["refusals"]]
