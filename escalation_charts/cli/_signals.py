"""SIGINT and SIGTERM: stop at once, leave no temporary file, exit 130 or 143.

SIGTERM's default action (what `timeout` and `kill` send) ends the process where it
stands, so a temporary output being written stayed on disk. The handler installed here
removes every temporary file still registered (`_write` registers them from creation to
rename), remembers the signal and raises `Interrupted`. It is a KeyboardInterrupt, so what
already stops cleanly on Ctrl-C (`--watch`, `preview`) stops cleanly on either signal; click
turns a KeyboardInterrupt into "Aborted!" and exit 1, so `main` then exits with
`exit_code()`, 128 + the signal, as a shell reports a process its signal ended.

Child processes must not run this handler: the Graphviz child (`layout.engine`) and the
`-j N` workers put the default actions back.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from types import FrameType

__all__ = [
    "Interrupted",
    "defer",
    "deferred",
    "exit_code",
    "install",
    "register",
    "settled",
    "unregister",
]

_temps: set[str] = set()
_received: list[int] = []


class Interrupted(KeyboardInterrupt):
    """Raised by the handler: the run was stopped by signal `signum`."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def register(path: str) -> None:
    """A temporary file exists at `path` until `unregister`: the handler removes it."""
    _temps.add(path)


def unregister(path: str) -> None:
    _temps.discard(path)


def _handle(signum: int, frame: FrameType | None) -> None:
    for path in list(_temps):
        # A file renamed a moment ago is gone from here already: nothing to remove then.
        with contextlib.suppress(OSError):
            os.unlink(path)
        _temps.discard(path)
    _received.append(signum)
    raise Interrupted(signum)


def _remember(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)


def defer() -> None:
    """Until `install`, remember SIGINT and SIGTERM instead of dying of them: the command is
    still loading (a drawing command's Graphviz worker is already started, `_process`), and
    `main` stops with 130 or 143 as soon as it runs (`deferred`). No temporary file can
    exist yet."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _remember)


def deferred() -> bool:
    """True when a signal came while the command was loading (see `defer`)."""
    return bool(_received)


def install() -> None:
    """Handle SIGINT and SIGTERM in this (main) process; a no-op off the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _handle)


def settled() -> None:
    """The command handled the interrupt as its normal way to stop (`--watch`, `preview`):
    its own exit code stands."""
    _received.clear()


def exit_code(code: int) -> int:
    """`code`, or 128 + the signal when a signal stopped the run."""
    return 128 + _received[0] if _received else code
