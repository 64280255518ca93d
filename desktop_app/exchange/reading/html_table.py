"""Web platforms' ".xls" files that are really an HTML table (DOMAIN.md section 10).

Excel and WPS open such a page as one sheet: the rows of its tables one under the other, a cell
with ``colspan`` / ``rowspan`` merged over the cells it covers. This reader does the same and
gives cells as calamine gives a merged range: the text in the top-left position, ``""`` in the
others, and the range in :attr:`RawSheet.merged`, so that a title row in a colspan cell and a
two-row header are found as in an .xlsx. Every cell is text, as typed on the page: an 18-digit ID
number stays a string, whole.

Parsing: not :mod:`html.parser` (16,000 rows/s here for a 10-column table; the figure asked for
is 20,000) but one regular expression that finds the next tag, in a loop: a tag is ``<`` name,
then anything but ``<`` and ``>`` up to ``>``, so a failed match stops at the next ``<`` and the
scan stays linear whatever the file holds. Comments and the bodies of ``<script>`` and
``<style>`` are skipped with one ``find`` each. Character references are decoded with
:func:`html.unescape`: HTML's named and numeric ones only; nothing is fetched, nothing is declared.

The text is decoded once (:mod:`.decoding`) and rows are parsed on each pass, not kept; a first
pass checks every row against Excel's limits and collects the merged ranges.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from itertools import islice

from desktop_app.exchange.guards.refusal import Budget, Refusal
from desktop_app.exchange.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEET_NAME_CHARS,
    MAX_XML_RUN_BYTES,
)
from desktop_app.exchange.reading.decoding import MSG_NOT_TEXT, decode_text, head_text
from desktop_app.exchange.reading.sheet import RawSheet, Row, UnreadableFileError

MSG_NO_TABLE = (
    "这个文件的扩展名是.xls，内容却是一个网页，而且网页里没有表格，无法导入。"
    "可能是从网站下载时出了错，或者登录已经过期：请在网站上重新导出一次。"
    "如果用Excel或WPS打开能看到表格，请另存为“Excel工作簿(*.xlsx)”后再导入。"
)
_MSG_NOT_TEXT_PAGE = (
    "这个文件像是网页格式的表格，但内容已损坏或编码无法识别，无法读取。"
    "请重新下载一次；或用Excel、WPS打开后另存为“Excel工作簿(*.xlsx)”再导入。"
)

_MARKERS = ("<html", "<table", "<!doctype html", "<head", "<body", "<meta", "<tr")

# a table tag or one whose content is not text ("<" name, attributes without "<" or ">", ">"),
# or the start of a comment; any other tag is part of a cell's content
_TOKEN = re.compile(
    r"<(?:(/?)(t[dhr]|table|thead|tbody|tfoot|script|style|textarea|xmp)((?:[\s/][^<>]*)?)>|!--)",
    re.IGNORECASE,
)
_SPAN = re.compile(r"\b(colspan|rowspan)\s*=\s*[\"']?\s*(\d{1,9})", re.IGNORECASE)
_RAW_TEXT_END = {
    name: re.compile(rf"</{name}[\s>]", re.IGNORECASE) for name in ("script", "style", "textarea", "xmp")
}
_INNER_TAG = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)[^<>]*>|<!--.*?-->", re.DOTALL)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_SHEET_NAME = re.compile(r"<x:Name>([^<>]{1,500})</x:Name>", re.IGNORECASE)
_CHARSET = re.compile(r"<meta[^<>]*charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)

_CELL, _ROW, _TABLE, _ROW_GROUP, _RAW_TEXT = 1, 2, 3, 4, 5
_KINDS = {"td": _CELL, "th": _CELL, "tr": _ROW, "table": _TABLE,
          "thead": _ROW_GROUP, "tbody": _ROW_GROUP, "tfoot": _ROW_GROUP,
          **dict.fromkeys(("script", "style", "textarea", "xmp"), _RAW_TEXT)}
#: HTML's own bounds (the HTML standard clamps colspan to 1,000 and rowspan to 65,534).
_MAX_COLSPAN, _MAX_ROWSPAN = 1000, 65534


def looks_like_html(data: bytes) -> bool:
    """Whether the file starts like a web page or a bare HTML table."""
    head = head_text(data).lower()
    return head.startswith("<") and any(marker in head for marker in _MARKERS)


def read_html_table(data: bytes, name: str, path: str | os.PathLike[str]) -> list[RawSheet]:
    """The page's tables as one sheet (none when the page has no cell at all)."""
    text = _decode(data, path)
    del data
    merged: list[tuple[int, int, int, int]] = []
    height = width = 0
    saw_table = False
    try:
        for index, row in enumerate(_rows(text, merged), start=1):
            saw_table = True
            width = max(width, len(row))
            if any(row):
                height = index
            if index * width > MAX_CELLS or width > MAX_COLUMNS:  # before the rest is parsed
                Budget().add_sheet(index, width)
        Budget().add_sheet(height, width)
    except Refusal as refusal:
        raise UnreadableFileError(refusal.code, refusal.message, path=path) from None
    except _LongCell as long_cell:
        raise UnreadableFileError("damaged", _msg_long_cell(long_cell.row), path=path) from None
    if not saw_table and not merged:
        raise UnreadableFileError("damaged", MSG_NO_TABLE, path=path)
    if not height:
        return []
    found = _SHEET_NAME.search(text, 0, 1 << 20)
    sheet_name = html.unescape(found.group(1)).strip() if found else ""
    sheet_name = sheet_name or name
    if len(sheet_name) > MAX_SHEET_NAME_CHARS:
        sheet_name = sheet_name[: MAX_SHEET_NAME_CHARS - 1] + "…"
    merged_ranges = tuple(m for m in merged if m[0] < height)

    def rows() -> Iterator[Row]:
        return islice(_rows(text, None), height)

    return [RawSheet(name=sheet_name, index=0, source_format="html", height=height,
                     merged=merged_ranges, _rows_factory=rows)]


