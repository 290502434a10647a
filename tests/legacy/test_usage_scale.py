"""How a command's output and status are used is read from its ancestors, not from all of its siblings."""

from __future__ import annotations

from netscript.frontends.legacy import shell


def test_reading_usage_does_not_list_the_whole_script_per_command(monkeypatch):
    # the program node's children were listed once per command: 10k commands took 19 s.
    # Usage is read outwards from each command through its own frames, once per command.
    script = "#!/bin/sh\n" + "".join(f"brctl addbr br{i}\n" for i in range(400))
    from netscript.frontends.legacy import usage

    steps = []
    original = usage.UsageReader.of

    def counting(self, frame, redirects):
        depth, f = 0, frame
        while f is not None:
            depth, f = depth + 1, f.up
        steps.append(depth)
        return original(self, frame, redirects)

    monkeypatch.setattr(usage.UsageReader, "of", counting)
    scanned = shell.scan(script, {"brctl"})
    assert len([s for s in scanned.sites if s.tool == "brctl"]) == 400
    assert len(steps) == 400 and max(steps) == 2  # the command's statement, and the script


def test_a_dash_word_glued_to_a_redirection_later_in_a_list_is_no_file_descriptor(cli, tmp_path):
    script = tmp_path / "a2.sh"
    script.write_text("brctl addbr x || true -a2>/dev/null\n")
    result = cli("check", script)
    assert result.exit_code == 0 and "internal error" not in result.output
    assert f"{script}:1:1: warning: legacy command: brctl addbr x" in result.output


def test_positions_are_found_without_counting_from_the_top_each_time():
    from netscript.frontends.legacy.model import Locator

    source = b"".join(b"brctl addbr br%d\n" % i for i in range(5000)) + "\u00e9x\n".encode()
    locate = Locator("s.sh", source)
    assert locate.position(0) == (1, 1)
    assert locate.position(len(b"brctl addbr br0\n") + 6) == (2, 7)
    assert locate.position(len(source) - 2) == (5001, 2)  # after the 2-byte character: column 2
    assert locate.position(len(source)) == (5002, 1)


def test_a_translation_bash_refuses_is_counted_as_nothing_translated(monkeypatch):
    from netscript.frontends.legacy import rewrite

    original = "brctl addbr br0\nbrctl addbr br1\n"
    monkeypatch.setattr(rewrite, "_bash_accepts", lambda text: text == original)  # as if our output did not parse
    result = rewrite.translate_script(original)
    assert result.text is None or result.text == "brctl addbr br0\nbrctl addbr br1\n"
    assert (result.translated, result.left) == (0, 2)
    assert [d.code for d in result.diagnostics] == ["NS302"]
