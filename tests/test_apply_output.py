"""What plan and apply print when nobody, or nothing, is there to use it."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from conftest import REPO
from test_apply_interrupt import big_spec, link_count

pytestmark = pytest.mark.kernel


def test_plan_on_a_missing_namespace_reports_it_and_shows_no_plan(cli, tmp_path):
    spec = tmp_path / "s.ns"
    spec.write_text("bridge br0 {\n    up\n}\n")
    result = cli("plan", spec, "--netns", "ns-does-not-exist")
    assert result.exit_code == 1
    assert "namespace ns-does-not-exist does not exist [NS501]" in result.stderr
    assert result.stdout == ""


def test_apply_into_a_closed_pipe_exits_as_the_apply_did(netns, tmp_path):
    # `netscript apply big.ns | head -1`: the reader leaves after one line of a long report
    spec = tmp_path / "big.ns"
    big_spec(spec, bridges=80)  # a report longer than a pipe holds (64 KiB)
    proc = subprocess.Popen([sys.executable, "-m", "netscript", "apply", str(spec), "--netns", netns],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    first = proc.stdout.readline()  # unbuffered: this reader takes the first line and no more
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert first.startswith(f"  1 + create bridge br0 in {netns}".encode())
    assert err == ""


def test_a_namespace_deleted_mid_apply_is_one_error_naming_it(netns, tmp_path):
    spec = tmp_path / "big.ns"
    big_spec(spec)
    proc = subprocess.Popen([sys.executable, "-m", "netscript", "apply", str(spec), "--netns", netns],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None and link_count(netns) < 100:
        time.sleep(0.005)
    subprocess.run(["ip", "netns", "delete", netns], check=True)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, (out, err)
    assert "Traceback" not in err and "internal error" not in err
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1, err
    assert errors[0].startswith(f"error: namespace {netns} was deleted while the apply ran; what it held went with it")
    assert errors[0].endswith("[NS501]")


def test_plan_exit_code_says_whether_changes_are_pending(cli, netns, tmp_path):
    spec = tmp_path / "s.ns"
    spec.write_text("bridge br0 {\n    up\n}\n")
    assert cli("plan", spec, "--netns", netns).exit_code == 0  # changes pending, but not asked
    pending = cli("plan", spec, "--netns", netns, "--exit-code")
    assert pending.exit_code == 1 and "1 change(s)" in pending.stdout
    assert cli("apply", spec, "--netns", netns).exit_code == 0
    settled = cli("plan", spec, "--netns", netns, "--exit-code")
    assert settled.exit_code == 0 and settled.stdout.startswith("no changes")


def test_a_parent_pinned_to_the_default_namespace_is_built_on(cli, netns, tmp_path):
    # the host's eth1 and a container's eth1: link eth1@. is the host's, a bare eth1 the container's
    subprocess.run(["ip", "-n", netns, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p"], check=True)
    spec = tmp_path / "s.ns"
    spec.write_text("netns c1\nphysical eth1\nveth v0 peer eth1@c1\n"
                    "macvlan eth0 link eth1 netns c1 mode bridge\nmacvlan eth2 link eth1@. netns c1 mode bridge\n")
    result = cli("apply", spec, "--netns", netns, "--netns-prefix", netns + "-")
    assert result.exit_code == 0, result.output
    import json

    links = {entry["ifname"]: entry for entry in json.loads(subprocess.run(
        ["ip", "-n", f"{netns}-c1", "-j", "link", "show"], capture_output=True, text=True, check=True).stdout)}
    assert links["eth0"]["link"] == "eth1" and "link_netnsid" not in links["eth0"]  # the container's eth1
    assert "link_netnsid" in links["eth2"]  # on the host's eth1, in the other namespace


def test_adding_a_namespace_needs_no_pyroute2_helper_process(netns, tmp_path):
    # pyroute2's netns.create() waits 2 s for a helper process, which under load did not answer
    spec = tmp_path / "s.ns"
    spec.write_text("netns c1\nveth v0 peer eth0@c1\nbridge br0 {\n    ports v0\n    up\n}\n")
    args = ["apply", str(spec), "--netns", netns, "--netns-prefix", netns + "-"]
    code = (
        "import sys\nfrom netscript.cli import main\n"
        f"try:\n    main({args!r}, standalone_mode=False)\n"
        "finally:\n    print('pyroute2.netns' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stdout + done.stderr
    assert os.path.exists(f"/run/netns/{netns}-c1")