def _decode(data: bytes, path: str | os.PathLike[str]) -> str:
    """The page as text: a charset its ``<meta>`` declares when the bytes agree with it (GBK and
    GB2312 are read as their superset GB18030), else what :func:`decode_text` finds."""
    declared = _CHARSET.search(head_text(data, 8192))
    if declared:
        charset = declared.group(1).lower()
        if charset in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "gb18030"):
            charset = "gb18030"
        if charset not in ("utf-8", "utf8", "gb18030"):  # those two decode_text tries anyway
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                pass
    try:
        return decode_text(data, path)[0]
    except UnreadableFileError as error:
        if error.message == MSG_NOT_TEXT:
            raise UnreadableFileError("damaged", _MSG_NOT_TEXT_PAGE, path=path) from None
        raise


class _LongCell(Exception):
    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


def _msg_long_cell(row: int) -> str:
    return (
        f"第{row:,}行有一个单元格超过了{MAX_CELL_CHARS:,}个字符（Excel允许的最大长度），"
        "不像是正常导出的表格。请重新下载一次；或用Excel、WPS打开后另存为“Excel工作簿(*.xlsx)”再导入。"
    )


def _cell_text(raw: str) -> str:
    """A cell's text as a browser shows it: inner tags dropped (``<br>`` a line break), HTML
    white space folded, character references decoded."""
    if "<" in raw:
        raw = _INNER_TAG.sub(_inner_tag, raw)
    if "&" in raw:
        raw = html.unescape(raw)
    if _HTML_SPACE.search(raw):
        raw = _HTML_SPACE.sub(" ", raw).strip(" ")
    if "\x00" in raw:  # the line breaks of <br>
        raw = "\n".join(line.strip(" ") for line in raw.split("\x00")).strip("\n")
    return raw


def _inner_tag(match: re.Match[str]) -> str:
    name = match.group(2)
    return "\x00" if name is not None and name.lower() == "br" and not match.group(1) else ""


def _span(attrs: str) -> tuple[int, int]:
    colspan = rowspan = 1
    for which, value in _SPAN.findall(attrs):
        number = int(value)
        if which.lower() == "colspan":
            colspan = min(max(number, 1), _MAX_COLSPAN)
        else:
            rowspan = min(max(number, 1), _MAX_ROWSPAN)
    return colspan, rowspan


