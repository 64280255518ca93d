"""合并村里交回的工作包: a village's return file, previewed like an import, then merged.

Three steps on a stack: choose the file and its password → the preview (what would be written,
by kind; every change; every conflict with the township's value and the village's, each with
its own choice, or all at once) → the summary. The preview is the services' dry run
(:func:`~desktop_app.services.packages.plan_merge`); nothing is written before "Merge", which
runs :func:`~desktop_app.services.packages.apply_merge` off the UI thread in one transaction.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import packages
from desktop_app.ui.backup_dialog import path_field
from desktop_app.ui.forms import BAD_STYLE, browse_row, password_edit, push_button, steps_layout
from desktop_app.ui.operations import Operation
from desktop_app.ui.package_dialogs import RETURN_FILTER
from desktop_app.ui.tables import table_view
from desktop_app.ui.text import fill

TOWNSHIP, VILLAGE = packages.TOWNSHIP, packages.VILLAGE
KINDS = ("payment", "reversal", "status", "household", "person", "edit")  # the services' kinds, in this order
CONFLICT_COLOURS = {TOWNSHIP: "#e3f2fd", VILLAGE: "#fff3e0"}


class ConflictTable(QTableWidget):
    """One row per conflict: who, what, the township's value, the village's, and a choice."""

    NAME, ID_NUMBER, FIELD, TOWNSHIP_VALUE, VILLAGE_VALUE, CHOICE = range(6)
    choice_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 6, parent)
        self.setObjectName("mergeConflicts")
        self.setHorizontalHeaderLabels([self.tr("Name"), self.tr("ID number"), self.tr("What"),
                                        self.tr("Township's value"), self.tr("Village's value"), self.tr("Keep")])
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (self.TOWNSHIP_VALUE, self.VILLAGE_VALUE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.conflicts: list = []

    def show_conflicts(self, conflicts: list) -> None:
        self.conflicts = list(conflicts)
        self.setRowCount(len(self.conflicts))
        for row, conflict in enumerate(self.conflicts):
            cells = (conflict.person, conflict.id_number, conflict.field_name or conflict.words,
                     conflict.township_value, conflict.village_value)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(conflict.words)  # the services' sentence: what happened on each side
                self.setItem(row, column, item)
            box = QComboBox()
            box.setObjectName(f"conflictChoice{row}")
            box.addItem(self.tr("— choose —"), None)
            box.addItem(self.tr("Township's"), TOWNSHIP)
            box.addItem(self.tr("Village's"), VILLAGE)
            box.setToolTip(conflict.words)
            box.currentIndexChanged.connect(lambda _i, r=row: self._chosen(r))
            self.setCellWidget(row, self.CHOICE, box)
        self.resizeColumnsToContents()
        if self.conflicts:
            self.selectRow(0)

    def words(self, row: int) -> str:
        return self.conflicts[row].words if 0 <= row < len(self.conflicts) else ""

    def box(self, row: int) -> QComboBox:
        return self.cellWidget(row, self.CHOICE)  # type: ignore[return-value]

    def choose(self, row: int, side: str) -> None:
        self.box(row).setCurrentIndex(self.box(row).findData(side))

    def choose_all(self, side: str) -> None:
        for row in range(self.rowCount()):
            self.choose(row, side)

    def choices(self) -> dict[str, str]:
        """conflict id → 'township' | 'village', for the conflicts chosen so far."""
        return {conflict.id: self.box(row).currentData() for row, conflict in enumerate(self.conflicts)
                if self.box(row).currentData() is not None}

    def unchosen(self) -> int:
        return len(self.conflicts) - len(self.choices())

    def _chosen(self, row: int) -> None:
        side = self.box(row).currentData()
        for column, wanted in ((self.TOWNSHIP_VALUE, TOWNSHIP), (self.VILLAGE_VALUE, VILLAGE)):
            item = self.item(row, column)
            font = item.font()
            font.setBold(side == wanted)
            item.setFont(font)
            item.setBackground(Qt.GlobalColor.transparent if side != wanted else _colour(wanted))
        self.choice_changed.emit()


def _colour(side: str) -> QColor:
    return QColor(CONFLICT_COLOURS[side])


class MergeChoosePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel(self.tr("Choose the file a village doctor brought back, and its password. You will see "
                               "everything it would change, and every conflict, before anything is written."))
        intro.setWordWrap(True)
        self.file = path_field("mergeFile")
        self.password = password_edit("mergePassword")
        form = QFormLayout()
        form.addRow(self.tr("Return file"), browse_row(self.file, self._choose, self.tr("&Choose…")))
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Return file"), str(Path.home()),
                                              f"{RETURN_FILTER} (*)")
        if name:
            self.file.setText(name)


class MergePreviewPage(QWidget):
    """What the return would write, by kind, every change, and the conflicts to decide."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel()
        self.headline.setObjectName("mergeHeadline")
        self.headline.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setObjectName("mergeCounts")
        self.counts.setWordWrap(True)
        font = self.counts.font()
        font.setBold(True)
        self.counts.setFont(font)
        self.conflicts = ConflictTable()
        self.all_township = push_button(self.tr("Keep the &township's for all"), "mergeAllTownship",
                                        lambda: self.conflicts.choose_all(TOWNSHIP))
        self.all_village = push_button(self.tr("Keep the &village's for all"), "mergeAllVillage",
                                       lambda: self.conflicts.choose_all(VILLAGE))
        self.left_to_choose = QLabel()
        self.left_to_choose.setObjectName("mergeLeftToChoose")
        self.conflicts.choice_changed.connect(self._count_left)
        conflict_page = QWidget()
        conflict_layout = QVBoxLayout(conflict_page)
        row = QHBoxLayout()
        row.addWidget(self.left_to_choose, 1)
        row.addWidget(self.all_township)
        row.addWidget(self.all_village)
        conflict_layout.addLayout(row)
        conflict_layout.addWidget(self.conflicts, 1)
        self.conflict_words = QLabel()  # the services' sentence on the conflict chosen in the table
        self.conflict_words.setObjectName("mergeConflictWords")
        self.conflict_words.setWordWrap(True)
        self.conflicts.currentCellChanged.connect(
            lambda row, _c, _r, _p: self.conflict_words.setText(self.conflicts.words(row)))
        conflict_layout.addWidget(self.conflict_words)
        self.changes_model = QStandardItemModel(0, 4, self)
        self.changes_model.setHorizontalHeaderLabels([self.tr("Kind"), self.tr("Name"), self.tr("ID number"),
                                                      self.tr("Change")])
        self.changes = table_view(self.changes_model, "mergeChanges", rows=False)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mergeTabs")
        self.conflict_tab = conflict_page
        self.tabs.addTab(conflict_page, "")
        self.tabs.addTab(self.changes, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.headline)
        layout.addWidget(self.counts)
        layout.addWidget(self.tabs, 1)

    def kind_names(self) -> dict[str, str]:
        return {"payment": self.tr("payments"), "reversal": self.tr("reversals"), "status": self.tr("statuses"),
                "household": self.tr("new households"), "person": self.tr("new persons"), "edit": self.tr("edits")}

    def item_kind(self, kind: str) -> str:
        return {"payment": self.tr("Payment"), "reversal": self.tr("Reversal"), "status": self.tr("Status"),
                "household": self.tr("New household"), "person": self.tr("New person"), "edit": self.tr("Edit")}.get(kind, kind)

    def show_plan(self, plan) -> None:  # noqa: ANN001
        self.headline.setText(fill(self.tr("Returned by %1 on %2 from %3 · %4"), plan.operator or "—",
                                   f"{plan.returned_at:%Y-%m-%d %H:%M}", "、".join(plan.villages), str(plan.year)))
        names = self.kind_names()
        parts = [fill(self.tr("%1 %2"), str(plan.counts.get(kind, 0)), names[kind]) for kind in KINDS]
        parts.append(fill(self.tr("%1 conflicts"), str(len(plan.conflicts))))
        text = " · ".join(parts)
        if plan.already_merged:
            text = self.tr("This return was merged before: merging it again changes nothing.") + "\n" + text
        self.counts.setText(text)
        self.conflicts.show_conflicts(plan.conflicts)
        self.conflict_words.setText(self.conflicts.words(self.conflicts.currentRow()))
        for button in (self.all_township, self.all_village):
            button.setEnabled(bool(plan.conflicts))
        self.changes_model.removeRows(0, self.changes_model.rowCount())
        for item in plan.items:
            cells = [QStandardItem(self.item_kind(item.kind)), QStandardItem(item.person),
                     QStandardItem(item.id_number), QStandardItem(item.words)]
            if item.conflict_id:
                for cell in cells:
                    cell.setToolTip(self.tr("In conflict: see the Conflicts tab"))
                    cell.setForeground(_colour_text())
            self.changes_model.appendRow(cells)
        self.tabs.setTabText(0, fill(self.tr("Conflicts (%1)"), str(len(plan.conflicts))))
        self.tabs.setTabText(1, fill(self.tr("Changes (%1)"), str(len(plan.items))))
        self.tabs.setCurrentIndex(0 if plan.conflicts else 1)
        self._count_left()

    def _count_left(self) -> None:
        left = self.conflicts.unchosen()
        self.left_to_choose.setStyleSheet(BAD_STYLE if left else "")
        self.left_to_choose.setText(fill(self.tr("%1 conflicts left to choose"), str(left)) if left
                                    else self.tr("Every conflict has its choice."))


