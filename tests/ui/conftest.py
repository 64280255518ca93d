import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop_app.ui.qt_guard import keep_none_alive  # noqa: E402

keep_none_alive()  # PySide6 6.12.0 on Python 3.11: see desktop_app/ui/qt_guard.py
