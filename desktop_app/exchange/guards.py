"""Checks made on a workbook's bytes before python-calamine sees them (limits in :mod:`.limits`).

calamine is fast and safe against XML entity tricks (quick-xml expands no DTD entities), but it
keeps each sheet as a dense grid from A1-ish to the last used cell, and a failed allocation in Rust
aborts the process. So, before calamine opens a file, this module works out from the file itself
how much it would have to hold, cheaply and without holding it:

- **zip packages** (.xlsx, .xlsm, .xlsb, .ods): the central directory is read (entry count, declared
  sizes, compression ratios, encryption), then every part calamine parses is inflated in a stream,
  piece by piece, with our own inflater that stops at the declared size (a part that inflates to
  more than it declares is refused), and scanned: the last row and column of every cell
  (``<c r="…">`` in .xlsx, records in .xlsb, repeated rows and cells in .ods), the number of shared
  strings, the longest run of text between two tags. For .xlsx written the usual way, a few regex
  searches per 4 MB that find nothing prove the last row and column; anything else is read cell
  by cell;
- **OLE compound files** (.xls, and .xlsx with an opening password): the sector chains are followed
  with loop detection, an encrypted package is recognised, and the BIFF records of the workbook
  stream are walked for the last row and column of every cell and the number of shared strings.

Any check that fails raises :class:`Refusal` (code and Chinese message); :mod:`.reading` turns it
into ``UnreadableFileError``. A check never raises anything else for a bad file.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from desktop_app.exchange.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_SMALL_PART_BYTES,
    MAX_XML_BYTES,
    MAX_XML_RUN_BYTES,
    MAX_ZIP_ENTRIES,
    RATIO_CHECK_BYTES,
)

_CHUNK = 4 << 20

MSG_DAMAGED = (
    "文件已损坏或不是Excel表格，无法读取。请用Excel或WPS打开这个文件，"
    "另存为“Excel工作簿(*.xlsx)”后再导入；如果打不开，请向发文件的人重新要一份。"
)
MSG_PASSWORD = "文件设置了打开密码，无法读取。请在Excel或WPS中取消密码、保存后再导入。"
MSG_CRAFTED = (
    "文件内容异常（{what}），不像是Excel或WPS保存的表格，可能已损坏，也可能是恶意文件，"
    "为安全起见不予读取。请向发文件的人重新要一份，或用Excel/WPS打开后另存为新文件再导入。"
)


def msg_too_large(what: str) -> str:
    return (
        f"表格太大，无法一次导入：{what}。"
        "请在Excel或WPS中把它分成几个文件（例如每个村或每10万行一个文件），再分别导入。"
    )


class Refusal(Exception):
    """The file must not be handed to calamine: ``code`` and a Chinese ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def crafted(what: str) -> Refusal:
    return Refusal("damaged", MSG_CRAFTED.format(what=what))


def _cells_text(count: int) -> str:
    return f"约{count / 10_000:,.0f}万个单元格" if count >= 100_000 else f"{count:,}个单元格"


@dataclass
class _Budget:
    """Cells the whole file would keep in memory, summed over its sheets."""

    cells: int = 0
    shared: int = 0
    parts: list[str] = field(default_factory=list)

    def add_shared(self, count: int) -> None:
        self.shared += count
        if self.shared > MAX_CELLS:
            raise Refusal("too_large", msg_too_large(
                f"共享字符串表有{_cells_text(self.shared)}，本程序一次最多读取{_cells_text(MAX_CELLS)}"))

    def add_sheet(self, rows: int, columns: int) -> None:
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            where = f"第{rows:,}行" if rows > MAX_ROWS else f"第{columns:,}列"
            raise crafted(f"有单元格位于{where}，超出了Excel表格的最大范围{MAX_ROWS:,}行×{MAX_COLUMNS:,}列")
        self.add(rows * columns, f"{rows:,}行×{columns:,}列")

    def add(self, cells: int, what: str) -> None:
        self.cells += cells
        self.parts.append(what)
        if self.cells > MAX_CELLS:
            raise Refusal(
                "too_large",
                msg_too_large(f"按已用范围计算共有{_cells_text(self.cells)}（{'，'.join(self.parts[-3:])}），"
                              f"本程序一次最多读取{_cells_text(MAX_CELLS)}"),
            )


