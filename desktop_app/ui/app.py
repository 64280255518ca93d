"""Starting the window: the application object, the translation, the ledger, the demo offer."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, __version__
from desktop_app.errors import UserError
from desktop_app.resources import resource
from desktop_app.services.backup import daily_backup_if_due
from desktop_app.services.lock_takeover import open_taking_over
from desktop_app.store.db import (
    LedgerFileReadOnlyError,
    close_database,
    is_read_only,
    open_database,
)
from desktop_app.store.lock import LedgerBusyError, LedgerLockError
from desktop_app.store.paths import default_ledger_path
from desktop_app.ui.i18n import install_translation
from desktop_app.ui.login import IdleLock, start_screen
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.operations import Operation
from desktop_app.ui.qt_guard import keep_none_alive
from desktop_app.ui.server_dialog import open_server_at_start, remembered_server
from desktop_app.ui.work_copy import remembered_work_copy
from desktop_app.ui.text import fill

#: Packaging checks set this: the window reports that it is shown, then quits.
SMOKE_ENV = "ENROLLMENT_LEDGER_SMOKE"
#: With SMOKE_ENV: also save a picture of the shown window to this PNG file (a packaging check
#: on a system with no screen, e.g. the Debian 11 root, sees what the window drew).
SMOKE_SHOT_ENV = "ENROLLMENT_LEDGER_SMOKE_SHOT"
#: What closes the window from outside: a logout or shutdown, ``kill``, Ctrl-C in its terminal.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
)
_stopped_by: list[int] = []


def make_application(argv: list[str] | None = None) -> QApplication:
    keep_none_alive()
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    icon = resource("icons", "enrollment-ledger.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_translation(app)
    return app  # type: ignore[return-value]


def _tr(text: str) -> str:
    return QCoreApplication.translate("App", text)


def open_ledger_for_window(path: Path) -> bool:
    """Open the ledger; when another copy of the program writes it, offer to open it read-only.

    A lock left by another computer (a network share) may be taken over after a confirmation
    (audited); a write-protected file is opened read-only, and the person is told.
    Returns False when the person chose not to open it at all.
    """
    try:
        open_database(path, program="window")
        return True
    except LedgerFileReadOnlyError as exc:
        QMessageBox.information(
            None,
            QCoreApplication.translate("App", "The ledger file is read-only"),
            str(exc) + "\n\n" + QCoreApplication.translate(
                "App", "It is opened read-only: you can look, not change anything."),
        )
        open_database(path, read_only=True)
        return True
    except LedgerBusyError as exc:
        if exc.can_take_over:
            return _offer_take_over(path, exc)
        return _offer_read_only(path, str(exc))
    except LedgerLockError as exc:
        return _offer_read_only(path, str(exc))


def _offer_read_only(path: Path, reason: str) -> bool:
    answer = QMessageBox.question(
        None,
        QCoreApplication.translate("App", "The ledger is in use"),
        reason + "\n\n" + QCoreApplication.translate(
            "App", "Open it read-only, to look without changing anything?"),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    open_database(path, read_only=True)
    return True


def _offer_take_over(path: Path, exc: LedgerBusyError) -> bool:
    """The lock names another computer that cannot be checked: take over, read only, or neither.

    Taking over asks once more, naming the holder; it is written to the audit trail."""
    title = QCoreApplication.translate("App", "The ledger is in use")
    box = QMessageBox(QMessageBox.Icon.Warning, title, str(exc))
    take = box.addButton(
        QCoreApplication.translate("App", "Take over…"), QMessageBox.ButtonRole.DestructiveRole
    )
    take.setObjectName("take_over")
    look = box.addButton(
        QCoreApplication.translate("App", "Open read-only"), QMessageBox.ButtonRole.AcceptRole
    )
    look.setObjectName("read_only")
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    if box.clickedButton() is look:
        open_database(path, read_only=True)
        return True
    if box.clickedButton() is not take:
        return False
    holder = exc.holder.describe() if exc.holder is not None else ""
    answer = QMessageBox.warning(
        None,
        QCoreApplication.translate("App", "Take over the ledger"),
        fill(QCoreApplication.translate(
                 "App",
                 "Take over the ledger from %1?\n\nOnly when the program on that computer is closed: "
                 "two computers changing the ledger at once overwrite each other's work. "
                 "The take-over is written to the audit trail.",
             ), holder),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        open_taking_over(path, program="window")
    except UserError as again:  # taken meanwhile; the audit not writable
        close_database()
        QMessageBox.critical(
            None, QCoreApplication.translate("App", "Cannot open the ledger"), str(again)
        )
        return False
    return True


def start_daily_backup(window: MainWindow) -> Operation | None:
    """Once a day on opening, a backup copy, made off the UI thread; a failure is a warning only."""
    if is_read_only():
        return None
    return Operation(window, op=lambda _job: daily_backup_if_due(), failure=lambda exc: window.statusBar().showMessage(
        fill(_tr("Today's backup could not be made: %1"), str(exc)), 15000
    )).run_in_background()


def close_on_signals(app: QApplication) -> None:
    """SIGTERM, SIGINT and SIGHUP close every window (a dialog as if cancelled) and end the event
    loop; the program ends with status 128 + the signal. The ledger is then closed and its lock
    released as on any exit. Python runs a signal handler only when the interpreter gets control, which Qt's event
    loop never gives it on its own: a timer lets it in a few times a second."""

    def stop(signum: int, _frame: object) -> None:
        for each in STOP_SIGNALS:
            signal.signal(each, signal.SIG_IGN)  # one is enough
        _stopped_by.append(signum)
        app.closeAllWindows()
        app.exit()

    for each in STOP_SIGNALS:
        signal.signal(each, stop)
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(200)


def run_gui(ledger_path: Path | None = None) -> int:
    app = make_application()
    close_on_signals(app)
    server = None if ledger_path or os.environ.get(SMOKE_ENV) else remembered_server()
    try:
        if server is not None:  # the office's server opened last; cancelled or refused: this computer's file
            server = open_server_at_start(server)
        path = server or ledger_path or remembered_work_copy() or default_ledger_path()  # a village laptop: its work copy
        if server is None and not open_ledger_for_window(path):
            return 1
        if not os.environ.get(SMOKE_ENV):
            path = start_screen(path)
            if path is None:
                close_database()
                return 128 + _stopped_by[0] if _stopped_by else 1
        window = MainWindow(path)
    except UserError as exc:
        QMessageBox.critical(None, _tr("Cannot open the ledger"), str(exc))
        return 1
    if is_read_only():
        window.setWindowTitle(window.windowTitle() + _tr(" (read-only)"))
    window.show()
    if os.environ.get(SMOKE_ENV):
        QTimer.singleShot(0, lambda: _report_shown_and_quit(app, window))
        return _exec(app)
    start_daily_backup(window)
    window.idle_lock = IdleLock(window)
    if window.household_model.rowCount() == 0 and not is_read_only():
        QTimer.singleShot(0, window.offer_demo)
    return _exec(app)


def _exec(app: QApplication) -> int:
    try:
        status = app.exec()
    finally:
        # background jobs (the daily backup, village rates) hold connections of their own: let them
        # end first, so that closing the ledger checkpoints it and removes its -wal
        QThreadPool.globalInstance().waitForDone(30_000)
        close_database()
    return 128 + _stopped_by[0] if _stopped_by else status  # closing the last window said 0


def _report_shown_and_quit(app: QApplication, window: MainWindow) -> None:
    if sys.stdout is not None:
        print(f"enrollment-ledger: window shown {time.time():.6f}", flush=True)
    shot = os.environ.get(SMOKE_SHOT_ENV)
    if shot:
        picture = window.grab()
        saved = picture.save(shot, "PNG")
        if sys.stdout is not None:
            size = f"{picture.width()}x{picture.height()}"
            print(f"enrollment-ledger: screenshot {shot} {size} saved={saved}", flush=True)
    app.quit()
