"""Web platforms' ".xls" files that are really an XML Spreadsheet 2003 document
(``<?mso-application progid="Excel.Sheet"?>``, DOMAIN.md section 10).

One :class:`RawSheet` per visible ``<Worksheet>`` (its ``ss:Name`` is the sheet's name, so a
workbook with one worksheet per village gives villages), cells as calamine gives them:
``ss:Type="Number"`` a float, ``DateTime`` a date (a datetime when it has a time of day),
``Boolean`` a bool, ``Error`` an empty cell, ``String`` the text exactly as written (an 18-digit
ID number stored as text stays whole). ``ss:Index`` skips rows and columns; ``ss:MergeAcross``
and ``ss:MergeDown`` merge a range whose other positions hold ``""`` (listed in
:attr:`RawSheet.merged`), as calamine gives a merged title row. A worksheet whose options say
``<Visible>SheetHidden</Visible>`` (or ``SheetVeryHidden``) is left out, as for .xlsx.

Parsing is expat's (the standard library's :mod:`xml.parsers.expat`), fed a megabyte at a time
and never building a tree, with what defusedxml does switched on by hand: a document type
declaration (``<!DOCTYPE``, and so every ``<!ENTITY``) is refused the moment expat meets it,
parameter entities are never parsed, no external entity is ever loaded, and a reference to an
undeclared entity is an error. Before expat sees a piece, :func:`guards.markup.segments` refuses a
run of text longer than any cell (as for .xlsx), and the nesting is capped at
:data:`~.limits.MAX_MARKUP_DEPTH`. A first pass checks the whole document and notes where each
worksheet's bytes are; each later pass parses only the worksheet it reads.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from desktop_app.exchange.guards.markup import segments
from desktop_app.exchange.guards.refusal import Budget, Refusal, crafted
from desktop_app.exchange.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_MARKUP_DEPTH,
    MAX_ROWS,
    MAX_SHEET_NAME_CHARS,
)
from desktop_app.exchange.reading.decoding import decode_text, head_text
from desktop_app.exchange.reading.sheet import Cell, RawSheet, Row, UnreadableFileError

_MSG_BROKEN = (
    "这个文件是“XML表格”格式（网站导出的.xls常是这种格式），但内容不完整或已损坏"
    "（第{line:,}行附近），无法读取。可能没有下载完整：请重新下载一次；"
    "或用Excel、WPS打开后另存为“Excel工作簿(*.xlsx)”再导入。"
)
_WHAT_DTD = "文件里有文档类型或实体声明（<!DOCTYPE、<!ENTITY），Excel和WPS保存的表格里不会有"
_WHAT_EXTERNAL = "文件要求读取外部实体（另一个文件或网址），Excel和WPS保存的表格里不会有"
_WHAT_DEEP = f"标签嵌套超过了{MAX_MARKUP_DEPTH}层"
_MSG_LONG_CELL = (
    "第{row:,}行有一个单元格超过了{limit:,}个字符（Excel允许的最大长度），不像是正常导出的表格。"
    "请重新下载一次；或用Excel、WPS打开后另存为“Excel工作簿(*.xlsx)”再导入。"
)

_SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"
_EXCEL_NS = "urn:schemas-microsoft-com:office:excel"
# element names as expat gives them with namespaces: "<namespace> <local name>"
_SS = _SPREADSHEET_NS + " "
_CELL, _DATA, _ROW, _COMMENT, _TABLE, _WORKSHEET, _OPTIONS, _VISIBLE = range(1, 9)
_KIND = {
    _SS + "Cell": _CELL, _SS + "Data": _DATA, _SS + "Row": _ROW, _SS + "Comment": _COMMENT,
    _SS + "Table": _TABLE, _SS + "Worksheet": _WORKSHEET,
    _EXCEL_NS + " WorksheetOptions": _OPTIONS, _EXCEL_NS + " Visible": _VISIBLE,
    _SS + "WorksheetOptions": _OPTIONS, _SS + "Visible": _VISIBLE,
}
_NO_MERGE = (0, 0)
_DECLARED = re.compile(r"<\?xml[^<>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]{1,40})[\"']")
_PIECE = 1 << 20
_HIDDEN = frozenset({"SheetHidden", "SheetVeryHidden"})


def looks_like_spreadsheet_xml(data: bytes) -> bool:
    """Whether the file starts like an XML Spreadsheet 2003 document."""
    head = head_text(data)
    return head.startswith("<") and (
        'progid="Excel.Sheet"' in head.replace("'", '"') or _SPREADSHEET_NS in head
    ) and "<html" not in head.lower()


def read_spreadsheet_xml(data: bytes, path: str | os.PathLike[str]) -> list[RawSheet]:
    """Every visible, non-empty worksheet of the document."""
    document = _as_utf8(data, path)
    del data
    scan = _Walker(collect=None)
    for _ in _steps(scan, [document], path):
        pass
    for info in scan.sheets:  # just after its "</Worksheet>"
        info.end = document.find(b">", info.end) + 1 if info.end >= 0 else info.start
    budget = Budget()
    sheets: list[RawSheet] = []
    try:
        for info in scan.sheets:
            if info.hidden or not info.height:
                continue
            budget.add_sheet(info.height, info.width)
            sheets.append(RawSheet(
                name=_sheet_name(info.name, info.index),
                index=info.index,
                source_format="xml",
                height=info.height,
                merged=tuple(m for m in info.merged if m[0] < info.height),
                _rows_factory=_sheet_rows(document, scan.prefix_end, scan.root_end, info, path),
            ))
    except Refusal as refusal:
        raise UnreadableFileError(refusal.code, refusal.message, path=path) from None
    return sheets


def _sheet_name(name: str, index: int) -> str:
    name = name or f"Sheet{index + 1}"
    if len(name) <= MAX_SHEET_NAME_CHARS:
        return name
    return name[: MAX_SHEET_NAME_CHARS - 1] + "…"


def _as_utf8(data: bytes, path: str | os.PathLike[str]) -> bytes:
    """The document in UTF-8 (expat is then told so, whatever its declaration says): UTF-8 as it
    is, any other encoding its BOM or declaration names (GBK and GB2312 as GB18030) transcoded,
    bytes that do not fit their declaration as :func:`decode_text` finds them."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):]
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
                        codecs.BOM_UTF16_BE)) or b"\x00" in data[:256]:
        return decode_text(data, path)[0].encode("utf-8")
    found = _DECLARED.search(head_text(data, 1024))
    declared = found.group(1).lower() if found else "utf-8"
    if declared in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936"):
        declared = "gb18030"
    if declared.replace("_", "-") in ("utf-8", "utf8", "us-ascii", "ascii"):
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode(declared).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, path)[0].encode("utf-8")


