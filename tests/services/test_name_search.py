"""Searching by a name fragment (one, two, three characters): the persons whose name, or whose
household's number, holds it, ignoring the case of letters — on both engines, checked against
Python over the demo ledger, in the list's order, counted exactly, capped, and beside a filter."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.services import households
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.services.persons import PersonQuery, count_persons, person_rows, search_clause
from desktop_app.store.db import open_database
from desktop_app.store.models import Household, Person, db

YEAR = 2025
#: household numbers as a roster may bring them (the app's own are digits only)
NUMBERS = ("QS-凯01", "青山-02", "qs-山03")


def _renumber() -> None:
    """Three households renumbered with letters and Chinese, and one person named with a
    character also in a number."""
    homes = [h.id for h in Household.select(Household.id).order_by(Household.id).limit(3)]
    for hid, number in zip(homes, NUMBERS):
        Household.update(number=number).where(Household.id == hid).execute()
    last = Person.select().order_by(Person.id.desc()).first()
    Person.update(name="李凯").where(Person.id == last.id).execute()


@pytest.fixture
def numbered(demo_ledger):
    _renumber()
    return demo_ledger


@pytest.fixture
def numbered_on_postgresql(postgres_url):
    database = open_database(postgres_url)
    generate_demo(DemoOptions(persons=200, seed=7, today=dt.date(2026, 11, 23)))
    _renumber()
    return database


def _expected(typed: str, village_id: int | None = None) -> list[int]:
    homes = {h.id: h for h in Household.select()}
    wanted = typed.lower()
    return [p.id for p in Person.select().order_by(Person.id)
            if (wanted in p.name.lower() or wanted in homes[p.household_id].number.lower())
            and (village_id is None or homes[p.household_id].village_id == village_id)]


def _ids(query: PersonQuery) -> list[int]:
    return [r.id for r in person_rows(query, 0, count_persons(query) + 1)]


def _common_character() -> str:
    """The character most names hold (a search that finds many)."""
    seen: dict[str, int] = {}
    for (name,) in Person.select(Person.name).tuples():
        for c in set(name):
            seen[c] = seen.get(c, 0) + 1
    return max(seen, key=seen.get)


@pytest.mark.parametrize("typed", ["凯", "山-", "s-", "S-山", "青山-", "李凯", "common"])
def test_a_name_fragment_finds_names_and_household_numbers_as_python_does(numbered, typed):
    if typed == "common":
        typed = _common_character()
    expected = _expected(typed)
    assert expected
    query = PersonQuery(YEAR, search=typed)
    assert _ids(query) == expected
    assert count_persons(query) == len(expected)
    assert count_persons(query, cap=2) == min(2, len(expected))
    assert count_persons(query, cap=len(expected) + 5) == len(expected)
    # the first page alone, and the list sorted by name, hold the same persons
    assert [r.id for r in person_rows(query, 0, 3)] == expected[:3]
    assert sorted(_ids(query.with_(sort="name"))) == expected
    # beside a village filter (the joined shape, not the search alone)
    village = Household.get_by_id(Person.get_by_id(expected[0]).household_id).village_id
    in_village = _expected(typed, village)
    assert _ids(query.with_(village_id=village)) == in_village
    assert count_persons(query.with_(village_id=village)) == len(in_village)


def test_a_fragment_in_a_household_number_finds_the_whole_household(numbered):
    home = Household.get(Household.number == "QS-凯01")
    members = [p.id for p in Person.select().where(Person.household_id == home.id).order_by(Person.id)]
    assert members
    found = _ids(PersonQuery(YEAR, search="凯"))
    assert set(members) <= set(found)
    assert households.count_households(households.HouseholdQuery(search="凯")) == len(
        {Person.get_by_id(i).household_id for i in found})


def test_nothing_found_counts_nothing(numbered):
    query = PersonQuery(YEAR, search="龘")
    assert _ids(query) == [] and count_persons(query) == 0 and count_persons(query, cap=10) == 0


@pytest.mark.parametrize("typed", ["凯", "山-"])
def test_on_postgresql_a_short_name_fragment_reads_no_household_but_through_an_index(numbered_on_postgresql,
                                                                                    typed):
    """Migration 10's index serves the household-number side: without it every household was read
    (~100 ms at 300,000 households) on every one- or two-character search."""
    clause, params = search_clause(typed)
    with db.atomic():
        db.execute_sql("SET LOCAL enable_seqscan = off")  # a tiny table is read whole when it may be
        plan = "\n".join(row[0] for row in db.execute_sql(
            "EXPLAIN SELECT p.id FROM person p JOIN household h ON h.id = p.household_id"
            f" WHERE {clause}", params).fetchall())
    assert "household_number_grams" in plan
    assert "Seq Scan on household" not in plan


def test_pinyin_initials_find_the_names_they_begin_as_python_does(numbered):
    initials = Person.select().order_by(Person.id).first().name_initials
    for typed in (initials[:1].upper() if initials[:1] != "x" else initials[:2], initials[:2], initials):
        expected = [p.id for p in Person.select().order_by(Person.id)
                    if p.name_initials.startswith(typed.lower())]
        query = PersonQuery(YEAR, search=typed)
        assert expected and _ids(query) == expected
        assert count_persons(query) == len(expected)
        assert count_persons(query, cap=1) == 1


@pytest.mark.parametrize("length", [1, 2, 4])
def test_an_id_fragment_with_a_lower_case_x_finds_the_upper_case_x(numbered, length):
    """Digits alone are matched with LIKE on PostgreSQL (no case to ignore), a fragment with an X
    still ignoring case, as SQLite's LIKE does."""
    ending = Person.select().where(Person.id_number.endswith("X")).order_by(Person.id).first()
    assert ending is not None
    typed = ending.id_number[-length:].lower()
    homes = {h.id: h for h in Household.select()}
    expected = [p.id for p in Person.select().order_by(Person.id)
                if any(typed.upper() in (text or "").upper() for text in (
                    p.id_number, p.phone, homes[p.household_id].number, homes[p.household_id].head_id_number))]
    query = PersonQuery(YEAR, search=typed)
    assert ending.id in expected and _ids(query) == expected
    assert count_persons(query) == len(expected)
