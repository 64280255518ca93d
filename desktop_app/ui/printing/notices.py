"""Notices on A4 portrait, one a page (a large household shrunk, then continued), to a printer
or to one PDF."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from desktop_app.services import notices as notice_service
from desktop_app.services.notices import Notice
from desktop_app.ui.fonts import css_families, page_font
from desktop_app.ui.printing.notice_html import notice_html
from desktop_app.ui.printing.pages import (
    FOOTER,
    Pages,
    PrintResult,
    Progress,
    ShouldStop,
    draw_footer,
    layout_device,
    page_text,
    print_to_pdf,
    set_a4,
)


def notice_document(notice: Notice, page: QSizeF) -> QTextDocument:
    """The notice laid out for a page of ``page`` (96-dpi px); not a QObject child of anything."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(layout_device())
    doc.setDefaultFont(page_font(10.5))
    doc.setDefaultStyleSheet(f"body {{ font-family: {css_families()}; }}")
    doc.setDocumentMargin(0)
    doc.setHtml(notice_html(notice))
    doc.setPageSize(page)
    return doc


# A notice that does not fit on its page is shrunk (a large household) down to this scale,
# and only then continued on a second page.
_SHRINK_STEPS = (1.0, 0.94, 0.88, 0.82)


def _fitted_notice(notice: Notice, body: QSizeF) -> tuple[QTextDocument, QSizeF, float]:
    """The notice laid out to fit one page if it can: (document, its page size, drawing scale).

    Shrinking lays the same document out on a larger page, drawn scaled down; the HTML is parsed
    once.
    """
    doc = notice_document(notice, body)
    for scale in _SHRINK_STEPS:
        page = QSizeF(body.width() / scale, body.height() / scale)
        if scale != 1.0:
            doc.setPageSize(page)
        if doc.pageCount() == 1:
            return doc, page, scale
    page = QSizeF(body.width() / scale, (body.height() - FOOTER) / scale)
    doc.setPageSize(page)
    return doc, page, scale


def _draw_document_page(painter: QPainter, doc: QTextDocument, index: int, page: QSizeF) -> None:
    painter.save()
    painter.translate(0, -index * page.height())
    clip = QRectF(0, index * page.height(), page.width(), page.height())
    painter.setClipRect(clip)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = clip
    context.palette.setColor(context.palette.ColorRole.Text, QColor("black"))
    doc.documentLayout().draw(painter, context)
    painter.restore()



def render_notices(
    printer: QPrinter,
    notices: Iterable[Notice],
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
    total: int | None = None,
) -> tuple[int, int, bool]:
    """Draw each notice on its own A4 page(s) of ``printer``: (notices, pages, cancelled)."""
    if total is None and isinstance(notices, Sequence):
        total = len(notices)
    set_a4(printer, landscape=False)
    pages = Pages(printer)
    done = 0
    cancelled = False
    try:
        for notice in notices:
            if should_stop is not None and should_stop():
                cancelled = True
                break
            doc, page, scale = _fitted_notice(notice, pages.size)
            count = doc.pageCount()
            for index in range(count):
                pages.next_page()
                pages.painter.save()
                pages.painter.scale(scale, scale)
                _draw_document_page(pages.painter, doc, index, page)
                pages.painter.restore()
                if count > 1:
                    draw_footer(pages.painter, pages.size, page_text(notice.head_name, index + 1, count))
            done += 1
            if progress is not None:
                progress(done, total or 0)
    finally:
        pages.end()
    if cancelled and printer.outputFormat() != QPrinter.OutputFormat.PdfFormat:
        printer.abort()
    return done, pages.count, cancelled



def print_notices_to_pdf(
    notices: Iterable[Notice],
    path: Path | str,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
    total: int | None = None,
) -> PrintResult:
    """Write the notices to one PDF, one A4 page each; nothing is written when stopped early."""
    return print_to_pdf(path, lambda printer: render_notices(printer, notices, progress, should_stop, total),
                        keep_empty=False)


def print_village_notices_to_pdf(
    village_name: str | None,
    year: int,
    path: Path | str,
    only_unpaid: bool = True,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> PrintResult:
    """A whole village's notices (every village for None) to one PDF; made for an Operation."""
    total = notice_service.count_notices(village_name, year, only_unpaid)
    if progress is not None:
        progress(0, total)
    return print_notices_to_pdf(
        notice_service.notices_for(village_name, year, only_unpaid), path, progress, should_stop, total
    )
