"""How a script uses a command besides running it: is its output parsed, its status tested?

Read outwards from the command through the shell's structure (the
:class:`~.syntax.Frame` chain of its ``CallExpr``): a pipeline or ``$(...)``
parses the output, a redirection to a file keeps it, one to /dev/null
discards it; a condition, ``&&``/``||`` or ``!`` tests the status, and so does
a caller that tests the function whose last command it is. A redirection
belongs to the statement it is written on (``a || b >f`` gives it to ``b``
alone), as bash has it and as mvdan/sh's tree says.
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


_WRITES = (">", ">>", "&>", ">&", ">|", "&>>")


class UsageReader:
    """Usage of the commands of one parsed script (``calls``: every ``(CallExpr, frame)`` in it)."""

    def __init__(self, src: bytes, calls: list):
        self.src = src
        self.calls = calls
        self.testing: dict = {}  # function name -> whether a caller tests its status

    def of(self, frame, redirects) -> Usage:
        """How the script uses a command (``frame``: where its CallExpr sits; ``redirects``: its own)."""
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
            target = r.target.value if r.target is not None else None
            settle(r.writes_stdout, target if target is not None or r.target is None else r.target.text)  # `> "$LOG"`: a file
        status_open = True  # our status is still the status of the enclosing construct
        own = frame.node  # the statement the command is
        while frame is not None:
            kind, node = frame.kind, frame.node
            if kind == "File":
                return use
            if kind == "Stmt":
                if node is not own:  # a compound's statement: its redirections hold for what is inside
                    for r in node.get("Redirs") or ():
                        self.settle_redirect(r, settle)
                if node.get("Negated") and status_open:
                    use |= Usage.STATUS_TESTED
                    status_open = False
            elif kind == "BinaryCmd":
                if node["Op"] in ("|", "|&"):
                    if frame.field == "X":
                        settle(True, "|")
                        status_open = False
                elif frame.field == "X" and status_open:  # && and ||
                    use |= Usage.STATUS_TESTED
                    status_open = False
            elif kind in ("IfClause", "WhileClause") and frame.field in ("Cond", "Then", "Do"):
                if frame.field == "Cond":
                    if status_open:
                        use |= Usage.STATUS_TESTED
                    status_open = False
                elif kind == "WhileClause" or not frame.last:
                    status_open = False  # the last command of a branch gives the if its status
            elif kind in ("ForClause", "CaseItem", "Block", "Subshell") and frame.field in ("Do", "Stmts"):
                if not frame.last:
                    status_open = False
            elif kind in ("CmdSubst", "ProcSubst"):
                settle(True, "$(")
                return use
            elif kind == "FuncDecl":
                if status_open and self.function_tested(node):
                    use |= Usage.STATUS_TESTED  # the function returns it, and a caller tests it
                return use
            frame = frame.up
        return use

    def function_tested(self, definition: dict) -> bool:
        """Whether any call of the function tests its status (unknown callers count as testing)."""
        name = definition["Name"].get("Value", "")
        if name in self.testing:
            return self.testing[name]
        self.testing[name] = True  # a recursive call: assume the worst while we look
        calls = [frame for call, frame in self.calls if self.called_name(call) == name]
        self.testing[name] = not calls or any(Usage.STATUS_TESTED in self.of(f, []) for f in calls)
        return self.testing[name]

    def called_name(self, call: dict) -> str | None:
        args = call.get("Args")
        return node_text(args[0], self.src) if args else None

    def settle_redirect(self, redirect: dict, settle):
        n = redirect.get("N")
        fd = n.get("Value") if n else None
        target = redirect.get("Word")
        if redirect["Op"] in _WRITES and fd in (None, "1"):
            settle(True, node_text(target, self.src) if target else None)