# --------------------------------------------------------------------------- zip packages


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes in pieces of at most ``_CHUNK``, never more than it declares."""
    if info.flag_bits & 0x1:
        raise Refusal("password", MSG_PASSWORD)
    start = info.header_offset
    if data[start:start + 4] != b"PK\x03\x04" or len(data) < start + 30:
        raise Refusal("damaged", MSG_DAMAGED)
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_len + extra_len
    end = begin + info.compress_size
    if end > len(data):
        raise Refusal("damaged", MSG_DAMAGED)
    declared = info.file_size
    produced = 0
    crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != declared:
            raise Refusal("damaged", MSG_DAMAGED)
        for at in range(begin, end, _CHUNK):
            piece = data[at:min(at + _CHUNK, end)]
            crc = zlib.crc32(piece, crc)
            yield piece
        produced = declared
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        view = memoryview(data)[begin:end]
        at = 0
        try:
            while not inflater.eof:
                if inflater.unconsumed_tail:
                    piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                elif at < len(view):
                    piece = inflater.decompress(view[at:at + _CHUNK], _CHUNK)
                    at += _CHUNK
                else:
                    break
                if not piece:
                    continue
                produced += len(piece)
                if produced > declared:
                    raise crafted(f"压缩包中的“{info.filename[:60]}”解压后比它声明的{declared:,}字节更大")
                crc = zlib.crc32(piece, crc)
                yield piece
        except zlib.error:
            raise Refusal("damaged", MSG_DAMAGED) from None
    else:
        raise Refusal("damaged", MSG_DAMAGED)  # deflate64, bzip2…: not what Excel or WPS write
    if produced != declared or crc != info.CRC:
        raise Refusal("damaged", MSG_DAMAGED)


def _norm(name: str) -> str:
    return posixpath.normpath(name.replace("\\", "/").lstrip("/"))


_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s([^>]*)>")
_REL_TYPE = re.compile(rb"""\sType\s*=\s*["']([^"']*)["']""")
_REL_TARGET = re.compile(rb"""\sTarget\s*=\s*["']([^"']*)["']""")


def _workbook_parts(archive: zipfile.ZipFile, data: bytes) -> dict[str, str]:
    """Part → relationship type ("worksheet", "sharedStrings", …) for what the workbook's
    relationships point at: calamine finds its sheets this way, whatever they are named."""
    parts: dict[str, str] = {}
    for info in archive.infolist():
        name = _norm(info.filename)
        if not name.endswith("_rels/workbook.xml.rels") and not name.endswith("_rels/workbook.bin.rels"):
            continue
        if info.file_size > MAX_SMALL_PART_BYTES:
            raise Refusal("too_large", msg_too_large(f"其中“{info.filename[:60]}”过大"))
        folder = posixpath.dirname(posixpath.dirname(name))  # xl/_rels/workbook.xml.rels → xl
        for match in _RELATIONSHIP.finditer(b"".join(_inflate(data, info))):
            kind = _REL_TYPE.search(match.group(1))
            target = _REL_TARGET.search(match.group(1))
            if kind is None or target is None:
                continue
            path = target.group(1).decode("utf-8", "replace")
            if "://" in path:
                continue
            path = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
            parts[_norm(path)] = kind.group(1).decode("ascii", "replace").rsplit("/", 1)[-1]
    return parts


_SHEET_TYPES = frozenset({"worksheet", "macrosheet", "dialogsheet", "chartsheet", "xlMacrosheet",
                          "xlIntlMacrosheet"})


def check_zip(data: bytes) -> None:
    """Refuse a zip package calamine must not open; pass quietly otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if not infos:
            raise Refusal("damaged", MSG_DAMAGED)
        if len(infos) > MAX_ZIP_ENTRIES:
            raise crafted(f"压缩包里有{len(infos):,}个部件")
        names = {_norm(info.filename) for info in infos}
        is_ods = "content.xml" in names and "xl/workbook.xml" not in names
        is_xlsb = "xl/workbook.bin" in names
        if is_ods:
            _check_ods_encryption(archive, data)
        related = {} if is_ods else _workbook_parts(archive, data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            struct.error, UnicodeDecodeError, NotImplementedError, KeyError):
        raise Refusal("damaged", MSG_DAMAGED) from None
    budget = _Budget()
    xml_total = 0
    for info in infos:
        name = _norm(info.filename)
        lower = name.lower()
        kind = related.get(name, "")
        sheet = kind in _SHEET_TYPES or "worksheets/" in lower
        shared = kind == "sharedStrings" or "sharedstrings" in lower
        if is_ods:
            scan = "ods" if lower.endswith(".xml") else ""
        elif is_xlsb:
            scan = "xlsb" if sheet or shared else ("size" if lower.endswith((".xml", ".rels", ".bin")) else "")
        else:
            scan = "xlsx" if sheet or shared or lower.endswith((".xml", ".rels")) else ("size" if kind else "")
        if not scan:
            continue  # pictures and the like: calamine never inflates them
        big_allowed = sheet or shared or lower == "content.xml"
        limit = MAX_XML_BYTES if big_allowed else MAX_SMALL_PART_BYTES
        if info.file_size > limit:
            raise Refusal("too_large", msg_too_large(
                f"其中“{info.filename[:60]}”解压后有{info.file_size / (1 << 20):,.0f} MB"))
        if (info.file_size > RATIO_CHECK_BYTES
                and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
            raise crafted(
                f"“{info.filename[:60]}”压缩了{info.file_size // max(info.compress_size, 1):,}倍，"
                "正常表格只有几倍到几十倍")
        xml_total += info.file_size
        if xml_total > MAX_XML_BYTES:
            raise Refusal("too_large", msg_too_large(
                f"解压后共有{xml_total / (1 << 20):,.0f} MB，本程序一次最多读取"
                f"{MAX_XML_BYTES / (1 << 20):,.0f} MB"))
        if scan == "ods":
            _scan_ods_part(_inflate(data, info), budget)
        elif scan == "xlsb":
            _scan_xlsb_part(_inflate(data, info), budget, shared=shared)
        elif scan == "xlsx":
            _scan_xlsx_part(_inflate(data, info), budget, shared=shared, sheet=sheet)
        else:
            for _piece in _inflate(data, info):
                pass  # declared size and checksum checked


# xlsx: three ways to a sheet's last row and column, from the cheapest; each hands a segment it
# cannot settle to the next one, so the answer is always the one the exact path would give.
# - The proof (:func:`_proven_extent`) guesses the running maximum from the segment's last cells,
#   then shows with two regex searches, which find nothing in an ordinary segment, that no cell
#   lies beyond the guess and that :func:`_fast_extent` would accept the segment. It only ever
#   confirms: when a search finds something it cannot explain, the fast path reads the segment.
# - The fast path (:func:`_fast_extent`) reads every cell reference written the way every known
#   writer writes it (``<c r="B7" …``, ``r`` first, no namespace prefix), with counts to show that
#   there is nothing else.
# - When the counts show anything else in a segment, the exact slow path replays calamine's own
#   positioning from there on (row and column counters for cells without ``r``).
_CELL_TAG = re.compile(rb"<c[\s/>]")
_REF_LETTERS = re.compile(rb'<c r="([A-Z]{1,7})')
_REF_DIGITS = re.compile(rb'<c r="[A-Z]{1,7}([0-9]{1,12})"')
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_SHARED_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_CELL = re.compile(rb"""\sr\s*=\s*["']\s*([A-Za-z]+)([0-9]+)\s*["']""")
_R_ROW = re.compile(rb"""\sr\s*=\s*["']\s*([0-9]+)\s*["']""")
_RUN_WINDOW = MAX_XML_RUN_BYTES // 2
_MSG_LONG_CELL = "有一段内容（单元格、表名或其他）比Excel允许的32767个字符还长"


def _bounded(digits: bytes, limit: int) -> int:
    """A row number from its digits, any length (a 40-digit row is just "too far")."""
    return int(digits) if len(digits) <= 12 else limit + 1


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _has_long_run(text: bytes, end: int) -> bool:
    """Whether some text between two tags in ``text[:end]`` is about :data:`MAX_XML_RUN_BYTES`
    long: a run of twice the window covers a whole aligned window, so one ``find`` per window
    tells."""
    w = _RUN_WINDOW
    return any(text.find(b"<", k, k + w) < 0 for k in range(0, end - w + 1, w))


def _spans(pieces: Iterator[bytes]) -> Iterator[tuple[bytes, int]]:
    """The part cut at tag starts (no tag is split between two segments), each checked for a
    run of text longer than any cell can be. A segment is given as ``(text, end)``, the segment
    being ``text[:end]``: a sheet's scan reads it in place rather than copy 4 MB each time."""
    carry = b""
    for piece in pieces:
        text = carry + piece if carry else piece
        cut = text.rfind(b"<")
        if cut <= 0:
            if len(text) > MAX_XML_RUN_BYTES:
                raise crafted(_MSG_LONG_CELL)
            carry = text
            continue
        carry = text[cut:]
        if len(carry) > MAX_XML_RUN_BYTES or _has_long_run(text, cut):
            raise crafted(_MSG_LONG_CELL)
        yield text, cut
    if carry:
        if len(carry) > MAX_XML_RUN_BYTES:
            raise crafted(_MSG_LONG_CELL)
        yield carry, len(carry)


def _segments(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The segments of :func:`_spans` as bytes."""
    for text, end in _spans(pieces):
        yield text if end == len(text) else text[:end]


def _fast_extent(segment: bytes) -> tuple[int, int] | None:
    """(last row, last column) of the cells in ``segment`` when every cell is written
    ``<c r="B7"``, else None."""
    letters = _REF_LETTERS.findall(segment)
    cells = len(letters)
    if segment.count(b"<c") != cells and len(_CELL_TAG.findall(segment)) != cells:
        return None  # a cell without r, or with r elsewhere in the tag
    if segment.count(b' r="') != cells + segment.count(b'<row r="') or _PREFIXED.search(segment):
        return None  # an r attribute on something else, twice in a tag, or prefixed tags
    if not cells:
        return 0, 0
    digits = _REF_DIGITS.findall(segment)
    if len(digits) != cells:
        return None  # r="A" or r="A1x": let the exact path decide
    return max(map(int, set(digits))), max(map(_column_number, set(letters)))


# The proof is written for the speed of CPython 3.11: a regex search costs about a nanosecond a
# byte plus 20-50 ns at each place where its literal prefix matches, and so does ``bytes.count``
# of anything longer than one byte (only a one-byte ``find`` is a ``memchr``); a list of matches,
# or a bytes object per cell, costs several times more. So the proof is two searches that stop
# once at every cell (one at ``<c``, one at `` r="``) and match nothing in an ordinary segment,
# a ``memchr`` for ``:`` (a search for prefixed tags when rows carry ``spans="1:20"``), and a
# few ``rfind`` from the end: 12-14 ms for 4 MB of sheet XML, against about 60 ms for
# :func:`_fast_extent`.
_REF_AT = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')  # as _beyond reads a reference
_STRAY_R = re.compile(rb' r="(?<!<c r=")(?<!<row r=")')  # an r="" not first in a <c> or <row>
_TAG_NAME_END = frozenset(b" \t\n\r\f\v/>")  # what follows "<c" in a cell tag: <c[\s/>]
_MAX_SKIPS = 1024  # <cols>, <col>, <cfRule>… passed over in one segment, then the fast path
_MAX_RAISES = 16  # cells beyond the guess (rows out of order) in one segment, then the fast path


def _not_above(bound: str, first: str, rest: str) -> str:
    """Regex source for a number written in symbols (digits, or column letters) that is at most
    ``bound``: as many symbols and a smaller one at the first difference (or none), or fewer
    symbols. ``first`` and ``rest`` are the symbol ranges of the first and the other places:
    "1-9" and "0-9" (no leading zero), or "A-Z" twice (columns count A…Z, AA…ZZ, AAA…)."""
    size = len(bound)
    choices = []
    for place, symbol in enumerate(bound):
        low = (first if place == 0 else rest)[0]
        last = place == size - 1
        top = symbol if last else chr(ord(symbol) - 1)  # only the last place may equal the bound's
        if top >= low:
            span = low if top == low else f"[{low}-{top}]"
            tail = "" if last else f"[{rest}]{{{size - place - 1}}}"
            choices.append(bound[:place] + span + tail)
    if size > 1:
        choices.append(f"[{first}]" + (f"[{rest}]{{0,{size - 2}}}" if size > 2 else ""))
    return "|".join(choices)


def _letters(column: int) -> str:
    """1 → A, 26 → Z, 27 → AA (the inverse of :func:`_column_number`)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@functools.lru_cache(maxsize=64)
def _beyond(max_row: int, max_col: int) -> re.Pattern[bytes]:
    """Finds a ``<c`` not followed by `` r="`` and a reference at most (``max_row``,
    ``max_col``), written as :data:`_REF_AT` reads it, and ``"``."""
    columns = _not_above(_letters(max_col), "A-Z", "A-Z")
    rows = _not_above(str(max_row), "1-9", "0-9")
    return re.compile(f'<c(?! r="(?:{columns})(?:{rows})")'.encode())


def _proven_extent(text: bytes, end: int, max_row: int, max_col: int) -> tuple[int, int] | None:
    """The running (last row, last column) with the segment ``text[:end]`` added, when it is
    proved to be what :func:`_fast_extent` gives, else None (the caller then runs it).

    The guess starts from the maximum so far and the segment's last cells (the last one, and
    the last one of the last whole row: rows end in their widest column); a cell found beyond
    it raises it. Every guess is a real cell's, so the last one is reached; it is the answer when
    the segment also passes the fast path's own checks:

    - every ``<c`` tag is ``<c r="`` and a reference within the guess, so the fast path counts
      every cell and reads every reference;
    - every `` r="`` is that of a ``<c`` or a ``<row`` (the fast path's count of `` r="``);
    - no ``:c`` or ``:row`` tag name (a namespace prefix) anywhere; most segments have no ``:``
      at all, which one ``memchr`` tells.
    """
    last = text.rfind(b'<c r="', 0, end)
    cell = _REF_AT.match(text, last, end) if last >= 0 else None
    if cell is None:
        return None
    row = max(max_row, int(cell.group(2)))
    col = max(max_col, _column_number(cell.group(1)))
    row_end = text.rfind(b"</row>", 0, last)
    if row_end > 0:
        cell = _REF_AT.match(text, max(text.rfind(b'<c r="', 0, row_end), 0), end)
        if cell is not None:
            col = max(col, _column_number(cell.group(1)))
    start = skips = raises = 0
    while row <= MAX_ROWS and col <= MAX_COLUMNS:  # beyond: refused anyway, by the exact paths
        found = _beyond(row, col).search(text, start, end)
        if found is None:
            break
        at = found.start()
        if at + 2 == end or text[at + 2] not in _TAG_NAME_END:
            skips += 1  # <cols>, <col …>: not a cell
            if skips > _MAX_SKIPS:
                return None
            start = at + 2
            continue
        cell = _REF_AT.match(text, at, end)
        raises += 1
        if cell is None or raises > _MAX_RAISES:
            return None  # a cell without r, or r written otherwise
        row = max(row, int(cell.group(2)))
        col = max(col, _column_number(cell.group(1)))
        start = at  # everything before was within the smaller guess
    else:
        return None
    if _STRAY_R.search(text, 0, end):
        return None
    if text.find(b":", 0, end) >= 0 and _PREFIXED.search(text, 0, end):
        return None
    return row, col


def _shared_items(text: bytes, end: int) -> int:
    """The strings of a shared-strings segment ``text[:end]``, counted as :data:`_SHARED_ITEM`
    finds them. When every ``<si`` is ``<si>`` and there is no ``:si`` (a prefixed item), three
    plain scans tell, rather than a bytes object for each of a million strings."""
    items = text.count(b"<si>", 0, end)
    if items == text.count(b"<si", 0, end) and text.find(b":si", 0, end) < 0:
        return items
    return len(_SHARED_ITEM.findall(text, 0, end))


def _scan_xlsx_part(pieces: Iterator[bytes], budget: _Budget, *, shared: bool, sheet: bool) -> None:
    max_row = max_col = 0
    slow: _SlowXlsx | None = None
    shared_items = 0
    for text, end in _spans(pieces):
        if shared:
            shared_items += _shared_items(text, end)
            continue
        if not sheet:
            continue  # styles, themes…: only the text-run check of _spans
        if slow is None:
            extent = _proven_extent(text, end, max_row, max_col)
            if extent is not None:
                max_row, max_col = extent
                continue
            extent = _fast_extent(text[:end])
            if extent is not None:
                max_row, max_col = max(max_row, extent[0]), max(max_col, extent[1])
                continue
            slow = _SlowXlsx(max_row, max_col)
        slow.feed(text[:end])
    if slow is not None:
        max_row, max_col = slow.max_row, slow.max_col
    if shared_items:
        budget.add_shared(shared_items)
    if max_row and max_col:
        budget.add_sheet(max_row, max_col)


class _SlowXlsx:
    """calamine's positioning replayed tag by tag: a row's ``r`` sets the row, ``</row>`` moves
    to the next; a cell's ``r`` sets row and column, a cell without one takes the next column."""

    def __init__(self, max_row: int, max_col: int) -> None:
        self.max_row, self.max_col = max_row, max_col
        self.row = 0  # 0-based, as calamine counts
        self.col = 0

    def feed(self, segment: bytes) -> None:
        for match in _TAG.finditer(segment):
            closing, name, attrs = match.groups()
            if name == b"row":
                if closing:
                    self.row += 1
                    self.col = 0
                    continue
                found = _R_ROW.search(attrs)
                if found:
                    self.row = _bounded(found.group(1), MAX_ROWS) - 1
                if attrs.endswith(b"/"):
                    self.row += 1
                    self.col = 0
                continue
            if closing:
                continue
            for found in _R_CELL.finditer(attrs):  # twice in one tag: calamine keeps the last
                self.row = _bounded(found.group(2), MAX_ROWS) - 1
                self.col = (_column_number(found.group(1)) if len(found.group(1)) <= 4
                            else MAX_COLUMNS + 1) - 1
                self.max_row = max(self.max_row, self.row + 1)
                self.max_col = max(self.max_col, self.col + 1)
            self.max_row = max(self.max_row, self.row + 1)
            self.max_col = max(self.max_col, self.col + 1)
            self.col += 1
            if self.max_row > MAX_ROWS or self.max_col > MAX_COLUMNS:
                return  # add_sheet refuses it


# ods: calamine expands repeated rows and cells that hold a value; trailing empty ones are free
_ODS_TAG = re.compile(
    rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated\s*=\s*["\']\s*([0-9]{1,15})')
_ODS_VALUE = re.compile(rb"office:value-type|table:formula")
_ODS_SPACES = re.compile(rb"""<text:s\s[^>]*?text:c\s*=\s*["']\s*([0-9]{1,15})""")
_ODS_ENCRYPTED = re.compile(rb"encryption-data")


def _check_ods_encryption(archive: zipfile.ZipFile, data: bytes) -> None:
    for info in archive.infolist():
        if (_norm(info.filename) == "META-INF/manifest.xml" and info.file_size <= MAX_SMALL_PART_BYTES
                and _ODS_ENCRYPTED.search(b"".join(_inflate(data, info)))):
            raise Refusal("password", MSG_PASSWORD)


def _scan_ods_part(pieces: Iterator[bytes], budget: _Budget) -> None:
    height = last_row = width = 0  # the table being read
    row_repeat = 1
    row_col = row_width = 0
    row_has_value = False
    spaces = 0
    for segment in _segments(pieces):
        for count in _ODS_SPACES.findall(segment):
            spaces += int(count)
            if spaces > MAX_SMALL_PART_BYTES:
                raise crafted("单元格里声明了几十亿个空格")
        if b"table:" not in segment:
            continue
        for match in _ODS_TAG.finditer(segment):
            closing, name, attrs, empty = match.groups()
            if name == b"table":
                if closing:
                    if last_row and width:
                        budget.add_sheet(last_row, width)
                    height = last_row = width = 0
                continue
            if name == b"table-row":
                if closing or empty:
                    repeat = row_repeat if closing else _repeat(attrs)
                    if closing and row_has_value:
                        last_row = height + repeat
                        width = max(width, row_width)
                        if last_row > MAX_ROWS or width > MAX_COLUMNS:
                            budget.add_sheet(last_row, width)
                    height += repeat
                    if height > 4 * MAX_CELLS:
                        raise crafted(f"一张表声明了{height:,}行")
                    continue
                row_repeat = _repeat(attrs)
                row_col = row_width = 0
                row_has_value = False
                continue
            if closing:
                continue
            row_col += _repeat(attrs)
            if _ODS_VALUE.search(attrs):
                row_width = row_col
                row_has_value = True
    if last_row and width:
        budget.add_sheet(last_row, width)


def _repeat(attrs: bytes) -> int:
    found = _ODS_REPEAT.search(attrs)
    return max(1, int(found.group(1))) if found else 1


# xlsb: BIFF12 records; BrtRowHdr (0) sets the row; the cell records calamine reads (BrtCellRk
# … BrtFmlaBool, 2–10) start with their column
_XLSB_CELLS = frozenset(range(0x0002, 0x000B))

def _scan_xlsb_part(pieces: Iterator[bytes], budget: _Budget, *, shared: bool) -> None:
    max_row = max_col = row = 0
    cells = 0
    buffer = b""
    for piece in pieces:
        buffer = buffer + piece if buffer else piece
        pos = 0
        end = len(buffer)
        while True:
            start = pos
            if pos >= end:
                break
            kind = buffer[pos]
            pos += 1
            if kind & 0x80:
                if pos >= end:
                    pos = start
                    break
                kind = (kind & 0x7F) | ((buffer[pos] & 0x7F) << 7)
                pos += 1
            size = shift = 0
            complete = False
            for _ in range(4):
                if pos >= end:
                    break
                byte = buffer[pos]
                pos += 1
                size |= (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    complete = True
                    break
            if not complete or pos + size > end:
                if complete and size > MAX_XML_RUN_BYTES:
                    raise crafted("有一条记录超过了Excel允许的长度")
                pos = start
                break
            if shared:
                if kind == 0x0013:  # BrtSSTItem
                    cells += 1
            elif kind == 0x0000 and size >= 4:
                row = struct.unpack_from("<I", buffer, pos)[0]
            elif kind in _XLSB_CELLS and size >= 4:
                col = struct.unpack_from("<I", buffer, pos)[0]
                max_row = max(max_row, row + 1)
                max_col = max(max_col, col + 1)
                if max_col > MAX_COLUMNS or max_row > MAX_ROWS:
                    budget.add_sheet(max_row, max_col)
            pos += size
        buffer = buffer[pos:]
    if cells:
        budget.add_shared(cells)
    if max_row and max_col:
        budget.add_sheet(max_row, max_col)


# --------------------------------------------------------------------------- OLE compound files

_OLE_FREE, _OLE_END = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_REGULAR = 0xFFFFFFFA


def _ole_streams(data: bytes) -> dict[str, bytes]:
    """The workbook stream of a compound file, read the way calamine's cfb reader would, but
    refusing sector chains that loop or run off the file. An encrypted package (an .xlsx saved
    with an opening password) is refused at once."""
    if len(data) < 512:
        raise Refusal("damaged", MSG_DAMAGED)
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        raise Refusal("damaged", MSG_DAMAGED)
    sector = 1 << shift
    sectors = (len(data) - 512 + sector - 1) // sector
    fat_count, first_dir = struct.unpack_from("<II", data, 44)
    cutoff = struct.unpack_from("<I", data, 56)[0]
    minifat_start, minifat_count, difat_start, difat_count = struct.unpack_from("<IIII", data, 60)
    if fat_count > sectors or difat_count > sectors or minifat_count > sectors:
        raise Refusal("damaged", MSG_DAMAGED)

    def read_sector(index: int) -> bytes:
        if index >= sectors:
            raise Refusal("damaged", MSG_DAMAGED)
        at = 512 + index * sector
        return data[at:at + sector].ljust(sector, b"\0")

    difat = list(struct.unpack_from("<109I", data, 76))
    seen: set[int] = set()
    at = difat_start
    while at <= _MAX_REGULAR and len(seen) < difat_count:
        if at in seen:
            raise crafted("文件内部的扇区链首尾相接，形成了死循环")
        seen.add(at)
        block = struct.unpack(f"<{sector // 4}I", read_sector(at))
        difat.extend(block[:-1])
        at = block[-1]
    fat: list[int] = []
    for index in [s for s in difat if s <= _MAX_REGULAR][:fat_count]:
        fat.extend(struct.unpack(f"<{sector // 4}I", read_sector(index)))

    def chain(start: int, limit: int | None = None) -> bytes:
        out: list[bytes] = []
        visited: set[int] = set()
        at = start
        while at <= _MAX_REGULAR:
            if at >= len(fat):
                raise Refusal("damaged", MSG_DAMAGED)
            if at in visited:
                raise crafted("文件内部的扇区链首尾相接，形成了死循环")
            visited.add(at)
            out.append(read_sector(at))
            if limit is not None and len(out) * sector >= limit:
                break
            at = fat[at]
        return b"".join(out)

    directory = chain(first_dir)
    if len(directory) < 128:
        raise Refusal("damaged", MSG_DAMAGED)
    root_start, root_size = struct.unpack_from("<II", directory, 116)
    mini_stream = b""
    minifat: list[int] = []
    streams: dict[str, bytes] = {}
    for i in range(1, len(directory) // 128):
        entry = directory[i * 128:(i + 1) * 128]
        length = struct.unpack_from("<H", entry, 64)[0]
        if entry[66] != 2 or not 2 <= length <= 64:
            continue
        name = entry[:length - 2].decode("utf-16-le", "replace")
        start, size = struct.unpack_from("<II", entry, 116)
        if name in ("EncryptedPackage", "EncryptionInfo"):
            raise Refusal("password", MSG_PASSWORD)
        if name not in ("Workbook", "Book"):
            continue
        if size < cutoff:
            if not mini_stream:
                mini_stream = chain(root_start, root_size) if root_start <= _MAX_REGULAR else b""
                if minifat_start <= _MAX_REGULAR:
                    raw = chain(minifat_start)
                    minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw))
            parts: list[bytes] = []
            visited: set[int] = set()
            at = start
            while at <= _MAX_REGULAR and len(parts) * 64 < size:
                if at >= len(minifat):
                    raise Refusal("damaged", MSG_DAMAGED)
                if at in visited:
                    raise crafted("文件内部的扇区链首尾相接，形成了死循环")
                visited.add(at)
                parts.append(mini_stream[at * 64:(at + 1) * 64])
                at = minifat[at]
            streams[name] = b"".join(parts)[:size]
        else:
            streams[name] = chain(start, size)[:size]
    return streams


# BIFF8 cell records: LABELSST, LABEL, NUMBER, RK, BLANK, BOOLERR, FORMULA, RSTRING; MULRK and
# MULBLANK span columns (the last column is in their last two bytes before the end).
_BIFF_CELLS = frozenset({0x00FD, 0x0204, 0x0203, 0x027E, 0x0201, 0x0205, 0x0006, 0x00D6})
_BIFF_MULTI = frozenset({0x00BD, 0x00BE})
_BIFF_BOF, _BIFF_EOF, _BIFF_FILEPASS = 0x0809, 0x000A, 0x002F


def check_ole(data: bytes) -> None:
    """Refuse an OLE file calamine must not open (or cannot: an encrypted .xlsx)."""
    try:
        streams = _ole_streams(data)
    except (struct.error, IndexError, ValueError):
        raise Refusal("damaged", MSG_DAMAGED) from None
    stream = streams.get("Workbook") or streams.get("Book")
    if not stream:
        raise Refusal("damaged", MSG_DAMAGED)
    budget = _Budget()
    pos = 0
    end = len(stream)
    max_row = max_col = 0
    in_sheet = False
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        pos = body + size
        if kind == _BIFF_FILEPASS:
            raise Refusal("password", MSG_PASSWORD)
        if kind == _BIFF_BOF:
            in_sheet = True  # a chart inside a sheet nests a BOF…EOF: keep counting
        elif kind == _BIFF_EOF:
            if in_sheet and max_row and max_col:
                budget.add_sheet(max_row, max_col)
            in_sheet = False
            max_row = max_col = 0
        elif kind in _BIFF_CELLS and size >= 4 and body + 4 <= end:
            row, col = struct.unpack_from("<HH", stream, body)
            max_row, max_col = max(max_row, row + 1), max(max_col, col + 1)
        elif kind in _BIFF_MULTI and size >= 6 and pos <= end:
            row, _first = struct.unpack_from("<HH", stream, body)
            last = struct.unpack_from("<H", stream, pos - 2)[0]
            max_row, max_col = max(max_row, row + 1), max(max_col, last + 1)
    if in_sheet and max_row and max_col:
        budget.add_sheet(max_row, max_col)
