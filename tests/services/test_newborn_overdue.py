"""已逾期 is its own state (issue 16): a newborn unpaid past the 90-day deadline is overdue, not
临近截止; within 15 days of it, near; "urgent" keeps meaning either (the CLI's JSON key)."""

import datetime as dt

import pytest

from desktop_app.services import followups
from desktop_app.store.models import Enrollment, Person


@pytest.mark.parametrize(("days_after_deadline", "overdue", "near", "words"), [
    (602, True, False, "已逾期602天"), (1, True, False, "已逾期1天"),
    (0, False, True, "临近截止"), (-15, False, True, "临近截止"), (-16, False, False, "")])
def test_deadline_states(demo_ledger, days_after_deadline, overdue, near, words):
    born = Person.select().where(Person.birth_date >= dt.date(2025, 1, 1)).order_by(Person.birth_date).first()
    Enrollment.update(status="unpaid", paid_fen=0).where(Enrollment.person == born.id).execute()
    today = born.birth_date + dt.timedelta(days=90 + days_after_deadline)
    row = next(r for r in followups.newborns(2025, today) if r.person_id == born.id)
    assert (row.overdue, row.near_deadline, row.deadline_words) == (overdue, near, words)
    assert row.urgent == (overdue or near)


def test_a_paid_newborn_is_never_overdue(demo_ledger):
    born = Person.select().where(Person.birth_date >= dt.date(2025, 1, 1)).order_by(Person.birth_date).first()
    Enrollment.update(status="paid").where(Enrollment.person == born.id).execute()
    row = next(r for r in followups.newborns(2025, born.birth_date + dt.timedelta(days=700)) if r.person_id == born.id)
    assert not row.overdue and not row.urgent and row.deadline_words == ""
