"""The import wizard says which standard it used, names a full list's 新增/变更/取消 in Chinese, and
says plainly that a file has no data rows (DOMAIN.md section 10), clicked through offscreen."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtWidgets import QTableView

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import importing
from desktop_app.services.policy_load import load_policy
from desktop_app.store.models import CategoryMembership, Person
from desktop_app.ui.app import make_application
from desktop_app.ui.import_wizard import ImportWizard
from tests.exchange.xch_builders import SheetSpec, build_xlsx

POLICIES = Path(__file__).resolve().parents[2] / "resources" / "policies"
SHOTS = Path(os.environ.get("IMPORT_SHOTS", "/tmp/import-rules"))


def pid(n: int) -> str:
    return make_id_number("431199", dt.date(1960, 1, 1) + dt.timedelta(days=n), 11)


def tabs_of(tabs) -> dict[str, QTableView]:
    return {tabs.tabText(i): tabs.widget(i) for i in range(tabs.count())}


def cells(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def run_wizard(qtbot, wizard: ImportWizard, path: Path, kind: str) -> None:
    wizard.choose_page.kind_group.button(("roster", "categories", "payments").index(kind)).setChecked(True)
    wizard.choose_page.file_edit.setText(str(path))
    if kind == "categories":
        wizard.choose_page.full_list.setChecked(True)
    with qtbot.waitSignal(wizard.planned, timeout=20000):
        wizard.next()
    wizard.next()  # the columns as read: on to the preview


def test_a_full_list_import_names_who_joined_changed_and_left(qtbot, ledger, tmp_path):
    make_application()
    load_policy(POLICIES / "2025.toml")
    names = ["甲", "乙", "丙", "丁"]
    roster = [["姓名", "身份证号", "户编号", "与户主关系", "村(社区)"]]
    roster += [[name, pid(n), f"H{n}", "户主", "东山村"] for n, name in enumerate(names)]
    importing.apply(importing.plan("roster", build_xlsx(tmp_path / "r.xlsx", [SheetSpec("r", roster)]), year=2025))
    for n, code in ((0, "dibao"), (1, "tekun"), (3, "dibao")):
        CategoryMembership.create(person=Person.get(Person.id_number == pid(n)), year=2025, category=code, source="t")
    listed = build_xlsx(tmp_path / "全量.xlsx", [SheetSpec("名单", [
        ["姓名", "身份证号码", "人员类别"], ["甲", pid(0), "低保"], ["乙", pid(1), "低保"], ["丙", pid(2), "特困"]])])
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    run_wizard(qtbot, wizard, listed, "categories")
    assert wizard.stack.currentIndex() == wizard.PREVIEW
    preview = tabs_of(wizard.preview_page.tabs)
    assert {"新增（1）", "变更（1）", "取消（1）"} <= preview.keys()
    assert cells(preview["变更（1）"]) == [["乙", pid(1), "特困人员", "低保对象"]]
    assert "2025年度政策" in wizard.preview_page.standard.text()
    assert wizard.preview_page.counts.text().startswith("新增 1 · 变更 1 · 取消 1 · 未变 1")
    with qtbot.waitSignal(wizard.imported, timeout=20000):
        wizard.next()
    page = wizard.result_page
    assert "名单导入完成：新增1人，变更1人，取消1人" in page.result_text.text()
    assert "新增2人" not in page.result_text.text(), "the list's words, not the roster's"
    result = tabs_of(page.changes)
    assert cells(result["新增（1）"]) == [["丙", pid(2), "", "特困人员"]]
    assert cells(result["取消（1）"]) == [["丁", pid(3), "低保对象", ""]]
    assert page.result_save.isEnabled()
    wizard.show()
    qtbot.waitExposed(wizard)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert wizard.grab().save(str(SHOTS / "wizard-full-list-result.png"))


def test_the_wizard_says_it_used_the_shipped_default_and_that_a_file_has_no_rows(qtbot, ledger, tmp_path):
    make_application()
    header_only = build_xlsx(tmp_path / "空.xlsx", [SheetSpec("花名册", [["姓名", "身份证号", "户编号", "村(社区)"]])])
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.choose_page.year_box.setCurrentIndex(wizard.choose_page.year_box.findData(2025))
    run_wizard(qtbot, wizard, header_only, "roster")
    assert wizard.stack.currentIndex() == wizard.PREVIEW
    assert "没有数据行" in wizard.preview_page.counts.text()
    assert not wizard.next_button.isEnabled(), "nothing to import"
    standard = wizard.preview_page.standard.text()
    assert "2025年度没有载入政策" in standard and "全国默认政策" in standard and "400.00元" in standard
    wizard.show()
    qtbot.waitExposed(wizard)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert wizard.grab().save(str(SHOTS / "wizard-no-rows-shipped-default.png"))
