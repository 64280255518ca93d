"""Screenshots for the README, on a demo ledger: run under xvfb-run, on a laptop's screen.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot.py docs
    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_SCALE_FACTOR=1.5 .venv/bin/python scripts/screenshot.py docs --scaled

The first writes main-window.png, new-household.png, member-dialog.png, backup-dialog.png,
policy-page.png, import-wizard.png, export-dialog.png, followups.png and audit-trail.png; the second (1920×1080 at 150 %)
main-window-150.png only. Each window opens at the size the program gives it on that screen
(nothing is resized here), and the script stops when one does not fit on the screen.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from desktop_app.services import exports
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store.db import open_database
from desktop_app.ui.app import make_application
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.screen_fit import available


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


def fits(window: QWidget) -> QWidget:
    """Stop unless ``window`` lies on its screen's available area, whole."""
    room, where = available(window), window.frameGeometry()
    if not room.contains(where):
        raise SystemExit(f"{window.objectName()}: {where} is not inside the screen's {room}")
    return window


def shoot(window: QWidget, path: Path) -> None:
    wait(400)
    fits(window).grab().save(str(path))
    print(f"{path}: {window.width()}×{window.height()} on {available(window).size().toTuple()}")


def new_household(window: MainWindow) -> QWidget:
    """新增户 with three members typed: the head, a wrong check character, an ID already held."""
    import datetime as dt

    from desktop_app.domain.idnumber import make_id_number
    from desktop_app.store.models import Person

    dialog = window.new_household()
    dialog.village.setCurrentText("东山村")
    dialog.address.setText("东山村三组12号")
    head = dialog.rows[0]
    head.name.setText("马大山")
    head.id_number.setText(make_id_number("431199", dt.date(1975, 5, 5), 31))
    head.phone.setText("13907451234")
    spouse = dialog.add_row("配偶")
    spouse.name.setText("牛小花")
    wrong = make_id_number("431199", dt.date(1977, 7, 7), 42)
    spouse.id_number.setText(wrong[:-1] + ("0" if wrong[-1] != "0" else "1"))
    child = dialog.add_row("子")
    child.name.setText("马小山")
    child.id_number.setText(Person.select().first().id_number)
    return dialog


def main(folder: str, scaled: bool = False) -> None:
    out = Path(folder)
    make_application()
    work = Path(tempfile.mkdtemp())
    path = work / "demo.sqlite"
    open_database(path)
    generate_demo(DemoOptions(persons=5000, seed=1))
    window = MainWindow(path)
    window.show()
    window.person_table.selectRow(5)
    wait(600)
    shoot(window, out / ("main-window-150.png" if scaled else "main-window.png"))
    if scaled:
        return

    dialog = new_household(window)
    shoot(dialog, out / "new-household.png")
    dialog.reject()

    window.household_panel.members.selectRow(0)
    dialog = window.household_panel.edit_member()
    shoot(dialog, out / "member-dialog.png")
    dialog.reject()

    dialog = window.show_backup()
    dialog.folder.setText("/media/专干/KINGSTON/青山镇参保台账备份/2025年度/每月备份")
    dialog.status.setText("")
    shoot(dialog, out / "backup-dialog.png")
    dialog.close()

    dialog = window.show_policy()
    shoot(dialog, out / "policy-page.png")
    dialog.close()

    roster = county_file(work / "新增人员花名册.xlsx")
    wizard = window.show_import()
    wizard.choose_page.file_edit.setText(str(roster))
    wizard.next()
    while wizard.operation is not None:
        wait(50)
    wizard.next()
    shoot(wizard, out / "import-wizard.png")
    wizard.close()

    export = window.show_export()
    shoot(export, out / "export-dialog.png")
    export.close()

    followups = window.show_followups()
    shoot(followups, out / "followups.png")
    followups.close()

    trail = window.show_audit()
    wait(300)
    shoot(trail, out / "audit-trail.png")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(arguments[0] if arguments else "docs", scaled="--scaled" in sys.argv[1:])
