"""Export the person list as filtered on screen: the columns shown, its filters in the title, masked on request."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from desktop_app.domain.masking import mask_text
from desktop_app.services.list_export import ListExportResult, export_list, list_title
from desktop_app.services.persons import PersonQuery, count_persons
from desktop_app.ui.export_dialog import WorkbookJobDialog
from desktop_app.ui.file_job import Work
from desktop_app.ui.operations import Job
from desktop_app.ui.text import fill


class ListExportDialog(WorkbookJobDialog):
    exported = Signal(object)  # ListExportResult, also when cancelled

    def __init__(self, query: PersonQuery, columns: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("listExportDialog")
        self.setWindowTitle(self.tr("Export the list shown"))
        self.resize(620, 260)
        self.query, self.columns = query, list(columns)
        self.title = list_title(query)
        what = QLabel(fill(self.tr("%1: %2 persons, %3 columns"), self.title, f"{count_persons(query):,}",
                           str(len(self.columns))))
        what.setWordWrap(True)
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

    def suggested_name(self) -> str:
        if self.mask.isChecked():  # a file's name leaves the office with it
            return f"{mask_text(self.title)}{self.tr('(masked)')}.xlsx"
        return f"{self.title}.xlsx"

    def job(self, out: Path) -> tuple[Work, str] | None:
        query, columns, mask = self.query, self.columns, self.mask.isChecked()

        def work(job: Job) -> ListExportResult:
            return export_list(query, out, columns, mask=mask, progress=job.progress, should_stop=job.should_stop)

        return work, fill(self.tr("Writing %1…"), out.name)

    def save_title(self) -> str:
        return self.tr("Save the list as")

    def announce(self, result: ListExportResult) -> None:
        self.exported.emit(result)
