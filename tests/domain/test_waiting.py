"""待遇等待期 from 2025, 国办发〔2024〕38号 (DOMAIN.md section 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.policy import Policy, WaitingRules, load_policy_file, shipped_policy_files
from desktop_app.domain.waiting import (
    WaitingReason,
    add_months,
    benefit_start,
    break_years,
    continuous_years,
    coverage_start,
    exempt_from_waiting,
    waiting_period,
    waiting_period_months,
)

D = dt.date
RULES = WaitingRules()


def months(b: int, p: int = 0, *, exempt: bool = False, in_period: bool = False) -> int:
    return waiting_period_months(b, p, RULES, exempt=exempt, in_collection_period=in_period)


# ------------------------------------------------------------------------------ worked table


def test_domain_worked_table() -> None:
    assert months(1) == 3  # B = 1 → 3 months
    assert months(2) == 4  # B = 2 → 4
    assert months(3, 1) == 4  # B = 3, P = 1 → 4
    assert months(4) == 6  # B = 4 → 6 ...
    assert [months(4, p) for p in range(6)] == [6] * 6  # ... and back-payment cannot lower it
    assert months(6, 2) == 6  # B = 6, P = 2 → 6
    assert months(0, in_period=False) == 3  # continuous but paid mid-year → 3 from payment


# B → expected months for P = 0, 1, 2, ... years paid back.
GRID = {
    1: [3, 3, 3],
    2: [4, 3, 3, 3],
    3: [5, 4, 3, 3, 3],
    4: [6, 6, 6, 6, 6, 6],
    5: [7, 6, 6, 6, 6, 6, 6],
    8: [10, 9, 8, 7, 6, 6, 6, 6, 6, 6],
}


@pytest.mark.parametrize(
    ("b", "p", "expected"),
    [(b, p, m) for b, row in GRID.items() for p, m in enumerate(row)],
)
def test_break_and_repair_grid(b: int, p: int, expected: int) -> None:
    assert months(b, p) == expected
    # paying in the collection period does not waive a break's waiting period
    assert months(b, p, in_period=True) == expected


def test_continuous_enrolment() -> None:
    assert months(0, in_period=True) == 0
    assert months(0, in_period=False) == 3
    assert months(0, 3, in_period=True) == 0  # nothing to repair


@pytest.mark.parametrize("b", [0, 1, 2, 4, 8])
@pytest.mark.parametrize("in_period", [True, False])
def test_exempt_groups_never_wait(b: int, in_period: bool) -> None:
    assert months(b, exempt=True, in_period=in_period) == 0


def test_negative_years_refused() -> None:
    with pytest.raises(ValueError):
        months(-1)
    with pytest.raises(ValueError):
        months(2, -1)


def test_rules_from_a_county_file() -> None:
    rules = WaitingRules(
        fixed_months=2,
        months_per_break_year=2,
        months_repaid_per_year=1,
        floor_after_years=3,
        floor_months=5,
    )

    def wait(b: int, p: int) -> int:
        return waiting_period_months(b, p, rules, exempt=False, in_collection_period=False)

    assert wait(0, 0) == 2
    assert wait(1, 0) == 2
    assert wait(2, 0) == 4  # 2 + 2
    assert wait(2, 5) == 2  # repaired down to the fixed part (below the floor's 3 years)
    assert wait(3, 0) == 6  # 2 + 4
    assert wait(3, 4) == 5  # floor after 3 years: 5
    assert wait(5, 1) == 9  # 2 + 8 − 1


def test_floor_never_raises_a_total_above_the_unrepaired_one() -> None:
    rules = WaitingRules(floor_months=12)
    assert waiting_period_months(4, 0, rules, exempt=False, in_collection_period=False) == 6
    assert waiting_period_months(4, 3, rules, exempt=False, in_collection_period=False) == 6


def test_repair_rate_from_the_policy() -> None:
    rules = WaitingRules(months_repaid_per_year=2)
    assert waiting_period_months(3, 1, rules, exempt=False, in_collection_period=False) == 3


def test_shipped_2025_policy_holds_the_national_numbers() -> None:
    rules = load_policy_file(shipped_policy_files()[2025]).waiting
    assert rules == WaitingRules(3, 1, 1, 4, 6, ("tekun", "guer", "dibao", "jiance"))
    assert exempt_from_waiting(rules, ["dibao"])
    assert exempt_from_waiting(rules, ["none", "guer"])
    assert not exempt_from_waiting(rules, ["tuopin"])
    assert not exempt_from_waiting(rules, [])


# ------------------------------------------------------------------------------ counting years


@pytest.mark.parametrize(
    ("enrolled", "year", "b"),
    [
        ({2024}, 2027, 2),  # missed 2025 and 2026
        ({2024, 2025, 2026}, 2027, 0),
        ({2025}, 2027, 1),
        ({2025}, 2031, 5),
        ({2023}, 2025, 0),  # 2024 missed, but years before 2025 are not counted
        ({2020}, 2026, 1),  # only 2025 counts
        (set(), 2025, 0),
        (set(), 2030, 5),  # 2025..2029
        ({2025, 2027}, 2030, 2),  # only the consecutive years just before
    ],
)
def test_break_years(enrolled: set[int], year: int, b: int) -> None:
    assert break_years(enrolled, year) == b


def test_break_years_start_can_be_moved() -> None:
    assert break_years({2020}, 2026, counted_from=2022) == 4


@pytest.mark.parametrize(
    ("enrolled", "up_to", "n"),
    [
        ({2023, 2024, 2025}, 2025, 3),
        ({2023, 2025}, 2025, 1),
        ({2023, 2024, 2025}, 2024, 2),
        ({2023, 2024, 2025}, 2026, 0),
        (set(), 2025, 0),
    ],
)
def test_continuous_years(enrolled: set[int], up_to: int, n: int) -> None:
    assert continuous_years(enrolled, up_to) == n


# ------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("day", "n", "result"),
    [
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 8, 31), 1, D(2025, 9, 30)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
        (D(2025, 6, 10), 6, D(2025, 12, 10)),
        (D(2025, 6, 10), 7, D(2026, 1, 10)),
        (D(2025, 6, 10), 0, D(2025, 6, 10)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
    ],
)
def test_add_months_clamps_to_month_end(day: dt.date, n: int, result: dt.date) -> None:
    assert add_months(day, n) == result


@pytest.mark.parametrize(
    ("paid_on", "n", "start"),
    [
        (D(2025, 11, 30), 3, D(2026, 3, 1)),  # period ends 28 Feb → benefits from 1 March
        (D(2023, 11, 30), 3, D(2024, 3, 1)),  # ends 29 Feb in a leap year
        (D(2025, 3, 15), 3, D(2025, 6, 16)),
        (D(2025, 6, 10), 6, D(2025, 12, 11)),
        (D(2025, 3, 15), 0, D(2025, 3, 16)),
    ],
)
def test_benefit_start_is_the_day_after_the_waiting_period(
    paid_on: dt.date, n: int, start: dt.date
) -> None:
    assert benefit_start(paid_on, n) == start


def test_coverage_start_scenarios() -> None:
    policy = load_policy_file(shipped_policy_files()[2025])
    # continuous, paid in the collection period: covered from 1 January
    paid = D(2024, 11, 15)
    assert policy.in_collection_period(paid)
    wait = waiting_period_months(
        break_years({2024}, 2025), 0, policy.waiting, exempt=False, in_collection_period=True
    )
    assert wait == 0
    assert coverage_start(2025, paid, wait) == D(2025, 1, 1)
    # continuous but paid in June (outside the period): 3 months from the payment date
    paid = D(2025, 6, 10)
    assert not policy.in_collection_period(paid)
    wait = waiting_period_months(0, 0, policy.waiting, exempt=False, in_collection_period=False)
    assert coverage_start(2025, paid, wait) == D(2025, 9, 11)
    # missed 2025 and 2026, pays in the period for 2027: 4 months from the payment date
    wait = waiting_period_months(
        break_years({2024}, 2027), 0, policy.waiting, exempt=False, in_collection_period=True
    )
    assert wait == 4
    assert coverage_start(2027, D(2026, 11, 15), wait) == D(2027, 3, 16)


def test_add_months_refuses_negative() -> None:
    with pytest.raises(ValueError):
        add_months(D(2025, 1, 1), -1)


# ------------------------------------------------------------------------------ properties


@given(st.integers(0, 40), st.integers(0, 40))
def test_more_break_never_shortens_more_repair_never_lengthens(b: int, p: int) -> None:
    assert months(b + 1, p) >= months(b, p)
    assert months(b, p + 1) <= months(b, p)
    if b >= 1:
        assert months(b, p) >= 3
        assert months(b, p) <= 3 + (b - 1)
    if b >= 4:
        assert months(b, p) >= 6


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.integers(0, 120))
def test_benefit_start_after_payment_and_within_the_months(day: dt.date, n: int) -> None:
    start = benefit_start(day, n)
    assert start > day
    end = add_months(day, n)
    assert start == end + dt.timedelta(days=1)
    assert (end.year * 12 + end.month) - (day.year * 12 + day.month) == n
    assert end.day <= day.day


# ------------------------------------------------- the one decision (waiting_period), §6 and §10


def _policy_for(year: int) -> Policy:
    """A policy of ``year`` on the national numbers: collection period autumn of the year before."""
    return Policy(year, 40000, D(year - 1, 9, 1), D(year - 1, 12, 31), {}, WaitingRules(exempt_categories=("dibao",)))


ADULT = D(1980, 5, 1)

# DOMAIN.md §6's worked table, as (B, P, paid on time?, months): B consecutive uninsured years
# just before the year paid for (from 2025 on), P years paid back. §10: a break counts also when
# the payment falls inside the collection period, so each row is checked both ways.
SECTION_6 = [
    (1, 0, 3),  # B = 1 → 3 months
    (2, 0, 4),  # B = 2 → 4
    (3, 1, 4),  # B = 3, P = 1 → 4
    (4, 0, 6),  # B = 4 → 6 ...
    (4, 2, 6),  # ... and back-payment cannot lower it
    (6, 2, 6),  # B = 6, P = 2 → 6
]


@pytest.mark.parametrize("on_time", [True, False], ids=["paid-in-period", "paid-late"])
@pytest.mark.parametrize(("b", "p", "expected"), SECTION_6)
def test_waiting_period_follows_the_worked_table_wherever_it_was_paid(b: int, p: int, expected: int, on_time: bool) -> None:
    year = 2025 + b  # the b years 2025 … year-1 uninsured, 2024 insured
    policy = _policy_for(year)
    paid = D(year - 1, 10, 8) if on_time else D(year, 3, 15)
    wait = waiting_period(policy, paid, ADULT, {2023, 2024}, repaid_years=p)
    assert (wait.months, wait.break_years, wait.reason) == (expected, b, WaitingReason.AFTER_BREAK)


def test_continuous_but_paid_mid_year_waits_the_fixed_period_and_on_time_waits_nothing() -> None:
    policy = _policy_for(2026)
    late = waiting_period(policy, D(2026, 3, 15), ADULT, {2024, 2025})
    assert (late.months, late.break_years, late.reason) == (3, 0, WaitingReason.PAID_LATE)
    assert benefit_start(D(2026, 3, 15), late.months) == D(2026, 6, 16)  # 3 months from the payment date
    on_time = waiting_period(policy, D(2025, 10, 8), ADULT, {2024, 2025})
    assert (on_time.months, on_time.reason) == (0, WaitingReason.ON_TIME)


def test_years_before_2025_and_years_the_ledger_does_not_keep_are_not_breaks() -> None:
    assert waiting_period(_policy_for(2025), D(2024, 10, 8), ADULT, set()).months == 0  # 2024 missed
    policy = _policy_for(2027)
    assert waiting_period(policy, D(2026, 10, 8), ADULT, {2024}).break_years == 2
    # the ledger has no 2025 at all: only 2026 is known to be missed
    assert waiting_period(policy, D(2026, 10, 8), ADULT, {2024}, kept_years={2026, 2027}).break_years == 1


def test_the_policys_special_groups_wait_for_nothing() -> None:
    wait = waiting_period(_policy_for(2027), D(2027, 3, 1), ADULT, set(), ["dibao"])
    assert (wait.months, wait.reason) == (0, WaitingReason.SPECIAL_GROUP)
    assert waiting_period(_policy_for(2027), D(2027, 3, 1), ADULT, set(), ["tuopin"]).months == 4


@pytest.mark.parametrize(
    ("words", "born", "year", "paid", "months", "b"),
    [
        ("enrolled for its birth year, paid late in it", D(2026, 2, 10), 2026, D(2026, 8, 1), 0, 0),
        ("within 90 days, the days crossing into the next year", D(2026, 11, 15), 2027, D(2027, 1, 20), 0, 0),
        ("on the 90th day itself", D(2026, 11, 15), 2027, D(2027, 2, 13), 0, 0),
        ("the 91st day: a late enroller, birth year missed", D(2026, 11, 15), 2027, D(2027, 2, 14), 3, 1),
        ("a 14-month-old paying late", D(2026, 1, 10), 2027, D(2027, 3, 10), 3, 1),
        ("§10: born 2025-01, first pays in 2026 outside the period", D(2025, 1, 20), 2026, D(2026, 4, 2), 3, 1),
        ("born 2025-01, first pays in 2026 inside the period: still the missed year", D(2025, 1, 20), 2026,
         D(2025, 10, 2), 3, 1),
        ("no break counted before birth", D(2026, 3, 1), 2028, D(2028, 3, 1), 4, 2),
    ],
)
def test_newborns_for_the_waiting_period(words: str, born: dt.date, year: int, paid: dt.date, months: int, b: int) -> None:
    wait = waiting_period(_policy_for(year), paid, born, set())
    assert (wait.months, wait.break_years) == (months, b), words
    assert (wait.reason is WaitingReason.NEWBORN) == (months == 0), words
