"""The window at county size, beyond the person list: the village rates of a county's villages
of one name, the list export dialog's count off the UI thread, the households tab's capped count
(read only while shown), and what Ctrl+A on a capped list says it selected. Real window
offscreen, real demo ledger; the caps are made small rather than the ledger big."""

import threading

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt

from desktop_app.services.households import count_households, household_rows
from desktop_app.services.persons import PersonQuery, count_persons, selection_totals
from desktop_app.services.statistics import village_rates
from desktop_app.store.models import Person
from desktop_app.ui import household_count, list_export_dialog, main_actions, models
from tests.services.test_village_rates_county import same_name_in_two_townships
from tests.ui.test_person_list_count import CAP, small_cap

YEAR = 2025


def counts_on(monkeypatch, module):
    """Each count ``module`` asks for: (the thread it ran on is the UI thread, its cap)."""
    asked, real = [], module.count_persons

    def counting(query, cap=None):
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


# --- the households tab ---------------------------------------------------------------------------

HOUSEHOLD_CAP = 40


def small_household_cap(monkeypatch, by_itself=False):
    monkeypatch.setattr(models.HouseholdTableModel, "count_cap", HOUSEHOLD_CAP)
    monkeypatch.setattr(models.HouseholdTableModel, "BLOCK", 16)
    monkeypatch.setattr(household_count.HouseholdCount, "count_by_itself", by_itself)


def household_counts(monkeypatch):
    asked, real = [], models.count_households

    def counting(query, cap=None):
        asked.append((query.search, cap))
        return real(query, cap=cap)

    monkeypatch.setattr(models, "count_households", counting)
    return asked