@dataclass
class _SheetInfo:
    index: int
    name: str
    start: int  # byte offset of "<Worksheet"
    end: int = -1  # byte offset just after "</Worksheet>"
    hidden: bool = False
    height: int = 0
    width: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


class _Stop(Exception):
    """Raised by a handler: a refusal (``Refusal``) or a long cell, carried out of expat."""

    def __init__(self, error: Refusal | UnreadableFileError) -> None:
        super().__init__(error)
        self.error = error


def _attr(attrs: dict[str, str], local: str) -> str | None:
    """An attribute in the spreadsheet namespace (``ss:Index``), or written without a prefix."""
    value = attrs.get(_SS + local)
    return attrs.get(local) if value is None else value


def _number(value: str | None) -> int:
    """A non-negative count from an attribute (ss:Index, ss:MergeAcross…): 0 when not a number."""
    if value is None:
        return 0
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return 0
    return int(value) if len(value) <= 12 else 10**12  # beyond any limit, without a huge int


def _value(kind: str | None, text: str) -> Cell:
    """A ``<Data>``'s value as calamine would give it."""
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            moment = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            return text
        return moment.date() if moment.time() == dt.time() and moment.tzinfo is None else moment
    if kind == "Boolean":
        return {"1": True, "0": False, "true": True, "false": False}.get(text.strip().lower(), text)
    if kind == "Error":
        return ""
    return text


