"""Issue 16 in the import wizard: the column-mapping page shows the first data rows under the
file's own headers, and a rejected row is shown with its name and its ID number cell as the
file has it (a clerk finds the row by them), clicked through offscreen on a real workbook."""

from __future__ import annotations

import datetime as dt

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services.policy_load import load_policy
from desktop_app.ui.app import make_application
from desktop_app.ui.import_wizard import ImportWizard
from tests.exchange.xch_builders import SheetSpec, build_xlsx
from tests.ui.test_import_report_ui import POLICIES, cells, tabs_of


def pid(n: int) -> str:
    return make_id_number("431199", dt.date(1970, 1, 1) + dt.timedelta(days=n), 21)


HEADER = ["姓名", "身份证号", "户编号", "与户主关系", "村(社区)"]


def _roster(tmp_path):
    rows = [["东山村2025年参保花名册", None, None, None, None], HEADER]
    rows += [[f"村民{n}", pid(n), f"H{n}", "户主", "东山村"] for n in range(6)]
    rows.append(["错号甲", "4311991970010", "H7", "户主", "东山村"])  # a digit short: refused
    rows.append(["错号乙", 431199197001011234, "H8", "户主", "东山村"])  # saved as a number
    return build_xlsx(tmp_path / "花名册.xlsx", [SheetSpec("花名册", rows)])


def test_the_columns_page_shows_the_first_rows_under_each_header(qtbot, ledger, tmp_path):
    make_application()
    load_policy(POLICIES / "2025.toml")
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.choose_page.file_edit.setText(str(_roster(tmp_path)))
    with qtbot.waitSignal(wizard.planned, timeout=20000):
        wizard.next()
    page = wizard.columns_page
    assert wizard.stack.currentWidget() is page and not page.raw_view.isHidden()
    model = page.raw_model
    assert [model.horizontalHeaderItem(c).text() for c in range(model.columnCount())] == HEADER
    # the five rows under the header (row 2), not the title above it
    assert cells(page.raw_view) == [[f"村民{n}", pid(n), f"H{n}", "户主", "东山村"] for n in range(5)]


def test_rejected_rows_show_the_name_and_the_id_cell_as_written(qtbot, ledger, tmp_path):
    make_application()
    load_policy(POLICIES / "2025.toml")
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.choose_page.file_edit.setText(str(_roster(tmp_path)))
    with qtbot.waitSignal(wizard.planned, timeout=20000):
        wizard.next()
    wizard.next()
    tabs = tabs_of(wizard.preview_page.tabs)
    rejected = next(view for title, view in tabs.items() if title.startswith("拒绝"))
    model = rejected.model()
    assert [model.horizontalHeaderItem(c).text() for c in range(model.columnCount())][:3] == [
        "位置", "姓名", "文件中的身份证号"]
    rows = {row[1]: row for row in cells(rejected)}
    assert rows["错号甲"][2] == "4311991970010" and "第9行" in rows["错号甲"][0]
    # a number cell has lost the last digits: shown damaged, as the sheet holds it
    assert rows["错号乙"][2] == "4.31199197001011e+17" and "第10行" in rows["错号乙"][0]
