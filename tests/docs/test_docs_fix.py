"""--fix: legacy commands in code blocks become modern ones; every other byte stays."""

from __future__ import annotations

import gzip
import json
import os

from docfixtures import FIXTURES

DOC = """# Bridge

Run `brctl addbr br0` no more; prose mentions are not touched:
brctl addbr br0

```console
$ sudo brctl addbr br0
$ sudo brctl addif br0 eth0 eth1
$ ip link set br0 up
```

    brctl addbr br1 && brctl addif br1 <dev> <other>
"""

FIXED = """# Bridge

Run `brctl addbr br0` no more; prose mentions are not touched:
brctl addbr br0

```console
$ sudo ip link add name br0 type bridge
$ sudo ip link set dev eth0 master br0
$ sudo ip link set dev eth1 master br0
$ ip link set br0 up
```

    ip link add name br1 type bridge && ip link set dev <dev> master br1 && ip link set dev <other> master br1
"""


def test_fix_rewrites_code_blocks_only(cli, tmp_path):
    doc = tmp_path / "bridge.md"
    doc.write_text(DOC)
    result = cli("check", "--fix", doc)
    assert result.exit_code == 0, result.output
    assert doc.read_text() == FIXED
    # a second pass finds nothing left to modernise
    again = cli("check", "--format", "json", doc)
    assert json.loads(again.stdout) == []


def test_fix_keeps_a_gzipped_man_page_gzipped_and_escaped(cli, tmp_path):
    with open(os.path.join(FIXTURES, "bridge-demo.8"), "rb") as f:
        source = f.read()
    page = tmp_path / "bridge-demo.8.gz"
    page.write_bytes(gzip.compress(source))
    cli("check", "--fix", page)
    text = gzip.decompress(page.read_bytes()).decode()
    expected = source.decode().replace("brctl addbr br0\n", "ip link add name br0 type bridge\n", 1)
    # a filled paragraph (the command spans two source lines) gets one command per output line
    expected = expected.replace(
        "brctl addif br0\neth0 eth1\n", "ip link set dev eth0 master br0\n.br\nip link set dev eth1 master br0\n"
    )
    # the broken no-fill examples (setfd -1, sethelo) are left alone
    assert text == expected


def test_fix_leaves_files_without_legacy_commands_byte_identical(cli, tmp_path):
    with open(os.path.join(FIXTURES, "good.md"), "rb") as f:
        data = f.read()
    doc = tmp_path / "good.md"
    doc.write_bytes(data)
    mtime = os.stat(doc).st_mtime_ns
    cli("check", "--fix", doc)
    assert doc.read_bytes() == data and os.stat(doc).st_mtime_ns == mtime


def test_fix_keeps_a_byte_order_mark_and_crlf_lines(cli, tmp_path):
    doc = tmp_path / "win.md"
    doc.write_bytes(b"\xef\xbb\xbf# T\r\n\r\n```sh\r\nbrctl addbr br0\r\n```\r\n")
    cli("check", "--fix", doc)
    assert doc.read_bytes() == b"\xef\xbb\xbf# T\r\n\r\n```sh\r\nip link add name br0 type bridge\r\n```\r\n"
