"""Issue 20 in the import wizard: a plan's accepted rows are spooled to disk, and the preview lists
the first 50 of each kind with how many there are, not every row; then imports them all."""

from __future__ import annotations

import datetime as dt

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services.importing import spool
from desktop_app.services.policy_load import load_policy
from desktop_app.store.models import Person
from desktop_app.ui.app import make_application
from desktop_app.ui.import_pages import PREVIEW_ROWS
from desktop_app.ui.import_wizard import ImportWizard
from tests.exchange.xch_builders import SheetSpec, build_xlsx
from tests.ui.test_import_report_ui import POLICIES, cells, run_wizard, tabs_of


def pid(n: int) -> str:
    return make_id_number("431199", dt.date(1960, 1, 1) + dt.timedelta(days=n), 31)


def test_the_preview_lists_the_first_50_of_each_kind_and_says_how_many(qtbot, ledger, tmp_path, monkeypatch):
    monkeypatch.setattr(spool, "BATCH_ROWS", 16)  # the rows go to the spool's file
    make_application()
    load_policy(POLICIES / "2025.toml")
    rows = [["姓名", "身份证号", "户编号", "与户主关系", "村(社区)"]]
    rows += [[f"村民{n}", pid(n), f"H{n}", "户主", "东山村"] for n in range(120)]
    rows.append(["错号", "4311991960010", "H999", "户主", "东山村"])  # refused
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    run_wizard(qtbot, wizard, build_xlsx(tmp_path / "花名册.xlsx", [SheetSpec("花名册", rows)]), "roster")
    page = wizard.preview_page
    tabs = tabs_of(page.tabs)
    assert "120" in page.counts.text()
    new = tabs["新增（120）"]
    assert [row[:2] for row in cells(new)] == [[f"村民{n}", pid(n)] for n in range(PREVIEW_ROWS)]
    page.tabs.setCurrentWidget(new)
    assert not page.shown.isHidden() and page.shown.text() == "只列出前50行，共120行。"
    page.tabs.setCurrentWidget(tabs["拒绝（1）"])  # all of it is listed: nothing to say
    assert page.shown.isHidden()
    with qtbot.waitSignal(wizard.imported, timeout=30000):
        wizard.next()
    assert Person.select().count() == 120
    assert "120" in wizard.result_page.result_text.text()
