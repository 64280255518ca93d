"""Household work at the desk: a new household with its members, a member added or edited,
moved to another household, or marked with a status and its reason.

ID numbers are checked as they are typed: the check character, sex and birth date read from
the number, and a number already in the ledger refused with the name of who holds it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.vocabulary import RELATIONS
from desktop_app.errors import UserError
from desktop_app.services import household_work
from desktop_app.services.households import HouseholdRow, MemberRow, villages_with_counts
from desktop_app.ui.forms import BAD_STYLE, OK_STYLE, error_label, save_cancel
from desktop_app.ui.labels import status_label
from desktop_app.ui.text import fill


def _relation_box(current: str = "") -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItems(list(RELATIONS))
    box.setCurrentText(current)
    return box


class _MemberRowWidgets:
    """One member's fields on the form, checked as typed."""

    def __init__(self, relation: str, ignore_person: int | None = None) -> None:
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(20)
        self.relation = _relation_box(relation)
        self.phone = QLineEdit()
        self.check = QLabel()
        self.check.setWordWrap(True)
        self.ignore_person = ignore_person
        self.id_number.textChanged.connect(self.recheck)

    def recheck(self) -> bool:
        text = self.id_number.text().strip()
        if not text:
            self.check.clear()
            return False
        result = household_work.check_id(text, ignore_person=self.ignore_person)
        self.check.setText(result.message)
        self.check.setStyleSheet(OK_STYLE if result.ok else BAD_STYLE)
        return result.ok

    def member(self) -> household_work.NewMember:
        return household_work.NewMember(
            self.name.text().strip(), self.id_number.text().strip(), self.relation.currentText().strip(),
            self.phone.text().strip(),
        )

    def empty(self) -> bool:
        return not self.name.text().strip() and not self.id_number.text().strip()


