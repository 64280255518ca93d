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

Hostile and oversized files are refused before they are parsed: only regular files (not a folder,
a pipe or a device), at most :data:`~.limits.MAX_FILE_BYTES`; a workbook whose zip or OLE
structure, sheet area, shared strings or cell lengths exceed the limits of :mod:`.limits` (see
:mod:`.guards`, which scans the file without holding it); a CSV with more rows, columns or longer
cells than Excel itself allows. CSV rows are parsed on each pass, not kept.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import cast

import python_calamine

from desktop_app.errors import UserError
from desktop_app.exchange import guards
from desktop_app.exchange.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHEET_NAME_CHARS,
)

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

_MSG_DAMAGED = guards.MSG_DAMAGED
_MSG_EMPTY_FILE = "文件是空的（0字节），可能没有下载或拷贝完整，请重新获取这个文件。"
_MSG_PASSWORD = guards.MSG_PASSWORD
_MSG_NOT_TEXT = (
    "文件不是文本格式的CSV表格，或者已经损坏，无法读取。"
    "请用Excel或WPS打开原表格，另存为“Excel工作簿(*.xlsx)”后再导入。"
)
_MSG_NO_CONTENT = "文件里没有可读取的内容：所有工作表都是空的或被隐藏了。请检查是否选错了文件。"
_MSG_MISSING = "找不到这个文件，可能已被移动、改名或删除。"
_MSG_NO_ACCESS = "没有权限读取这个文件，或者文件正被其他程序占用。请关闭Excel/WPS后再试。"
_MSG_IO = "读取文件时出错（U盘或磁盘可能有问题，或文件已被删除）。请把文件复制到电脑上再试。"
_MSG_NOT_A_FILE = (
    "选中的不是一个普通文件（可能是文件夹、快捷方式指向的设备或管道），无法导入。"
    "请选择Excel表格或CSV文件。"
)
_MSG_FORMULA_ERROR = (
    "表格里有单元格显示错误值{value}（新版Excel公式的错误），本程序无法读取含这种错误值的文件。"
    "请在Excel中找到这些单元格（可用“查找”搜索“{value}”），改正公式或把它们改成普通数值，保存后再导入。"
)


class UnreadableFileError(UserError):
    """A file that cannot be read as a table; ``message`` is plain Chinese for the user.

    ``code`` is one of ``"missing"``, ``"no_access"``, ``"not_a_file"``, ``"empty_file"``,
    ``"too_large"``, ``"unsupported"``, ``"damaged"``, ``"password"``, ``"not_text"``,
    ``"no_content"``, ``"no_header"``.
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
    data = _read_file(file_path, path)
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


def _read_file(file_path: Path, path: str | os.PathLike[str]) -> bytes:
    """The file's bytes: a regular file only (a pipe would block, /dev/zero never ends), and at
    most :data:`MAX_FILE_BYTES` of it."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        if file_path.is_dir():
            raise UnreadableFileError("not_a_file", _MSG_NOT_A_FILE, path=path)
        fd = os.open(file_path, flags)
    except (FileNotFoundError, NotADirectoryError):
        raise UnreadableFileError("missing", _MSG_MISSING, path=path) from None
    except IsADirectoryError:
        raise UnreadableFileError("not_a_file", _MSG_NOT_A_FILE, path=path) from None
    except PermissionError:
        raise UnreadableFileError("no_access", _MSG_NO_ACCESS, path=path) from None
    except (OSError, ValueError):  # a link loop, a name the system refuses, an I/O error
        raise UnreadableFileError("no_access", _MSG_IO, path=path) from None
    try:
        with open(fd, "rb", closefd=True) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UnreadableFileError("not_a_file", _MSG_NOT_A_FILE, path=path)
            if info.st_size > MAX_FILE_BYTES:
                raise UnreadableFileError("too_large", _msg_file_too_large(info.st_size), path=path)
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        raise UnreadableFileError("no_access", _MSG_IO, path=path) from None
    if len(data) > MAX_FILE_BYTES:  # it grew while we read it
        raise UnreadableFileError("too_large", _msg_file_too_large(len(data)), path=path)
    return data


def _msg_file_too_large(size: int) -> str:
    return guards.msg_too_large(
        f"文件有{size / (1 << 20):,.0f} MB，本程序一次最多读取{MAX_FILE_BYTES / (1 << 20):,.0f} MB"
    )


# --------------------------------------------------------------------------- workbooks


def _is_fatal(exc: BaseException) -> bool:
    return isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError))


