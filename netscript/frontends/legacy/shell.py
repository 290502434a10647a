"""Finding the commands of a shell script, with exact byte spans, in mvdan/sh's syntax tree.

:func:`scan` reads a script and returns every simple command in it (inside
functions, ``if``/``while``/``for``/``case``, ``&&``/``||`` lists, pipelines,
subshells, ``$(...)`` and backticks) as a :class:`Site`: its words, the tool it
calls (seen through absolute paths, ``sudo`` and friends, ``ip netns exec``
and variables the script sets to the tool), and how the script uses it (is its
output parsed, its exit status tested). Here-documents, comments and strings
are data and yield nothing.

Lines the parser cannot read are left out and listed (``Script.errors``); the
commands after them are still found (:mod:`.syntax`).

Only shell knowledge lives here; which names are tools is the caller's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from ... import collector
from . import syntax
from .shell_words import make_word, node_text
from .usage import Usage, UsageReader
from .words import Dynamic, Lit, Var, Word


@dataclass(frozen=True, slots=True)
class Redirect:
    """One redirection written on a command."""
    operator: str  # '>', '>>', '&>', '<', '>&' ...
    fd: int | None  # the descriptor written before the operator, if any
    target: Word | None
    start: int
    end: int

    @property
    def writes_stdout(self) -> bool:
        return self.operator in (">", ">>", ">|", "&>", "&>>", ">&") and self.fd in (None, 1)


# A statement list: its holder's kind, the field holding it, and where the holder starts.
BlockId = tuple[str, str, int]


@dataclass(frozen=True, slots=True)
class Site:
    """One simple command of the script."""

    start: int  # the command node, redirects excluded
    end: int
    stmt_start: int  # the statement: the command with the redirects written on it
    stmt_end: int
    name: Word  # the command word as written (`brctl`, `/sbin/brctl`, `$BRCTL`)
    tool: str | None  # the program it runs, when known (a basename)
    args: tuple[Word, ...]
    prefix: tuple[Word, ...] = ()  # `VAR=x` assignments and wrappers (`sudo -u root`) before the name
    netns: Word | None = None  # `ip netns exec NS` in front
    redirects: tuple[Redirect, ...] = ()
    usage: Usage = Usage.NONE
    standalone: bool = True  # a statement of its own: a compound replacement needs no braces
    stmt_standalone: bool = True  # the same for the statement with its redirections
    top_level: bool = False  # a statement of the script itself (not in a function, loop...)
    errexit_ignored: bool = False  # set -e does not stop the script when it fails (a condition, left of && or ||, after !)
    oddity: str | None = None  # why the command's shape cannot be rewritten safely
    single_only: bool = False  # behind `exec` or a runner function: may become one command only
    runner: str | None = None  # the script's function that runs it (`run brctl ...`), in the prefix
    evaluated: bool = False  # that function runs it through eval, which reads its words again
    blocks: tuple[BlockId, ...] = ()  # the statement lists around it, innermost first (see model.Context)
    statement_of: BlockId | None = None  # the list it is an unconditional statement of, if any

    @property
    def words(self) -> tuple[Word, ...]:
        return (self.name, *self.args)


@dataclass(frozen=True)
class Guard:
    """A place where the script checks that a tool exists (`[ -x /sbin/brctl ]`, `command -v`)."""

    tool: str
    start: int
    end: int


@dataclass(frozen=True)
class Indirect:
    """A tool run by another program (``sh -c 'brctl ...'``, ``xargs brctl``): left, and reported."""

    tool: str
    how: str  # the program that runs it
    start: int
    end: int


@dataclass(frozen=True)
class Flow:
    """A top-level construct that makes the script more than a straight line of commands."""

    what: str
    start: int
    end: int


@dataclass(frozen=True)
class Assignment:
    """A top-level `NAME=value`, in script order (straight-line scripts resolve $NAME with it)."""

    name: str
    value: Word | None
    start: int


@dataclass
class Script:
    """A scanned script: its commands, tool aliases, functions, tool checks and top-level statements."""
    source: bytes
    sites: list[Site] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # variable -> tool it names
    alias_assignments: dict[str, list] = field(default_factory=dict)  # variable -> [(start, end)] where set
    functions: set[str] = field(default_factory=set)
    runners: dict[str, bool] = field(default_factory=dict)  # function that runs its arguments -> through eval
    bodies: dict[str, str] = field(default_factory=dict)  # function -> its body as written (runners.on_failure reads it)
    guards: list[Guard] = field(default_factory=list)
    indirect: list[Indirect] = field(default_factory=list)
    errors: list[tuple[int, int]] = field(default_factory=list)  # lines the parser could not read, one region each
    top_level: list = field(default_factory=list)  # Site | Assignment | Flow, in order

    def text(self, start: int, end: int) -> str:
        return self.source[start:end].decode("utf-8", "replace")


# -- tool names ------------------------------------------------------------


def tool_of(value: str | None, tools) -> str | None:
    """The tool a literal command word runs: a bare name or an absolute path to it."""
    if not value:
        return None
    base = os.path.basename(value)
    if base in tools and (value == base or value.startswith("/")):
        return base
    return None


# Options of wrappers that take a value, so the wrapped command is found after them.
_WRAPPER_OPTIONS = {
    "sudo": {"-u", "-g", "-p", "-C", "-D", "-h", "-r", "-t", "-T", "-U", "--user", "--group", "--prompt"},
    "doas": {"-u", "-C"},
    "nice": {"-n", "--adjustment"},
    "ionice": {"-c", "-n", "-p", "-P", "-u"},
    "env": {"-u", "--unset", "-C", "--chdir"},
    "exec": {"-a"},
    "time": set(),
    "nohup": set(),
    "command": set(),
    "timeout": {"-s", "--signal", "-k", "--kill-after"},  # then a duration
}

# Programs that run a command they get as arguments or as a string: a tool
# called through them cannot be rewritten in place, only pointed out.
_INDIRECT_ARGS = {"xargs", "watch", "flock", "strace", "chroot", "runuser"}
_INDIRECT_STRING = {"sh", "bash", "dash", "ksh", "zsh", "eval", "trap", "su", "ssh"}


# A function body that runs its arguments as a command: `"$@"`, `$*`, `eval "$@"` where a command starts.
_RUNS_ARGUMENTS = re.compile(r'(?:^|[;&|({]|\b(?:then|do|else|until|while|if))\s*(eval\s+|command\s+)?"?\$[@*]"?(?=[\s;&|)]|$)', re.M)

_WORD_IN_STRING = re.compile(r"(?<![\w./-])(?:/usr)?(?:/s?bin/)?([a-z][a-z0-9_]*)(?![\w.-])")


def tools_in_string(text: str, tools) -> list[str]:
    """Tools a command string runs (`sh -c "x; sudo brctl addbr y"`), where a command starts."""
    found = []
    for m in _WORD_IN_STRING.finditer(text):
        before = text[: m.start()].rstrip()
        starts = not before or before[-1] in ";&|(`\n{" or before.endswith(("$(", "sudo", "exec", "command", "then", "do", "else"))
        if starts and m.group(1) in tools:
            found.append(m.group(1))
    return found


def _skip_wrapper(name: str, words: list[Word]) -> int | None:
    """How many words the wrapper `name` takes before the command it runs; None: not understood."""
    takes = _WRAPPER_OPTIONS[name]
    i = 0
    while i < len(words):
        v = words[i].value
        if v is None:
            return i  # the command itself, named through a variable
        if v == "--":
            return i + 1
        if name == "env" and "=" in v and not v.startswith("-"):
            i += 1
            continue
        if name == "command" and v in ("-v", "-V"):
            return None  # a look-up, not a call
        if name == "nice" and v[:1] == "-" and v[1:].isdigit():
            i += 1
            continue
        if v.startswith("-") and v != "-":
            i += 2 if v in takes else 1
            continue
        if name == "timeout":
            return i + 1 if i + 1 < len(words) else None  # skip the duration
        return i
    return None


# -- the scan --------------------------------------------------------------

# Statement lists whose statements run one after another, unconditionally once the list runs
# (not a condition, not inside $(...)): (kind of the holder, field).
_STATEMENT_LISTS = {
    ("File", "Stmts"),
    ("Block", "Stmts"),
    ("Subshell", "Stmts"),
    ("CaseItem", "Stmts"),
    ("IfClause", "Then"),  # an else is an IfClause with no condition: its Then is the else branch
    ("WhileClause", "Do"),
    ("ForClause", "Do"),
}
_OPERATORS_WITH_DEFAULT = (":-", "-", ":=", "=")


class _Scanner:
    def __init__(self, src: bytes, tools):
        self.src = src
        self.tools = frozenset(tools)
        self.script = Script(source=src)
        self.site_of: dict = {}  # id of a CallExpr -> its Site
        self.not_alias: set = set()  # variables also assigned something that is not a tool
        self.calls: list = []  # every (CallExpr, frame), to find the calls of a function
        self.uses = UsageReader(src, self.calls)

    def run(self, tree: syntax.Tree) -> Script:
        self.script.errors = list(tree.unreadable)
        self.collect_definitions(tree.root)
        for node, frame in self.calls:
            self.command(node, frame)
        self.collect_top_level(tree.root)
        return self.script

    # definitions: functions that shadow a tool, variables that name one; and every command

    def collect_definitions(self, root):
        for node, kind, frame in syntax.walk(root):
            if kind == "CallExpr":
                self.calls.append((node, frame))
            elif kind == "Assign":
                if node.get("Name") is not None and not node.get("Naked"):
                    plain = not node.get("Append") and node.get("Array") is None and node.get("Index") is None
                    self.note_alias(node["Name"]["Value"], node.get("Value") if plain else None, node)
            elif kind == "ParamExp":
                self.note_default_alias(node)
            elif kind == "FuncDecl":
                self.script.functions.add(node["Name"]["Value"])
                body = self.src[node["Body"]["Pos"] : node["Body"]["End"]].decode("utf-8", "replace")
                self.script.bodies[node["Name"]["Value"]] = body
                runs = _RUNS_ARGUMENTS.search(body)
                if runs:
                    self.script.runners[node["Name"]["Value"]] = bool(runs.group(1) and runs.group(1).startswith("eval"))
            elif kind == "TestClause":
                self.test_guard(node)
        for var in self.not_alias:
            self.script.aliases.pop(var, None)

    def alias_target(self, value: dict | None, var: str) -> str | None:
        """The tool a variable's assigned value (a Word) names, if any."""
        if value is None:
            return None
        parts = value.get("Parts") or []
        if len(parts) == 1 and parts[0]["Type"] == "DblQuoted":  # "$(which brctl)"
            parts = parts[0].get("Parts") or []
        if len(parts) == 2 and parts[0]["Type"] == "ParamExp" and parts[1]["Type"] == "Lit" and parts[1]["Value"].count("/") == 1:
            # a path built from a variable ($BINDIR/tunctl): what it names is in its last part
            last = parts[1]["Value"]
            return tool_of(last.lstrip("/"), self.tools) if last.startswith("/") else None
        if len(parts) == 1 and parts[0]["Type"] == "CmdSubst":
            stmts = parts[0].get("Stmts") or []
            cmd = stmts[0].get("Cmd") if len(stmts) == 1 else None
            if cmd is not None and cmd["Type"] == "CallExpr":
                words = [make_word(a, self.src).value for a in cmd.get("Args") or ()]
                if len(words) >= 2 and words[0] in ("command", "which", "type"):
                    return tool_of(words[-1], self.tools)
            return None
        if len(parts) == 1 and parts[0]["Type"] == "ParamExp":
            param, exp = parts[0].get("Param"), parts[0].get("Exp")
            if param and param.get("Value") == var and exp and exp.get("Op") in _OPERATORS_WITH_DEFAULT and exp.get("Word"):
                return tool_of(make_word(exp["Word"], self.src).value, self.tools)
            return None
        return tool_of(make_word(value, self.src).value, self.tools)

    def note_alias(self, var: str, value: dict | None, where: dict):
        target = self.alias_target(value, var)
        known = self.script.aliases
        if target is None or known.get(var, target) != target:
            self.not_alias.add(var)  # assigned something else too: not reliably the tool
        else:
            known[var] = target
            self.script.alias_assignments.setdefault(var, []).append((where["Pos"], where["End"]))

    def note_default_alias(self, node):
        """`: ${BRCTL:=brctl}` assigns the default when the variable is unset."""
        exp, param = node.get("Exp"), node.get("Param")
        if exp and param and exp.get("Op") in (":=", "=") and exp.get("Word"):
            self.note_alias(param["Value"], exp["Word"], node)

    def test_guard(self, clause):
        """`[[ -x /sbin/brctl ]]` (leftovers reads the `[ -x ... ]` commands)."""
        test = clause.get("X") or {}
        word = test.get("X")
        if test.get("Type") == "UnaryTest" and test.get("Op") in ("-x", "-f", "-e") and word:
            parts = word.get("Parts") or []
            if len(parts) == 1 and parts[0]["Type"] == "ParamExp":
                return  # a bare $VAR
            tool = tool_of(make_word(word, self.src).value, self.tools)
            if tool:
                self.script.guards.append(Guard(tool, clause["Pos"], clause["End"]))

    # commands

    def command(self, node: dict, frame: syntax.Frame):
        src = self.src
        words = node.get("Args")
        if not words:
            return  # assignments only
        stmt = frame.node
        prefix = tuple(_assignment_word(a, src) for a in node.get("Assigns") or ())
        args = [make_word(w, src) for w in words[1:]]
        redirects, oddity = self.redirects_of(stmt, node)
        oddity = oddity or self.escaped_backquotes(frame)
        site: dict[str, Any] = {"prefix": prefix, "netns": None, "single_only": False, "runner": None, "evaluated": False}
        name, args, tool = self.unwrap(make_word(words[0], src), args, site)
        if tool is None:
            self.note_indirect(name, args, node)
        if tool is None and name.value in ("command", "which", "type", "hash") and args:
            looked_up = tool_of(args[-1].value, self.tools)
            if looked_up:
                self.script.guards.append(Guard(looked_up, node["Pos"], node["End"]))
        blocks, statement_of = self.placement(frame.up, stmt)
        statement = self.is_statement(frame.up, stmt)
        found = Site(
            start=node["Pos"],
            end=node["End"],
            stmt_start=node["Pos"],
            stmt_end=_stmt_end(stmt),
            name=name,
            tool=tool,
            args=tuple(args),
            prefix=site["prefix"],
            netns=site["netns"],
            redirects=tuple(redirects),
            usage=self.uses.of(frame, redirects),
            standalone=statement and not stmt.get("Redirs"),
            stmt_standalone=statement,
            top_level=self.is_top_level(frame.up, stmt),
            errexit_ignored=_errexit_ignored(frame.up, stmt),
            oddity=oddity,
            single_only=site["single_only"],
            runner=site["runner"],
            evaluated=site["evaluated"],
            blocks=blocks,
            statement_of=statement_of,
        )
        self.site_of[id(node)] = found
        self.script.sites.append(found)

    def redirects_of(self, stmt: dict, command: dict) -> tuple[list[Redirect], str | None]:
        """The redirections written on a command's statement, and any shape that forbids rewriting it."""
        redirects, oddity = [], None
        for r in stmt.get("Redirs") or ():
            if r["Op"] in ("<<", "<<-"):
                oddity = "a here-document feeds it"
                continue
            n = r.get("N")
            fd = None
            if n is not None:
                if not n["Value"].isdigit():  # {fd}>file: bash picks the descriptor
                    oddity = f"the redirection {node_text(r, self.src)} names its descriptor with a variable"
                    continue
                fd = int(n["Value"])
            target = make_word(r["Word"], self.src) if r.get("Word") else None
            end = target.end if target is not None else r["OpPos"] + len(r["Op"])
            if r["Pos"] < command["End"]:
                oddity = "words follow a redirection in the middle of the command"
            elif n is None and r["Pos"] == command["End"] and node_text(command["Args"][-1], self.src)[-1:].isdigit():
                # bash reads `-x2>f` as the word -x2 and `>f`; a rewrite ending in a number would make it a descriptor
                oddity = f"the argument {node_text(command['Args'][-1], self.src)} runs into the redirection after it"
            redirects.append(Redirect(r["Op"], fd, target, r["Pos"], end))
        return redirects, oddity

    def escaped_backquotes(self, frame: syntax.Frame | None) -> str | None:
        """Inside `...` with backslashes in it, mvdan/sh's positions skip the escapes (mvdan/sh#1028)."""
        while frame is not None:
            node = frame.node
            if frame.kind == "CmdSubst" and node.get("Backquotes") and b"\\" in self.src[node["Pos"] : node["End"]]:
                return "it is inside backquotes with backslashes, whose positions the parser does not keep exactly; write it as $(...)"
            frame = frame.up
        return None

    def note_indirect(self, name: Word, args: list[Word], node) -> None:
        program = os.path.basename(name.value or "")
        if program in _INDIRECT_ARGS:
            for w in args:
                tool = tool_of(w.value, self.tools)
                if tool:
                    self.script.indirect.append(Indirect(tool, program, node["Pos"], node["End"]))
                    return
        elif program in _INDIRECT_STRING:
            for w in args:
                tools = tools_in_string(w.value or "", self.tools)
                if tools:
                    self.script.indirect.append(Indirect(tools[0], program, node["Pos"], node["End"]))
                    return

    def unwrap(self, name: Word, args: list[Word], site: dict):
        """See through sudo, env, exec ... and `ip netns exec NS`; resolve $VAR names."""
        for _ in range(8):
            value = name.value
            first = tool_of(args[0].value, self.tools) if args else None
            if value is None:
                var = name.parts[0].name if len(name.parts) == 1 and isinstance(name.parts[0], Var) else None
                if var and var not in self.script.aliases and name.splits and first:
                    # `$DRYRUN brctl ...`: a prefix in a variable (empty, echo, sudo), kept in front
                    site["prefix"] += (name,)
                    name, args = args[0], args[1:]
                    continue
                return name, args, self.script.aliases.get(var) if var else None
            if value in self.script.runners and first and site["runner"] is None:
                # `run brctl ...`: the script's own function runs its arguments, one command
                site["prefix"] += (name,)
                site.update(runner=value, evaluated=self.script.runners[value], single_only=True)
                name, args = args[0], args[1:]
                continue
            base = os.path.basename(value)
            if base in _WRAPPER_OPTIONS and (value == base or value.startswith("/")):
                skip = _skip_wrapper(base, args)
                if skip is None or skip >= len(args):
                    return name, args, None
                if base == "exec":
                    site["single_only"] = True
                site["prefix"] += (name, *args[:skip])
                name, args = args[skip], args[skip + 1 :]
                continue
            if tool_of(value, {"ip"}) and [a.value for a in args[:2]] == ["netns", "exec"] and len(args) > 3:
                site["prefix"] += (name, *args[:3])
                site["netns"] = args[2]
                name, args = args[3], args[4:]
                continue
            tool = tool_of(value, self.tools)
            if tool and value == tool and tool in self.script.functions:
                return name, args, None  # the script defines a function of that name
            return name, args, tool
        return name, args, None

    # where a statement sits (``holder``: the frame of the statement, what holds it)

    def is_statement(self, holder: syntax.Frame | None, stmt: dict) -> bool:
        """A statement of a list that runs it unconditionally: a compound replacement needs no braces."""
        if holder is None or stmt.get("Negated") or stmt.get("Background") or stmt.get("Coprocess"):
            return False
        return (holder.kind, holder.field) in _STATEMENT_LISTS

    def placement(self, holder: syntax.Frame | None, stmt: dict) -> tuple[tuple[BlockId, ...], BlockId | None]:
        """The statement lists around a statement (innermost first), and the one it runs in unconditionally.

        A list is named by its holder's kind and field and where the holder starts: an
        if's then-branch and its else branch are lists of their own (the else branch must
        not see what the then branch set).
        """
        blocks = []
        frame = holder
        while frame is not None:
            if (frame.kind, frame.field) in _STATEMENT_LISTS:
                blocks.append(_block_id(frame))
            frame = frame.up
        statement_of = _block_id(holder) if holder is not None and self.is_statement(holder, stmt) else None
        return tuple(blocks), statement_of

    def is_top_level(self, holder: syntax.Frame | None, stmt: dict) -> bool:
        if holder is None or stmt.get("Negated"):
            return False
        if holder.kind == "BinaryCmd" and holder.field == "X" and holder.up is not None and _is_error_ignored(holder.node, self.src):
            stmt = holder.up.node  # `CMD || true`: still a straight line
            holder = holder.up.up
            if holder is None or stmt.get("Negated"):
                return False
        return (holder.kind, holder.field) == ("File", "Stmts")

    # straight-line view

    def collect_top_level(self, root):
        out = self.script.top_level
        for stmt in root.get("Stmts") or ():
            body = stmt
            cmd = stmt.get("Cmd")
            if cmd is not None and cmd["Type"] == "BinaryCmd" and not stmt.get("Negated") and _is_error_ignored(cmd, self.src):
                body, cmd = cmd["X"], cmd["X"].get("Cmd")
            what = _flow(body, cmd)
            if what is not None:
                out.append(Flow(what, stmt["Pos"], _stmt_end(stmt)))
            elif cmd["Type"] == "CallExpr":
                site = self.site_of.get(id(cmd))
                if site is not None:
                    out.append(site)
                else:  # only assignments
                    out.extend(_assignment(a, self.src) for a in cmd.get("Assigns") or ())
            else:  # export / local / declare / readonly
                out.extend(_assignment(a, self.src) for a in cmd.get("Args") or () if a.get("Name") is not None and not a.get("Naked"))


