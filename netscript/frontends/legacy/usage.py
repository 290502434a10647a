"""How a script uses a command besides running it: is its output parsed, its status tested?

Read outwards from the command through the shell's structure: a pipeline
or ``$(...)`` parses the output, a redirection to a file keeps it, one to
/dev/null discards it; a condition, ``&&``/``||`` or ``!`` tests the status,
and so does a caller that tests the function whose last command it is.
tree-sitter-bash hangs ``a || b >f`` on the whole list; bash gives the
redirection to ``b`` alone, and so does this module.
"""

from __future__ import annotations

import enum

from .shell_words import node_text


class Usage(enum.Flag):
    """What the script does with a command besides running it."""

    NONE = 0
    OUTPUT_PARSED = enum.auto()  # stdout piped, captured by $(...) or written to a file
    OUTPUT_DISCARDED = enum.auto()  # stdout sent to /dev/null
    STATUS_TESTED = enum.auto()  # exit status chooses a branch (if, while, &&, ||, !)


class UsageReader:
    """Usage of the commands of one parsed script (``commands``: every command node in it)."""

    def __init__(self, src: bytes, commands: list):
        self.src = src
        self.commands = commands
        self.testing: dict = {}  # function name -> whether a caller tests its status

    def of(self, node, redirects) -> Usage:
        """How the script uses the command's output and status, read outwards from it."""
        use = Usage.NONE
        decided = False  # where stdout goes is settled by the innermost redirection

        def settle(writes_stdout: bool, target: str | None):
            nonlocal use, decided
            if decided or not writes_stdout:
                return
            decided = True
            if target == "/dev/null":
                use |= Usage.OUTPUT_DISCARDED
            elif target is not None and not target.isdigit():
                use |= Usage.OUTPUT_PARSED  # a file; `>&2` only shows it elsewhere

        for r in redirects:
            settle(r.writes_stdout, r.target.value if r.target else None)
        status_open = True  # our status is still the status of the enclosing construct
        last_in_body = True  # we end the enclosing list or pipeline (redirections there are ours)
        child = node.parent if node.parent is not None and node.parent.type == "redirected_statement" else node
        parent = child.parent
        while parent is not None:
            t = parent.type
            if t == "program":
                return use  # before listing its children: a 100k-command script has them all there
            last = _is_last(parent, child)
            if t == "pipeline":
                if not last:
                    settle(True, "|")
                    status_open = False
                last_in_body &= last
            elif t == "list":
                if not last and status_open:
                    use |= Usage.STATUS_TESTED
                    status_open = False
                last_in_body &= last
            elif t == "negated_command" and status_open:
                use |= Usage.STATUS_TESTED
                status_open = False
            elif t in ("if_statement", "elif_clause", "else_clause", "while_statement", "case_item") and status_open:
                if t != "else_clause" and t != "case_item" and in_condition(parent, child):
                    use |= Usage.STATUS_TESTED
                    status_open = False
                elif t == "while_statement" or not _ends_branch(parent, child):
                    status_open = False  # the last command of a branch gives the if (or case) its status
            elif t in ("command_substitution", "process_substitution"):
                settle(True, "$(")
                return use
            elif t == "redirected_statement":
                # tree-sitter hangs `a || b >f` on the list; bash gives the redirection to b alone
                if child.type not in ("list", "pipeline") or last_in_body:
                    for c in parent.children:
                        if c.type == "file_redirect":
                            self.settle_redirect(c, settle)
                last_in_body = True
            elif t in ("compound_statement", "subshell", "do_group"):
                if not last:
                    status_open = False
                last_in_body = True
            elif t == "function_definition":
                if status_open and self.function_tested(parent):
                    use |= Usage.STATUS_TESTED  # the function returns it, and a caller tests it
                return use
            elif t == "program":
                return use
            child, parent = parent, parent.parent
        return use

    def function_tested(self, definition) -> bool:
        """Whether any call of the function tests its status (unknown callers count as testing)."""
        name_node = definition.child_by_field_name("name")
        name = node_text(name_node, self.src) if name_node is not None else ""
        if name in self.testing:
            return self.testing[name]
        self.testing[name] = True  # a recursive call: assume the worst while we look
        calls = [c for c in self.commands if self.called_name(c) == name]
        self.testing[name] = not calls or any(Usage.STATUS_TESTED in self.of(c, []) for c in calls)
        return self.testing[name]

    def called_name(self, command) -> str | None:
        names = [c for c in command.children if c.type == "command_name"]
        return node_text(names[0], self.src) if names else None

    def settle_redirect(self, redirect, settle):
        ops = [k.type for k in redirect.children]
        texts = [node_text(k, self.src) for k in redirect.children if k.type == "file_descriptor"]
        fds = [int(t) for t in texts if t.isascii() and t.isdigit()]  # `-a2>` is a word, not fd 2
        dest = [k for k in redirect.children if k.is_named and k.type != "file_descriptor"]
        if any(o in (">", ">>", "&>", ">&", ">|", "&>>") for o in ops) and fds in ([], [1]):
            settle(True, node_text(dest[0], self.src) if dest else None)


def in_condition(parent, child) -> bool:
    """Whether ``child`` is (part of) the condition of an if/elif/while/until."""
    if parent.type == "elif_clause":
        then = next((c for c in parent.children if c.type == "then"), None)
        return then is not None and child.end_byte <= then.start_byte
    return parent.field_name_for_child(parent.children.index(child)) == "condition"


def _ends_branch(parent, child) -> bool:
    """Whether ``child`` is the last command of its branch (before elif/else/fi, ;; or esac)."""
    siblings = parent.children
    for nxt in siblings[siblings.index(child) + 1 :]:
        if nxt.type in (";", "&", "comment", "\n"):
            continue
        return nxt.type in ("fi", "elif_clause", "else_clause", ";;", "esac", ";&", ";;&")
    return True


def _is_last(parent, child) -> bool:
    """Whether ``child`` is the last named child of ``parent`` (comments aside)."""
    node = parent.last_named_child if hasattr(parent, "last_named_child") else None
    if node is None:
        named = [c for c in parent.children if c.is_named and c.type != "comment"]
        return bool(named) and child == named[-1]
    while node is not None and node.type == "comment":
        node = node.prev_named_sibling
    return node is not None and node == child