class _Walker:
    """expat's handlers: the structure of every worksheet (``collect`` None), or the rows of one
    worksheet, handed to ``collect(row_index, cells)`` as each ends."""

    def __init__(self, collect: Callable[[int, Row], None] | None) -> None:
        self.collect = collect
        self.scan = collect is None
        self.parser: expat.XMLParserType | None = None
        self.sheets: list[_SheetInfo] = []
        self.root_end = -1  # byte offset of the root's end tag
        self.prefix_end = -1  # byte offset of the root's first child (what precedes every sheet)
        self.depth = 0
        self.sheet: _SheetInfo | None = None
        self.next_row = 0
        self.r = -1
        self.row: Row | None = None
        self.col = 0
        #: first column of a range merged down -> (its last column, its last row)
        self.spans: dict[int, tuple[int, int]] = {}
        self.cell: tuple[int, int] | None = None  # (merge across, merge down) of the open cell
        self.value: Cell = ""
        self.data_kind: str | None = None
        self.texts: list[str] | None = None
        self.data_at = 0  # the depth of the open <Data>
        self.chars = 0
        self.comment = 0
        self.options = False
        self.visible: list[str] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_MARKUP_DEPTH:
            raise _Stop(crafted(_WHAT_DEEP))
        if self.texts is not None:  # rich text inside <Data>: its text counts, its tags do not
            return
        if self.depth <= 2:
            if self.depth == 2 and self.prefix_end < 0:
                self.prefix_end = self._offset()
            elif self.depth == 1:
                return
        kind = _KIND.get(name)
        if kind is None:
            return
        if kind == _CELL:
            if self.row is None:
                return
            if attrs:
                index = _number(_attr(attrs, "Index"))
                if index > self.col + 1:
                    self.col = self._free(index - 1)
                self.cell = (_number(_attr(attrs, "MergeAcross")), _number(_attr(attrs, "MergeDown")))
            else:
                self.cell = _NO_MERGE
            self.value = ""
        elif kind == _DATA:
            if self.cell is not None and not self.comment:
                self.data_kind = _attr(attrs, "Type")
                self.texts, self.chars, self.data_at = [], 0, self.depth
        elif kind == _ROW:
            if self.sheet is None:
                return
            index = _number(_attr(attrs, "Index")) if attrs else 0
            self.r = max(self.next_row, index - 1) if index else self.next_row
            self.next_row = self.r + 1 + (_number(_attr(attrs, "Span")) if attrs else 0)
            if self.r >= MAX_ROWS:
                raise _Stop(_beyond(self.r + 1, 1))
            self.row = []
            self.col = self._free(0) if self.spans else 0
        elif kind == _COMMENT:
            self.comment += 1
        elif kind == _TABLE:
            if self.sheet is not None:
                self.next_row, self.spans = 0, {}
        elif kind == _WORKSHEET:
            if self.depth == 2:
                self.sheet = _SheetInfo(len(self.sheets), _attr(attrs, "Name") or "", self._offset())
                self.sheets.append(self.sheet)
        elif kind == _OPTIONS:
            self.options = True
        elif kind == _VISIBLE and self.options:
            self.visible = []

    def end(self, name: str) -> None:
        self.depth -= 1
        if self.texts is not None:
            if self.depth != self.data_at - 1:
                return
            self.value = _value(self.data_kind, "".join(self.texts))
            self.texts = None
            return
        kind = _KIND.get(name)
        if kind is None:
            if self.depth == 0:  # the root's end tag, for the passes over one sheet
                self.root_end = self._offset()
            return
        if kind == _CELL:
            if self.cell is not None:
                self._place()
        elif kind == _ROW:
            if self.row is None:
                return
            row, self.row = self.row, None
            if self.scan:
                assert self.sheet is not None
                if any(value != "" for value in row):
                    self.sheet.height = self.r + 1
                self.sheet.width = max(self.sheet.width, len(row))
                if (self.r + 1) * self.sheet.width > MAX_CELLS:  # refused before the rest is read
                    raise _Stop(_beyond(self.r + 1, self.sheet.width))
            elif self.collect is not None:
                self.collect(self.r, row)
        elif kind == _COMMENT:
            self.comment = max(self.comment - 1, 0)
        elif kind == _WORKSHEET:
            if self.sheet is not None and self.depth == 1:
                self.sheet.end = self._offset()
                self.sheet = None
        elif kind == _OPTIONS:
            self.options = False
        elif kind == _VISIBLE and self.visible is not None:
            if self.sheet is not None and "".join(self.visible).strip() in _HIDDEN:
                self.sheet.hidden = True
            self.visible = None

    def text(self, data: str) -> None:
        if self.texts is not None:
            self.chars += len(data)
            if self.chars > MAX_CELL_CHARS:
                raise _Stop(UnreadableFileError(
                    "damaged", _MSG_LONG_CELL.format(row=self.r + 1, limit=MAX_CELL_CHARS)))
            self.texts.append(data)
        elif self.visible is not None and len(self.visible) < 100:
            self.visible.append(data)

    def _offset(self) -> int:
        assert self.parser is not None
        return self.parser.CurrentByteIndex

    def _free(self, col: int) -> int:
        """``col``, or the first column after the ranges merged down from rows above that
        cover it in this row (a range that ended above is forgotten when met)."""
        spans = self.spans
        while True:
            span = spans.get(col)
            if span is None:
                return col
            last, bottom = span
            if bottom < self.r:
                del spans[col]
                return col
            col = last + 1

    def _place(self) -> None:
        assert self.row is not None and self.cell is not None
        across, down = self.cell
        self.cell = None
        row, col = self.row, self.col
        last, bottom = col + across, self.r + down
        if last >= MAX_COLUMNS or bottom >= MAX_ROWS:
            raise _Stop(_beyond(bottom + 1, last + 1))
        if len(row) < col:
            row.extend([""] * (col - len(row)))
        row.append(self.value)
        if across or down:
            row.extend([""] * across)
            if down:
                self.spans[col] = (last, bottom)
            if self.scan and self.sheet is not None:
                self.sheet.merged.append((self.r, col, bottom, last))
                self.sheet.width = max(self.sheet.width, last + 1)
        self.col = self._free(last + 1)


