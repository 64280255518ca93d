"""Correcting mistakes on real ledgers: a wrong ID number, a person entered twice, a person entered
by mistake, a whole household's payment reversed, a refund paid out (issue 16)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.errors import ServiceError
from desktop_app.services import (
    access,
    audit,
    categories,
    corrections,
    household_work,
    operators,
    payments,
)
from desktop_app.services.charges import ensure_enrollments
from desktop_app.services.households import household_members
from desktop_app.services.payments import PaymentInput
from desktop_app.services.statistics import village_summaries
from desktop_app.store.models import (
    AuditEntry,
    CategoryMembership,
    Enrollment,
    Household,
    Payment,
    Person,
    db,
)
from tests.desk_household import add_desk_household

DAY = dt.date(2024, 10, 8)


@pytest.fixture
def desk(ledger):
    """Two loaded years (2024, 2025) and one household of three in 东山村."""
    household_id = add_desk_household()
    ids = [p.id for p in Person.select().where(Person.household == household_id).order_by(Person.id)]
    # added at the desk today they belong to the newest year only (DOMAIN §10); this household
    # was on 2024's list too, as a 2024 roster would have put it
    with db.atomic():
        ensure_enrollments(2024, for_persons=ids)
    return household_id, ids


def entries(action: str, table: str = "person") -> list[AuditEntry]:
    return list(AuditEntry.select().where((AuditEntry.action == action) & (AuditEntry.table == table)))


def enrollment(person_id: int, year: int = 2025) -> Enrollment:
    return Enrollment.get((Enrollment.person == person_id) & (Enrollment.year == year))


def log_in_clerk_and_admin():
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.create_operator("小李", "clerk-pass", access.CLERK, ["东山村"])


# --- 更正身份证号 ---------------------------------------------------------------------------------


def test_correcting_an_id_number_keeps_the_old_one_in_the_persons_history(desk):
    _household, (head, *_rest) = desk
    old = Person.get_by_id(head).id_number
    new = make_id_number("431199", dt.date(1971, 3, 3), 12)  # another birth date, a woman's order
    result = corrections.correct_id_number(head, new, "户口本上是1971年")
    person = Person.get_by_id(head)
    assert (person.id_number, person.sex, person.birth_date) == (new, "F", dt.date(1971, 3, 3))
    assert result.old_id_number == old
    history = audit.person_history(head)
    corrected = [row for row in history if row[3] == "correct_id"]
    assert len(corrected) == 1 and old in corrected[0][6] and new in corrected[0][7]
    assert "户口本上是1971年" in corrected[0][7]


def test_a_new_id_number_is_checked_like_any_entry(desk):
    _household, (head, wife, _son) = desk
    bad = make_id_number("431199", dt.date(1971, 3, 3), 12)
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    with pytest.raises(ServiceError, match="校验码"):
        corrections.correct_id_number(head, bad)
    with pytest.raises(ServiceError, match="已登记为李秀英"):
        corrections.correct_id_number(head, Person.get_by_id(wife).id_number)
    with pytest.raises(ServiceError, match="相同"):
        corrections.correct_id_number(head, Person.get_by_id(head).id_number)
    assert not entries("correct_id")


def test_a_later_birth_year_removes_the_years_before_birth_and_an_earlier_one_adds_them(desk):
    _household, (_head, _wife, son) = desk
    born_2025 = make_id_number("431199", dt.date(2025, 2, 1), 33)
    result = corrections.correct_id_number(son, born_2025)
    assert result.years_removed == (2024,)
    assert [e.year for e in Enrollment.select().where(Enrollment.person == son)] == [2025]
    # back to the first number: he belongs to the years from the first one the ledger records him
    # in (DOMAIN §10), now 2025; an earlier birth date gives him no year he was never recorded in
    back = make_id_number("431199", dt.date(2000, 5, 5), 31)
    again = corrections.correct_id_number(son, back)
    assert again.years_added == 0
    assert sorted(e.year for e in Enrollment.select().where(Enrollment.person == son)) == [2025]


def test_a_birth_year_after_a_paid_year_is_refused_until_the_payment_is_reversed(desk):
    _household, (_head, _wife, son) = desk
    paid = payments.record_payment(PaymentInput(son, 2024, enrollment(son, 2024).due_fen, DAY))
    born_2025 = make_id_number("431199", dt.date(2025, 2, 1), 33)
    with pytest.raises(ServiceError, match="2024年度有缴费记录"):
        corrections.correct_id_number(son, born_2025)
    assert Person.get_by_id(son).birth_date == dt.date(2000, 5, 5)
    payments.reverse_payment(paid.id, "录错了人")
    with pytest.raises(ServiceError, match="2024年度有缴费记录"):  # the reversed payment stays in the history
        corrections.correct_id_number(son, born_2025)


def test_only_an_administrator_corrects_an_id_number_and_the_refusal_is_audited(desk):
    _household, (head, *_rest) = desk
    log_in_clerk_and_admin()
    operators.log_in("小李", "clerk-pass")
    new = make_id_number("431199", dt.date(1971, 3, 3), 12)
    with pytest.raises(access.AccessDenied, match="管理员"):
        corrections.correct_id_number(head, new)
    denied = entries("denied")
    assert denied and json.loads(denied[-1].new_value)["what"] == "更正身份证号"
    operators.log_in("王站长", "admin-pass")
    corrections.correct_id_number(head, new)
    assert Person.get_by_id(head).id_number == new


# --- 合并 ------------------------------------------------------------------------------------------


def _twice_entered(desk) -> tuple[int, int]:
    """张小山 entered a second time in another household of the village, with a payment there."""
    household_id = household_work.add_household(
        "东山村", [household_work.NewMember("张小山", make_id_number("431199", dt.date(2000, 5, 6), 51), "户主")])
    drop = Person.get(Person.household == household_id).id
    return desk[1][2], drop


def test_merging_moves_payments_and_a_year_both_had_sums_the_payments(desk):
    keep, drop = _twice_entered(desk)
    due = enrollment(keep).due_fen
    payments.record_payment(PaymentInput(keep, 2025, due // 2, DAY))
    payments.record_payment(PaymentInput(drop, 2025, due - due // 2, DAY + dt.timedelta(days=3)))
    # paying for 2024 enrols the second record in 2024 (the payment is the record it belongs there)
    payments.record_payment(PaymentInput(drop, 2024, enrollment(keep, 2024).due_fen, DAY))
    dropped_household = Person.get_by_id(drop).household_id
    result = corrections.merge_persons(keep, drop, "同一人录了两次")
    assert Person.get_or_none(Person.id == drop) is None
    assert Household.get_or_none(Household.id == dropped_household) is None  # left empty
    assert result.payments_moved == 2 and result.years_joined == (2024, 2025)
    this_year = enrollment(keep)
    assert (this_year.paid_fen, this_year.status, this_year.paid_on) == (due, "paid", DAY + dt.timedelta(days=3))
    assert enrollment(keep, 2024).status == "paid"
    merged = [row for row in audit.person_history(keep) if row[3] == "merge"]
    assert merged and json.loads(merged[0][6])["id_number"] == make_id_number("431199", dt.date(2000, 5, 6), 51)
    deleted = entries("delete")
    assert json.loads(deleted[0].old_value)["name"] == "张小山" and "同一人录了两次" in deleted[0].new_value


def test_merging_keeps_one_category_and_carries_a_recorded_status(desk):
    keep, drop = _twice_entered(desk)
    categories.set_category(drop, 2025, "dibao", "低保名单")
    categories.set_category(keep, 2025, "dibao", "低保名单")
    household_work.set_status(drop, 2025, "employee", "县人民医院")
    corrections.merge_persons(keep, drop, "同一人")
    assert CategoryMembership.select().where(CategoryMembership.person == keep).count() == 1
    kept = enrollment(keep)
    assert (kept.status, kept.status_reason) == ("employee", "县人民医院")


def test_a_merge_needs_a_reason_and_two_records(desk):
    keep, drop = _twice_entered(desk)
    with pytest.raises(ServiceError, match="原因"):
        corrections.merge_persons(keep, drop, " ")
    with pytest.raises(ServiceError, match="自己"):
        corrections.merge_persons(keep, keep, "同一人")
    assert Person.get_or_none(Person.id == drop) is not None


# --- 删除 ------------------------------------------------------------------------------------------


def test_removing_a_person_keeps_every_field_in_the_audit_trail(desk):
    _household, (_head, _wife, son) = desk
    categories.set_category(son, 2025, "dibao", "低保名单")
    corrections.remove_person(son, "录入错误，此人不在本户")
    assert Person.get_or_none(Person.id == son) is None
    assert not Enrollment.select().where(Enrollment.person == son).exists()
    entry = entries("delete")[0]
    kept = json.loads(entry.old_value)
    assert kept["id_number"] == make_id_number("431199", dt.date(2000, 5, 5), 31)
    assert kept["categories"][0]["category"] == "dibao" and len(kept["enrollments"]) == 2
    assert "录入错误" in entry.new_value


def test_a_person_with_money_is_not_removed_until_it_is_reversed(desk):
    _household, (_head, _wife, son) = desk
    paid = payments.record_payment(PaymentInput(son, 2025, enrollment(son).due_fen, DAY))
    with pytest.raises(ServiceError, match="请先冲正"):
        corrections.remove_person(son, "录错")
    payments.reverse_payment(paid.id, "录错了人")
    corrections.remove_person(son, "录错")
    assert Payment.select().where(Payment.person == son).count() == 0
    kept = json.loads(entries("delete")[0].old_value)
    assert [p["amount_fen"] for p in kept["payments"]] == [paid.amount_fen, -paid.amount_fen]


def test_removing_the_last_member_removes_the_empty_household(desk):
    household_id = household_work.add_household(
        "东山村", [household_work.NewMember("误录", make_id_number("431199", dt.date(1990, 1, 1), 71), "户主")])
    only = Person.get(Person.household == household_id).id
    assert corrections.remove_person(only, "误录")
    assert Household.get_or_none(Household.id == household_id) is None
    assert entries("delete", "household")


# --- 全户冲正 ----------------------------------------------------------------------------------------


def test_a_whole_household_payment_is_reversed_in_one_action(desk):
    household_id, members = desk
    paid = payments.record_household_payment(household_id, 2025, DAY, "现金代收", "V1")
    groups = payments.household_payment_groups(household_id, 2025)
    assert len(groups) == 1 and groups[0].total_fen == paid.total_fen and len(groups[0].payments) == 3
    assert groups[0].label.startswith(f"2024-10-08 的 {paid.total_fen // 100}.00 元（3人")
    reversals = payments.reverse_household_payment(household_id, groups[0], "收错了户", on=DAY)
    assert len(reversals) == 3 and all(r.reason == "收错了户" for r in reversals)
    assert all(enrollment(pid).status == "unpaid" and enrollment(pid).paid_fen == 0 for pid in members)
    assert payments.household_payment_groups(household_id, 2025) == []
    with pytest.raises(ServiceError, match="已经冲正"):
        payments.reverse_household_payment(household_id, groups[0], "再来一次")
    assert len(entries("reverse_household", "household")) == 1


def test_a_household_reversal_is_all_or_nothing_when_one_member_was_reversed_alone(desk):
    household_id, members = desk
    payments.record_household_payment(household_id, 2025, DAY, "现金代收")
    group = payments.household_payment_groups(household_id, 2025)[0]
    payments.reverse_payment(group.payments[0][0], "单独冲正")
    with pytest.raises(ServiceError, match="单独冲正"):
        payments.reverse_household_payment(household_id, group, "全户")
    assert sum(enrollment(pid).paid_fen > 0 for pid in members) == 2


def test_a_reversal_is_described_by_date_and_amount(desk):
    _household, (head, *_rest) = desk
    paid = payments.record_payment(PaymentInput(head, 2025, 40000, dt.date(2025, 1, 2)))
    assert payments.describe(paid) == "2025-01-02 的 400.00 元"


# --- 退款 (DOMAIN.md §4.5: 事后资助, 应退 = paid − due) --------------------------------------------------


def test_a_refund_paid_out_leaves_the_refund_list_and_the_summary_counts_what_was_kept(desk):
    _household, (head, wife, _son) = desk
    payments.record_payment(PaymentInput(head, 2025, 40000, DAY))  # paid in full …
    payments.record_payment(PaymentInput(wife, 2025, 40000, DAY))
    categories.set_category(head, 2025, "dibao", "低保名单")  # … then identified: 事后资助 200
    categories.set_category(wife, 2025, "tekun", "特困名单")  # … fully subsidised: all 400 back
    owed = {row[0]: row[5] for row in payments.refunds_owed(2025)}
    assert owed == {head: 20000, wife: 40000}
    before = village_summaries(2025)[0]
    assert before.refund_fen == 60000
    refund = payments.pay_out_refund(head, 2025, dt.date(2025, 3, 1), "银行")
    assert payments.is_refund(refund) and refund.amount_fen == -20000 and refund.reason.startswith("退款")
    payments.pay_out_refund(wife, 2025, dt.date(2025, 3, 1), "现金代收", "退还个人缴费")
    assert payments.refunds_owed(2025) == []
    assert (enrollment(head).status, enrollment(head).paid_fen) == ("paid", 20000)  # 已缴费 stays
    assert (enrollment(wife).status, enrollment(wife).paid_fen) == ("exempt", 0)  # 全额资助代缴 stays
    after = village_summaries(2025)[0]
    assert after.paid_fen == before.paid_fen - 60000 and after.refund_fen == 0  # 已缴金额: what the fund kept
    assert "应退" not in next(m for m in household_members(_household, 2025) if m.person_id == head).explanation
    with pytest.raises(ServiceError, match="没有应退"):
        payments.pay_out_refund(head, 2025, dt.date(2025, 3, 2))
    with pytest.raises(ServiceError, match="退款记录，不能冲正"):
        payments.reverse_payment(refund.id, "退错了")
    assert len(entries("refund", "payment")) == 2


def test_a_person_with_a_refund_is_not_removed(desk):
    _household, (head, *_rest) = desk
    payments.record_payment(PaymentInput(head, 2025, 40000, DAY))
    categories.set_category(head, 2025, "tekun", "特困名单")
    payments.pay_out_refund(head, 2025, dt.date(2025, 3, 1))
    with pytest.raises(ServiceError, match="不能删除"):
        corrections.remove_person(head, "误录")


# --- 职工医保 / 异地参保 explained -------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "words"), [("employee", "参加职工医保，不在居民医保缴费"),
                                               ("elsewhere", "异地参保")])
def test_a_member_in_employee_or_elsewhere_insurance_is_told_why_nothing_is_owed(desk, status, words):
    household_id, (head, *_rest) = desk
    household_work.set_status(head, 2025, status)
    member = next(m for m in household_members(household_id, 2025) if m.person_id == head)
    assert member.explanation.startswith(words) and "无需" in member.explanation
    assert "个人应缴" not in member.explanation and member.owed_fen == 0