def errexit_possible(script: Script) -> bool:
    """Whether the script may run under ``set -e``: a ``set`` that could turn it on, ``-e`` on the
    ``#!`` line, something sourced (which may turn it on), or no ``#!`` line at all (a file that
    is sourced runs under its caller's options)."""
    first = script.source.split(b"\n", 1)[0]
    if not first.startswith(b"#!") or re.search(rb"\s-\w*e", first):
        return True
    for site in script.sites:
        if site.name.value in (".", "source", "eval"):
            return True
        if site.name.value == "set":
            words = [w.value for w in site.args]
            if any(w is None or re.fullmatch(r"-\w*e\w*", w) or w in ("-o", "-eo") for w in words):
                return True
    return False


def errexit_on_from(script: Script) -> int | None:
    """Where ``set -e`` is surely on for the script's own top-level statements: 0 with ``-e`` on
    the ``#!`` line, else the end of the first top-level ``set -e``; None when it may never be,
    or may be turned off again (a ``set +e`` anywhere, a ``set`` of words known only at run
    time, ``eval``)."""
    first = script.source.split(b"\n", 1)[0]
    on_from = 0 if first.startswith(b"#!") and re.search(rb"\s-\w*e", first) else None
    for site in sorted(script.sites, key=lambda s: s.start):
        if site.name.value == "eval":
            return None
        if site.name.value != "set":
            continue
        words = [w.value for w in site.args]
        if any(w is None or re.fullmatch(r"\+\w*e\w*", w) or w == "+o" for w in words):
            return None
        turns_on = any(re.fullmatch(r"-\w*e\w*", w) for w in words if w is not None) or (
            "-o" in words and "errexit" in words)
        if on_from is None and turns_on and site.top_level and not site.errexit_ignored:
            on_from = site.stmt_end
    return on_from


