"""Change requests in flight: hand each one to a sender thread, read the kernel's answers later.

Every rtnetlink change an apply makes (links: create, set, delete; addresses:
replace, delete) goes through here, in the order it is made, on the
namespace's one socket. Waiting for each ack cost a round trip through
pyroute2's request machinery (about 0.7 ms of Python per request, most of a
1,900-request apply). The
kernel does not need it: rtnetlink carries out a request entirely inside the
``send()`` that delivers it, so requests take effect in the order they are
sent whether or not anyone has read the answers yet. Only learning the
outcome is put off, and every request carries ``NLM_F_ACK`` and its own
sequence number, so each answer finds its request again.

Sending happens on a thread of its own. The kernel's work on a request runs
inside ``send()``, with the GIL released, so while it works the caller's
thread plans and encodes the next requests: the Python side and the kernel's
work overlap instead of taking turns. The sender takes everything
queued for one socket at once and sends it as one buffer of several netlink
messages; the kernel handles them one after another exactly as if each had
come alone, acking each. Requests leave in the order they were queued.

:meth:`Pipeline.flush` waits until everything queued has been sent. Whatever
must come after the requests queued so far, and does not go through here,
calls it first: anything else on the same socket (:meth:`drain` does), a
tun/tap device (pyroute2's ioctl), a tool (``ip netns``, teamd), and closing
a namespace file descriptor a queued request names (the kernel opens it only
when the request arrives). Requests through here need no flush between them,
whichever namespace's socket they go to: one thread sends them all, in order.

Requests are encoded by :mod:`netscript.netlink.wire` (byte for byte what
pyroute2's ``ifinfmsg`` and ``ifaddrmsg`` make, without their objects); they
go out on the namespace's plain rtnetlink socket
(:class:`~netscript.netlink.rtnl.RtnlSocket`, the one also used for lookups
by name), which is blocking and ours alone.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import NamedTuple

from ...netlink import rtnl, wire

# (namespace, sequence number): names one request until its answer is read
Ticket = tuple[str | None, int]

# One send carries at most this much, and never more than the socket's send
# buffer allows (the kernel refuses a send longer than it with EMSGSIZE).
SEND_BYTES = 32 * 1024


class Pipeline:
    def __init__(self, socket_for: Callable[[str | None], rtnl.RtnlSocket]):
        self._socket_for = socket_for
        self._waiting: dict[str | None, set[int]] = {}  # sent, answer not read yet
        self._answers: dict[Ticket, rtnl.NetlinkError | None] = {}  # read, not handed out yet
        self._sender = _Sender()

    def send(self, netns: str | None, msg_type: int, flags: int, body: bytes) -> Ticket:
        """Queue one request: its type, flags and body (:mod:`.wire`); the header is added here."""
        sock = self._socket_for(netns)
        seq = sock.next_seq()
        self._sender.queue(sock, netns, seq, wire.message(msg_type, flags, seq, body))
        self._waiting.setdefault(netns, set()).add(seq)
        return (netns, seq)

    def flush(self) -> None:
        """Return once every request queued so far has been sent (carried out or refused)."""
        self._sender.flush()

    def drain(self, netns: str | None) -> None:
        """Read every answer waiting on ``netns``'s socket, before that socket is used for anything else."""
        self.flush()
        waiting = self._waiting.pop(netns, None)
        if not waiting:
            return
        for seq, refused in self._sender.unsent(netns).items():  # the kernel never saw these: no ack will come
            waiting.discard(seq)
            self._answers[(netns, seq)] = refused
        if waiting:
            for seq, answer in self._socket_for(netns).acks(waiting).items():
                self._answers[(netns, seq)] = answer

    def settle(self) -> dict[Ticket, rtnl.NetlinkError | None]:
        """The answer to every request sent so far (None: done), which are then forgotten."""
        for netns in list(self._waiting):
            self.drain(netns)
        answers, self._answers = self._answers, {}
        return answers

    def wait(self, ticket: Ticket) -> rtnl.NetlinkError | None:
        """The answer to one request, leaving the others' for :meth:`settle`."""
        self.drain(ticket[0])
        return self._answers.pop(ticket)

    def close(self) -> None:
        self._sender.stop()


class _Queued(NamedTuple):
    sock: rtnl.RtnlSocket
    netns: str | None
    seq: int
    data: bytes  # the whole message, header included


class _Sender:
    """A thread that sends queued requests in order, several to a ``send()`` where it can."""

    def __init__(self) -> None:
        self._queue: deque[_Queued] = deque()  # oldest first
        self._pending = 0  # queued or being sent
        self._failed: dict[str | None, dict[int, rtnl.NetlinkError]] = {}  # netns -> seq -> why not sent
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def queue(self, sock: rtnl.RtnlSocket, netns: str | None, seq: int, data: bytes) -> None:
        with self._ready:
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(target=self._run, name="netscript-sender", daemon=True)
                self._thread.start()
            self._queue.append(_Queued(sock, netns, seq, data))
            self._pending += 1
            idle = self._pending == 1
            self._ready.notify_all()
        if idle:
            # the sender waits for the GIL as well as for work: let it have it now,
            # not at the interpreter's next switch (5 ms away while this thread runs)
            time.sleep(0)

    def flush(self) -> None:
        with self._ready:
            while self._pending:
                self._ready.wait()

    def unsent(self, netns: str | None) -> dict[int, rtnl.NetlinkError]:
        """The requests to ``netns`` whose ``send()`` failed, with the error (forgotten after)."""
        with self._ready:
            return self._failed.pop(netns, {})

    def stop(self) -> None:
        with self._ready:
            self._stopping = True
            self._ready.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()

    def _next_batch(self) -> list[_Queued] | None:
        """The oldest queued requests that share a socket and fit one send (None: stop)."""
        with self._ready:
            while not self._queue and not self._stopping:
                self._ready.wait()
            if not self._queue:
                return None
            first = self._queue.popleft()
            batch = [first]
            size, limit = len(first.data), min(SEND_BYTES, first.sock.send_limit())
            while self._queue and self._queue[0].sock is first.sock and size + len(self._queue[0].data) <= limit:
                size += len(self._queue[0].data)
                batch.append(self._queue.popleft())
            return batch

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            sock, netns = batch[0].sock, batch[0].netns
            error = None
            try:
                sock.post(b"".join(item.data for item in batch))
            except OSError as e:
                error = rtnl.NetlinkError(e.errno or 0, e.strerror or str(e))
            with self._ready:
                if error is not None:
                    self._failed.setdefault(netns, {}).update((item.seq, error) for item in batch)
                self._pending -= len(batch)
                self._ready.notify_all()
