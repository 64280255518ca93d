"""The payment verdict applied by the desk service and by the payments import, on real ledgers."""

import datetime as dt

import pytest

from desktop_app.services import importing, payments
from desktop_app.store.models import Enrollment, Payment
from tests.exchange.xch_builders import SheetSpec, build_xlsx

DAY = dt.date(2024, 11, 5)


def _first(status: str, **where) -> Enrollment:
    query = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == status))
    for name, value in where.items():
        query = query.where(getattr(Enrollment, name) == value)
    return query.order_by(Enrollment.id).first()


def test_the_desk_refuses_an_absurd_amount_with_its_reason(demo_ledger):
    unpaid = _first("unpaid")
    before = Payment.select().count()
    for amount, words in ((unpaid.standard_fen * 10 + 100, "10倍"),
                          (unpaid.due_fen + unpaid.standard_fen + 1, "再加一年的缴费标准")):
        with pytest.raises(payments.PaymentRefused, match=words):
            payments.record_payment(payments.PaymentInput(unpaid.person_id, 2025, amount, DAY))
    assert Payment.select().count() == before
    assert Enrollment.get_by_id(unpaid.id).paid_fen == 0


def test_the_desk_asks_before_a_payment_from_a_person_who_owes_nothing(demo_ledger):
    exempt = _first("exempt", paid_fen=0)
    money = payments.PaymentInput(exempt.person_id, 2025, exempt.standard_fen, DAY, "税务APP", "SW1")
    assert payments.check_payment(money).warned
    with pytest.raises(payments.ConfirmationNeeded, match="免征代缴"):
        payments.record_payment(money)
    assert Enrollment.get_by_id(exempt.id).paid_fen == 0
    payments.record_payment(money, confirmed=True)
    after = Enrollment.get_by_id(exempt.id)
    assert (after.status, after.due_fen, after.paid_fen) == ("exempt", 0, exempt.standard_fen)
    owed = {row[0]: row[5] for row in payments.refunds_owed(2025)}
    assert owed[exempt.person_id] == exempt.standard_fen  # shows as 应退
    with pytest.raises(payments.PaymentRefused, match="不能重复缴费"):
        payments.record_payment(money, confirmed=True)


def test_a_reversal_keeps_its_own_rules(demo_ledger):
    unpaid = _first("unpaid")
    first = payments.record_payment(payments.PaymentInput(unpaid.person_id, 2025, unpaid.due_fen, DAY))
    reversal = payments.reverse_payment(first.id, "录错了人")
    assert reversal.amount_fen == -unpaid.due_fen
    assert Enrollment.get_by_id(unpaid.id).paid_fen == 0


def test_the_import_gives_the_desks_verdict(demo_ledger, tmp_path):
    exempt = _first("exempt", paid_fen=0)
    unpaid = list(Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid"))
                  .order_by(Enrollment.id).limit(2))
    header = ["姓名", "证件号码", "缴费金额", "缴费日期", "票据号码"]
    rows = [
        header,
        [exempt.person.name, exempt.person.id_number, exempt.standard_fen // 100, "2024/11/5", "PJ1"],
        [unpaid[0].person.name, unpaid[0].person.id_number, unpaid[0].due_fen // 100, "2024/11/5", "PJ2"],
        [unpaid[1].person.name, unpaid[1].person.id_number, unpaid[1].standard_fen * 100 // 100, "2024/11/5", "PJ3"],
    ]
    path = build_xlsx(tmp_path / "税务回传.xlsx", [SheetSpec("Sheet1", rows)])
    plan = importing.plan("payments", path)
    assert plan.summary_line() == "payments: 2 accepted (2 new, 0 updated), 1 rejected, 0 unmatched"
    assert [r.id_number for r in plan.rejected] == [unpaid[1].person.id_number]
    assert "10倍" in plan.rejected[0].reason
    warned = [w for w in plan.warnings if w.id_number == exempt.person.id_number]
    assert len(warned) == 1 and "免征代缴" in warned[0].reason and "应退" in warned[0].reason
    importing.apply(plan)
    after = Enrollment.get_by_id(exempt.id)
    assert (after.status, after.paid_fen) == ("exempt", exempt.standard_fen)
    assert exempt.person_id in {row[0] for row in payments.refunds_owed(2025)}
    assert Enrollment.get_by_id(unpaid[1].id).paid_fen == 0


def test_four_million_yuan_is_refused_at_the_desk_and_in_an_import(demo_ledger, tmp_path):
    """DOMAIN.md §10, absurd amounts: a 4,000,000-yuan payment (once accepted with a warning and
    shown as 应退3999600.00元) is refused with its reason, at the desk and in a payments import."""
    ordinary = _first("unpaid", due_fen=40000)
    huge = 4_000_000 * 100
    with pytest.raises(payments.PaymentRefused, match="10倍") as refused:
        payments.record_payment(payments.PaymentInput(ordinary.person_id, 2025, huge, DAY))
    assert "4000000.00" in str(refused.value)
    rows = [["姓名", "证件号码", "缴费金额", "缴费日期"],
            [ordinary.person.name, ordinary.person.id_number, "4000000", "2024/11/5"]]
    plan = importing.plan("payments", build_xlsx(tmp_path / "税务回传.xlsx", [SheetSpec("Sheet1", rows)]))
    assert [r.id_number for r in plan.rejected] == [ordinary.person.id_number]
    assert "10倍" in plan.rejected[0].reason and "4000000.00" in plan.rejected[0].reason
    assert not any("应退" in w.reason for w in plan.warnings)
    importing.apply(plan)
    after = Enrollment.get_by_id(ordinary.id)
    assert (after.paid_fen, after.status) == (0, "unpaid")
    assert ordinary.person_id not in {row[0] for row in payments.refunds_owed(2025)}
