"""Village rates in a county database: two townships may each have a village of the same name
(the demo county has 东山村 in every township), so each rate names its village by id."""

from desktop_app.services import statistics
from desktop_app.store.models import Region
from tests.services.test_county_views import add_second_township

YEAR = 2025


def same_name_in_two_townships() -> tuple[Region, Region]:
    """Give a village of the second township the name of one of the first township's villages,
    one whose rate reads differently (else a mix-up could not be seen)."""
    second = add_second_township()
    rates = {r.village_id: r for r in statistics.village_rates(YEAR)}
    theirs = Region.select().where(Region.parent == second.id).order_by(Region.code).first()
    ours = next(v for v in Region.select().where((Region.level == "village") & (Region.parent != second.id))
                .order_by(Region.code) if f"{rates[v.id].rate:.1%}" != f"{rates[theirs.id].rate:.1%}")
    Region.update(name=ours.name).where(Region.id == theirs.id).execute()
    return ours, Region.get_by_id(theirs.id)


def test_each_rate_names_its_village_by_id(demo_ledger):
    summaries = statistics.village_summaries(YEAR)
    rates = statistics.village_rates(YEAR)
    assert [r.village_id for r in rates] == [s.village_id for s in summaries]
    assert all(r.village_id is not None for r in rates)
    assert [(r.name, r.expected, r.insured) for r in rates] == [(s.name, s.expected, s.insured) for s in summaries]


def test_two_villages_of_one_name_keep_their_own_rates(demo_ledger):
    ours, theirs = same_name_in_two_townships()
    rates = [r for r in statistics.village_rates(YEAR) if r.name == ours.name]
    assert sorted(r.village_id for r in rates) == sorted([ours.id, theirs.id])
    by_id = {r.village_id: r for r in rates}
    for village in (ours, theirs):
        (own,) = statistics.village_summaries(YEAR, village_id=village.id)
        assert (by_id[village.id].expected, by_id[village.id].insured) == (own.expected, own.insured)
    assert by_id[ours.id].rate != by_id[theirs.id].rate
    # the dashboard's rates are the same lines
    assert statistics.dashboard(YEAR).rates == statistics.village_rates(YEAR)
