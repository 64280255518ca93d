"""The import wizard: pick a file, check its columns, see what would happen, then import.

Every import is a dry run first: the file is read and checked off the UI thread, the preview
shows how many rows are new, updated, rejected and unmatched with the first of each, and only
"Import" writes, in one transaction, with progress and cancel. Column mappings a person
corrects are remembered for files of the same layout.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.exchange import UnreadableFileError
from desktop_app.services import imports
from desktop_app.services.import_plan import ImportPlan, RowIssue
from desktop_app.services.policy import policy_years
from desktop_app.ui.text import fill
from desktop_app.ui.worker import Worker

PREVIEW_ROWS = 50
FILE_FILTER = "*.xlsx *.xls *.ods *.csv"


def _table(model: QStandardItemModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ImportWizard(QDialog):
    """Four steps on a stack: choose → columns → preview → result."""

    planned = Signal(object)  # ImportPlan, after each dry run
    imported = Signal(object)  # ImportResult
    CHOOSE, COLUMNS, PREVIEW, RESULT = range(4)

    def __init__(self, parent: QWidget | None = None, backup=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import a file from the county"))
        self.resize(900, 620)
        self.plan: ImportPlan | None = None
        self.worker: Worker | None = None
        self._backup = backup
        self._mapping_boxes: list[tuple[str, int, QComboBox]] = []
        self._no_header = False

        self.stack = QStackedWidget()
        self.stack.addWidget(self._choose_page())
        self.stack.addWidget(self._columns_page())
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._result_page())

        self.status = QLabel()
        self.status.setObjectName("wizardStatus")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.back_button = QPushButton(self.tr("< &Back"))
        self.next_button = QPushButton(self.tr("&Next >"))
        self.next_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)  # keeps the buttons their natural size while the bar is hidden
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._show(self.CHOOSE)

    # --- pages -------------------------------------------------------------------------
    def _choose_page(self) -> QWidget:
        page = QWidget()
        self.kind_group = QButtonGroup(page)
        kinds = (
            ("roster", self.tr("Roster (households and persons)")),
            ("categories", self.tr("Category list (低保, 特困, 监测对象…)")),
            ("payments", self.tr("Payment feedback from the tax bureau")),
        )
        kind_box = QVBoxLayout()
        for index, (value, text) in enumerate(kinds):
            button = QRadioButton(text)
            button.setProperty("kind", value)
            button.setObjectName(f"kind_{value}")
            self.kind_group.addButton(button, index)
            kind_box.addWidget(button)
        self.kind_group.button(0).setChecked(True)
        self.kind_group.idToggled.connect(lambda _id, _on: self._kind_changed())
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("importFile")
        self.file_edit.setPlaceholderText(self.tr("Excel or CSV file sent by the county"))
        browse = QPushButton(self.tr("&Choose…"))
        browse.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        self.year_box = QComboBox()
        self.year_box.setObjectName("importYear")
        years = policy_years() or [imports.default_year()]
        for year in years:
            self.year_box.addItem(str(year), year)
        self.year_box.setCurrentIndex(len(years) - 1)
        self.category_edit = QLineEdit()
        self.category_edit.setPlaceholderText(self.tr("e.g. 低保 — only when the file has no category column"))
        self.full_list = QCheckBox(self.tr("This is the full list: end the category for persons not in it"))
        form = QFormLayout(page)
        form.addRow(self.tr("What is in the file"), kind_box)
        form.addRow(self.tr("File"), file_row)
        form.addRow(self.tr("Year"), self.year_box)
        form.addRow(self.tr("Whole file is category"), self.category_edit)
        form.addRow("", self.full_list)
        self._kind_changed()
        return page

    def _columns_page(self) -> QWidget:
        page = QWidget()
        self.columns_intro = QLabel()
        self.columns_intro.setWordWrap(True)
        self.header_row = QSpinBox()
        self.header_row.setMinimum(1)
        self.header_row.setMaximum(20)
        self.header_row.valueChanged.connect(lambda _v: self._fill_manual_mapping())
        self.header_row_label = QLabel(self.tr("Header is in row"))
        self.raw_model = QStandardItemModel(self)
        self.raw_view = _table(self.raw_model)
        self.mapping_grid = QGridLayout()
        mapping_holder = QWidget()
        mapping_holder.setLayout(self.mapping_grid)
        row = QHBoxLayout()
        row.addWidget(self.header_row_label)
        row.addWidget(self.header_row)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.columns_intro)
        layout.addLayout(row)
        layout.addWidget(self.raw_view, 1)
        layout.addWidget(mapping_holder)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.counts = QLabel()
        self.counts.setObjectName("previewCounts")
        font = self.counts.font()
        font.setBold(True)
        self.counts.setFont(font)
        self.tabs = QTabWidget()
        self.save_rejects_button = QPushButton(self.tr("Save the rejected rows…"))
        self.save_rejects_button.clicked.connect(self.save_rejects)
        layout = QVBoxLayout(page)
        layout.addWidget(self.counts)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.save_rejects_button, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_text = QLabel()
        self.result_text.setObjectName("importResult")
        self.result_text.setWordWrap(True)
        self.result_save = QPushButton(self.tr("Save the rejected rows…"))
        self.result_save.clicked.connect(self.save_rejects)
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_text)
        layout.addWidget(self.result_save, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    # --- navigation -----------------------------------------------------------------------
    def _show(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        busy = self.worker is not None
        self.back_button.setEnabled(page in (self.COLUMNS, self.PREVIEW) and not busy)
        self.next_button.setEnabled(page != self.RESULT and not busy)
        self.next_button.setText(self.tr("&Import") if page == self.PREVIEW else self.tr("&Next >"))
        self.cancel_button.setText(self.tr("Close") if page == self.RESULT else self.tr("Cancel"))

    def kind(self) -> str:
        return str(self.kind_group.checkedButton().property("kind"))

    def _kind_changed(self) -> None:
        categories = self.kind() == "categories"
        self.category_edit.setEnabled(categories)
        self.full_list.setEnabled(categories)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("File to import"), "", fill(self.tr("Spreadsheets (%1)"), FILE_FILTER)
        )
        if name:
            self.file_edit.setText(name)

    def back(self) -> None:
        page = self.stack.currentIndex()
        self._show(self.COLUMNS if page == self.PREVIEW and not self._no_header else self.CHOOSE)

    def next(self) -> None:
        page = self.stack.currentIndex()
        if page == self.CHOOSE:
            if not self.file_edit.text().strip():
                self.status.setText(self.tr("Choose the file to import first."))
                return
            self.run_plan()
        elif page == self.COLUMNS:
            if self._no_header or self._mapping_changed():
                self._remember_corrections()
                self.run_plan()
            else:
                self._show(self.PREVIEW)
                self.status.setText(self.counts.text())
        elif page == self.PREVIEW:
            self.run_apply()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText(self.tr("Cancelling… nothing will be written."))
            return
        self.reject() if self.stack.currentIndex() != self.RESULT else self.accept()

    # --- the dry run -----------------------------------------------------------------------
    def run_plan(self) -> Worker:
        path = Path(self.file_edit.text().strip())
        kind, year = self.kind(), self.year_box.currentData()
        category = self.category_edit.text().strip() or None
        full = self.full_list.isChecked() and self.full_list.isEnabled()

        def job(progress, should_stop):  # noqa: ANN001
            return imports.plan(kind, path, year=year, category=category, full_list=full,
                                progress=progress, should_stop=should_stop)

        self.status.setText(self.tr("Reading and checking every row…"))
        return self._start(job, self._planned, self._plan_failed)

    def _planned(self, plan: ImportPlan) -> None:
        from_columns = self.stack.currentIndex() == self.COLUMNS
        self.plan = plan
        self._no_header = False
        self._fill_preview(plan)
        if from_columns:
            self._show(self.PREVIEW)
            self.status.setText(self.counts.text())
        else:
            self._fill_mapping(plan)
            self._show(self.COLUMNS)
            self.status.setText(self.tr("Check what each column holds, then Next."))
        self.planned.emit(plan)

    def _plan_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UnreadableFileError) and exc.code == "no_header":
            self._no_header = True
            self._fill_raw_preview()
            self._show(self.COLUMNS)
            self.status.setText(exc.message)
            return
        self._show(self.stack.currentIndex())
        self.status.setText(str(getattr(exc, "message", None) or exc))

    # --- columns -----------------------------------------------------------------------------
    def _clear_mapping(self) -> None:
        while self.mapping_grid.count():
            item = self.mapping_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._mapping_boxes = []

    def _field_box(self, current: str | None) -> QComboBox:
        box = QComboBox()
        box.addItem(self.tr("(ignore)"), None)
        for value, label in imports.field_choices():
            box.addItem(label, value)
        index = box.findData(current)
        box.setCurrentIndex(index if index >= 0 else 0)
        return box

    def _add_mapping_row(self, signature: str, column: int, header: str, current: str | None) -> None:
        row = len(self._mapping_boxes)
        box = self._field_box(current)
        box.setObjectName(f"mapping_{column}")
        self.mapping_grid.addWidget(QLabel(header or fill(self.tr("column %1"), str(column + 1))),
                                    row // 3, (row % 3) * 2)
        self.mapping_grid.addWidget(box, row // 3, (row % 3) * 2 + 1)
        self._mapping_boxes.append((signature, column, box))

    def _fill_mapping(self, plan: ImportPlan) -> None:
        self._clear_mapping()
        self.header_row.setVisible(False)
        self.header_row_label.setVisible(False)
        self.raw_view.setVisible(False)
        table = plan.tables[0] if plan.tables else None
        self.columns_intro.setText(
            fill(self.tr("Sheet “%1”: the header was found in row %2 (%3 sheets read). Correct any column "
                         "read wrongly; the correction is remembered for files laid out the same way."),
                 table.sheet if table else "",
                 str(table.header_row_number if table else ""),
                 str(len(plan.tables)))
        )
        if table is None:
            return
        for column, header in enumerate(table.headers):
            if header:
                self._add_mapping_row(table.layout_signature, column, header, table.mapping.get(column))

    def _fill_raw_preview(self) -> None:
        self.header_row.setVisible(True)
        self.header_row_label.setVisible(True)
        self.raw_view.setVisible(True)
        self.columns_intro.setText(
            self.tr("No header was recognised. Say which row holds the column names and what each "
                    "column holds; at least the ID number column is needed.")
        )
        sheets = imports.preview_sheets(Path(self.file_edit.text().strip()))
        self._raw_sheet = sheets[0][0] if sheets else ""
        rows = sheets[0][1] if sheets else []
        self.raw_model.clear()
        for number, values in enumerate(rows, start=1):
            self.raw_model.appendRow([QStandardItem(v) for v in values])
            self.raw_model.setVerticalHeaderItem(number - 1, QStandardItem(str(number)))
        self.raw_view.verticalHeader().show()
        self._fill_manual_mapping()

    def _fill_manual_mapping(self) -> None:
        if not self._no_header:
            return
        self._clear_mapping()
        try:
            signature, headers, mapping = imports.header_for(
                Path(self.file_edit.text().strip()), self._raw_sheet, self.header_row.value() - 1
            )
        except (ValueError, imports.ServiceError):
            return
        for column, header in enumerate(headers):
            if header:
                self._add_mapping_row(signature, column, header, mapping.get(column))

    def _mapping_changed(self) -> bool:
        if self.plan is None or not self.plan.tables:
            return bool(self._mapping_boxes)
        automatic = self.plan.tables[0].mapping
        return any(box.currentData() != automatic.get(column) for _sig, column, box in self._mapping_boxes)

    def _remember_corrections(self) -> None:
        by_signature: dict[str, dict[int, str | None]] = {}
        for signature, column, box in self._mapping_boxes:
            by_signature.setdefault(signature, {})[column] = box.currentData()
        for signature, mapping in by_signature.items():
            imports.remember_mapping(signature, mapping)

    # --- preview ---------------------------------------------------------------------------
    def _fill_preview(self, plan: ImportPlan) -> None:
        self.counts.setText(
            fill(self.tr("%1 new · %2 updated · %3 unchanged · %4 rejected · %5 unmatched · %6 warnings"),
                 str(len(plan.new)), str(len(plan.updated)),
                 str(plan.unchanged), str(len(plan.rejected)),
                 str(len(plan.unmatched)), str(len(plan.warnings)))
        )
        self.tabs.clear()
        self.tabs.addTab(self._people_tab(plan.new), fill(self.tr("New (%1)"), str(len(plan.new))))
        if plan.updated:
            self.tabs.addTab(self._people_tab(plan.updated), fill(self.tr("Updated (%1)"), str(len(plan.updated))))
        for title, issues in ((self.tr("Rejected (%1)"), plan.rejected), (self.tr("Unmatched (%1)"), plan.unmatched),
                              (self.tr("Warnings (%1)"), plan.warnings)):
            if issues:
                self.tabs.addTab(self._issues_tab(issues), fill(title, str(len(issues))))
        if plan.ended:
            model = QStandardItemModel(0, 3, self)
            model.setHorizontalHeaderLabels([self.tr("Name"), self.tr("ID number"), self.tr("Category ended")])
            for ended in plan.ended[:PREVIEW_ROWS]:
                model.appendRow([QStandardItem(ended.name), QStandardItem(ended.id_number), QStandardItem(ended.code)])
            self.tabs.addTab(_table(model), fill(self.tr("Ended (%1)"), str(len(plan.ended))))
        self.save_rejects_button.setEnabled(bool(plan.rejected or plan.unmatched))

    def _people_tab(self, rows: list) -> QTableView:
        model = QStandardItemModel(0, 3, self)
        model.setHorizontalHeaderLabels([self.tr("Name"), self.tr("ID number"), self.tr("Details")])
        for row in rows[:PREVIEW_ROWS]:
            name = getattr(row, "name", "")
            number = getattr(row, "id_number", "")
            if hasattr(row, "village"):
                details = f"{row.village} {row.household_number}"
                if row.changes:
                    details += "；" + "，".join(f"{k}: {a} → {b}" for k, (a, b) in row.changes.items())
            elif hasattr(row, "amount_fen"):
                details = f"{row.amount_fen / 100:.2f} {row.paid_on:%Y-%m-%d}"
            else:
                details = "、".join(getattr(row, "new_codes", ()))
            model.appendRow([QStandardItem(name), QStandardItem(number), QStandardItem(details)])
        return _table(model)

    def _issues_tab(self, issues: list[RowIssue]) -> QTableView:
        model = QStandardItemModel(0, 3, self)
        model.setHorizontalHeaderLabels([self.tr("Where"), self.tr("ID number"), self.tr("Reason")])
        for issue in issues[:PREVIEW_ROWS]:
            model.appendRow([QStandardItem(issue.location), QStandardItem(issue.id_number),
                             QStandardItem(issue.reason)])
        return _table(model)

    def save_rejects(self, path: Path | None = None) -> Path | None:
        if self.plan is None:
            return None
        if not path:
            suggested = str(self.plan.path.with_name(f"{self.plan.path.stem}-未导入的行.xlsx"))
            name, _ = QFileDialog.getSaveFileName(self, self.tr("Save the rejected rows"), suggested, "*.xlsx")
            if not name:
                return None
            path = Path(name)
        try:
            count = imports.write_rejects(self.plan, Path(path))
        except Exception as exc:  # shown, never swallowed
            QMessageBox.warning(self, self.tr("Could not save"), str(getattr(exc, "message", None) or exc))
            return None
        self.status.setText(fill(self.tr("%1 rows saved to %2"), str(count), str(path)))
        return Path(path)

    # --- writing ------------------------------------------------------------------------------
    def run_apply(self) -> Worker | None:
        plan = self.plan
        if plan is None:
            return None
        backup = self._backup

        def job(progress, should_stop):  # noqa: ANN001
            return imports.apply(plan, progress=progress, should_stop=should_stop, backup=backup)

        self.status.setText(self.tr("Importing… (all rows or none)"))
        return self._start(job, self._applied, self._apply_failed)

    def _applied(self, result: imports.ImportResult) -> None:
        self.result_text.setText(
            fill(self.tr("Imported: %1 new, %2 updated; %3 rejected and %4 unmatched rows were not imported."),
                 str(len(result.plan.new)), str(len(result.plan.updated)),
                 str(len(result.plan.rejected)), str(len(result.plan.unmatched)))
            + "\n" + fill(self.tr("%1 charges recomputed."), str(result.recomputed))
        )
        self.result_save.setEnabled(bool(result.plan.rejected or result.plan.unmatched))
        self._show(self.RESULT)
        self.status.clear()
        self.imported.emit(result)

    def _apply_failed(self, exc: BaseException) -> None:
        self._show(self.PREVIEW)
        if isinstance(exc, imports.ImportCancelled):
            self.status.setText(self.tr("Cancelled: nothing was written."))
        else:
            self.status.setText(fill(self.tr("Nothing was written: %1"), str(getattr(exc, "message", None) or exc)))

    # --- background work ---------------------------------------------------------------------
    def _start(self, job, done, failed) -> Worker:  # noqa: ANN001
        worker = Worker(job, self)
        self.worker = worker
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)

        def on_progress(value: int, total: int) -> None:
            if total > 0:
                self.progress.setRange(0, total)
                self.progress.setValue(min(value, total))

        def finish(callback, *args) -> None:  # noqa: ANN001
            self.worker = None
            self.progress.setVisible(False)
            callback(*args)

        worker.progress.connect(on_progress)
        worker.finished.connect(lambda result: finish(done, result))
        worker.failed.connect(lambda exc, _trace: finish(failed, exc))
        self._show(self.stack.currentIndex())
        worker.start()
        return worker
