"""The follow-up lists (issue 16): each tab exported to a workbook holding the service's rows,
printed through a preview of its rows, a row opened at its household in the window, a refund
paid out from its tab; a newborn long past its deadline reads 已逾期, not 临近截止."""

from __future__ import annotations

import datetime as dt
import os

import openpyxl
import pytest
from PySide6.QtPrintSupport import QPrintPreviewDialog

from desktop_app.services import followup_export, payments
from desktop_app.store.models import Enrollment, Person
from desktop_app.ui.followup_dialog import FollowUpDialog
from tests.conftest import DEMO_TODAY
from tests.services.test_statuses_across_years import two_years  # noqa: F401 - the fixture

SHOTS = "/tmp/followup-lists"


def _owe_a_refund() -> Enrollment:
    paid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "paid")
                                     & (Enrollment.due_fen > 0)).first()
    Enrollment.update(paid_fen=paid.due_fen + 20000).where(Enrollment.id == paid.id).execute()
    return paid


def _tab(dialog: FollowUpDialog, key: str) -> None:
    dialog.tabs.setCurrentWidget(next(v for k, v, _r in dialog.lists if k == key)
                                 if key != "confirm" else dialog.to_confirm)
    assert dialog.current_list()[0] == key


def _sheet(path) -> tuple[str, list[tuple]]:
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "姓名")
    body = [r for r in rows[header + 1:] if r[0] not in (None, "合计")]
    return str(rows[0][0]), body


@pytest.mark.parametrize("key", ["newborns", "late", "refunds", "long_run"])
def test_each_tab_exports_a_workbook_of_the_service_rows(qtbot, demo_ledger, tmp_path, key):
    _owe_a_refund()
    dialog = FollowUpDialog(2025, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    _tab(dialog, key)
    summary = dialog.export_to(str(tmp_path / "list.xlsx"))
    title, body = _sheet(tmp_path / "list.xlsx")
    expected = followup_export.sheet_rows(key, 2025, DEMO_TODAY)
    assert summary.rows == len(expected) == len(body)
    assert "2025年度" in title and followup_export.SHEETS[key].name in title
    assert [(r[0], r[1]) for r in body] == [(e[0], e[1]) for e in expected]  # names, IDs (as text)
    if key != "long_run":
        assert body, "the demo ledger has rows in this list"
    assert all(isinstance(r[1], str) for r in body)


def test_the_to_confirm_tab_exports_masked_on_request(qtbot, two_years, tmp_path):  # noqa: F811
    dialog = FollowUpDialog(2025)
    qtbot.addWidget(dialog)
    _tab(dialog, "confirm")
    dialog.mask_check.setChecked(True)
    dialog.export_to(str(tmp_path / "confirm.xlsx"))
    _title, body = _sheet(tmp_path / "confirm.xlsx")
    expected = followup_export.sheet_rows("confirm", 2025)
    assert [r[0] for r in body] == [e[0] for e in expected] and body
    assert all("*" in r[1] and r[1][:6] == e[1][:6] and r[1] != e[1] for r, e in zip(body, expected, strict=True))


def test_print_opens_a_preview_of_the_tab_rows(qtbot, demo_ledger, monkeypatch):
    shown = {}
    real = followup_export.sheet_title

    def seen(parent, title, headers, rows, subtitle=""):
        shown.update(title=title, rows=rows)
        return real_preview(parent, title, headers, rows, subtitle)

    import desktop_app.ui.followup_dialog as module  # the preview it calls, watched

    real_preview = module.table_preview
    monkeypatch.setattr(module, "table_preview", seen)
    dialog = FollowUpDialog(2025, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    _tab(dialog, "late")
    preview = dialog.print_list()
    qtbot.addWidget(preview)
    assert isinstance(preview, QPrintPreviewDialog)
    assert shown["title"] == real("late", 2025)
    assert [r[0] for r in shown["rows"]] == [r.name for r in dialog.late] and shown["rows"]
    preview.close()


def test_open_at_household_shows_it_in_the_panel(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.unpaid_check.setChecked(True)  # a filter that would hide a paid person
    dialog = FollowUpDialog(2025, window, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    _tab(dialog, "late")
    wanted = dialog.late[1]
    dialog.current_list()[1].selectRow(1)
    assert dialog.open_at_household()
    panel = window.household_panel
    assert panel.household is not None and panel.household.id == Person.get_by_id(wanted.person_id).household_id
    assert panel.selected_person_id() == wanted.person_id


def test_a_refund_is_paid_out_from_its_tab(qtbot, demo_ledger, ledger_path, open_window):
    owed = _owe_a_refund()
    window = open_window(ledger_path)
    dialog = FollowUpDialog(2025, window, today=DEMO_TODAY)
    qtbot.addWidget(dialog)
    _tab(dialog, "refunds")
    assert dialog.refund_button.isVisible() or not dialog.isVisible()
    dialog.refund_view.selectRow(0)
    form = dialog.pay_out_refund()
    assert form is not None
    qtbot.addWidget(form)
    with qtbot.waitSignal(form.saved, timeout=5000):
        assert form.submit()
    assert owed.person_id not in {r[0] for r in payments.refunds_owed(2025)}
    assert dialog.refunds == payments.refunds_owed(2025)


def test_a_newborn_602_days_past_its_deadline_reads_overdue(qtbot, demo_ledger):
    born = Person.select().where(Person.birth_date >= dt.date(2025, 1, 1)).order_by(Person.birth_date).first()
    Enrollment.update(status="unpaid", paid_fen=0).where(Enrollment.person == born.id).execute()
    today = born.birth_date + dt.timedelta(days=90 + 602)
    dialog = FollowUpDialog(2025, today=today)
    qtbot.addWidget(dialog)
    row = next(i for i, r in enumerate(dialog.newborns) if r.person_id == born.id)
    assert dialog.newborns[row].overdue and not dialog.newborns[row].near_deadline
    shown = dialog.newborn_model.item(row, 4).text()
    assert "602" in shown and "near" not in shown and "临近" not in shown
    assert followup_export.sheet_rows("newborns", 2025, today)[row][6] == "已逾期602天"
    if os.path.isdir(SHOTS):
        dialog.show()
        dialog.grab().save(f"{SHOTS}/newborns.png")
