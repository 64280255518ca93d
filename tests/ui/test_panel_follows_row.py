"""The household panel always shows the household of the highlighted row of the table on screen:
across the 人员 and 户 tabs, searches, filters and refreshes (issue 16, item 1)."""

import datetime as dt

from desktop_app.services import payments
from desktop_app.store.models import Enrollment, Person


def _highlighted_household(window) -> int | None:
    """The household id of the visible table's current row, None when no row is highlighted."""
    table = window.tabs.currentWidget()
    row = table.currentIndex().row()
    item = table.model().row_at(row) if row >= 0 else None
    if item is None:
        return None
    return item.household_id if table is window.person_table else item.id


def _panel_household(window) -> int | None:
    return window.household_panel.household.id if window.household_panel.household is not None else None


def _other_household_row(window, household_id: int) -> int:
    model = window.household_model
    return next(r for r in range(model.rowCount()) if model.row_at(r).id != household_id)


def test_switching_tabs_shows_the_household_of_the_highlighted_row(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.person_table.selectRow(0)
    person = window.person_model.row_at(0)
    assert _panel_household(window) == person.household_id
    window.tabs.setCurrentWidget(window.household_table)
    window.household_table.selectRow(_other_household_row(window, person.household_id))
    assert _panel_household(window) == _highlighted_household(window) != person.household_id
    window.tabs.setCurrentWidget(window.person_table)  # the first person is still highlighted
    assert window.person_table.currentIndex().row() == 0
    assert _panel_household(window) == person.household_id
    assert window.household_panel.selected_person_id() == person.id
    window.tabs.setCurrentWidget(window.household_table)
    assert _panel_household(window) == _highlighted_household(window) != person.household_id


def test_a_search_that_hides_the_row_clears_the_panel(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.person_table.selectRow(3)
    first = window.person_model.row_at(3)
    other = Person.select().where(Person.household != first.household_id).order_by(Person.id.desc()).first()
    window.search_edit.setText(other.id_number)
    window._filters_changed()  # what the search timer does after the last key
    assert _panel_household(window) == _highlighted_household(window)
    assert _panel_household(window) != first.household_id
    window.person_table.selectRow(0)
    assert _panel_household(window) == other.household_id
    window.search_edit.clear()
    window._filters_changed()
    assert _panel_household(window) == _highlighted_household(window)


def test_a_filter_and_a_refresh_keep_panel_and_row_together(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.unpaid_check.setChecked(True)
    window.person_table.selectRow(1)
    chosen = window.person_model.row_at(1)
    assert _panel_household(window) == chosen.household_id
    enrollment = Enrollment.get((Enrollment.person == chosen.id) & (Enrollment.year == window.year))
    payments.record_payment(payments.PaymentInput(chosen.id, window.year, enrollment.due_fen, dt.date.today()))
    window.data_changed()  # what a payment at the desk does: the paid person leaves the 未缴费 list
    assert _panel_household(window) == _highlighted_household(window)
    window.unpaid_check.setChecked(False)
    assert _panel_household(window) == _highlighted_household(window)
    window.person_table.selectRow(2)
    kept = window.person_model.row_at(2)
    window.refresh()  # the same rows: the same row stays highlighted, the panel on its household
    assert window.person_table.currentIndex().row() == 2
    assert _panel_household(window) == kept.household_id


def test_clicking_the_highlighted_row_again_reads_the_household_again(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.tabs.setCurrentWidget(window.household_table)
    window.household_table.selectRow(0)
    window.household_panel.show_household(None, 0)  # whatever put something else there
    index = window.household_model.index(0, 0)
    window.household_table.clicked.emit(index)
    assert _panel_household(window) == window.household_model.row_at(0).id
