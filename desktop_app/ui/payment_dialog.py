"""Recording a payment for a person or a whole household, and reversing a wrong one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.money import format_yuan
from desktop_app.errors import UserError
from desktop_app.services import payments
from desktop_app.services.households import HouseholdRow, MemberRow
from desktop_app.ui.forms import (
    FormDialog,
    channel_box,
    close_button,
    date_edit,
    error_label,
    line_edit,
)
from desktop_app.ui.labels import yuan
from desktop_app.ui.tables import table_view
from desktop_app.ui.text import fill


def parse_yuan(text: str) -> int:
    """What a clerk types ("180", "180.5", "180.50元") as fen; ValueError when it is not money."""
    cleaned = text.strip().removesuffix("元").replace(",", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if amount <= 0 or amount.as_tuple().exponent < -2:
        raise ValueError(text)
    return int(amount * 100)


class PaymentDialog(FormDialog):
    """缴费: for one person (``member``) or every unpaid member of the household (``member`` None).

    The amount is prefilled with what is still owed; channel, voucher number and date are asked.
    A refused amount is explained beside the field, any other refusal under the form. A payment
    the ledger accepts only with a warning (the person owes nothing, DOMAIN.md §10) is recorded
    when the clerk confirms it (``submit(confirm=…)`` answers the question for them).
    """

    def __init__(self, household: HouseholdRow, year: int, member: MemberRow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, "paymentError")
        self.setObjectName("paymentDialog")
        self.household, self.year, self.member = household, year, member
        self.setWindowTitle(self.tr("Record a payment"))
        owed = payments.household_due(household.id, year) if member is None else [
            (member.person_id, member.name, member.owed_fen)
        ]
        self.owed = owed
        who = "、".join(f"{name} {format_yuan(amount)}" for _pid, name, amount in owed)
        self.who = QLabel(
            fill(self.tr("Household %1 — unpaid members: %2") if member is None else self.tr("%1 pays: %2"),
                 household.number if member is None else member.name, who)
        )
        self.who.setWordWrap(True)
        self.amount = QLineEdit()
        self.amount.setObjectName("paymentAmount")
        self.amount.setReadOnly(member is None)  # a household pays exactly what each member owes
        self.channel = channel_box("paymentChannel")
        self.voucher = line_edit("paymentVoucher", self.tr("receipt or tax voucher number"))
        self.date = date_edit("paymentDate")
        self.amount_error = error_label("paymentAmountError")  # a refused amount, beside the field
        self.date_error = error_label("paymentDateError")  # an impossible date, beside its field
        form = QFormLayout()
        form.addRow(self.tr("Amount (yuan)"), self.amount)
        form.addRow("", self.amount_error)
        form.addRow(self.tr("Channel"), self.channel)
        form.addRow(self.tr("Voucher no."), self.voucher)
        form.addRow(self.tr("Date paid"), self.date)
        form.addRow("", self.date_error)
        self._money: payments.PaymentInput | None = None  # one person's payment, once checked
        self._warned = False
        self.finish_layout(self.who, form)

    def submit(self, confirm: bool | None = None) -> bool:
        done = super().submit(confirm)
        if not done:
            self.adjustSize()  # a reason of two lines beside its field is shown whole, not cut
        return done

    def load(self) -> None:
        self.amount.setText(format_yuan(sum(a for *_x, a in self.owed)))

    def refusal_lines(self) -> tuple[QLabel, ...]:
        return (self.error, self.amount_error, self.date_error)

    def refusal_line(self, error: Exception | None) -> QLabel:
        """A refused date beside the date; check()'s other refusals are about the amount, and so
        is the verdict's."""
        if isinstance(error, payments.PaymentDateRefused):
            return self.date_error
        return self.amount_error if error is None or isinstance(error, payments.PaymentRefused) else self.error

    def _day(self) -> dt.date:
        return self.date.date().toPython()

    def check(self) -> str | None:
        self._money, self._warned = None, False
        refusal = payments.check_payment_date(self.year, self._day())
        if refusal is not None:  # raised, not returned: the form shows it beside the date
            raise payments.PaymentDateRefused(refusal)
        if self.member is None:
            return None  # a household pays what each member owes: nothing typed to check
        try:
            amount = parse_yuan(self.amount.text())
        except ValueError:
            return self.tr("The amount must be money, like 180 or 180.50.")
        money = payments.PaymentInput(self.member.person_id, self.year, amount, self._day(),
                                      self.channel.currentData(), self.voucher.text().strip())
        verdict = payments.check_payment(money)
        if verdict.refused:
            return verdict.reason
        self._money, self._warned = money, verdict.warned
        return None

    def confirm(self, answer: bool | None) -> bool:
        if not self._warned:
            return True
        if answer is not None:
            return answer
        return QMessageBox.question(
            self, self.tr("Record a payment"),
            self.tr("This person is exempt (fully subsidised) and has nothing to pay; record the payment anyway?"),
        ) == QMessageBox.StandardButton.Yes

    def save(self) -> object:
        if self.member is None:
            return payments.record_household_payment(
                self.household.id, self.year, self._day(), self.channel.currentData(), self.voucher.text().strip()
            )
        assert self._money is not None  # check() passed
        return payments.record_payment(self._money, confirmed=self._warned)


class PaymentHistoryDialog(QDialog):
    """缴费记录 of a person for the year; a wrong payment is reversed with a reason, never deleted."""

    saved = Signal(object)

    def __init__(self, member: MemberRow, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentHistory")
        self.member, self.year = member, year
        self.setWindowTitle(fill(self.tr("Payments of %1"), member.name))
        self.resize(640, 300)
        self.model = QStandardItemModel(0, 6, self)
        self.table = table_view(self.model)
        self.reverse_button = QPushButton(self.tr("Reverse the selected payment…"))
        self.reverse_button.clicked.connect(lambda: self.reverse())
        self.error = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.reverse_button)
        layout.addWidget(close_button(self))
        self._payments: list = []
        self.reload()

    def reload(self) -> None:
        self._payments = payments.payments_of(self.member.person_id, self.year)
        self.model.clear()
        self.model.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Amount"), self.tr("Channel"), self.tr("Voucher"), self.tr("Reversal of"),
             self.tr("Reason")]
        )
        by_id = {payment.id: payment for payment in self._payments}
        for payment in self._payments:
            original = by_id.get(payment.reverses_id) if payment.reverses_id else None
            # a reversal names the payment it cancels by date and amount, never by its number
            of = (payments.describe(original) if original is not None else self.tr("Refund")
                  if payments.is_refund(payment) else "")
            self.model.appendRow([
                QStandardItem(f"{payment.paid_on:%Y-%m-%d}"), QStandardItem(yuan(payment.amount_fen)),
                QStandardItem(payment.channel), QStandardItem(payment.voucher),
                QStandardItem(of), QStandardItem(payment.reason),
            ])
        if self._payments:
            self.table.selectRow(0)

    def reverse(self, reason: str | None = None) -> bool:
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self._payments):
            self.error.setText(self.tr("Choose the payment to reverse."))
            return False
        if reason is None:
            reason, ok = QInputDialog.getText(self, self.tr("Reverse a payment"), self.tr("Why is it wrong?"))
            if not ok:
                return False
        try:
            reversal = payments.reverse_payment(self._payments[row].id, reason)
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self.reload()
        self.saved.emit(reversal)
        return True