def _beyond(rows: int, columns: int) -> Refusal:
    """What the workbook guards say of a sheet reaching this far (beyond Excel, or too many cells)."""
    try:
        Budget().add_sheet(rows, columns)
    except Refusal as refusal:
        return refusal
    return crafted(f"有单元格位于第{rows:,}行、第{columns:,}列")  # pragma: no cover


def _forbid_dtd(*_: object) -> None:
    raise _Stop(crafted(_WHAT_DTD))


def _forbid_external(*_: object) -> int:
    raise _Stop(crafted(_WHAT_EXTERNAL))


def _parser(walker: _Walker) -> expat.XMLParserType:
    parser = expat.ParserCreate(encoding="utf-8", namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _forbid_dtd
    parser.EntityDeclHandler = _forbid_dtd
    parser.UnparsedEntityDeclHandler = _forbid_dtd
    parser.ExternalEntityRefHandler = _forbid_external
    parser.StartElementHandler = walker.start
    parser.EndElementHandler = walker.end
    parser.CharacterDataHandler = walker.text
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    walker.parser = parser
    return parser


def _pieces(chunks: list[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        for start in range(0, len(chunk), _PIECE):
            yield chunk[start:start + _PIECE]


def _steps(walker: _Walker, chunks: list[bytes], path: str | os.PathLike[str]) -> Iterator[None]:
    """Feed ``chunks`` to a fresh parser a megabyte at a time, pausing after each piece (a pass
    hands on the rows it has so far) and once more at the end."""
    parser = _parser(walker)
    try:
        for piece in segments(_pieces(chunks)):
            parser.Parse(piece, False)
            yield None
        parser.Parse(b"", True)
    except _Stop as stop:
        error = stop.error
        raise UnreadableFileError(error.code, error.message, path=path) from None
    except Refusal as refusal:
        raise UnreadableFileError(refusal.code, refusal.message, path=path) from None
    except expat.ExpatError as exc:
        raise UnreadableFileError(
            "damaged", _MSG_BROKEN.format(line=getattr(exc, "lineno", 1) or 1), path=path
        ) from None
    finally:
        walker.parser = None
        parser.StartElementHandler = parser.EndElementHandler = parser.CharacterDataHandler = None
    yield None


def _sheet_rows(document: bytes, prefix_end: int, root_end: int, info: _SheetInfo,
                path: str | os.PathLike[str]) -> Callable[[], Iterator[Row]]:
    """A pass over one worksheet: the part before the first worksheet (the root's start tag,
    styles), the worksheet's own bytes, the root's end tag."""
    chunks = [document[:max(prefix_end, 0)], document[info.start:info.end],
              document[root_end:document.find(b">", root_end) + 1]]
    height = info.height

    def rows() -> Iterator[Row]:
        done: list[tuple[int, Row]] = []
        walker = _Walker(collect=lambda r, row: done.append((r, row)))
        given = 0
        for _ in _steps(walker, chunks, path):
            for r, row in done:
                if r >= height:
                    return
                while given < r:
                    yield []
                    given += 1
                yield row
                given += 1
            done.clear()
        while given < height:
            yield []
            given += 1

    return rows
