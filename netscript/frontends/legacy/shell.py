"""Finding the commands of a shell script, with exact byte spans, through tree-sitter-bash.

:func:`scan` reads a script and returns every simple command in it (inside
functions, ``if``/``while``/``for``/``case``, ``&&``/``||`` lists, pipelines,
subshells, ``$(...)`` and backticks) as a :class:`Site`: its words, the tool it
calls (seen through absolute paths, ``sudo`` and friends, ``ip netns exec``
and variables the script sets to the tool), and how the script uses it (is its
output parsed, its exit status tested). Here-documents, comments and strings
are data and yield nothing.

Only shell knowledge lives here; which names are tools is the caller's.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from .shell_words import make_word, node_text
from .usage import Usage, UsageReader, in_condition
from .words import Lit, Var, Word


@functools.lru_cache(maxsize=1)
def _parser():
    import tree_sitter_bash
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_bash.language()))


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
    oddity: str | None = None  # why the command's shape cannot be rewritten safely
    single_only: bool = False  # behind `exec`: may become one command only
    blocks: tuple = ()  # the statement lists around it, innermost first (see model.Context)
    statement_of: object = None  # the list it is an unconditional statement of, if any

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
    guards: list[Guard] = field(default_factory=list)
    indirect: list[Indirect] = field(default_factory=list)
    errors: list[tuple[int, int]] = field(default_factory=list)  # regions tree-sitter could not parse
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

_STATEMENT_PARENTS = {"program", "compound_statement", "do_group", "subshell", "else_clause", "case_item"}
_BLOCKS = _STATEMENT_PARENTS | {"elif_clause"}


class _Scanner:
    def __init__(self, src: bytes, tools):
        self.src = src
        self.tools = frozenset(tools)
        self.script = Script(source=src)
        self.folded: dict = {}  # command node id -> assignments folded into it
        self.site_of: dict = {}  # command node id -> Site
        self.not_alias: set = set()  # variables also assigned something that is not a tool
        self.commands: list = []  # every command node, to find the calls of a function
        self.uses = UsageReader(src, self.commands)

    def run(self, root) -> Script:
        self.collect_definitions(root)
        self.walk(root)
        self.collect_top_level(root)
        return self.script

    # definitions: functions that shadow a tool, variables that name one

    def collect_definitions(self, root):
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type == "function_definition":
                name = node.child_by_field_name("name")
                if name is not None:
                    self.script.functions.add(node_text(name, self.src))
            elif node.type == "variable_assignment":
                self.note_alias(node.child_by_field_name("name"), node.child_by_field_name("value"))
            elif node.type == "expansion":
                self.note_default_alias(node)
            elif node.type == "command":
                self.commands.append(node)
            stack.extend(_kids(node))
        for var in self.not_alias:
            self.script.aliases.pop(var, None)

    def alias_target(self, value, var: str) -> str | None:
        """The tool a variable's assigned value names, if any."""
        if value is None:
            return None
        if value.type == "command_substitution":
            inner = [c for c in value.children if c.type == "command"]
            if len(inner) == 1:
                words = [
                    make_word(c.children[0] if c.type == "command_name" else c, self.src).value
                    for c in inner[0].children
                    if c.type != "variable_assignment"
                ]
                if len(words) >= 2 and words[0] in ("command", "which", "type"):
                    return tool_of(words[-1], self.tools)
            return None
        if value.type == "expansion":
            names = [c for c in value.children if c.type == "variable_name"]
            defaults = [c for c in value.children if c.type in ("word", "string", "raw_string")]
            if names and node_text(names[0], self.src) == var and defaults:
                return tool_of(make_word(defaults[-1], self.src).value, self.tools)
            return None
        return tool_of(make_word(value, self.src).value, self.tools)

    def note_alias(self, name_node, value):
        if name_node is None:
            return
        var = node_text(name_node, self.src)
        target = self.alias_target(value, var)
        known = self.script.aliases
        if target is None or known.get(var, target) != target:
            self.not_alias.add(var)  # assigned something else too: not reliably the tool
        else:
            known[var] = target
            statement = name_node.parent
            self.script.alias_assignments.setdefault(var, []).append((statement.start_byte, statement.end_byte))

    def note_default_alias(self, node):
        """`: ${BRCTL:=brctl}` assigns the default when the variable is unset."""
        ops = [c for c in node.children if c.type in (":=", "=")]
        names = [c for c in node.children if c.type == "variable_name"]
        values = [c for c in node.children if c.type in ("word", "string", "raw_string")]
        if ops and names and values:
            self.note_alias(names[0], values[-1])

    # commands

    def walk(self, node):
        if node.type == "ERROR":
            self.script.errors.append((node.start_byte, node.end_byte))
            return
        if node.type == "command":
            self.command(node)
        elif node.type == "test_command":
            self.test_guard(node)
        for child in _kids(node):
            if child.type == "heredoc_body":
                continue
            self.walk(child)

    def test_guard(self, node):
        for child in node.children:
            if child.type == "unary_expression":
                kids = child.children
                if len(kids) == 2 and node_text(kids[0], self.src) in ("-x", "-f", "-e"):
                    tool = tool_of(make_word(kids[1], self.src).value, self.tools)
                    if tool and kids[1].type != "simple_expansion":
                        self.script.guards.append(Guard(tool, node.start_byte, node.end_byte))

    def command(self, node):
        src = self.src
        children = list(node.children)
        # tree-sitter-bash folds `a=1 b=2<newline>cmd` into one command: the
        # assignments before a bare newline are statements of their own.
        first = 0
        for i in range(1, len(children)):
            gap = src[children[i - 1].end_byte : children[i].start_byte]
            if b"\n" in gap.replace(b"\\\n", b""):
                first = i
        self.folded[node.id] = [_assignment(c, src) for c in children[:first] if c.type == "variable_assignment"]
        children = children[first:]
        name_nodes = [c for c in children if c.type == "command_name"]
        if not name_nodes:
            return
        name_node = name_nodes[0]
        prefix = tuple(make_word(c, src) for c in children if c.type == "variable_assignment" and c.end_byte <= name_node.start_byte)
        inner = name_node.children[0] if name_node.children else name_node
        args = [
            make_word(c, src)
            for i, c in enumerate(node.children)
            if c.start_byte > name_node.start_byte and node.field_name_for_child(i) == "argument"
        ]
        stmt, redirects, oddity, glued = self.statement_of(node)
        if glued:
            args = sorted(args + glued, key=lambda w: w.start)
        site = {"prefix": prefix, "netns": None, "single_only": False}
        name, args, tool = self.unwrap(make_word(inner, src), args, site)
        if tool is None:
            self.note_indirect(name, args, node)
        if tool is None and name.value in ("command", "which", "type", "hash") and args:
            looked_up = tool_of(args[-1].value, self.tools)
            if looked_up:
                self.script.guards.append(Guard(looked_up, node.start_byte, node.end_byte))
        start = children[0].start_byte
        blocks, statement_of = self.placement(stmt)
        found = Site(
            start=start,
            end=node.end_byte,
            stmt_start=start,
            stmt_end=stmt.end_byte,
            name=name,
            tool=tool,
            args=tuple(args),
            prefix=site["prefix"],
            netns=site["netns"],
            redirects=tuple(redirects),
            usage=self.uses.of(node, redirects),
            standalone=stmt is node and self.is_statement(node),
            stmt_standalone=self.is_statement(stmt),
            top_level=self.is_top_level(stmt),
            oddity=oddity,
            single_only=site["single_only"],
            blocks=blocks,
            statement_of=statement_of,
        )
        self.site_of[node.id] = found
        self.script.sites.append(found)

    def note_indirect(self, name: Word, args: list[Word], node) -> None:
        program = os.path.basename(name.value or "")
        if program in _INDIRECT_ARGS:
            for w in args:
                tool = tool_of(w.value, self.tools)
                if tool:
                    self.script.indirect.append(Indirect(tool, program, node.start_byte, node.end_byte))
                    return
        elif program in _INDIRECT_STRING:
            for w in args:
                tools = tools_in_string(w.value or "", self.tools)
                if tools:
                    self.script.indirect.append(Indirect(tools[0], program, node.start_byte, node.end_byte))
                    return

    def unwrap(self, name: Word, args: list[Word], site: dict):
        """See through sudo, env, exec ... and `ip netns exec NS`; resolve $VAR names."""
        for _ in range(8):
            value = name.value
            if value is None:
                var = name.parts[0].name if len(name.parts) == 1 and isinstance(name.parts[0], Var) else None
                return name, args, self.script.aliases.get(var) if var else None
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

    def statement_of(self, node):
        """The redirected statement around a command, its redirects, any odd shape, and argument words.

        Only digits before ``>`` make a file descriptor; tree-sitter also takes
        ``-a2`` in ``ls -a2>/dev/null`` for one, where bash sees the argument
        ``-a2`` and a redirection of standard output.
        """
        parent = node.parent
        if parent is None or parent.type != "redirected_statement" or parent.child_by_field_name("body") != node:
            return node, [], None, []
        redirects, oddity, glued = [], None, []
        for child in parent.children:
            if child.type == "heredoc_redirect":
                oddity = "a here-document feeds it"
            if child.type != "file_redirect" and child.type != "herestring_redirect":
                continue
            fd, op, targets, start = None, None, [], child.start_byte
            for c in child.children:
                if c.type == "file_descriptor":
                    text = node_text(c, self.src)
                    if text.isascii() and text.isdigit():
                        fd = int(text)
                    else:
                        glued.append(Word(text=text, parts=(Lit(text),), start=c.start_byte, end=c.end_byte))
                        oddity = f"the argument {text} runs into the redirection after it"
                        start = c.end_byte
                elif c.type in (">", ">>", "<", "&>", "&>>", ">&", "<&", ">|", "<<<", "<>", "&>|"):
                    op = c.type
                elif child.field_name_for_child(child.children.index(c)) == "destination" or c.is_named:
                    targets.append(c)
            if len(targets) > 1:
                oddity = "words follow a redirection in the middle of the command"
            target = make_word(targets[0], self.src) if targets else None
            redirects.append(Redirect(op or "", fd, target, start, child.end_byte))
        return parent, redirects, oddity, glued

    def placement(self, stmt) -> tuple[tuple, object]:
        """The statement lists around a statement, and the one it runs in unconditionally.

        An if's then-branch is a list of its own (the else branch must not see
        what the then branch set), named ("then", if-node).
        """
        blocks = []
        child, parent = stmt, stmt.parent
        while parent is not None:
            if parent.type == "if_statement":
                if not in_condition(parent, child) and child.type not in ("elif_clause", "else_clause"):
                    blocks.append(("then", parent.id))
            elif parent.type in _BLOCKS:
                blocks.append(parent.id)
            child, parent = parent, parent.parent
        statement_of = None
        if self.is_statement(stmt) and stmt.parent is not None:
            statement_of = ("then", stmt.parent.id) if stmt.parent.type == "if_statement" else stmt.parent.id
        return tuple(blocks), statement_of

    def is_statement(self, node) -> bool:
        parent = node.parent
        if parent is None:
            return False
        if parent.type in _STATEMENT_PARENTS:
            return True
        if parent.type in ("if_statement", "elif_clause", "while_statement"):
            return not in_condition(parent, node)
        return False

    def is_top_level(self, stmt) -> bool:
        parent = stmt.parent
        if parent is not None and parent.type == "list" and _is_error_ignored_list(parent, self.src):
            parent = parent.parent
        return parent is not None and parent.type == "program"

    # straight-line view

    def collect_top_level(self, root):
        out = self.script.top_level
        for node in _kids(root):
            if node.type == "comment":
                continue
            stmt = node.children[0] if node.type == "list" and _is_error_ignored_list(node, self.src) else node
            body = stmt.child_by_field_name("body") if stmt.type == "redirected_statement" else stmt
            if body is not None and body.type == "command":
                out.extend(self.folded.get(body.id, []))
                site = self.site_of.get(body.id)
                if site is not None:
                    out.append(site)
                else:  # only assignments
                    out.extend(_assignment(c, self.src) for c in body.children if c.type == "variable_assignment")
            elif node.type == "variable_assignment":
                out.append(_assignment(node, self.src))
            elif node.type == "declaration_command":
                out.extend(_assignment(c, self.src) for c in node.children if c.type == "variable_assignment")
            else:
                what = _FLOW_NAMES.get(node.type, node.type.replace("_", " "))
                out.append(Flow(what, node.start_byte, node.end_byte))


