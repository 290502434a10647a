"""Link requests in flight: send each one at once, read the kernel's answers later.

Waiting for each ack costs a round trip through pyroute2's request machinery
(about 0.7 ms of Python per request, most of a 1,900-request apply). The
kernel does not need it: rtnetlink carries out a request entirely inside the
``send()`` that delivers it, so requests take effect in the order they are
sent whether or not anyone has read the answers yet. Only learning the
outcome is put off, and every request carries ``NLM_F_ACK`` and its own
sequence number, so each answer finds its request again.

Requests are pyroute2 ``ifinfmsg`` messages, encoded by pyroute2; they go out
on the namespace's plain rtnetlink socket (:class:`~netscript.frontends.kernel.rtnl.RtnlSocket`,
the one already used for lookups by name), which is blocking and ours alone,
rather than on the IPRoute's socket, which pyroute2's event loop owns.
"""

from __future__ import annotations

from collections.abc import Callable

from ...frontends.kernel import rtnl

# (namespace, sequence number): names one request until its answer is read
Ticket = tuple


class Pipeline:
    def __init__(self, socket_for: Callable[[str | None], rtnl.RtnlSocket]):
        self._socket_for = socket_for
        self._waiting: dict[str | None, set[int]] = {}  # sent, answer not read yet
        self._answers: dict[Ticket, rtnl.NetlinkError | None] = {}  # read, not handed out yet

    def send(self, netns, message) -> Ticket:
        """Encode ``message`` (a pyroute2 message with its header type and flags set) and send it."""
        sock = self._socket_for(netns)
        seq = sock.next_seq()
        message["header"]["sequence_number"] = seq
        message.encode()
        sock.post(message.data)
        self._waiting.setdefault(netns, set()).add(seq)
        return (netns, seq)

    def drain(self, netns) -> None:
        """Read every answer waiting on ``netns``'s socket, before that socket is used for anything else."""
        waiting = self._waiting.pop(netns, None)
        if waiting:
            for seq, error in self._socket_for(netns).acks(waiting).items():
                self._answers[(netns, seq)] = error

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
