"""待遇等待期 from 2025: 国办发〔2024〕38号 as DOMAIN.md section 6 reads it.

Waiting periods apply to people who enrol outside the concentrated period (集中征缴期) or after a
break (断保), except newborns and the special groups the policy file names:

- fixed waiting period (固定等待期): 3 months after enrolment;
- variable waiting period (变动等待期): +1 month for each year of break beyond the first (a
  one-year break has only the fixed period); years before 2025 are not counted as breaks;
- each extra year of back-payment (补缴) repairs 1 month of the variable part;
- after a break of 4 or more years, fixed + variable stays at least 6 months after repair.

Benefits start the day after the waiting period ends, counted from the payment date (ours).
The numbers come from the policy file's ``[waiting]`` table (:class:`WaitingRules`).

Worked table (B = consecutive years of break from 2025 on, P = years paid back):
B = 1 → 3 months; B = 2 → 4; B = 3, P = 1 → 4; B = 4 → 6, and back-payment cannot lower it;
B = 6, P = 2 → 6; continuous but paid outside the collection period → 3 months.

DOMAIN.md section 10 decides two more things: a break counts also when this year's payment falls
inside the collection period, and a child is a newborn only for its birth year (or within 90 days
of birth across the new year; :func:`desktop_app.domain.newborn.newborn_for_waiting`): a child
that missed its birth year has a one-year break like anyone else.

**Which function to call.** :func:`waiting_period` decides for one person's payment for one
year, from what the ledger knows (birth date, insured years, this year's categories, years paid
back, the years the ledger keeps): every service that shows a waiting period calls it, so the
follow-up list, a notice or a back-payment never disagree. :func:`break_years` (B) and
:func:`waiting_period_months` (the months for B and P) are its parts, for callers that need
only those; :func:`continuous_years` counts 连续参保年数 on the same insured years.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import Enum

from desktop_app.domain.newborn import newborn_for_waiting
from desktop_app.domain.policy import Policy, WaitingRules

#: "Years before 2025 are not counted as breaks" (国办发〔2024〕38号 applies from 2025).
BREAKS_COUNTED_FROM = 2025


def break_years(
    years_enrolled: Collection[int],
    enrolling_for: int,
    *,
    counted_from: int = BREAKS_COUNTED_FROM,
    kept_years: Collection[int] | None = None,
) -> int:
    """断保年数 B: the consecutive years without insurance just before ``enrolling_for``.

    Counts back from the year before ``enrolling_for`` and stops at the first year the person
    was insured, or at ``counted_from`` (2025): years before 2025 are not counted as breaks.
    Enrolled 2024, missed 2025 and 2026, enrolling for 2027 → 2. ``years_enrolled`` holds the
    years the person was insured (resident or employee scheme: the caller decides), without
    the years being paid back now.

    ``kept_years``: the years the ledger keeps records of (its loaded policy years); a year
    outside them also ends the count, since nothing is known of it. ``None``: every year is known.
    """
    count = 0
    year = enrolling_for - 1
    while (year >= counted_from and year not in years_enrolled
           and (kept_years is None or year in kept_years)):
        count += 1
        year -= 1
    return count


def continuous_years(years_enrolled: Collection[int], up_to: int) -> int:
    """连续参保年数 ending at ``up_to``: 0 when ``up_to`` itself is not an insured year."""
    count = 0
    while up_to - count in years_enrolled:
        count += 1
    return count


def exempt_from_waiting(rules: WaitingRules, category_codes: Iterable[str]) -> bool:
    """Whether any of the person's categories is one of the policy's exempt special groups."""
    return any(code in rules.exempt_categories for code in category_codes)


def waiting_period_months(
    break_years: int,
    repaid_years: int,
    rules: WaitingRules,
    *,
    exempt: bool,
    in_collection_period: bool,
) -> int:
    """待遇等待期 in months for B = ``break_years`` and P = ``repaid_years``.

    - exempt (a newborn, or a special group of the policy) → 0;
    - no break and paid in the collection period → 0;
    - no break but paid outside the collection period → the fixed period (3 months);
    - a break of B ≥ 1 years → fixed (3) + variable, where variable = 1 month per year of break
      beyond the first, less 1 month per year paid back (never below 0);
    - a break of B ≥ 4 years: repair cannot bring the total below 6 months.

    The floor only limits what repair takes away: it never raises a total above the unrepaired
    one (with the national numbers a 4-year break is already 3 + 3 = 6 months unrepaired).
    """
    if break_years < 0 or repaid_years < 0:
        raise ValueError("break_years and repaid_years cannot be negative")
    if exempt:
        return 0
    if break_years == 0:
        return 0 if in_collection_period else rules.fixed_months
    variable = (break_years - 1) * rules.months_per_break_year
    repaired = max(0, variable - repaid_years * rules.months_repaid_per_year)
    total = rules.fixed_months + repaired
    if break_years >= rules.floor_after_years:
        total = max(total, min(rules.floor_months, rules.fixed_months + variable))
    return total


class WaitingReason(str, Enum):
    """Why a payment has the waiting period it has (what the follow-up list can say)."""

    NEWBORN = "newborn"  # 新生儿: enrolled for its birth year, or within 90 days across the new year
    SPECIAL_GROUP = "special_group"  # one of the policy's exempt categories that year
    ON_TIME = "on_time"  # insured the year before (or nothing to count) and paid in the period
    PAID_LATE = "paid_late"  # no break, but paid outside the collection period: the fixed period
    AFTER_BREAK = "after_break"  # B ≥ 1 years of break: fixed + variable, wherever it was paid


@dataclass(frozen=True)
class WaitingPeriod:
    """The waiting period of one payment for one year: months, the break B it counted, why."""

    months: int
    break_years: int
    reason: WaitingReason


def waiting_period(
    policy: Policy,
    paid_on: dt.date,
    birth_date: dt.date,
    insured_years: Collection[int],
    categories: Iterable[str] = (),
    *,
    repaid_years: int = 0,
    kept_years: Collection[int] | None = None,
) -> WaitingPeriod:
    """待遇等待期 of a payment made on ``paid_on`` for ``policy.year`` (sections 6 and 10).

    - a newborn's payment (:func:`~desktop_app.domain.newborn.newborn_for_waiting`) → 0;
    - a person in one of the policy's exempt categories (``categories``: those held that year) → 0;
    - otherwise B = :func:`break_years` over ``insured_years`` (the years before ``policy.year``
      the person was insured: paid, exempt, employee, elsewhere; a repaired year is not one — it
      counts through P), counted from
      2025 and never before the birth year, stopping at a year outside ``kept_years``; and the
      months are :func:`waiting_period_months` for B and P = ``repaid_years``, the payment inside
      the collection period or not. A break counts also when the payment is on time (§10).
    """
    year = policy.year
    if newborn_for_waiting(birth_date, year, paid_on):
        return WaitingPeriod(0, 0, WaitingReason.NEWBORN)
    if exempt_from_waiting(policy.waiting, categories):
        return WaitingPeriod(0, 0, WaitingReason.SPECIAL_GROUP)
    breaks = break_years(insured_years, year, counted_from=max(BREAKS_COUNTED_FROM, birth_date.year),
                         kept_years=kept_years)
    on_time = policy.in_collection_period(paid_on)
    months = waiting_period_months(breaks, repaid_years, policy.waiting, exempt=False, in_collection_period=on_time)
    if breaks:
        return WaitingPeriod(months, breaks, WaitingReason.AFTER_BREAK)
    return WaitingPeriod(months, 0, WaitingReason.ON_TIME if on_time else WaitingReason.PAID_LATE)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the end of a shorter month.

    Nov 30 + 3 months → Feb 28 (Feb 29 in a leap year); Jan 31 + 1 month → Feb 28/29.
    """
    if months < 0:
        raise ValueError("months cannot be negative")
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def benefit_start(payment_date: dt.date, months: int) -> dt.date:
    """待遇享受起始日: the day after the waiting period ends, counted from the payment date.

    The period ends ``months`` calendar months after payment (clamped to month end, see
    :func:`add_months`); benefits start the next day. Paid 2025-11-30 with 3 months → period
    ends 2026-02-28 → benefits from 2026-03-01. With 0 months: the day after payment.
    """
    return add_months(payment_date, months) + dt.timedelta(days=1)


def coverage_start(year: int, payment_date: dt.date, months: int) -> dt.date:
    """The first day benefits of ``year`` can be used: never before 1 January of that year.

    A contribution paid in the collection period (autumn of the previous year) covers from
    1 January; a waiting period counted from the payment date may push the start later.
    """
    return max(dt.date(year, 1, 1), benefit_start(payment_date, months))


def repaid_years(repaired: Collection[int], enrolling_for: int, breaks: int) -> int:
    """补缴年数 P: how many of the ``breaks`` years of break just before ``enrolling_for`` were paid
    back (DOMAIN.md section 10: a back-payment turns a missed year into a repaired year).

    A repaired year stays a year of break for B (:func:`break_years` is given the insured years
    without it): it was not insured then, and counting it there too would repair it twice — a
    4-year break would drop under the 6-month floor. Years paid back outside that break (an
    earlier break, already followed by an insured year) repair nothing now.
    """
    return sum(1 for year in range(enrolling_for - breaks, enrolling_for) if year in repaired)
