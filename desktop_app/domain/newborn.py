"""新生儿参保 (DOMAIN.md section 5).

- Paying within 90 days of birth covers costs from the date of birth; the ledger shows each
  newborn's deadline (birth date + 90 days) and warns before it passes (Shaanxi 2024 notice).
- Paid between 90 days and one year after birth: no waiting period, covered from the day after
  payment (Jiangxi practice).
- A child born in year *y* counts as enrolled in its birth year when its contribution for *y* is
  paid in *y* (target ≥ 80%).

And for the waiting period (DOMAIN.md section 10), :func:`newborn_for_waiting`: a child is a
newborn only when enrolled for its birth year, or within 90 days of birth when those days cross
into the next year. A child born 2025-01 who first pays in 2026 outside the collection period
is a late enroller, its missed birth year a one-year break (:mod:`desktop_app.domain.waiting`).

Day counting (ours): the birth date is day 0, so the deadline is the 90th day after it
(born 2025-01-01 → deadline 2025-04-01), and paying on the deadline itself is still within
90 days. "One year after birth" is the first birthday, also included; a child born on
29 February has its first birthday on 28 February (the month end).
"""

from __future__ import annotations

import datetime as dt

#: "Paying within 90 days of birth covers costs from the date of birth."
NEWBORN_ENROLLMENT_DAYS = 90


def enrollment_deadline(birth_date: dt.date) -> dt.date:
    """参保截止日期 = birth date + 90 days (the deadline day itself still counts)."""
    return birth_date + dt.timedelta(days=NEWBORN_ENROLLMENT_DAYS)


def first_birthday(birth_date: dt.date) -> dt.date:
    """One year after birth: the same day next year; 29 February → 28 February."""
    if birth_date.month == 2 and birth_date.day == 29:
        return dt.date(birth_date.year + 1, 2, 28)
    return birth_date.replace(year=birth_date.year + 1)


def days_to_deadline(birth_date: dt.date, today: dt.date) -> int:
    """Days left until the deadline: 0 on the deadline day, negative once it has passed."""
    return (enrollment_deadline(birth_date) - today).days


def is_newborn(birth_date: dt.date, year: int) -> bool:
    """Whether the child is a newborn of ``year`` (born in that year): 新生儿参保台账 lists these."""
    return birth_date.year == year


def within_first_year(birth_date: dt.date, payment_date: dt.date) -> bool:
    """Paid on or after the birth date and no later than the first birthday: no waiting period."""
    return birth_date <= payment_date <= first_birthday(birth_date)


def newborn_for_waiting(birth_date: dt.date, year_paid_for: int, payment_date: dt.date) -> bool:
    """Whether a payment for ``year_paid_for`` is a newborn's, free of any waiting period
    (DOMAIN.md section 10): the child is enrolled for its birth year, or pays within 90 days of
    birth (deadline included) for the next year when those 90 days cross into it (born
    2025-11-15, paid for 2026 on 2026-01-20). Anything later is not a newborn's payment: a child
    born 2025-01 paying for 2026 at 14 months waits like anyone else."""
    if year_paid_for == birth_date.year:
        return True
    return year_paid_for == birth_date.year + 1 and payment_date <= enrollment_deadline(birth_date)


def counts_as_enrolled_in_birth_year(
    birth_date: dt.date, year_paid_for: int, payment_date: dt.date
) -> bool:
    """A child born in year *y* counts as enrolled in its birth year when its contribution for
    *y* is paid in *y* (and, of course, not before it was born)."""
    return birth_date.year == year_paid_for == payment_date.year and payment_date >= birth_date


def covered_from(birth_date: dt.date, payment_date: dt.date) -> dt.date:
    """The first day a newborn's costs are covered.

    - paid within 90 days of birth (up to and including the deadline) → from the birth date;
    - paid later but within one year of birth → from the day after payment, no waiting period.

    A payment before birth, or more than a year after it, is not a newborn enrolment: it raises
    ``ValueError`` (the ordinary waiting-period rules of :mod:`waiting` apply instead).
    """
    if payment_date < birth_date:
        raise ValueError(f"payment {payment_date} is before the birth {birth_date}")
    if payment_date <= enrollment_deadline(birth_date):
        return birth_date
    if payment_date <= first_birthday(birth_date):
        return payment_date + dt.timedelta(days=1)
    raise ValueError(
        f"payment {payment_date} is more than a year after the birth {birth_date}: "
        "ordinary waiting periods apply"
    )
