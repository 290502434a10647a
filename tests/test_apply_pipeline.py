"""The netlink backend's request pipeline against the kernel, in a fresh namespace.

Requests are queued, sent by a thread several to a ``send()``, and their
answers read later: each answer must still find its request, requests must
take effect in the order they were queued, and a send the kernel refuses
outright must fail only the requests it carried.
"""

from __future__ import annotations

import errno
import socket

import pytest
from kernelstate import links

from netscript.backends.netlink.kernel import _link_request
from netscript.backends.netlink.pipeline import Pipeline
from netscript.netlink import rtnl, wire

IFLA_IFALIAS = 20


def bridge(name: str, **attrs):
    return _link_request("add", ifname=name, IFLA_LINKINFO={"attrs": [("IFLA_INFO_KIND", "bridge")]}, **attrs)


def pipeline_in(netns):
    sockets: dict = {}
    return Pipeline(lambda ns: sockets.setdefault(ns, rtnl.RtnlSocket(ns))), sockets


def test_queued_requests_take_effect_in_order_and_each_answer_finds_its_request(netns):
    pipeline, sockets = pipeline_in(netns)
    try:
        made = [pipeline.send(netns, *bridge(f"pb{i}")) for i in range(300)]
        taken = pipeline.send(netns, *bridge("pb7"))  # the name is taken by then: EEXIST
        gone = pipeline.send(netns, *_link_request("del", ifname="pb1"))
        # only if the delete went first can a veth get pb1's name
        again = pipeline.send(netns, *_link_request(
            "add", ifname="pb1", IFLA_LINKINFO={"attrs": [("IFLA_INFO_KIND", "veth")]}))
        answers = pipeline.settle()
    finally:
        pipeline.close()
        for sock in sockets.values():
            sock.close()

    assert set(answers) == {*made, taken, gone, again}
    assert answers[taken] is not None and answers[taken].code == errno.EEXIST
    assert [t for t, error in answers.items() if error is not None] == [taken]
    live = links(netns)
    assert {f"pb{i}" for i in range(300)} <= set(live)
    assert live["pb1"]["linkinfo"]["info_kind"] == "veth"
    assert live["pb2"]["linkinfo"]["info_kind"] == "bridge"


def test_a_send_the_kernel_refuses_fails_only_the_requests_it_carried(netns):
    pipeline, sockets = pipeline_in(netns)
    try:
        first = pipeline.send(netns, *bridge("pa1"))
        pipeline.flush()  # the socket exists now: give it the smallest send buffer the kernel allows
        sockets[netns].sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1)
        limit = sockets[netns].send_limit()
        with pipeline._sender._ready:  # the sender waits: it finds all three queued and must split them
            before = pipeline.send(netns, *bridge("pa2"))
            msg_type, flags, body = bridge("pa3")
            too_long = pipeline.send(netns, msg_type, flags, body + wire.attribute(IFLA_IFALIAS, b"x" * limit))
            after = pipeline.send(netns, *bridge("pa4"))
        answers = pipeline.settle()
    finally:
        pipeline.close()
        for sock in sockets.values():
            sock.close()

    assert answers[too_long] is not None and answers[too_long].code == errno.EMSGSIZE
    # the requests queued around it went out in sends of their own, within the limit
    assert answers[first] is None and answers[before] is None and answers[after] is None
    assert {"pa1", "pa2", "pa4"} <= set(links(netns)) and "pa3" not in links(netns)


def test_a_namespace_deleted_since_the_state_was_read_is_a_kernel_error_so_apply_rolls_back():
    from netscript.backends.netlink.kernel import Kernel, KernelError
    from netscript.frontends.kernel.state import KernelState
    from netscript.ir.model import AdminState

    kernel = Kernel(KernelState())
    try:
        with pytest.raises(KernelError) as refused:
            kernel.set_state("ns-that-was-deleted", "e0", AdminState.UP)
    finally:
        kernel.close()
    assert refused.value.code == errno.ENOENT
    assert "ns-that-was-deleted" in refused.value.describe()
