"""新生儿参保: deadline, coverage and the birth-year count (DOMAIN.md section 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.newborn import (
    counts_as_enrolled_in_birth_year,
    covered_from,
    days_to_deadline,
    enrollment_deadline,
    first_birthday,
    is_newborn,
    within_first_year,
)

D = dt.date


@pytest.mark.parametrize(
    ("birth", "deadline"),
    [
        (D(2025, 1, 1), D(2025, 4, 1)),  # 30 + 28 + 31 + 1 days
        (D(2024, 1, 1), D(2024, 3, 31)),  # leap year: February has 29 days
        (D(2024, 12, 31), D(2025, 3, 31)),  # born on 31 December: deadline in the next year
        (D(2023, 12, 31), D(2024, 3, 30)),  # ... across a leap February
        (D(2024, 2, 29), D(2024, 5, 29)),  # born on 29 February
        (D(2025, 10, 3), D(2026, 1, 1)),
    ],
)
def test_enrollment_deadline_is_birth_plus_90_days(birth: dt.date, deadline: dt.date) -> None:
    assert enrollment_deadline(birth) == deadline


@pytest.mark.parametrize(
    ("today", "days"),
    [
        (D(2024, 12, 31), 90),  # the day of birth
        (D(2025, 3, 1), 30),
        (D(2025, 3, 31), 0),  # the deadline itself: still in time
        (D(2025, 4, 1), -1),  # passed
    ],
)
def test_days_to_deadline_for_a_31_december_birth(today: dt.date, days: int) -> None:
    assert days_to_deadline(D(2024, 12, 31), today) == days


def test_is_newborn_of_the_birth_year_only() -> None:
    assert is_newborn(D(2024, 12, 31), 2024)
    assert not is_newborn(D(2024, 12, 31), 2025)
    assert is_newborn(D(2025, 1, 1), 2025)
    assert is_newborn(D(2024, 2, 29), 2024)


@pytest.mark.parametrize(
    ("birth", "year_paid_for", "paid_on", "counts"),
    [
        (D(2024, 12, 31), 2024, D(2024, 12, 31), True),  # born and paid on New Year's Eve
        (D(2024, 12, 31), 2024, D(2025, 1, 2), False),  # paid for 2024, but in 2025
        (D(2024, 12, 31), 2025, D(2025, 1, 2), False),  # paid for 2025: not its birth year
        (D(2024, 2, 29), 2024, D(2024, 3, 1), True),
        (D(2024, 2, 29), 2024, D(2024, 12, 31), True),  # later than 90 days still counts
        (D(2024, 6, 1), 2024, D(2024, 5, 31), False),  # paid before birth: a data error
        (D(2024, 6, 1), 2025, D(2024, 6, 2), False),
    ],
)
def test_counts_as_enrolled_in_birth_year(
    birth: dt.date, year_paid_for: int, paid_on: dt.date, counts: bool
) -> None:
    assert counts_as_enrolled_in_birth_year(birth, year_paid_for, paid_on) is counts


@pytest.mark.parametrize(
    ("birth", "paid_on", "covered"),
    [
        # within 90 days, the deadline included: from the date of birth
        (D(2024, 12, 31), D(2024, 12, 31), D(2024, 12, 31)),
        (D(2024, 12, 31), D(2025, 3, 31), D(2024, 12, 31)),
        # between 90 days and one year: from the day after payment
        (D(2024, 12, 31), D(2025, 4, 1), D(2025, 4, 2)),
        (D(2024, 12, 31), D(2025, 12, 30), D(2025, 12, 31)),
        (D(2024, 12, 31), D(2025, 12, 31), D(2026, 1, 1)),  # the first birthday itself
        (D(2024, 2, 29), D(2024, 5, 29), D(2024, 2, 29)),
        (D(2024, 2, 29), D(2024, 5, 30), D(2024, 5, 31)),
        (D(2024, 2, 29), D(2025, 2, 28), D(2025, 3, 1)),  # first birthday of a 29 Feb child
    ],
)
def test_covered_from(birth: dt.date, paid_on: dt.date, covered: dt.date) -> None:
    assert covered_from(birth, paid_on) == covered


@pytest.mark.parametrize(
    ("birth", "paid_on"),
    [
        (D(2024, 12, 31), D(2026, 1, 1)),  # more than a year: ordinary waiting rules apply
        (D(2024, 2, 29), D(2025, 3, 1)),
        (D(2024, 6, 1), D(2024, 5, 31)),  # before birth
    ],
)
def test_covered_from_refuses_what_is_not_a_newborn_payment(
    birth: dt.date, paid_on: dt.date
) -> None:
    with pytest.raises(ValueError):
        covered_from(birth, paid_on)


def test_first_birthday_and_first_year() -> None:
    assert first_birthday(D(2024, 2, 29)) == D(2025, 2, 28)
    assert first_birthday(D(2024, 12, 31)) == D(2025, 12, 31)
    assert first_birthday(D(2023, 3, 1)) == D(2024, 3, 1)
    assert within_first_year(D(2024, 2, 29), D(2025, 2, 28))
    assert not within_first_year(D(2024, 2, 29), D(2025, 3, 1))
    assert not within_first_year(D(2024, 2, 29), D(2024, 2, 28))


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.integers(0, 366))
def test_coverage_never_starts_before_birth_or_long_after_payment(
    birth: dt.date, days_after: int
) -> None:
    paid_on = birth + dt.timedelta(days=days_after)
    assert (enrollment_deadline(birth) - birth).days == 90
    if not within_first_year(birth, paid_on):
        with pytest.raises(ValueError):
            covered_from(birth, paid_on)
        return
    covered = covered_from(birth, paid_on)
    assert birth <= covered <= paid_on + dt.timedelta(days=1)
    assert (covered == birth) == (days_after <= 90)
    assert (days_to_deadline(birth, paid_on) >= 0) == (days_after <= 90)
