"""Reading the spreadsheets counties send: .xlsx, .xls, .ods (and .xlsb) through python-calamine,
and CSV in UTF-8 (with or without BOM), GB18030 or UTF-16 (DOMAIN.md section 8).

:func:`read_tables` returns one :class:`RawSheet` per visible, non-empty sheet. Cell values are
kept exactly as calamine gives them (``str``, ``int``, ``float``, ``bool``, ``date``,
``datetime``, ``time``, ``timedelta``; an empty cell is ``""``), so that a defect such as "Excel
stored the ID number as a number" (a float like ``4.30102199001011e+17``) stays detectable by
the cell parsers. CSV cells are always ``str``, and so are an HTML table's.

The format is decided by the file's content, not its name: a real .xlsx that someone renamed
.xls still opens. Text content is read as CSV only when the name says CSV (``.csv``, ``.txt``,
``.tsv``); a text file named ``.xlsx`` is refused, because the person meant to send a workbook,
unless it is a web platform's HTML table or XML Spreadsheet 2003 (below).

Anything that cannot be read raises :class:`UnreadableFileError` whose ``message`` is plain
Chinese for a village doctor; ``code`` tells the program which case it was.

Hostile and oversized files are refused before they are parsed: only regular files (not a folder,
a pipe or a device), at most :data:`~.limits.MAX_FILE_BYTES`; a workbook whose zip or OLE
structure, sheet area, shared strings or cell lengths exceed the limits of :mod:`.limits` (see
:mod:`.guards`, which scans the file without holding it); a CSV with more rows, columns or longer
cells than Excel itself allows. CSV rows are parsed on each pass, not kept.

Web platforms hand out ".xls" files that are really an HTML table or an XML Spreadsheet 2003
document (DOMAIN.md section 10): text named like a workbook is read as one of those when its
start says so, with the same limits (and no entity expansion, no DTD); other text named like a
workbook is refused as damaged.

One module per format, each giving :class:`RawSheet` objects: :mod:`.workbook` (calamine's
formats), :mod:`.delimited` (CSV, decoded by :mod:`.decoding`), :mod:`.html_table` and
:mod:`.spreadsheet_xml` (the web platforms' files); :mod:`.files` reads the bytes and
:mod:`.sheet` has what they share. :func:`read_tables` decides which reader a file goes to.
"""

from __future__ import annotations

import os
from pathlib import Path

from desktop_app.exchange import guards
from desktop_app.exchange.reading.delimited import read_csv
from desktop_app.exchange.reading.files import read_file
from desktop_app.exchange.reading.html_table import looks_like_html, read_html_table
from desktop_app.exchange.reading.large import read_workbook_chunked
from desktop_app.exchange.reading.sheet import (
    MSG_NO_CONTENT,
    Cell,
    RawSheet,
    Row,
    UnreadableFileError,
)
from desktop_app.exchange.reading.spreadsheet_xml import (
    looks_like_spreadsheet_xml,
    read_spreadsheet_xml,
)
from desktop_app.exchange.reading.workbook import OLE_MAGIC, ZIP_MAGIC

__all__ = [
    "TEXT_SUFFIXES",
    "WORKBOOK_SUFFIXES",
    "Cell",
    "RawSheet",
    "Row",
    "UnreadableFileError",
    "read_tables",
]

#: Extensions read as workbooks (the content decides which kind).
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et"})
#: Extensions read as delimited text.
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})

_MSG_DAMAGED = guards.MSG_DAMAGED
_MSG_EMPTY_FILE = "文件是空的（0字节），可能没有下载或拷贝完整，请重新获取这个文件。"


def read_tables(path: str | os.PathLike[str]) -> list[RawSheet]:
    """Every visible, non-empty sheet of the file at ``path``, in workbook order.

    Hidden and "very hidden" sheets are left out, and so are sheets with no cell at all.
    A CSV gives one sheet named after the file (without extension).

    Raises :class:`UnreadableFileError` when the file is missing, empty, damaged, protected by a
    password, not a spreadsheet at all, or has no visible sheet with content.
    """
    file_path = Path(path)
    data = read_file(file_path, path)
    if not data:
        raise UnreadableFileError("empty_file", _MSG_EMPTY_FILE, path=path)

    suffix = file_path.suffix.lower()
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        sheets = read_workbook_chunked(data, path)
    elif suffix in TEXT_SUFFIXES:
        sheets = [read_csv(data, file_path.stem or "Sheet1", path)]
    elif suffix in WORKBOOK_SUFFIXES:
        # text named like a workbook: a web platform's HTML table or XML Spreadsheet 2003
        if looks_like_spreadsheet_xml(data):
            sheets = read_spreadsheet_xml(data, path)
        elif looks_like_html(data):
            sheets = read_html_table(data, file_path.stem or "Sheet1", path)
        else:
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
        raise UnreadableFileError("no_content", MSG_NO_CONTENT, path=path)
    return sheets
