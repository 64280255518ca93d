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
from dataclasses import dataclass

from desktop_app.domain.payment_rules import Verdict, payment_date_refusal, payment_verdict
from desktop_app.domain.vocabulary import PAYMENT_CHANNELS
from desktop_app.errors import ServiceError
from desktop_app.services import audit
from desktop_app.services.access import require_person_village, require_village
from desktop_app.services.charges import recompute
from desktop_app.services.households import household_members
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


def _enrollment(person_id: int, year: int) -> Enrollment:
    if Person.get_or_none(Person.id == person_id) is None:
        raise ServiceError(f"找不到编号为{person_id}的人员，不能登记缴费")
    enrollment = Enrollment.get_or_none((Enrollment.person == person_id) & (Enrollment.year == year))
    if enrollment is None:
        raise ServiceError(f"这个人还没有{year}年度的参保登记（请先载入{year}年度政策）")
    return enrollment


def check_payment(payment: PaymentInput) -> Verdict:
    """The verdict on ``payment`` as the ledger stands (refuse / accept with warning / accept)."""
    enrollment = _enrollment(payment.person_id, payment.year)
    return payment_verdict(payment.amount_fen, enrollment.standard_fen, enrollment.due_fen, enrollment.paid_fen)


def collection_start(year: int) -> dt.date | None:
    """The day the year's collection started (its policy's 集中征缴期), None without a policy."""
    row = PolicyYear.select(PolicyYear.collection_start).where(PolicyYear.year == year).first()
    return row.collection_start if row else None


def check_payment_date(year: int, paid_on: dt.date, today: dt.date | None = None) -> str | None:
    """Why ``paid_on`` cannot be the date of a payment for ``year``, or None."""
    return payment_date_refusal(paid_on, year, today or dt.date.today(), collection_start(year))


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
    if payment.channel and payment.channel not in PAYMENT_CHANNELS.values():
        raise ServiceError(f"缴费渠道“{payment.channel}”不认识（可选：{'、'.join(PAYMENT_CHANNELS.values())}）")
    with db.atomic():
        verdict = check_payment(payment)
        if verdict.refused:
            raise PaymentRefused(verdict.reason)
        if verdict.warned and not confirmed:
            raise ConfirmationNeeded(verdict.reason)
        enrollment = _enrollment(payment.person_id, payment.year)
        created = Payment.create(
            person=payment.person_id,
            year=payment.year,
            amount_fen=payment.amount_fen,
            paid_on=payment.paid_on,
            channel=payment.channel,
            voucher=payment.voucher,
            operator=operator_id,
        )
        new = {"person_id": payment.person_id, "year": payment.year, "amount_fen": payment.amount_fen,
               "paid_on": payment.paid_on, "channel": payment.channel, "voucher": payment.voucher}
        if verdict.warned:
            new["warning"] = verdict.reason
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
        if original.amount_fen < 0:
            raise ServiceError("这是一条冲正记录，不能再冲正")
        if Payment.select().where(Payment.reverses == payment_id).exists():
            raise ServiceError("这笔缴费已经冲正过了")
        reversal = Payment.create(
            person=original.person_id,
            year=original.year,
            amount_fen=-original.amount_fen,
            paid_on=on or dt.date.today(),
            channel=original.channel,
            voucher=original.voucher,
            reverses=original.id,
            reason=reason.strip(),
        )
        audit.record(
            "reverse", "payment", original.id, {"amount_fen": original.amount_fen},
            {"reversal_id": reversal.id, "reason": reason.strip()},
        )
        remaining = (
            Payment.select(Payment.paid_on)
            .where((Payment.person == original.person_id) & (Payment.year == original.year)
                   & (Payment.amount_fen > 0) & (Payment.id != original.id)
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
    owed = household_due(household_id, year)
    if not owed:
        raise ServiceError("这一户没有需要缴费的人")
    with db.atomic():
        for person_id, _name, amount in owed:
            record_payment(PaymentInput(person_id, year, amount, paid_on, channel, voucher), operator_id)
    return HouseholdPayment([(name, amount) for _pid, name, amount in owed], sum(a for *_x, a in owed))


def refunds_owed(year: int) -> list[tuple[int, str, str, str, int, int]]:
    """事后资助: (person id, name, ID number, village, paid, refund owed) of persons who paid
    more than they owe after a late identification."""
    return db.execute_sql(
        """SELECT p.id, p.name, p.id_number, v.name, e.paid_fen, e.paid_fen - e.due_fen
           FROM enrollment e JOIN person p ON p.id = e.person_id JOIN region v ON v.id = e.village_id
           WHERE e.year = ? AND e.paid_fen > e.due_fen AND e.status IN ('paid', 'exempt')
           ORDER BY v.name, p.name""",
        (year,),
    ).fetchall()
