"""Roles enforced by the services themselves, and every refusal kept in the audit trail.

A clerk (经办员) works in the villages assigned to them; an administrator does everything; the
command line has no session and is refused nothing. Each refusal leaves an audit entry
("denied", what, who) that is committed although the work is not done, also when the refusal
happens inside a transaction that rolls back.
"""

import datetime as dt
import json
import sqlite3

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import access, categories, household_work, ledger, operators, payments
from desktop_app.store import dialect
from desktop_app.store.postgres import is_server_url
from desktop_app.store.models import Enrollment, Household, Person, Region, Setting, db

DAY = dt.date(2024, 10, 1)


def committed_denials(ledger_path) -> list[tuple[str, str, str, dict]]:
    """Denied entries as another connection sees them: only what was really committed."""
    conn = dialect.connect(ledger_path) if is_server_url(ledger_path) else sqlite3.connect(str(ledger_path))
    try:
        rows = conn.execute(
            'SELECT operator, "table", record_id, new_value FROM audit_entry WHERE action = ? ORDER BY id',
            ("denied",),
        ).fetchall()
    finally:
        conn.close()
    return [(who, table, record, json.loads(new)) for who, table, record, new in rows]


@pytest.fixture
def villages(demo_ledger):
    return list(Region.select().where(Region.level == "village").order_by(Region.id))


@pytest.fixture
def clerk(villages):
    """小李, a clerk for the first village, logged in."""
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")
    operators.create_operator("小李", "clerk-pass", access.CLERK, [villages[0].name])
    return operators.log_in("小李", "clerk-pass")


def person_in(village: Region) -> Person:
    return Person.select().join(Household).where(Household.village == village).order_by(Person.id).first()


def household_in(village: Region, but_not: int | None = None) -> Household:
    query = Household.select().where(Household.village == village)
    if but_not is not None:
        query = query.where(Household.id != but_not)
    return query.order_by(Household.id).first()


def test_a_clerk_cannot_move_their_own_person_into_another_villages_household(clerk, villages, ledger_path):
    mine = person_in(villages[0])
    theirs = household_in(villages[1])
    with pytest.raises(access.AccessDenied, match="不能把人迁入其他村的户"):
        household_work.move_member(mine.id, theirs.id)
    assert Person.get_by_id(mine.id).household_id == mine.household_id
    [(who, table, record, new)] = committed_denials(ledger_path)
    assert (who, table, record) == ("小李", "household", str(theirs.id))
    assert new["operator"] == "小李" and new["role"] == "经办员" and "迁入" in new["what"]
    # within their own village the move is theirs to make
    other_home = household_in(villages[0], but_not=mine.household_id)
    household_work.move_member(mine.id, other_home.id)
    assert Person.get_by_id(mine.id).household_id == other_home.id


def test_a_clerk_cannot_rename_the_township_or_change_ledger_settings(clerk, ledger_path):
    town = ledger.township()
    with pytest.raises(access.AccessDenied, match="管理员"):
        ledger.set_township("别的镇")
    with pytest.raises(access.AccessDenied, match="管理员"):
        ledger.set_township(None, "431199999")
    with pytest.raises(access.AccessDenied, match="默认年度"):
        ledger.set_setting("default_year", "2024")
    assert (ledger.township().name, ledger.township().code) == (town.name, town.code)
    assert Setting.get_or_none(Setting.key == "default_year") is None
    denials = committed_denials(ledger_path)
    assert [(t, r) for _w, t, r, _n in denials] == [("region", str(town.id)), ("region", str(town.id)),
                                                      ("setting", "default_year")]
    # saving 设置 unchanged (a clerk changing only their window language) is no change to refuse
    assert ledger.set_township(town.name, town.code).name == town.name
    assert len(committed_denials(ledger_path)) == 3


def test_an_administrator_may_change_the_township(clerk):
    operators.log_in("王站长", "admin-pass")
    assert ledger.set_township("青山镇", "431199101").name == "青山镇"
    ledger.set_setting("default_year", "2024")


