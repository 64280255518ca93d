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

from desktop_app.exchange.reading import child, chunks
from desktop_app.exchange.reading.chunks import (
    SheetParts,
    _Package,
    _stream,
    iter_xlsx_rows,
    sheet_parts,
)
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
#: Whether a pass over a chunked sheet's rows is read in a child process (:mod:`.child`), on
#: another core; read at each call (tests and benchmarks set it).
IN_CHILD: bool = True

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
        rows, head = _rows(data, str(path), index, last_row, last_col)
        return RawSheet(name=name, index=index, source_format="xlsx", height=last_row,
                        merged=merged,
                        _rows_factory=rows, _head_factory=head)

    return read_workbook(data, path, checked=True, large=large)


def padded(data: bytes, path: str, index: int, height: int, width: int, *,
           threaded: bool = True, parts: SheetParts | None = None) -> Iterator[Row]:
    """The sheet's rows as the whole-sheet read gives them: every row from 1 to ``height``, each
    ``width`` cells wide (empty rows where the file has none)."""
    done = 0  # rows yielded so far
    for number, row in iter_xlsx_rows(data, path, index, chunks.CHUNK_ROWS, checked=True,
                                      chunk_bytes=chunks.CHUNK_BYTES, threaded=threaded,
                                      parts=parts):
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


def _rows(data: bytes, path: str, index: int, height: int,
               width: int) -> tuple[Callable[[], Iterator[Row]], Callable[[], Iterator[Row]]]:
    """(rows, head) factories of a chunked sheet: a pass over every row is read in a child
    process when :data:`IN_CHILD` and the platform allow (:mod:`.child`), in process otherwise;
    the head (a few rows for header detection) always in process. In process, the sheet's parts
    are found at the first pass and kept for the next."""
    found: list[SheetParts] = []

    def in_process() -> Iterator[Row]:
        if not found:
            found.append(sheet_parts(data, path, index))
        return padded(data, path, index, height, width, parts=found[0])

    if IN_CHILD and child.available():
        return child.factory(data, path, index, height, width, in_process), in_process
    return in_process, in_process


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
        keep = text[-64:]
        if b"sheetData" not in text:  # a plain search (memchr speed), not the regex at every "<"
            continue
        end = _SHEET_DATA_END.search(text)
        if end:
            tail = text[end.end():]
            found = True
    ranges = []
    for c0, r0, c1, r1 in _MERGE_CELL.findall(tail):
        first = (int(r0) - 1, _column(c0))
        last = (int(r1) - 1, _column(c1)) if c1 else first
        ranges.append((*first, *last))
    return tuple(ranges)
