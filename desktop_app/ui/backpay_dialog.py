"""补缴 at the desk: a back-payment for one of a person's missed years (DOMAIN.md section 10)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from desktop_app.domain.money import format_yuan
from desktop_app.services import backpay
from desktop_app.services.households import MemberRow
from desktop_app.ui.forms import FormDialog, channel_box, date_edit, line_edit
from desktop_app.ui.text import fill


class BackPaymentDialog(FormDialog):
    """The missed years the ledger offers (each with that year's personal part), the channel,
    voucher and date; the service checks again when it is saved (:func:`backpay.record_backpay`)."""

    def __init__(self, member: MemberRow, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent, "backpayError")
        self.setObjectName("backPaymentDialog")
        self.member = member
        self.today = today or dt.date.today()
        self.setWindowTitle(fill(self.tr("Back-payment for %1"), member.name))
        self.note = QLabel(self.tr("A back-payment repairs a missed year: it counts towards the years insured in "
                                   "a row and shortens the waiting period by a month, but is not an enrollment "
                                   "of that year."))
        self.note.setWordWrap(True)
        self.year = QComboBox()
        self.year.setObjectName("backpayYear")
        self.amount = line_edit("backpayAmount")
        self.amount.setReadOnly(True)  # that year's personal part, exactly
        self.year.currentIndexChanged.connect(lambda _i: self._show_amount())
        self.channel = channel_box("backpayChannel")
        self.voucher = line_edit("backpayVoucher", self.tr("receipt or tax voucher number"))
        self.date = date_edit("backpayDate", self.today)
        form = QFormLayout()
        form.addRow(self.tr("Missed year"), self.year)
        form.addRow(self.tr("Amount (yuan)"), self.amount)
        form.addRow(self.tr("Channel"), self.channel)
        form.addRow(self.tr("Voucher no."), self.voucher)
        form.addRow(self.tr("Date paid"), self.date)
        self.finish_layout(self.note, form)

    def load(self) -> None:
        self.year.clear()
        for year, owed in backpay.missed_years(self.member.person_id, self.today):
            self.year.addItem(fill(self.tr("%1 (owes %2 yuan)"), str(year), format_yuan(owed)), (year, owed))
        if not self.year.count():
            self.error.setText(self.tr("This person has no missed year to pay back."))
        self._show_amount()

    def _show_amount(self) -> None:
        chosen = self.year.currentData()
        self.amount.setText(format_yuan(chosen[1]) if chosen else "")

    def check(self) -> str | None:
        if self.year.currentData() is None:
            return self.tr("This person has no missed year to pay back.")
        return None

    def save(self) -> object:
        year, owed = self.year.currentData()
        return backpay.record_backpay(backpay.BackPaymentInput(
            self.member.person_id, year, owed, self.date.date().toPython(), self.channel.currentData(),
            self.voucher.text().strip()))
