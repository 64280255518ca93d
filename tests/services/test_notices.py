"""缴费告知单 data: every number on a notice is the ledger's, in DOMAIN.md's words."""

import datetime as dt

import pytest
from peewee import fn

from desktop_app.domain.newborn import enrollment_deadline
from desktop_app.services.categories import set_category
from desktop_app.services.ledger import ServiceError, set_setting
from desktop_app.services.notices import (
    DEFAULT_HOW_TO_PAY,
    count_notices,
    notice_for,
    notices_for,
)
from desktop_app.store.models import Enrollment, Household, Person, db


def _member(notice, name):
    [member] = [m for m in notice.members if m.name == name]
    return member


def _ledger_totals(household_id: int, year: int = 2025) -> tuple[int, int]:
    """全户应缴 and 还需缴纳 straight from the enrollment rows."""
    due, owed = db.execute_sql(
        """SELECT COALESCE(SUM(CASE WHEN e.status IN ('unpaid', 'paid') THEN e.due_fen ELSE 0 END), 0),
                  COALESCE(SUM(CASE WHEN e.status = 'unpaid' AND e.due_fen > e.paid_fen THEN e.due_fen - e.paid_fen ELSE 0 END), 0)
           FROM enrollment e JOIN person p ON p.id = e.person_id
           WHERE p.household_id = ? AND e.year = ?""",
        (household_id, year),
    ).fetchone()
    return due, owed


def test_dibao_member_pays_the_difference(demo_ledger):
    dibao = Enrollment.get((Enrollment.year == 2025) & (Enrollment.applied_category == "dibao")
                           & Enrollment.status.in_(["unpaid", "paid"]))
    person = Person.get_by_id(dibao.person_id)
    notice = notice_for(person.household_id, 2025)
    member = _member(notice, person.name)
    assert "低保对象" in member.categories
    assert (member.standard_fen, member.subsidy_fen, member.due_fen) == (40000, 20000, 20000)
    assert member.mode_name == "差额征缴"
    assert member.id_tail == person.id_number[-4:]
    household = Household.get_by_id(person.household_id)
    assert (notice.head_name, notice.household_number) == (household.head_name, household.number)
    assert notice.title == "2025年度城乡居民医疗保险缴费告知单"
    assert notice.township == "青山镇" and notice.village == household.village.name
    assert "低保对象资助200.00元" in notice.intro and "差额征缴" in notice.intro


def test_totals_agree_with_the_ledger_for_every_household(demo_ledger):
    checked = owing = 0
    for household in Household.select():
        notice = notice_for(household.id, 2025)
        due, owed = _ledger_totals(household.id)
        assert (notice.total_due_fen, notice.owed_fen) == (due, owed), household.number
        assert notice.total_paid_fen + notice.owed_fen == notice.total_due_fen
        assert sum(m.owed_fen for m in notice.members) == notice.owed_fen
        checked += 1
        owing += notice.owed_fen > 0
    assert checked == Household.select().count() and owing > 0


def test_a_fully_subsidised_member_is_exempt_and_owes_nothing(demo_ledger):
    unpaid = Enrollment.get((Enrollment.year == 2025) & (Enrollment.status == "unpaid")
                            & (Enrollment.applied_category.is_null()))
    person = Person.get_by_id(unpaid.person_id)
    before = notice_for(person.household_id, 2025)
    assert _member(before, person.name).owed_fen == 40000
    set_category(person.id, 2025, "tekun", source="民政特困名单")
    after = notice_for(person.household_id, 2025)
    member = _member(after, person.name)
    assert member.categories == "特困人员"
    assert (member.subsidy_fen, member.due_fen, member.owed_fen) == (40000, 0, 0)
    assert (member.status_name, member.mode_name) == ("全额资助代缴", "免征代缴")
    assert after.owed_fen == before.owed_fen - 40000
    assert after.total_due_fen == before.total_due_fen - 40000


def test_who_is_on_the_notice(demo_ledger):
    family = (Household.select().join(Person).group_by(Household.id)
              .having(fn.COUNT(Person.id) >= 3).first())
    dead = Person.select().where((Person.household == family.id) & (Person.relation != "户主")).first()
    Enrollment.update(status="deceased", status_reason="已死亡").where(
        (Enrollment.person == dead.id) & (Enrollment.year == 2025)).execute()
    employee = Enrollment.get((Enrollment.year == 2025) & (Enrollment.status == "employee"))
    names = [m.name for m in notice_for(dead.household_id, 2025).members]
    assert dead.name not in names, "a notice to the family does not list the dead"
    assert len(names) == Person.select().where(Person.household == dead.household_id).count() - 1
    worker = Person.get_by_id(employee.person_id)
    member = _member(notice_for(worker.household_id, 2025), worker.name)
    assert not member.collected and member.status_name == "参加职工医保"
    assert (member.due_fen, member.owed_fen, member.mode_name) == (0, 0, "")


