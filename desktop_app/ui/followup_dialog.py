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
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import clock
from desktop_app.domain.masking import mask_text
from desktop_app.errors import UserError
from desktop_app.services import followup_export, followups, household_work, payments
from desktop_app.ui.forms import close_button, error_label, push_button
from desktop_app.ui.labels import status_label, yuan
from desktop_app.ui.printing.dialogs import table_preview
from desktop_app.ui.printing.tables import table_from_model
from desktop_app.ui.tables import table_view
from desktop_app.ui.text import fill

URGENT = QColor(255, 228, 196)  # unpaid, the deadline within 15 days
OVERDUE = QColor(255, 190, 190)  # unpaid, the deadline passed


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
        self.confirm_button = push_button(fill(self.tr("Confirm for %1"), str(year)), "toConfirmConfirm",
                                          lambda: self._act(household_work.confirm_status))
        self.clear_button = push_button(self.tr("Clear status"), "toConfirmClear",
                                        lambda: self._act(household_work.clear_status))
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
    """The follow-up lists, one tab each; the current tab exported, printed, or a row opened at
    its household in the window (double-click), and a refund owed paid out from its tab."""

    def __init__(self, year: int, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpDialog")
        self.setWindowTitle(fill(self.tr("Follow-up lists, %1"), str(year)))
        self.resize(960, 560)
        self.year = year
        self.today = today or clock.today()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("followUpTabs")
        #: each tab's list: its key in followup_export.SHEETS, its view and its service rows
        self.lists: list[tuple[str, QTableView, Callable[[], list]]] = []

        self.newborn_model = QStandardItemModel(0, 9, self)
        self.newborn_model.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Village"), self.tr("Born"), self.tr("Deadline"), self.tr("Days left"),
            self.tr("Status"), self.tr("Paid on"), self.tr("Guardian"), self.tr("Phone")])
        self.newborns = followups.newborns(year, self.today)
        for row in self.newborns:
            cells = [QStandardItem(v) for v in (
                row.name, row.village, f"{row.birth_date:%Y-%m-%d}", f"{row.deadline:%Y-%m-%d}",
                self._days_left(row), status_label(row.status), f"{row.paid_on:%Y-%m-%d}" if row.paid_on else "",
                row.guardian, row.phone)]
            if row.urgent:
                for cell in cells:
                    cell.setBackground(QBrush(OVERDUE if row.overdue else URGENT))
            self.newborn_model.appendRow(cells)
        overdue = sum(1 for r in self.newborns if r.overdue)
        near = sum(1 for r in self.newborns if r.near_deadline)
        self._add("newborns", self.newborn_model, lambda: self.newborns,
                  fill(self.tr("Newborns (%1, %2 overdue, %3 near the deadline)"),
                       str(len(self.newborns)), str(overdue), str(near)))

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
        self._add("late", self.late_model, lambda: self.late,
                  fill(self.tr("Late enrollers (%1)"), str(len(self.late))))

        self.refund_model = QStandardItemModel(0, 5, self)
        self.refund_model.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("ID number"), self.tr("Village"), self.tr("Paid"), self.tr("Refund owed")])
        self.refunds: list[tuple] = []
        self.refund_view = self._add("refunds", self.refund_model, lambda: self.refunds, "")
        self._read_refunds()

        self.run_model = QStandardItemModel(0, 6, self)
        self.run_model.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Village"), self.tr("Household"), self.tr("Phone"),
            self.tr("Years insured in a row"), self.tr("Still owed")])
        self.runs = followups.LISTS["long_run"](year)
        for run in self.runs:
            self.run_model.appendRow([QStandardItem(v) for v in (
                run.name, run.village, run.household, run.phone, str(run.run_years), yuan(run.due_fen))])
        self._add("long_run", self.run_model, lambda: self.runs,
                  fill(self.tr("Long runs at risk (%1)"), str(len(self.runs))))

        self.to_confirm = ToConfirmTab(year, self)
        self.to_confirm.changed.connect(self._count_to_confirm)
        self.to_confirm.view.doubleClicked.connect(lambda _i: self.open_at_household())
        self.lists.append(("confirm", self.to_confirm.view, lambda: self.to_confirm.rows))
        self.tabs.addTab(self.to_confirm, "")
        self._count_to_confirm()

        note = QLabel(fill(self.tr("Red: unpaid newborns past their 90-day deadline; orange: within %1 days of it. "
                                   "Double-click a row to open its household. "
                                   "The unpaid list is the person table with “Unpaid” ticked."),
                           str(followups.DEADLINE_WARNING_DAYS)))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self._actions())
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(close_button(self))
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())
        self._tab_changed()

    def _days_left(self, row: followups.NewbornRow) -> str:
        if row.overdue:
            return fill(self.tr("overdue %1 days"), str(-row.days_left))
        if row.near_deadline:
            return fill(self.tr("%1 (near the deadline)"), str(row.days_left))
        return str(row.days_left) if row.days_left >= 0 else ""  # paid: a passed deadline is no longer a count

    def _add(self, key: str, model: QStandardItemModel, rows: Callable[[], list], title: str) -> QTableView:
        view = table_view(model, f"{key}FollowUpTable")
        view.doubleClicked.connect(lambda _i: self.open_at_household())
        self.lists.append((key, view, rows))
        self.tabs.addTab(view, title)
        return view

    def _actions(self) -> QHBoxLayout:
        self.mask_check = QCheckBox(self.tr("Hide part of ID numbers and phones"))
        self.mask_check.setObjectName("followUpMask")
        self.export_button = push_button(self.tr("Export to Excel…"), "followUpExport", lambda: self.choose_export())
        self.print_button = push_button(self.tr("Print…"), "followUpPrint", lambda: self.print_list())
        self.open_button = push_button(self.tr("Open the household"), "followUpOpen",
                                       lambda: self.open_at_household())
        self.refund_button = push_button(self.tr("Refund paid out…"), "followUpRefund",
                                         lambda: self.pay_out_refund())
        self.error = error_label("followUpError")
        bar = QHBoxLayout()
        for button in (self.open_button, self.refund_button, self.export_button, self.print_button):
            bar.addWidget(button)
        bar.addWidget(self.mask_check)
        bar.addStretch(1)
        return bar

    def _tab_changed(self) -> None:
        self.error.clear()
        key, _view, rows = self.current_list()
        self.refund_button.setVisible(key == "refunds")
        for button in (self.export_button, self.print_button, self.open_button, self.refund_button):
            button.setEnabled(bool(rows()))

    def current_list(self) -> tuple[str, QTableView, Callable[[], list]]:
        index = self.tabs.currentIndex()
        widget = self.tabs.widget(index)
        return next(entry for entry in self.lists if entry[1] is widget or entry[1].parent() is widget)

    def _read_refunds(self) -> None:
        self.refunds = payments.refunds_owed(self.year)
        self.refund_model.removeRows(0, self.refund_model.rowCount())
        for _pid, name, number, village, paid, refund in self.refunds:
            self.refund_model.appendRow([QStandardItem(v) for v in (name, number, village, yuan(paid), yuan(refund))])
        self.tabs.setTabText(self.tabs.indexOf(self.refund_view),
                             fill(self.tr("Refunds owed (%1)"), str(len(self.refunds))))

    # --- export, print ----------------------------------------------------------------------
    def export_to(self, path: str) -> followup_export.TableSummary:
        """The current tab's list, as listed, to the workbook at ``path``."""
        key, _view, rows = self.current_list()
        return followup_export.export_followup(path, key, self.year, mask=self.mask_check.isChecked(),
                                               today=self.today, rows=rows())

    def choose_export(self) -> str | None:
        key, _view, _rows = self.current_list()
        suggested = followup_export.sheet_title(key, self.year) + ".xlsx"
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export the list"), suggested, "*.xlsx")
        if not name:
            return None
        try:
            written = self.export_to(name)
        except UserError as exc:
            self.error.setText(str(exc))
            return None
        self.error.setText(fill(self.tr("%1 rows written to %2"), str(written.rows), name))
        return name

    def print_list(self) -> QPrintPreviewDialog:
        """A print preview of the current tab's table as shown (masked when asked)."""
        key, view, _rows = self.current_list()
        headers, rows = table_from_model(view.model())
        title, subtitle = followup_export.sheet_title(key, self.year), ""
        if self.mask_check.isChecked():
            title, rows = mask_text(title), [[mask_text(v) for v in row] for row in rows]
            subtitle = self.tr("ID numbers and phones partly hidden")
        dialog = table_preview(self, title, headers, rows, subtitle)
        dialog.open()
        return dialog

    # --- at the household -------------------------------------------------------------------
    def chosen_person(self) -> tuple[int, str, str] | None:
        """(person id, ID number, name) of the current tab's highlighted row."""
        _key, view, rows = self.current_list()
        row = view.currentIndex().row()
        found = rows()
        if not 0 <= row < len(found):
            return None
        item = found[row]
        if isinstance(item, tuple):  # a refund owed: (person id, name, ID number, …)
            return item[0], item[2], item[1]
        return item.person_id, item.id_number, item.name

    def open_at_household(self) -> bool:
        """Show the highlighted row's person in the window: their row chosen in the person table
        (every filter that could hide them cleared), so the panel shows their household."""
        self.error.clear()
        chosen = self.chosen_person()
        window = self.parentWidget()
        if chosen is None:
            self.error.setText(self.tr("Choose a person in the list first."))
            return False
        if window is None or not hasattr(window, "show_person"):
            return False
        person_id, _id_number, name = chosen
        if window.show_person(person_id):
            return True
        self.error.setText(fill(self.tr("%1 is not in the person table."), name))
        return False

    def pay_out_refund(self) -> QDialog | None:
        """The refunds tab's chosen person, opened at the household, and the panel's “Refund
        paid out” form for them; when it is saved the refund list is read again."""
        if self.current_list()[0] != "refunds" or not self.open_at_household():
            return None
        dialog = self.parentWidget().household_panel.fix_menu.refund()
        if dialog is not None:
            dialog.saved.connect(lambda *_a: self._read_refunds())
            dialog.saved.connect(lambda *_a: self._tab_changed())
        return dialog

    def _count_to_confirm(self) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.to_confirm),
                             fill(self.tr("Statuses to confirm (%1)"), str(len(self.to_confirm.rows))))
