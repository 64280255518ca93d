"""Printing on A4: household payment notices (缴费告知单) and any table, to a printer or to PDF.

Two renderers, both drawing in a 96-dpi "CSS pixel" coordinate system scaled onto the printer:

- a notice is an HTML page laid out by ``QTextDocument`` (Chinese text, a members table, wrapping),
  one notice per A4 portrait page (a very large household continues on the next page);
- a table is drawn with ``QPainter`` row by row: columns sized from their contents, portrait or
  landscape by width, the header row repeated on every page, "page i of n" at the foot. It never
  builds a document of the whole table, so a long roster prints in linear time.

Nothing here touches a widget except the dialogs at the end, so :func:`print_notices_to_pdf`,
:func:`print_village_notices_to_pdf` and :func:`print_table_to_pdf` run in a
:class:`~desktop_app.ui.worker.Worker` (Qt supports painting on a QPrinter off the GUI thread;
``tests/ui/test_printing.py`` prints from a worker with Qt warnings failing the test). A PDF is
written to a temporary file beside the target and renamed at the end: a cancelled or failed
print leaves no half file and never clobbers an earlier one.
"""

from __future__ import annotations

import html
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QMarginsF,
    QRectF,
    QSizeF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QRawFont,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QMessageBox,
    QWidget,
)

from desktop_app.domain.money import format_yuan
from desktop_app.services import notices as notice_service
from desktop_app.services.ledger import ServiceError
from desktop_app.services.notices import Notice, cn_date
from desktop_app.ui.file_job import FileJobDialog
from desktop_app.ui.qt_guard import keep_none_alive
from desktop_app.ui.text import fill

keep_none_alive()  # printing a village makes thousands of void calls

Progress = Callable[[int, int], None]
ShouldStop = Callable[[], bool]

# Fonts with Chinese glyphs, best first: Linux (Noto/Source Han, WenQuanYi on UOS/Kylin),
# Windows (Microsoft YaHei, SimSun), macOS (PingFang). Qt falls back along this list.
CJK_FAMILIES = [
    "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "微软雅黑", "PingFang SC",
    "WenQuanYi Micro Hei", "Noto Sans SC", "SimSun", "宋体", "SimHei", "sans-serif",
]
MARGIN_MM = 15.0
DPI = 96.0  # the layout's unit: CSS pixels
_FOOTER = 22.0  # px kept at the foot of a page for its number


@dataclass(frozen=True)
class PrintResult:
    path: Path | None  # the PDF written; None for a printer or when cancelled
    documents: int  # notices (or table rows) printed
    pages: int
    cancelled: bool
    seconds: float


def cjk_font(point_size: float, bold: bool = False) -> QFont:
    """A font with Chinese glyphs at ``point_size``, sized in 96-dpi pixels for our layouts."""
    font = QFont()
    font.setFamilies(CJK_FAMILIES)
    font.setPixelSize(max(1, round(point_size * DPI / 72.0)))
    font.setBold(bold)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


def _css_families() -> str:
    return ", ".join(f"'{f}'" if " " in f or not f.isascii() else f for f in CJK_FAMILIES)


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


def _body_size(printer: QPrinter) -> QSizeF:
    """The printable area inside the margins, in 96-dpi px."""
    rect = printer.pageLayout().paintRect(QPageLayout.Unit.Point)
    return QSizeF(rect.width() * DPI / 72.0, rect.height() * DPI / 72.0)


class _Pages:
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
        self.size = _body_size(printer)
        self.count = 0

    def next_page(self) -> None:
        if self.count:
            self.printer.newPage()
        self.count += 1

    def end(self) -> None:
        if self.painter.isActive():
            self.painter.end()


class _PdfTarget:
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


# --- searchable Chinese in the PDF --------------------------------------------------------
# Qt writes each font's ToUnicode map by scanning code points upwards and keeping the first one
# that gives a glyph. CJK fonts (Noto Sans CJK, Source Han, Meiryo…) give the Kangxi radical
# U+2F3E the same glyph as 户 U+6237, so 户 人 方 高 … come out of the PDF (copy, search,
# pdftotext) as look-alike radicals although they print correctly (wkhtmltopdf#4414, same Qt
# code). :func:`fix_pdf_text` rewrites those entries to the ideograph the font draws with the
# same glyph. Every entry is four hex digits either way, so the file keeps its length and its
# cross-reference offsets stay right.
_LOOKALIKE_RANGES = (range(0x2E80, 0x2FE0), range(0x3400, 0x4DC0))
_IDEOGRAPHS = range(0x4E00, 0xA000)
_lookalikes: dict[int, int] | None = None
_lookalike_lock = threading.Lock()


