"""The date of a payment: never after today, never before the year's collection could start
(issue 16, item 3), the same rule for the desk and the payments import."""

import datetime as dt

import pytest

from desktop_app.domain.payment_rules import payment_date_refusal

TODAY = dt.date(2026, 12, 7)
START_2025 = dt.date(2024, 9, 1)  # the shipped 2025 policy's 集中征缴期 start

CASES = [
    # (words, date, year, collection start, words the refusal must hold, or None when accepted)
    ("in the collection period", dt.date(2024, 10, 2), 2025, START_2025, None),
    ("the first day of the period", START_2025, 2025, START_2025, None),
    ("a late enroller during the year", dt.date(2025, 6, 30), 2025, START_2025, None),
    ("a newborn paid after the year, within its 90 days", dt.date(2026, 2, 20), 2025, START_2025, None),
    ("today", TODAY, 2025, START_2025, None),
    ("tomorrow", TODAY + dt.timedelta(days=1), 2025, START_2025, "之后"),
    ("a slip of the year: 2031", dt.date(2031, 10, 2), 2025, START_2025, "2031-10-02在今天"),
    ("the day before the period", dt.date(2024, 8, 31), 2025, START_2025, "集中征缴期2024-09-01才开始"),
    ("a slip of the year: 2019", dt.date(2019, 10, 2), 2025, START_2025, "不会是2025年度的缴费"),
    ("no policy: the year before is possible", dt.date(2025, 1, 2), 2026, None, None),
    ("no policy: two years before is not", dt.date(2024, 12, 31), 2026, None, "最早在2025年"),
]


@pytest.mark.parametrize(("words", "day", "year", "start", "expected"), CASES, ids=[c[0] for c in CASES])
def test_payment_date(words, day, year, start, expected):
    refusal = payment_date_refusal(day, year, TODAY, start)
    if expected is None:
        assert refusal is None, words
    else:
        assert refusal is not None and expected in refusal, (words, refusal)
