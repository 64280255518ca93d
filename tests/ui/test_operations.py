"""The one way to run a background job: callbacks on the UI thread, progress in order, cancel,
nothing kept once done, one place that shows failures, and silence for a window that is gone."""

import sqlite3
import threading

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from desktop_app.services.ledger import ServiceError
from desktop_app.store.models import Person, db
from desktop_app.ui import operations
from desktop_app.ui.app import make_application
from desktop_app.ui.operations import Operation


@pytest.fixture(autouse=True)
def app():
    return make_application()


def wait_done(qtbot) -> None:
    qtbot.waitUntil(lambda: not operations.running(), timeout=20000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_success_runs_on_the_ui_thread_and_the_job_off_it(qtbot):
    threads = {}

    def op(_job):
        threads["op"] = threading.current_thread()
        return 42

    results = []
    operation = Operation(None, op=op, success=lambda value: (results.append(value),
                                                              threads.setdefault("success", threading.current_thread())))
    with qtbot.waitSignal(operation.succeeded, timeout=20000):
        operation.run_in_background()
    assert results == [42]
    assert threads["op"] is not threading.main_thread()
    assert threads["success"] is threading.main_thread()


def test_the_failure_handler_gets_the_error(qtbot):
    error = ValueError("第3行身份证号有误")

    def op(_job):
        raise error

    heard, succeeded = [], []
    with qtbot.waitSignal(Operation(None, op=op, success=succeeded.append, failure=heard.append)
                          .run_in_background().failed, timeout=20000):
        pass
    assert heard == [error] and not succeeded


def test_progress_values_arrive_in_order(qtbot):
    def op(job):
        for done in range(1, 201):
            job.progress(done, 200)
        return "done"

    heard = []
    with qtbot.waitSignal(Operation(None, op=op, progress=lambda d, t: heard.append((d, t)))
                          .run_in_background().succeeded, timeout=20000):
        pass
    assert heard == [(done, 200) for done in range(1, 201)]


def test_cancel_is_seen_by_the_function(qtbot):
    started = threading.Event()

    def op(job):
        started.set()
        for _ in range(2000):  # at most 20 s
            if job.should_stop():
                return "stopped"
            threading.Event().wait(0.01)
        return "never asked"

    operation = Operation(None, op=op).run_in_background()
    assert started.wait(20)
    with qtbot.waitSignal(operation.succeeded, timeout=30000) as done:
        operation.cancel()
    assert done.args == ["stopped"] and operation.cancel_requested()


def test_nothing_is_kept_once_done(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    results = []
    started = [Operation(parent, op=lambda _job, n=n: n, success=results.append).run_in_background()
               for n in range(50)]
    assert operations.running(parent)  # kept alive while they run, though nobody holds them
    qtbot.waitUntil(lambda: len(results) == 50, timeout=20000)
    wait_done(qtbot)
    assert sorted(results) == list(range(50))
    assert operations.running() == []
    assert not any(shiboken6.isValid(operation) for operation in started), "finished operations are deleted"


def test_a_window_deleted_mid_job_hears_nothing_and_shows_no_traceback(qtbot, capfd):
    window = QWidget()
    label = QLabel(window)
    gate, started = threading.Event(), threading.Event()

    def op(_job):
        started.set()
        gate.wait(20)
        return "late"

    heard = []
    Operation(window, op=op, success=lambda text: (heard.append(text), label.setText(text))).run_in_background()
    assert started.wait(20)
    window.close()
    shiboken6.delete(window)  # the window is gone while its job still runs
    gate.set()
    wait_done(qtbot)
    assert heard == []
    assert "Traceback" not in capfd.readouterr().err


def test_each_job_closes_its_threads_connection(qtbot, ledger):
    connections = []

    def op(_job):
        connections.append(db.connection())  # held here: only an explicit close can close it
        return Person.select().count()

    with qtbot.waitSignal(Operation(None, op=op).run_in_background().succeeded, timeout=20000) as done:
        pass
    assert done.args == [0]
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        connections[0].in_transaction  # noqa: B018 (reads the state without the same-thread check)


def _answer_the_box(seen: list) -> None:
    """Record the message box the failure opened, then close it."""
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(20, lambda: _answer_the_box(seen))
        return
    seen.append((box.icon(), box.windowTitle(), box.text(), box.detailedText()))
    box.close()


def _failing_without_handler(qtbot, error: Exception) -> tuple:
    def op(_job):
        raise error

    window = QWidget()
    qtbot.addWidget(window)
    seen: list = []
    QTimer.singleShot(0, lambda: _answer_the_box(seen))
    with qtbot.waitSignal(Operation(window, op=op).run_in_background().failed, timeout=20000):
        pass
    assert len(seen) == 1
    return seen[0]


def test_the_programs_own_error_is_shown_with_its_message(qtbot):
    icon, title, text, details = _failing_without_handler(qtbot, ServiceError("演示数据只能放进空台账"))
    assert icon == QMessageBox.Icon.Warning and text == "演示数据只能放进空台账" and not details
    assert title in ("Could not finish", "未能完成")


def test_a_bug_is_shown_as_unexpected_with_its_details(qtbot):
    icon, _title, text, details = _failing_without_handler(qtbot, KeyError("year"))
    assert icon == QMessageBox.Icon.Critical
    assert "year" not in text  # the person reads a plain sentence; the details hold the trace
    assert "Traceback" in details and "KeyError: 'year'" in details


def test_the_window_keeps_nothing_behind_its_village_rates(qtbot, demo_ledger, ledger_path, open_window):
    """Each refresh reads the villages' rates in the background; none of those jobs stays behind
    (they used to pile up as the window's children, one a refresh)."""
    window = open_window(ledger_path)
    qtbot.waitUntil(lambda: not operations.running(), timeout=20000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    before = len(window.findChildren(QObject))
    for _ in range(10):
        with qtbot.waitSignal(window.village_rates_shown, timeout=20000):
            window.refresh()
    wait_done(qtbot)
    assert len(window.findChildren(QObject)) == before