def test_a_clerk_works_only_in_their_villages(clerk, villages, ledger_path):
    theirs = person_in(villages[1])
    other_household = household_in(villages[1])
    fresh = household_work.NewMember("新人", make_id_number("431199", dt.date(1990, 3, 3), 55), "户主")
    refused = [
        lambda: household_work.update_person(theirs.id, name="改名", phone="", relation=theirs.relation),
        lambda: household_work.add_member(other_household.id, fresh),
        lambda: household_work.add_household(villages[1].name, [fresh]),
        lambda: household_work.add_household("新建的村", [fresh]),
        lambda: household_work.set_status(theirs.id, 2025, "employee", "职工医保"),
        lambda: payments.record_household_payment(other_household.id, 2025, DAY),
    ]
    for work in refused:
        with pytest.raises(access.AccessDenied):
            work()
    assert Person.get_by_id(theirs.id).name == theirs.name
    assert Region.get_or_none(Region.name == "新建的村") is None
    assert Person.get_or_none(Person.id_number == fresh.id_number) is None
    assert len(committed_denials(ledger_path)) == len(refused)


def test_a_reversal_in_another_village_is_refused_and_audited(clerk, villages, ledger_path):
    operators.log_in("王站长", "admin-pass")
    other = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")
                                      & (Enrollment.village == villages[1])).first()
    paid = payments.record_payment(payments.PaymentInput(other.person_id, 2025, other.due_fen, DAY))
    operators.log_in("小李", "clerk-pass")
    with pytest.raises(access.AccessDenied, match="其他村"):
        payments.reverse_payment(paid.id, "录错了")
    assert Enrollment.get_by_id(other.id).paid_fen == other.due_fen
    assert [(t, r) for _w, t, r, _n in committed_denials(ledger_path)] == [("person", str(other.person_id))]


def test_categories_are_an_administrators_work(clerk, villages, ledger_path):
    mine = person_in(villages[0])
    with pytest.raises(access.AccessDenied, match="管理员"):
        categories.set_category(mine.id, 2025, "tekun", "自己填的")
    assert "tekun" not in categories.categories_of(mine.id, 2025)
    assert len(committed_denials(ledger_path)) == 1


def test_a_refusal_inside_a_rolled_back_transaction_is_still_audited(clerk, villages, ledger_path):
    mine = person_in(villages[0])
    theirs = household_in(villages[1])
    with pytest.raises(access.AccessDenied):
        with db.atomic():
            Person.update(phone="13900000000").where(Person.id == mine.id).execute()
            household_work.move_member(mine.id, theirs.id)
    assert Person.get_by_id(mine.id).phone == mine.phone  # the caller's work rolled back
    [(who, table, record, new)] = committed_denials(ledger_path)
    assert (who, table, record) == ("小李", "household", str(theirs.id))


def test_the_command_line_has_no_session_and_is_refused_nothing(villages, ledger_path):
    assert access.current() is None
    person = person_in(villages[0])
    household_work.move_member(person.id, household_in(villages[1]).id)
    ledger.set_township("别的镇", "431199102")
    ledger.set_setting("default_year", "2024")
    assert Person.get_by_id(person.id).household.village_id == villages[1].id
    assert committed_denials(ledger_path) == []


def test_a_refusal_caught_inside_a_transaction_that_commits_is_audited_once(clerk, villages, ledger_path):
    mine = person_in(villages[0])
    theirs = household_in(villages[1])
    with db.atomic():
        Person.update(phone="13900000000").where(Person.id == mine.id).execute()
        with pytest.raises(access.AccessDenied):
            household_work.move_member(mine.id, theirs.id)
    assert Person.get_by_id(mine.id).phone == "13900000000"
    assert len(committed_denials(ledger_path)) == 1
    household_work.update_person(mine.id, name=mine.name, phone="", relation=mine.relation)  # the next check
    assert len(committed_denials(ledger_path)) == 1
