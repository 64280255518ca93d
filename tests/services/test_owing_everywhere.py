"""还需缴纳 and 应退 on a real ledger: the household payment, the household panel's sums, the
payment notices and the refunds list all follow the domain's one rule."""

from __future__ import annotations

import datetime as dt

from desktop_app.domain.charges import refund_due, still_owes
from desktop_app.services import household_work, notices, payments
from desktop_app.services.households import household_members, household_totals
from desktop_app.services.payments import PaymentInput
from desktop_app.store.models import Enrollment, Household, db

YEAR = 2025


def _part_pay(count: int) -> None:
    """Some unpaid persons pay half of what they owe: unpaid, with money paid."""
    rows = (Enrollment.select().where((Enrollment.year == YEAR) & (Enrollment.status == "unpaid")
                                      & (Enrollment.due_fen > 1)).order_by(Enrollment.id).limit(count))
    for row in rows:
        payments.record_payment(PaymentInput(row.person_id, YEAR, row.due_fen // 2, dt.date(2024, 11, 1)))


def _owed_by_the_rule(household_id: int) -> list[tuple[int, str, int]]:
    rows = db.execute_sql(
        """SELECT p.id, p.name, e.status, e.due_fen, e.paid_fen FROM person p
           JOIN enrollment e ON e.person_id = p.id AND e.year = ?
           WHERE p.household_id = ?
           ORDER BY CASE p.relation WHEN '户主' THEN 0 ELSE 1 END, p.birth_date""",
        (YEAR, household_id),
    ).fetchall()
    owed = [(pid, name, still_owes(status, due, paid)) for pid, name, status, due, paid in rows]
    return [row for row in owed if row[2] > 0]


def test_household_payment_panel_and_notices_agree_with_the_rule(demo_ledger):
    _part_pay(6)
    owing_households = set()
    for household in Household.select():
        expected = _owed_by_the_rule(household.id)
        assert payments.household_due(household.id, YEAR) == expected
        members = household_members(household.id, YEAR)
        totals = household_totals(members)
        assert totals.owed_fen == sum(amount for *_x, amount in expected)
        assert [(m.person_id, m.owed_fen) for m in members if m.owed_fen] == [(p, a) for p, _n, a in expected]
        if expected:
            owing_households.add(household.id)
            notice = notices.notice_for(household.id, YEAR)
            assert notice.owed_fen == totals.owed_fen
    assert owing_households  # the demo has households that still owe
    # the batch printer's "only households that still owe" (one SQL filter) picks the same ones
    picked = {n.household_id for n in notices.notices_for(None, YEAR, only_unpaid=True)}
    assert picked == owing_households


def test_a_payment_from_someone_later_marked_employee_is_no_subsidy_owed_back_anywhere(demo_ledger):
    """The panel used to say 应退 (事后资助) for anyone who paid more than is due, while the
    refunds list, the notice and the figures count only the paid and the exempt."""
    exempt = Enrollment.select().where((Enrollment.year == YEAR) & (Enrollment.status == "exempt")).first()
    payments.record_payment(PaymentInput(exempt.person_id, YEAR, exempt.standard_fen, dt.date(2024, 11, 1)),
                            confirmed=True)
    member = next(m for m in household_members(exempt.person.household_id, YEAR) if m.person_id == exempt.person_id)
    assert "应退" in member.explanation  # exempt and paid: 事后资助
    household_work.set_status(exempt.person_id, YEAR, "employee", "在县城单位参加职工医保")
    member = next(m for m in household_members(exempt.person.household_id, YEAR) if m.person_id == exempt.person_id)
    assert member.status == "employee" and member.paid_fen == exempt.standard_fen
    assert refund_due(member.status, member.paid_fen, member.due_fen) == 0
    assert exempt.person_id not in {row[0] for row in payments.refunds_owed(YEAR)}
    assert "应退" not in member.explanation
