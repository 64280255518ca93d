"""Ctrl-C (SIGINT), SIGTERM and a closed terminal (SIGHUP) stop a command cleanly.

The signal becomes an :class:`Interrupted` exception (a ``KeyboardInterrupt``, which no
``except Exception`` swallows) raised where the command is: the open transaction rolls back on
its way out, an unfinished export or backup deletes its files, the ledger's lock is released.
Further signals are ignored while that cleanup runs. The command then ends with one line on
stderr and exit status 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM), as shells do.
"""

from __future__ import annotations

import signal
from types import FrameType

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(KeyboardInterrupt):
    """The command was stopped by the signal ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: FrameType | None) -> None:
    for each in SIGNALS:  # one is enough: let the cleanup finish
        signal.signal(each, signal.SIG_IGN)
    raise Interrupted(signum)


Handlers = dict[int, object]


def install() -> Handlers:
    """From now on these signals interrupt the command (in the main thread); returns the
    handlers they had, for :func:`restore`."""
    previous = {each: signal.getsignal(each) for each in SIGNALS}
    for each in SIGNALS:
        signal.signal(each, _stop)
    return previous


def restore(previous: Handlers) -> None:
    """Put back the handlers :func:`install` replaced (a caller such as a test runs on)."""
    for each, handler in previous.items():
        signal.signal(each, handler if handler is not None else signal.SIG_DFL)


def exit_status(exc: KeyboardInterrupt) -> int:
    return 128 + (exc.signum if isinstance(exc, Interrupted) else signal.SIGINT)


def message(command: str | None, changed: bool) -> str:
    """The one line an interrupted command prints."""
    where = f"{command}: " if command else ""
    if changed:
        return f"{where}已中断；中断前已做完的改动已经保存在台账里（可用 check 命令检查）"
    return f"{where}已中断，台账没有改动"
