"""netscript(1) is what the commands say, and man finds it in a virtual environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO

from netscript.cli import main
from netscript.cli.manpage import page

PAGE = os.path.join(REPO, "man", "netscript.1")


def test_the_committed_page_is_what_the_commands_say_now():
    with open(PAGE, encoding="utf-8") as f:
        committed = f.read()
    assert committed == page(), "regenerate it: python -m netscript.cli.manpage > man/netscript.1"


def test_every_command_and_option_is_on_the_page():
    import click

    text = page()
    ctx = click.Context(main, info_name="netscript")
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert f".SS netscript {name} " in text
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if isinstance(param, click.Option) and param.help:
                    assert opt.replace("-", "\\-") in text, (name, opt)


@pytest.mark.skipif(shutil.which("man") is None, reason="needs man-db (tests/system-packages.txt)")
def test_man_renders_it_without_warnings():
    done = subprocess.run(["man", "--warnings", "-l", PAGE], capture_output=True, text=True,
                          env={**os.environ, "MANWIDTH": "80", "MANPAGER": "cat"}, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "netscript apply [OPTIONS] SPEC" in done.stdout


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="not in the virtual environment tests/run makes")
@pytest.mark.skipif(shutil.which("man") is None, reason="needs man-db (tests/system-packages.txt)")
def test_man_netscript_finds_the_page_in_the_virtual_environment():
    # man-db maps a PATH entry DIR/bin to DIR/share/man: `man netscript` works once the venv's bin is on PATH
    installed = os.path.join(sys.prefix, "share", "man", "man1", "netscript.1")
    env = {**os.environ, "PATH": os.path.join(sys.prefix, "bin") + os.pathsep + "/usr/bin:/bin"}
    env.pop("MANPATH", None)
    found = subprocess.run(["man", "-w", "netscript"], capture_output=True, text=True, env=env, check=False)
    assert found.stdout.strip() == installed, found.stderr
