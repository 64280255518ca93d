import datetime as dt
import os
import stat

import peewee
import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.store.models import Enrollment, Household, Payment, Person, Region, db


def _village() -> Region:
    return Region.create(name="东山村", code="431199101201", level="village")


def _person(household: Household, number: str, name: str = "张三") -> Person:
    return Person.create(
        id_number=number, name=name, sex="M", birth_date=dt.date(1970, 1, 1), household=household
    )


@pytest.mark.sqlite_only
def test_pragmas_for_a_ledger_of_money(ledger):
    assert ledger.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ledger.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert ledger.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert ledger.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 1000


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_ledger_file_is_readable_by_its_owner_only(ledger, ledger_path):
    assert stat.S_IMODE(ledger_path.stat().st_mode) == 0o600


def test_duplicate_id_number_is_refused(ledger):
    household = Household.create(number="H1", village=_village())
    number = make_id_number("431199", dt.date(1970, 1, 1), 11)
    _person(household, number)
    with pytest.raises(peewee.IntegrityError, match="person.id_number"):
        with db.atomic():
            _person(household, number, "李四")
    assert Person.select().count() == 1


def test_payment_for_a_person_who_does_not_exist_is_refused(ledger):
    with pytest.raises(peewee.IntegrityError, match="(?i)foreign key"):
        with db.atomic():
            Payment.create(person=9999, year=2025, amount_fen=40000, paid_on=dt.date(2024, 10, 1))
    assert Payment.select().count() == 0


def test_one_enrollment_per_person_and_year(ledger):
    village = _village()
    household = Household.create(number="H1", village=village)
    person = _person(household, make_id_number("431199", dt.date(1970, 1, 1), 11))
    Enrollment.create(person=person, year=2025, village=village, updated_at=dt.datetime.now())
    with pytest.raises(peewee.IntegrityError):
        with db.atomic():
            Enrollment.create(person=person, year=2025, village=village)


def test_schema_refuses_impossible_values(ledger):
    village = _village()
    household = Household.create(number="H1", village=village)
    person = _person(household, make_id_number("431199", dt.date(1970, 1, 1), 11))
    with pytest.raises(peewee.IntegrityError, match="(?i)check"):
        with db.atomic():
            Enrollment.create(person=person, year=2025, village=village, due_fen=-1)
    with pytest.raises(peewee.IntegrityError, match="(?i)check"):
        with db.atomic():
            Enrollment.create(person=person, year=2025, village=village, status="maybe")


def test_household_numbers_are_unique(ledger):
    village = _village()
    Household.create(number="H1", village=village)
    with pytest.raises(peewee.IntegrityError):
        with db.atomic():
            Household.create(number="H1", village=village)


def test_lookup_indexes_exist(ledger, ledger_engine):
    indexes = {i.name for table in ("person", "household", "enrollment") for i in ledger.get_indexes(table)}
    for name in (
        "person_id_number", "person_name", "person_household_id", "household_number",
        "enrollment_year_village_id_status", "person_name_initials",
    ):
        assert name in indexes
    if ledger_engine != "sqlite":
        return  # PostgreSQL's planner picks by statistics; on an empty table it may scan
    plan = " ".join(
        str(r) for r in ledger.execute_sql(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM enrollment WHERE village_id=1 AND year=2025 AND status='paid'"
        )
    )
    assert "enrollment_year_village_id_status" in plan