def _errexit_ignored(holder: syntax.Frame | None, stmt: dict) -> bool:
    """Whether ``set -e`` lets the statement fail: negated, in an if/while/until condition, or
    before the last ``&&`` / ``||`` of a list (the last one, and a group's commands, as the
    list or group goes)."""
    while holder is not None:
        if stmt.get("Negated"):
            return True
        if holder.kind == "BinaryCmd" and holder.node.get("Op") in ("&&", "||"):
            if holder.field == "X" or holder.up is None:
                return holder.field == "X"
            stmt, holder = holder.up.node, holder.up.up
            continue
        if holder.kind in ("Block", "Subshell") and holder.up is not None and holder.up.node.get("Cmd") is holder.node:  # as the group goes
            stmt, holder = holder.up.node, holder.up.up
            continue
        return holder.field == "Cond" and holder.kind in ("IfClause", "WhileClause")
    return False


def _block_id(frame: syntax.Frame) -> BlockId:
    return (frame.kind, frame.field, frame.node["Pos"])


def _flow(stmt: dict, cmd: dict | None) -> str | None:
    """What makes a top-level statement more than a command or an assignment; None if nothing."""
    if stmt.get("Negated"):
        return "a ! command"
    if stmt.get("Background"):
        return "a background command"
    if cmd is None:
        return "a redirection"
    kind = cmd["Type"]
    if kind == "CallExpr":
        args = cmd.get("Args") or ()
        return "a test" if args and _literal_text(args[0]) in ("[", "test") else None
    if kind == "DeclClause":
        return None
    if stmt.get("Redirs"):
        return "a redirected group"
    if kind == "BinaryCmd":
        return "a pipeline" if cmd["Op"] in ("|", "|&") else "an && or || list"
    return _FLOW_NAMES.get(kind, kind)