class HouseholdDialog(QDialog):
    """新增户: village, address and members, head first; saved in one transaction."""

    saved = Signal(int)

    def __init__(self, village: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("householdDialog")
        self.setWindowTitle(self.tr("New household"))
        self.resize(860, 360)
        self.village = QComboBox()
        self.village.setObjectName("newHouseholdVillage")
        self.village.setEditable(True)
        self.village.addItems([v.name for v in villages_with_counts()])
        self.village.setCurrentText(village)
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("leave empty to number it automatically"))
        self.address = QLineEdit()
        form = QFormLayout()
        form.addRow(self.tr("Village"), self.village)
        form.addRow(self.tr("Household no."), self.number)
        form.addRow(self.tr("Address"), self.address)
        self.grid = QGridLayout()
        for column, text in enumerate((self.tr("Name"), self.tr("ID number"), self.tr("Relation"), self.tr("Phone"),
                                       self.tr("Check"))):
            self.grid.addWidget(QLabel(text), 0, column)
        self.grid.setColumnStretch(4, 1)
        self.rows: list[_MemberRowWidgets] = []
        add = QPushButton(self.tr("Add another member"))
        add.setShortcut("Ctrl+Return")
        add.clicked.connect(lambda: self.add_row(""))
        self.error = QLabel()
        self.error.setObjectName("householdError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(BAD_STYLE)
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(self.grid)
        layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.add_row("户主")

    def add_row(self, relation: str) -> _MemberRowWidgets:
        row = _MemberRowWidgets(relation)
        line = len(self.rows) + 1
        for column, widget in enumerate((row.name, row.id_number, row.relation, row.phone, row.check)):
            self.grid.addWidget(widget, line, column)
        if self.rows:  # keyboard-first: Tab runs along a row, then to the next row
            QWidget.setTabOrder(self.rows[-1].phone, row.name)
        QWidget.setTabOrder(row.name, row.id_number)
        QWidget.setTabOrder(row.id_number, row.relation)
        QWidget.setTabOrder(row.relation, row.phone)
        self.rows.append(row)
        row.name.setFocus()
        return row

    def save(self) -> bool:
        members = [r.member() for r in self.rows if not r.empty()]
        try:
            household_id = household_work.add_household(
                self.village.currentText().strip(), members, number=self.number.text(), address=self.address.text()
            )
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.saved.emit(household_id)
        self.accept()
        return True


class MemberDialog(QDialog):
    """Add a member to a household, or edit a member's name, relation and phone."""

    saved = Signal(object)

    def __init__(self, household: HouseholdRow, member: MemberRow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberDialog")
        self.household, self.member = household, member
        self.setWindowTitle(self.tr("Edit member") if member else fill(self.tr("Add a member to household %1"), household.number))
        self.row = _MemberRowWidgets(member.relation if member else "", member.person_id if member else None)
        if member is not None:
            self.row.name.setText(member.name)
            self.row.id_number.setText(member.id_number)
            self.row.id_number.setReadOnly(True)  # the ID is who the person is; a new one is a new person
            self.row.phone.setText(member.phone)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.row.name)
        form.addRow(self.tr("ID number"), self.row.id_number)
        form.addRow("", self.row.check)
        form.addRow(self.tr("Relation"), self.row.relation)
        form.addRow(self.tr("Phone"), self.row.phone)
        self.error = error_label()
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> bool:
        data = self.row.member()
        try:
            if self.member is None:
                result = household_work.add_member(self.household.id, data)
            else:
                household_work.update_person(self.member.person_id, name=data.name, phone=data.phone,
                                             relation=data.relation)
                result = self.member.person_id
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.saved.emit(result)
        self.accept()
        return True


class StatusDialog(QDialog):
    """Mark a status with its reason (职工医保, 异地参保, 死亡, 迁出, 服兵役, 其他) or clear it."""

    saved = Signal(object)

    def __init__(self, member: MemberRow, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusDialog")
        self.member, self.year = member, year
        self.setWindowTitle(fill(self.tr("Status of %1 in %2"), member.name, str(year)))
        self.status = QComboBox()
        self.status.setObjectName("statusChoice")
        self.status.addItem(self.tr("Follows the payment (unpaid / paid / fully subsidised)"), None)
        for code in household_work.STATUS_REASONS:
            self.status.addItem(status_label(code), code)
        index = self.status.findData(member.status)
        self.status.setCurrentIndex(max(index, 0))
        self.reason = QLineEdit(member.status_reason)
        self.reason.setObjectName("statusReason")
        self.reason.setPlaceholderText(self.tr("reason, e.g. the employer, the place, the date"))
        self.error = error_label()
        form = QFormLayout()
        form.addRow(self.tr("Status"), self.status)
        form.addRow(self.tr("Reason"), self.reason)
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> bool:
        try:
            household_work.set_status(self.member.person_id, self.year, self.status.currentData(), self.reason.text())
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.saved.emit(self.member.person_id)
        self.accept()
        return True


class MoveDialog(QDialog):
    """Move a member to another household: find it by number or head's name."""

    saved = Signal(object)

    def __init__(self, member: MemberRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moveDialog")
        self.member = member
        self.setWindowTitle(fill(self.tr("Move %1 to another household"), member.name))
        self.find = QLineEdit()
        self.find.setObjectName("moveFind")
        self.find.setPlaceholderText(self.tr("household no. or head's name"))
        self.find.textChanged.connect(self._search)
        self.found = QListWidget()
        self.found.setObjectName("moveFound")
        self.relation = _relation_box(member.relation)
        self.error = error_label()
        form = QFormLayout()
        form.addRow(self.tr("Find"), self.find)
        form.addRow(self.tr("Household"), self.found)
        form.addRow(self.tr("Relation there"), self.relation)
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _search(self, text: str) -> None:
        self.found.clear()
        if len(text.strip()) < 1:
            return
        for household_id, number, head, village in household_work.households_like(text):
            item = QListWidgetItem(f"{number}  {head}  {village}")
            item.setData(Qt.ItemDataRole.UserRole, household_id)
            self.found.addItem(item)
        if self.found.count():
            self.found.setCurrentRow(0)

    def save(self) -> bool:
        item = self.found.currentItem()
        if item is None:
            self.error.setText(self.tr("Find and choose the household first."))
            return False
        try:
            household_work.move_member(self.member.person_id, item.data(Qt.ItemDataRole.UserRole),
                                       relation=self.relation.currentText().strip())
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.saved.emit(self.member.person_id)
        self.accept()
        return True
