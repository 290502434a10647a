"""The shapes that keep large inputs linear, asserted by structure, not by timing (bench/scale.py times them)."""

from __future__ import annotations

import gc

import pytest

from netscript import checking, fmt
from netscript.frontends import dsl_syntax


@pytest.fixture
def collector_seen(monkeypatch):
    """Whether the cyclic collector was on each time a DSL statement was made."""
    seen: list[bool] = []
    original = dsl_syntax._statement

    def watching(*args):
        seen.append(gc.isenabled())
        return original(*args)

    monkeypatch.setattr(dsl_syntax, "_statement", watching)
    return seen


def test_a_spec_is_read_and_checked_with_the_collector_paused(tmp_path, collector_seen):
    # its passes over the words and IR made so far were half the time of `check` on 100,000 links
    spec = tmp_path / "big.ns"
    spec.write_text("".join(f"bridge br{i} {{ up }}\n" for i in range(50)))
    assert gc.isenabled()
    result = checking.check_file(str(spec))
    assert result.diagnostics == [] and collector_seen and not any(collector_seen)
    assert gc.isenabled()  # as it was


def test_fmt_reads_with_the_collector_paused(collector_seen):
    assert fmt.format_text("bridge br0 { up }\n# a comment\ndummy d0\n") == "bridge br0 {\n    up\n}\n# a comment\ndummy d0\n"
    assert collector_seen and not any(collector_seen) and gc.isenabled()


def test_a_document_is_checked_with_the_collector_paused(tmp_path, monkeypatch):
    from netscript.docs import commands

    seen = []
    original = commands.interpret

    def watching(*args):
        seen.append(gc.isenabled())
        return original(*args)

    monkeypatch.setattr("netscript.docs.checker.interpret", watching)
    doc = tmp_path / "notes.txt"
    doc.write_text("".join(f"ip link add br{i} type bridge\n" for i in range(20)))
    checking.check_file(str(doc))
    assert len(seen) == 20 and not any(seen) and gc.isenabled()


def test_a_spec_is_read_one_statement_at_a_time(monkeypatch):
    # the whole file's syntax tree alive beside its program was 100 MB of `check`'s 190 MB on 100,000 links
    from netscript.frontends import dsl

    events: list[str] = []
    made, read = dsl_syntax._statement, dsl._Reader.link

    def making(*args):
        events.append("made")
        return made(*args)

    def reading(self, *args):
        events.append("read")
        return read(self, *args)

    monkeypatch.setattr(dsl_syntax, "_statement", making)
    monkeypatch.setattr(dsl._Reader, "link", reading)
    program, found = dsl.parse("".join(f"bridge br{i} {{ up }}\n" for i in range(3)))
    assert found == [] and len(program.links) == 3
    assert events == ["made", "made", "read"] * 3  # `up`, then its link, then the link is read


def test_links_share_their_setting_names():
    from netscript.frontends import dsl

    program, _ = dsl.parse("".join(f"bridge br{i} {{ up; mtu 1400 }}\n" for i in range(2)))
    first, second = (link.setting_spans for link in program.links)
    assert [k for k, _ in first] == ["up", "mtu"]
    assert all(a is b for (a, _), (b, _) in zip(first, second))
