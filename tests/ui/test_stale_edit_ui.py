"""Two clerks, one person: the member form carries the row version it read, and saving it after
another clerk's change is refused with the services' words, nothing overwritten, the form shown
again as the ledger has it now. On both engines (the row version is there since migration 9):
``LEDGER_POSTGRES_SUITES=tests/ui/test_stale_edit_ui.py pytest tests/ui/test_stale_edit_ui.py``."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from desktop_app.services import household_work
from desktop_app.services.households import household_members, household_rows
from desktop_app.store.postgres import is_server_url
from desktop_app.ui.app import make_application
from desktop_app.ui.household_panel import HouseholdPanel
from tests.desk_household import add_desk_household

YEAR = 2025


def other_clerk(ledger_path, sql: str, *args: object) -> None:
    """What another clerk's program does: a change on a connection of its own, committed."""
    if is_server_url(ledger_path):
        with psycopg.connect(str(ledger_path), autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), args)
    else:
        conn = sqlite3.connect(ledger_path)
        with conn:
            conn.execute(sql, args)
        conn.close()


@pytest.fixture
def panel(qtbot, ledger, ledger_path):
    make_application()
    household_id = add_desk_household()
    shown = HouseholdPanel()
    qtbot.addWidget(shown)
    household = next(h for h in household_rows(0, 10) if h.id == household_id)
    shown.show_household(household, YEAR)
    return shown


def _edit(panel: HouseholdPanel, name: str):
    row = [panel.model.item(r, 0).text() for r in range(panel.model.rowCount())].index(name)
    panel.members.selectRow(row)
    return panel.edit_member()


def _person(panel: HouseholdPanel, person_id: int):
    return next(m for m in household_members(panel.household.id, YEAR) if m.person_id == person_id)


def test_saving_after_another_clerks_change_is_refused(panel, ledger_path):
    dialog = _edit(panel, "李秀英")
    person_id = dialog.member.person_id
    other_clerk(ledger_path, "UPDATE person SET phone = ? WHERE id = ?", "13900001111", person_id)
    dialog.row.name.setText("李秀兰")  # this clerk's edit, on the person as they were
    assert not dialog.submit()
    assert dialog.error.text() == household_work.StaleEdit().args[0]
    now = _person(panel, person_id)
    assert (now.name, now.phone) == ("李秀英", "13900001111")  # the other clerk's phone kept, no name written
    assert (dialog.row.name.text(), dialog.row.phone.text()) == ("李秀英", "13900001111")  # shown again
    dialog.row.name.setText("李秀兰")  # looked again, changed again: now it is saved
    assert dialog.submit()
    now = _person(panel, person_id)
    assert (now.name, now.phone) == ("李秀兰", "13900001111")


def test_the_form_shows_the_person_as_they_are_when_it_opens(panel, ledger_path):
    """The panel was read before another clerk's change: the form reads the person again with
    the version, so saving it does not put the old phone back."""
    person_id = next(m.person_id for m in household_members(panel.household.id, YEAR) if m.name == "张小山")
    other_clerk(ledger_path, "UPDATE person SET phone = ? WHERE id = ?", "13700002222", person_id)
    dialog = _edit(panel, "张小山")  # the panel still shows no phone
    assert dialog.row.phone.text() == "13700002222"
    dialog.row.name.setText("张晓山")
    assert dialog.submit()
    now = _person(panel, person_id)
    assert (now.name, now.phone) == ("张晓山", "13700002222")
