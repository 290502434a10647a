"""What iproute2's ``ip link`` accepts, word by word: keywords and link types.

`ip` reads most words with ``matches()``: a word is taken for the first
keyword, in the order ip tries them, that it is a prefix of (``ip l s``
is ``ip link set``; objects and commands are grammars/ip.lark's). A word
that is a prefix of none is an error ip reports
("Object \"lnik\" is unknown", "Command \"sett\" is unknown", "either
\"dev\" is duplicate, or \"upp\" is a garbage"), and so is it here, with a
did-you-mean. A kind's own keywords live in its module (:mod:`netscript.kinds`):
the settings netscript models, plus ``KindSpec.ip_other``, the words ip takes
for that type that a spec has no place for. Lists are iproute2 6.1's (Debian
12); tests/test_ip_commands_checked.py holds the kinds' words to the installed ``ip``'s help.
"""

from __future__ import annotations

from .word_grammar import abbreviation

# `ip link add/set` words that are not a kind's: word -> how many values follow it
# (REST: the rest of the command is its own, as `vf 0 mac ... vlan ...` and `xdp obj F sec S` are).
REST = -1
LINK_WORDS = {
    "dev": 1, "name": 1, "link": 1, "parentdev": 1, "index": 1, "up": 0, "down": 0, "type": 1,
    "arp": 1, "dynamic": 1, "multicast": 1, "allmulticast": 1, "promisc": 1, "trailers": 1, "carrier": 1,
    "txqueuelen": 1, "qlen": 1, "txqlen": 1, "address": 1, "broadcast": 1, "brd": 1, "peer": 1, "mtu": 1,
    "netns": 1, "link-netns": 1, "link-netnsid": 1, "alias": 1, "vf": REST, "xdp": REST, "xdpgeneric": REST,
    "xdpdrv": REST, "xdpoffload": REST, "master": 1, "vrf": 1, "nomaster": 0, "addrgenmode": 1, "protodown": 1,
    "protodown_reason": 2, "gso_max_size": 1, "gso_max_segs": 1, "gro_max_size": 1, "gso_ipv4_max_size": 1,
    "gro_ipv4_max_size": 1, "numtxqueues": 1, "numrxqueues": 1, "group": 1, "mode": 1, "state": 1,
}  # fmt: skip

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
