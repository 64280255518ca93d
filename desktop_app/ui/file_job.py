"""A dialog that writes one file in the background: the choices, where to save, progress, cancel, open.

The export dialog and the batch notice printer are both this shape. A subclass adds its own rows
to :attr:`FileJobDialog.form`, calls :meth:`FileJobDialog.finish_layout`, and says what the job
is (:meth:`job`), what to call the file (:meth:`suggested_name`) and what a finished result
means (:meth:`describe`). Strings here use the ``FileJobDialog`` translation context explicitly:
``self.tr`` would look them up under the subclass's name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
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

from desktop_app.ui.forms import browse_row
from desktop_app.ui.operations import Job, Operation
from desktop_app.ui.pickers import VillagePicker, YearPicker

Work = Callable[[Job], Any]  # run off the UI thread: work(job) -> result


class FileJobDialog(QDialog):
    suffix: str  # of the file written, ".xlsx" or ".pdf"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operation: Operation | None = None
        self._opens: Path | None = None
        self.form = QFormLayout()
        self.path_edit = QLineEdit()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.action_button = QPushButton()
        self.action_button.setDefault(True)
        self.action_button.clicked.connect(self.start)
        self.open_button = QPushButton()
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_result)
        self.cancel_button = QPushButton(QCoreApplication.translate("FileJobDialog", "Close"))
        self.cancel_button.clicked.connect(self.cancel_or_close)

    # -- what a subclass says ------------------------------------------------------------------

    def suggested_name(self) -> str:
        raise NotImplementedError

    def job(self, out: Path) -> tuple[Work, str] | None:
        """The work and the status line while it runs; None (after setting the status) if it cannot start."""
        raise NotImplementedError

    def describe(self, result: Any) -> tuple[str, Path | None]:
        """The status line for a finished result, and what the open button opens (None: nothing)."""
        raise NotImplementedError

    def progress_text(self, done: int, total: int) -> str:
        """The status line for ``done`` of ``total`` (rows, notices…)."""
        raise NotImplementedError

    def save_title(self) -> str:
        """The title of the "save as" file dialog."""
        raise NotImplementedError

    def failure_text(self, message: str) -> str:
        """The status line when the job failed with ``message``."""
        raise NotImplementedError

    def announce(self, result: Any) -> None:
        """Emit the subclass's own signal for a finished (or cancelled) result."""

    # -- the shared part -----------------------------------------------------------------------

    def add_year_and_village(self, name: str, year: int | None, village: str | None = None) -> None:
        """The "Year" and "Village" rows (``{name}Year``, ``{name}Village``; "all villages" first),
        choosing ``year`` and ``village``; a change renames the file."""
        self.year_box = YearPicker(f"{name}Year")
        self.year_box.reload(year)
        self.village_box = VillagePicker(f"{name}Village", everyone=True)
        self.village_box.reload(village)
        for picker in (self.year_box, self.village_box):
            picker.value_changed.connect(lambda _value: self.suggest_path())
        self.form.addRow(QCoreApplication.translate("FileJobDialog", "Year"), self.year_box)
        self.form.addRow(QCoreApplication.translate("FileJobDialog", "Village"), self.village_box)

    def finish_layout(self, path_label: str) -> None:
        self.form.addRow(path_label, browse_row(self.path_edit, self.choose_path,
                                                QCoreApplication.translate("FileJobDialog", "&Choose…")))
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)
        for button in (self.action_button, self.open_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.suggest_path()

    def suggest_path(self) -> None:
        """Keep the folder the user chose; rename the file after the current choices."""
        folder = Path(self.path_edit.text()).parent if self.path_edit.text() else Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home()
        )
        self.path_edit.setText(str(folder / self.suggested_name()))

    def choose_path(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.save_title(), self.path_edit.text(), f"*{self.suffix}")
        if name:
            self.path_edit.setText(name if name.lower().endswith(self.suffix) else name + self.suffix)

    def start(self) -> Operation | None:
        out = Path(self.path_edit.text())
        planned = self.job(out)
        if planned is None:
            return None
        work, running = planned
        operation = Operation(self, op=work, success=self._done, failure=self._failed, progress=self._progress)
        self.operation = operation
        self.action_button.setEnabled(False)
        self.open_button.setEnabled(False)
        self.cancel_button.setText(QCoreApplication.translate("FileJobDialog", "Cancel"))
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.progress.setVisible(True)
        self.status.setText(running)
        return operation.run_in_background()

    def _progress(self, done: int, total: int) -> None:
        if self.operation is None or self.operation.cancel_requested():
            return  # "Cancelling…" stays until the job ends
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.status.setText(self.progress_text(done, total))

    def _finish(self) -> None:
        self.operation = None
        self.progress.setVisible(False)
        self.action_button.setEnabled(True)
        self.cancel_button.setText(QCoreApplication.translate("FileJobDialog", "Close"))

    def _done(self, result: Any) -> None:
        self._finish()
        if getattr(result, "cancelled", False):
            self._opens = None
            self.status.setText(QCoreApplication.translate("FileJobDialog", "Cancelled: no file was written."))
        else:
            text, self._opens = self.describe(result)
            self.status.setText(text)
        self.open_button.setEnabled(self._opens is not None)
        self.announce(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.status.setText(self.failure_text(str(getattr(exc, "message", None) or exc)))

    def cancel_or_close(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.status.setText(QCoreApplication.translate("FileJobDialog", "Cancelling…"))
        else:
            self.accept()

    def reject(self) -> None:  # Esc or the window's close button while working: cancel first
        if self.operation is not None:
            self.cancel_or_close()
            return
        super().reject()

    def open_result(self) -> None:
        if self._opens is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._opens)))
