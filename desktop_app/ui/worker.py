"""Run a service function off the UI thread and hear back on it (Anki's QueryOp, small).

The function never touches a widget. It receives a ``progress(done, total)`` callable when it
asks for one and may raise; the callbacks run on the UI thread. peewee gives each thread its own
connection to the same ledger file, with the same pragmas.
"""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)
    progress = Signal(int, int)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            if "progress" in inspect.signature(self.fn).parameters:
                result = self.fn(progress=self.signals.progress.emit)
            else:
                result = self.fn()
        except Exception as exc:  # reported to the UI thread, never swallowed
            self.signals.failed.emit(exc, traceback.format_exc())
            return
        finally:
            from desktop_app.store.models import db

            if db.obj is not None and not db.obj.is_closed():
                db.obj.close()  # this thread's connection only
        self.signals.done.emit(result)


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
        self._job = _Job(fn, self._signals)
        self._job.setAutoDelete(False)

    def start(self) -> None:
        QThreadPool.globalInstance().start(self._job)
