"""The right-hand panel: one household's members, what each owes in the year and why, and the
work done on them — payments, statuses, members — each a button away."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.continuity import Continuity
from desktop_app.services.continuity import continuity_of, repaired_years
from desktop_app.services.households import (
    NOT_PAYING_EXPLANATIONS,
    HouseholdRow,
    MemberRow,
    household_members,
    household_totals,
)
from desktop_app.services.townships import township_of_household
from desktop_app.ui.audit_dialog import AuditDialog
from desktop_app.ui.backpay_dialog import BackPaymentDialog
from desktop_app.ui.corrections_dialogs import CorrectionsMenu
from desktop_app.ui.household_dialog import MemberDialog, MoveDialog, StatusDialog
from desktop_app.ui.keyboard import with_shortcut
from desktop_app.ui.labels import status_label, yuan
from desktop_app.ui.payment_dialog import PaymentDialog, PaymentHistoryDialog
from desktop_app.ui.tables import table_view
from desktop_app.ui.text import fill

# The panel's keys, wherever the focus is in the window. 全户缴费 (Ctrl+Shift+P) and 打印告知单
# (Ctrl+P) are the window's own actions (menu 业务): the buttons name them but do not repeat them,
# since one key on two actions is ambiguous and does nothing.
PAY_HOUSEHOLD_KEY, PRINT_KEY = "Ctrl+Shift+P", QKeySequence.StandardKey.Print
PANEL_KEYS = {"pay_person": "Ctrl+Alt+P", "history": "Ctrl+Shift+H", "status": "Ctrl+Shift+S",
              "add_member": "Ctrl+Shift+A", "move": "Ctrl+Shift+M", "audit": "Ctrl+Shift+L", "edit": "F2"}


class HouseholdPanel(QWidget):
    """A household has at most a handful of members, so a small item model is right here."""

    #: the ledger changed here (a payment, a status, a member): the window refreshes
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("householdPanel")
        self.household: HouseholdRow | None = None
        self.year = 0
        self.title = QLabel()
        self.title.setObjectName("householdTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.address = QLabel()
        self.address.setWordWrap(True)
        self.model = QStandardItemModel(0, 7, self)
        self.members = table_view(self.model, "memberTable", single=True)
        self.members.selectionModel().currentRowChanged.connect(lambda current, _p: self._explain(current.row()))
        self.members.doubleClicked.connect(lambda _index: self.edit_member())
        self.explanation = QLabel()
        self.explanation.setObjectName("chargeExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.total = QLabel()
        self.total.setObjectName("householdTotal")

        self.pay_household_button = QPushButton(self.tr("Household pays…"))
        self.pay_person_button = QPushButton(self.tr("This person pays…"))
        self.history_button = QPushButton(self.tr("Payments and reversal…"))
        self.status_button = QPushButton(self.tr("Mark status…"))
        self.add_member_button = QPushButton(self.tr("Add member…"))
        self.move_button = QPushButton(self.tr("Move to household…"))
        self.print_button = QPushButton(self.tr("Print notice…"))
        self.audit_button = QPushButton(self.tr("Change history…"))
        self.backpay_button = QPushButton(self.tr("Back-payment of a missed year…"))
        self.fix_button = QPushButton(self.tr("Correct a mistake…"))
        self.fix_button.setObjectName("correctionsButton")
        self.fix_menu = CorrectionsMenu(self)
        self.fix_button.setMenu(self.fix_menu)
        for button, slot in ((self.pay_household_button, self.pay_household), (self.pay_person_button, self.pay_person),
                             (self.history_button, self.show_history), (self.status_button, self.mark_status),
                             (self.add_member_button, self.add_member), (self.move_button, self.move_member),
                             (self.print_button, self.print_notice), (self.audit_button, self.show_audit),
                             (self.backpay_button, self.back_pay)):
            button.clicked.connect(slot)
        self._keys(((self.pay_household_button, PAY_HOUSEHOLD_KEY, False), (self.print_button, PRINT_KEY, False),
                    (self.pay_person_button, PANEL_KEYS["pay_person"], True),
                    (self.history_button, PANEL_KEYS["history"], True), (self.status_button, PANEL_KEYS["status"], True),
                    (self.add_member_button, PANEL_KEYS["add_member"], True),
                    (self.move_button, PANEL_KEYS["move"], True), (self.audit_button, PANEL_KEYS["audit"], True)))
        edit = QAction(self)
        edit.setShortcut(QKeySequence(PANEL_KEYS["edit"]))
        edit.triggered.connect(lambda: self.edit_member())
        self.addAction(edit)
        self.members.setToolTip(with_shortcut(self.tr("Double-click a member to edit"), PANEL_KEYS["edit"]))
        buttons = QGridLayout()
        for index, button in enumerate((self.pay_household_button, self.pay_person_button, self.history_button,
                                        self.status_button, self.add_member_button, self.move_button,
                                        self.print_button, self.audit_button, self.backpay_button, self.fix_button)):
            buttons.addWidget(button, index // 2, index % 2)

        layout = QVBoxLayout(self)
        for widget in (self.title, self.address, self.members, self.explanation, self.total):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.setStretch(2, 1)
        self._rows: list[MemberRow] = []
        self._runs: dict[int, Continuity] = {}
        self._repaired: dict[int, set[int]] = {}
        self.show_household(None, 0)

    def _keys(self, buttons) -> None:  # noqa: ANN001
        """Each button's key in its tooltip; with ``own`` the key presses the button (when enabled)
        wherever the focus is in the window."""
        for button, key, own in buttons:
            button.setToolTip(with_shortcut(button.text(), key))
            if own:
                action = QAction(self)
                action.setShortcut(QKeySequence(key))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                action.triggered.connect(button.click)  # a disabled button ignores it
                self.addAction(action)

    # --- showing ----------------------------------------------------------------------------
    def show_household(self, household: HouseholdRow | None, year: int, *, select_person: int | None = None) -> None:
        self.household = household
        self.year = year
        self.model.clear()
        self.model.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Relation"), self.tr("Category"), self.tr("Status"),
             self.tr("Due"), self.tr("Paid"), self.tr("Years insured")]
        )
        for button in (self.pay_household_button, self.pay_person_button, self.history_button, self.status_button,
                       self.add_member_button, self.move_button, self.print_button, self.audit_button,
                       self.backpay_button, self.fix_button):
            button.setEnabled(household is not None and bool(year))
        if household is None:
            self._rows = []
            self.title.setText(self.tr("Choose a household or a person"))
            self.address.clear()
            self.explanation.clear()
            self.total.clear()
            return
        self._rows = household_members(household.id, year)
        ids = [m.person_id for m in self._rows]
        self._runs = continuity_of(ids, year)  # 连续参保年数 and the incentive, from the service
        self._repaired = repaired_years(ids)
        self.title.setText(
            fill(self.tr("Household %1 · head %2"), household.number, household.head_name)
        )
        town = township_of_household(household.id)  # a county database: whose 东山村
        place = f"{town.name} · {household.village}" if town else household.village
        self.address.setText(f"{place} · {household.address}")
        for member in self._rows:
            cells = [
                QStandardItem(member.name),
                QStandardItem(member.relation),
                QStandardItem(member.categories or self.tr("Ordinary resident")),
                QStandardItem(status_label(member.status)),
                # a recorded status (职工医保, 异地参保…) pays nothing here: no amount due is shown
                QStandardItem("—" if member.status in NOT_PAYING_EXPLANATIONS else yuan(member.due_fen)),
                QStandardItem(yuan(member.paid_fen)),
                self._run_cell(self._runs[member.person_id]),
            ]
            for cell in cells[4:]:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells[0].setToolTip(member.id_number)
            self.model.appendRow(cells)
        totals = household_totals(self._rows)
        self.total.setText(
            fill(self.tr("%1 year: household due %2, still owed %3"),
                 str(year), yuan(totals.due_fen), yuan(totals.owed_fen))
        )
        self.pay_household_button.setEnabled(totals.owed_fen > 0)
        row = next((i for i, m in enumerate(self._rows) if m.person_id == select_person), 0)
        if self._rows:
            self.members.selectRow(row)
            self._explain(row)

    def _run_cell(self, run: Continuity) -> QStandardItem:
        """连续参保年数, marked when the 大病保险 incentive applies (the count and whether, never an amount)."""
        cell = QStandardItem(fill(self.tr("%1 · incentive"), str(run.years)) if run.incentive else str(run.years))
        cell.setToolTip(run.words())
        return cell

    def selected_member(self) -> MemberRow | None:
        row = self.members.currentIndex().row()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def selected_person_id(self) -> int | None:
        member = self.selected_member()
        return member.person_id if member else None

    def _explain(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            self.explanation.clear()
            self.fix_menu.update_for(None)
            return
        member = self._rows[row]
        self.fix_menu.update_for(member)
        text = member.explanation or status_label(member.status)
        if member.status_reason and member.status_reason not in text:
            text += f"（{member.status_reason}）"
        text += "；" + self._runs[member.person_id].words()
        repaired = sorted(self._repaired.get(member.person_id, ()))
        if repaired:
            text += "；" + fill(self.tr("years paid back: %1"), "、".join(map(str, repaired)))
        self.explanation.setText(f"{member.name}：{text}")
        self.pay_person_button.setEnabled(member.owed_fen > 0)

    # --- work -------------------------------------------------------------------------------
    def _open(self, make: Callable[[MemberRow | None], QDialog], *, household: bool = False,
              member: bool = False) -> QDialog | None:
        """Open the dialog ``make(selected member)`` makes, when the panel shows a household
        (``household``) and a member is selected (``member``); what it saves refreshes the window."""
        chosen = self.selected_member()
        if (household and self.household is None) or (member and chosen is None):
            return None
        dialog = make(chosen)
        dialog.saved.connect(lambda *_a: self.changed.emit())
        dialog.show()
        return dialog

    def pay_household(self) -> QDialog | None:
        return self._open(lambda _m: PaymentDialog(self.household, self.year, None, self), household=True)

    def pay_person(self) -> QDialog | None:
        return self._open(lambda m: PaymentDialog(self.household, self.year, m, self), household=True, member=True)

    def show_history(self) -> QDialog | None:
        return self._open(lambda m: PaymentHistoryDialog(m, self.year, self), member=True)

    def back_pay(self) -> QDialog | None:
        return self._open(lambda m: BackPaymentDialog(m, self), member=True)

    def mark_status(self) -> QDialog | None:
        return self._open(lambda m: StatusDialog(m, self.year, self), member=True)

    def add_member(self) -> QDialog | None:
        return self._open(lambda _m: MemberDialog(self.household, None, self), household=True)

    def edit_member(self) -> QDialog | None:
        return self._open(lambda m: MemberDialog(self.household, m, self, year=self.year),
                          household=True, member=True)

    def move_member(self) -> QDialog | None:
        return self._open(lambda m: MoveDialog(m, self), member=True)

    def show_audit(self) -> AuditDialog | None:
        member = self.selected_member()
        if member is None:
            return None
        dialog = AuditDialog(self, person_id=member.person_id,
                             title=fill(self.tr("Change history of %1"), member.name))
        dialog.show()
        return dialog

    def print_notice(self) -> None:
        """缴费告知单 of this household: a preview whose Print button offers the printer or a PDF."""
        if self.household is None:
            return
        from desktop_app.ui.printing import choose_printer_and_print_notice  # Qt's printing loads when used

        choose_printer_and_print_notice(self, self.household.id, self.year)
