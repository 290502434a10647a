"""What iproute2's ``ip link`` accepts for a type: the types, and how a kind's keywords are read.

`ip` reads most words with ``matches()``: a word is taken for the first
keyword, in the order ip tries them, that it is a prefix of (``ip l s``
is ``ip link set``; objects and commands are grammars/ip.lark's, the words of
``ip link add|set`` grammars/ip_link.lark's). A word that is a prefix of none
is an error ip reports
("Object \"lnik\" is unknown", "Command \"sett\" is unknown", "either
\"dev\" is duplicate, or \"upp\" is a garbage"), and so is it here, with a
did-you-mean. A kind's own keywords live in its module (:mod:`netscript.kinds`):
the settings netscript models, plus ``KindSpec.ip_other``, the words ip takes
for that type that a spec has no place for. Lists are iproute2 6.1's (Debian
12); tests/test_ip_commands_checked.py holds the kinds' words to the installed ``ip``'s help.
"""

from __future__ import annotations

from .word_grammar import abbreviation

# Every type `ip link add ... type TYPE` knows (ip-link(8)); netscript models some of them.
LINK_TYPES = (
    "amt", "bareudp", "bond", "bond_slave", "bridge", "bridge_slave", "can", "dsa", "dummy", "erspan",
    "geneve", "gre", "gretap", "gtp", "hsr", "ifb", "ip6erspan", "ip6gre", "ip6gretap", "ip6tnl", "ipip",
    "ipoib", "ipvlan", "ipvtap", "lowpan", "macsec", "macvlan", "macvtap", "netdevsim", "netkit", "nlmon",
    "rmnet", "sit", "team", "team_slave", "vcan", "veth", "virt_wifi", "vlan", "vrf", "vti", "vti6",
    "vxcan", "vxlan", "wireguard", "wwan", "xfrm", "batadv",
)  # fmt: skip


def resolve(word: str, choices) -> str | None:
    """The keyword ``word`` stands for, as ip's matches() picks it: exact, else the first it abbreviates."""
    if word in choices:
        return word
    return abbreviation(word, list(choices))
