"""Starting the window: the application object, the translation, the ledger, the demo offer."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, __version__
from desktop_app.resources import resource
from desktop_app.store.db import LedgerOpenError, close_database, open_database
from desktop_app.store.migrations import LedgerTooNewError
from desktop_app.store.paths import default_ledger_path
from desktop_app.ui.i18n import install_translation
from desktop_app.ui.main_window import MainWindow


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    icon = resource("icons", "enrollment-ledger.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_translation(app)
    return app  # type: ignore[return-value]


def open_main_window(ledger_path: Path) -> MainWindow:
    open_database(ledger_path)
    window = MainWindow(ledger_path)
    return window


def run_gui(ledger_path: Path | None = None) -> int:
    app = make_application()
    path = ledger_path or default_ledger_path()
    try:
        window = open_main_window(path)
    except (LedgerOpenError, LedgerTooNewError) as exc:
        QMessageBox.critical(
            None, QCoreApplication.translate("App", "Cannot open the ledger"), str(exc)
        )
        return 1
    window.show()
    if window.household_model.rowCount() == 0:
        QTimer.singleShot(0, window.offer_demo)
    try:
        return app.exec()
    finally:
        close_database()
