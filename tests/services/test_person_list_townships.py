"""The person list of a county database narrowed to one township, in the service's query (the
same persons on both engines), and the capped count the list shows first.

The county is made as tests/services/test_county_views.py makes one: the demo's last two villages
moved under a second township of the same county.
"""

from desktop_app.services import households
from desktop_app.services.persons import (
    PersonQuery,
    count_persons,
    describe_query,
    person_rows,
    selection_totals,
)
from desktop_app.store.models import Household, Person, Region
from tests.services.test_county_views import SECOND, add_second_township

YEAR = 2025


def ids(query):
    return [r.id for r in person_rows(query, 0, count_persons(query) + 1)]


def persons_of(town):
    """The ids of the persons of one township, in the order persons were entered, read by peewee."""
    villages = {v.id for v in Region.select().where(Region.parent == town.id)}
    homes = {h.id for h in Household.select().where(Household.village.in_(villages))}
    return [p.id for p in Person.select().order_by(Person.id) if p.household_id in homes]


def test_a_township_narrows_the_list_its_count_and_a_search(demo_ledger):
    first = Region.get(Region.level == "township")
    second = add_second_township()
    for town in (first, second):
        expected = persons_of(town)
        query = PersonQuery(YEAR, township_id=town.id)
        assert ids(query) == expected and expected
        assert count_persons(query) == len(expected)
        assert count_persons(query, cap=5) == 5
    # the two townships split the ledger between them
    assert len(persons_of(first)) + len(persons_of(second)) == count_persons(PersonQuery(YEAR))
    # with a search: the township's part of what the search finds in the whole county
    name = Person.get_by_id(persons_of(second)[0]).name[-1]
    found = ids(PersonQuery(YEAR, search=name))
    assert ids(PersonQuery(YEAR, search=name, township_id=second.id)) == [
        i for i in found if i in set(persons_of(second))]
    # a village of the other township: nobody
    village = Region.get((Region.level == "village") & (Region.parent == first.id))
    assert count_persons(PersonQuery(YEAR, township_id=second.id, village_id=village.id)) == 0


def test_the_households_and_villages_of_one_township(demo_ledger):
    second = add_second_township()
    villages = households.villages_with_counts(second.id)
    assert [v.id for v in villages] == [v.id for v in Region.select().where(Region.parent == second.id)
                                        .order_by(Region.code)]
    assert len(villages) == 2
    everywhere = households.villages_with_counts()
    assert len(everywhere) > len(villages)
    assert {v.id: v for v in everywhere}[villages[0].id] == villages[0]
    query = households.HouseholdQuery(township_id=second.id)
    rows = households.household_rows(0, 10_000, query)
    assert households.count_households(query) == len(rows) == sum(v.households for v in villages)
    assert {r.village for r in rows} == {v.name for v in villages}


def test_a_township_list_is_titled_with_its_name_and_summed_on_its_own(demo_ledger):
    second = add_second_township()
    query = PersonQuery(YEAR, township_id=second.id, unpaid=True)
    assert describe_query(query) == f"{SECOND[0]}，未缴费"
    rows = person_rows(query, 0, count_persons(query) + 1)
    whole = selection_totals(query, [(0, len(rows) - 1)])
    assert (whole.persons, whole.due_fen, whole.paid_fen) == (
        len(rows), sum(r.due_fen for r in rows), sum(r.paid_fen for r in rows))
    # the first rows only: a count just past them tells the list goes on
    part = selection_totals(query, [(0, 2)])
    assert (part.persons, part.owed_fen) == (3, sum(r.owed_fen for r in rows[:3]))
