"""The export dialog: which table, which year and village, masked or not, where; then open the folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from desktop_app.domain.masking import mask_text
from desktop_app.services import exports
from desktop_app.services.households import village_names
from desktop_app.services.townships import Township, title_place, townships, village_names_of
from desktop_app.ui.file_job import FileJobDialog, Work
from desktop_app.ui.operations import Job
from desktop_app.ui.text import fill


class WorkbookJobDialog(FileJobDialog):
    """A dialog writing a workbook row by row: its progress, result and failure lines.

    Its strings are in the ``WorkbookJobDialog`` context, which PySide's ``tr`` searches as one
    of the subclass's classes."""

    suffix = ".xlsx"

    def progress_text(self, done: int, total: int) -> str:
        if done >= total:
            return fill(self.tr("All %1 rows written; finishing the file…"), f"{total:,}")
        return fill(self.tr("Row %1 of %2"), f"{done:,}", f"{total:,}")

    def describe(self, result: exports.ExportResult) -> tuple[str, Path | None]:
        text = fill(self.tr("Written: %1 (%2 rows)"), str(result.path), str(result.rows))
        return text, result.path.parent

    def failure_text(self, message: str) -> str:
        return fill(self.tr("Not written: %1"), message)


class ExportDialog(WorkbookJobDialog):
    exported = Signal(object)  # ExportResult, also when cancelled (then ``cancelled`` is true)

    def __init__(self, year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export a table for the county"))
        self.resize(620, 300)
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("exportKind")
        for kind, text in (
            (exports.ExportKind.ROSTER, self.tr("Roster (everyone)")),
            (exports.ExportKind.SUBSIDISED, self.tr("Subsidised persons (for the assistance fund)")),
            (exports.ExportKind.SUMMARY, self.tr("Summary by village")),
            (exports.ExportKind.UNPAID, self.tr("Unpaid persons (door-to-door list)")),
            (exports.ExportKind.NEWBORNS, self.tr("Newborns with their deadline")),
        ):
            self.kind_box.addItem(text, kind.value)
        self.mask = QCheckBox(self.tr("Hide ID numbers, phones and birth dates (for sharing outside the office)"))
        self.path_edit.setObjectName("exportPath")
        self.status.setObjectName("exportStatus")
        self.action_button.setText(self.tr("&Export"))
        self.export_button = self.action_button
        self.open_button.setText(self.tr("&Open folder"))
        self.kind_box.currentIndexChanged.connect(lambda _i: self.suggest_path())
        self.mask.toggled.connect(lambda _on: self.suggest_path())
        self.form.addRow(self.tr("Table"), self.kind_box)
        self.add_year_and_village("export", year)
        self._add_township_choice()
        self.form.addRow("", self.mask)
        self.finish_layout(self.tr("Save as"))

    def _add_township_choice(self) -> None:
        """A county database (two townships or more): the whole county or one township, whose
        villages the village row then lists (every township may have its 东山村); no row else."""
        self.towns = townships()
        self.township_box = QComboBox()
        self.township_box.setObjectName("exportTownship")
        if len(self.towns) < 2:
            self.township_box.setVisible(False)
            return
        self.township_box.addItem(self.tr("Whole county"), None)
        for town in self.towns:
            self.township_box.addItem(f"{town.name} {town.code}".strip(), town.code)
        self.township_box.currentIndexChanged.connect(lambda _i: self._township_chosen())
        self.form.insertRow(self.form.rowCount() - 1, self.tr("Township"), self.township_box)

    def _township(self) -> Township | None:
        code = self.township_box.currentData()
        return next((t for t in self.towns if code and t.code == code), None)

    def _township_chosen(self) -> None:
        box = self.village_box
        box.blockSignals(True)
        while box.count() > 1:  # the "all villages" entry stays first
            box.removeItem(1)
        chosen = self._township()
        for name in village_names_of(chosen) if chosen else village_names():
            box.addItem(name, name)
        box.setCurrentIndex(0)
        box.blockSignals(False)
        self.suggest_path()

    def suggested_name(self) -> str:
        kind = exports.ExportKind(self.kind_box.currentData())
        village = self.village_box.value() or ""
        masked = self.tr("(masked)") if self.mask.isChecked() else ""
        chosen = self._township()
        # a county database: the township chosen, or the county's name (never its first township's)
        town_name = chosen.name if chosen else title_place()
        if masked:  # a file's name leaves the office with it
            town_name, village = mask_text(town_name), mask_text(village)
        return f"{town_name}{village}{self.year_box.value() or ''}年度{kind.chinese}{masked}.xlsx"

    def job(self, out: Path) -> tuple[Work, str] | None:
        year = self.year_box.value()
        if year is None:
            self.status.setText(self.tr("No year has a policy yet: nothing to export."))
            return None
        kind, village, mask = self.kind_box.currentData(), self.village_box.value(), self.mask.isChecked()
        code = self.township_box.currentData()

        def work(job: Job) -> exports.ExportResult:
            return exports.export(kind, out, year, village_name=village, township_code=code, mask=mask,
                                  progress=job.progress, should_stop=job.should_stop)

        return work, fill(self.tr("Writing %1…"), out.name)

    def save_title(self) -> str:
        return self.tr("Save the table as")

    def announce(self, result: exports.ExportResult) -> None:
        self.exported.emit(result)
