"""跟进名单: newborns before their 90-day deadline, late enrollers' waiting periods (before and
after 补缴 repair), refunds owed, and long runs of insured years this year's break would reset.

(The unpaid, by village and household with phones, are the person table with 未缴费 ticked.)
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import followups, payments
from desktop_app.ui.forms import close_button
from desktop_app.ui.labels import status_label, yuan
from desktop_app.ui.tables import table_view
from desktop_app.ui.text import fill

URGENT = QColor(255, 228, 196)


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

        note = QLabel(fill(self.tr("Highlighted: unpaid newborns within %1 days of their 90-day deadline. "
                                   "The unpaid list is the person table with “Unpaid” ticked."),
                           str(followups.DEADLINE_WARNING_DAYS)))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        layout.addWidget(close_button(self))
