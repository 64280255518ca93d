"""补缴 rows of a payments file: a row for a missed year is a back-payment, not that year's payment.

DOMAIN.md section 10: a back-payment is recorded against a missed year; the tax bureau's feedback
says so by the row's year (a 缴费年度 column) or by the whole file's (``--year`` of the missed
year). A row is a back-payment when its year counts for breaks (from 2025), is over by the
payment date, and the person was not insured that year (no enrollment for it, or still
未缴费). Such a row is checked with the desk's rule
(:func:`desktop_app.services.backpay.check_backpay`) and written as the desk writes it
(:func:`desktop_app.services.backpay.write_backpay`); every other row of the import's year goes
on to :mod:`.payments`' own check. A row of another year that is no back-payment is refused: it
belongs to that year's import.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from desktop_app.domain.money import format_yuan
from desktop_app.domain.waiting import BREAKS_COUNTED_FROM
from desktop_app.exchange import DataRow, Field, clean_text
from desktop_app.services.backpay import BackPaymentInput, check_backpay, write_backpay
from desktop_app.services.importing.common import ImportPlan, Reader
from desktop_app.store.models import db

_YEAR = re.compile(r"^\s*(\d{4})(?:\.0+)?\s*(?:年度?)?")


class BackPaymentRow(NamedTuple):
    """A back-payment ready to write (in ``plan.new`` beside the payments)."""

    person_id: int
    id_number: str
    name: str
    year: int
    amount_fen: int
    paid_on: dt.date
    channel: str
    voucher: str


class BackPayments:
    """The back-payment rows of one payments import, picked out row by row (:meth:`take`)."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.year = reader.plan.year
        self.statuses: dict[int, dict[int, str]] = {}  # year → person → status, read when first needed
        self.seen_by_year: dict[int, dict[str, str]] = {}  # another year's rows: ID numbers met
        self.vouchers = {
            (pid, year, voucher) for pid, year, voucher in db.execute_sql(
                "SELECT person_id, year, voucher FROM payment WHERE kind = 'backpay' AND amount_fen > 0"
                " AND voucher != ''")
        }

    def seen_in_year(self, row: DataRow, seen: dict[str, str]) -> dict[str, str]:
        """The ID numbers met so far in the row's year (``seen``: the import's year): a person
        may have this year's payment and a back-payment in one file, but each year once."""
        year = self._row_year(row)
        if year is None or year == self.year:
            return seen
        return self.seen_by_year.setdefault(year, {})

    def _status(self, person_id: int, year: int) -> str | None:
        if year not in self.statuses:
            self.statuses[year] = dict(db.execute_sql(
                "SELECT person_id, status FROM enrollment WHERE year = ?", (year,)).fetchall())
        return self.statuses[year].get(person_id)

    def _row_year(self, row: DataRow) -> int | None:
        """The row's 缴费年度, the import's year when the file has none; None: unreadable."""
        value = row.get(Field.YEAR, None)
        if value is None or value == "":
            return self.year
        found = _YEAR.match(str(value))
        return int(found.group(1)) if found else None

    def take(self, row: DataRow, person: tuple | None, number: str, amount: int, paid_on: dt.date | None) -> bool:
        """Whether the row is this class's: a back-payment (planned or refused), or a row of
        another year refused; False leaves it to the payments check for the import's year."""
        reader, plan = self.reader, self.reader.plan
        year = self._row_year(row)
        if year is None:
            reader.reject(row, Field.YEAR, f"缴费年度“{row.get(Field.YEAR, '')}”看不懂，应写成 2025 这样的年份", number)
            return True
        backpay = (person is not None and paid_on is not None and BREAKS_COUNTED_FROM <= year < paid_on.year
                   and self._status(person[0], year) in (None, "unpaid"))
        if not backpay:
            if year == self.year:
                return False
            reader.reject(row, Field.YEAR, f"这一行是{year}年度的缴费，本次导入的是{self.year}年度；只有补缴断保"
                          f"年度的行可以是别的年度，请选{year}年度另行导入", number)
            return True
        assert person is not None and paid_on is not None
        person_id = person[0]
        voucher = clean_text(row.get(Field.VOUCHER))
        if voucher and (person_id, year, voucher) in self.vouchers:
            plan.unchanged += 1  # the same back-payment imported again: already recorded
            return True
        channel = clean_text(row.get(Field.PAYMENT_CHANNEL))
        refusal = check_backpay(BackPaymentInput(person_id, year, amount, paid_on, channel, voucher))
        if refusal:
            reader.reject(row, Field.AMOUNT_PAID, refusal, number)
            return True
        reader.warn(row, Field.YEAR, f"补缴{year}年度（断保年度）{format_yuan(amount)}元：修复一个月变动等待期，"
                    f"计入连续参保年数，不算{year}年度参保", number)
        plan.new.append(BackPaymentRow(person_id, number, person[1], year, amount, paid_on, channel, voucher))
        return True


def write(plan: ImportPlan) -> None:
    """The plan's back-payments, each with its audit entry."""
    for entry in plan.new:
        if isinstance(entry, BackPaymentRow):
            write_backpay(BackPaymentInput(entry.person_id, entry.year, entry.amount_fen, entry.paid_on,
                                           entry.channel, entry.voucher), reason=f"导入自{plan.source}")