_FLOW_NAMES = {
    "if_statement": "an if",
    "while_statement": "a while/until loop",
    "for_statement": "a for loop",
    "c_style_for_statement": "a for loop",
    "case_statement": "a case",
    "function_definition": "a function",
    "pipeline": "a pipeline",
    "list": "an && or || list",
    "subshell": "a subshell",
    "compound_statement": "a { } group",
    "negated_command": "a ! command",
    "test_command": "a test",
    "redirected_statement": "a redirected group",
}


def _kids(node) -> list:
    """A node's children as fresh objects: ``node.children`` is cached on the node, so walking
    the tree with it from the root keeps every node of the tree alive as a Python object."""
    return [node.child(i) for i in range(node.child_count)]


def _is_error_ignored_list(node, src: bytes) -> bool:
    """`CMD || true` / `CMD || :`: the idiom for 'ignore a failure', still a straight line."""
    kids = node.children
    if len(kids) != 3 or kids[1].type != "||" or kids[2].type != "command":
        return False
    return node_text(kids[2], src).strip() in ("true", ":")


def _assignment(node, src: bytes) -> Assignment:
    name = node.child_by_field_name("name")
    value = node.child_by_field_name("value")
    return Assignment(
        name=node_text(name, src) if name is not None else "",
        value=make_word(value, src) if value is not None else Word(text="", parts=(Lit(""),)),
        start=node.start_byte,
    )


