"""Statuses across years in the window (DOMAIN.md §10): the status dialog clears 服兵役 for a
soldier home again and confirms a carried status; the follow-up dialog lists what is to confirm."""

from __future__ import annotations

import os
import re

from PySide6.QtCore import QItemSelectionModel

from desktop_app.services import followups, households
from desktop_app.store.models import AuditEntry
from desktop_app.ui.app import make_application
from desktop_app.ui.followup_dialog import FollowUpDialog
from desktop_app.ui.household_dialog import StatusDialog
from tests.services.test_statuses_across_years import enrollment, person, two_years  # noqa: F401 - the fixture

SHOTS = os.environ.get("STATUS_SHOTS", "")  # a folder: the follow-up dialog is saved there as PNG


def count_in_tab(dialog: FollowUpDialog) -> int:
    [count] = re.findall(r"\d+", dialog.tabs.tabText(dialog.tabs.indexOf(dialog.to_confirm)))
    return int(count)


def member_row(name: str, year: int = 2025) -> households.MemberRow:
    target = person(name)
    return next(m for m in households.household_members(target.household_id, year) if m.person_id == target.id)


def test_the_status_dialog_clears_military_service(qtbot, two_years):  # noqa: F811
    make_application()
    dialog = StatusDialog(member_row("乙当兵"), 2025)
    qtbot.addWidget(dialog)
    assert dialog.status.currentData() == "military"
    assert dialog.clear_button.isEnabled()
    assert not dialog.carried.isHidden() and "2024" in dialog.carried.text()
    if SHOTS:
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.grab().save(os.path.join(SHOTS, "status-dialog-carried.png"))
    with qtbot.waitSignal(dialog.saved):
        dialog.clear_button.click()
    assert (enrollment("乙当兵", 2025).status, enrollment("乙当兵", 2025).status_reason) == ("unpaid", "")
    assert "乙当兵" not in {r.name for r in followups.to_confirm(2025)}


def test_the_status_dialog_confirms_a_carried_status(qtbot, two_years):  # noqa: F811
    make_application()
    dialog = StatusDialog(member_row("丙职工"), 2025)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.saved):
        dialog.confirm_button.click()
    assert enrollment("丙职工", 2025).status == "employee"
    assert "丙职工" not in {r.name for r in followups.to_confirm(2025)}
    # nothing carried, nothing recorded: no confirm, nothing to clear
    plain = StatusDialog(member_row("甲户主"), 2025)
    qtbot.addWidget(plain)
    assert plain.confirm_button.isHidden() and plain.carried.isHidden() and not plain.clear_button.isEnabled()


def test_the_follow_up_dialog_lists_statuses_to_confirm_and_acts_on_them(qtbot, two_years):  # noqa: F811
    make_application()
    dialog = FollowUpDialog(2025)
    qtbot.addWidget(dialog)
    tab = dialog.to_confirm
    assert count_in_tab(dialog) == 5
    shown = {tab.model.item(r, 0).text(): [tab.model.item(r, c).text() for c in range(tab.model.columnCount())]
             for r in range(tab.model.rowCount())}
    assert set(shown) == {"乙当兵", "丙职工", "丁外地", "戊其他", "辛特困"}
    assert shown["乙当兵"][2] == "东山村" and shown["乙当兵"][7] == "2024" and shown["乙当兵"][6] == "2023年9月入伍"
    if SHOTS:
        dialog.resize(1000, 420)
        dialog.tabs.setCurrentWidget(tab)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.grab().save(os.path.join(SHOTS, "followups-to-confirm.png"))
    tab.view.selectionModel().select(tab.model.index(list(shown).index("丁外地"), 0),
                                     QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    with qtbot.waitSignal(tab.changed):
        tab.confirm_button.click()
    assert enrollment("丁外地", 2025).status == "elsewhere"
    assert AuditEntry.select().where(AuditEntry.action == "status-confirm").count() == 1
    assert tab.model.rowCount() == 4 and count_in_tab(dialog) == 4
    soldier = next(i for i, r in enumerate(tab.rows) if r.name == "乙当兵")
    tab.view.selectRow(soldier)
    with qtbot.waitSignal(tab.changed):
        tab.clear_button.click()
    assert enrollment("乙当兵", 2025).status == "unpaid" and tab.model.rowCount() == 3
    tab.view.clearSelection()
    tab.clear_button.click()
    assert tab.error.text(), "nothing chosen is said so"
