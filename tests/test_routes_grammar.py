"""`ip route`, `ip rule` and `ip neigh` words are read as ip reads them (grammars/ip_route.lark, ip_rule.lark, ip_neigh.lark).

One reader serves the DSL's statements, the `ip` commands in scripts and
documents, and translate. What ip takes is read whole or set aside quietly
when netscript does not model it; what ip refuses is an error at the word ip
stops at, with a did-you-mean. The installed ip is the judge of both lists.
"""

from __future__ import annotations

import subprocess

import pytest

from netscript.frontends.legacy import word_grammar
from netscript.routing import words as routing_words
from netscript.routing.words import Plain

READERS = {"route": routing_words.read_route, "rule": routing_words.read_rule, "neigh": routing_words.read_neigh}

# (the words after `ip OBJECT add`, what the reading holds): ip takes each of them
TAKEN = [
    ("route via 192.0.2.1 10.1.0.0/16", "10.1.0.0/16"),  # the destination where ip finds it
    ("route to 10.2.0.0/16 dev br0", "10.2.0.0/16"),
    ("route to blackhole 10.3.0.0/16", "10.3.0.0/16"),
    ("route 10.4.0.0/16 via inet 192.0.2.1 dev br0", "10.4.0.0/16"),
    ("rule dev br0 table 5", "br0"),  # dev is iif
    ("rule from 10.0.0.0/8 type blackhole", "blackhole"),
    ("neigh to 192.0.2.7 lladdr 02:00:00:00:00:07 dev br0", "192.0.2.7"),
]

# ip takes these too, with a setting netscript does not model: set aside, with no error
SET_ASIDE = [
    ("route 10.5.0.0/16 dev br0 mtu lock 1400", "lock"),
    ("route default nexthop via 192.0.2.1 dev br0 realm 3", "realm"),
    ("route 10.6.0.0/16 dev br0 initcwnd 10 window 5", "initcwnd"),
    ("route 10.7.0.0/16 encap mpls 200/300 via 192.0.2.1 dev br0", "encap"),
    ("rule from 10.0.0.0/8 not table 5", "not"),
    ("neigh 192.0.2.8 lladdr 02:00:00:00:00:08 dev br0 router", "router"),
]

# (words, code, the word ip stops at, the did-you-mean)
REFUSED = [
    ("route 10.3.0.0/16 vai 192.0.2.1", "NS105", "vai", "via"),
    ("route 10.0.0.0/8 nexthop via 192.0.2.1 wieght 2", "NS105", "wieght", "weight"),
    ("route 10.4.0.0/16 dev br0 metric", "NS107", "metric", None),
    ("rule from 10.0.0.0/8 lokup 5", "NS105", "lokup", "lookup"),
    ("rule from 10.0.0.0/8 type", "NS107", "type", None),
    ("neigh 192.0.2.7 lladr 02:00:00:00:00:07 dev br0", "NS105", "lladr", "lladdr"),
    ("neigh 192.0.2.9 lladdr 02:00:00:00:00:09 dev br0 extern_lern", "NS105", "extern_lern", "extern_learn"),
]


def read(line: str):
    what, *texts = line.split()
    return READERS[what]([Plain(t) for t in texts])


@pytest.mark.parametrize("line,holds", TAKEN, ids=[t[0] for t in TAKEN])
def test_what_ip_takes_is_read_whole(line, holds):
    reading = read(line)
    assert reading.errors == [] and reading.unsupported == []
    assert holds in repr(reading.value)


@pytest.mark.parametrize("line,word", SET_ASIDE, ids=[t[0] for t in SET_ASIDE])
def test_a_setting_netscript_does_not_model_sets_the_command_aside_quietly(line, word):
    reading = read(line)
    assert reading.errors == [] and reading.value is None
    assert [w.text for w in reading.unsupported] == [word]


@pytest.mark.parametrize("line,code,word,meant", REFUSED, ids=[t[0] for t in REFUSED])
def test_what_ip_refuses_is_an_error_at_the_word_it_stops_at(line, code, word, meant):
    what, *texts = line.split()
    words = [Plain(t) for t in texts]
    reading = READERS[what](words)
    assert [d.code for d in reading.errors] == [code]
    assert reading.at == [next(w for w in words if w.text == word)]
    assert reading.errors[0].hint == (f"did you mean {meant!r}?" if meant else None)


def test_a_script_gets_findings_only_for_what_ip_refuses(cli, tmp_path):
    script = tmp_path / "routes.sh"
    lines = [f"ip {line.split()[0]} add {line.split(' ', 1)[1]}" for line, *_ in TAKEN + SET_ASIDE + REFUSED]
    script.write_text("#!/bin/sh\n" + "\n".join(lines) + "\n")
    result = cli("check", script)
    found = sorted(int(line.split(":")[1]) for line in result.output.splitlines() if line.startswith(str(script)))
    first_refused = 2 + len(TAKEN) + len(SET_ASIDE)
    assert found == list(range(first_refused, first_refused + len(REFUSED))), result.output


@pytest.mark.parametrize("tool,settings", [
    ("ip_route", routing_words.ROUTE_SETTINGS | routing_words.NEXTHOP_SETTINGS),
    ("ip_rule", routing_words.RULE_SETTINGS),
    ("ip_neigh", routing_words.NEIGH_SETTINGS),
])
def test_every_setting_the_reader_holds_is_one_its_grammar_names(tool, settings):
    named = {alias for alias, _, _ in word_grammar.grammar(tool).usage_lines}
    assert settings <= named


@pytest.mark.kernel
def test_the_installed_ip_takes_and_refuses_the_same_words(netns):
    def ip(*words):
        return subprocess.run(["ip", "-n", netns, *words], capture_output=True, text=True, check=False)

    assert ip("link", "add", "br0", "type", "veth", "peer", "name", "br0p").returncode == 0
    for words in (["link", "set", "br0", "up"], ["link", "set", "br0p", "up"], ["address", "add", "192.0.2.10/24", "dev", "br0"]):
        assert ip(*words).returncode == 0
    # ip's parser refuses with exit(-1), 255; the kernel's refusal (this one has no MPLS) exits 2
    for line, *_ in TAKEN + SET_ASIDE:
        what, *words = line.split()
        done = ip(what, "add", *words)
        assert done.returncode != 255, (line, done.stderr)
    for line, *_ in REFUSED:
        what, *words = line.split()
        assert ip(what, "add", *words).returncode == 255, line