def test_below_the_cap_the_households_tab_counts_exactly_as_before(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.tabs.setCurrentWidget(window.household_table)
    model, everyone = window.household_model, count_households()
    assert everyone < models.COUNT_CAP
    assert model.rowCount() == everyone and model.count_known and not model.canFetchMore()
    assert window.statusBar().currentMessage() == f"显示{everyone:,}户"
    window.tabs.setCurrentWidget(window.person_table)
    assert window.statusBar().currentMessage().endswith("人")


def test_beyond_the_cap_the_households_tab_says_at_least_and_grows(qtbot, demo_ledger, ledger_path, open_window,
                                                                    monkeypatch):
    small_household_cap(monkeypatch)
    window = open_window(ledger_path)
    window.tabs.setCurrentWidget(window.household_table)
    model, view, everyone = window.household_model, window.household_table, count_households()
    assert everyone > HOUSEHOLD_CAP
    assert model.rowCount() == HOUSEHOLD_CAP and not model.count_known and model.canFetchMore()
    assert window.statusBar().currentMessage() == f"至少{HOUSEHOLD_CAP}户"
    qtbot.waitUntil(lambda: (view.scrollToBottom(), model.count_known)[1], timeout=10_000)
    assert model.rowCount() == everyone
    assert [model.row_at(r).id for r in range(everyone)] == [h.id for h in household_rows(0, everyone + 1)]
    assert window.statusBar().currentMessage() == f"显示{everyone}户"


def test_a_capped_households_tab_is_counted_exactly_by_itself(qtbot, demo_ledger, ledger_path, open_window,
                                                             monkeypatch):
    small_household_cap(monkeypatch, by_itself=True)
    window = open_window(ledger_path)
    window.tabs.setCurrentWidget(window.household_table)
    model, everyone = window.household_model, count_households()
    qtbot.waitUntil(lambda: model.count_known, timeout=10_000)
    assert model.rowCount() == everyone
    assert window.statusBar().currentMessage() == f"显示{everyone}户"


def test_the_hidden_households_tab_reads_nothing_until_shown(qtbot, demo_ledger, ledger_path, open_window,
                                                           monkeypatch):
    window = open_window(ledger_path)
    asked = household_counts(monkeypatch)
    person = Person.select().order_by(Person.id.desc()).first()
    for typed in (person.name[:1], person.name, person.id_number):  # keystrokes on the persons tab
        window.search_edit.setText(typed)
        window._filters_changed()
    window.data_changed()  # a payment, say
    assert asked == []
    window.tabs.setCurrentWidget(window.household_table)
    assert asked == [(person.id_number, models.COUNT_CAP + 1)]  # once, capped, with the search of now
    assert window.household_model.rowCount() == 1
    assert window.household_model.row_at(0).id == person.household_id
    # shown, it follows the search box at once
    window.search_edit.clear()
    window._filters_changed()
    assert window.household_model.rowCount() == count_households()


def test_printing_a_capped_households_tab_prints_every_household(qtbot, demo_ledger, ledger_path, open_window,
                                                                 monkeypatch):
    small_household_cap(monkeypatch)
    window = open_window(ledger_path)
    window.tabs.setCurrentWidget(window.household_table)
    model, everyone = window.household_model, count_households()
    assert model.rowCount() == HOUSEHOLD_CAP < everyone <= main_actions.PRINT_LIST_LIMIT
    dialog = window.print_list()
    qtbot.addWidget(dialog)
    assert model.count_known and model.rowCount() == everyone


# --- Ctrl+A on a list not all counted --------------------------------------------------------------

def test_ctrl_a_on_a_capped_list_says_it_holds_the_rows_shown_and_stays_all_as_the_list_grows(
        qtbot, demo_ledger, ledger_path, open_window, monkeypatch):
    small_cap(monkeypatch)
    window = open_window(ledger_path)
    model, view, persons = window.person_model, window.person_table, window.person_list
    everyone = count_persons(PersonQuery(YEAR))
    assert model.rowCount() == CAP < everyone and not model.count_known
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    persons.update_totals()  # what the short timer does once the selection rests
    assert persons.selected_ranges() == [(0, CAP - 1)]
    assert persons.totals == selection_totals(model.query, [(0, CAP - 1)])
    assert window.selection_label.text().startswith(f"已选 {CAP} 人（只是已显示的行，名单还有更多）")
    assert persons.copy() == CAP
    assert window.statusBar().currentMessage() == f"已复制已显示的{CAP}行，名单还有更多；要全部，请导出名单。"
    # the list grows a block (scrolled to its end): the selection is still every row shown
    model.fetchMore()
    assert persons.selected_ranges() == [(0, model.rowCount() - 1)] and model.rowCount() > CAP
    # the exact count lands (as the background count does): every person of the list is selected
    model.set_exact_count(model.query, everyone)
    persons.update_totals()
    assert persons.selected_ranges() == [(0, everyone - 1)]
    assert persons.totals == selection_totals(model.query, [(0, everyone - 1)])
    assert persons.totals.persons == everyone
    assert window.selection_label.text().startswith(f"已选 {everyone} 人 · ")
    assert persons.copy() == everyone
    assert window.statusBar().currentMessage() == f"已复制{everyone}行，可粘贴到WPS或Excel。"


def test_a_selection_within_the_rows_shown_reads_as_before(qtbot, demo_ledger, ledger_path, open_window,
                                                          monkeypatch):
    small_cap(monkeypatch)
    window = open_window(ledger_path)
    model, persons = window.person_model, window.person_list
    window.person_table.selectionModel().select(
        QItemSelection(model.index(0, 0), model.index(9, 0)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    persons.update_totals()
    assert window.selection_label.text().startswith("已选 10 人 · ")
    model.fetchMore()  # not every row was selected: the selection stays as it was
    assert persons.selected_ranges() == [(0, 9)]


def test_count_all_stays_beside_the_persons_count(qtbot, demo_ledger, ledger_path, open_window, monkeypatch):
    """On the households tab the status bar counts households: the persons' "全部计数" leaves it."""
    small_cap(monkeypatch)
    window = open_window(ledger_path)
    button = window.person_list.count_button
    assert button.isVisible()
    window.tabs.setCurrentWidget(window.household_table)
    assert button.isHidden() and window.statusBar().currentMessage().endswith("户")
    window.person_model.sort(0)  # the persons list read again meanwhile, still capped
    assert not window.person_model.count_known and button.isHidden()
    window.tabs.setCurrentWidget(window.person_table)
    assert button.isVisible() and window.statusBar().currentMessage().endswith("人")
