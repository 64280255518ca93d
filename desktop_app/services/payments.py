"""缴费记录: recording a payment and reversing a wrong one, recomputing the enrollment each time.

A payment is never deleted: a wrong one is reversed by a negative payment that names it and
gives the reason, so the history shows both. Whether a new payment may be recorded is decided by
:func:`desktop_app.domain.payment_rules.payment_verdict`, the same verdict the payments import
gives its rows: an absurd amount is refused with its reason; a payment from a person who owes
nothing is recorded only when the caller confirms it (the desk asks the clerk first). The date
paid goes through :func:`desktop_app.domain.payment_rules.payment_date_refusal` (never after
today, never before the year's collection started), as the import's rows do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from desktop_app import clock
from desktop_app.domain.charges import refund_due, still_owes
from desktop_app.domain.money import format_yuan
from desktop_app.domain.payment_rules import (
    Verdict,
    channel_refusal,
    payment_date_refusal,
    payment_verdict,
)
from desktop_app.errors import ServiceError
from desktop_app.services import audit
from desktop_app.services.access import require_person_village, require_village
from desktop_app.services.charges import ensure_enrollments, recompute
from desktop_app.services.households import household_members
from desktop_app.services.policy import use_year_standard, year_standard
from desktop_app.store import dialect
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import Enrollment, Household, Payment, Person, PolicyYear, db


@dataclass(frozen=True)
class PaymentInput:
    person_id: int
    year: int
    amount_fen: int
    paid_on: dt.date
    channel: str = ""
    voucher: str = ""


class PaymentRefused(ServiceError):
    """The verdict refused the payment; the message is its reason."""


class PaymentDateRefused(ServiceError):
    """The date paid cannot be right (after today, before the collection started); the message says why."""


class ConfirmationNeeded(ServiceError):
    """The verdict accepts the payment only with a warning, and the caller has not confirmed it."""


def not_in_year(birth_date: dt.date, year: int) -> str:
    """Why a person has no enrollment in ``year`` that a payment could go to, when the year's
    enrollments are all made (the import's unmatched row and the desk's refusal say the same)."""
    if birth_date.year > year:
        return f"这个人{birth_date.year}年{birth_date.month}月{birth_date.day}日出生，{year}年度时还没有出生，不能登记{year}年度的缴费"
    return f"这个人不属于{year}年度（{year}年度时还没有登记到台账），不能登记{year}年度的缴费"


def _enrollment(person_id: int, year: int) -> Enrollment:
    """The person's enrollment of ``year``, made when they belong to the year and lack one (a
    year without a policy takes its shipped default, as an import does). Call inside a
    transaction: it may write."""
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise ServiceError(f"找不到编号为{person_id}的人员，不能登记缴费")
    enrollment = _locked_enrollment(person_id, year)
    if enrollment is None:
        use_year_standard(year)  # refused when the year has neither a policy nor a shipped default
        ensure_enrollments(year, for_persons=[person_id])  # paying for the year: they belong to it
        enrollment = _locked_enrollment(person_id, year)
    if enrollment is None:
        raise ServiceError(not_in_year(person.birth_date, year))
    return enrollment


def _locked_enrollment(person_id: int, year: int) -> Enrollment | None:
    """The enrollment, on PostgreSQL locked (``FOR UPDATE``) until the caller's transaction ends:
    a second clerk paying the same person at the same moment waits, then reads the amount paid
    the first one left, and so gets the verdict on what is really still owed (no double payment).
    SQLite's single writer gives the same order by itself."""
    query = Enrollment.select().where((Enrollment.person == person_id) & (Enrollment.year == year))
    if dialect.is_postgres():
        query = query.for_update()
    return query.first()


def still_owed(person_id: int, year: int) -> int:
    """What the person still owes for ``year`` (:func:`~desktop_app.domain.charges.still_owes`),
    also when the enrollment a payment would make is not there yet: made in a savepoint and
    undone, as :func:`check_payment` does, so asking writes nothing. ServiceError when the
    person cannot pay for the year (born after it, no policy and no shipped default)."""
    with db.atomic() as trial:
        enrollment = _enrollment(person_id, year)
        owed = still_owes(enrollment.status, enrollment.due_fen, enrollment.paid_fen)
        trial.rollback()
    return owed


