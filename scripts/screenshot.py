"""Screenshot of the main window on a demo ledger, for the README: run under xvfb-run.

    xvfb-run -a -s "-screen 0 1366x800x24" .venv/bin/python scripts/screenshot.py docs/main-window.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer

from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store.db import open_database
from desktop_app.ui.app import make_application
from desktop_app.ui.main_window import MainWindow


def main(target: str) -> None:
    app = make_application()
    folder = Path(tempfile.mkdtemp())
    path = folder / "demo.sqlite"
    open_database(path)
    generate_demo(DemoOptions(persons=5000, seed=1))
    window = MainWindow(path)
    window.resize(1180, 680)
    window.show()

    window.household_table.selectRow(3)

    def shoot() -> None:
        window.grab().save(target)
        dialog = window.show_policy()
        dialog.grab().save(str(Path(target).with_name("policy-page.png")))
        app.quit()

    QTimer.singleShot(800, shoot)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/main-window.png")
