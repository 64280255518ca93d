"""Starting the window: the application object, the translation, the ledger, the demo offer."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, __version__
from desktop_app.resources import resource
from desktop_app.store.db import LedgerOpenError, close_database, is_read_only, open_database
from desktop_app.store.lock import LedgerBusyError, LedgerLockError
from desktop_app.store.migrations import LedgerTooNewError
from desktop_app.store.paths import default_ledger_path
from desktop_app.ui.i18n import install_translation
from desktop_app.ui.login import IdleLock, log_in_at_start
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.qt_guard import keep_none_alive
from desktop_app.ui.text import fill
from desktop_app.ui.worker import Worker

#: Packaging checks set this: the window reports that it is shown, then quits.
SMOKE_ENV = "ENROLLMENT_LEDGER_SMOKE"


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

    Returns False when the person chose not to open it at all.
    """
    try:
        open_database(path, program="window")
        return True
    except (LedgerBusyError, LedgerLockError) as exc:
        answer = QMessageBox.question(
            None,
            _tr("The ledger is in use"),
            str(exc) + "\n\n" + _tr("Open it read-only, to look without changing anything?"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        open_database(path, read_only=True)
        return True


def start_daily_backup(window: MainWindow) -> Worker | None:
    """Once a day on opening, a backup copy, made off the UI thread; a failure is a warning only."""
    if is_read_only():
        return None
    from desktop_app.services.backup import daily_backup_if_due

    worker = Worker(daily_backup_if_due, window)
    worker.failed.connect(
        lambda exc, _trace: window.statusBar().showMessage(
            fill(_tr("Today's backup could not be made: %1"), str(exc)), 15000
        )
    )
    worker.start()
    window._workers.append(worker)  # noqa: SLF001 (kept alive until the window goes)
    return worker


def run_gui(ledger_path: Path | None = None) -> int:
    app = make_application()
    path = ledger_path or default_ledger_path()
    try:
        if not open_ledger_for_window(path):
            return 1
        if not os.environ.get(SMOKE_ENV) and not log_in_at_start():
            close_database()
            return 1
        window = MainWindow(path)
    except (LedgerOpenError, LedgerTooNewError) as exc:
        QMessageBox.critical(None, _tr("Cannot open the ledger"), str(exc))
        return 1
    if is_read_only():
        window.setWindowTitle(window.windowTitle() + _tr(" (read-only)"))
    window.show()
    if os.environ.get(SMOKE_ENV):
        QTimer.singleShot(0, lambda: _report_shown_and_quit(app))
        return _exec(app)
    start_daily_backup(window)
    window.idle_lock = IdleLock(window)
    if window.household_model.rowCount() == 0 and not is_read_only():
        QTimer.singleShot(0, window.offer_demo)
    return _exec(app)


def _exec(app: QApplication) -> int:
    try:
        return app.exec()
    finally:
        close_database()


def _report_shown_and_quit(app: QApplication) -> None:
    if sys.stdout is not None:
        print(f"enrollment-ledger: window shown {time.time():.6f}", flush=True)
    app.quit()