def _rows(text: str, merged: list[tuple[int, int, int, int]] | None) -> Iterator[Row]:
    """Every row of every table of the page, in order, cells placed as in a grid (a rowspan
    keeps its columns taken in the rows below). ``merged`` collects the merged ranges, and each
    row is checked against Excel's limits, when given (the first pass)."""
    search = _TOKEN.search
    kinds = _KINDS
    end = len(text)
    pos = 0
    row: list[str] | None = None
    r = -1  # index of the current (or last) row
    col = 0
    taken: dict[int, int] = {}  # column -> last row a rowspan above keeps it for
    cell_start = -1  # where the open cell's content starts, -1 when none is open
    cell_span: tuple[int, int] | None = None
    while True:
        m = search(text, pos)
        if m is None:
            break
        closing, name, attrs = m.groups()
        stop = m.start()
        pos = m.end()
        if name is None:  # a comment, up to its end
            close = text.find("-->", pos)
            if close < 0:  # to the end of the text: the open cell, if any, ends before it
                end = stop
                break
            pos = close + 3
            continue
        kind = kinds[name.lower()]
        if kind == _RAW_TEXT:
            if not closing:
                found = _RAW_TEXT_END[name.lower()].search(text, pos)
                pos = end if found is None else found.start()
            continue
        # any table tag ends the open cell
        if cell_start >= 0:
            if cell_span is None and not taken and stop - cell_start <= MAX_CELL_CHARS:
                row.append(_cell_text(text[cell_start:stop]))  # type: ignore[union-attr]
                col += 1
            else:
                col = _place(row, r, col, text, cell_start, stop, cell_span, taken, merged)  # type: ignore[arg-type]
            cell_start = -1
        if kind == _CELL:
            if closing:
                continue
            if row is None:  # a cell without its <tr>
                r += 1
                row, col = _start_row(r, taken, merged)
            cell_span = _span(attrs) if "span" in attrs.lower() else None
            cell_start = pos
            continue
        if row is not None:
            yield row
            row = None
        if kind == _ROW and not closing:
            r += 1
            row, col = _start_row(r, taken, merged)
        elif kind == _TABLE:
            taken.clear()  # a rowspan does not reach into the next table
    if cell_start >= 0 and row is not None:
        _place(row, r, col, text, cell_start, end, cell_span, taken, merged)
    if row is not None:
        yield row


def _start_row(r: int, taken: dict[int, int], merged: list[tuple[int, int, int, int]] | None,
               ) -> tuple[list[str], int]:
    if merged is not None and r >= MAX_ROWS:
        Budget().add_sheet(r + 1, 1)
    row: list[str] = []
    return row, _free(0, r, taken)


def _free(col: int, r: int, taken: dict[int, int]) -> int:
    """``col``, or the first column after it that no rowspan from above keeps in row ``r`` (a
    rowspan that ended above is forgotten when met)."""
    while True:
        last = taken.get(col)
        if last is None:
            return col
        if last < r:
            del taken[col]
            return col
        col += 1


def _place(row: list[str], r: int, col: int, text: str, start: int, stop: int,
           span: tuple[int, int] | None, taken: dict[int, int],
           merged: list[tuple[int, int, int, int]] | None) -> int:
    """Put the cell ``text[start:stop]`` at column ``col`` of ``row``; the next free column.

    A cell whose source (its text and the tags inside it) is longer than
    :data:`~.limits.MAX_XML_RUN_BYTES` is refused unread; one whose text is longer than
    :data:`~.limits.MAX_CELL_CHARS` once read, too."""
    if stop - start > MAX_XML_RUN_BYTES:
        raise _LongCell(r + 1)
    value = _cell_text(text[start:stop])
    if len(value) > MAX_CELL_CHARS:
        raise _LongCell(r + 1)
    colspan, rowspan = span or (1, 1)
    last = col + colspan - 1
    if merged is not None and last >= MAX_COLUMNS:
        Budget().add_sheet(r + 1, last + 1)
    if len(row) < col:
        row.extend([""] * (col - len(row)))
    row.append(value)
    if colspan > 1 or rowspan > 1:
        if colspan > 1:
            row.extend([""] * (colspan - 1))
        if rowspan > 1:
            for c in range(col, last + 1):
                taken[c] = r + rowspan - 1
        if merged is not None:
            merged.append((r, col, r + rowspan - 1, last))
    return _free(last + 1, r, taken) if taken else last + 1

