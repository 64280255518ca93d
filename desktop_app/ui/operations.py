"""One way to run a job off the UI thread and hear back on it (after Anki's ``QueryOp``).

    Operation(self, op=lambda job: importing.plan(..., progress=job.progress, should_stop=job.should_stop),
              success=self._planned, failure=self._plan_failed).run_in_background()

- ``op(job)`` runs on a pool thread and never touches a widget; it always receives a :class:`Job`:
  ``job.progress(done, total)`` to report, ``job.should_stop()`` to see a cancel.
- ``success(result)``, ``failure(exc)`` and ``progress(done, total)`` run on the UI thread.
  Without ``failure``, :func:`show_failure` reports it: the one place failures are shown.
- A running operation is kept alive here (``running()``), dropped and deleted when it ends: the
  widget that starts one keeps no list of workers.
- When the parent widget is gone by the time the job ends (its window was closed and deleted),
  the operation reports to nobody.
- Each job closes its thread's connection to the ledger when it ends; ``ui/app.py`` waits for
  the pool (``QThreadPool.waitForDone``) before closing the ledger.
"""

from __future__ import annotations

import itertools
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop_app.errors import UserError
from desktop_app.services.ledger import close_thread_connection

_running: set[Operation] = set()


def running(parent: QObject | None = None) -> list[Operation]:
    """The operations not yet ended (those started for ``parent`` only, when given)."""
    return [op for op in _running if parent is None or op.parent_widget is parent]


def show_failure(parent: QWidget | None, exc: BaseException) -> None:
    """How a failed job is shown when its caller did not say: the program's own errors with their
    (Chinese) message; anything else as an unexpected error, with the details to pass on."""
    if isinstance(exc, UserError):  # raised on purpose, with a message for the person (not a bug)
        QMessageBox.warning(parent, QCoreApplication.translate("Operation", "Could not finish"),
                            str(getattr(exc, "message", None) or exc))
        return
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("Operation", "Unexpected error"),
                      QCoreApplication.translate(
                          "Operation", "Something went wrong that the program did not expect, and this work was "
                          "not finished. Please pass the details below to whoever looks after the program."),
                      parent=parent)
    box.setObjectName("unexpectedError")
    box.setDetailedText("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    box.exec()


class Job:
    """What ``op`` receives: report progress and see a cancel, from the pool thread.

    It holds the operation's number and its stop flag, never the operation itself: a pool thread
    that dropped the last reference to a QObject would delete it on the wrong thread (Qt then
    stops its timers from there and the process can crash)."""

    def __init__(self, number: int, stop: threading.Event) -> None:
        self._number = number
        self._stop = stop

    def progress(self, done: int, total: int) -> None:
        _emit(_relay().progressed, self._number, done, total)

    def should_stop(self) -> bool:
        return self._stop.is_set()


def _emit(signal: Any, *args: Any) -> None:
    try:
        signal.emit(*args)
    except RuntimeError:  # the relay is gone with the application (closed by SIGTERM): nobody to tell
        pass


class _Relay(QObject):
    """Lives on the UI thread; the pool threads' signals arrive here (queued) by operation number."""

    ended = Signal(int, bool, object)
    progressed = Signal(int, int, int)

    def __init__(self) -> None:
        super().__init__()
        self.ended.connect(self._end, Qt.ConnectionType.QueuedConnection)
        self.progressed.connect(self._progress, Qt.ConnectionType.QueuedConnection)

    @Slot(int, bool, object)
    def _end(self, number: int, ok: bool, outcome: object) -> None:
        operation = _by_number.pop(number, None)
        if operation is not None:
            operation._end(ok, outcome)  # noqa: SLF001

    @Slot(int, int, int)
    def _progress(self, number: int, done: int, total: int) -> None:
        operation = _by_number.get(number)
        if operation is not None:
            operation._progress(done, total)  # noqa: SLF001


_the_relay: _Relay | None = None
_by_number: dict[int, Operation] = {}
_numbers = itertools.count(1)


def _relay() -> _Relay:
    global _the_relay
    if _the_relay is None:  # made on the UI thread, by the first run_in_background
        _the_relay = _Relay()
    return _the_relay


class _Runnable(QRunnable):
    def __init__(self, number: int, op: Callable[[Job], Any], stop: threading.Event) -> None:
        super().__init__()
        self.number, self.op, self.stop = number, op, stop

    def run(self) -> None:
        op, self.op = self.op, None  # the job's closure goes with this frame, not with the runnable
        try:
            result = op(Job(self.number, self.stop))
        except Exception as exc:  # reported on the UI thread, never swallowed
            _emit(_relay().ended, self.number, False, exc)
            return
        finally:
            del op
            close_thread_connection()  # a pool thread that ends a job holds no file handle
        _emit(_relay().ended, self.number, True, result)


class Operation(QObject):
    """One background job; see the module's docstring."""

    #: the public face of each outcome, on the UI thread (after the callbacks)
    succeeded = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)
    def __init__(
        self,
        parent: QWidget | None,
        *,
        op: Callable[[Job], Any],
        success: Callable[[Any], Any] | None = None,
        failure: Callable[[Exception], Any] | None = None,
        progress: Callable[[int, int], Any] | None = None,
    ) -> None:
        super().__init__()  # no Qt parent: this module keeps it alive, not the widget
        self.parent_widget = parent
        self.op = op
        self._success = success
        self._failure = failure
        self._on_progress = progress
        self._label: str | None = None
        self._dialog: QProgressDialog | None = None
        self._stop = threading.Event()

    def with_progress(self, label: str) -> Operation:
        """Show ``label`` in a progress window over the parent while the job runs."""
        self._label = label
        return self

    def run_in_background(self) -> Operation:
        _running.add(self)
        number = next(_numbers)
        _relay()  # on this (the UI) thread, before any pool thread reports
        _by_number[number] = self
        if self._label is not None:
            self._dialog = QProgressDialog(self._label, "", 0, 0, self.parent_widget)
            self._dialog.setCancelButton(None)
            self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._dialog.setMinimumDuration(300)
        runnable = _Runnable(number, self.op, self._stop)
        runnable.setAutoDelete(True)
        QThreadPool.globalInstance().start(runnable)
        return self

    def cancel(self) -> None:
        """Ask the job to stop (``job.should_stop()`` turns true); it decides when."""
        self._stop.set()

    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    def _someone_listens(self) -> bool:
        return self.parent_widget is None or shiboken6.isValid(self.parent_widget)

    def _progress(self, done: int, total: int) -> None:
        if not self._someone_listens():
            return
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.setMaximum(total)
            self._dialog.setValue(done)
        if self._on_progress is not None:
            self._on_progress(done, total)
        self.progress.emit(done, total)

    def _end(self, ok: bool, outcome: object) -> None:
        _running.discard(self)
        try:
            if self._dialog is not None and shiboken6.isValid(self._dialog):
                self._dialog.close()
                self._dialog.deleteLater()
            if not self._someone_listens():
                return  # the window that asked is gone: nobody to tell
            if ok:
                if self._success is not None:
                    self._success(outcome)
                self.succeeded.emit(outcome)
            else:
                if self._failure is not None:
                    self._failure(outcome)  # type: ignore[arg-type]
                else:
                    show_failure(self.parent_widget, outcome)  # type: ignore[arg-type]
                self.failed.emit(outcome)
        finally:
            self._dialog = None
            self.deleteLater()
