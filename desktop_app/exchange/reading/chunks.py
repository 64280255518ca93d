"""One .xlsx sheet read in pieces: the sheet XML streamed out of the zip, cut at ``<row>``
boundaries into chunk workbooks of a few thousand rows, each proven by the guards and then parsed
by calamine, so that calamine never holds more than one chunk (it has no streaming reader).

Each chunk is a minimal package: content types, the workbook (one sheet; ``date1904`` carried),
the source's styles part (number formats tell dates), and the sheet's head up to
``<sheetData>`` (without ``<dimension>``, which calamine would reserve cells for), the chunk's rows
and ``</sheetData></worksheet>``. Shared-string cells (``t="s"``) are rewritten to inline strings
while cutting (``<si>`` and ``<is>`` hold the same rich text), so no chunk needs the shared-strings
part; a chunk with a shared-string cell written any other way gets the whole part instead.
The source file is proven by the guards first, as by :func:`.workbook.read_workbook`.

Rows keep the file's own numbers (the ``r`` attributes are left as written). Not carried: merged
ranges (after ``</sheetData>``) and hidden-sheet selection, which the caller decides by index.
"""

from __future__ import annotations

import io
import posixpath
import queue
import re
import threading
import zipfile
from collections.abc import Iterator
from itertools import repeat
from operator import add

import python_calamine

from desktop_app.exchange.reading.sheet import Row, UnreadableFileError
from desktop_app.exchange.reading.workbook import (
    _check_workbook,
    _is_fatal,
    _workbook_error,
)

#: Most rows per chunk workbook.
CHUNK_ROWS = 20_000
#: Sheet XML per chunk workbook: a chunk is cut at the first row boundary past this many bytes
#: (about 1,200 rows of a 20-column roster). Big chunks measured worse than the whole sheet
#: (20,000 rows: 359 MB peak at 100k rows against 260 MB whole); small ones keep calamine's
#: per-chunk memory small.
CHUNK_BYTES = 3 << 19
_PIECE = 1 << 20

_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_WORKBOOK_PR = re.compile(rb"<(?:\w+:)?workbookPr\s[^>]*>")
_SHEET_DATA = re.compile(rb"<((?:\w+:)?)sheetData(\s[^>]*)?(/?)>")
_ROOT = re.compile(rb"<((?:\w+:)?)worksheet[\s>]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*/>")
_SHARED_CELL = re.compile(rb'<c((?:\s+[a-z]+="[^"]*")*?)\s+t="s"((?:\s+[a-z]+="[^"]*")*)><v>([0-9]+)</v></c>')
# a t="s" not inlined (or any attribute ending in t with the value s: the part is then carried,
# which is never wrong); a literal first, not \s, so the search stops only at "t"
_LEFT_SHARED = re.compile(rb"""t\s*=\s*["']\s*s\s*["']""")
_TAG_END = frozenset(b" \t\r\n/>")
# a shared-string cell as every known writer writes it: t="s" last, the index its only content
_SHARED_TAIL = re.compile(rb' t="s"><v>([0-9]{1,9})</v></c>')
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']\s*([0-9]+)""")
_CELL_OPEN = (b"<c ", b"<c\t", b"<c\n", b"<c\r")
_SI = re.compile(rb"<si>(.*?)</si>", re.DOTALL)

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _workbook_rels(shared: bool) -> bytes:
    rels = (b'<Relationship Id="rId1" Type="' + _REL + b'worksheet" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Type="' + _REL + b'styles" Target="styles.xml"/>')
    if shared:
        rels += b'<Relationship Id="rId3" Type="' + _REL + b'sharedStrings" Target="sharedStrings.xml"/>'
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + rels + b"</Relationships>")


def _workbook_xml(date1904: bool) -> bytes:
    pr = b'<workbookPr date1904="1"/>' if date1904 else b""
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            + pr + b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    found = {}
    for name, double, single in _ATTR.findall(tag):
        found[name.split(b":")[-1] if not name.startswith(b"xmlns") else name] = double or single
    return found


