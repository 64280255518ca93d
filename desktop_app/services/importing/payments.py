"""The tax bureau's payment feedback (税务回传): checked with the desk's verdict and written.

Each row's amount goes through :func:`desktop_app.domain.payment_rules.payment_verdict`, the one
rule the desk uses too (DOMAIN.md section 10): refused, accepted with a warning (nothing was owed:
a refund is owed), or accepted. A person who belongs to the year and has no enrollment in it yet
gets the enrollment the payment needs, in the import's transaction, and the dry run already
decides their row on it (:func:`enrollments_as_applied`). A voucher already recorded for the person is the same feedback
imported again, and counts as unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from desktop_app.domain.money import format_yuan
from desktop_app.domain.payment_rules import payment_date_refusal, payment_verdict
from desktop_app.exchange import CellError, Field, clean_text, parse_amount_fen, parse_date
from desktop_app.services import audit
from desktop_app.services.importing import backpay
from desktop_app.services.charges import ensure_enrollments
from desktop_app.services.importing.common import ImportPlan, Reader, Reject, ledger_persons, now
from desktop_app.services.payments import collection_start, not_in_year
from desktop_app.services.policy import use_year_standard
from desktop_app.store import bulk
from desktop_app.store.models import db


class PaymentRow(NamedTuple):
    """A payment ready to write."""

    person_id: int
    id_number: str
    name: str
    amount_fen: int
    paid_on: dt.date
    channel: str
    voucher: str


def enrollments_as_applied(year: int, payers: Sequence[int] | None = None) -> dict[int, tuple[int, int, int]]:
    """Person id → (standard, amount due, amount paid) of the year's enrollments as
    :func:`~desktop_app.services.importing.apply` will find them: those in the ledger and those
    it makes — for the persons who belong to the year and have none yet (a person added after
    the year was loaded), or, given ``payers``, for those payers born by the year's end (the
    payment is itself the record that they belong to the year: a baby born 2024-12-15,
    registered in January, paying for 2024). They are made here by the same function,
    ``ensure_enrollments``, and rolled back, so that the dry run and the import decide each row
    by one rule."""
    with db.atomic() as trial:
        use_year_standard(year)  # a year without a policy: its shipped default, as apply stores it
        if payers is None:
            ensure_enrollments(year)
            where, params = "year = ?", (year,)
        else:
            ensure_enrollments(year, for_persons=payers)
            where, params = f"year = ? AND person_id IN ({','.join('?' * len(payers))})", (year, *payers)
        rows = db.execute_sql(
            f"SELECT person_id, standard_fen, due_fen, paid_fen FROM enrollment WHERE {where}", params
        ).fetchall()
        trial.rollback()
    return {pid: (standard, due, paid) for pid, standard, due, paid in rows}


def payers_enrollments(plan: ImportPlan) -> None:
    """In :func:`~desktop_app.services.importing.apply`'s transaction: the enrollments its
    payments need (as :func:`enrollments_as_applied` decided them in the dry run)."""
    ensure_enrollments(plan.year, for_persons=sorted({row.person_id for row in plan.new}))


def check(reader: Reader) -> None:
    """Every row of a payment file checked and matched, into ``reader.plan``."""
    plan = reader.plan
    known = ledger_persons()
    enrolled = enrollments_as_applied(plan.year)
    vouchers = {
        (pid, voucher)
        for pid, voucher in db.execute_sql(
            "SELECT person_id, voucher FROM payment WHERE year = ? AND voucher != '' AND amount_fen > 0",
            (plan.year,),
        )
    }
    seen: dict[str, str] = {}
    backpays = backpay.BackPayments(reader)
    start = collection_start(plan.year)  # the earliest date paid, as at the desk
    for row in reader.rows():
        try:
            parsed = reader.id_of(row, backpays.seen_in_year(row, seen))
            number = parsed.number
            amount = parse_amount_fen(row.get(Field.AMOUNT_PAID, None), Field.AMOUNT_PAID)
            paid_on = parse_date(row.get(Field.PAYMENT_DATE, None), Field.PAYMENT_DATE)
        except (Reject, CellError) as exc:  # both name the field and the reason
            reader.reject(row, exc.field, exc.reason)
            continue
        if not amount:
            reader.reject(row, Field.AMOUNT_PAID, "缴费金额为空或为0")
            continue
        person = known.get(number)
        if paid_on is not None and paid_on > reader.today:  # no row, back-payment or not, is paid in the future
            reader.reject(row, Field.PAYMENT_DATE, payment_date_refusal(paid_on, plan.year, reader.today, start), number)
            continue
        if backpays.take(row, person, number, amount, paid_on):
            continue  # 补缴 of a missed year (or a row of another year): its own branch, .backpay
        if person is not None and person[0] not in enrolled:
            enrolled.update(enrollments_as_applied(plan.year, [person[0]]))  # a payer born by then
        if person is None or person[0] not in enrolled:
            why = "台账里没有这个人" if person is None else not_in_year(parsed.birth_date, plan.year)
            plan.unmatched.append(reader.issue(row, Field.ID_NUMBER, why, number))
            continue
        person_id = person[0]
        standard, due, paid = enrolled[person_id]
        voucher = clean_text(row.get(Field.VOUCHER))
        if voucher and (person_id, voucher) in vouchers:
            plan.unchanged += 1  # the same feedback imported again: already recorded
            continue
        late = None if paid_on is None else payment_date_refusal(paid_on, plan.year, reader.today, start)
        if late is not None:  # after today, before the collection started: the desk's rule too
            reader.reject(row, Field.PAYMENT_DATE, late, number)
            continue
        verdict = payment_verdict(amount, standard, due, paid)  # the desk's verdict too
        if verdict.refused:
            reader.reject(row, Field.AMOUNT_PAID, verdict.reason, number)
            continue
        if paid_on is None:
            paid_on = reader.today
            reader.warn(row, Field.PAYMENT_DATE, "没有缴费日期，按导入当天记录", number)
        if verdict.warned:
            reader.warn(row, Field.AMOUNT_PAID, verdict.reason, number)
        elif amount != due - paid:
            reader.warn(row, Field.AMOUNT_PAID,
                        f"缴费金额{format_yuan(amount)}元与应缴{format_yuan(due - paid)}元不一致", number)
        enrolled[person_id] = (standard, due, paid + amount)
        if voucher:
            vouchers.add((person_id, voucher))
        plan.new.append(
            PaymentRow(person_id, number, person[1], amount, paid_on,
                       clean_text(row.get(Field.PAYMENT_CHANNEL)), voucher)
        )


def write(plan: ImportPlan) -> list[int]:
    """The plan's payments, an audit entry each, and each enrollment's date paid; returns the
    persons whose charges must be recomputed."""
    conn = db.connection()
    at = now()
    entries: list[PaymentRow] = [e for e in plan.new if isinstance(e, PaymentRow)]
    backpay.write(plan)  # the back-payments of missed years (not this year's payments)
    first = bulk.next_id(conn, "payment")  # the ids the rows below get, in order
    reason = f"导入自{plan.source}"
    bulk.insert_payments(conn, [
        (e.person_id, plan.year, e.amount_fen, e.paid_on.isoformat(), e.channel, e.voucher, reason, at)
        for e in entries
    ])
    for payment_id, entry in enumerate(entries, first):
        audit.record("create", "payment", payment_id, None,
                     {"person": entry.id_number, "year": plan.year, "amount_fen": entry.amount_fen,
                      "paid_on": entry.paid_on, "channel": entry.channel, "voucher": entry.voucher})
    conn.executemany(
        "UPDATE enrollment SET paid_on = ? WHERE person_id = ? AND year = ?",
        [(e.paid_on.isoformat(), e.person_id, plan.year) for e in entries],
    )
    return [e.person_id for e in entries]
