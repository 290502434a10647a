"""SIGINT, SIGTERM and SIGHUP during an apply: stop at a safe point, then undo.

A signal that arrives while changes are being made must not end the process
between two kernel requests: that is how an apply is left half done. While
:func:`caught` is in force the signal is only recorded; the executor calls
:meth:`Interrupts.check` before each operation, which raises
:class:`Interrupted` there, where every answer can still be read and every
change made so far undone. Before the first change (waiting for a lock,
reading the state) nothing needs undoing, so the signal interrupts at once.
Once the rollback has started, further signals are recorded and ignored: a
second Ctrl-C must not stop the undo halfway either.
"""

from __future__ import annotations

import contextlib
import signal
import threading

CAUGHT = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(Exception):
    """The apply was asked to stop by a signal."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_status(self) -> int:
        """What a shell reports for a process ended by this signal (130 for SIGINT)."""
        return 128 + self.signum


class Interrupts:
    """The signal received, if any, and whether it may interrupt right now."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.immediate = True  # no change made yet: nothing to undo

    def handler(self, signum, frame) -> None:
        if self.received is None:
            self.received = signum
        if self.immediate:
            self.immediate = False  # raise once; the caller is on its way out
            raise Interrupted(signum)

    def check(self) -> None:
        """Raise :class:`Interrupted` if a signal has arrived (a safe point)."""
        if self.received is not None:
            raise Interrupted(self.received)

    @contextlib.contextmanager
    def deferred(self):
        """Signals are only recorded inside the block (changes are being made or undone)."""
        before, self.immediate = self.immediate, False
        try:
            yield
        finally:
            self.immediate = before and self.received is None


@contextlib.contextmanager
def caught():
    """Install the handlers for the block's duration; yields the :class:`Interrupts`.

    Signal handlers belong to the main thread: called from any other (an
    embedding program's worker), this installs nothing and signals keep the
    behaviour the program gave them.
    """
    interrupts = Interrupts()
    if threading.current_thread() is not threading.main_thread():
        yield interrupts
        return
    previous = {s: signal.signal(s, interrupts.handler) for s in CAUGHT}
    try:
        yield interrupts
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
