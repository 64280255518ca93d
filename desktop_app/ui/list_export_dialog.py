"""Export the person list as filtered on screen: the columns shown, its filters in the title, masked on request.

The dialog opens at once on a county database too: it says how many persons the list shows ("at
least 1,000" while the list is not all counted) and counts the rest off the UI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from desktop_app.domain.masking import mask_text
from desktop_app.services.exports import ExportResult
from desktop_app.services.list_export import export_list, list_title
from desktop_app.services.persons import PersonQuery, count_persons
from desktop_app.ui.export_dialog import WorkbookJobDialog
from desktop_app.ui.file_job import Work
from desktop_app.ui.models import COUNT_CAP, capped_count
from desktop_app.ui.operations import Job, Operation
from desktop_app.ui.text import fill


class ListExportDialog(WorkbookJobDialog):
    exported = Signal(object)  # ExportResult, also when cancelled

    def __init__(self, query: PersonQuery, columns: Sequence[tuple[str, str]], parent: QWidget | None = None,
                 counted: tuple[int, bool] | None = None) -> None:
        """``counted``: the persons the list shows and whether that is all of them (the person
        model's ``rowCount()`` and ``count_known``); without it the dialog counts up to the cap."""
        super().__init__(parent)
        self.setObjectName("listExportDialog")
        self.setWindowTitle(self.tr("Export the list shown"))
        self.resize(620, 260)
        self.query, self.columns = query, list(columns)
        self.title = list_title(query)
        self.what = what = QLabel()
        what.setObjectName("listExportWhat")
        what.setWordWrap(True)
        if counted is None:
            counted = capped_count(lambda cap: count_persons(query, cap=cap), COUNT_CAP)
        persons, known = counted
        self.show_count(persons, known)
        self.counting: Operation | None = None
        if not known:  # the exact count: a second at a million persons, never on the UI thread
            self.counting = Operation(self, op=lambda _job: count_persons(query),
                                      success=lambda count: self.show_count(count, True),
                                      failure=lambda _exc: None).run_in_background()  # "at least" stays true
        self.mask = QCheckBox(self.tr("Hide ID numbers, phones and birth dates (for sharing outside the office)"))
        self.mask.setObjectName("listExportMask")
        self.mask.toggled.connect(lambda _on: self.suggest_path())
        self.path_edit.setObjectName("listExportPath")
        self.status.setObjectName("listExportStatus")
        self.action_button.setText(self.tr("&Export"))
        self.open_button.setText(self.tr("&Open folder"))
        self.form.addRow(self.tr("List"), what)
        self.form.addRow("", self.mask)
        self.finish_layout(self.tr("Save as"))

    def show_count(self, persons: int, known: bool) -> None:
        text = (self.tr("%1: %2 persons, %3 columns") if known
                else self.tr("%1: at least %2 persons (counting the rest…), %3 columns"))
        self.what.setText(fill(text, self.title, f"{persons:,}", str(len(self.columns))))

    def suggested_name(self) -> str:
        if self.mask.isChecked():  # a file's name leaves the office with it
            return f"{mask_text(self.title)}{self.tr('(masked)')}.xlsx"
        return f"{self.title}.xlsx"

    def job(self, out: Path) -> tuple[Work, str] | None:
        query, columns, mask = self.query, self.columns, self.mask.isChecked()

        def work(job: Job) -> ExportResult:
            return export_list(query, out, columns, mask=mask, progress=job.progress, should_stop=job.should_stop)

        return work, fill(self.tr("Writing %1…"), out.name)

    def save_title(self) -> str:
        return self.tr("Save the list as")

    def announce(self, result: ExportResult) -> None:
        self.exported.emit(result)
