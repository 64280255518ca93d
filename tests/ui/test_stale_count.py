"""A count of the person list that was started before the list was read again (a payment, the
same filters) must not land on the list read after it: it counted rows of before. Under the
未缴费 filter a payment takes a person off the list; the count in flight still had them, and the
list said one person more than it held, its last row blank.

The background count is the real one; it only waits, once counted, for the payment to be made,
so that it lands after the list was read again (as a count of a second at a million persons does
when a payment is saved meanwhile)."""

from __future__ import annotations

import threading

from desktop_app.services.households import count_households
from desktop_app.services.persons import count_persons
from desktop_app.store.models import Enrollment, Household
from desktop_app.ui import household_count, models, person_list


def gate_counts(monkeypatch, module=person_list, name="count_persons"):
    """A list's background count (``module.name``: the person list's unless told), counting for
    real, then holding its result until released."""
    counted, release = threading.Event(), threading.Event()
    real = getattr(module, name)

    def count_then_wait(query, cap=None):
        found = real(query, cap)
        counted.set()
        release.wait(10)
        return found

    monkeypatch.setattr(module, name, count_then_wait)
    return counted, release


def test_a_count_begun_before_the_list_was_read_again_is_not_taken(qtbot, demo_ledger, ledger_path, open_window,
                                                                    monkeypatch):
    monkeypatch.setattr(models.PersonTableModel, "count_cap", 30)
    monkeypatch.setattr(models.PersonTableModel, "BLOCK", 16)
    monkeypatch.setattr(person_list.PersonList, "count_by_itself", False)
    counted, release = gate_counts(monkeypatch)
    window = open_window(ledger_path)
    window.unpaid_check.setChecked(True)
    model = window.person_model
    before = count_persons(model.query)
    assert before > 30 and not model.count_known
    operation = window.person_list.count_all()
    assert counted.wait(10)  # counted, not landed yet
    # a payment: the person leaves the 未缴费 list, which is read again with the same filters
    paid = Enrollment.get((Enrollment.year == 2025) & (Enrollment.status == "unpaid"))
    Enrollment.update(status="paid", paid_fen=paid.due_fen).where(Enrollment.id == paid.id).execute()
    window.data_changed()
    with qtbot.waitSignal(operation.succeeded, timeout=10_000):
        release.set()
    now = count_persons(model.query)
    assert now == before - 1
    assert not model.count_known or model.rowCount() == now
    assert all(model.row_at(r) is not None for r in range(model.rowCount()))
    assert window.statusBar().currentMessage() != f"显示{before}人"


def test_the_households_count_begun_before_the_list_was_read_again_is_not_taken(qtbot, demo_ledger, ledger_path,
                                                                                 open_window, monkeypatch):
    """The households tab counts by itself; a household added meanwhile (the list read again, the
    same query) was missing from the list the stale count made whole."""
    monkeypatch.setattr(models.HouseholdTableModel, "count_cap", 30)
    monkeypatch.setattr(models.HouseholdTableModel, "BLOCK", 16)
    counted, release = gate_counts(monkeypatch, household_count, "count_households")
    window = open_window(ledger_path)
    model = window.household_model
    window.tabs.setCurrentWidget(window.household_table)  # read when shown, then counted by itself
    assert not model.count_known
    assert counted.wait(10)
    village = Household.select().first().village
    Household.create(number="ZZ-新户", village=village, head_name="新户主")
    model.reload()  # as after a save: the same query read again
    release.set()
    qtbot.waitUntil(lambda: model.count_known, timeout=10_000)
    qtbot.wait(50)  # let a second count, if any, land too
    assert model.rowCount() == count_households(model.query)
    assert "ZZ-新户" in {model.row_at(r).number for r in range(model.rowCount())}
