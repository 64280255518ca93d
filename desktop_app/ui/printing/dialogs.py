"""The real printer: the system print dialog, print previews, and the dialog that prints a
village's notices to one PDF in the background."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QCheckBox, QDialog, QMessageBox, QWidget

from desktop_app.errors import UserError
from desktop_app.services import notices as notice_service
from desktop_app.services.ledger import township
from desktop_app.ui.screen_fit import fit_to_screen
from desktop_app.ui.text import fill
from desktop_app.ui.file_job import FileJobDialog
from desktop_app.ui.operations import Job
from desktop_app.ui.printing.notices import print_village_notices_to_pdf, render_notices
from desktop_app.ui.printing.pages import PrintResult, make_printer
from desktop_app.ui.printing.tables import layout_table, render_table


def print_dialog(parent: QWidget | None, printer: QPrinter) -> QPrintDialog:
    """The system print dialog for ``printer`` (not shown yet)."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("Printing", "Print"))
    return dialog


def choose_printer_and_print(
    parent: QWidget | None, render: Callable[[QPrinter], Any], landscape: bool = False
) -> bool:
    """Ask for a printer (the system dialog), then ``render(printer)`` on it; False when declined."""
    printer = make_printer(landscape=landscape)
    if print_dialog(parent, printer).exec() != QDialog.DialogCode.Accepted:
        return False
    render(printer)
    return True


def preview_dialog(
    parent: QWidget | None, render: Callable[[QPrinter], Any], landscape: bool = False
) -> QPrintPreviewDialog:
    """A print preview that renders with ``render(printer)``; its Print button goes to a printer.

    Not shown: call ``.open()`` (or ``.exec()``). The preview renders on the UI thread, which is
    right for one notice or a table of a few pages.
    """
    dialog = QPrintPreviewDialog(parent)  # owns its printer: nothing to keep alive for it
    make_printer(landscape=landscape, printer=dialog.printer())
    dialog.setWindowTitle(QCoreApplication.translate("Printing", "Print preview"))
    dialog.paintRequested.connect(render)
    fit_to_screen(dialog, QSize(900, 1000))  # a page's height, or the screen's on a laptop
    return dialog


def notice_preview(parent: QWidget | None, household_id: int, year: int) -> QPrintPreviewDialog:
    """Preview one household's notice, ready to print (Ctrl+P in the main window)."""
    notice = notice_service.notice_for(household_id, year)
    return preview_dialog(parent, lambda printer: render_notices(printer, [notice]))


def choose_printer_and_print_notice(
    parent: QWidget | None, household_id: int, year: int
) -> QPrintPreviewDialog | None:
    """Ctrl+P on a household: its notice in a print preview (opened, not blocking); the preview's
    Print button asks for the printer (or a PDF file). None, with a message, when the year has no
    policy or the household is gone."""
    try:
        dialog = notice_preview(parent, household_id, year)
    except UserError as exc:
        QMessageBox.warning(parent, QCoreApplication.translate("Printing", "Print notice"), str(exc))
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def table_preview(
    parent: QWidget | None, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
    subtitle: str = "",
) -> QPrintPreviewDialog:
    """Preview any table (for instance :func:`table_from_model` of a view), ready to print."""
    data = [list(r) for r in rows]
    wide = layout_table([str(h) for h in headers],
                         [["" if v is None else str(v) for v in r] for r in data[:500]], None).landscape
    return preview_dialog(parent, lambda printer: render_table(printer, title, headers, data, subtitle), wide)


class NoticeBatchDialog(FileJobDialog):
    """Print many notices to one PDF in the background, with progress and cancel (one page a household)."""

    printed = Signal(object)  # PrintResult
    suffix = ".pdf"

    def __init__(self, year: int | None = None, village: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBatchDialog")
        self.setWindowTitle(self.tr("Print payment notices"))
        self.resize(620, 260)
        self.only_unpaid = QCheckBox(self.tr("Only households that still owe money"))
        self.only_unpaid.setChecked(True)
        self.path_edit.setObjectName("noticePath")
        self.status.setObjectName("noticeStatus")
        self.action_button.setText(self.tr("&Print to PDF"))
        self.print_button = self.action_button
        self.open_button.setText(self.tr("&Open PDF"))
        self.add_year_and_village("notice", year, village)
        self.form.addRow("", self.only_unpaid)
        self.finish_layout(self.tr("Save PDF as"))

    def suggested_name(self) -> str:
        town = township()
        village = self.village_box.value() or ""
        year = self.year_box.value() or ""
        return f"{town.name if town else ''}{village}{year}年度缴费告知单.pdf"

    def job(self, out: Path) -> tuple[Callable[[Job], PrintResult], str] | None:
        year = self.year_box.value()
        if year is None:
            self.status.setText(self.tr("No year has a policy yet: nothing to print."))
            return None
        village, only_unpaid = self.village_box.value(), self.only_unpaid.isChecked()

        def work(job: Job) -> PrintResult:
            return print_village_notices_to_pdf(village, year, out, only_unpaid, job.progress, job.should_stop)

        return work, fill(self.tr("Printing %1…"), out.name)

    def progress_text(self, done: int, total: int) -> str:
        return fill(self.tr("Notice %1 of %2"), str(done), str(total))

    def describe(self, result: PrintResult) -> tuple[str, Path | None]:
        if result.path is None:
            return self.tr("No household to print."), None
        return (
            fill(self.tr("Written: %1 (%2 notices, %3 pages)"), str(result.path),
                 str(result.documents), str(result.pages)),
            result.path,
        )

    def save_title(self) -> str:
        return self.tr("Save the notices as")

    def failure_text(self, message: str) -> str:
        return fill(self.tr("Not printed: %1"), message)

    def announce(self, result: PrintResult) -> None:
        self.printed.emit(result)
