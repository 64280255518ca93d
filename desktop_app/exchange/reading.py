"""Reading the spreadsheets counties send: .xlsx, .xls, .ods (and .xlsb) through python-calamine,
and CSV in UTF-8 (with or without BOM), GB18030 or UTF-16 (DOMAIN.md section 8).

:func:`read_tables` returns one :class:`RawSheet` per visible, non-empty sheet. Cell values are
kept exactly as calamine gives them (``str``, ``int``, ``float``, ``bool``, ``date``,
``datetime``, ``time``, ``timedelta``; an empty cell is ``""``), so that a defect such as "Excel
stored the ID number as a number" (a float like ``4.30102199001011e+17``) stays detectable by
the cell parsers. CSV cells are always ``str``.

The format is decided by the file's content, not its name: a real .xlsx that someone renamed
.xls still opens. Text content is read as CSV only when the name says CSV (``.csv``, ``.txt``,
``.tsv``); a text file named ``.xlsx`` is refused, because the person meant to send a workbook.

Anything that cannot be read raises :class:`UnreadableFileError` whose ``message`` is plain
Chinese for a village doctor; ``code`` tells the program which case it was.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import cast

import python_calamine

#: A cell as read: what calamine gives, or ``str`` from a CSV. Empty cells are ``""``.
Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta
Row = list[Cell]

#: Extensions read as workbooks (the content decides which kind).
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et"})
#: Extensions read as delimited text.
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CSV_DELIMITERS = (",", "\t", ";")
_SNIFF_LINES = 30

_MSG_DAMAGED = (
    "文件已损坏或不是Excel表格，无法读取。请用Excel或WPS打开这个文件，"
    "另存为“Excel工作簿(*.xlsx)”后再导入；如果打不开，请向发文件的人重新要一份。"
)
_MSG_EMPTY_FILE = "文件是空的（0字节），可能没有下载或拷贝完整，请重新获取这个文件。"
_MSG_PASSWORD = "文件设置了打开密码，无法读取。请在Excel或WPS中取消密码、保存后再导入。"
_MSG_NOT_TEXT = (
    "文件不是文本格式的CSV表格，或者已经损坏，无法读取。"
    "请用Excel或WPS打开原表格，另存为“Excel工作簿(*.xlsx)”后再导入。"
)
_MSG_NO_CONTENT = "文件里没有可读取的内容：所有工作表都是空的或被隐藏了。请检查是否选错了文件。"
_MSG_MISSING = "找不到这个文件，可能已被移动、改名或删除。"
_MSG_NO_ACCESS = "没有权限读取这个文件，或者文件正被其他程序占用。请关闭Excel/WPS后再试。"


class UnreadableFileError(Exception):
    """A file that cannot be read as a table; ``message`` is plain Chinese for the user.

    ``code`` is one of ``"missing"``, ``"no_access"``, ``"empty_file"``, ``"unsupported"``,
    ``"damaged"``, ``"password"``, ``"not_text"``, ``"no_content"``, ``"no_header"``.
    """

    def __init__(self, code: str, message: str, *, path: str | os.PathLike[str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = None if path is None else str(path)


@dataclass(frozen=True)
class RawSheet:
    """One sheet of a file, cells untouched.

    Row ``i`` of :meth:`rows` is spreadsheet row ``i + 1`` (as Excel shows it) and column ``j``
    is spreadsheet column ``j`` (0 = A), whatever empty area lies before the data.
    """

    name: str
    #: Position among all sheets of the workbook (hidden ones counted), 0 for a CSV.
    index: int
    #: ``"xlsx"``, ``"xls"``, ``"ods"``, ``"xlsb"`` or ``"csv"``.
    source_format: str
    #: Number of rows :meth:`rows` yields (the last non-empty spreadsheet row).
    height: int
    #: Merged ranges as ``(first_row, first_col, last_row, last_col)``, 0-based and inclusive;
    #: ``None`` when the format does not say (CSV, ODS).
    merged: tuple[tuple[int, int, int, int], ...] | None
    #: The encoding a CSV was decoded with (``"utf-8-sig"``, ``"gb18030"``, ``"utf-16"``).
    encoding: str | None = None
    #: The delimiter a CSV was split on.
    delimiter: str | None = None
    _rows_factory: Callable[[], Iterator[Row]] = field(default=lambda: iter(()), repr=False)

    def rows(self, start: int = 0) -> Iterator[Row]:
        """Rows from 0-based index ``start`` on; each call starts a fresh pass over the sheet.

        Rows are lists that may be shorter than the widest row (CSV); never rely on their length.
        """
        rows = self._rows_factory()
        return islice(rows, start, None) if start else rows

    def head(self, count: int = 20) -> list[Row]:
        """The first ``count`` rows (what header detection looks at)."""
        return list(islice(self._rows_factory(), count))


def read_tables(path: str | os.PathLike[str]) -> list[RawSheet]:
    """Every visible, non-empty sheet of the file at ``path``, in workbook order.

    Hidden and "very hidden" sheets are left out, and so are sheets with no cell at all.
    A CSV gives one sheet named after the file (without extension).

    Raises :class:`UnreadableFileError` when the file is missing, empty, damaged, protected by a
    password, not a spreadsheet at all, or has no visible sheet with content.
    """
    file_path = Path(path)
    try:
        with open(file_path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise UnreadableFileError("missing", _MSG_MISSING, path=path) from None
    except IsADirectoryError:
        raise UnreadableFileError("missing", _MSG_MISSING, path=path) from None
    except PermissionError:
        raise UnreadableFileError("no_access", _MSG_NO_ACCESS, path=path) from None
    if not data:
        raise UnreadableFileError("empty_file", _MSG_EMPTY_FILE, path=path)

    suffix = file_path.suffix.lower()
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        sheets = _read_workbook(data, path)
    elif suffix in TEXT_SUFFIXES:
        sheets = [_read_csv(data, file_path.stem or "Sheet1", path)]
    elif suffix in WORKBOOK_SUFFIXES:
        raise UnreadableFileError("damaged", _MSG_DAMAGED, path=path)
    else:
        shown = suffix or "（无扩展名）"
        raise UnreadableFileError(
            "unsupported",
            f"不支持这种文件（{shown}）。请导入Excel表格（.xlsx、.xls）、"
            "WPS或LibreOffice表格（.ods），或CSV文件。",
            path=path,
        )
    if not sheets:
        raise UnreadableFileError("no_content", _MSG_NO_CONTENT, path=path)
    return sheets


# --------------------------------------------------------------------------- workbooks


def _is_fatal(exc: BaseException) -> bool:
    return isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError))


def _workbook_error(exc: BaseException, path: str | os.PathLike[str]) -> UnreadableFileError:
    if isinstance(exc, python_calamine.PasswordError) or "password" in str(exc).lower():
        return UnreadableFileError("password", _MSG_PASSWORD, path=path)
    return UnreadableFileError("damaged", _MSG_DAMAGED, path=path)


def _read_workbook(data: bytes, path: str | os.PathLike[str]) -> list[RawSheet]:
    """Open a workbook from its bytes (calamine detects xlsx/xls/xlsb/ods from the content)."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as exc:  # calamine raises CalamineError, or a pyo3 panic on odd files
        if _is_fatal(exc):
            raise
        raise _workbook_error(exc, path) from exc
    source_format = _workbook_format(data)
    sheets: list[RawSheet] = []
    try:
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.visible != python_calamine.SheetVisibleEnum.Visible:
                continue
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # chart sheets and macro sheets hold no rows
            sheet = workbook.get_sheet_by_name(meta.name)
            end = sheet.end
            start = sheet.start
            if end is None or start is None:
                continue  # no cell at all
            sheets.append(
                RawSheet(
                    name=meta.name,
                    index=index,
                    source_format=source_format,
                    height=end[0] + 1,
                    merged=_merged_ranges(sheet),
                    _rows_factory=_calamine_rows(sheet, start[1]),
                )
            )
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        raise _workbook_error(exc, path) from exc
    finally:
        workbook.close()  # the sheets keep their own copy of the cells
    return sheets