def _literal_text(word: dict) -> str | None:
    parts = word.get("Parts") or []
    return parts[0].get("Value") if len(parts) == 1 and parts[0]["Type"] == "Lit" else None


def _stmt_end(stmt: dict) -> int:
    """Where a statement ends: its `;` or `&` left out, and a here-document's body (only `<<EOF` counts)."""
    cmd = stmt.get("Cmd")
    ends = [cmd["End"]] if cmd is not None else []
    ends += [r["Word"]["End"] if r.get("Word") else r["OpPos"] + len(r["Op"]) for r in stmt.get("Redirs") or ()]
    return max(ends, default=stmt["End"])


_FLOW_NAMES = {
    "IfClause": "an if",
    "WhileClause": "a while/until loop",
    "ForClause": "a for loop",
    "CaseClause": "a case",
    "FuncDecl": "a function",
    "Subshell": "a subshell",
    "Block": "a { } group",
    "TestClause": "a test",
    "ArithmCmd": "an arithmetic command",
    "LetClause": "a let",
    "TimeClause": "a timed command",
    "CoprocClause": "a coprocess",
}


def _is_error_ignored(binary: dict, src: bytes) -> bool:
    """`CMD || true` / `CMD || :`: the idiom for 'ignore a failure', still a straight line."""
    if binary.get("Op") != "||":
        return False
    right = binary["Y"]
    cmd = right.get("Cmd")
    if right.get("Redirs") or right.get("Negated") or cmd is None or cmd["Type"] != "CallExpr" or cmd.get("Assigns"):
        return False
    args = cmd.get("Args") or []
    return len(args) == 1 and node_text(args[0], src) in ("true", ":")


def _assignment(node: dict, src: bytes) -> Assignment:
    value = node.get("Value")
    return Assignment(
        name=node["Name"]["Value"] if node.get("Name") else "",
        value=make_word(value, src) if value is not None else Word(text="", parts=(Lit(""),)),
        start=node["Pos"],
    )


def _assignment_word(node: dict, src: bytes) -> Word:
    """A `VAR=value` before a command, as a word of its prefix (computed at run time)."""
    text = node_text(node, src)
    return Word(text=text, parts=(Dynamic(text),), start=node["Pos"], end=node["End"], splits=True)


def scan(text: str, tools) -> Script:
    """Every command of a script, with the tools in ``tools`` recognised however they are called."""
    tree = syntax.parse(text)
    with collector.paused():
        return _Scanner(text.encode("utf-8"), tools).run(tree)

