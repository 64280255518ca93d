"""差额征缴 and 免征代缴: what a person is charged in a year (DOMAIN.md section 4).

For person *p* in year *y* with standard contribution *S* (个人缴费标准):

1. Subsidy of a category: ``full`` gives *S*; ``fixed`` gives min(amount, *S*); ``ratio`` gives
   round-half-up(*S* × percent / 100) to the fen.
2. A person in several categories gets the single highest subsidy, never a sum (就高不重复资助).
3. Personal amount due = *S* − subsidy, never below 0.
4. subsidy = *S* → 免征代缴; 0 < subsidy < *S* → 差额征缴; subsidy = 0 → 正常征缴.
5. Identified as hard-pressed after paying in full: 应退金额 = amount paid − amount due, when
   positive (事后资助).

And what a person or a household still owes (还需缴纳), the one rule the desk, the payments and
the notices use: only an ``unpaid`` person owes, the amount due less what they paid.

All amounts are whole fen (int); the arithmetic is integer-only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop_app.domain.money import format_yuan
from desktop_app.domain.policy import CategoryRule, Policy
from desktop_app.domain.vocabulary import RECORDED_STATUSES, CollectionMode, Status


def category_subsidy(rule: CategoryRule, standard_fen: int) -> int:
    """资助金额 of one category: full → S; fixed → min(amount, S); ratio → S × percent / 100,
    rounded half up to the fen (33301 fen at 50% = 16650.5 → 16651 fen)."""
    _check_standard(standard_fen)
    if rule.mode == "full":
        return standard_fen
    if rule.mode == "fixed":
        assert rule.amount_fen is not None
        return max(0, min(rule.amount_fen, standard_fen))
    assert rule.percent is not None
    return (standard_fen * rule.percent + 50) // 100


def highest_subsidy(policy: Policy, category_codes: Iterable[str]) -> tuple[str | None, int]:
    """就高不重复资助: the one category giving the highest subsidy, and that subsidy; never a sum.

    Codes the year's policy does not subsidise (``none``, a category it dropped) give nothing.
    Equal subsidies go to the category written first in the policy file, so the answer does not
    depend on the order the person's categories were recorded in. No subsidy at all (or only
    categories worth 0) gives ``(None, 0)``: no category was applied.
    """
    held = set(category_codes)
    best_code: str | None = None
    best = 0
    for code, rule in policy.categories.items():
        if code in held:
            subsidy = category_subsidy(rule, policy.standard_fen)
            if subsidy > best:
                best_code, best = code, subsidy
    return best_code, best


def amount_due(standard_fen: int, subsidy_fen: int) -> int:
    """个人应缴金额 = S − subsidy, never below 0."""
    _check_standard(standard_fen)
    _check_not_negative(subsidy_fen, "subsidy_fen")
    return max(0, standard_fen - subsidy_fen)


def collection_mode(standard_fen: int, subsidy_fen: int) -> CollectionMode:
    """征缴方式: subsidy = S → 免征代缴; 0 < subsidy < S → 差额征缴; subsidy = 0 → 正常征缴."""
    _check_standard(standard_fen)
    _check_not_negative(subsidy_fen, "subsidy_fen")
    if subsidy_fen >= standard_fen:
        return CollectionMode.EXEMPT_PAID_BY_FUND
    if subsidy_fen > 0:
        return CollectionMode.DIFFERENCE
    return CollectionMode.ORDINARY


def refund_owed(amount_paid_fen: int, amount_due_fen: int) -> int:
    """应退金额 (事后资助) = amount paid − amount due, when positive; else 0."""
    _check_not_negative(amount_paid_fen, "amount_paid_fen")
    _check_not_negative(amount_due_fen, "amount_due_fen")
    return max(0, amount_paid_fen - amount_due_fen)


#: 个人应缴金额 counts the amounts due of these (DOMAIN.md §5): the persons who pay this year.
PAYING_STATUSES = frozenset({Status.UNPAID.value, Status.PAID.value})
#: 事后资助 is owed back to these when they paid more than is due (DOMAIN.md §4.5).
REFUND_STATUSES = frozenset({Status.PAID.value, Status.EXEMPT.value})


def _code(status: Status | str | None) -> str | None:
    return status.value if isinstance(status, Status) else status


def still_owes(status: Status | str | None, due_fen: int, paid_fen: int) -> int:
    """还需缴纳: what a person still has to pay in the year. Only an ``unpaid`` person owes (a
    paid, exempt or recorded status owes nothing), and what they owe is the amount due less what
    they paid so far, never below 0."""
    if _code(status) != Status.UNPAID.value:
        return 0
    return max(0, due_fen - paid_fen)


def refund_due(status: Status | str | None, paid_fen: int, due_fen: int) -> int:
    """应退金额 of a person in the year: :func:`refund_owed` for one who paid or was exempt
    (事后资助), 0 for anyone else."""
    if _code(status) not in REFUND_STATUSES:
        return 0
    return refund_owed(paid_fen, due_fen)


@dataclass(frozen=True)
class HouseholdOwing:
    """A household's year in three sums (fen)."""

    due_fen: int  # 个人应缴: the amounts due of the members who pay this year (unpaid, paid)
    paid_fen: int  # of that, what they paid (an overpayment counts up to the amount due)
    owed_fen: int  # 还需缴纳: the sum of what each member still owes (:func:`still_owes`)


