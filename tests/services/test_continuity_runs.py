"""The roster export's 连续参保年数 for a whole township: every person's run as the domain
counts it (insured and repaired years), without holding each person's years. A dict of sets of
years for a million persons held 400 MB through the export (issue 20)."""

from __future__ import annotations

import tracemalloc

from desktop_app.services.continuity import continuity_of, continuous_years_of_year
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store.models import Enrollment, Person, Region, db
from tests.conftest import DEMO_TODAY


def _persons() -> list[int]:
    return [p.id for p in Person.select(Person.id)]


def test_every_persons_run_is_the_domains(demo_ledger):
    year = max(e.year for e in Enrollment.select(Enrollment.year).distinct())
    persons = _persons()
    runs = continuous_years_of_year(year)
    expected = {pid: c.years for pid, c in continuity_of(persons, year).items()}
    assert {pid: runs.get(pid, 0) for pid in persons} == expected
    assert any(expected.values()) and not all(expected.values()), "both kinds of person are there"
    village = Region.select().where(Region.level == "village").first()
    in_village = {pid for (pid,) in db.execute_sql(
        "SELECT person_id FROM enrollment WHERE year = ? AND village_id = ?", (year, village.id))}
    one = continuous_years_of_year(year, village.id)
    assert {pid: one.get(pid, 0) for pid in persons} == {pid: expected[pid] if pid in in_village else 0
                                                           for pid in persons}


def test_the_runs_of_a_township_hold_a_few_bytes_per_person(ledger):
    generate_demo(DemoOptions(persons=6_000, seed=5, today=DEMO_TODAY))
    year = max(e.year for e in Enrollment.select(Enrollment.year).distinct())
    tracemalloc.start()
    try:
        runs = continuous_years_of_year(year)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert runs.get(_persons()[0], 0) >= 0
    # a set of years per person took about 400 bytes of it; the bits and the array take 10
    assert peak < 6_000 * 100, peak
