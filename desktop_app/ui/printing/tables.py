"""Any table on A4, drawn row by row: columns sized from their contents, portrait or landscape
by width, the header row on every page, "page i of n" at the foot."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter

from desktop_app.ui.fonts import page_font
from desktop_app.ui.printing.pages import (
    DPI,
    FOOTER,
    Pages,
    PrintResult,
    Progress,
    ShouldStop,
    body_size,
    draw_footer,
    layout_device,
    page_text,
    print_to_pdf,
    set_a4,
)

_NUMBER = re.compile(r"^[-+]?[¥￥]?[\d,]+(\.\d+)?\s*[%元]?$")
_PAD = 4.0  # px inside a cell
_MAX_NATURAL = 260.0  # px: a column wider than this wraps rather than pushing others off


@dataclass
class _TableLayout:
    landscape: bool
    widths: list[float]
    right: list[bool]
    point_size: float


_TABLE_POINT_SIZES = (9.0, 8.0, 7.0)  # a wide table gets a smaller type before columns wrap
_UNBREAKABLE = re.compile(r"^[\x21-\x7e]+$")  # ID numbers, dates, amounts, phones: never wrapped


def layout_table(headers: Sequence[str], rows: Sequence[Sequence[str]], landscape: bool | None) -> _TableLayout:
    """Column widths like a browser's auto layout: each column's natural width when the page
    allows, else its minimum (numbers whole, Chinese text wrapped at about four characters) plus a
    share of what is left. Portrait when the natural widths fit, else landscape."""
    sample = rows[:500]
    columns = [[r[c] for r in sample if c < len(r)] for c in range(len(headers))]
    right = [bool(f := [v for v in col if v.strip()]) and all(_NUMBER.match(v.strip()) for v in f)
             for col in columns]
    portrait = 180 * DPI / 25.4  # A4 inside 15 mm margins
    wide = 267 * DPI / 25.4

    def measure(point_size: float) -> tuple[list[float], list[float]]:
        fm = QFontMetricsF(page_font(point_size), layout_device())
        hm = QFontMetricsF(page_font(point_size, True), layout_device())
        natural, minimum = [], []
        for header, cells in zip(headers, columns):
            head_min = hm.horizontalAdvance(header[:2]) if header else 0.0
            widest = max([fm.horizontalAdvance(v) for v in cells] + [hm.horizontalAdvance(header)])
            whole = max([fm.horizontalAdvance(v) for v in cells if _UNBREAKABLE.match(v)] + [0.0])
            text_min = min(widest, fm.horizontalAdvance("中" * 4))
            natural.append(min(widest, _MAX_NATURAL) + 2 * _PAD + 1)
            minimum.append(min(max(head_min, whole, text_min), _MAX_NATURAL) + 2 * _PAD + 1)
        return natural, minimum

    natural, minimum = measure(_TABLE_POINT_SIZES[0])
    if landscape is None:
        landscape = sum(natural) > portrait
    width = wide if landscape else portrait
    point_size = _TABLE_POINT_SIZES[0]
    for size in _TABLE_POINT_SIZES:
        point_size = size
        natural, minimum = measure(size)
        if sum(minimum) <= width:
            break
    if sum(natural) <= width:  # everything fits: share out the spare room
        spare = width - sum(natural)
        widths = [n + spare * n / sum(natural) for n in natural]
    elif sum(minimum) <= width:  # minimums fit: the rest goes to the columns that want more
        want = [n - m for n, m in zip(natural, minimum)]
        spare = width - sum(minimum)
        widths = [m + spare * w / (sum(want) or 1.0) for m, w in zip(minimum, want)]
    else:  # too many columns even at the smallest type: shrink all, wrap anywhere
        widths = [m * width / sum(minimum) for m in minimum]
    return _TableLayout(landscape, widths, right, point_size)


def _row_height(cells: Sequence[str], widths: Sequence[float], fm: QFontMetricsF) -> float:
    line = fm.height()
    height = line
    flags = int(Qt.TextFlag.TextWrapAnywhere)
    for text, width in zip(cells, widths):
        if text and fm.horizontalAdvance(text) > width - 2 * _PAD:
            rect = fm.boundingRect(QRectF(0, 0, width - 2 * _PAD, 1e6), flags, text)
            height = max(height, rect.height())
    return height + 2 * _PAD


def render_table(
    printer: QPrinter,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    subtitle: str = "",
    landscape: bool | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> tuple[int, int, bool]:
    """Draw a table on ``printer``: (rows, pages, cancelled). ``landscape`` None chooses by width."""
    headers = [str(h) for h in headers]
    if not headers:
        raise ValueError("a table to print needs at least one column")
    data = [["" if v is None else str(v) for v in row] for row in rows]
    layout = layout_table(headers, data, landscape)
    body_font, head_font = page_font(layout.point_size), page_font(layout.point_size, bold=True)
    title_font, sub_font = page_font(15, bold=True), page_font(9.5)
    set_a4(printer, layout.landscape)
    fm = QFontMetricsF(body_font, layout_device())
    hm = QFontMetricsF(head_font, layout_device())
    widths = layout.widths
    size = body_size(printer)
    bottom = size.height() - FOOTER
    header_height = _row_height(headers, widths, hm)
    title_height = QFontMetricsF(title_font, layout_device()).height() + 8
    sub_height = (QFontMetricsF(sub_font, layout_device()).height() + 6) if subtitle else 0
    # first pass: heights and page breaks, so that each page can say "of n"
    heights = [_row_height(r, widths, fm) for r in data]
    starts = [0]
    y = title_height + sub_height + header_height
    for i, h in enumerate(heights):
        if y + h > bottom and i > starts[-1]:
            starts.append(i)
            y = header_height
        y += h
    page_count = len(starts)
    starts.append(len(data))
    pages = Pages(printer)
    painter = pages.painter
    thin = QPen(QColor("black"), 0.6)
    done = 0
    cancelled = False
    try:
        for page_index in range(page_count):
            if should_stop is not None and should_stop():
                cancelled = True
                break
            pages.next_page()
            y = 0.0
            if page_index == 0:
                painter.setFont(title_font)
                painter.drawText(QRectF(0, 0, size.width(), title_height),
                                 Qt.AlignmentFlag.AlignCenter, title)
                y += title_height
                if subtitle:
                    painter.setFont(sub_font)
                    painter.drawText(QRectF(0, y, size.width(), sub_height),
                                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, subtitle)
                    y += sub_height
            painter.setPen(thin)
            painter.fillRect(QRectF(0, y, sum(widths), header_height), QColor("#e8e8e8"))
            y = _draw_row(painter, headers, widths, [False] * len(widths), y, header_height, head_font, True)
            for i in range(starts[page_index], starts[page_index + 1]):
                y = _draw_row(painter, data[i], widths, layout.right, y, heights[i], body_font, False)
                done += 1
            draw_footer(painter, size, page_text(title, page_index + 1, page_count))
            if progress is not None:
                progress(done, len(data))
    finally:
        pages.end()
    if cancelled and printer.outputFormat() != QPrinter.OutputFormat.PdfFormat:
        printer.abort()
    return done, pages.count, cancelled


def _draw_row(painter: QPainter, cells: Sequence[str], widths: Sequence[float], right: Sequence[bool],
              y: float, height: float, font: QFont, header: bool) -> float:
    painter.setFont(font)
    x = 0.0
    for col, width in enumerate(widths):
        text = cells[col] if col < len(cells) else ""
        rect = QRectF(x, y, width, height)
        painter.drawRect(rect)
        if header:
            align = Qt.AlignmentFlag.AlignCenter
        elif right[col]:
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        else:
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect.adjusted(_PAD, _PAD, -_PAD, -_PAD),
                         int(align) | int(Qt.TextFlag.TextWrapAnywhere), text)
        x += width
    return y + height


def print_table_to_pdf(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    path: Path | str,
    subtitle: str = "",
    landscape: bool | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> PrintResult:
    """Any table to a PDF on A4: landscape when wide, header on every page, page numbers."""
    return print_to_pdf(path, lambda printer: render_table(printer, title, headers, rows, subtitle, landscape,
                                                           progress, should_stop))


def table_from_model(model: Any) -> tuple[list[str], list[list[str]]]:
    """Headers and display texts of a table model (a view's model), for printing what is shown.

    Read on the UI thread (models belong to it); a lazy model reads its blocks as it goes.
    """
    columns = model.columnCount()
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
               for c in range(columns)]
    rows = []
    for r in range(model.rowCount()):
        rows.append([
            "" if (value := model.index(r, c).data(Qt.ItemDataRole.DisplayRole)) is None else str(value)
            for c in range(columns)
        ])
    return headers, rows