# tree-sitter-bash's scanner passes the lookahead code point to isalpha() and
# friends, which index a 384-entry table: a character far beyond it (`{` then
# U+C0686) reads unmapped memory and kills the process (SIGSEGV or SIGBUS;
# tree-sitter/tree-sitter-bash#337). The parser gets the text with every
# non-ASCII byte replaced by '.': byte offsets stay the same, and '.' is what
# bash makes of such a byte, a character of a word, never a name's (`$é`,
# `é=1` are not an expansion and an assignment). Words are read from the real
# bytes. A carriage return too: tree-sitter-bash takes it for a blank, bash
# for a character of the word it touches (`\rbrctl` is not brctl, `do\r` is
# not `do`).
_ASCII_ONLY = (bytes(range(128)) + b"." * 128).replace(b"\r", b".")


def _parse(src: bytes):
    return _parser().parse(src.translate(_ASCII_ONLY))


def scan(text: str, tools) -> Script:
    """Every command of a script, with the tools in ``tools`` recognised however they are called."""
    src = text.encode("utf-8")
    tree = _parse(src)
    return _Scanner(src, tools).run(tree.root_node)


def parse_tree(text: str):
    """The raw tree-sitter tree (for callers that need more than :func:`scan` gives)."""
    return _parse(text.encode("utf-8"))
