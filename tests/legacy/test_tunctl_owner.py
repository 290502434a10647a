"""tunctl gives a tap without -u to the user it runs as (geteuid()); so does the translation.

``$(id -u)`` is expanded by the calling shell before ``sudo`` runs, so under ``sudo``
it named the user who typed the command, where tunctl, running as root, used root.
The translation names the user the command runs as: sudo's or doas's target (root
unless ``-u``), the caller otherwise.
"""

from __future__ import annotations

import pytest

from netscript.frontends.legacy.model import Options
from netscript.frontends.legacy.rewrite import translate_script

OWNERS = [
    ("tunctl -t tap0", 'ip tuntap add dev tap0 mode tap user "$(id -u)"'),
    ("sudo tunctl -t tap0", "sudo ip tuntap add dev tap0 mode tap user 0"),
    ("sudo -E tunctl -t tap0", "sudo -E ip tuntap add dev tap0 mode tap user 0"),
    ("doas tunctl -t tap0", "doas ip tuntap add dev tap0 mode tap user 0"),
    ("/usr/bin/sudo -n tunctl -t tap0", "/usr/bin/sudo -n ip tuntap add dev tap0 mode tap user 0"),
    ("sudo -u bob tunctl -t tap0", "sudo -u bob ip tuntap add dev tap0 mode tap user bob"),
    ("sudo -ubob tunctl -t tap0", "sudo -ubob ip tuntap add dev tap0 mode tap user bob"),
    ("sudo --user=bob tunctl -t tap0", "sudo --user=bob ip tuntap add dev tap0 mode tap user bob"),
    ('sudo -u "$VMUSER" tunctl -t tap0', 'sudo -u "$VMUSER" ip tuntap add dev tap0 mode tap user "$VMUSER"'),
    # sudo's #UID form
    ("sudo -u '#1000' tunctl -t tap0", "sudo -u '#1000' ip tuntap add dev tap0 mode tap user 1000"),
    # -g alone keeps the caller's user
    ("sudo -g kvm tunctl -t tap0", 'sudo -g kvm ip tuntap add dev tap0 mode tap user "$(id -u)"'),
    # an owner given to tunctl is the owner, whoever runs it
    ("sudo tunctl -u 1001 -t tap0", "sudo ip tuntap add dev tap0 mode tap user 1001"),
    ("ip netns exec lab sudo tunctl -t tap0", "ip netns exec lab sudo ip tuntap add dev tap0 mode tap user 0"),
    ("sudo nice -n 5 tunctl -t tap0", "sudo nice -n 5 ip tuntap add dev tap0 mode tap user 0"),
]


@pytest.mark.parametrize("legacy,modern", OWNERS)
def test_the_owner_is_the_user_the_command_runs_as(legacy, modern):
    assert translate_script(legacy + "\n", "t.sh", Options()).text == modern + "\n"