def _lookalike_map() -> dict[int, int]:
    """Radical (or rare look-alike) code point -> the CJK ideograph with the same glyph."""
    global _lookalikes
    with _lookalike_lock:
        if _lookalikes is None:
            found: dict[int, int] = {}
            for bold in (False, True):
                raw = QRawFont.fromFont(cjk_font(10.5, bold))
                if not raw.isValid():
                    continue
                by_glyph: dict[int, int] = {}
                glyphs = raw.glyphIndexesForString("".join(map(chr, _IDEOGRAPHS)))
                for code, glyph in zip(_IDEOGRAPHS, glyphs):
                    if glyph:
                        by_glyph.setdefault(glyph, code)
                for codes in _LOOKALIKE_RANGES:
                    for code, glyph in zip(codes, raw.glyphIndexesForString("".join(map(chr, codes)))):
                        if glyph in by_glyph:
                            found.setdefault(code, by_glyph[glyph])
            _lookalikes = found
        return _lookalikes


_TO_UNICODE_REF = re.compile(rb"/ToUnicode (\d+) 0 R")
_SECTION = re.compile(rb"begin(bfrange|bfchar)(.*?)end\1", re.DOTALL)
_ARRAY = re.compile(rb"\[([^\]]*)\]")
_SINGLE_RANGE = re.compile(rb"<([0-9A-Fa-f]{4})>\s+<\1>\s+<([0-9A-Fa-f]{4})>")
_CHAR = re.compile(rb"(<[0-9A-Fa-f]{4}>\s+)<([0-9A-Fa-f]{4})>")
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")


def fix_pdf_text(path: Path | str) -> int:
    """Make the Chinese text of a PDF we wrote extract as written; returns entries corrected.

    Touches only the ToUnicode maps, in place and byte for byte the same length; a file that
    does not look like Qt's output is left alone.
    """
    path = Path(path)
    data = bytearray(path.read_bytes())
    mapping = _lookalike_map()
    if not mapping:
        return 0
    fixed = 0

    def swap(hex_code: bytes) -> bytes:
        nonlocal fixed
        code = int(hex_code, 16)
        if code not in mapping:
            return b"<" + hex_code + b">"
        fixed += 1
        return b"<%04X>" % mapping[code]

    def fix_section(kind: bytes, body: bytes) -> bytes:
        if kind == b"bfchar":  # <glyph> <unicode>
            return _CHAR.sub(lambda m: m.group(1) + swap(m.group(2)), body)
        # <first> <last> [<unicode> …], or <glyph> <glyph> <unicode> for a single glyph
        body = _ARRAY.sub(lambda m: b"[" + _HEX.sub(lambda h: swap(h.group(1)), m.group(1)) + b"]", body)
        return _SINGLE_RANGE.sub(lambda m: m.group(0)[:-6] + swap(m.group(2)), body)

    for number in sorted(set(_TO_UNICODE_REF.findall(data))):
        start = data.find(b"\n" + number + b" 0 obj")
        begin = data.find(b"stream", start) if start >= 0 else -1
        end = data.find(b"endstream", begin) if begin >= 0 else -1
        if end < 0:
            continue
        stream = bytes(data[begin:end])
        out = _SECTION.sub(lambda m: b"begin" + m.group(1) + fix_section(m.group(1), m.group(2))
                           + b"end" + m.group(1), stream)
        if len(out) == len(stream):  # always, by construction; never shift an offset
            data[begin:end] = out
    if fixed:
        path.write_bytes(bytes(data))
    return fixed


# --- notices ----------------------------------------------------------------------------
_NOTICE_CSS = """
body { font-size: 10.5pt; color: #000000; }
p { margin-top: 0px; margin-bottom: 2px; line-height: 122%; }
.number { font-size: 9pt; }
.title { font-size: 17pt; font-weight: bold; margin-top: 2px; margin-bottom: 6px; }
.sub { font-size: 10pt; margin-bottom: 10px; }
.indent { text-indent: 28px; }
.head { font-size: 11pt; font-weight: bold; margin-top: 8px; margin-bottom: 2px; }
th { font-size: 9pt; font-weight: bold; background-color: #e8e8e8; }
td { font-size: 9pt; }
.owed { font-size: 12pt; font-weight: bold; }
.cut { font-size: 8pt; color: #555555; margin-top: 12px; margin-bottom: 4px; }
.sign { margin-top: 8px; }
"""