def household_owing(members: Iterable[tuple[Status | str | None, int, int]]) -> HouseholdOwing:
    """The sums of a household from its members' (status, amount due, amount paid)."""
    due = paid = owed = 0
    for status, due_fen, paid_fen in members:
        if _code(status) in PAYING_STATUSES:
            due += due_fen
            paid += min(paid_fen, due_fen)
        owed += still_owes(status, due_fen, paid_fen)
    return HouseholdOwing(due, paid, owed)


@dataclass(frozen=True)
class Charge:
    """What one person is charged in one year: S, the category applied, subsidy, due, mode."""

    standard_fen: int
    applied_category: str | None
    subsidy_fen: int
    due_fen: int
    mode: CollectionMode


def compute_charge(policy: Policy, category_codes: Iterable[str]) -> Charge:
    """The charge of a person holding ``category_codes`` in the policy's year (rules 1–4)."""
    code, subsidy = highest_subsidy(policy, category_codes)
    return Charge(
        standard_fen=policy.standard_fen,
        applied_category=code,
        subsidy_fen=subsidy,
        due_fen=amount_due(policy.standard_fen, subsidy),
        mode=collection_mode(policy.standard_fen, subsidy),
    )


def enrollment_status(
    charge: Charge, recorded_status: Status | None, amount_paid_fen: int
) -> Status:
    """参保状态 of a person in a year (DOMAIN.md section 5).

    1. A status staff recorded with a reason (``employee`` 参加职工医保 … ``other`` 其他不需参保)
       wins over everything else.
    2. Otherwise a person whose subsidy equals the standard is ``exempt`` (全额资助代缴), even one
       who paid before being identified: the payment is then owed back (:func:`refund_owed`).
    3. Otherwise ``paid`` once the amount paid reaches the amount due (overpaying is still paid);
       anything less, including a part payment, is ``unpaid``.

    ``unpaid``, ``paid`` and ``exempt`` are never taken from ``recorded_status``: they follow from
    money, so a policy change or a new category recomputes them.
    """
    _check_not_negative(amount_paid_fen, "amount_paid_fen")
    if recorded_status is not None and recorded_status in RECORDED_STATUSES:
        return recorded_status
    if charge.mode is CollectionMode.EXEMPT_PAID_BY_FUND:
        return Status.EXEMPT
    if amount_paid_fen >= charge.due_fen:
        return Status.PAID
    return Status.UNPAID


def explain_charge(policy: Policy, charge: Charge) -> str:
    """One sentence a villager understands, e.g. "低保对象，资助200.00元，个人应缴200.00元，差额征缴"."""
    name = policy.category_name(charge.applied_category)
    due = f"个人应缴{format_yuan(charge.due_fen)}元"
    mode = charge.mode.chinese
    if charge.mode is CollectionMode.EXEMPT_PAID_BY_FUND:
        return f"{name}，全额资助{format_yuan(charge.subsidy_fen)}元，{due}，{mode}"
    if charge.mode is CollectionMode.DIFFERENCE:
        return f"{name}，资助{format_yuan(charge.subsidy_fen)}元，{due}，{mode}"
    return f"{name}，无资助，{due}，{mode}"


def _check_standard(standard_fen: int) -> None:
    if standard_fen <= 0:
        raise ValueError(f"the standard contribution must be positive, not {standard_fen} fen")


def _check_not_negative(fen: int, what: str) -> None:
    if fen < 0:
        raise ValueError(f"{what} cannot be negative: {fen}")
