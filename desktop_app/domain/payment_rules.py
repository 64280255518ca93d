"""Whether a payment may be recorded: one verdict for the desk and the payments import alike.

DOMAIN.md section 10 decides:

- **Absurd amounts**: a payment above 10 × the year's standard, or above the person's remaining
  due plus one standard, is refused with its reason.
- **Paying when nothing is owed**: a payment for a person whose amount due is 0 is accepted with
  a warning and shows as 应退 (事后资助: the tax bureau's feedback often arrives after the person
  was identified as hard-pressed); at the desk the clerk confirms it first.

And what this module adds (ours), so that the rules above have no gap:

- an amount of 0 or less is refused (a wrong payment is corrected by a reversal, 冲正, which is
  not a new payment and keeps its own rules in :mod:`desktop_app.services.payments`);
- a person who has already paid what they owe (and has paid something) is refused a second
  payment: the money is most likely recorded twice. A person with nothing due and nothing paid
  yet gets the warning above, so the 事后资助 payment can still be recorded once.

And the date a payment was made (:func:`payment_date_refusal`, ours, issue 16): never after
today, never before the year's collection could start — the policy's ``collection_start``. For a
year whose policy is not in the ledger the earliest day is 1 January of the year before: the
collection for a year runs in the autumn of the year before (DOMAIN.md: "typically September to
December"), and without the policy's own date the rule only refuses a day no province's period
could reach, such as a 2019 date for 2025.

Amounts are integer fen; the reasons are in words a village doctor understands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from desktop_app.domain.money import format_yuan
from desktop_app.domain.vocabulary import PAYMENT_CHANNELS

#: A payment above this many standards is refused whatever the person owes (DOMAIN.md §10).
MAX_STANDARDS_PER_PAYMENT = 10


class VerdictKind(str, Enum):
    ACCEPT = "accept"
    WARN = "warn"  # accepted with a warning; the desk asks the clerk to confirm first
    REFUSE = "refuse"


@dataclass(frozen=True)
class Verdict:
    kind: VerdictKind
    reason: str = ""

    @property
    def refused(self) -> bool:
        return self.kind is VerdictKind.REFUSE

    @property
    def warned(self) -> bool:
        return self.kind is VerdictKind.WARN


ACCEPT = Verdict(VerdictKind.ACCEPT)


def payment_verdict(amount_fen: int, standard_fen: int, due_fen: int, paid_fen: int) -> Verdict:
    """The verdict on a new payment of ``amount_fen`` by a person whose year has the standard
    ``standard_fen``, whose amount due is ``due_fen`` and who has paid ``paid_fen`` so far."""
    if amount_fen <= 0:
        return Verdict(VerdictKind.REFUSE, "缴费金额必须大于0（缴错了请用“冲正”）")
    if paid_fen > 0 and paid_fen >= due_fen:
        return Verdict(VerdictKind.REFUSE, f"此人本年度已缴费（已缴{format_yuan(paid_fen)}元），不能重复缴费")
    amount = format_yuan(amount_fen)
    if amount_fen > MAX_STANDARDS_PER_PAYMENT * standard_fen:
        return Verdict(
            VerdictKind.REFUSE,
            f"缴费金额{amount}元超过个人缴费标准{format_yuan(standard_fen)}元的"
            f"{MAX_STANDARDS_PER_PAYMENT}倍，不像一笔真实的缴费，请核对金额",
        )
    remaining = max(due_fen - paid_fen, 0)
    if amount_fen > remaining + standard_fen:
        return Verdict(
            VerdictKind.REFUSE,
            f"缴费金额{amount}元超过此人还应缴的{format_yuan(remaining)}元再加一年的缴费标准"
            f"{format_yuan(standard_fen)}元，请核对金额",
        )
    if due_fen <= 0:
        return Verdict(
            VerdictKind.WARN,
            f"此人免征代缴，无需缴费；这笔{amount}元照样登记，记为应退{amount}元（事后资助）",
        )
    return ACCEPT


def earliest_payment_day(year: int, collection_start: dt.date | None) -> dt.date:
    """The first day a payment for ``year`` can have been made (see the module's note)."""
    return collection_start if collection_start is not None else dt.date(year - 1, 1, 1)


def payment_date_refusal(paid_on: dt.date, year: int, today: dt.date,
                         collection_start: dt.date | None) -> str | None:
    """Why ``paid_on`` cannot be the date of a payment for ``year`` (None when it can): after
    ``today``, or before the year's collection could start (``collection_start``, the policy's;
    None when the year has no policy)."""
    if paid_on > today:
        return f"缴费日期{paid_on:%Y-%m-%d}在今天（{today:%Y-%m-%d}）之后，还没到这一天，请核对日期"
    earliest = earliest_payment_day(year, collection_start)
    if paid_on < earliest:
        since = (f"{year}年度的集中征缴期{earliest:%Y-%m-%d}才开始" if collection_start is not None
                 else f"{year}年度的缴费最早在{earliest.year}年")
        return f"缴费日期{paid_on:%Y-%m-%d}太早：{since}，这不会是{year}年度的缴费，请核对日期"
    return None


def channel_refusal(channel: str, what: str = "缴费") -> str | None:
    """Why ``channel`` cannot be how the money was paid (``what`` 退款: paid out), or None when it
    is empty (not said) or one of :data:`PAYMENT_CHANNELS`: the desk, the back-payment and the
    refund all ask this."""
    if not channel or channel in PAYMENT_CHANNELS.values():
        return None
    return f"{what}渠道“{channel}”不认识（可选：{'、'.join(PAYMENT_CHANNELS.values())}）"
