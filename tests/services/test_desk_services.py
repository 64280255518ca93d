"""Search, household work, statuses, household payments and follow-ups on real ledgers."""

import datetime as dt

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import backpay, followups, household_work, payments
from desktop_app.services.ledger import ServiceError
from desktop_app.services.persons import PersonQuery, count_persons, person_rows
from desktop_app.store.models import AuditEntry, Enrollment, Household, Payment, Person


def q(**kw) -> PersonQuery:
    return PersonQuery(year=2025, **kw)


def test_search_finds_by_name_initials_id_phone_and_household(demo_ledger):
    person = Person.select().where(Person.phone != "").order_by(Person.id).first()
    for text in (person.name, person.name[1:], person.name_initials, person.id_number[8:14],
                 person.phone[-6:], person.household.number):
        found = [r.id for r in person_rows(q(search=text), 0, 1000)]
        assert person.id in found, text
        assert count_persons(q(search=text)) == len(found) or count_persons(q(search=text)) > 1000
    assert count_persons(q(search="zzzzqqq")) == 0


def test_filters_and_sort(demo_ledger):
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).count()
    assert count_persons(q(unpaid=True)) == unpaid
    born = Person.select().where(Person.birth_date.between(dt.date(2025, 1, 1), dt.date(2025, 12, 31))).count()
    assert count_persons(q(newborns=True)) == born
    assert count_persons(q(status="employee")) == Enrollment.select().where(
        (Enrollment.year == 2025) & (Enrollment.status == "employee")).count()
    everyone = count_persons(q())
    assert count_persons(q(category="none")) + count_persons(q(category="dibao")) <= everyone
    rows = person_rows(q(sort="name"), 0, 50)
    assert [r.name for r in rows] == sorted(r.name for r in rows)
    owed = person_rows(q(unpaid=True, sort="due", descending=True), 0, 50)
    assert [r.due_fen - r.paid_fen for r in owed] == sorted((r.due_fen - r.paid_fen for r in owed), reverse=True)


def test_check_id_explains_and_names_the_holder(demo_ledger):
    holder = Person.select().first()
    assert "已登记为" + holder.name in household_work.check_id(holder.id_number).message
    fresh = make_id_number("431199", dt.date(1999, 9, 9), 77)
    assert household_work.check_id(fresh).message == "男，1999-09-09出生"
    assert "校验码" in household_work.check_id(fresh[:-1] + ("0" if fresh[-1] != "0" else "1")).message


def test_add_household_then_move_and_mark(demo_ledger):
    members = [
        household_work.NewMember("甲一", make_id_number("431199", dt.date(1970, 1, 1), 11), "户主", "13700000001"),
        household_work.NewMember("甲二", make_id_number("431199", dt.date(1972, 2, 2), 22), "配偶"),
    ]
    household_id = household_work.add_household("东山村", members, address="东山村9组")
    household = Household.get_by_id(household_id)
    assert household.head_name == "甲一" and household.number.startswith("431199101201")
    assert Enrollment.select().join(Person).where(Person.household == household_id).count() == 2
    with pytest.raises(ServiceError, match="已登记为甲一"):
        household_work.add_household("东山村", [members[0]])
    other = Household.select().where(Household.id != household_id).first()
    wife = Person.get(Person.name == "甲二")
    household_work.move_member(wife.id, other.id, relation="儿媳")
    assert Person.get_by_id(wife.id).household_id == other.id
    household_work.set_status(wife.id, 2025, "elsewhere", "广东打工参保")
    assert Enrollment.get((Enrollment.person == wife.id) & (Enrollment.year == 2025)).status == "elsewhere"
    household_work.set_status(wife.id, 2025, None)
    assert Enrollment.get((Enrollment.person == wife.id) & (Enrollment.year == 2025)).status == "unpaid"
    with pytest.raises(ServiceError, match="原因"):
        household_work.set_status(wife.id, 2025, "other", "")
    with pytest.raises(ServiceError):
        household_work.set_status(wife.id, 2025, "paid")
    assert AuditEntry.select().where((AuditEntry.table == "person") & (AuditEntry.action == "move")).count() == 1


def test_household_payment_pays_each_member_what_they_owe(demo_ledger):
    row = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    household_id = row.person.household_id
    owed = payments.household_due(household_id, 2025)
    result = payments.record_household_payment(household_id, 2025, dt.date(2024, 12, 1), "银行", "YH9")
    assert result.total_fen == sum(a for *_x, a in owed)
    assert payments.household_due(household_id, 2025) == []
    with pytest.raises(ServiceError, match="没有需要缴费"):
        payments.record_household_payment(household_id, 2025, dt.date(2024, 12, 1))


def test_refunds_owed_after_a_late_identification(demo_ledger):
    refunds = payments.refunds_owed(2025)
    for _pid, _name, _number, _village, paid, refund in refunds:
        assert 0 < refund <= paid


def test_newborn_deadlines_and_late_enrollers(demo_ledger):
    born = Person.select().where(Person.birth_date >= dt.date(2025, 1, 1)).order_by(Person.birth_date).first()
    Enrollment.update(status="unpaid").where(Enrollment.person == born.id).execute()
    rows = followups.newborns(2025, today=born.birth_date + dt.timedelta(days=80))
    mine = next(r for r in rows if r.person_id == born.id)
    assert mine.deadline == born.birth_date + dt.timedelta(days=90) and mine.days_left == 10 and mine.urgent
    late = followups.late_enrollers(2025)
    for row in late:
        assert row.waiting_months >= 3 and row.benefits_from > row.paid_on


def test_an_unknown_channel_is_refused_at_the_desk_the_back_payment_and_the_refund(demo_ledger):
    person = Person.select().order_by(Person.id).first()
    before = Payment.select().count()
    day = dt.date(2025, 1, 10)
    with pytest.raises(ServiceError, match="缴费渠道“红包”不认识"):
        payments.record_payment(payments.PaymentInput(person.id, 2025, 100, day, "红包"))
    with pytest.raises(ServiceError, match="缴费渠道“红包”不认识"):
        backpay.record_backpay(backpay.BackPaymentInput(person.id, 2024, 100, day, "红包"))
    with pytest.raises(ServiceError, match="退款渠道“红包”不认识"):
        payments.pay_out_refund(person.id, 2025, day, "红包")
    assert Payment.select().count() == before
