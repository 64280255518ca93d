"""Household work at the desk: a new household with its members, a member added or edited,
moved to another household, or marked with a status and its reason.

ID numbers are checked as they are typed: the check character, sex and birth date read from
the number, and a number already in the ledger refused with the name of who holds it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.vocabulary import RELATIONS
from desktop_app.services import followups, household_work
from desktop_app.services.households import HouseholdRow, MemberRow, household_members
from desktop_app.ui.forms import BAD_STYLE, OK_STYLE, FormDialog
from desktop_app.ui.keyboard import ENTER_KEYS, KeyCatcher, with_shortcut
from desktop_app.ui.labels import status_label
from desktop_app.ui.pickers import VillagePicker
from desktop_app.ui.screen_fit import fit_to_screen, grow_to_fit, room_for
from desktop_app.ui.text import fill

ID_DIGITS = "0" * 18  # an ID number, as wide as the font draws it
CHECK_CHARS = 20  # a check message's line, in Chinese characters: the longest wraps onto a second


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
        self.id_number.setMinimumWidth(room_for(self.id_number, ID_DIGITS))  # first digits were cut off
        self.relation = _relation_box(relation)
        self.phone = QLineEdit()
        self.check = QLabel()
        self.check.setWordWrap(True)  # a long message wraps onto lines below, never clipped
        self.check.setMinimumWidth(self.check.fontMetrics().horizontalAdvance("核") * CHECK_CHARS)
        self.check.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
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
        # once the form has measured the new text: a message that wrapped gets its lines, not half of one
        QTimer.singleShot(0, self.check, lambda: grow_to_fit(self.check.window()))
        return result.ok

    def member(self) -> household_work.NewMember:
        return household_work.NewMember(
            self.name.text().strip(), self.id_number.text().strip(), self.relation.currentText().strip(),
            self.phone.text().strip(),
        )

    def empty(self) -> bool:
        return not self.name.text().strip() and not self.id_number.text().strip()

    def fields(self) -> tuple[QWidget, ...]:
        """In the order Tab and Enter go through them."""
        return (self.name, self.id_number, self.relation, self.phone)


class HouseholdDialog(FormDialog):
    """新增户: village, address and members, head first; saved in one transaction (``saved``
    carries the new household's id).

    Keyboard first: the focus starts on the head's name; Enter goes to the next field (after a
    member's phone, to the next member, a new row when the member was the last), never saves;
    Ctrl+S saves; Esc asks before throwing away members typed.
    """

    def __init__(self, village: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, "householdError")
        self.setObjectName("householdDialog")
        self.setWindowTitle(self.tr("New household"))
        fit_to_screen(self, QSize(940, 380))
        self._wanted_village = village
        self.village = VillagePicker("newHouseholdVillage", editable=True)
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
        add.setObjectName("addMemberRow")
        add.setShortcut("Ctrl+Return")
        add.setToolTip(with_shortcut(add.text(), "Ctrl+Return"))
        add.clicked.connect(lambda: self.add_row(""))
        self._enter = KeyCatcher(self, ENTER_KEYS, self._next_field)
        self._enter.watch(self.village, self.number, self.address)
        body = QVBoxLayout()
        body.addLayout(form)
        body.addLayout(self.grid)
        body.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        body.addStretch(1)
        self.finish_layout(body)
        self.add_row("户主")
        box = self.findChild(QDialogButtonBox)
        box.rejected.disconnect()
        box.rejected.connect(self.cancel)
        save = box.button(QDialogButtonBox.StandardButton.Save)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.setToolTip(with_shortcut(save.text(), QKeySequence.StandardKey.Save))
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter in a field moves on; it never presses Save
            button.setDefault(False)

    def load(self) -> None:
        self.village.reload(self._wanted_village)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name), ANN001
        super().showEvent(event)
        # the village is usually the one chosen in the window: start on the head's name
        QTimer.singleShot(0, lambda: self.rows[0].name.setFocus(Qt.FocusReason.OtherFocusReason))

    def _next_field(self, widget: QWidget) -> bool:
        """Enter: the field after ``widget``; after a member's phone the next member's name (a
        new row after the last member, unless that one is still empty)."""
        order: list[QWidget] = [self.village, self.number, self.address]
        for row in self.rows:
            order += row.fields()
        owner = widget if widget in order else widget.parentWidget()  # an editable combo's line edit
        if owner not in order:
            return False
        at = order.index(owner)
        if at + 1 < len(order):
            order[at + 1].setFocus(Qt.FocusReason.TabFocusReason)
        elif not self.rows[-1].empty():
            self.add_row("")
        return True

    def typed(self) -> bool:
        """Anything typed that Esc would throw away."""
        return any(not row.empty() for row in self.rows) or bool(self.number.text().strip() or self.address.text().strip())

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name), ANN001
        if event.matches(QKeySequence.StandardKey.Cancel):
            self.cancel()
            return
        super().keyPressEvent(event)

    def cancel(self) -> None:
        """Esc or Cancel: ask first when members were typed. (Closing the program closes the
        form without asking, as every other.)"""
        if self.typed() and not self.confirm_discard():
            return
        self.reject()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("New household"),
            self.tr("Throw away the members typed? The household is not saved."),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def add_row(self, relation: str) -> _MemberRowWidgets:
        row = _MemberRowWidgets(relation)
        line = len(self.rows) + 1
        for column, widget in enumerate((row.name, row.id_number, row.relation, row.phone, row.check)):
            self.grid.addWidget(widget, line, column)
            widget.show()  # now, not when the layout gets round to it: the focus goes to its name
        if self.rows:  # keyboard-first: Tab runs along a row, then to the next row
            QWidget.setTabOrder(self.rows[-1].phone, row.name)
        QWidget.setTabOrder(row.name, row.id_number)
        QWidget.setTabOrder(row.id_number, row.relation)
        QWidget.setTabOrder(row.relation, row.phone)
        self._enter.watch(*row.fields(), row.relation.lineEdit())
        self.rows.append(row)
        row.name.setFocus()
        return row

    def save(self) -> int:
        members = [r.member() for r in self.rows if not r.empty()]
        return household_work.add_household(
            self.village.value() or "", members, number=self.number.text(), address=self.address.text()
        )


class MemberDialog(FormDialog):
    """Add a member to a household, or edit a member's name, relation and phone (``saved``
    carries the person's id)."""

    def __init__(self, household: HouseholdRow, member: MemberRow | None, parent: QWidget | None = None,
                 *, year: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberDialog")
        self.household, self.member = household, member
        self.year = year or dt.date.today().year  # the panel's year: the member read again as of it
        self.setWindowTitle(self.tr("Edit member") if member else fill(self.tr("Add a member to household %1"), household.number))
        self.row = _MemberRowWidgets(member.relation if member else "", member.person_id if member else None)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.row.name)
        form.addRow(self.tr("ID number"), self.row.id_number)
        form.addRow("", self.row.check)
        form.addRow(self.tr("Relation"), self.row.relation)
        form.addRow(self.tr("Phone"), self.row.phone)
        self.finish_layout(form)

    def load(self) -> None:
        """The member as the ledger has them now, with their row version: another clerk may have
        changed them since the panel was read, and saving carries the version back."""
        self.row_version: int | None = None
        if self.member is None:
            return
        self.row_version = household_work.person_version(self.member.person_id)  # before the fields
        now = next((m for m in household_members(self.household.id, self.year)
                    if m.person_id == self.member.person_id), self.member)
        self.row.name.setText(now.name)
        self.row.id_number.setText(now.id_number)
        self.row.id_number.setReadOnly(True)  # the ID is who the person is; a new one is a new person
        self.row.relation.setCurrentText(now.relation)
        self.row.phone.setText(now.phone)

    def save(self) -> int:
        data = self.row.member()
        if self.member is None:
            return household_work.add_member(self.household.id, data)
        try:
            household_work.update_person(self.member.person_id, name=data.name, phone=data.phone,
                                         relation=data.relation, row_version=self.row_version)
        except household_work.StaleEdit:
            self.load()  # the other clerk's change shown; the refusal says to look and change again
            raise
        return self.member.person_id


class StatusDialog(FormDialog):
    """Mark a status with its reason (职工医保, 异地参保, 死亡, 迁出, 服兵役, 其他), clear a recorded
    one (a soldier home again), or confirm for this year one carried from last year."""

    def __init__(self, member: MemberRow, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusDialog")
        self.member, self.year = member, year
        self._action = "save"
        self.setWindowTitle(fill(self.tr("Status of %1 in %2"), member.name, str(year)))
        self.status = QComboBox()
        self.status.setObjectName("statusChoice")
        self.status.addItem(self.tr("Follows the payment (unpaid / paid / fully subsidised)"), None)
        for code in household_work.STATUS_REASONS:
            self.status.addItem(status_label(code), code)
        self.reason = QLineEdit()
        self.reason.setObjectName("statusReason")
        self.reason.setPlaceholderText(self.tr("reason, e.g. the employer, the place, the date"))
        carried = followups.to_confirm(year, member.person_id)
        self.carried = QLabel()
        self.carried.setObjectName("statusCarried")
        self.carried.setWordWrap(True)
        self.carried.setVisible(bool(carried))
        if carried:
            self.carried.setText(fill(self.tr("Recorded in %1 and carried into %2: confirm it for %2, or clear it."),
                                      str(carried[0].recorded_year), str(year)))
        self.confirm_button = QPushButton(fill(self.tr("Confirm for %1"), str(year)))
        self.confirm_button.setObjectName("statusConfirm")
        self.confirm_button.setVisible(bool(carried))
        self.confirm_button.clicked.connect(lambda: self._run("confirm"))
        self.clear_button = QPushButton(self.tr("Clear this status"))
        self.clear_button.setObjectName("statusClear")
        self.clear_button.setEnabled(member.status in household_work.STATUS_REASONS)
        self.clear_button.clicked.connect(lambda: self._run("clear"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Status"), self.status)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.carried)
        form.addRow(buttons)
        self.finish_layout(form)

    def load(self) -> None:
        self.status.setCurrentIndex(max(self.status.findData(self.member.status), 0))
        self.reason.setText(self.member.status_reason)

    def _run(self, action: str) -> bool:
        """Confirm or clear through the form's one way of saving and refusing."""
        self._action = action
        try:
            return self.submit()
        finally:
            self._action = "save"

    def save(self) -> int:
        person_id = self.member.person_id
        if self._action == "confirm":
            household_work.confirm_status(person_id, self.year)
        elif self._action == "clear":
            household_work.clear_status(person_id, self.year)
        else:
            household_work.set_status(person_id, self.year, self.status.currentData(), self.reason.text())
        return person_id


class MoveDialog(FormDialog):
    """Move a member to another household: find it by number or head's name."""

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
        form = QFormLayout()
        form.addRow(self.tr("Find"), self.find)
        form.addRow(self.tr("Household"), self.found)
        form.addRow(self.tr("Relation there"), self.relation)
        self.finish_layout(form)

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

    def check(self) -> str | None:
        if self.found.currentItem() is None:
            return self.tr("Find and choose the household first.")
        return None

    def save(self) -> int:
        household_work.move_member(self.member.person_id, self.found.currentItem().data(Qt.ItemDataRole.UserRole),
                                   relation=self.relation.currentText().strip())
        return self.member.person_id
