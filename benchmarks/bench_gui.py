"""The window on a big ledger: start, search as you type, switching filters, jumping to the end.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py --persons 100000
    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py --persons 1000000

Prints figures (medians of 5 where a single run is short); asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from _common import median_ms, peak_mb  # noqa: E402  (benchmarks/ is on the path when run)
from _common import row as _row  # noqa: E402


def row(what: str, figure: str) -> None:
    _row(what, figure, (50, 18))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    from desktop_app.services.demo import DemoOptions, generate_demo
    from desktop_app.store.db import close_database, open_database

    folder = Path(tempfile.mkdtemp(prefix="ledger-gui-"))
    os.environ["ENROLLMENT_LEDGER_DATA_DIR"] = str(folder / "data")
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    path = folder / "gui.sqlite"
    open_database(path)
    generate_demo(DemoOptions(persons=args.persons, seed=1, year=2025))
    close_database()

    from desktop_app.services.persons import PersonQuery, count_persons, person_rows
    from desktop_app.ui.app import make_application
    from desktop_app.ui.main_window import MainWindow

    app = make_application()
    started = time.perf_counter()
    open_database(path)
    window = MainWindow(path)
    window.show()
    app.processEvents()
    shown = (time.perf_counter() - started) * 1000
    print(f"GUI benchmark: {args.persons:,} persons, ledger in {folder}")
    print(f"| {'what':<50} | {'figure':>18} |")
    print(f"|{'-' * 52}|{'-' * 20}|")
    row("open the ledger and show the window", f"{shown:,.0f} ms")

    for text in ("张", "zs", "wxm", "4311991980", "1380", "4311991012010"):
        query = PersonQuery(year=2025, search=text)
        ms = median_ms(lambda q=query: (count_persons(q), person_rows(q, 0, 256)))
        row(f"search “{text}” (count + first page)", f"{ms:,.1f} ms")

    def set_village(index: int) -> None:
        window.village_list.setCurrentRow(index)
        window.person_table.model().index(0, 0).data()

    ms = median_ms(lambda: (set_village(2), set_village(0)), 5) / 2
    row("switch village (count + first page)", f"{ms:,.1f} ms")
    ms = median_ms(lambda: (window.unpaid_check.setChecked(True), window.person_table.model().index(0, 0).data(),
                            window.unpaid_check.setChecked(False)), 5) / 2
    row("toggle the unpaid filter", f"{ms:,.1f} ms")

    model = window.person_table.model()
    started = time.perf_counter()
    window.person_table.scrollToBottom()
    model.index(model.rowCount() - 1, 0).data()
    row("jump to the last person (Ctrl+End)", f"{(time.perf_counter() - started) * 1000:,.1f} ms")
    row("blocks of 256 rows read so far", f"{model.blocks_read}")
    row("peak memory of the process", f"{peak_mb():,.0f} MB")
    window.close()
    close_database()


if __name__ == "__main__":
    main()
