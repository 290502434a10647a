"""Which reader a file gets, by name first and then by content.

``.ns`` is the DSL, ``.sh``/``.bash`` (or a shell ``#!`` line) a shell
script, ``.md``/``.markdown`` Markdown, ``.rst`` reStructuredText, a man page
section suffix (``ip-link.8``, ``bridge.8.gz``) or roff content a man page,
anything else plain text. A ``.gz`` suffix is looked through (the bytes are
decompressed when the file is read).
"""

from __future__ import annotations

import re

# Code-block tags read as shell commands ("" is an untagged block).
SHELL_TAGS = frozenset(
    {
        "",
        "bash",
        "sh",
        "shell",
        "console",
        "shell-session",
        "sh-session",
        "shellsession",
        "zsh",
        "terminal",
        "text",
        "none",
        "plain",
        "plaintext",
        "txt",
    }
)

SKIP_MARKER = "netscript-check: skip"

_MAN_SUFFIX = re.compile(r"\.[1-9][a-z]{0,3}$")


def is_skip_marker(line: str) -> bool:
    """A comment asking to leave the next block alone."""
    return SKIP_MARKER in line


def strip_gz(path: str) -> str:
    return path[:-3] if path.endswith(".gz") else path


def by_name(path: str) -> str | None:
    name = strip_gz(path).lower()
    if name.endswith(".ns"):
        return "dsl"
    if name.endswith((".sh", ".bash")):
        return "shell"
    if name.endswith((".md", ".markdown", ".mdown")):
        return "markdown"
    if name.endswith((".rst", ".rest")):
        return "rst"
    if _MAN_SUFFIX.search(name) or name.endswith((".man", ".roff")):
        return "man"
    if name.endswith((".txt", ".text")):
        return "text"
    return None


def by_content(text: str) -> str:
    head = text[:4096]
    first = head.split("\n", 1)[0]
    if re.match(r"#!\s*/\S*(?:/env\s+)?(?:ba|da|k|z)?sh\b", first) or re.match(r"#!\s*/usr/bin/env\s+(ba|z)?sh\b", first):
        return "shell"
    if re.search(r"^(?:\.TH |\.Dd |\.\\\"|'\\\")", head, re.M) and re.search(r"^\.(?:TH|SH|Dd|Sh) ", head, re.M):
        return "man"
    if re.search(r"^(?:```|~~~)", head, re.M) or (re.search(r"^#{1,6} \S", head, re.M) and not re.search(r"^# \S+ ", head, re.M)):
        return "markdown"
    if re.search(r"^\.\. [a-z-]+::", head, re.M) or (re.search(r"^(={3,}|-{3,}|~{3,})\s*$", head, re.M) and "::\n" in head):
        return "rst"
    return "text"


def detect(path: str, text: str) -> str:
    """dsl, shell, markdown, rst, man or text."""
    return by_name(path) or by_content(text)