_GAP = "&nbsp;" * 4

# the members table: (header, width %, right-aligned)
_MEMBER_COLUMNS = (
    ("序号", 5, False), ("姓名", 9, False), ("关系", 5, False), ("身份证号<br>后四位", 8, False),
    ("资助类别", 12, False), ("参保状态", 9, False), ("缴费标准<br>(元)", 9, True),
    ("资助金额<br>(元)", 9, True), ("个人应缴<br>(元)", 9, True), ("征缴方式", 9, False),
    ("备注", 16, False),
)


def _e(text: Any) -> str:
    return html.escape(str(text), quote=False)


def _cells(values: Sequence[str], centre: Sequence[bool] = ()) -> str:
    out = []
    for (_h, _w, right), value, middle in zip(_MEMBER_COLUMNS, values, [*centre, *[False] * 20]):
        align = "right" if right and value not in ("—", "") else ("center" if middle or value == "—" else "left")
        out.append(f'<td align="{align}">{value}</td>')
    return "".join(out)


def notice_html(notice: Notice) -> str:
    """The notice as the HTML that :func:`render_notices` lays out on one A4 page."""
    centre = (True, False, True, True, False, True, False, False, False, True)
    rows = []
    for index, m in enumerate(notice.members, start=1):
        if m.collected:
            money = [format_yuan(m.standard_fen), format_yuan(m.subsidy_fen), format_yuan(m.due_fen)]
        else:
            money = ["—"] * 3
        values = [str(index), _e(m.name), _e(m.relation), _e(m.id_tail), _e(m.categories), _e(m.status_name),
                  *money, _e(m.mode_name or "—"), _e(m.remark)]
        rows.append(f"<tr>{_cells(values, centre)}</tr>")
    subsidy = sum(m.subsidy_fen for m in notice.members if m.collected)
    rows.append(
        '<tr><td colspan="6" align="center"><b>合&nbsp;&nbsp;计</b></td><td></td>'
        f'<td align="right"><b>{format_yuan(subsidy)}</b></td>'
        f'<td align="right"><b>{format_yuan(notice.total_due_fen)}</b></td><td colspan="2"></td></tr>'
    )
    head = "".join(f'<th width="{w}%" align="center">{h}</th>' for h, w, _r in _MEMBER_COLUMNS)
    newborns = "".join(f'<p class="indent">{_e(n.sentence)}</p>' for n in notice.newborns)
    how = "".join(f'<p class="indent">{_e(line)}</p>' for line in notice.how_to_pay_lines)
    phone = _e(notice.phone) if notice.phone else "______________________"
    summary = _e(notice.summary)
    owed_words = f"还需缴纳{format_yuan(notice.owed_fen)}元"
    if notice.owed_fen:
        summary = summary.replace(owed_words, f'<span class="owed">{owed_words}</span>')
    place = _GAP.join(_e(p) for p in (notice.township + notice.village, f"户主：{notice.head_name}",
                                       f"住址：{notice.address}") if p)
    return f"""<html><head><style>{_NOTICE_CSS}</style></head><body>
<p class="number" align="right">户编号：{_e(notice.household_number)}</p>
<p class="title" align="center">{_e(notice.title)}</p>
<p class="sub" align="center">{place}</p>
<p><b>{_e(notice.addressee)}</b></p>
<p class="indent">{_e(notice.intro)}</p>
<table width="100%" border="1" cellspacing="0" cellpadding="3" style="border-collapse: collapse; border-color: #000000; margin-top: 4px; margin-bottom: 6px;">
<thead><tr>{head}</tr></thead>
{''.join(rows)}
</table>
<p class="indent">{summary}</p>
<p class="head">一、缴费期限</p>
<p class="indent">{_e(notice.deadline_sentence)}</p>
{newborns}
<p class="head">二、缴费方式</p>
{how}
<p class="head">三、咨询电话：<span style="font-weight: normal;">{phone}{_GAP}（对家庭成员、资助类别或金额有疑问的，请与村委会或乡镇医保经办人员联系核实。）</span></p>
<p align="right" class="sign">{_e(notice.issuer)}<br>{_e(cn_date(notice.issued_on))}</p>
<p class="cut" align="center">{"- " * 30}请沿此线剪下，回执交村委会{" -" * 30}</p>
<p align="center"><b>回&nbsp;&nbsp;执</b></p>
<p class="indent">户编号{_e(notice.household_number)}，户主{_e(notice.head_name)}：本户已收到{_e(notice.title)}，
知悉全户{notice.year}年度个人应缴{format_yuan(notice.total_due_fen)}元，还需缴纳{format_yuan(notice.owed_fen)}元。</p>
<p class="sign">户主（家庭成员）签字：________________{_GAP}联系电话：________________{_GAP}送达人：____________</p>
<p class="sign" align="right">日期：________年______月______日</p>
</body></html>"""