_UNSUPPORTED_ERROR_VALUE = re.compile(r"Unsupported cell error value '(#[A-Z_/0!?]{1,20})'")


def _workbook_error(exc: BaseException, path: str | os.PathLike[str]) -> UnreadableFileError:
    text = str(exc)
    if isinstance(exc, python_calamine.PasswordError) or "password" in text.lower():
        return UnreadableFileError("password", _MSG_PASSWORD, path=path)
    found = _UNSUPPORTED_ERROR_VALUE.search(text)
    if found:  # #SPILL!, #CALC!, #GETTING_DATA…: calamine knows only the classic error values
        return UnreadableFileError(
            "damaged", _MSG_FORMULA_ERROR.format(value=found.group(1)), path=path
        )
    return UnreadableFileError("damaged", _MSG_DAMAGED, path=path)


def _check_workbook(data: bytes, path: str | os.PathLike[str]) -> None:
    """What calamine must never be handed (see :mod:`.guards`)."""
    try:
        if data.startswith(_OLE_MAGIC):
            guards.check_ole(data)
        else:
            guards.check_zip(data)
    except guards.Refusal as refusal:
        raise UnreadableFileError(refusal.code, refusal.message, path=path) from None


def _read_workbook(data: bytes, path: str | os.PathLike[str]) -> list[RawSheet]:
    """Open a workbook from its bytes (calamine detects xlsx/xls/xlsb/ods from the content)."""
    _check_workbook(data, path)
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
                    name=_sheet_name(meta.name),
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


def _sheet_name(name: str) -> str:
    """The sheet's name, cut to :data:`MAX_SHEET_NAME_CHARS` (Excel allows 31): it is repeated in
    every message about every row."""
    if len(name) <= MAX_SHEET_NAME_CHARS:
        return name
    return name[: MAX_SHEET_NAME_CHARS - 1] + "…"


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
    del data
    separator = _line_end(text)
    delimiter = _sniff_delimiter(text, separator)
    height = _csv_height(text, separator, delimiter, path)
    if not height:
        raise UnreadableFileError("no_content", _MSG_NO_CONTENT, path=path)

    def rows() -> Iterator[Row]:
        reader = csv.reader(_lines(text, separator), delimiter=delimiter)
        return islice(cast("Iterator[Row]", reader), height)

    return RawSheet(
        name=name,
        index=0,
        source_format="csv",
        height=height,
        merged=None,
        encoding=encoding,
        delimiter=delimiter,
        _rows_factory=rows,
    )


_LINES_CHUNK = 1 << 20
_ANY_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _line_end(text: str) -> str | None:
    """"\n" (also for CR LF), "\r" (an old Mac's files), or None when both kinds are mixed."""
    returns = text.count("\r")
    if not returns or returns == text.count("\r\n"):
        return "\n"
    return "\r" if "\n" not in text else None


def _lines(text: str, separator: str | None) -> Iterator[str]:
    """The lines of ``text`` with their ends, a megabyte at a time (``io.StringIO`` would copy the
    whole text at four bytes a character; ``splitlines`` also splits at characters that are not
    line ends in a CSV). With no single separator, lines end at CR LF, CR or LF, as
    ``io.StringIO(text, newline="")`` would split them."""
    if separator is None:
        yield from (match.group() for match in _ANY_LINE.finditer(text))
        return
    start, end = 0, len(text)
    while start < end:
        stop = text.rfind(separator, start, start + _LINES_CHUNK) + 1
        if stop <= start:  # a line longer than the chunk
            stop = text.find(separator, start + _LINES_CHUNK) + 1 or end
        lines = text[start:stop].split(separator)
        last = lines.pop()
        for line in lines:
            yield line + separator
        if last:
            yield last
        start = stop


def _csv_height(
    text: str, separator: str | None, delimiter: str, path: str | os.PathLike[str]
) -> int:
    """Rows up to the last non-blank one, after checking every row against Excel's limits (a
    CSV may claim anything; the rows are parsed again on each pass, never kept)."""
    height = 0
    reader = csv.reader(_lines(text, separator), delimiter=delimiter)
    index = 0
    try:
        for index, row in enumerate(reader, start=1):
            if not row:
                continue
            if len(row) > MAX_COLUMNS:
                raise UnreadableFileError("too_large", guards.msg_too_large(
                    f"第{index:,}行有{len(row):,}列，Excel表格最多{MAX_COLUMNS:,}列"), path=path)
            if max(map(len, row)) > MAX_CELL_CHARS:
                raise UnreadableFileError("damaged", _msg_long_cell(index), path=path)
            if "".join(row).strip():
                height = index
                if height > MAX_ROWS:
                    raise UnreadableFileError("too_large", guards.msg_too_large(
                        f"超过了{MAX_ROWS:,}行（Excel表格的最大行数）"), path=path)
    except csv.Error as exc:  # a field beyond csv's own limit (131,072)
        message = _msg_long_cell(index + 1) if "larger" in str(exc) else _MSG_CSV_DAMAGED.format(
            row=index + 1)
        raise UnreadableFileError("damaged", message, path=path) from None
    return height


