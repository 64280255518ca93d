"""Correcting mistakes from the household panel (issue 16): a wrong ID number (administrators),
two records of one person merged, a person entered by mistake removed, a whole household's payment
reversed, a refund owed paid out. Each is a :class:`~desktop_app.ui.forms.FormDialog`; the
services decide and audit (:mod:`desktop_app.services.corrections`, :mod:`~desktop_app.services.payments`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QWidget,
)

from desktop_app.domain.charges import refund_due
from desktop_app.services import access, corrections, household_work, payments
from desktop_app.services.households import HouseholdRow, MemberRow
from desktop_app.ui.forms import BAD_STYLE, OK_STYLE, FormDialog, channel_box, date_edit, line_edit
from desktop_app.ui.labels import yuan
from desktop_app.ui.text import fill
from desktop_app.ui.work_copy import refusal

if TYPE_CHECKING:
    from desktop_app.ui.household_panel import HouseholdPanel


def may_correct_id_numbers() -> bool:
    """Correcting an ID number is an administrator's (the command line has no session)."""
    session = access.current()
    return session is None or session.is_admin


class _MemberForm(FormDialog):
    """A correction form about one member of the household shown."""

    def __init__(self, member: MemberRow, name: str, parent: QWidget | None) -> None:
        super().__init__(parent, f"{name}Error")
        self.setObjectName(f"{name}Dialog")
        self.member = member


class CorrectIdDialog(_MemberForm):
    """更正身份证号: the new number checked as it is typed, like any entry."""

    def __init__(self, member: MemberRow, parent: QWidget | None = None) -> None:
        super().__init__(member, "correctId", parent)
        self.setWindowTitle(fill(self.tr("Correct the ID number of %1"), member.name))
        self.old = QLabel(member.id_number)
        self.new = line_edit("correctIdNew", self.tr("the right 18-character ID number"))
        self.verdict = QLabel()
        self.verdict.setObjectName("correctIdCheck")
        self.verdict.setWordWrap(True)
        self.new.textChanged.connect(self._check_as_typed)
        self.reason = line_edit("correctIdReason", self.tr("why, e.g. as on the household register"))
        form = QFormLayout()
        form.addRow(self.tr("ID number now"), self.old)
        form.addRow(self.tr("Right ID number"), self.new)
        form.addRow("", self.verdict)
        form.addRow(self.tr("Reason"), self.reason)
        note = QLabel(self.tr("Sex and birth date follow the new number; the old number stays in the "
                              "person's change history."))
        note.setWordWrap(True)
        self.finish_layout(form, note)

    def _check_as_typed(self, text: str) -> None:
        if not text.strip():
            self.verdict.clear()
            return
        result = household_work.check_id(text, ignore_person=self.member.person_id)
        self.verdict.setStyleSheet(OK_STYLE if result.ok else BAD_STYLE)
        self.verdict.setText(result.message)

    def check(self) -> str | None:
        return None if self.new.text().strip() else self.tr("Type the right ID number.")

    def save(self) -> corrections.IdCorrection:
        return corrections.correct_id_number(self.member.person_id, self.new.text(), self.reason.text())


class MergeDialog(_MemberForm):
    """合并: the selected member and another record of the same person, found by its ID number."""

    def __init__(self, member: MemberRow, parent: QWidget | None = None) -> None:
        super().__init__(member, "merge", parent)
        self.setWindowTitle(fill(self.tr("Merge two records of %1"), member.name))
        self.other = line_edit("mergeOther", self.tr("ID number of the other record"))
        self.found = QLabel()
        self.found.setObjectName("mergeFound")
        self.found.setWordWrap(True)
        self.other.textChanged.connect(self._find)
        self.keep = QComboBox()
        self.keep.setObjectName("mergeKeep")
        self.keep.addItem(fill(self.tr("This record (%1)"), member.id_number), "this")
        self.keep.addItem(self.tr("The other record"), "other")
        self.reason = line_edit("mergeReason", self.tr("why, e.g. entered twice"))
        form = QFormLayout()
        form.addRow(self.tr("Other record"), self.other)
        form.addRow("", self.found)
        form.addRow(self.tr("Keep"), self.keep)
        form.addRow(self.tr("Reason"), self.reason)
        note = QLabel(self.tr("The record not kept is deleted: its payments, categories and years move to the one "
                              "kept (a year both have counts the payments of both), and every field of it stays "
                              "in the audit trail."))
        note.setWordWrap(True)
        self.finish_layout(form, note)

    def _holder(self) -> corrections.Holder | None:
        return corrections.holder_of(self.other.text()) if self.other.text().strip() else None

    def _find(self, _text: str = "") -> None:
        holder = self._holder()
        self.found.setText(holder.words if holder else (self.tr("Nobody in the ledger has this ID number.")
                                                          if self.other.text().strip() else ""))

    def check(self) -> str | None:
        holder = self._holder()
        if holder is None:
            return self.tr("Type the ID number of the other record of this person.")
        if holder.person_id == self.member.person_id:
            return self.tr("That is this same record.")
        return None

    def save(self) -> corrections.MergeResult:
        holder = self._holder()
        assert holder is not None  # check() passed
        keep, drop = self.member.person_id, holder.person_id
        if self.keep.currentData() == "other":
            keep, drop = drop, keep
        return corrections.merge_persons(keep, drop, self.reason.text())


