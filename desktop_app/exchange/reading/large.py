"""A big .xlsx sheet as a :class:`.RawSheet` read in chunks (:mod:`.chunks`), so that calamine
never holds the whole sheet: above :data:`CHUNKED_PART_BYTES` of sheet XML (uncompressed).

The rows are those the whole-sheet read gives: empty rows where the file has none, every row as
wide as the sheet, ``height`` and width from the guard's scan of the part (which replays
calamine's positioning), merged ranges read from the part's tail (after ``</sheetData>``).
Other formats, and smaller sheets, go to calamine whole (:func:`.workbook.read_workbook`).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator

from desktop_app.exchange.reading import chunks
from desktop_app.exchange.reading.chunks import _Package, _stream, iter_xlsx_rows
from desktop_app.exchange.reading.sheet import RawSheet, Row
from desktop_app.exchange.reading.workbook import (
    OLE_MAGIC,
    _check_workbook,
    _is_fatal,
    _workbook_error,
    _workbook_format,
    read_workbook,
)

#: Sheet XML (uncompressed) above which a sheet is read in chunks: about 25,000 rows of a
#: 20-column roster. Read at each call (tests set it to 0 and to infinity).
CHUNKED_PART_BYTES: float = 32 << 20

_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData\s*>|<(?:\w+:)?sheetData(?:\s[^>]*)?/>")
_MERGE_CELL = re.compile(
    rb"""<(?:\w+:)?mergeCell\s[^>]*?\bref\s*=\s*["']\s*([A-Za-z]{1,3})([0-9]{1,7})"""
    rb"""(?::([A-Za-z]{1,3})([0-9]{1,7}))?\s*["']""")


def read_workbook_chunked(data: bytes, path: str | os.PathLike[str]) -> list[RawSheet]:
    """:func:`.workbook.read_workbook`, with the .xlsx sheets above the threshold read in chunks."""
    if data.startswith(OLE_MAGIC) or _workbook_format(data) != "xlsx":
        return read_workbook(data, path)
    extents = _check_workbook(data, path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        package = _Package(archive)
        sizes = {info.filename: info.file_size for info in archive.infolist()}
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        return read_workbook(data, path, checked=True)  # calamine says what is wrong, as before

    def large(index: int, name: str) -> RawSheet | None:
        if index >= len(package.sheets):
            return None
        kind, part = package.sheets[index]
        last_row, last_col = extents.get(part, (0, 0))
        if (kind != b"worksheet" or not last_row or part not in sizes
                or sizes[part] <= CHUNKED_PART_BYTES):
            return None
        try:
            merged = _merged_ranges(archive, part)
        except BaseException as exc:
            if _is_fatal(exc):
                raise
            raise _workbook_error(exc, path) from exc
        return RawSheet(name=name, index=index, source_format="xlsx", height=last_row,
                        merged=merged,
                        _rows_factory=_rows(data, str(path), index, last_row, last_col))

    return read_workbook(data, path, checked=True, large=large)


def _rows(data: bytes, path: str, index: int, height: int,
          width: int) -> Callable[[], Iterator[Row]]:
    def rows() -> Iterator[Row]:
        done = 0  # rows yielded so far
        for number, row in iter_xlsx_rows(data, path, index, chunks.CHUNK_ROWS, checked=True,
                                          chunk_bytes=chunks.CHUNK_BYTES):
            while done < number - 1:
                yield [""] * width
                done += 1
            if len(row) < width:
                row.extend([""] * (width - len(row)))
            yield row
            done += 1
        while done < height:
            yield [""] * width
            done += 1

    return rows


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number - 1


def _merged_ranges(archive: zipfile.ZipFile, part: str) -> tuple[tuple[int, int, int, int], ...]:
    """``<mergeCell ref="A1:T1"/>`` after ``</sheetData>``, as calamine gives them (0-based)."""
    tail = b""
    keep = b""
    found = False
    for piece in _stream(archive, part):
        if found:
            tail += piece
            continue
        text = keep + piece
        end = _SHEET_DATA_END.search(text)
        if end:
            tail = text[end.end():]
            found = True
        else:
            keep = text[-64:]
    ranges = []
    for c0, r0, c1, r1 in _MERGE_CELL.findall(tail):
        first = (int(r0) - 1, _column(c0))
        last = (int(r1) - 1, _column(c1)) if c1 else first
        ranges.append((*first, *last))
    return tuple(ranges)
