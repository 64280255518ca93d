"""The A4 printer, a painter that knows its pages, the page footer, and a PDF written beside its
target and renamed only when the print finished."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from desktop_app.ui.text import fill
from desktop_app.ui.fonts import PAGE_DPI, page_font
from desktop_app.ui.printing.pdf_textmap import fix_pdf_text

Progress = Callable[[int, int], None]
ShouldStop = Callable[[], bool]

MARGIN_MM = 15.0
DPI = PAGE_DPI  # the layout's unit: CSS pixels
FOOTER = 22.0  # px kept at the foot of a page for its number


@dataclass(frozen=True)
class PrintResult:
    path: Path | None  # the PDF written; None for a printer or when cancelled
    documents: int  # notices (or table rows) printed
    pages: int
    cancelled: bool
    seconds: float


# --- printers ---------------------------------------------------------------------------
def make_printer(
    landscape: bool = False, pdf_path: Path | str | None = None, printer: QPrinter | None = None
) -> QPrinter:
    """An A4 printer with 15 mm margins; a PDF writer when ``pdf_path`` is given."""
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    if pdf_path is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf_path))
        printer.setPdfVersion(QPrinter.PdfVersion.PdfVersion_1_6)
        printer.setCreator("参保台账 Enrollment Ledger")
    set_a4(printer, landscape)
    return printer


def set_a4(printer: QPrinter, landscape: bool = False) -> None:
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), orientation,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter,
        )
    )
    printer.setFullPage(False)


def body_size(printer: QPrinter) -> QSizeF:
    """The printable area inside the margins, in 96-dpi px."""
    rect = printer.pageLayout().paintRect(QPageLayout.Unit.Point)
    return QSizeF(rect.width() * DPI / 72.0, rect.height() * DPI / 72.0)


class Pages:
    """A painter on the printer, scaled to 96-dpi px, that knows when to start a new page."""

    def __init__(self, printer: QPrinter) -> None:
        self.printer = printer
        self.painter = QPainter()
        if not self.painter.begin(printer):
            raise OSError(QCoreApplication.translate("Printing", "Cannot write to the printer or the PDF file."))
        self.painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.scale_x = printer.logicalDpiX() / DPI
        self.scale_y = printer.logicalDpiY() / DPI
        self.painter.scale(self.scale_x, self.scale_y)
        self.size = body_size(printer)
        self.count = 0

    def next_page(self) -> None:
        if self.count:
            self.printer.newPage()
        self.count += 1

    def end(self) -> None:
        if self.painter.isActive():
            self.painter.end()


class PdfTarget:
    """Write to ``path`` through a temporary file, renamed only when the print finished."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.part")

    def commit(self) -> None:
        fix_pdf_text(self.temp)
        os.replace(self.temp, self.path)

    def discard(self) -> None:
        try:
            self.temp.unlink()
        except FileNotFoundError:
            pass


def print_to_pdf(path: Path | str, render: Callable[[QPrinter], tuple[int, int, bool]],
                 keep_empty: bool = True) -> PrintResult:
    """``render(printer)`` → (documents, pages, cancelled) onto a PDF at ``path``, through a
    :class:`PdfTarget`: no file when it was stopped early or failed, nor when no page came out
    unless ``keep_empty``."""
    started = time.perf_counter()
    target = PdfTarget(Path(path))
    printer = make_printer(pdf_path=target.temp)
    try:
        done, pages, cancelled = render(printer)
    except BaseException:
        target.discard()
        raise
    if cancelled or (pages == 0 and not keep_empty):
        target.discard()
        return PrintResult(None, done, pages, cancelled, time.perf_counter() - started)
    target.commit()
    return PrintResult(target.path, done, pages, False, time.perf_counter() - started)


_LAYOUT_DEVICE: QImage | None = None


def layout_device() -> QImage:
    """A 96-dpi paint device for text layout, so that pt and px mean the same on every machine."""
    global _LAYOUT_DEVICE
    if _LAYOUT_DEVICE is None:
        image = QImage(8, 8, QImage.Format.Format_RGB32)
        dots_per_metre = round(DPI / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        _LAYOUT_DEVICE = image
    return _LAYOUT_DEVICE



def draw_footer(painter: QPainter, size: QSizeF, text: str) -> None:
    painter.save()
    painter.setFont(page_font(8))
    painter.setPen(QColor("#444444"))
    painter.drawText(QRectF(0, size.height() - FOOTER + 6, size.width(), FOOTER - 6),
                     Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)
    painter.restore()



def page_text(title: str, page: int, pages: int) -> str:
    text = fill(QCoreApplication.translate("Printing", "Page %1 of %2"), str(page), str(pages))
    return f"{title}　{text}" if title else text