_LAYOUT_DEVICE: QImage | None = None


def _layout_device() -> QImage:
    """A 96-dpi paint device for text layout, so that pt and px mean the same on every machine."""
    global _LAYOUT_DEVICE
    if _LAYOUT_DEVICE is None:
        image = QImage(8, 8, QImage.Format.Format_RGB32)
        dots_per_metre = round(DPI / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        _LAYOUT_DEVICE = image
    return _LAYOUT_DEVICE


def notice_document(notice: Notice, page: QSizeF) -> QTextDocument:
    """The notice laid out for a page of ``page`` (96-dpi px); not a QObject child of anything."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(_layout_device())
    doc.setDefaultFont(cjk_font(10.5))
    doc.setDefaultStyleSheet(f"body {{ font-family: {_css_families()}; }}")
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
    page = QSizeF(body.width() / scale, (body.height() - _FOOTER) / scale)
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


def _draw_footer(painter: QPainter, size: QSizeF, text: str) -> None:
    painter.save()
    painter.setFont(cjk_font(8))
    painter.setPen(QColor("#444444"))
    painter.drawText(QRectF(0, size.height() - _FOOTER + 6, size.width(), _FOOTER - 6),
                     Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)
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
    pages = _Pages(printer)
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
                    _draw_footer(pages.painter, pages.size, _page_text(notice.head_name, index + 1, count))
            done += 1
            if progress is not None:
                progress(done, total or 0)
    finally:
        pages.end()
    if cancelled and printer.outputFormat() != QPrinter.OutputFormat.PdfFormat:
        printer.abort()
    return done, pages.count, cancelled


def _page_text(title: str, page: int, pages: int) -> str:
    text = fill(QCoreApplication.translate("Printing", "Page %1 of %2"), str(page), str(pages))
    return f"{title}　{text}" if title else text


def print_notices_to_pdf(
    notices: Iterable[Notice],
    path: Path | str,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
    total: int | None = None,
) -> PrintResult:
    """Write the notices to one PDF, one A4 page each; nothing is written when stopped early."""
    started = time.perf_counter()
    target = _PdfTarget(Path(path))
    printer = make_printer(pdf_path=target.temp)
    try:
        done, pages, cancelled = render_notices(printer, notices, progress, should_stop, total)
    except BaseException:
        target.discard()
        raise
    if cancelled or pages == 0:
        target.discard()
        return PrintResult(None, done, pages, cancelled, time.perf_counter() - started)
    target.commit()
    return PrintResult(target.path, done, pages, False, time.perf_counter() - started)


def print_village_notices_to_pdf(
    village_name: str | None,
    year: int,
    path: Path | str,
    only_unpaid: bool = True,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> PrintResult:
    """A whole village's notices (every village for None) to one PDF; made for a Worker."""
    total = notice_service.count_notices(village_name, year, only_unpaid)
    if progress is not None:
        progress(0, total)
    return print_notices_to_pdf(
        notice_service.notices_for(village_name, year, only_unpaid), path, progress, should_stop, total
    )


# --- any table --------------------------------------------------------------------------
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


def _layout_table(headers: Sequence[str], rows: Sequence[Sequence[str]], landscape: bool | None) -> _TableLayout:
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
        fm = QFontMetricsF(cjk_font(point_size), _layout_device())
        hm = QFontMetricsF(cjk_font(point_size, True), _layout_device())
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
    layout = _layout_table(headers, data, landscape)
    body_font, head_font = cjk_font(layout.point_size), cjk_font(layout.point_size, bold=True)
    title_font, sub_font = cjk_font(15, bold=True), cjk_font(9.5)
    set_a4(printer, layout.landscape)
    fm = QFontMetricsF(body_font, _layout_device())
    hm = QFontMetricsF(head_font, _layout_device())
    widths = layout.widths
    size = _body_size(printer)
    bottom = size.height() - _FOOTER
    header_height = _row_height(headers, widths, hm)
    title_height = QFontMetricsF(title_font, _layout_device()).height() + 8
    sub_height = (QFontMetricsF(sub_font, _layout_device()).height() + 6) if subtitle else 0
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
    pages = _Pages(printer)
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
            _draw_footer(painter, size, _page_text(title, page_index + 1, page_count))
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
    started = time.perf_counter()
    target = _PdfTarget(Path(path))
    printer = make_printer(pdf_path=target.temp)
    try:
        done, pages, cancelled = render_table(
            printer, title, headers, rows, subtitle, landscape, progress, should_stop
        )
    except BaseException:
        target.discard()
        raise
    if cancelled:
        target.discard()
        return PrintResult(None, done, pages, True, time.perf_counter() - started)
    target.commit()
    return PrintResult(target.path, done, pages, False, time.perf_counter() - started)


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


# --- the real printer: dialogs ----------------------------------------------------------
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
    dialog.resize(900, 1000)
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
    except ServiceError as exc:
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
    wide = _layout_table([str(h) for h in headers],
                         [["" if v is None else str(v) for v in r] for r in data[:500]], None).landscape
    return preview_dialog(parent, lambda printer: render_table(printer, title, headers, data, subtitle), wide)


class NoticeBatchDialog(FileJobDialog):
    """Print many notices to one PDF in a worker, with progress and cancel (one page a household)."""

    printed = Signal(object)  # PrintResult
    suffix = ".pdf"

    def __init__(self, year: int | None = None, village: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from desktop_app.services.households import villages_with_counts
        from desktop_app.services.policy import policy_years

        self.setObjectName("noticeBatchDialog")
        self.setWindowTitle(self.tr("Print payment notices"))
        self.resize(620, 260)
        self.year_box = QComboBox()
        self.year_box.setObjectName("noticeYear")
        years = policy_years()
        for y in years:
            self.year_box.addItem(str(y), y)
        if years:
            self.year_box.setCurrentIndex(years.index(year) if year in years else len(years) - 1)
        self.village_box = QComboBox()
        self.village_box.setObjectName("noticeVillage")
        self.village_box.addItem(self.tr("All villages"), None)
        for v in villages_with_counts():
            self.village_box.addItem(v.name, v.name)
        if village:
            self.village_box.setCurrentIndex(max(0, self.village_box.findData(village)))
        self.only_unpaid = QCheckBox(self.tr("Only households that still owe money"))
        self.only_unpaid.setChecked(True)
        self.path_edit.setObjectName("noticePath")
        self.status.setObjectName("noticeStatus")
        self.action_button.setText(self.tr("&Print to PDF"))
        self.print_button = self.action_button
        self.open_button.setText(self.tr("&Open PDF"))
        for box in (self.year_box, self.village_box):
            box.currentIndexChanged.connect(lambda _i: self.suggest_path())
        self.form.addRow(self.tr("Year"), self.year_box)
        self.form.addRow(self.tr("Village"), self.village_box)
        self.form.addRow("", self.only_unpaid)
        self.finish_layout(self.tr("Save PDF as"))

    def suggested_name(self) -> str:
        from desktop_app.services.ledger import township

        town = township()
        village = self.village_box.currentData() or ""
        year = self.year_box.currentData() or ""
        return f"{town.name if town else ''}{village}{year}年度缴费告知单.pdf"

    def job(self, out: Path) -> tuple[Callable[..., PrintResult], str] | None:
        year = self.year_box.currentData()
        if year is None:
            self.status.setText(self.tr("No year has a policy yet: nothing to print."))
            return None
        village, only_unpaid = self.village_box.currentData(), self.only_unpaid.isChecked()

        def work(progress, should_stop):
            return print_village_notices_to_pdf(village, year, out, only_unpaid, progress, should_stop)

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


__all__ = [
    "CJK_FAMILIES", "NoticeBatchDialog", "PrintResult", "choose_printer_and_print",
    "choose_printer_and_print_notice", "fix_pdf_text", "keep_none_alive", "make_printer",
    "notice_document", "notice_html", "notice_preview", "preview_dialog", "print_dialog",
    "print_notices_to_pdf", "print_table_to_pdf", "print_village_notices_to_pdf", "render_notices",
    "render_table", "table_from_model", "table_preview",
]