def check_payment(payment: PaymentInput) -> Verdict:
    """The verdict on ``payment`` as the ledger stands (refuse / accept with warning / accept).
    Writes nothing: an enrollment the payment would need is made for the verdict and undone."""
    with db.atomic() as trial:
        enrollment = _enrollment(payment.person_id, payment.year)
        verdict = payment_verdict(payment.amount_fen, enrollment.standard_fen, enrollment.due_fen,
                                  enrollment.paid_fen)
        trial.rollback()
    return verdict


def collection_start(year: int) -> dt.date | None:
    """The day the year's collection started (its policy's 集中征缴期), None without a policy."""
    row = PolicyYear.select(PolicyYear.collection_start).where(PolicyYear.year == year).first()
    return row.collection_start if row else None


def check_payment_date(year: int, paid_on: dt.date, today: dt.date | None = None) -> str | None:
    """Why ``paid_on`` cannot be the date of a payment for ``year``, or None."""
    return payment_date_refusal(paid_on, year, today or clock.today(), collection_start(year))


@friendly_writes(ServiceError)
def record_payment(payment: PaymentInput, operator_id: int | None = None, *, confirmed: bool = False) -> Payment:
    """Record money received, when the payment verdict allows it.

    A refused payment raises :class:`PaymentRefused` with the reason; a payment the verdict accepts
    only with a warning (the person owes nothing) raises :class:`ConfirmationNeeded` unless
    ``confirmed`` says the clerk has agreed to it; an impossible date raises :class:`PaymentDateRefused`.
    """
    require_person_village(payment.person_id, "登记")
    refusal = check_payment_date(payment.year, payment.paid_on)
    if refusal is not None:
        raise PaymentDateRefused(refusal)
    refused = channel_refusal(payment.channel)
    if refused:
        raise ServiceError(refused)
    with db.atomic():
        standard = year_standard(payment.year)  # the shipped default, when no policy was loaded
        enrollment = _enrollment(payment.person_id, payment.year)
        verdict = payment_verdict(payment.amount_fen, enrollment.standard_fen, enrollment.due_fen,
                                  enrollment.paid_fen)
        if verdict.refused:
            raise PaymentRefused(verdict.reason)
        if verdict.warned and not confirmed:
            raise ConfirmationNeeded(verdict.reason)
        new = asdict(payment)  # the payment as entered: its row and its audit entry
        created = Payment.create(**new, operator=operator_id)
        if verdict.warned:
            new["warning"] = verdict.reason
        if standard.shipped:
            new["standard"] = standard.note
        audit.record("create", "payment", created.id, None, new)
        Enrollment.update(paid_on=payment.paid_on).where(Enrollment.id == enrollment.id).execute()
        recompute(payment.year, [payment.person_id])
    return created


@friendly_writes(ServiceError)
def reverse_payment(payment_id: int, reason: str, on: dt.date | None = None) -> Payment:
    """冲正: cancel a wrong payment by a negative one naming it; the original stays in the history."""
    if not reason.strip():
        raise ServiceError("冲正必须写明原因")
    found = Payment.get_or_none(Payment.id == payment_id)
    if found is None:
        raise ServiceError(f"找不到编号为{payment_id}的缴费记录")
    require_person_village(found.person_id, "冲正")  # before the transaction: a refusal is audited
    with db.atomic():
        original = Payment.get_by_id(payment_id)
        if is_refund(original):
            raise ServiceError("这是一条退款记录，不能冲正")
        if original.amount_fen < 0:
            raise ServiceError("这是一条冲正记录，不能再冲正")
        if Payment.select().where(Payment.reverses == payment_id).exists():
            raise ServiceError("这笔缴费已经冲正过了")
        reversal = Payment.create(
            person=original.person_id,
            year=original.year,
            amount_fen=-original.amount_fen,
            paid_on=on or clock.today(),
            channel=original.channel,
            voucher=original.voucher,
            reverses=original.id,
            reason=reason.strip(),
            kind=original.kind,  # a back-payment's reversal un-repairs its year, nothing else
        )
        audit.record(
            "reverse", "payment", original.id, {"amount_fen": original.amount_fen},
            {"reversal_id": reversal.id, "reason": reason.strip()},
        )
        remaining = (
            Payment.select(Payment.paid_on)
            .where((Payment.person == original.person_id) & (Payment.year == original.year)
                   & (Payment.amount_fen > 0) & (Payment.id != original.id) & (Payment.kind == "normal")
                   & ~Payment.id.in_(Payment.select(Payment.reverses).where(Payment.reverses.is_null(False))))
            .order_by(Payment.paid_on.desc())
            .first()
        )
        Enrollment.update(paid_on=remaining.paid_on if remaining else None).where(
            (Enrollment.person == original.person_id) & (Enrollment.year == original.year)
        ).execute()
        recompute(original.year, [original.person_id])
    return reversal


