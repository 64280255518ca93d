"""After a payment at the household panel the person list shows it: the window's refresh read
the list again only when its filters had changed, so the row of the person just paid still read
未缴费 with 0.00 paid (and the selection totals under it too) until the clerk searched again."""

from __future__ import annotations

from desktop_app.store.models import Enrollment, Household


def test_the_person_list_reads_its_rows_again_after_a_payment(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    unpaid = (Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")
                                        & (Enrollment.due_fen > 0)).first())
    household = Household.get_by_id(unpaid.person.household_id)
    window.tabs.setCurrentWidget(window.person_table)
    window.search_edit.setText(unpaid.person.id_number)
    window._filters_changed()
    window.person_table.selectRow(0)
    model = window.person_model
    assert model.rowCount() == 1 and model.row_at(0).status == "unpaid"
    assert window.household_panel.household.number == household.number
    dialog = window.household_panel.pay_household()
    qtbot.addWidget(dialog)
    assert dialog.submit()
    row = model.row_at(0)
    assert (row.id, row.status, row.paid_fen) == (unpaid.person_id, "paid", unpaid.due_fen)
    assert window.person_table.currentIndex().row() == 0  # still highlighted: the panel keeps the household
    assert window.household_panel.household.number == household.number
