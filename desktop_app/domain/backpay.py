"""补缴: whether a back-payment for a missed year may be recorded (DOMAIN.md sections 6 and 10).

One rule for the desk, the command line and the payments import:

- the year must be one whose breaks count (from 2025, 国办发〔2024〕38号), and already over when
  the money is paid (a payment in the year itself is that year's late enrollment, not a
  back-payment);
- the person must have been born by then, and not insured that year: no enrollment in the
  ledger for it, or one still 未缴费. A year marked 死亡、迁出、服兵役 or 其他不需参保 had no
  enrollment to miss;
- a year is repaired once: a second back-payment would count twice;
- the amount is that year's personal part at that year's standard — the standard less the
  subsidy of the categories the person held that year (就高, as in section 4), less what was
  already paid for it — exactly: a back-payment is all of the missed year or nothing.

Amounts are integer fen; the reasons are in words a village doctor understands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desktop_app.domain.money import format_yuan
from desktop_app.domain.vocabulary import INSURED, STATUS_NAMES, Status
from desktop_app.domain.waiting import BREAKS_COUNTED_FROM

_NAMES = {status.value: name for status, name in STATUS_NAMES.items()}
_INSURED = {status.value for status in INSURED}


@dataclass(frozen=True)
class MissedYear:
    """What the ledger says about a person's year that is to be paid back."""

    year: int
    born: dt.date
    status: str | None  # that year's enrollment status; None: the ledger has no enrollment for it
    owed_fen: int  # the personal part still owed for it, at that year's standard
    repaired: bool  # a back-payment for it is already recorded (and not reversed)


def backpay_refusal(missed: MissedYear, amount_fen: int, paid_on: dt.date) -> str | None:
    """Why a back-payment of ``amount_fen`` paid on ``paid_on`` cannot be recorded; None: it can."""
    year = missed.year
    if year < BREAKS_COUNTED_FROM:
        return f"{year}年度早于{BREAKS_COUNTED_FROM}年，断保不计算等待期，不需要补缴"
    if year >= paid_on.year:
        return f"{year}年度还没有过完，请按{year}年度正常缴费登记，不是补缴"
    if missed.born.year > year:
        return f"此人{year}年还没有出生，没有可补缴的年度"
    if missed.status is not None and missed.status != Status.UNPAID.value:
        name = _NAMES.get(missed.status, missed.status)
        insured = missed.status in _INSURED
        return (f"此人{year}年度{'已参保' if insured else '登记为'}“{name}”，"
                f"{'不是断保年度' if insured else '不需参保'}，不需要补缴")
    if missed.repaired:
        return f"此人{year}年度已经补缴过了，不能重复补缴"
    if missed.owed_fen <= 0:
        return f"此人{year}年度按当年政策个人应缴为0（全额资助），没有可补缴的金额"
    if amount_fen != missed.owed_fen:
        return (f"补缴{year}年度应按当年标准缴纳个人部分{format_yuan(missed.owed_fen)}元，"
                f"这里是{format_yuan(amount_fen)}元，请核对金额")
    return None
