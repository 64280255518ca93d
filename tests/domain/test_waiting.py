"""待遇等待期 from 2025, 国办发〔2024〕38号 (DOMAIN.md section 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.policy import WaitingRules, load_policy_file, shipped_policy_files
from desktop_app.domain.waiting import (
    add_months,
    benefit_start,
    break_years,
    continuous_years,
    coverage_start,
    exempt_from_waiting,
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
