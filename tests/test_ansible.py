"""The netscript.net collection with the real Ansible engine.

One inventory of 20 hosts, all ``ansible_connection=local`` and run by the
Python running these tests, each mapped to a network namespace of its own
(made here, deleted afterwards whatever happens) through the module's
``netns`` option, run with 20 forks. Each host's spec comes from one
template and host_vars that differ per host: a bridge, a veth pair, a
macvlan and a vxlan (kinds this kernel has).

What the engine saw is read from a callback plugin's JSON lines
(tests/ansible/callback_plugins/record.py); what the kernel has is read
with `ip -d -j` (tests/kernelstate.py), not with netscript.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from conftest import REPO, delete_namespaces
from kernelstate import differences, snapshot
from live_helpers import ip

from netscript.frontends import load_source
from netscript.placement import place
from netscript.source import Source

HERE = Path(__file__).parent / "ansible"
COLLECTIONS = REPO  # holds ansible_collections/netscript/net
COLLECTION = Path(REPO) / "ansible_collections" / "netscript" / "net"
HOSTS = 20
FORKS = 20
MODES = ("bridge", "vepa", "private")


def host_vars(number: int, netns: str) -> dict:
    """Each host its own MTU, VNI, addresses and macvlan mode."""
    return {
        "netscript_netns": netns,
        "bridge_mtu": 1400 - number,
        "vni": 100 + number,
        "bridge_address": f"192.0.2.{number}/24",
        "host_address": f"198.51.100.{number}/24",
        "vtep": f"203.0.113.{number}",
        "macvlan_mode": MODES[number % len(MODES)],
    }


@dataclass
class Fleet:
    directory: Path
    hosts: dict[str, dict]  # host name -> its host_vars

    @property
    def inventory(self) -> Path:
        return self.directory / "inventory"

    def netns(self, host: str) -> str:
        return self.hosts[host]["netscript_netns"]

    def write(self) -> None:
        """The inventory and one host_vars file per host (JSON is YAML)."""
        (self.inventory / "host_vars").mkdir(parents=True, exist_ok=True)
        lines = ["[hypervisors]", *self.hosts, "", "[hypervisors:vars]", "ansible_connection=local",
                 f"ansible_python_interpreter={sys.executable}", ""]
        (self.inventory / "hosts.ini").write_text("\n".join(lines))
        for host, variables in self.hosts.items():
            (self.inventory / "host_vars" / f"{host}.yml").write_text(json.dumps(variables))

    def spec(self, host: str) -> str:
        """The host's spec, rendered here from the playbook's template by jinja2 itself."""
        template = jinja2.Template((HERE / "templates" / "host.ns.j2").read_text(), keep_trailing_newline=True)
        return template.render(inventory_hostname=host, **self.hosts[host])

    def mismatches(self, host: str) -> list[str]:
        """How the host's namespace differs from its spec, by `ip -d -j`: empty when it matches."""
        loaded = load_source(Source(path=f"{host}.ns", text=self.spec(host)))
        assert loaded.program is not None, loaded.diagnostics
        return differences(place(loaded.program, netns=self.netns(host)))

    def play(self, *args: str, playbook: Path = HERE / "site.yml") -> Run:
        record = self.directory / f"run-{uuid.uuid4().hex[:6]}.jsonl"
        env = dict(
            os.environ,
            ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
            ANSIBLE_CALLBACK_PLUGINS=str(HERE / "callback_plugins"),
            ANSIBLE_CALLBACKS_ENABLED="record",
            ANSIBLE_HOME=str(self.directory / "ansible-home"),
            ANSIBLE_LOCAL_TEMP=str(self.directory / "ansible-tmp"),
            ANSIBLE_REMOTE_TEMP=str(self.directory / "ansible-remote-tmp"),
            ANSIBLE_RETRY_FILES_ENABLED="false",
            ANSIBLE_NOCOLOR="1",
            LC_ALL="C.UTF-8",
            NETSCRIPT_RECORD=str(record),
        )
        proc = subprocess.run(
            [sys.executable, "-m", "ansible", "playbook", "-i", str(self.inventory / "hosts.ini"),
             "--forks", str(FORKS), str(playbook), *args],
            env=env, capture_output=True, text=True, timeout=600,
        )
        events = [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
        return Run(proc, events)


@dataclass
class Run:
    proc: subprocess.CompletedProcess
    events: list[dict]

    def results(self, task: str = "apply") -> dict[str, dict]:
        """host -> the event (ok or failed) that ended the task there."""
        return {e["host"]: e for e in self.events if e["event"] in ("ok", "failed") and e["task"] == task}

    def recap(self) -> dict[str, dict]:
        stats = [e for e in self.events if e["event"] == "stats"]
        assert stats, self.output()
        return stats[-1]["hosts"]

    def changed(self) -> set[str]:
        return {h for h, s in self.recap().items() if s["changed"]}

    def failed(self) -> set[str]:
        return {h for h, s in self.recap().items() if s["failures"]}

    def most_at_once(self) -> int:
        """The most hosts whose task was running at the same moment."""
        running = best = 0
        for e in sorted(self.events, key=lambda e: e["time"]):
            if e["event"] == "start":
                running += 1
            elif e["event"] in ("ok", "failed", "unreachable"):
                running -= 1
            best = max(best, running)
        return best

    def output(self) -> str:
        return f"exit {self.proc.returncode}\n{self.proc.stdout[-6000:]}\n{self.proc.stderr[-3000:]}"


def configuration(namespaces) -> dict:
    """The namespaces as `ip -d -j` shows them, less a bridge port's STP state, which follows its carrier by itself."""
    state = snapshot(list(namespaces))
    for links, _ in state.values():
        for live in links.values():
            live.get("linkinfo", {}).get("info_slave_data", {}).pop("state", None)
    return state


@pytest.fixture
def fleet(tmp_path):
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("needs root and iproute2 to make network namespaces")
    prefix = "ans-" + uuid.uuid4().hex[:6]
    hosts = {f"h{n:02d}": host_vars(n, f"{prefix}-{n:02d}") for n in range(1, HOSTS + 1)}
    try:
        for variables in hosts.values():
            subprocess.run(["ip", "netns", "add", variables["netscript_netns"]], check=True)
        fleet = Fleet(tmp_path, hosts)
        fleet.write()
        yield fleet
    finally:
        delete_namespaces(prefix)


def test_twenty_hosts_converge_stay_converged_report_drift_and_fail_alone(fleet):
    everyone = set(fleet.hosts)

    # First run: every host changed, in parallel, and each namespace is its own spec.
    first = fleet.play()
    assert first.proc.returncode == 0, first.output()
    assert first.changed() == everyone
    assert first.failed() == set()
    assert first.most_at_once() > 1, "the hosts ran one after another"
    for host in everyone:
        assert fleet.mismatches(host) == [], host
    applied = first.results()["h05"]["result"]
    assert applied["changed"] is True and applied["rolled_back"] is False
    assert {s["title"] for s in applied["applied"]} >= {"create bridge br0", "create vxlan vx105", "create macvlan mv0"}

    # Second run: nothing to do anywhere.
    second = fleet.play()
    assert second.proc.returncode == 0, second.output()
    assert second.changed() == set()
    assert all(r["result"]["applied"] == [] for r in second.results().values())

    # Drift by hand on three hosts; check mode (with --diff) names exactly those and what drifted.
    ip(fleet.netns("h03"), "link", "set", "br0", "mtu", "1300")
    ip(fleet.netns("h08"), "link", "set", "mv0", "down")
    ip(fleet.netns("h13"), "address", "del", "192.0.2.13/24", "dev", "br0")
    drifted = configuration(fleet.netns(h) for h in everyone)
    check = fleet.play("--check", "--diff")
    assert check.proc.returncode == 0, check.output()
    assert check.changed() == {"h03", "h08", "h13"}
    assert configuration(fleet.netns(h) for h in everyone) == drifted, "check mode touched the kernel"
    results = check.results()
    diff = {h: results[h]["result"]["diff"] for h in ("h03", "h08", "h13")}
    assert "br0: mtu: 1300\n" in diff["h03"]["before"] and "br0: mtu: 1397\n" in diff["h03"]["after"]
    assert "mv0: state: down\n" in diff["h08"]["before"] and "mv0: state: up\n" in diff["h08"]["after"]
    assert "br0: address: 192.0.2.13/24\n" in diff["h13"]["after"]
    assert "192.0.2.13" not in diff["h13"]["before"].replace("br0: address: (none)", "")
    assert [s["title"] for s in results["h03"]["result"]["steps"]] == ["modify br0 (mtu)"]
    assert all(not r["result"]["steps"] for h, r in results.items() if h not in diff)

    # One host's spec needs a kind this kernel lacks: that host fails and is rolled back,
    # the others converge (the three drifted ones repaired).
    probe = subprocess.run(["ip", "-n", fleet.netns("h07"), "link", "add", "probe0", "type", "dummy"], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("this kernel has the dummy driver: no kind for a host to fail on")
    fleet.hosts["h07"]["extra_links"] = "veth x0 peer x1 {\n    up\n}\n\ndummy d0\n"
    fleet.hosts["h07"]["bridge_mtu"] = 1350  # a change made before the failing step, to undo
    fleet.write()
    before = configuration([fleet.netns("h07")])
    failing = fleet.play()
    assert failing.proc.returncode != 0
    assert failing.failed() == {"h07"}, failing.output()
    assert failing.changed() == {"h03", "h08", "h13"}
    for host in everyone - {"h07"}:
        assert fleet.mismatches(host) == [], host
    assert configuration([fleet.netns("h07")]) == before, "h07 was not rolled back"
    failure = failing.results()["h07"]["result"]
    assert failure["changed"] is False and failure["rolled_back"] is True
    refused = [d for d in failure["diagnostics"] if d["code"] == "NS503"]
    assert len(refused) == 1, failure["diagnostics"]
    assert refused[0]["step"]["action"] == "create" and refused[0]["step"]["link"] == "d0"
    assert "EOPNOTSUPP" in refused[0]["kernel_error"]
    assert "[NS503]" in failure["msg"]


def test_a_spec_file_on_the_controller_and_a_missing_namespace(fleet, tmp_path):
    """src: the action plugin reads the file on the controller; a host whose namespace is gone fails alone."""
    spec = tmp_path / "same.ns"
    spec.write_text(fleet.spec("h01"))
    playbook = tmp_path / "src.yml"
    playbook.write_text(
        "- hosts: all\n  gather_facts: false\n  tasks:\n"
        f"    - name: apply\n      netscript.net.apply:\n        src: {spec}\n        netns: '{{{{ netscript_netns }}}}'\n"
    )
    gone = fleet.netns("h02")
    subprocess.run(["ip", "netns", "delete", gone], check=True)
    run = fleet.play("--limit", "h01,h02", playbook=playbook)
    assert run.failed() == {"h02"}, run.output()
    assert run.changed() == {"h01"}
    assert fleet.mismatches("h01") == []
    result = run.results()["h02"]["result"]
    assert [d["code"] for d in result["diagnostics"]] == ["NS501"]
    assert f"namespace {gone} does not exist" in result["msg"]


def test_the_facts_module_returns_the_live_state_as_data_and_as_spec(fleet, tmp_path):
    assert fleet.play("--limit", "h04,h05").changed() == {"h04", "h05"}
    prefix = fleet.netns("h05")[: -len("05")]
    playbook = tmp_path / "facts.yml"
    playbook.write_text(
        "- hosts: h05\n  gather_facts: false\n  tasks:\n"
        "    - name: facts\n      netscript.net.facts:\n"
        f"        netns: '{{{{ netscript_netns }}}}'\n        netns_prefix: '{prefix}'\n"
    )
    run = fleet.play(playbook=playbook)
    assert run.proc.returncode == 0, run.output()
    result = run.results("facts")["h05"]["result"]
    assert result["changed"] is False
    facts = result["ansible_facts"]["netscript"]
    links = {link["name"]: link for link in facts["links"]}
    assert set(links) == {"br0", "v0", "mv0", "vx105"}
    assert links["br0"]["mtu"] == 1395 and links["br0"]["addresses"] == ["192.0.2.5/24"]
    assert [p["name"] for p in links["br0"]["ports"]] == ["v0", "vx105"]
    assert links["vx105"]["options"]["id"] == 105 and links["mv0"]["options"]["mode"] == "private"
    assert links["v0"]["peer"]["name"] == "v0p"
    # the other namespaces under their own key, named as the spec declares them (less the prefix)
    others = facts["namespaces"]
    assert set(others) == {f"{n:02d}" for n in range(1, HOSTS + 1)} - {"05"}
    assert {link["name"] for link in others["04"]["links"]} == {"br0", "v0", "mv0", "vx104"}
    assert others["06"]["links"] == []
    # the spec text is the live state: applied to the namespace it came from, it changes nothing
    from netscript import api

    assert "bridge br0 mtu 1395 " in facts["spec"] and "netns 04\n" in facts["spec"]
    again = api.plan("facts.ns", text=facts["spec"], netns=fleet.netns("h05"), netns_prefix=prefix)
    assert again["ok"] and again["changed"] is False, again


def test_no_disrupt_fails_a_check_run_that_apply_would_refuse(fleet):
    assert fleet.play("--limit", "h01").changed() == {"h01"}
    netns = fleet.netns("h01")
    ip(netns, "link", "set", "mv0", "type", "macvlan", "mode", "bridge")  # spec: vepa, which needs a recreate
    drifted = configuration([netns])
    check = fleet.play("--limit", "h01", "--check", "-e", "no_disrupt=true")
    assert check.failed() == {"h01"}, check.output()
    result = check.results()["h01"]["result"]
    assert [s["title"] for s in result["steps"]][:2] == ["delete macvlan mv0 (to recreate: mode bridge -> vepa)",
                                                         "create macvlan mv0"]
    assert result["refusals"] and all(d["code"] in result["msg"] for d in result["refusals"])
    assert configuration([netns]) == drifted
    assert fleet.play("--limit", "h01").changed() == {"h01"}
    assert fleet.mismatches("h01") == []
