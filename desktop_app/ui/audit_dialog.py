"""操作日志: the whole ledger's trail or one person's, read-only, exportable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import audit
from desktop_app.services.audit_words import EntryWords, describe_page
from desktop_app.ui.forms import close_button
from desktop_app.ui.models import LazyTableModel
from desktop_app.ui.operations import Operation
from desktop_app.ui.tables import table_view
from desktop_app.ui.text import fill


class AuditModel(LazyTableModel):
    """Audit entries in words, newest first: the whole trail a page at a time, or a given list.

    Each block read is described with one look-up of the persons it names (audit_words).
    """

    COLUMNS = ("when", "who", "source", "what", "whom", "content")

    def __init__(self, rows: list[tuple] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._fixed = rows
        self.reload()

    def _count_rows(self) -> int:
        return len(self._fixed) if self._fixed is not None else audit.count_entries()

    def _fetch(self, offset: int, limit: int) -> list[EntryWords]:
        rows = self._fixed[offset:offset + limit] if self._fixed is not None else audit.entries(offset, limit)
        return describe_page(rows)

    def _display(self, row: EntryWords, column: str) -> Any:
        text = str(getattr(row, column))
        return text if len(text) <= 300 else text[:300] + "…"

    def _headers(self) -> tuple[str, ...]:
        return (self.tr("When"), self.tr("Operator"), self.tr("Source"), self.tr("Action"), self.tr("Whom"),
                self.tr("What changed"))


class AuditDialog(QDialog):
    exported = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, person_id: int | None = None, title: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle(title or self.tr("Audit trail"))
        self.resize(980, 520)
        rows = audit.person_history(person_id) if person_id is not None else None
        self.model = AuditModel(rows, self)
        self.table = table_view(self.model, "auditTable", fit=False, row_numbers=True)  # never edited
        for column, width in enumerate((140, 80, 50, 110, 250)):
            self.table.setColumnWidth(column, width)
        note = QLabel(fill(self.tr("%1 entries. The trail is written by the program and cannot be changed here."),
                           f"{self.model.rowCount():,}"))
        self.status = QLabel()
        self.export_button = QPushButton(self.tr("Export the whole trail…"))
        self.export_button.clicked.connect(lambda: self.export())
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(self.status)
        layout.addWidget(self.export_button)
        layout.addWidget(close_button(self))

    def export(self, path: Path | None = None) -> Operation | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, self.tr("Export the trail"), "操作日志.xlsx", "*.xlsx")
            if not name:
                return None
            path = Path(name)
        return Operation(self, op=lambda _job: audit.export_trail(path),
                         success=lambda count: (self.status.setText(
                             fill(self.tr("%1 entries written to %2"), str(count), str(path))),
                             self.exported.emit(path)),
                         failure=lambda exc: self.status.setText(str(exc))).run_in_background()
