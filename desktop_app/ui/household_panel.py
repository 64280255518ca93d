"""The right-hand panel: one household's members, what each owes in the year, and why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.households import HouseholdRow, MemberRow, household_members
from desktop_app.ui.labels import status_label, yuan


class HouseholdPanel(QWidget):
    """A household has at most a handful of members, so a small item model is right here."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("householdPanel")
        self.title = QLabel()
        self.title.setObjectName("householdTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.address = QLabel()
        self.address.setWordWrap(True)
        self.model = QStandardItemModel(0, 6, self)
        self.members = QTableView()
        self.members.setObjectName("memberTable")
        self.members.setModel(self.model)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.verticalHeader().hide()
        self.members.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.members.horizontalHeader().setStretchLastSection(True)
        self.members.selectionModel().currentRowChanged.connect(lambda current, _p: self._explain(current.row()))
        self.explanation = QLabel()
        self.explanation.setObjectName("chargeExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.total = QLabel()
        self.total.setObjectName("householdTotal")
        layout = QVBoxLayout(self)
        for widget in (self.title, self.address, self.members, self.explanation, self.total):
            layout.addWidget(widget)
        layout.setStretch(2, 1)
        self._rows: list[MemberRow] = []
        self.show_household(None, 0)

    def show_household(self, household: HouseholdRow | None, year: int) -> None:
        self.model.clear()
        self.model.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Relation"), self.tr("Category"), self.tr("Status"),
             self.tr("Due"), self.tr("Paid")]
        )
        if household is None:
            self._rows = []
            self.title.setText(self.tr("Choose a household on the left"))
            self.address.clear()
            self.explanation.clear()
            self.total.clear()
            return
        self._rows = household_members(household.id, year)
        self.title.setText(
            self.tr("Household %1 · head %2").replace("%1", household.number).replace("%2", household.head_name)
        )
        self.address.setText(f"{household.village} · {household.address}")
        for member in self._rows:
            cells = [
                QStandardItem(member.name),
                QStandardItem(member.relation),
                QStandardItem(member.categories or self.tr("Ordinary resident")),
                QStandardItem(status_label(member.status)),
                QStandardItem(yuan(member.due_fen)),
                QStandardItem(yuan(member.paid_fen)),
            ]
            for cell in cells[4:]:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells[0].setToolTip(member.id_number)
            self.model.appendRow(cells)
        owed = sum(m.due_fen - min(m.paid_fen, m.due_fen) for m in self._rows if m.status == "unpaid")
        due = sum(m.due_fen for m in self._rows if m.status in ("unpaid", "paid"))
        self.total.setText(
            self.tr("%1 year: household due %2, still owed %3")
            .replace("%1", str(year)).replace("%2", yuan(due)).replace("%3", yuan(owed))
        )
        if self._rows:
            self.members.selectRow(0)
            self._explain(0)

    def _explain(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            self.explanation.clear()
            return
        member = self._rows[row]
        text = member.explanation or status_label(member.status)
        if member.status_reason:
            text += f"（{member.status_reason}）"
        self.explanation.setText(f"{member.name}：{text}")