def payments_of(person_id: int, year: int | None = None) -> list[Payment]:
    query = Payment.select().where(Payment.person == person_id)
    if year is not None:
        query = query.where(Payment.year == year)
    return list(query.order_by(Payment.paid_on, Payment.id))


@dataclass(frozen=True)
class HouseholdPayment:
    paid: list[tuple[str, int]]  # (name, amount fen) of each member paid for
    total_fen: int


def household_due(household_id: int, year: int) -> list[tuple[int, str, int]]:
    """(person id, name, amount still owed) of the household's members who still owe, head
    first (the rule: :func:`~desktop_app.domain.charges.still_owes`)."""
    return [(m.person_id, m.name, m.owed_fen) for m in household_members(household_id, year) if m.owed_fen > 0]


@friendly_writes(ServiceError)
def record_household_payment(
    household_id: int, year: int, paid_on: dt.date, channel: str = "", voucher: str = "",
    operator_id: int | None = None,
) -> HouseholdPayment:
    """One action for a whole household: each unpaid member pays what they still owe."""
    household = Household.get_or_none(Household.id == household_id)
    if household is None:
        raise ServiceError("找不到这一户")
    require_village(household.village_id, "登记", thing="户的缴费", table="household", record_id=household_id)
    with db.atomic():
        if dialect.is_postgres():
            # two clerks paying this household at once: the second waits here for the first's
            # commit, then finds what is still owed after it (nobody, or the members it left)
            Household.select(Household.id).where(Household.id == household_id).for_update().first()
        owed = household_due(household_id, year)
        if not owed:
            raise ServiceError("这一户没有需要缴费的人")
        for person_id, _name, amount in owed:
            record_payment(PaymentInput(person_id, year, amount, paid_on, channel, voucher), operator_id)
    return HouseholdPayment([(name, amount) for _pid, name, amount in owed], sum(a for *_x, a in owed))


def refunds_owed(year: int) -> list[tuple[int, str, str, str, int, int]]:
    """事后资助: (person id, name, ID number, village, paid, refund owed) of persons who paid
    more than they owe after a late identification."""
    return db.execute_sql(
        f"""SELECT p.id, p.name, p.id_number, v.name, e.paid_fen, e.paid_fen - e.due_fen
           FROM enrollment e JOIN person p ON p.id = e.person_id JOIN region v ON v.id = e.village_id
           WHERE e.year = ? AND e.paid_fen > e.due_fen AND e.status IN ('paid', 'exempt')
           ORDER BY {dialect.text_key("v.name")}, {dialect.text_key("p.name")}""",
        (year,),
    ).fetchall()


# --- a whole household's payment reversed at once, refunds paid out (issue 16) -------------------


def is_refund(payment: Payment) -> bool:
    """退款: money paid back to the person (事后资助), a negative payment that reverses nothing.
    (A reversal, 冲正, is the other kind of negative payment: it names the payment it cancels.)"""
    return payment.amount_fen < 0 and payment.reverses_id is None


def describe(payment: Payment) -> str:
    """A payment as a clerk names it: “2025-01-02 的 400.00 元”, never its internal number."""
    return f"{payment.paid_on:%Y-%m-%d} 的 {format_yuan(abs(payment.amount_fen))} 元"


@dataclass(frozen=True)
class PaymentGroup:
    """Payments of one household recorded together: members' payments of the year with the same
    date, channel, voucher and operator (全户缴费 writes them so, in one transaction), not yet
    reversed. The clerk sees who is in it before reversing it."""

    year: int
    paid_on: dt.date
    channel: str
    voucher: str
    operator_id: int | None
    payments: tuple[tuple[int, str, int], ...]  # (payment id, member name, amount fen)

    @property
    def total_fen(self) -> int:
        return sum(amount for *_x, amount in self.payments)

    @property
    def label(self) -> str:
        names = "、".join(name for _id, name, _a in self.payments)
        extra = "，".join(part for part in (self.channel, f"凭证{self.voucher}" if self.voucher else "") if part)
        return (f"{self.paid_on:%Y-%m-%d} 的 {format_yuan(self.total_fen)} 元（{len(self.payments)}人：{names}"
                f"{'；' + extra if extra else ''}）")


