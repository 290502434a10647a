"""Team settings, which live in teamd rather than the kernel: ``teamdctl config dump actual``.

The team driver's own netlink family carries only runtime options, so a
team's runner, link watch and port settings are read from the teamd that
drives it. A team without a running teamd reads as a team with no settings.
"""

from __future__ import annotations

import functools
import json
import subprocess

from ...kinds.spec import settings


def in_namespace(netns: str | None, *words: str) -> list[str]:
    return [*(["ip", "netns", "exec", netns] if netns else []), *words]


@functools.cache
def config(netns: str | None, team: str) -> dict | None:
    """teamd's actual configuration of ``team``, or None when no teamd answers for it."""
    try:
        done = subprocess.run(
            in_namespace(netns, "teamdctl", team, "config", "dump", "actual"),
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    try:
        return json.loads(done.stdout)
    except ValueError:
        return None


def _lookup(tree: dict, path: str):
    node = tree
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _values(tree: dict, cls) -> dict:
    out = {}
    for key, (field_name, meta) in settings(cls).items():
        value = _lookup(tree, meta.ip or key)
        if value is None:
            continue
        out[field_name] = tuple(value) if isinstance(value, list) else value
    return out


def read_options(netns: str | None, team: str):
    tree = config(netns, team)
    if tree is None:
        return None
    from ...kinds import team as team_kind  # here: reading a namespace loads the kinds it meets only

    values = _values(tree, team_kind.TeamOptions)
    return team_kind.TeamOptions(**values) if values else None


def read_port_options(netns: str | None, team: str, port: str):
    tree = config(netns, team)
    if tree is None:
        return None
    from ...kinds import team as team_kind

    values = _values(tree.get("ports", {}).get(port, {}), team_kind.TeamPortOptions)
    return team_kind.TeamPortOptions(**values) if values else None


def forget() -> None:
    """Drop cached configurations (after changing a team)."""
    config.cache_clear()
