"""Workbooks through python-calamine: .xlsx, .xlsm, .xls, .xlsb, .ods (calamine tells them apart
by their content). The file's structure is checked by :mod:`desktop_app.exchange.guards` first."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator

import python_calamine

from desktop_app.exchange import guards
from desktop_app.exchange.limits import MAX_SHEET_NAME_CHARS
from desktop_app.exchange.reading.sheet import RawSheet, Row, UnreadableFileError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_MSG_DAMAGED = guards.MSG_DAMAGED
_MSG_PASSWORD = guards.MSG_PASSWORD
_MSG_FORMULA_ERROR = (
    "表格里有单元格显示错误值{value}（新版Excel公式的错误），本程序无法读取含这种错误值的文件。"
    "请在Excel中找到这些单元格（可用“查找”搜索“{value}”），改正公式或把它们改成普通数值，保存后再导入。"
)


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


def _check_workbook(data: bytes, path: str | os.PathLike[str]) -> dict[str, tuple[int, int]]:
    """What calamine must never be handed (see :mod:`.guards`); each .xlsx sheet part's extent."""
    try:
        if data.startswith(OLE_MAGIC):
            guards.check_ole(data)
            return {}
        return guards.check_zip(data)
    except guards.Refusal as refusal:
        raise UnreadableFileError(refusal.code, refusal.message, path=path) from None


#: Makes the sheet at an index (name given) read another way than whole by calamine, or None.
LargeSheet = Callable[[int, str], "RawSheet | None"]


def read_workbook(data: bytes, path: str | os.PathLike[str], *, checked: bool = False,
                  large: LargeSheet | None = None) -> list[RawSheet]:
    """Open a workbook from its bytes (calamine detects xlsx/xls/xlsb/ods from the content).

    ``checked``: the guards already passed the bytes. ``large`` gives the sheets calamine must not
    load whole (see :mod:`.large`)."""
    if not checked:
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
            chunked = large(index, _sheet_name(meta.name)) if large is not None else None
            if chunked is not None:
                sheets.append(chunked)
                continue
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
    if data.startswith(OLE_MAGIC):
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
