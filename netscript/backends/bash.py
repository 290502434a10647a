"""The bash backend: a plan -> an idempotent script of ip/bridge/teamd commands.

Python decides *what* each step runs (commands as word lists from
:mod:`.ipcmd`, quoted here); the Jinja templates in ``templates/`` decide how
the script reads. Every value is validated before it gets here and quoted on
the way out, so a name such as ``a;b`` or ``$(x)`` is created as that name and
never executed.
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass

from .. import __version__
from ..ir.model import LinkKind
from ..plan import Op, Plan, Step
from ..resources import resource_dir
from . import ipcmd


_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


def q(word: str) -> str:
    """Quote one word for bash; plain words stay plain so scripts stay readable.

    Single quotes as a rule; double quotes with escapes for words holding `$`
    or a backquote, which shellcheck would otherwise flag (SC2016) as an
    expansion the author may have meant.
    """
    word = str(word)
    if _PLAIN.fullmatch(word):
        return word
    if "$" not in word and "`" not in word:
        return shlex.quote(word)
    return '"' + re.sub(r'([\\$"`])', r"\\\1", word) + '"'


def sh(words) -> str:
    return " ".join(q(w) for w in words)


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_dir("templates"))),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["q"] = q
    env.filters["sh"] = sh
    return env


def where(step: Step) -> str:
    span = step.link.span if step.link is not None else None
    return f" ({span})" if span else ""


def delete_lines(link) -> list[str]:
    """The delete commands, each falling back to removing a device its daemon left behind."""
    fallback = ipcmd.orphan_delete(link)
    if fallback is None:
        return [sh(c) for c in ipcmd.delete(link)]
    return [f"{sh(c)} 2>/dev/null || {sh(fallback)}" for c in ipcmd.delete(link)]


@dataclass
class Context:
    """What the templates get: the plan's steps, prepared."""

    source: str
    version: str
    steps: list[dict]


def _step(step: Step) -> dict:
    link = step.link
    d: dict = {"op": step.op.value, "netns": step.netns or "", "where": where(step)}
    if step.op in (Op.ADD_NETNS, Op.REQUIRE_NETNS):
        d["name"] = step.netns
    elif step.op is Op.DELETE_NETNS:
        d["name"] = step.netns
    elif step.op is Op.REQUIRE_LINK:
        d["name"] = link.name
    elif step.op is Op.CREATE_LINK:
        d.update(
            name=link.name,
            kind=link.kind.value,
            create=[sh(c) for c in ipcmd.create(link, step.parent_netns)],
            delete=delete_lines(link),
            kind_patterns=ipcmd.kind_patterns(link),
            create_only_patterns=ipcmd.create_only_patterns(link),
            peer=None,
            peer_netns="",
            team_query=None,
            team_runner=None,
        )
        if link.kind is LinkKind.TEAM:
            # teamd holds a team's settings, not `ip -d -j link`: ask it for the runner
            d.update(team_query=sh(ipcmd.team_runner_query(link)), team_runner=ipcmd.team_runner(link))
        if link.kind is LinkKind.VETH:
            d["peer"] = link.peer.name
            d["peer_netns"] = link.peer.netns or ""
    elif step.op is Op.CONFIGURE_LINK:
        d.update(name=link.name, command=sh(ipcmd.configure(link)))
    elif step.op is Op.CONFIGURE_LATE:
        d.update(name=link.name, command=sh(ipcmd.configure_late(link)))
    elif step.op is Op.ENSLAVE:
        d.update(
            name=step.port.name,
            master=step.master.name,
            master_kind=step.master.kind.value,
            pattern=ipcmd.master_pattern(step.master),
            down=sh(ipcmd.set_down(step.netns, step.port.name)) if step.down_first else None,
            stage=sh(stage) if (stage := ipcmd.stage_team_port(step.port, step.master)) else None,
            command=sh(ipcmd.enslave(step.port.name, step.master)),
            where=f" ({step.port.span})" if step.port.span else "",
        )
    elif step.op is Op.CONFIGURE_PORT:
        d.update(
            name=step.port.name,
            master=step.master.name,
            command=sh(ipcmd.configure_port(step.port, step.master)),
            where=f" ({step.port.span})" if step.port.span else "",
        )
    elif step.op is Op.ADD_ADDRESS:
        d.update(name=link.name, cidr=step.address.cidr, command=sh(ipcmd.add_address(link, step.address.cidr)))
    elif step.op is Op.SET_STATE:
        d.update(name=link.name, state=step.state.value, command=sh(ipcmd.set_state(link, step.state)))
    elif step.op is Op.DELETE_LINK:
        d.update(name=link.name, kind=link.kind.value, delete=delete_lines(link))
    return d


# Steps that are one naturally idempotent command each, grouped under a heading.
SIMPLE = {
    Op.CONFIGURE_LINK: "settings",
    Op.CONFIGURE_PORT: "port settings",
    Op.CONFIGURE_LATE: "settings that name ports",
    Op.ADD_ADDRESS: "addresses",
    Op.SET_STATE: "admin state",
}


def _steps(plan: Plan) -> list[dict]:
    out, previous = [], None
    for step in plan.steps:
        d = _step(step)
        d["heading"] = SIMPLE.get(step.op) if step.op is not previous else None
        d["simple"] = step.op in SIMPLE
        out.append(d)
        previous = step.op
    return out


def render(plan: Plan, *, source: str, teardown: bool = False) -> str:
    """The script for a plan (or for a teardown plan)."""
    ctx = Context(source=source, version=__version__, steps=_steps(plan))
    template = "teardown.sh.j2" if teardown else "script.sh.j2"
    return _environment().get_template(template).render(ctx=ctx)


def render_batch(plan: Plan, *, source: str) -> str:
    """The large-topology form: one state read, then `ip -batch` per namespace."""
    from .batch import batch_context

    ctx = batch_context(plan, source=source, version=__version__)
    return _environment().get_template("batch.sh.j2").render(ctx=ctx)


