"""An .xlsx part's last row and column (sheets) or number of strings (shared strings)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from desktop_app.exchange.guards.markup import spans
from desktop_app.exchange.guards.refusal import Budget
from desktop_app.exchange.limits import (
    MAX_COLUMNS,
    MAX_ROWS,
)

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


def _bounded(digits: bytes, limit: int) -> int:
    """A row number from its digits, any length (a 40-digit row is just "too far")."""
    return int(digits) if len(digits) <= 12 else limit + 1


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number



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


def scan_xlsx_part(pieces: Iterator[bytes], budget: Budget, *, shared: bool,
                   sheet: bool) -> tuple[int, int]:
    """The part checked; for a sheet its extent as calamine positions cells: (last row, last
    column), 1-based, (0, 0) when it has no cell."""
    max_row = max_col = 0
    slow: _SlowXlsx | None = None
    shared_items = 0
    for text, end in spans(pieces):
        if shared:
            shared_items += _shared_items(text, end)
            continue
        if not sheet:
            continue  # styles, themes…: only the text-run check of spans
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
    return max_row, max_col


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