def test_full_id_numbers_never_reach_the_notice(demo_ledger):
    household = Household.select().first()
    notice = notice_for(household.id, 2025)
    text = repr(notice)
    for person in Person.select().where(Person.household == household.id):
        assert person.id_number not in text
        assert person.id_number[6:14] not in text  # nor the birth date digits


def test_deadline_is_the_collection_end(demo_ledger):
    notice = notice_for(Household.select().first().id, 2025)
    assert notice.deadline == dt.date(2024, 12, 31)
    assert notice.collection_start == dt.date(2024, 9, 1)
    assert "请在2024年12月31日前缴清" in notice.deadline_sentence
    assert "不少于3个月" in notice.deadline_sentence


def test_an_unpaid_newborn_gets_its_90_day_deadline(demo_ledger):
    baby = (Person.select().join(Enrollment, on=(Enrollment.person == Person.id))
            .where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")
                   & (Person.birth_date >= dt.date(2025, 1, 1))).first())
    assert baby is not None, "the demo has an unpaid newborn"
    deadline = enrollment_deadline(baby.birth_date)
    early = notice_for(baby.household_id, 2025, today=baby.birth_date)
    [newborn] = early.newborns
    assert (newborn.name, newborn.deadline, newborn.passed) == (baby.name, deadline, False)
    assert f"请在{deadline.year}年{deadline.month}月{deadline.day}日前缴费" in newborn.sentence
    late = notice_for(baby.household_id, 2025, today=deadline + dt.timedelta(days=1))
    assert late.newborns[0].passed and "已过" in late.newborns[0].sentence
    paid_baby = (Person.select().join(Enrollment, on=(Enrollment.person == Person.id))
                 .where((Enrollment.year == 2025) & (Enrollment.status == "paid")
                        & (Person.birth_date >= dt.date(2025, 1, 1))).first())
    assert all(n.name != paid_baby.name for n in notice_for(paid_baby.household_id, 2025).newborns)


def test_how_to_pay_phone_and_issuer_come_from_settings(demo_ledger):
    household_id = Household.select().first().id
    notice = notice_for(household_id, 2025)
    assert notice.how_to_pay == DEFAULT_HOW_TO_PAY and "税务APP" in notice.how_to_pay
    assert len(notice.how_to_pay_lines) == 3
    assert notice.phone == "" and notice.issuer == "青山镇人民政府"
    set_setting("notice.how_to_pay", "请到村卫生室现金缴费\n周一至周五 8:00-17:00")
    set_setting("notice.phone", "0731-12345678")
    set_setting("notice.issuer", "青山镇医保服务站")
    notice = notice_for(household_id, 2025)
    assert notice.how_to_pay_lines == ["请到村卫生室现金缴费", "周一至周五 8:00-17:00"]
    assert (notice.phone, notice.issuer) == ("0731-12345678", "青山镇医保服务站")


def test_a_whole_village_in_household_order(demo_ledger):
    village = Household.select().first().village.name
    everyone = list(notices_for(village, 2025, only_unpaid=False))
    assert len(everyone) == Household.select().where(Household.village == Household.select().first().village).count()
    assert {n.village for n in everyone} == {village}
    numbers = [n.household_number for n in everyone]
    assert numbers == sorted(numbers)
    owing = list(notices_for(village, 2025))
    assert owing and all(n.owed_fen > 0 for n in owing)
    assert [n.household_id for n in owing] == [n.household_id for n in everyone if n.owed_fen > 0]
    assert count_notices(village, 2025) == len(owing)
    assert count_notices(None, 2025, only_unpaid=False) == Household.select().count()


def test_refusals_in_words(demo_ledger):
    with pytest.raises(ServiceError, match="没有“月亮村”"):
        list(notices_for("月亮村", 2025))
    with pytest.raises(ServiceError, match="2031年度还没有载入政策"):
        notice_for(Household.select().first().id, 2031)
    with pytest.raises(ServiceError, match="找不到"):
        notice_for(999999, 2025)
