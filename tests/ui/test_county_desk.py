"""The window at county size, beyond the person list: the village rates of a county's villages
of one name, the list export dialog's count off the UI thread, the households tab's capped count
(read only while shown), and what Ctrl+A on a capped list says it selected. Real window
offscreen, real demo ledger; the caps are made small rather than the ledger big."""

import threading

from PySide6.QtCore import Qt

from desktop_app.services.persons import PersonQuery, count_persons
from desktop_app.services.statistics import village_rates
from desktop_app.ui import list_export_dialog
from tests.services.test_village_rates_county import same_name_in_two_townships
from tests.ui.test_person_list_count import CAP, small_cap

YEAR = 2025


def counts_on(monkeypatch, module):
    """Each count ``module`` asks for: (the thread it ran on is the UI thread, its cap)."""
    asked, real = [], module.count_persons

    def counting(query, cap=None):  # noqa: ANN001, ANN202
        asked.append((threading.current_thread() is threading.main_thread(), cap))
        return real(query, cap=cap)

    monkeypatch.setattr(module, "count_persons", counting)
    return asked


def test_a_village_shows_its_own_rate_beside_another_townships_village_of_its_name(
        qtbot, demo_ledger, ledger_path, open_window):
    ours, theirs = same_name_in_two_townships()
    rates = {r.village_id: r for r in village_rates(YEAR)}
    window = open_window(ledger_path)
    qtbot.waitUntil(lambda: "参保率" in window.village_list.item(1).text(), timeout=20_000)
    items = {window.village_list.item(r).data(Qt.ItemDataRole.UserRole): window.village_list.item(r)
             for r in range(1, window.village_list.count())}
    for village in (ours, theirs):
        assert items[village.id].text().startswith(ours.name)
        assert f"参保率 {rates[village.id].rate:.1%}" in items[village.id].text()
    assert items[ours.id].text() != items[theirs.id].text()


def test_the_list_export_dialog_opens_without_an_exact_count_on_the_ui_thread(
        qtbot, demo_ledger, ledger_path, open_window, monkeypatch):
    small_cap(monkeypatch)
    window = open_window(ledger_path)
    everyone = count_persons(PersonQuery(YEAR))
    assert everyone > CAP and not window.person_model.count_known
    asked = counts_on(monkeypatch, list_export_dialog)
    dialog = window.export_list()
    qtbot.addWidget(dialog)
    assert (True, None) not in asked  # nothing counted whole on the UI thread
    what = dialog.findChild(type(dialog.what), "listExportWhat")
    assert f"至少{CAP}人" in what.text()
    qtbot.waitUntil(lambda: f"{everyone:,}人" in what.text(), timeout=10_000)
    assert "至少" not in what.text() and asked == [(False, None)]  # counted off the UI thread


def test_the_list_export_dialog_of_a_list_counted_whole_counts_nothing(
        qtbot, demo_ledger, ledger_path, open_window, monkeypatch):
    window = open_window(ledger_path)
    window.unpaid_check.setChecked(True)
    unpaid = count_persons(window.person_model.query)
    assert window.person_model.count_known and window.person_model.rowCount() == unpaid
    asked = counts_on(monkeypatch, list_export_dialog)
    dialog = window.export_list()
    qtbot.addWidget(dialog)
    assert asked == [] and dialog.counting is None
    assert dialog.what.text() == f"青山镇2025年度人员名单（未缴费）：{unpaid}人，{len(dialog.columns)}列"
