"""teamd's JSON configuration, checked against teamd.conf(5).

:func:`check_config` parses the text of a ``teamd -c`` / ``-f`` config (or a
``teamdctl port config update`` port object) and reports, with the byte
position of the offending key where it can find it: JSON syntax errors,
unknown keys (teamd ignores them silently: a typo is lost), values of the
wrong type, runners, link watchers, tx_hash fragments and policies that do
not exist, numbers out of range, and options that the chosen runner or link
watcher does not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ...kinds import team
from ...kinds.team import LINK_WATCHERS, RUNNERS, TX_HASH
from .args import did_you_mean
from .model import Note

# JSON path -> (type, allowed values or (low, high), runners/watchers it applies to)
INT, BOOL, STR, ARRAY = "integer", "true or false", "string", "array"
TOP = {
    "device": (STR, None),
    "debug_level": (INT, (0, 2**31 - 1)),
    "hwaddr": (STR, None),
    "runner": ("object", None),
    "notify_peers": ("object", None),
    "mcast_rejoin": ("object", None),
    "link_watch": ("watch", None),
    "ports": ("object", None),
}
COUNT_INTERVAL = {"count": (INT, (0, 255)), "interval": (INT, (0, 2**31 - 1))}
RUNNER = {
    "name": (STR, RUNNERS),
    "hwaddr_policy": (STR, ("same_all", "by_active", "only_active")),
    "tx_hash": (ARRAY, TX_HASH),
    "tx_balancer": ("object", None),
    "active": (BOOL, None),
    "fast_rate": (BOOL, None),
    "sys_prio": (INT, (0, 65535)),
    "min_ports": (INT, (1, 255)),
    "agg_select_policy": (STR, ("lacp_prio", "lacp_prio_stable", "bandwidth", "count", "port_config")),
}
TX_BALANCER = {"name": (STR, ("basic",)), "balancing_interval": (INT, (0, 2**31 - 1))}
WATCH = {
    "name": (STR, LINK_WATCHERS),
    "delay_up": (INT, (0, 2**31 - 1)),
    "delay_down": (INT, (0, 2**31 - 1)),
    "interval": (INT, (0, 2**31 - 1)),
    "init_wait": (INT, (0, 2**31 - 1)),
    "missed_max": (INT, (0, 2**31 - 1)),
    "source_host": (STR, None),
    "target_host": (STR, None),
    "validate_active": (BOOL, None),
    "validate_inactive": (BOOL, None),
    "vlanid": (INT, (0, 4095)),
    "send_always": (BOOL, None),
}
# Which link watchers the teamd.conf(5) keys the DSL does not have apply to. The options the
# DSL has too go into the IR and are judged there, by validation, as in a spec (NS210): one
# judgement, one wording, wherever the option is written.
WATCH_ONLY = {
    "init_wait": team.PINGING,
    "missed_max": team.PINGING,
    "source_host": ("arp_ping",),
    "validate_active": ("arp_ping",),
    "validate_inactive": ("arp_ping",),
    "vlanid": ("arp_ping",),
    "send_always": ("arp_ping",),
}
PORT = {
    "queue_id": (INT, (0, 65535)),
    "prio": (INT, (-(2**31), 2**31 - 1)),
    "sticky": (BOOL, None),
    "lacp_prio": (INT, (0, 65535)),
    "lacp_key": (INT, (0, 65535)),
    "link_watch": ("watch", None),
}


@dataclass
class Checked:
    """A config that parsed (``config`` is the JSON object) and what is wrong with it."""

    config: dict | None
    notes: list[Note] = field(default_factory=list)

    @property
    def errors(self) -> list[Note]:
        return [n for n in self.notes if n.severity is None]


class _Checker:
    def __init__(self, text: str, base: int | None, fallback: tuple[int, int]):
        self.text = text
        self.base = base  # byte offset of the JSON text in the file, when it maps 1:1
        self.fallback = fallback
        self.notes: list[Note] = []

    def at(self, path: str | None) -> tuple[int, int]:
        """The span of the last key of a dotted path (``ports.eth2.prio``), found key after key."""
        if self.base is None or not path:
            return self.fallback
        i = 0
        for part in path.split("."):
            i = self.text.find(f'"{part}"', i)
            if i < 0:
                return self.fallback
        start = self.base + len(self.text[:i].encode())
        return start, start + len(part.encode()) + 2

    def error(self, key, message, hint=None, warning=False):
        from ...diagnostics import Severity

        start, end = self.at(key)
        self.notes.append(Note("NS412", message, start, end, hint, Severity.WARNING if warning else None))

    def object(self, value, spec, path: str, only=None, chosen=None):
        if not isinstance(value, dict):
            self.error(path or None, f"{path or 'the config'} must be a JSON object")
            return
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if key not in spec:
                self.error(where, f"teamd does not know {where!r}; it would be ignored", did_you_mean(key, spec), warning=True)
                continue
            kind, allowed = spec[key]
            self.value(where, where, item, kind, allowed)
            if only and key in only and chosen is not None and chosen not in only[key]:
                self.error(where, f"{where} applies to {' and '.join(only[key])}, not {chosen}; teamd ignores it", warning=True)

    def value(self, key, where, item, kind, allowed):
        if kind == INT:
            if isinstance(item, bool) or not isinstance(item, int):
                self.error(key, f"{where} must be an integer, not {json.dumps(item)}")
            elif allowed and not allowed[0] <= item <= allowed[1]:
                self.error(key, f"{where} {item} is out of range {allowed[0]}-{allowed[1]}")
        elif kind == BOOL:
            if not isinstance(item, bool):
                self.error(key, f"{where} must be true or false, not {json.dumps(item)}")
        elif kind == STR:
            if not isinstance(item, str):
                self.error(key, f"{where} must be a string, not {json.dumps(item)}")
            elif allowed and item not in allowed:
                self.error(key, f"{where} {item!r} is not one of {', '.join(allowed)}", did_you_mean(item, allowed))
        elif kind == ARRAY:
            if not isinstance(item, list) or not all(isinstance(x, str) for x in item):
                self.error(key, f"{where} must be an array of strings")
            else:
                for x in item:
                    if allowed and x not in allowed:
                        self.error(key, f"{where}: {x!r} is not one of {', '.join(allowed)}", did_you_mean(x, allowed))
        elif kind == "watch":
            watches = item if isinstance(item, list) else [item]
            for w in watches:
                if not isinstance(w, dict):
                    self.error(key, f"{where} must be an object or a list of objects")
                    continue
                if "name" not in w:
                    self.error(key, f"{where} needs a name (ethtool, arp_ping, nsna_ping)")
                # (a pinging watcher without target_host is the IR's to judge, as in a spec: NS213)
                self.object(w, WATCH, where, WATCH_ONLY, w.get("name"))


def _base_of(word) -> int | None:
    """Where the JSON text of a word starts in the file, when the word is a plain quoted literal."""
    if word is None or word.value is None:
        return None
    if word.text.startswith("'") and word.text.endswith("'") and word.text[1:-1] == word.value:
        return word.start + 1
    if word.text == word.value:
        return word.start
    if word.text.startswith('"') and word.text[1:-1] == word.value:
        return word.start + 1
    return None


def locate(text: str, word, key: str) -> tuple[int, int]:
    """Where the key ``"key"`` is in a config written in ``word`` (the whole word when unsure)."""
    return _Checker(text, _base_of(word), (word.start, word.end)).at(key)


def check_config(text: str, word=None, span: tuple[int, int] = (0, 0)) -> Checked:
    """Parse and check a teamd JSON config; ``word`` (a Word) locates it in the script."""
    base = _base_of(word)
    fallback = (word.start, word.end) if word is not None else span
    checker = _Checker(text, base, fallback)
    try:
        config = json.loads(text)
    except json.JSONDecodeError as e:
        start = base + len(text[: e.pos].encode()) if base is not None else fallback[0]
        end = start + 1 if base is not None else fallback[1]
        return Checked(None, [Note("NS412", f"teamd config is not valid JSON: {e.msg} (line {e.lineno} column {e.colno})", start, end)])
    if not isinstance(config, dict):
        checker.error(None, "a teamd config is a JSON object")
        return Checked(None, checker.notes)
    checker.object(config, TOP, "")
    runner = config.get("runner")
    if isinstance(runner, dict):
        checker.object(runner, RUNNER, "runner")  # which runner an option is for: validation's (NS210)
        if isinstance(runner.get("tx_balancer"), dict):
            checker.object(runner["tx_balancer"], TX_BALANCER, "runner.tx_balancer")
    for key in ("notify_peers", "mcast_rejoin"):
        if isinstance(config.get(key), dict):
            checker.object(config[key], COUNT_INTERVAL, key)
    if isinstance(config.get("ports"), dict):
        for port, options in config["ports"].items():
            checker.object(options, PORT, f"ports.{port}")
    return Checked(config, checker.notes)


def check_port_config(text: str, word=None) -> Checked:
    """A `teamdctl ... port config update PORT JSON` object."""
    base = _base_of(word)
    checker = _Checker(text, base, (word.start, word.end) if word is not None else (0, 0))
    try:
        config = json.loads(text)
    except json.JSONDecodeError as e:
        return Checked(None, [Note("NS412", f"port config is not valid JSON: {e.msg}", *checker.fallback)])
    checker.object(config, PORT, "port")
    return Checked(config if isinstance(config, dict) else None, checker.notes)
