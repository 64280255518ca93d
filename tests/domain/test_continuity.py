"""连续参保年数, its incentive, the run a break would reset, and P from back-payments — table-driven
from DOMAIN.md section 10's words (and section 6's for P)."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.domain.backpay import MissedYear, backpay_refusal
from desktop_app.domain.continuity import Continuity, continuity, run_at_risk
from desktop_app.domain.policy import WaitingRules
from desktop_app.domain.waiting import break_years, repaid_years, waiting_period_months


# "the number of consecutive insured years ending with the year shown (a repaired year counts)
#  … A break resets the count."
@pytest.mark.parametrize(
    ("insured", "repaired", "year", "count"),
    [
        ({2024, 2025, 2026}, set(), 2026, 3),  # ending with the year shown
        ({2024, 2025, 2026}, set(), 2027, 0),  # the year shown not insured: no run ends there
        ({2024, 2025, 2026, 2028}, set(), 2028, 1),  # 2027 broke it: the count starts again
        ({2024, 2025, 2027}, {2026}, 2027, 4),  # a repaired year counts
        ({2024, 2026}, {2025}, 2025, 2),  # ending with a repaired year
        (set(), set(), 2026, 0),
        ({2020, 2021, 2022, 2023, 2024, 2025}, set(), 2025, 6),  # years before 2025 count here too
    ],
)
def test_consecutive_insured_years(insured, repaired, year, count):
    assert continuity(insured, repaired, year) == Continuity(year, count)


# "From 4 years on, each further year earns the 大病保险 incentive … shows the count and whether
#  the incentive applies, not an amount"
@pytest.mark.parametrize(
    ("years", "incentive", "further"),
    [(0, False, 0), (1, False, 0), (3, False, 0), (4, False, 0), (5, True, 1), (6, True, 2), (12, True, 8)],
)
def test_incentive_from_the_year_after_four(years, incentive, further):
    run = Continuity(2030, years)
    assert (run.incentive, run.incentive_years) == (incentive, further)
    assert ("享受大病保险连续参保激励" in run.words()) is incentive
    assert "元" not in run.words()  # never an amount: the cap is the province's


# the follow-up list: 4+ consecutive years up to last year, this year not (yet) insured
@pytest.mark.parametrize(
    ("insured", "repaired", "year", "at_risk"),
    [
        ({2024, 2025, 2026, 2027}, set(), 2028, 4),
        ({2022, 2023, 2024, 2025, 2026, 2027}, set(), 2028, 6),
        ({2024, 2025, 2027}, {2026}, 2028, 4),  # a repaired year keeps the run
        ({2025, 2026, 2027}, set(), 2028, 0),  # 3 years: not a long run yet
        ({2024, 2025, 2026, 2027, 2028}, set(), 2028, 0),  # paid this year: nothing at risk
        ({2023, 2024, 2025, 2026}, set(), 2028, 0),  # already broken last year
    ],
)
def test_run_a_break_this_year_would_reset(insured, repaired, year, at_risk):
    assert run_at_risk(insured, repaired, year) == at_risk


# §6 worked examples with P from the repaired years of the break; the repaired years stay breaks
RULES = WaitingRules()


@pytest.mark.parametrize(
    ("insured", "repaired", "year", "b", "p", "months"),
    [
        ({2024}, {2026}, 2028, 3, 1, 4),  # B = 3, P = 1 → 4
        ({2024}, set(), 2029, 4, 0, 6),  # B = 4 → 6
        ({2024}, {2025, 2026, 2027}, 2029, 4, 3, 6),  # … and back-payment cannot lower it
        ({2024}, {2029, 2030}, 2031, 6, 2, 6),  # B = 6, P = 2 → 6
        ({2024}, {2022}, 2027, 2, 0, 4),  # a year paid back outside this break repairs nothing
        ({2024, 2026}, {2025}, 2028, 1, 0, 3),  # an earlier break, already ended: not this one
    ],
)
def test_repaid_years_feed_p(insured, repaired, year, b, p, months):
    breaks = break_years(insured, year)
    assert (breaks, repaid_years(repaired, year, breaks)) == (b, p)
    assert waiting_period_months(b, p, RULES, exempt=False, in_collection_period=True) == months


# §10: "a back-payment is recorded against a missed year at that year's standard … (not a new
# enrollment)"; §6: years before 2025 are not breaks
BORN = dt.date(1980, 1, 1)
ON = dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("missed", "amount", "refused_with"),
    [
        (MissedYear(2025, BORN, "unpaid", 40000, False), 40000, None),
        (MissedYear(2025, BORN, None, 40000, False), 40000, None),  # no enrollment that year: missed too
        (MissedYear(2025, BORN, "unpaid", 20000, False), 20000, None),  # 低保 that year: the difference
        (MissedYear(2024, BORN, "unpaid", 40000, False), 40000, "早于2025年"),
        (MissedYear(2027, BORN, "unpaid", 40000, False), 40000, "还没有过完"),
        (MissedYear(2026, dt.date(2026, 5, 1), None, 40000, False), 40000, None),
        (MissedYear(2025, dt.date(2026, 5, 1), None, 40000, False), 40000, "还没有出生"),
        (MissedYear(2025, BORN, "paid", 40000, False), 40000, "已参保"),
        (MissedYear(2025, BORN, "employee", 40000, False), 40000, "已参保"),
        (MissedYear(2025, BORN, "military", 40000, False), 40000, "不需参保"),
        (MissedYear(2025, BORN, "unpaid", 40000, True), 40000, "已经补缴过了"),
        (MissedYear(2025, BORN, "unpaid", 0, False), 40000, "全额资助"),
        (MissedYear(2025, BORN, "unpaid", 40000, False), 38000, "400.00元"),
        (MissedYear(2025, BORN, "unpaid", 40000, False), 80000, "400.00元"),
    ],
)
def test_back_payment_rule(missed, amount, refused_with):
    refusal = backpay_refusal(missed, amount, ON)
    if refused_with is None:
        assert refusal is None
    else:
        assert refusal is not None and refused_with in refusal
