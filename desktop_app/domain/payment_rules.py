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

Amounts are integer fen; the reasons are in words a village doctor understands.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from desktop_app.domain.money import format_yuan

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
