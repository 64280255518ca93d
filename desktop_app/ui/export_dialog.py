"""The export dialog: which table, which year and village, masked or not, where; then open the folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import exports
from desktop_app.services.households import villages_with_counts
from desktop_app.services.ledger import township
from desktop_app.services.policy import policy_years
from desktop_app.ui.worker import Worker


class ExportDialog(QDialog):
    exported = Signal(object)  # ExportResult

    def __init__(self, year: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export a table for the county"))
        self.resize(620, 300)
        self.worker: Worker | None = None
        self.last_result: exports.ExportResult | None = None
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
        self.year_box = QComboBox()
        self.year_box.setObjectName("exportYear")
        years = policy_years()
        for y in years:
            self.year_box.addItem(str(y), y)
        if years:
            self.year_box.setCurrentIndex(years.index(year) if year in years else len(years) - 1)
        self.village_box = QComboBox()
        self.village_box.setObjectName("exportVillage")
        self.village_box.addItem(self.tr("All villages"), None)
        for village in villages_with_counts():
            self.village_box.addItem(village.name, village.name)
        self.mask = QCheckBox(self.tr("Hide the middle of ID numbers and phones (for sharing outside the office)"))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("exportPath")
        browse = QPushButton(self.tr("&Choose…"))
        browse.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        for box in (self.kind_box, self.year_box, self.village_box):
            box.currentIndexChanged.connect(lambda _i: self._suggest_path())
        self.mask.toggled.connect(lambda _on: self._suggest_path())
        form = QFormLayout()
        form.addRow(self.tr("Table"), self.kind_box)
        form.addRow(self.tr("Year"), self.year_box)
        form.addRow(self.tr("Village"), self.village_box)
        form.addRow("", self.mask)
        form.addRow(self.tr("Save as"), path_row)
        self.status = QLabel()
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.export_button = QPushButton(self.tr("&Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.open_button = QPushButton(self.tr("&Open folder"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._suggest_path()

    def _suggest_path(self) -> None:
        folder = Path(self.path_edit.text()).parent if self.path_edit.text() else Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home()
        )
        town = township()
        kind = exports.ExportKind(self.kind_box.currentData())
        village = self.village_box.currentData() or ""
        masked = self.tr("(masked)") if self.mask.isChecked() else ""
        name = f"{town.name if town else ''}{village}{self.year_box.currentData() or ''}年度{kind.table_name}{masked}.xlsx"
        self.path_edit.setText(str(folder / name))

    def choose_path(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save the table as"), self.path_edit.text(), "*.xlsx")
        if name:
            self.path_edit.setText(name if name.lower().endswith(".xlsx") else name + ".xlsx")

    def start(self) -> Worker | None:
        year = self.year_box.currentData()
        if year is None:
            self.status.setText(self.tr("No year has a policy yet: nothing to export."))
            return None
        kind, village, mask = self.kind_box.currentData(), self.village_box.currentData(), self.mask.isChecked()
        out = Path(self.path_edit.text())

        def job(progress):  # noqa: ANN001
            return exports.export(kind, out, year, village_name=village, mask=mask, progress=progress)

        worker = Worker(job, self)
        self.worker = worker
        self.export_button.setEnabled(False)
        self.progress.setVisible(True)
        self.status.setText(self.tr("Writing %1…").replace("%1", out.name))
        worker.finished.connect(self._done)
        worker.failed.connect(self._failed)
        worker.start()
        return worker

    def _done(self, result: exports.ExportResult) -> None:
        self.worker = None
        self.last_result = result
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
        self.open_button.setEnabled(True)
        self.status.setText(
            self.tr("Written: %1 (%2 rows)").replace("%1", str(result.path)).replace("%2", str(result.rows))
        )
        self.exported.emit(result)

    def _failed(self, exc: BaseException, _trace: str) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.export_button.setEnabled(True)
        self.status.setText(self.tr("Not written: %1").replace("%1", str(getattr(exc, "message", None) or exc)))

    def open_folder(self) -> None:
        if self.last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_result.path.parent)))
