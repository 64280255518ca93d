"""The household list's capped count (the households tab at county size): it stops at the cap and
says the exact number below it, with a search and a township as the list uses them."""

from desktop_app.services.households import HouseholdQuery, count_households
from desktop_app.store.models import Person
from tests.services.test_county_views import add_second_township


def test_a_capped_household_count_stops_at_the_cap_and_is_exact_below_it(demo_ledger):
    second = add_second_township()
    letter = Person.select().first().name[0]
    for query in (HouseholdQuery(), HouseholdQuery(search=letter), HouseholdQuery(township_id=second.id),
                  HouseholdQuery(search=letter, township_id=second.id)):
        exact = count_households(query)
        assert exact > 2
        assert count_households(query, cap=2) == 2
        assert count_households(query, cap=exact) == exact
        assert count_households(query, cap=exact + 1) == exact