_MSG_CSV_DAMAGED = (
    "CSV文件第{row:,}行附近格式有误，无法读取。请用Excel或WPS打开这个文件检查，"
    "另存为“Excel工作簿(*.xlsx)”后再导入。"
)


def _msg_long_cell(row: int) -> str:
    return (
        f"第{row:,}行附近有一个单元格超过了{MAX_CELL_CHARS:,}个字符（Excel允许的最大长度），"
        "通常是某处的英文引号\"没有配对，使后面的内容都连成了一格。"
        "请用Excel或WPS打开这个文件检查，另存为“Excel工作簿(*.xlsx)”后再导入。"
    )


_MSG_MIXED_ENCODING = (
    "文件的编码前后不一致：前面是UTF-8，从第{line:,}行起却不是（可能是两个文件拼在了一起，"
    "或中途被别的软件改过），读出来会是乱码，无法导入。请用WPS或记事本打开，"
    "另存为“UTF-8”编码或Excel工作簿后再导入。"
)


def _decode_text(data: bytes, path: str | os.PathLike[str]) -> tuple[str, str]:
    """Decode CSV bytes: UTF-32/UTF-16 by their BOM, UTF-16 without a BOM by its zero bytes,
    else strict UTF-8 (BOM optional), else GB18030. A file that is UTF-8 for a while and then
    not is refused: both decodings would give mojibake somewhere."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        candidates: tuple[str, ...] = ("utf-32",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif b"\x00" in data[:65536] and _utf16_without_bom(data):
        candidates = (_utf16_without_bom(data) or "utf-16-le",)
    else:
        body = data.removeprefix(codecs.BOM_UTF8)
        try:
            return _checked(body.decode("utf-8"), "utf-8-sig", path)
        except UnicodeDecodeError as exc:
            valid = body[:exc.start].decode("utf-8", "ignore")
            if sum(1 for ch in valid[-4096:] if ord(ch) > 0x7F) >= 8:
                line = body[:exc.start].count(b"\n") + 1
                raise UnreadableFileError(
                    "not_text", _MSG_MIXED_ENCODING.format(line=line), path=path
                ) from None
            data = body
        candidates = ("gb18030",)
    for candidate in candidates:
        try:
            return _checked(data.decode(candidate), candidate, path)
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError("not_text", _MSG_NOT_TEXT, path=path)


def _checked(text: str, encoding: str, path: str | os.PathLike[str]) -> tuple[str, str]:
    if not _looks_like_text(text):
        raise UnreadableFileError("not_text", _MSG_NOT_TEXT, path=path)
    return text, encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the zero bytes say so (ASCII digits, commas and line ends
    have a zero high byte), else None."""
    sample = data[:65536]
    half = max(len(sample) // 2, 1)
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > half // 5 and even < half // 50:
        return "utf-16-le"
    if even > half // 5 and odd < half // 50:
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    """False for binary content that happened to decode (NULs, many control characters)."""
    if "\x00" in text:
        return False
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\x0c")
    return controls <= len(sample) // 1000


def _sniff_delimiter(text: str, separator: str | None = "\n") -> str:
    """The delimiter among comma, tab and semicolon that splits the first lines best.

    Title rows have a single field; the delimiter that gives the header and data rows the most
    fields, consistently, wins. Ties go to the comma.
    """
    lines = [
        line[:65536] for line in islice(_lines(text, separator), _SNIFF_LINES * 2) if line.strip()
    ]
    lines = lines[:_SNIFF_LINES]
    best, best_score = ",", -1
    for delimiter in _CSV_DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            counts = []
        multi = [n for n in counts if n > 1]
        if not multi:
            score = 0
        else:
            modal = max(set(multi), key=multi.count)
            score = multi.count(modal) * modal
        if score > best_score:
            best, best_score = delimiter, score
    return best
