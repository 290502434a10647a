"""Which commands of a block are alternatives (netscript/docs/branches.py): the path of each
command through case items, if/elif/else branches and function bodies, by document offset."""

from __future__ import annotations

from netscript.docs import branches
from netscript.docs.document import Block, Document

# The block sits after a fence and a line of non-ASCII text, so that a path's offsets
# are the document's bytes, not the block's characters.
SCRIPT = """```sh
# café – réseau
ip link add a type dummy
if ip link show b; then
  ip link add c type dummy
elif ip link show d; then
  ip link add e type dummy
else
  ip link add f type dummy
fi
setup() {
  ip link add g type dummy
}
case "$1" in
start) ip link set a up ;;
stop) if true; then ip link del a; fi ;;
esac
```
"""


def paths_of(text: str, *commands: str) -> tuple[Document, dict[str, branches.Path]]:
    doc = Document("t.md", text, "markdown")
    block = Block(tuple(doc.lines()[1:-1]))  # inside the fence
    starts = {command: doc.data.index(command.encode()) for command in commands}
    found = branches.paths(block, list(starts.values()))
    return doc, {command: found[start] for command, start in starts.items()}


def at(doc: Document, text: str) -> int:
    return doc.data.index(text.encode())


def test_each_command_has_the_alternatives_it_sits_in_outermost_first():
    commands = ["ip link add a", "ip link show b", "ip link add c", "ip link show d", "ip link add e",
                "ip link add f", "ip link add g", "ip link set a up", "ip link del a"]
    doc, found = paths_of(SCRIPT, *commands)
    first_if = ("IfClause", at(doc, "if ip link show b"))
    case = ("CaseClause", at(doc, "case"))
    assert found == {
        "ip link add a": (),
        "ip link show b": (),  # the condition runs whichever branch follows
        "ip link add c": ((first_if, 0),),
        "ip link show d": ((first_if, 1),),  # an elif's condition runs only when its branch is tried
        "ip link add e": ((first_if, 1),),
        "ip link add f": ((first_if, 2),),
        "ip link add g": ((("FuncDecl", at(doc, "setup()")), -1),),
        "ip link set a up": ((case, 0),),
        "ip link del a": ((case, 1), (("IfClause", at(doc, "if true")), 0)),
    }
    on_line = [c for c in commands if branches.on_straight_line(found[c])]
    assert on_line == ["ip link add a", "ip link show b", "ip link add c", "ip link set a up"]


def test_a_command_in_a_substitution_has_the_path_of_the_innermost_command():
    doc, found = paths_of("```sh\ncase x in\ny) echo $(ip link show z) ;;\nesac\n```\n", "ip link show z", "echo")
    case = ("CaseClause", at(doc, "case"))
    assert found == {"ip link show z": ((case, 0),), "echo": ((case, 0),)}


def test_a_block_without_control_words_is_a_straight_line():
    _, found = paths_of("```sh\nip link add a type dummy && ip link set a up\n```\n", "ip link add a", "ip link set a")
    assert found == {"ip link add a": (), "ip link set a": ()}
