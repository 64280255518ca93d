"""The import wizard: pick a file, check its columns, see what would happen, then import.

Every import is a dry run first: the file is read and checked off the UI thread, the preview
shows how many rows are new, updated, rejected and unmatched with the first of each, and only
"Import" writes, in one transaction, with progress and cancel. Column mappings a person
corrects are remembered for files of the same layout.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from desktop_app.exchange import UnreadableFileError
from desktop_app.services import importing
from desktop_app.services.importing import ImportPlan
from desktop_app.ui.forms import steps_layout
from desktop_app.ui.import_pages import (
    ImportChoosePage,
    ImportColumnsPage,
    ImportPreviewPage,
    ImportResultPage,
)
from desktop_app.ui.operations import Job, Operation
from desktop_app.ui.text import fill


class ImportWizard(QDialog):
    """Four steps on a stack, a page class each: choose → columns → preview → result."""

    planned = Signal(object)  # ImportPlan, after each dry run
    imported = Signal(object)  # ImportResult
    CHOOSE, COLUMNS, PREVIEW, RESULT = range(4)

    def __init__(self, parent: QWidget | None = None, backup=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import a file from the county"))
        self.resize(900, 620)
        self.plan: ImportPlan | None = None
        self.operation: Operation | None = None
        self._backup = backup

        self.choose_page = ImportChoosePage()
        self.columns_page = ImportColumnsPage()
        self.preview_page = ImportPreviewPage()
        self.result_page = ImportResultPage()
        self.preview_page.save_rejects_button.clicked.connect(self.save_rejects)
        self.result_page.result_save.clicked.connect(self.save_rejects)
        self.stack = QStackedWidget()
        for page in (self.choose_page, self.columns_page, self.preview_page, self.result_page):
            self.stack.addWidget(page)

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
        steps_layout(self, self.stack, self.status, (self.back_button, self.next_button, self.cancel_button),
                     self.progress)
        self._show(self.CHOOSE)

    # --- navigation -----------------------------------------------------------------------
    def _show(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        busy = self.operation is not None
        self.back_button.setEnabled(page in (self.COLUMNS, self.PREVIEW) and not busy)
        empty = page == self.PREVIEW and self.plan is not None and bool(self.plan.no_data_rows)
        self.next_button.setEnabled(page != self.RESULT and not busy and not empty)  # no rows: nothing to import
        self.next_button.setText(self.tr("&Import") if page == self.PREVIEW else self.tr("&Next >"))
        self.cancel_button.setText(self.tr("Close") if page == self.RESULT else self.tr("Cancel"))

    def back(self) -> None:
        page = self.stack.currentIndex()
        self._show(self.COLUMNS if page == self.PREVIEW and not self.columns_page.no_header else self.CHOOSE)

    def next(self) -> None:
        page = self.stack.currentIndex()
        if page == self.CHOOSE:
            if not self.choose_page.file_edit.text().strip():
                self.status.setText(self.tr("Choose the file to import first."))
                return
            self.run_plan()
        elif page == self.COLUMNS:
            if self.columns_page.no_header or self.columns_page.mapping_changed(self.plan):
                self.columns_page.remember_corrections()
                self.run_plan()
            else:
                self._show(self.PREVIEW)
                self.status.setText(self.preview_page.counts.text())
        elif page == self.PREVIEW:
            self.run_apply()

    def cancel(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.status.setText(self.tr("Cancelling… nothing will be written."))
            return
        self.reject() if self.stack.currentIndex() != self.RESULT else self.accept()

    # --- the dry run -----------------------------------------------------------------------
    def run_plan(self) -> Operation:
        choose = self.choose_page
        path = choose.path()
        kind, year = choose.kind(), choose.year_box.currentData()
        category = choose.category_edit.text().strip() or None
        full = choose.full_list.isChecked() and choose.full_list.isEnabled()
        township = choose.township()

        def plan(job: Job) -> ImportPlan:
            return importing.plan(kind, path, year=year, category=category, full_list=full, township=township,
                                  progress=job.progress, should_stop=job.should_stop)

        self.status.setText(self.tr("Reading and checking every row…"))
        return self._start(plan, self._planned, self._plan_failed)

    def _planned(self, plan: ImportPlan) -> None:
        from_columns = self.stack.currentIndex() == self.COLUMNS
        self.plan = plan
        self.columns_page.no_header = False
        self.preview_page.show_plan(plan)
        if from_columns:
            self._show(self.PREVIEW)
            self.status.setText(self.preview_page.counts.text())
        else:
            self.columns_page.show_mapping(plan)
            self._show(self.COLUMNS)
            self.status.setText(self.tr("Check what each column holds, then Next."))
        if plan.no_data_rows:  # a header and nothing under it: said plainly, nothing to import
            self.status.setText(plan.no_data_rows)
        self.planned.emit(plan)

    def _plan_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UnreadableFileError) and exc.code == "no_header":
            self.columns_page.no_header = True
            self.columns_page.show_raw(self.choose_page.path())
            self._show(self.COLUMNS)
            self.status.setText(exc.message)
            return
        self._show(self.stack.currentIndex())
        self.status.setText(str(getattr(exc, "message", None) or exc))

    # --- preview ---------------------------------------------------------------------------
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
            count = importing.write_rejects(self.plan, Path(path))
        except Exception as exc:  # shown, never swallowed
            QMessageBox.warning(self, self.tr("Could not save"), str(getattr(exc, "message", None) or exc))
            return None
        self.status.setText(fill(self.tr("%1 rows saved to %2"), str(count + len(self.plan.list_changes)), str(path)))
        return Path(path)

    # --- writing ------------------------------------------------------------------------------
    def run_apply(self) -> Operation | None:
        plan = self.plan
        if plan is None:
            return None
        backup = self._backup

        def apply(job: Job) -> importing.ImportResult:
            return importing.apply(plan, progress=job.progress, should_stop=job.should_stop, backup=backup)

        self.status.setText(self.tr("Importing… (all rows or none)"))
        return self._start(apply, self._applied, self._apply_failed)

    def _applied(self, result: importing.ImportResult) -> None:
        self.result_page.show_result(result)
        self._show(self.RESULT)
        self.status.clear()
        self.imported.emit(result)

    def _apply_failed(self, exc: BaseException) -> None:
        self._show(self.PREVIEW)
        if isinstance(exc, importing.ImportCancelled):
            self.status.setText(self.tr("Cancelled: nothing was written."))
        else:
            self.status.setText(fill(self.tr("Nothing was written: %1"), str(getattr(exc, "message", None) or exc)))

    # --- background work ---------------------------------------------------------------------
    def _start(self, work, done, failed) -> Operation:  # noqa: ANN001
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)

        def on_progress(value: int, total: int) -> None:
            if total > 0:
                self.progress.setRange(0, total)
                self.progress.setValue(min(value, total))

        def finish(callback, outcome) -> None:  # noqa: ANN001
            self.operation = None
            self.progress.setVisible(False)
            callback(outcome)

        self.operation = Operation(self, op=work, success=lambda result: finish(done, result),
                                   failure=lambda exc: finish(failed, exc), progress=on_progress)
        self._show(self.stack.currentIndex())
        return self.operation.run_in_background()
