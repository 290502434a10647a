"""Commands written the ways real documents write them are found, and prose still is not.

Each case is a document with commands in one of the forms the readers used to
skip (a console block without prompts, ``bash# ``, ``.RS`` sessions in a man
page, list items, ``#ip``); every command has a mistake or is legacy, so a
command that is found shows up as a finding at its line.
"""

from __future__ import annotations

import pytest

from netscript.docs.checker import check_document
from netscript.source import Source, read


def found_lines(name: str, text: str) -> list[int]:
    return sorted({d.span.line for d in check_document(Source(name, text))})


RST_CONSOLE = """Title
=====

.. code-block:: console

   ip link set eth0 mastr br0
   brctl addbr br1
   some-other-tool --flag

After.
"""


def test_a_console_block_without_prompts_is_read_like_an_untagged_block():
    assert found_lines("a.rst", RST_CONSOLE) == [6, 7]
    markdown = "```console\nip link set eth0 mastr br0\nbrctl addbr br1\n```\n"
    assert found_lines("a.md", markdown) == [2, 3]


def test_with_prompts_a_console_blocks_unprompted_lines_are_still_output():
    markdown = "```console\n$ brctl show\nbridge name  bridge id  STP enabled\nbrctl addbr br0\n```\n"
    assert found_lines("a.md", markdown) == [2]


@pytest.mark.parametrize(
    "prompt",
    ["bash# ", "root# ", "sh-4.2# ", "bash-5.1$ ", "guest% ", "% ", "zsh% ", "#"],
)
def test_prompts_documents_use(prompt):
    # the kernel's own ipvlan.rst writes `bash# ip link add ...`; csh and zsh users `% `
    text = f"Literal::\n\n    {prompt}brctl addbr br0\n    {prompt}ip link set eth0 upp\n"
    assert found_lines("a.rst", text) == [3, 4]
    cut = text.split("\n")[2].index("brctl") + 1
    assert [d.span.col for d in check_document(Source("a.rst", text)) if d.span.line == 3] == [cut]


def test_a_word_glued_to_a_prompt_character_before_prose_is_not_a_prompt():
    # `#ip` counts only before a command; `#` before a word, or a note, stays a comment
    text = "```sh\n#include this\n#iptables is another story\nroot# echo hello\n```\n"
    assert found_lines("a.md", text) == []


def test_a_commented_out_command_without_a_space_does_not_turn_the_block_into_a_session():
    # `#ip` is a prompt, but not evidence that unprompted lines are output
    text = "```sh\n#ip link set eth0 down\nbrctl addbr br0\n```\n"
    assert found_lines("a.md", text) == [3]


LIST = """How to set up the bond

a) ip link add name bond0 type bond mode 802.3ad
(b) brctl addbr br9
1. ip link set eth0 mastr bond0
2) vconfig add eth0 5
- ip link set bond0 upp
* brctl addif br9 eth1
- ip is the new tool for this, ifconfig is deprecated
1. brctl is the old tool and ip link the new one.
"""


def test_list_items_whose_rest_is_a_command_are_commands():
    # only what its tool's parser reads without an error counts after a list marker, as at
    # the start of a plain-text line: the legacy commands are found, prose is not (nor,
    # the price of that, an item with a mistake: `mastr`, `upp`)
    assert found_lines("howto.txt", LIST) == [4, 6, 8]
    block = "```text\n" + LIST.split("\n\n", 1)[1] + "```\n"
    assert found_lines("howto.md", block) == [3, 5, 7]
    fixed = [d.fix.edits[0].text for d in check_document(Source("howto.txt", LIST)) if d.fix]
    assert fixed == ["ip link add name br9 type bridge", "ip link add link eth0 name eth0.5 type vlan id 5",
                     "ip link set dev eth1 master br9"]


def test_a_list_item_fixed_into_several_commands_stays_one_item(cli, tmp_path):
    doc = tmp_path / "steps.txt"
    doc.write_text("Steps:\n\n1. brctl addbr br0\n2. brctl addif br0 eth0 eth1\n3. ip link set br0 up\n")
    cli("check", "--fix", doc)
    assert doc.read_text() == (
        "Steps:\n\n1. ip link add name br0 type bridge\n"
        "2. ip link set dev eth0 master br0 && ip link set dev eth1 master br0\n3. ip link set br0 up\n"
    )


MAN_RS = r""".TH DEMO 8
.SH DESCRIPTION
To make a bridge, run:
.PP
.RS 2m
$ brctl addbr br0
.RE
.PP
A session with a continuation and output:
.RS 4
# ip link set dev eth0 \e
    mastr br0
Error: something
$ brctl addif br0 eth1
.RE
.PP
.RS
A description that mentions ip link set in passing is not read.
.RE
.SH EXAMPLES
.PP
$ brctl addbr br1
$ ip link set br1 upp
"""


def test_man_page_rs_blocks_of_prompted_commands_are_read():
    found = check_document(Source("demo.8", MAN_RS))
    assert sorted({d.span.line for d in found}) == [6, 12, 14, 22, 23]
    # the continued command is one command: its mistake is at the word on the next line
    assert [(d.span.line, d.span.col, d.code) for d in found if d.code == "NS403"] == [(12, 5, "NS403"), (23, 19, "NS403")]


def test_iproute2s_own_man_pages_stay_clean():
    import glob

    pages = glob.glob("/usr/share/man/man8/ip*.8.gz") + glob.glob("/usr/share/man/man8/bridge.8.gz")
    if not pages:
        pytest.skip("iproute2's man pages are not installed")
    for page in pages:
        text = read(page).text
        errors = [d for d in check_document(Source(page, text)) if d.is_error]
        assert errors == [], page


def test_markdown_list_items_outside_code_are_read_but_not_rewritten(cli, tmp_path):
    text = "# Steps\n\n1. brctl addbr br0\n2. brctl addif br0 eth0\n3. Bring it up\n\n- ip is the new tool\n- `brctl addbr x`\n"
    found = check_document(Source("steps.md", text))
    assert [(d.span.line, d.code) for d in found] == [(3, "NS401"), (4, "NS401")]
    assert all(d.fix is None for d in found)  # --fix rewrites code blocks only
    doc = tmp_path / "steps.md"
    doc.write_text(text)
    cli("check", "--fix", doc)
    assert doc.read_text() == text