class RemovePersonDialog(_MemberForm):
    """删除 a person entered by mistake, with a reason; asked once more before it is done."""

    def __init__(self, member: MemberRow, parent: QWidget | None = None) -> None:
        super().__init__(member, "removePerson", parent)
        self.setWindowTitle(fill(self.tr("Remove %1 entered by mistake"), member.name))
        self.reason = line_edit("removeReason", self.tr("why, e.g. not a member of this household"))
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason)
        note = QLabel(self.tr("A person with payments cannot be removed: reverse them first, or merge when the "
                              "person was entered twice. Everything about the person stays in the audit trail."))
        note.setWordWrap(True)
        self.finish_layout(QLabel(f"{self.member.name} {self.member.id_number}"), form, note)

    def check(self) -> str | None:
        return None if self.reason.text().strip() else self.tr("Write why the person is removed.")

    def confirm(self, answer: bool | None) -> bool:
        if answer is not None:
            return answer
        return QMessageBox.question(
            self, self.windowTitle(), fill(self.tr("Remove %1 from the ledger?"), self.member.name)
        ) == QMessageBox.StandardButton.Yes

    def save(self) -> bool:
        return corrections.remove_person(self.member.person_id, self.reason.text())


class HouseholdReversalDialog(FormDialog):
    """冲正 of a whole household's payment: choose the payment recorded together, one reason."""

    def __init__(self, household: HouseholdRow, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, "householdReversalError")
        self.setObjectName("householdReversalDialog")
        self.household, self.year = household, year
        self.setWindowTitle(fill(self.tr("Reverse a payment of household %1"), household.number))
        self.groups = QComboBox()
        self.groups.setObjectName("householdReversalGroup")
        self.reason = line_edit("householdReversalReason", self.tr("why is it wrong?"))
        self.date = date_edit("householdReversalDate")
        form = QFormLayout()
        form.addRow(self.tr("Payment"), self.groups)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Date of the reversal"), self.date)
        self.finish_layout(form)

    def load(self) -> None:
        self.groups.clear()
        for group in payments.household_payment_groups(self.household.id, self.year):
            self.groups.addItem(group.label, group)

    def check(self) -> str | None:
        if self.groups.currentData() is None:
            return self.tr("This household has no payment to reverse this year.")
        return None if self.reason.text().strip() else self.tr("Write why the payment is wrong.")

    def save(self) -> list:
        return payments.reverse_household_payment(
            self.household.id, self.groups.currentData(), self.reason.text(), self.date.date().toPython())


class RefundDialog(_MemberForm):
    """退款: the refund owed (应退, 事后资助) paid back to the person; they leave the refund list."""

    def __init__(self, member: MemberRow, year: int, parent: QWidget | None = None) -> None:
        super().__init__(member, "refund", parent)
        self.year = year
        self.setWindowTitle(fill(self.tr("Refund paid out to %1"), member.name))
        owed = refund_due(member.status, member.paid_fen, member.due_fen)
        self.amount = QLabel(yuan(owed))
        self.amount.setObjectName("refundAmount")
        self.channel = channel_box("refundChannel")
        self.date = date_edit("refundDate")
        self.reason = line_edit("refundReason", self.tr("e.g. identified as 低保 after paying"))
        form = QFormLayout()
        form.addRow(self.tr("Refund owed"), self.amount)
        form.addRow(self.tr("Paid out by"), self.channel)
        form.addRow(self.tr("Date paid out"), self.date)
        form.addRow(self.tr("Note"), self.reason)
        self.finish_layout(form)

    def save(self) -> object:
        return payments.pay_out_refund(self.member.person_id, self.year, self.date.date().toPython(),
                                       self.channel.currentData(), self.reason.text())


class CorrectionsMenu(QMenu):
    """The panel's “Correct a mistake” menu; each entry opens its form through the panel."""

    def __init__(self, panel: HouseholdPanel) -> None:
        super().__init__(panel)
        self.setObjectName("correctionsMenu")
        self.panel = panel
        self.correct_id_action = self.addAction(self.tr("Correct the ID number…"), self.correct_id)
        self.merge_action = self.addAction(self.tr("Merge with another record of this person…"), self.merge)
        self.remove_action = self.addAction(self.tr("Remove a person entered by mistake…"), self.remove)
        self.addSeparator()
        self.reverse_household_action = self.addAction(self.tr("Reverse a whole household's payment…"),
                                                       self.reverse_household)
        self.refund_action = self.addAction(self.tr("Refund paid out…"), self.refund)

    def update_for(self, member: MemberRow | None) -> None:
        """Enable what applies to the selected member (and hide nothing: a clerk sees why)."""
        refused = refusal("更正身份证号")  # a work copy leaves ID numbers to the township (ui/work_copy)
        self.correct_id_action.setEnabled(member is not None and may_correct_id_numbers() and refused is None)
        self.correct_id_action.setToolTip(refused or "")
        for action in (self.merge_action, self.remove_action):
            action.setEnabled(member is not None)
        self.refund_action.setEnabled(
            member is not None and refund_due(member.status, member.paid_fen, member.due_fen) > 0)
        self.reverse_household_action.setEnabled(self.panel.household is not None)

    def correct_id(self) -> FormDialog | None:
        return self.panel._open(lambda m: CorrectIdDialog(m, self.panel), member=True)

    def merge(self) -> FormDialog | None:
        return self.panel._open(lambda m: MergeDialog(m, self.panel), member=True)

    def remove(self) -> FormDialog | None:
        return self.panel._open(lambda m: RemovePersonDialog(m, self.panel), member=True)

    def reverse_household(self) -> FormDialog | None:
        panel = self.panel
        return panel._open(lambda _m: HouseholdReversalDialog(panel.household, panel.year, panel), household=True)

    def refund(self) -> FormDialog | None:
        return self.panel._open(lambda m: RefundDialog(m, self.panel.year, self.panel), member=True)
