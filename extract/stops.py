"""Stops: SIGTERM and SIGINT end a command as one exception that no ``except Exception`` catches,
so a stop is never taken for a document's error and every ``finally`` runs on the way out."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: The signals a terminal's Ctrl-C, ``kill`` and a CI cancel send, to a process or its whole group.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopped(BaseException):
    """The command received SIGTERM or SIGINT. A ``BaseException``, like ``KeyboardInterrupt``:
    code that guards against a bad document (``except Exception``) lets it through."""

    code = "E-STOPPED"

    def __init__(self, signum: int):
        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(f"stopped ({self.name})")

    @property
    def exit_status(self) -> int:
        """The shell's convention for a process ended by a signal: 128 + its number."""
        return 128 + self.signum


def _raise_stopped(signum: int, frame) -> None:
    for sig in STOP_SIGNALS:  # stopping: a second signal does not interrupt the clean-up
        signal.signal(sig, signal.SIG_IGN)
    raise Stopped(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT raise :class:`Stopped` in the main thread (the
    handlers before are restored after; off the main thread, signals cannot be handled and the
    block runs as it is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    for sig in STOP_SIGNALS:
        signal.signal(sig, _raise_stopped)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


def in_worker() -> None:
    """In a worker process: SIGINT (sent to the whole group by Ctrl-C) is ignored, the parent
    ends the workers; SIGTERM ends the worker at once, with no traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
