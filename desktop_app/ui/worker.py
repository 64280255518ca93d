"""Run a service function off the UI thread and hear back on it (Anki's QueryOp, small).

The function never touches a widget. It receives a ``progress(done, total)`` callable and a
``should_stop()`` callable (true after :meth:`Worker.cancel`) when it names those parameters, and
may raise; the callbacks run on the UI thread. peewee gives each thread its own
connection to the same ledger file, with the same pragmas.
"""

from __future__ import annotations

import inspect
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)
    progress = Signal(int, int)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, stop: threading.Event) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.stop = stop

    def run(self) -> None:
        try:
            wanted = inspect.signature(self.fn).parameters
            kwargs: dict[str, Any] = {}
            if "progress" in wanted:
                kwargs["progress"] = self.signals.progress.emit
            if "should_stop" in wanted:
                kwargs["should_stop"] = self.stop.is_set
            result = self.fn(**kwargs)
        except Exception as exc:  # reported to the UI thread, never swallowed
            self._report(self.signals.failed, exc, traceback.format_exc())
            return
        finally:
            from desktop_app.store.models import db

            if db.obj is not None and not db.obj.is_closed():
                db.obj.close()  # this thread's connection only
        self._report(self.signals.done, result)

    @staticmethod
    def _report(signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window that asked is gone (closed by SIGTERM): nobody to tell
            pass


class Worker(QObject):
    """One background job; keep a reference until ``finished`` fires."""

    finished = Signal(object)
    failed = Signal(object, str)
    progress = Signal(int, int)

    def __init__(self, fn: Callable[..., Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = _Signals()
        self._signals.done.connect(self.finished)
        self._signals.failed.connect(self.failed)
        self._signals.progress.connect(self.progress)
        self._stop = threading.Event()
        self._job = _Job(fn, self._signals, self._stop)
        self._job.setAutoDelete(False)

    def start(self) -> None:
        QThreadPool.globalInstance().start(self._job)

    def cancel(self) -> None:
        """Ask the function to stop (it sees ``should_stop()`` turn true); it decides when."""
        self._stop.set()

    def cancel_requested(self) -> bool:
        return self._stop.is_set()