def _colour_text() -> QColor:
    return QColor("#a15c00")


class MergeDialog(QDialog):
    """Choose → preview → summary; nothing is written before "Merge"."""

    planned = Signal(object)  # MergePlan
    merged = Signal(object)  # MergeReceipt
    CHOOSE, PREVIEW, RESULT = range(3)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(self.tr("Merge a village's returned work package"))
        self.resize(1100, 640)
        self.plan = None
        self.operation: Operation | None = None
        self.choose_page = MergeChoosePage()
        self.preview_page = MergePreviewPage()
        self.result_text = QLabel()
        self.result_text.setObjectName("mergeResult")
        self.result_text.setWordWrap(True)
        self.result_text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.stack = QStackedWidget()
        for page in (self.choose_page, self.preview_page, self.result_text):
            self.stack.addWidget(page)
        self.status = QLabel()
        self.status.setObjectName("mergeStatus")
        self.status.setWordWrap(True)
        self.back_button = QPushButton(self.tr("< &Back"))
        self.back_button.clicked.connect(lambda: self._show(self.CHOOSE))
        self.next_button = QPushButton()
        self.next_button.setObjectName("mergeNext")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        steps_layout(self, self.stack, self.status, (self.back_button, self.next_button, self.close_button))
        self._show(self.CHOOSE)

    def _show(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        busy = self.operation is not None
        self.back_button.setEnabled(page == self.PREVIEW and not busy)
        self.next_button.setVisible(page != self.RESULT)
        self.next_button.setEnabled(not busy)
        self.next_button.setText(self.tr("&Merge") if page == self.PREVIEW else self.tr("&Preview >"))
        self.status.clear()

    def next(self) -> Operation | None:
        if self.stack.currentIndex() == self.CHOOSE:
            return self.run_plan()
        return self.run_merge()

    def _refused(self, exc: Exception) -> None:
        self.operation = None
        self._show(self.stack.currentIndex())
        self.status.setStyleSheet(BAD_STYLE)
        self.status.setText(str(exc))  # the services' reason: wrong password, altered, another township…

    def run_plan(self) -> Operation | None:
        path, password = self.choose_page.file.text().strip(), self.choose_page.password.text()
        if not path or not password:
            self.status.setStyleSheet(BAD_STYLE)
            self.status.setText(self.tr("Choose the return file and enter its password."))
            return None
        self.operation = Operation(self, op=lambda _job: packages.plan_merge(Path(path), password),
                                   success=self._planned, failure=self._refused)
        self._show(self.CHOOSE)
        return self.operation.with_progress(self.tr("Reading the return file…")).run_in_background()

    def _planned(self, plan) -> None:  # noqa: ANN001
        self.operation = None
        self.plan = plan
        self.preview_page.show_plan(plan)
        self._show(self.PREVIEW)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Nothing is written before “Merge”."))
        self.planned.emit(plan)

    def run_merge(self) -> Operation | None:
        plan, choices = self.plan, self.preview_page.conflicts.choices()
        left = self.preview_page.conflicts.unchosen()
        if left:
            self.status.setStyleSheet(BAD_STYLE)
            self.status.setText(fill(self.tr("Choose for each conflict whose value to keep (%1 left), or keep one "
                                             "side for all."), str(left)))
            self.preview_page.tabs.setCurrentIndex(0)
            return None
        self.operation = Operation(self, op=lambda _job: packages.apply_merge(plan, choices),
                                   success=self._merged, failure=self._refused)
        self._show(self.PREVIEW)
        return self.operation.with_progress(self.tr("Merging…")).run_in_background()

    def _merged(self, receipt) -> None:  # noqa: ANN001
        self.operation = None
        names = self.preview_page.kind_names()
        written = "、".join(fill(self.tr("%1 %2"), str(receipt.applied.get(kind, 0)), names[kind]) for kind in KINDS)
        self.result_text.setText(fill(self.tr("Merged package %1. Written: %2. Left as they were: %3."),
                                      receipt.package_id[:8], written, str(receipt.skipped)))
        self._show(self.RESULT)
        self.close_button.setText(self.tr("Close"))
        self.merged.emit(receipt)