class _Package:
    """Where the source's parts are (from workbook.xml and its relationships)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        names = set(archive.namelist())
        workbook = "xl/workbook.xml"
        rels = "xl/_rels/workbook.xml.rels"
        if workbook not in names or rels not in names:
            raise KeyError(workbook)
        book = archive.read(workbook)
        targets: dict[bytes, tuple[bytes, str]] = {}
        for tag in _REL_TAG.findall(archive.read(rels)):
            attrs = _attrs(tag)
            target = attrs.get(b"Target", b"").decode()
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[attrs.get(b"Id", b"")] = (attrs.get(b"Type", b"").rsplit(b"/", 1)[-1], path)
        self.sheets = [targets.get(_attrs(tag).get(b"id", b""), (b"", ""))
                       for tag in _SHEET_TAG.findall(book)]
        self.styles = next((p for kind, p in targets.values() if kind == b"styles"), None)
        self.shared = next((p for kind, p in targets.values() if kind == b"sharedStrings"), None)
        pr = _WORKBOOK_PR.search(book)
        self.date1904 = bool(pr) and _attrs(pr.group(0)).get(b"date1904") in (b"1", b"true")


def _stream(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    with archive.open(name) as part:
        while piece := part.read(_PIECE):
            yield piece


def _shared_strings(archive: zipfile.ZipFile, name: str) -> list[bytes] | None:
    """Each ``<si>``'s inner XML, or None when the part is written in a way this does not split
    (prefixed tags, ``<si/>``, attributes on ``<si>``): the part is then carried whole."""
    items: list[bytes] = []
    rest = b""
    for piece in _stream(archive, name):
        text = rest + piece
        end = text.rfind(b"</si>")
        if end < 0:
            rest = text
            continue
        end += 5
        found = _SI.findall(text, 0, end)
        if len(found) != text.count(b"<si", 0, end):
            return None
        items.extend(found)
        rest = text[end:]
    if b"<si" in rest or b":si" in rest:
        return None
    return items


class SheetParts:
    """What every pass over one sheet of the source needs, found once: the archive, the sheet's
    part, the styles part and the shared strings (read at the first pass, then kept: a second
    pass, the header's look and then the rows, does not parse them again)."""

    def __init__(self, data: bytes, sheet_index: int) -> None:
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        package = _Package(self.archive)
        kind, self.sheet_part = package.sheets[sheet_index]
        if kind != b"worksheet":
            raise KeyError(self.sheet_part)
        self.date1904 = package.date1904
        self.styles = self.archive.read(package.styles) if package.styles else None
        self.shared_part = package.shared
        self._strings: list[bytes] | None | bool = False  # False: not read yet
        self._shared_whole: bytes | None = None

    def strings(self) -> list[bytes] | None:
        """Each shared string as the tail of an inline-string cell (see :func:`_inline`), [] when
        there is no shared-strings part, None when it is carried whole."""
        if self._strings is False:
            found = _shared_strings(self.archive, self.shared_part) if self.shared_part else []
            self._strings = None if found is None else [
                b' t="inlineStr"><is>' + item + b"</is></c>" for item in found]
        return self._strings  # type: ignore[return-value]

    def shared_whole(self) -> bytes | None:
        """The shared-strings part as written (for a chunk whose shared cells were not inlined)."""
        if self.shared_part is None:
            return None
        if self._shared_whole is None:
            self._shared_whole = self.archive.read(self.shared_part)
        return self._shared_whole


def sheet_parts(data: bytes, path: str, sheet_index: int) -> SheetParts:
    """:class:`SheetParts` of the sheet, or the :class:`UnreadableFileError` calamine's read would
    give (``data`` already proven by the guards)."""
    try:
        return SheetParts(data, sheet_index)
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        raise _workbook_error(exc, path) from exc


def iter_xlsx_rows(data: bytes, path: str, sheet_index: int = 0,
                   chunk_rows: int = CHUNK_ROWS, *, checked: bool = False,
                   chunk_bytes: int = CHUNK_BYTES, threaded: bool = True,
                   parts: SheetParts | None = None,
                   ) -> Iterator[tuple[int, Row]]:
    """``(row number, cells)`` for every row of the sheet at ``sheet_index`` (workbook order,
    hidden sheets counted, as :attr:`.RawSheet.index`) with a non-empty cell, in order; cells from
    column A, without trailing empty cells. Raises :class:`UnreadableFileError` as
    :func:`.workbook.read_workbook` would. ``checked``: the guards already passed ``data``.
    ``threaded``: parse the next chunk on a worker thread while this one is consumed.
    ``parts``: the sheet's :class:`SheetParts` from an earlier pass (``data`` is then not read
    but through them)."""
    if parts is None:
        if not checked:
            _check_workbook(data, path)
        parts = sheet_parts(data, path, sheet_index)
    try:
        strings = parts.strings()
        chunks = _chunks(_stream(parts.archive, parts.sheet_part), chunk_rows, chunk_bytes)
        head = next(chunks)
        root = _ROOT.search(head)
        tail = (b"</" + _SHEET_DATA.search(head).group(1) + b"sheetData></"
                + (root.group(1) if root else b"") + b"worksheet>")
    except UnreadableFileError:
        raise
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        raise _workbook_error(exc, path) from exc
    has_shared = parts.shared_part is not None

    def workbooks() -> Iterator[bytes]:
        for body in chunks:
            if strings:
                body, left = _inline(body, strings)
            else:  # without a shared-strings part a t="s" cell has nothing to be read from
                left = has_shared and _LEFT_SHARED.search(body) is not None
            carry = has_shared and (strings is None or left)
            chunk = _chunk_workbook(head, body, tail, parts.styles, parts.date1904,
                                    parts.shared_whole() if carry else None)
            del body
            yield chunk

    if not threaded:
        for chunk in workbooks():
            yield from _chunk_rows(chunk, path)
        return
    yield from _overlapped(workbooks(), path)


#: Thread name of the worker parsing the next chunk (tests look for it).
WORKER_NAME = "xlsx-chunk-parser"


def _overlapped(workbooks: Iterator[bytes], path: str) -> Iterator[tuple[int, Row]]:
    """The rows of each chunk workbook, the next chunk cut, proven and parsed on a worker thread
    (calamine releases the GIL) while the caller consumes this one. At most one parsed chunk
    waits, so memory stays bounded. Closing the generator stops the worker and waits for it."""
    ready: queue.Queue[tuple[list[tuple[int, Row]] | None, BaseException | None]] = queue.Queue(1)
    stop = threading.Event()

    def put(item: tuple[list[tuple[int, Row]] | None, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for chunk in workbooks:
                rows = list(_chunk_rows(chunk, path))
                del chunk
                if not put((rows, None)):
                    return
            put((None, None))
        except BaseException as exc:  # handed to the consumer, raised there
            put((None, exc))

    worker = threading.Thread(target=work, name=WORKER_NAME, daemon=True)
    worker.start()
    try:
        while True:
            rows, error = ready.get()
            if error is not None:
                raise error
            if rows is None:
                return
            yield from rows
            del rows
    finally:
        stop.set()
        worker.join()


def _inline(body: bytes, strings: list[bytes]) -> tuple[bytes, bool]:
    """``body`` with its shared-string cells made inline-string ones, and whether a ``t="s"`` is
    left (a cell this does not rewrite: the part is then carried). ``strings`` are
    :meth:`SheetParts.strings`. Cells written the way known writers write them (``t="s"`` the
    last attribute, then ``<v>``) are swapped in C: the body split at them, each index looked up,
    joined; when one of those is not plainly inside a ``<c`` tag or names a string the part does
    not have, the whole body goes to :func:`_inline_any` instead. Cells written otherwise go
    there too, after the split."""
    parts = _SHARED_TAIL.split(body)
    if len(parts) > 1:
        texts = parts[0:-1:2]
        indexes = list(map(int, parts[1::2]))
        opens = list(map(bytes.rfind, texts, repeat(b"<")))
        if (max(indexes) < len(strings)
                and all(map(bytes.startswith, texts, repeat(_CELL_OPEN), opens))
                and not any(map(add, map(bytes.find, texts, repeat(b">"), opens), repeat(1)))):
            parts[1::2] = map(strings.__getitem__, indexes)
            body = b"".join(parts)
            if _LEFT_SHARED.search(body) is None:
                return body, False
    body = _inline_any(body, strings)
    return body, _LEFT_SHARED.search(body) is not None


def _inline_any(body: bytes, strings: list[bytes]) -> bytes:
    """:func:`_inline` for shared-string cells written any way :data:`_SHARED_CELL` reads."""
    def swap(match: re.Match[bytes]) -> bytes:
        index = int(match.group(3))
        if index >= len(strings):
            return match.group(0)  # left for calamine (carried part) to judge
        tail = strings[index]  # ' t="inlineStr"><is>…</is></c>'
        return b"<c" + match.group(1) + tail[:14] + match.group(2) + tail[14:]
    return _SHARED_CELL.sub(swap, body)


def _chunks(pieces: Iterator[bytes], chunk_rows: int,
            chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The sheet's head (through ``<sheetData>``, no ``<dimension>``) first, then the rows in
    pieces of at most ``chunk_rows`` rows, cut at the first row past ``chunk_bytes``, each a
    whole number of rows."""
    text = b""
    for piece in pieces:
        text += piece
        found = _SHEET_DATA.search(text)
        if found:
            break
        if len(text) > 64 << 20:
            raise ValueError("no sheetData")
    else:
        raise ValueError("no sheetData")
    prefix = found.group(1)
    yield _DIMENSION.sub(b"", text[:found.start()]) + b"<" + prefix + b"sheetData>"
    if found.group(3):
        return  # <sheetData/>
    open_tag = b"<" + prefix + b"row"  # inside sheetData only <row> starts so (not <c>, <r>…)
    size = len(open_tag)
    closing = b"</" + prefix + b"sheetData>"
    text = text[found.end():]
    rows = 0
    at = 0  # where the search for the next row tag goes on
    # rows written without r="" (it is optional) are numbered by calamine one after the other: a
    # chunk starting with one would be numbered from 1 again. When the first row has no number,
    # every row tag is read for its number and a chunk's first row gets it written in.
    counting: bool | None = None  # None: no row seen yet
    number = 0  # the row number calamine gives the row tag at ``pos``
    while True:
        end = text.find(closing, max(0, at - len(closing)))
        limit = end if end >= 0 else len(text)
        waiting = False
        while True:
            pos = text.find(open_tag, at, limit)
            if pos < 0 or pos + size >= limit:  # none, or the byte after it not read yet
                break
            if text[pos + size] not in _TAG_END:
                at = pos + size
                continue
            written = None
            if counting is not False:
                close = text.find(b">", pos, limit)
                if close < 0:  # the tag's end not read yet
                    at, waiting = pos, True
                    break
                written = _ROW_NUMBER.search(text, pos + size, close)
                if counting is None:
                    counting = written is None
                number = int(written.group(1)) if written else number + 1
            if rows and (rows == chunk_rows or pos >= chunk_bytes):
                yield text[:pos]
                text = text[pos:]
                limit -= pos
                end = end - pos if end >= 0 else end
                pos = rows = 0
                if counting and written is None:
                    numbered = b'%s r="%d"' % (open_tag, number)
                    text = numbered + text[size:]
                    grown = len(numbered) - size
                    limit += grown
                    end = end + grown if end >= 0 else end
            rows += 1
            at = pos + size
        if end >= 0:
            if rows:
                yield text[:end]
            return
        if not waiting:
            at = max(at, len(text) - size)
        piece = next(pieces, None)
        if piece is None:
            raise ValueError("no </sheetData>")
        text += piece


def _chunk_workbook(head: bytes, body: bytes, tail: bytes, styles: bytes | None,
                    date1904: bool, shared: bytes | None) -> bytes:
    """The chunk workbook of the sheet XML ``head + body + tail`` (written in three pieces: the
    body is not copied to join them)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", _workbook_xml(date1904))
        package.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(shared is not None))
        if styles is not None:
            package.writestr("xl/styles.xml", styles)
        if shared is not None:
            package.writestr("xl/sharedStrings.xml", shared)
        sheet = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(1980, 1, 1, 0, 0, 0))
        sheet.file_size = len(head) + len(body) + len(tail)
        with package.open(sheet, "w") as part:
            part.write(head)
            part.write(body)
            part.write(tail)
    return out.getvalue()


def _chunk_rows(chunk: bytes, path: str) -> Iterator[tuple[int, Row]]:
    """The chunk proven by the guards, then parsed by calamine; its rows with their numbers."""
    _check_workbook(chunk, path)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(chunk))
        del chunk
        sheet = workbook.get_sheet_by_index(0)
        start = sheet.start
        rows = sheet.to_python(skip_empty_area=True) if start is not None else []
        workbook.close()
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        raise _workbook_error(exc, path) from exc
    if start is None:
        return
    pad: Row = [""] * start[1]
    for offset, row in enumerate(rows):
        while row and row[-1] == "":
            row.pop()
        if row:
            yield start[0] + offset + 1, pad + row
