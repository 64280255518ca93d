"""补缴: recording a back-payment for a missed year, and the waiting period it repairs.

DOMAIN.md section 10: a back-payment is recorded against a missed year at that year's standard
(the personal part; a subsidy only when the person was in a subsidised category that year); it
turns that year into a repaired year — not a new enrollment — and repairs one month of the
variable waiting period (section 6).

How it is kept (schema version 7): a ``payment`` row for the missed year with ``kind =
'backpay'``. So it has a payment's history, reversal (冲正, :func:`desktop_app.services.payments.
reverse_payment`, whose negative row carries the kind) and audit entry, but no sum that makes an
enrollment's amount paid counts it (:mod:`desktop_app.services.charges`): the missed year stays
未缴费 in that year's figures and in the break B, and is counted once, as a repair P. Whether it
may be recorded is :func:`desktop_app.domain.backpay.backpay_refusal`, for the desk, the command
line and the payments import alike. Clerks may record one in their own villages, like any
payment (:mod:`desktop_app.services.access`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from desktop_app.domain.backpay import MissedYear, backpay_refusal
from desktop_app.domain.charges import compute_charge
from desktop_app.domain.idnumber import IdNumberError, parse_id_number
from desktop_app.domain.payment_rules import channel_refusal
from desktop_app.domain.waiting import (
    break_years,
    exempt_from_waiting,
    repaid_years,
    waiting_period_months,
)
from desktop_app.errors import ServiceError
from desktop_app.services import audit
from desktop_app.services.access import require_person_village
from desktop_app.services.continuity import insured_years, repaired_years
from desktop_app.services.policy import policy_for_year, policy_years
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import Payment, Person, db

BACKPAY = "backpay"


@dataclass(frozen=True)
class BackPaymentInput:
    person_id: int
    year: int  # the missed year paid back
    amount_fen: int
    paid_on: dt.date
    channel: str = ""
    voucher: str = ""


class BackPaymentRefused(ServiceError):
    """The back-payment cannot be recorded; the message says why."""


def person_by_id_number(raw: str) -> Person:
    """The ledger's person holding the ID number ``raw`` (spaces, full-width digits, 15 digits
    as :func:`desktop_app.domain.idnumber.parse_id_number` reads them)."""
    try:
        number = parse_id_number(raw).number
    except IdNumberError as exc:
        raise ServiceError(f"身份证号“{raw}”不对：{exc.message}") from None
    person = Person.get_or_none(Person.id_number == number)
    if person is None:
        raise ServiceError(f"台账里没有身份证号为{number}的人员")
    return person


def missed_year(person_id: int, year: int) -> MissedYear:
    """What the ledger says about ``year`` of the person, for :func:`backpay_refusal`."""
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise ServiceError(f"找不到编号为{person_id}的人员，不能登记补缴")
    policy = policy_for_year(year)
    if policy is None:
        raise BackPaymentRefused(f"{year}年度还没有载入政策，算不出当年的补缴金额（请先载入{year}年度政策）")
    status = db.execute_sql(
        "SELECT status FROM enrollment WHERE person_id = ? AND year = ?", (person_id, year)).fetchone()
    held = [code for (code,) in db.execute_sql(
        "SELECT category FROM category_membership WHERE person_id = ? AND year = ? AND ended_on IS NULL",
        (person_id, year))]
    normal, backpaid = db.execute_sql(
        "SELECT COALESCE(SUM(CASE WHEN kind = 'normal' THEN amount_fen END), 0),"
        " COALESCE(SUM(CASE WHEN kind = 'backpay' THEN amount_fen END), 0)"
        " FROM payment WHERE person_id = ? AND year = ?", (person_id, year)).fetchone()
    owed = max(compute_charge(policy, held).due_fen - normal, 0)
    return MissedYear(year, person.birth_date, status[0] if status else None, owed, backpaid > 0)


def check_backpay(payment: BackPaymentInput) -> str | None:
    """Why ``payment`` cannot be recorded as the ledger stands; None when it can."""
    try:
        return backpay_refusal(missed_year(payment.person_id, payment.year), payment.amount_fen, payment.paid_on)
    except BackPaymentRefused as exc:
        return str(exc)


def missed_years(person_id: int, on: dt.date) -> list[tuple[int, int]]:
    """(year, amount to pay back) of each year the person could pay back on ``on``: what the
    desk offers. A year whose policy was never loaded is not offered."""
    out = []
    for year in policy_years():
        if year < on.year:
            missed = missed_year(person_id, year)
            if backpay_refusal(missed, missed.owed_fen, on) is None:
                out.append((year, missed.owed_fen))
    return out


def write_backpay(payment: BackPaymentInput, operator_id: int | None = None, reason: str = "") -> Payment:
    """The back-payment's row and audit entry, already checked (the desk and the import)."""
    entered = asdict(payment)  # the back-payment as entered: its row and its audit entry
    created = Payment.create(**entered, operator=operator_id, reason=reason, kind=BACKPAY)
    audit.record("backpay", "payment", created.id, None, {**entered, "kind": BACKPAY})
    return created


@friendly_writes(ServiceError)
def record_backpay(payment: BackPaymentInput, operator_id: int | None = None) -> Payment:
    """Record a back-payment for a missed year; :class:`BackPaymentRefused` says why not."""
    require_person_village(payment.person_id, "登记补缴")
    refused = channel_refusal(payment.channel)
    if refused:
        raise ServiceError(refused)
    with db.atomic():
        refusal = check_backpay(payment)
        if refusal:
            raise BackPaymentRefused(refusal)
        return write_backpay(payment, operator_id)


@dataclass(frozen=True)
class Waiting:
    """A person's waiting period for a year: the break, the years paid back, before and after."""

    break_years: int  # B: consecutive years not insured just before the year (repaired ones too)
    repaid_years: int  # P: how many of those were paid back
    months_before: int  # without the repair
    months_after: int  # with it


def waiting_of(person_id: int, year: int, *, in_collection_period: bool) -> Waiting:
    """The waiting period of the person's enrollment for ``year`` before and after repair.

    Newborns are the caller's to leave out; the policy's exempt groups wait 0 months."""
    policy = policy_for_year(year)
    if policy is None:
        raise ServiceError(f"{year}年度还没有载入政策，算不出等待期")
    held = [code for (code,) in db.execute_sql(
        "SELECT category FROM category_membership WHERE person_id = ? AND year = ? AND ended_on IS NULL",
        (person_id, year))]
    exempt = exempt_from_waiting(policy.waiting, held)
    breaks = break_years(insured_years([person_id], year - 1).get(person_id, set()), year)
    repaid = repaid_years(repaired_years([person_id], year - 1).get(person_id, set()), year, breaks)

    def months(p: int) -> int:
        return waiting_period_months(breaks, p, policy.waiting, exempt=exempt, in_collection_period=in_collection_period)

    return Waiting(breaks, repaid, months(0), months(repaid))
