"""Qt tests run offscreen, with the PySide6 6.12.0 guard, and share one way to open the window."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from desktop_app.ui.qt_guard import keep_none_alive  # noqa: E402

keep_none_alive()  # PySide6 6.12.0 on Python 3.11: see desktop_app/ui/qt_guard.py


@pytest.fixture(autouse=True)
def _settings_per_test(_isolated_home):
    """Each test its own Qt settings file: Qt reads XDG_CONFIG_HOME once per process, so without
    this every test of a run shared the first test's file (a column hidden in one test stayed
    hidden in the next)."""
    from PySide6.QtCore import QSettings

    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(_isolated_home / "qt-settings" / scope.name))


@pytest.fixture
def open_window(qtbot):
    """``open_window(ledger_path)``: the main window on that (already open) ledger, shown."""
    from desktop_app.ui.app import make_application
    from desktop_app.ui.main_window import MainWindow

    def opener(path):
        make_application()
        window = MainWindow(path)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return opener


@pytest.fixture(autouse=True)
def _empty_clipboard_after_each_test():
    """Qt's offscreen platform crashes the process at exit (SIGSEGV after the last test, so a green
    run ends with status 139) when its clipboard still holds rich mime data, as a copied list
    does: the clipboard is emptied after every test. (On xcb and Windows the same exit is clean,
    and the app must not empty a user's clipboard when it closes.)"""
    yield
    from PySide6.QtGui import QGuiApplication  # lazy: only when a test made the application

    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()
