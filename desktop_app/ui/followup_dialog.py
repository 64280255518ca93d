"""跟进名单: newborns before their 90-day deadline, late enrollers' waiting periods (before and
after 补缴 repair), refunds owed, statuses carried from last year to confirm for this one
(confirmed or cleared from the list), and long runs of insured years this year's break would reset.

(The unpaid, by village and household with phones, are the person table with 未缴费 ticked.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.errors import UserError
from desktop_app.services import followups, household_work, payments
from desktop_app.ui.forms import close_button, error_label
from desktop_app.ui.labels import status_label, yuan
from desktop_app.ui.tables import table_view
from desktop_app.ui.text import fill

URGENT = QColor(255, 228, 196)


class ToConfirmTab(QWidget):
    """待确认: statuses carried into the year, each confirmed or cleared from here."""

    # a status was confirmed or cleared (the window refreshes)
    changed = Signal()

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year = year
        self.model = QStandardItemModel(0, 8, self)
        self.model.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("ID number"), self.tr("Village"), self.tr("Household no."),
            self.tr("Head of household"), self.tr("Status"), self.tr("Reason"), self.tr("Recorded in")])
        self.view = table_view(self.model, "toConfirmTable")
        self.confirm_button = QPushButton(fill(self.tr("Confirm for %1"), str(year)))
        self.confirm_button.setObjectName("toConfirmConfirm")
        self.confirm_button.clicked.connect(lambda: self._act(household_work.confirm_status))
        self.clear_button = QPushButton(self.tr("Clear status"))
        self.clear_button.setObjectName("toConfirmClear")
        self.clear_button.clicked.connect(lambda: self._act(household_work.clear_status))
        self.error = error_label("toConfirmError")
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.rows: list[followups.ToConfirmRow] = []
        self.reload()

    def reload(self) -> None:
        self.rows = followups.to_confirm(self.year)
        self.model.removeRows(0, self.model.rowCount())
        for row in self.rows:
            self.model.appendRow([QStandardItem(v) for v in (
                row.name, row.id_number, row.village, row.household_number, row.head_name, status_label(row.status),
                row.reason, str(row.recorded_year))])
        for button in (self.confirm_button, self.clear_button):
            button.setEnabled(bool(self.rows))

    def selected(self) -> list[followups.ToConfirmRow]:
        return [self.rows[i.row()] for i in self.view.selectionModel().selectedRows()]

    def _act(self, work: Callable[[int, int], None]) -> None:
        """``work`` (confirm_status or clear_status) for each chosen person."""
        self.error.clear()
        chosen = self.selected()
        if not chosen:
            self.error.setText(self.tr("Choose one or more persons in the list first."))
            return
        try:
            for row in chosen:
                work(row.person_id, self.year)
        except UserError as exc:
            self.error.setText(str(exc))
        self.reload()
        self.changed.emit()


class FollowUpDialog(QDialog):
    def __init__(self, year: int, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpDialog")
        self.setWindowTitle(fill(self.tr("Follow-up lists, %1"), str(year)))
        self.resize(900, 520)
        today = today or dt.date.today()
        self.tabs = QTabWidget()

        self.newborn_model = QStandardItemModel(0, 9, self)
        self.newborn_model.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Village"), self.tr("Born"), self.tr("Deadline"), self.tr("Days left"),
            self.tr("Status"), self.tr("Paid on"), self.tr("Guardian"), self.tr("Phone")])
        self.newborns = followups.newborns(year, today)
        for row in self.newborns:
            cells = [QStandardItem(v) for v in (
                row.name, row.village, f"{row.birth_date:%Y-%m-%d}", f"{row.deadline:%Y-%m-%d}",
                str(row.days_left) if row.days_left >= 0 else fill(self.tr("overdue %1 days"), str(-row.days_left)),
                status_label(row.status), f"{row.paid_on:%Y-%m-%d}" if row.paid_on else "", row.guardian, row.phone)]
            if row.urgent:
                for cell in cells:
                    cell.setBackground(QBrush(URGENT))
            self.newborn_model.appendRow(cells)
        urgent = sum(1 for r in self.newborns if r.urgent)
        self.tabs.addTab(table_view(self.newborn_model),
                         fill(self.tr("Newborns (%1, %2 urgent)"), str(len(self.newborns)), str(urgent)))

        self.late_model = QStandardItemModel(0, 8, self)
        self.late_model.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Village"), self.tr("Paid on"), self.tr("Years of break"),
            self.tr("Years paid back"), self.tr("Waiting before repair"), self.tr("Waiting months"),
            self.tr("Benefits from")])
        self.late = followups.late_enrollers(year)
        for row in self.late:
            self.late_model.appendRow([QStandardItem(v) for v in (
                row.name, row.village, f"{row.paid_on:%Y-%m-%d}", str(row.break_years), str(row.repaid_years),
                str(row.waiting_before), str(row.waiting_months), f"{row.benefits_from:%Y-%m-%d}")])
        self.tabs.addTab(table_view(self.late_model), fill(self.tr("Late enrollers (%1)"), str(len(self.late))))

        self.refund_model = QStandardItemModel(0, 5, self)
        self.refund_model.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("ID number"), self.tr("Village"), self.tr("Paid"), self.tr("Refund owed")])
        self.refunds = payments.refunds_owed(year)
        for _pid, name, number, village, paid, refund in self.refunds:
            self.refund_model.appendRow([QStandardItem(v) for v in (name, number, village, yuan(paid), yuan(refund))])
        self.tabs.addTab(table_view(self.refund_model), fill(self.tr("Refunds owed (%1)"), str(len(self.refunds))))

        self.run_model = QStandardItemModel(0, 6, self)
        self.run_model.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Village"), self.tr("Household"), self.tr("Phone"),
            self.tr("Years insured in a row"), self.tr("Still owed")])
        self.runs = followups.LISTS["long_run"](year)
        for run in self.runs:
            self.run_model.appendRow([QStandardItem(v) for v in (
                run.name, run.village, run.household, run.phone, str(run.run_years), yuan(run.due_fen))])
        self.tabs.addTab(table_view(self.run_model), fill(self.tr("Long runs at risk (%1)"), str(len(self.runs))))

        self.to_confirm = ToConfirmTab(year, self)
        self.to_confirm.changed.connect(self._count_to_confirm)
        self.tabs.addTab(self.to_confirm, "")
        self._count_to_confirm()

        note = QLabel(fill(self.tr("Highlighted: unpaid newborns within %1 days of their 90-day deadline. "
                                   "The unpaid list is the person table with “Unpaid” ticked."),
                           str(followups.DEADLINE_WARNING_DAYS)))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        layout.addWidget(close_button(self))

    def _count_to_confirm(self) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.to_confirm),
                             fill(self.tr("Statuses to confirm (%1)"), str(len(self.to_confirm.rows))))
