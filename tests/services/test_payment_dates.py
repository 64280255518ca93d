"""An impossible date paid (after today, before the year's collection started) is refused by the
desk service and by the payments import alike, and nothing is written (issue 16, item 3)."""

import datetime as dt

import pytest

from desktop_app.services import importing, payments
from desktop_app.store.models import Enrollment, Payment
from tests.exchange.xch_builders import SheetSpec, build_xlsx

YEAR = 2025


def _unpaid(n: int = 1) -> list[Enrollment]:
    return list(Enrollment.select().where((Enrollment.year == YEAR) & (Enrollment.status == "unpaid")
                                          & (Enrollment.due_fen > 0)).order_by(Enrollment.id).limit(n))


@pytest.mark.parametrize("day", [dt.date(2031, 10, 2), dt.date.today() + dt.timedelta(days=1),
                                 dt.date(2019, 10, 2), dt.date(2024, 8, 31)])
def test_the_desk_service_refuses_an_impossible_date(demo_ledger, day):
    (owes,) = _unpaid()
    before = Payment.select().count()
    with pytest.raises(payments.PaymentDateRefused, match=day.isoformat()):
        payments.record_payment(payments.PaymentInput(owes.person_id, YEAR, owes.due_fen, day))
    household = owes.person.household_id
    with pytest.raises(payments.PaymentDateRefused):
        payments.record_household_payment(household, YEAR, day)
    assert Payment.select().count() == before
    assert Enrollment.get_by_id(owes.id).status == "unpaid"


def test_the_first_day_of_the_collection_and_today_are_accepted(demo_ledger):
    first, second = _unpaid(2)
    payments.record_payment(payments.PaymentInput(first.person_id, YEAR, first.due_fen, dt.date(2024, 9, 1)))
    payments.record_payment(payments.PaymentInput(second.person_id, YEAR, second.due_fen, dt.date.today()))
    assert {Enrollment.get_by_id(e.id).status for e in (first, second)} == {"paid"}


def test_the_payments_import_refuses_the_same_dates_row_by_row(demo_ledger, tmp_path):
    good, future, early = _unpaid(3)
    header = ["姓名", "证件号码", "缴费金额", "缴费日期", "票据号码"]
    rows = [header,
            [good.person.name, good.person.id_number, good.due_fen / 100, "2024-11-05", "PJ1"],
            [future.person.name, future.person.id_number, future.due_fen / 100, "2031-11-05", "PJ2"],
            [early.person.name, early.person.id_number, early.due_fen / 100, "2019-11-05", "PJ3"]]
    path = build_xlsx(tmp_path / "税务回传.xlsx", [SheetSpec("Sheet1", rows)])
    plan = importing.plan("payments", path, year=YEAR)
    assert plan.summary_line() == "payments: 1 accepted (1 new, 0 updated), 2 rejected, 0 unmatched"
    reasons = {issue.id_number: issue.reason for issue in plan.rejected}
    assert "2031-11-05在今天" in reasons[future.person.id_number]
    assert "集中征缴期2024-09-01才开始" in reasons[early.person.id_number]
    importing.apply(plan)
    assert [Enrollment.get_by_id(e.id).status for e in (good, future, early)] == ["paid", "unpaid", "unpaid"]
