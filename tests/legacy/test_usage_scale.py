"""How a command's output and status are used is read from its ancestors, not from all of its siblings."""

from __future__ import annotations

from netscript.frontends.legacy import shell


def test_reading_usage_does_not_list_the_whole_script_per_command(monkeypatch):
    # the program node's children were listed once per command: 10k commands took 19 s
    script = "#!/bin/sh\n" + "".join(f"brctl addbr br{i}\n" for i in range(400))
    listed = []
    from netscript.frontends.legacy import usage

    original = usage._is_last

    def counting(parent, child):
        listed.append(parent.type)
        return original(parent, child)

    monkeypatch.setattr(usage, "_is_last", counting)
    scanned = shell.scan(script, {"brctl"})
    assert len([s for s in scanned.sites if s.tool == "brctl"]) == 400
    assert "program" not in listed
