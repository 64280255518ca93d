"""Waiting periods as the services compute them, on a real ledger with four policy years
(2024 and 2025 shipped, 2026 and 2027 written here): DOMAIN.md §6's worked table and §10's
breaks and newborns, through :func:`desktop_app.services.followups.late_enrollers`.

Each person's history is made the way the desk makes it: a household added, then payments
recorded for the years they paid. A year without a payment is a year not insured.
"""

import datetime as dt

import pytest

from desktop_app import clock
from desktop_app.domain.idnumber import make_id_number
from desktop_app.resources import resource
from desktop_app.services import followups, household_work, payments, policy_load
from desktop_app.services.household_work import NewMember
from desktop_app.store.models import Enrollment, Person
from tests.policy_files import later_policy

D = dt.date
ON_TIME = {2025: D(2024, 10, 8), 2026: D(2025, 10, 8), 2027: D(2026, 10, 8)}  # in each collection period
LATE = {2025: D(2025, 3, 15), 2026: D(2026, 3, 15), 2027: D(2027, 3, 15)}

# (who, birth date, {year: date paid} for 2024–2027, year looked at, (B, months) or None when the
# person has no waiting period and is not on the list)
CASES = [
    ("continuous, paid on time", D(1980, 1, 1), {2025: ON_TIME[2025], 2026: ON_TIME[2026], 2027: ON_TIME[2027]},
     2027, None),
    ("continuous but paid mid-year: 3 months from the payment", D(1981, 1, 1),
     {2025: ON_TIME[2025], 2026: ON_TIME[2026], 2027: LATE[2027]}, 2027, (0, 3)),
    ("B = 1, paid on time: 3", D(1982, 1, 1), {2025: ON_TIME[2025], 2027: ON_TIME[2027]}, 2027, (1, 3)),
    ("B = 1, paid late: 3", D(1983, 1, 1), {2025: ON_TIME[2025], 2027: LATE[2027]}, 2027, (1, 3)),
    ("B = 2, paid on time: 4", D(1984, 1, 1), {2024: D(2023, 10, 8), 2027: ON_TIME[2027]}, 2027, (2, 4)),
    ("B = 2, paid late: 4", D(1985, 1, 1), {2027: LATE[2027]}, 2027, (2, 4)),
    ("a year before 2025 is no break", D(1986, 1, 1), {2025: ON_TIME[2025]}, 2025, None),
    ("a year before 2025 is no break, paid late: the fixed 3", D(1987, 1, 1), {2025: LATE[2025]}, 2025, (0, 3)),
    ("newborn, enrolled for its birth year (paid late in it)", D(2026, 2, 10), {2026: D(2026, 8, 1)}, 2026, None),
    ("newborn within 90 days across the new year", D(2026, 11, 15), {2027: D(2027, 1, 20)}, 2027, None),
    ("a 14-month-old paying late: its birth year a one-year break", D(2026, 1, 10), {2027: D(2027, 3, 10)},
     2027, (1, 3)),
    ("§10: born 2025-01, first pays in 2026 outside the period", D(2025, 1, 20), {2026: D(2026, 4, 2)},
     2026, (1, 3)),
]




@pytest.fixture(autouse=True)
def a_later_season(monkeypatch):
    """These seasons run to 2027: the ledger's today is the end of that year (a payment dated
    after today is refused)."""
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 12, 31))


@pytest.fixture
def four_years(ledger, tmp_path):
    """The persons of CASES, one household each, enrolled 2024–2027 (from birth), paid as written."""
    policy_load.load_policy(resource("policies", "2024.toml"))  # added while 2024 is the ledger's year
    ids = {}
    for order, (who, born, _paid, _year, _want) in enumerate(CASES):
        number = make_id_number("431199", born, 100 + order)
        household_work.add_household("东山村", [NewMember(f"甲{order}", number, "户主")])
        ids[who] = Person.get(Person.id_number == number).id
    policy_load.load_policy(resource("policies", "2025.toml"))
    policy_load.load_policy(later_policy(tmp_path, 2026))
    policy_load.load_policy(later_policy(tmp_path, 2027))
    for who, _born, paid, _year, _want in CASES:
        for year, day in paid.items():
            row = Enrollment.get((Enrollment.person == ids[who]) & (Enrollment.year == year))
            payments.record_payment(payments.PaymentInput(ids[who], year, row.due_fen, day))
    return ids


def test_every_case_has_its_enrollments(four_years):
    for who, born, _paid, _year, _want in CASES:
        years = sorted(e.year for e in Enrollment.select().where(Enrollment.person == four_years[who]))
        assert years == [y for y in (2024, 2025, 2026, 2027) if y >= born.year], who


@pytest.mark.parametrize(("who", "born", "paid", "year", "want"), CASES, ids=[c[0] for c in CASES])
def test_waiting_periods_in_the_ledger(four_years, who, born, paid, year, want):
    listed = {row.person_id: row for row in followups.late_enrollers(year)}
    row = listed.get(four_years[who])
    if want is None:
        assert row is None, f"{who}: listed with {row}"
        return
    assert row is not None, f"{who}: not on the list of {year}"
    assert (row.break_years, row.waiting_months) == want, who
    assert row.paid_on == paid[year]
    assert row.benefits_from > row.paid_on
