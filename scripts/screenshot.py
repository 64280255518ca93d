"""Screenshots for the README, on a demo ledger: run under xvfb-run.

    xvfb-run -a -s "-screen 0 1366x800x24" .venv/bin/python scripts/screenshot.py docs

Writes main-window.png, policy-page.png, import-wizard.png and export-dialog.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from desktop_app.services import exports
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store.db import open_database
from desktop_app.ui.app import make_application
from desktop_app.ui.main_window import MainWindow


def wait(ms: int) -> None:
    # an event loop, not a processEvents() spin: PySide6 6.12's processEvents() drops a
    # reference to None on every call and crashes the interpreter after enough of them
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def county_file(path: Path) -> Path:
    """A hand-made county sheet of new persons, with the defects such sheets have."""
    import datetime as dt

    import openpyxl

    from desktop_app.domain.idnumber import make_id_number

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "东山村"
    sheet.append(["青山镇2025年度新增参保人员花名册"])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "姓名", "身份证号码", "户编号", "与户主关系", "联系电话"])
    names = ["陈建国", "林秀英", "陈小宇", "黄德明", "周桂兰", "黄子涵", "吴志强", "郑丽华"]
    relations = ["户主", "配偶", "子", "户主", "配偶", "女", "户主", "配偶"]
    for i, (name, relation) in enumerate(zip(names, relations)):
        number = make_id_number("431199", dt.date(1960 + 4 * i, 3, 1 + i), 100 + i)
        household = f"H90{0 if i < 3 else 1 if i < 6 else 2}"
        sheet.append([i + 1, name, number, household, relation, f"1390000{i:04d}"])
    sheet.append([9, "赵数字", 431199199001011000, "H903", "户主", ""])  # Excel stored it as a number
    sheet.append([10, "钱错号", "431199199105050011", "H904", "户主", ""])  # wrong check character
    sheet.append(["合计", "", "", "", "", ""])
    book.save(path)
    return path


def main(folder: str) -> None:
    out = Path(folder)
    make_application()
    work = Path(tempfile.mkdtemp())
    path = work / "demo.sqlite"
    open_database(path)
    generate_demo(DemoOptions(persons=5000, seed=1))
    window = MainWindow(path)
    window.resize(1180, 680)
    window.show()
    window.person_table.selectRow(5)
    wait(600)
    window.grab().save(str(out / "main-window.png"))

    dialog = window.show_policy()
    wait(300)
    dialog.grab().save(str(out / "policy-page.png"))
    dialog.close()

    roster = county_file(work / "新增人员花名册.xlsx")
    wizard = window.show_import()
    wizard.choose_page.file_edit.setText(str(roster))
    wizard.next()
    while wizard.worker is not None:
        wait(50)
    wizard.next()
    wait(300)
    wizard.grab().save(str(out / "import-wizard.png"))
    wizard.close()

    export = window.show_export()
    wait(300)
    export.grab().save(str(out / "export-dialog.png"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