def _workbook_format(data: bytes) -> str:
    if data.startswith(_OLE_MAGIC):
        return "xls"
    head = data[:4096]
    if b"mimetypeapplication/vnd.oasis.opendocument" in head:
        return "ods"
    if b"xl/workbook.bin" in data[-65536:] or b"xl/workbook.bin" in head:
        return "xlsb"
    return "xlsx"


def _merged_ranges(
    sheet: python_calamine.CalamineSheet,
) -> tuple[tuple[int, int, int, int], ...] | None:
    try:
        ranges = sheet.merged_cell_ranges
    except BaseException as exc:  # not supported by every format / version
        if _is_fatal(exc):
            raise
        return None
    if ranges is None:
        return None
    return tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges)


def _calamine_rows(
    sheet: python_calamine.CalamineSheet, first_col: int
) -> Callable[[], Iterator[Row]]:
    """Rows as Excel numbers them.

    calamine's ``iter_rows`` yields empty rows for the spreadsheet rows above the data (so row
    indexes are already absolute) but starts each row at the first used column; pad those.
    """
    if not first_col:
        return sheet.iter_rows
    pad: Row = [""] * first_col

    def padded() -> Iterator[Row]:
        for row in sheet.iter_rows():
            yield pad + row

    return padded


# --------------------------------------------------------------------------- CSV


def _read_csv(data: bytes, name: str, path: str | os.PathLike[str]) -> RawSheet:
    text, encoding = _decode_text(data, path)
    delimiter = _sniff_delimiter(text)
    text_rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    while text_rows and not any(cell.strip() for cell in text_rows[-1]):
        text_rows.pop()
    if not text_rows:
        raise UnreadableFileError("no_content", _MSG_NO_CONTENT, path=path)
    return RawSheet(
        name=name,
        index=0,
        source_format="csv",
        height=len(text_rows),
        merged=None,
        encoding=encoding,
        delimiter=delimiter,
        _rows_factory=lambda: iter(cast("list[Row]", text_rows)),
    )


def _decode_text(data: bytes, path: str | os.PathLike[str]) -> tuple[str, str]:
    """Decode CSV bytes: UTF-16 by its BOM, else strict UTF-8 (BOM optional), else GB18030."""
    text: str | None = None
    encoding = ""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "gb18030")
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        encoding = candidate
        break
    if text is None or not _looks_like_text(text):
        raise UnreadableFileError("not_text", _MSG_NOT_TEXT, path=path)
    return text, encoding


def _looks_like_text(text: str) -> bool:
    """False for binary content that happened to decode (NULs, many control characters)."""
    if "\x00" in text:
        return False
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\x0c")
    return controls <= len(sample) // 1000


def _sniff_delimiter(text: str) -> str:
    """The delimiter among comma, tab and semicolon that splits the first lines best.

    Title rows have a single field; the delimiter that gives the header and data rows the most
    fields, consistently, wins. Ties go to the comma.
    """
    lines = [
        line for line in islice(io.StringIO(text, newline=""), _SNIFF_LINES * 2) if line.strip()
    ]
    lines = lines[:_SNIFF_LINES]
    best, best_score = ",", -1
    for delimiter in _CSV_DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        multi = [n for n in counts if n > 1]
        if not multi:
            score = 0
        else:
            modal = max(set(multi), key=multi.count)
            score = multi.count(modal) * modal
        if score > best_score:
            best, best_score = delimiter, score
    return best