def household_payment_groups(household_id: int, year: int) -> list[PaymentGroup]:
    """The household's payments of the year still standing, grouped as recorded together, newest first."""
    rows = db.execute_sql(
        """SELECT pay.id, p.name, pay.amount_fen, pay.paid_on, pay.channel, pay.voucher, pay.operator_id
           FROM payment pay JOIN person p ON p.id = pay.person_id
           WHERE p.household_id = ? AND pay.year = ? AND pay.amount_fen > 0 AND pay.reverses_id IS NULL
             AND NOT EXISTS (SELECT 1 FROM payment r WHERE r.reverses_id = pay.id)
           ORDER BY pay.paid_on DESC, pay.id""",
        (household_id, year),
    ).fetchall()
    groups: dict[tuple, list[tuple[int, str, int]]] = {}
    for payment_id, name, amount, paid_on, channel, voucher, operator_id in rows:
        day = paid_on if isinstance(paid_on, dt.date) else dt.date.fromisoformat(str(paid_on)[:10])
        groups.setdefault((day, channel, voucher, operator_id), []).append((payment_id, name, amount))
    return [PaymentGroup(year, day, channel, voucher, operator_id, tuple(found))
            for (day, channel, voucher, operator_id), found in groups.items()]


@friendly_writes(ServiceError)
def reverse_household_payment(
    household_id: int, group: PaymentGroup, reason: str, on: dt.date | None = None
) -> list[Payment]:
    """冲正 of a whole household's payment in one action: every payment of ``group`` reversed with
    the one reason, in one transaction (all or none)."""
    if not reason.strip():
        raise ServiceError("冲正必须写明原因")
    household = Household.get_or_none(Household.id == household_id)
    if household is None:
        raise ServiceError("找不到这一户")
    require_village(household.village_id, "冲正", thing="户的缴费", table="household", record_id=household_id)
    standing = {g.payments: g for g in household_payment_groups(household_id, group.year)}
    if group.payments not in standing:
        raise ServiceError("这笔全户缴费已经冲正过了，或其中有人的缴费已单独冲正，请刷新后再看")
    with db.atomic():
        reversals = [reverse_payment(payment_id, reason, on) for payment_id, _name, _amount in group.payments]
        audit.record("reverse_household", "household", household_id, {"payments": group.label},
                     {"reversal_ids": [r.id for r in reversals], "reason": reason.strip()})
    return reversals


@friendly_writes(ServiceError)
def pay_out_refund(
    person_id: int, year: int, paid_on: dt.date, channel: str = "", reason: str = "",
    operator_id: int | None = None,
) -> Payment:
    """退款: record that the refund owed (应退, 事后资助: paid − due, DOMAIN.md §4.5) was paid back to
    the person. It is a negative payment that reverses nothing (:func:`is_refund`), so the amount
    paid becomes what was due: the person leaves the refund list, and 已缴金额 counts the money the
    fund kept. Their status does not change (已缴费 stays 已缴费, 全额资助代缴 stays so)."""
    require_person_village(person_id, "退款给")
    refused = channel_refusal(channel, "退款")
    if refused:
        raise ServiceError(refused)
    with db.atomic():
        enrollment = _enrollment(person_id, year)
        owed = refund_due(enrollment.status, enrollment.paid_fen, enrollment.due_fen)
        if owed <= 0:
            raise ServiceError("此人本年度没有应退的金额")
        words = reason.strip() or "事后资助退款"
        refund = Payment.create(person=person_id, year=year, amount_fen=-owed, paid_on=paid_on, channel=channel,
                                operator=operator_id, reason=f"退款：{words}" if not words.startswith("退款") else words)
        audit.record("refund", "payment", refund.id, {"paid_fen": enrollment.paid_fen, "due_fen": enrollment.due_fen},
                     {"person_id": person_id, "year": year, "amount_fen": -owed, "paid_on": paid_on,
                      "channel": channel, "reason": refund.reason})
        recompute(year, [person_id])
    return refund
