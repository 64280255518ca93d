"""Finding the header row of a hand-made sheet and mapping its columns to fields.

County sheets put a merged title row and an issuing-unit row ("填报单位：XX镇") above the header,
and sometimes two header rows: a merged group ("缴费信息") above its sub-headers (缴费金额,
缴费日期). :func:`find_header` looks at the first :data:`HEADER_SEARCH_ROWS` rows, picks the row
(or pair of rows) whose cells name the most known fields, and maps column index → :class:`Field`.

A header is only accepted when it has an ID-number column: every import matches people by it.
:attr:`HeaderMatch.layout_signature` identifies the layout (the header texts, not the title or the
data), so the app can remember a person's corrected mapping for the next file of the same layout
and apply it with :meth:`HeaderMatch.with_override`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from desktop_app.exchange.fields import HEADER_SYNONYMS, Field
from desktop_app.exchange.limits import MAX_HEADER_CHARS
from desktop_app.exchange.reading import Cell, RawSheet

#: How many rows from the top of a sheet may hold the header.
HEADER_SEARCH_ROWS = 20

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
#: Raw header text beyond this is not looked at (room for spaces and line breaks around the
#: at most MAX_HEADER_CHARS that count).
_LONGEST_RAW_HEADER = 20 * MAX_HEADER_CHARS
_WHITESPACE = re.compile(r"\s+")
_EDGE_MARKS = " *:★※"
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")
_TRAILING_NOTE = re.compile(r"(?:\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|/元)$")


def normalize_header(value: Cell) -> str:
    """Header text as compared: NFKC (full-width brackets and colons to ASCII), no whitespace
    anywhere (spaces, U+3000, line breaks inside the cell), no zero-width characters, no
    required-field ``*`` or trailing ``：`` at either end, lower case."""
    if value is None or value == "":
        return ""
    text = value if isinstance(value, str) else str(value)
    # no header is longer than MAX_HEADER_CHARS; a cell of a million characters in the first
    # rows (a pasted document) would otherwise be normalised again for every candidate row
    text = text[:_LONGEST_RAW_HEADER]
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = _WHITESPACE.sub("", text).strip(_EDGE_MARKS)
    return text.lower()


def _build_index() -> dict[str, Field]:
    index: dict[str, Field] = {}
    for field, spellings in HEADER_SYNONYMS.items():
        for spelling in spellings:
            key = normalize_header(spelling)
            if key in index and index[key] is not field:
                raise AssertionError(f"header {spelling!r} names two fields")
            index[key] = field
    return index


_SYNONYM_INDEX: dict[str, Field] = _build_index()


def field_for_header(text: str) -> Field | None:
    """The field a header names, or None. ``text`` may be raw.

    A trailing note in brackets ("缴费金额（元）", "身份证号码(18位)") or a "/元" unit is ignored
    when the full text is unknown.
    """
    key = normalize_header(text)
    if not key or len(key) > MAX_HEADER_CHARS:  # no header is that long: and "()" * 10**5
        return None  # would be stripped one pair at a time, each pass over the whole text
    found = _SYNONYM_INDEX.get(key)
    while found is None:
        shorter = _TRAILING_NOTE.sub("", key)
        if shorter == key or not shorter:
            return None
        key = shorter
        found = _SYNONYM_INDEX.get(key)
    return found


@dataclass(frozen=True)
class HeaderMatch:
    """Where a sheet's header is and what each column holds.

    ``columns`` maps 0-based column index → field; a field appears at most once (the leftmost
    column that names it wins). ``headers`` holds each column's header as displayed, a group
    header joined to its sub-header with "/" ("缴费信息/缴费金额").
    """

    #: 0-based index (in :meth:`RawSheet.rows`) of the first header row.
    header_row: int
    #: 1, or 2 when a group header row sits above sub-headers.
    header_rows: int
    headers: tuple[str, ...]
    columns: dict[int, Field]
    #: Identifies the layout: the same header texts in the same order give the same signature.
    layout_signature: str
    #: True once a person's mapping was applied with :meth:`with_override`.
    overridden: bool = False

    @property
    def data_start(self) -> int:
        """0-based index of the first row under the header."""
        return self.header_row + self.header_rows

    @property
    def header_row_number(self) -> int:
        """1-based spreadsheet row number of the (last) header row, as Excel shows it."""
        return self.header_row + self.header_rows

    @property
    def fields(self) -> dict[Field, int]:
        """Field → column index."""
        return {field: column for column, field in self.columns.items()}

    def column_of(self, field: Field | str) -> int | None:
        """The column holding ``field``, or None."""
        wanted = Field(field)
        for column, found in self.columns.items():
            if found is wanted:
                return column
        return None

    def has(self, field: Field | str) -> bool:
        return self.column_of(field) is not None

    def unmapped_columns(self) -> list[int]:
        """Columns with a header text that names no field (shown to the person to map by hand)."""
        return [i for i, text in enumerate(self.headers) if text and i not in self.columns]

    def with_override(self, override: Mapping[int, Field | str | None]) -> HeaderMatch:
        """A copy with a person's corrections applied on top of the automatic mapping.

        ``override`` maps column index → field name (or :class:`Field`), or None / "" to ignore
        that column. A field given to a column is taken away from any other column.
        Raises ``ValueError`` for an unknown field name or a negative column index.
        """
        columns = dict(self.columns)
        for column, value in override.items():
            if not isinstance(column, int) or isinstance(column, bool) or column < 0:
                raise ValueError(f"column index must be a non-negative int, not {column!r}")
            if value is None or value == "":
                columns.pop(column, None)
                continue
            field = Field(value)
            for other in [c for c, f in columns.items() if f is field and c != column]:
                del columns[other]
            columns[column] = field
        return replace(self, columns=dict(sorted(columns.items())), overridden=True)


def find_header(
    rows: Sequence[Sequence[Cell]],
    *,
    merged: Sequence[tuple[int, int, int, int]] | None = None,
    search_rows: int = HEADER_SEARCH_ROWS,
) -> HeaderMatch | None:
    """Locate the header within the first ``search_rows`` of ``rows``; None when there is none.

    A candidate is a single row, or a row with a sub-header row under it (both rows within
    the first ``search_rows``). The candidate naming the most fields wins; on a tie, a single
    row beats a pair and an upper row a lower one.
    Candidates without an ID-number column (公民身份号码/身份证号码/…) are never chosen.
    ``merged`` are the sheet's merged ranges (``RawSheet.merged``), used to tell a group header
    that spans several columns; without them the span is inferred from empty cells.
    """
    limit = min(search_rows, len(rows))
    best: tuple[tuple[int, int, int], HeaderMatch] | None = None
    for r in range(limit):
        candidates = [header_at(rows, r, 1, merged=merged)]
        if r + 1 < limit and _is_sub_header_row(rows, r, merged):
            candidates.append(header_at(rows, r, 2, merged=merged))
        for match in candidates:
            if Field.ID_NUMBER not in match.columns.values():
                continue
            key = (len(match.columns), -match.header_rows, -r)
            if best is None or key > best[0]:
                best = (key, match)
    return None if best is None else best[1]


def find_sheet_header(
    sheet: RawSheet, *, search_rows: int = HEADER_SEARCH_ROWS
) -> HeaderMatch | None:
    """:func:`find_header` on the top of ``sheet``."""
    return find_header(sheet.head(search_rows), merged=sheet.merged, search_rows=search_rows)


def header_at(
    rows: Sequence[Sequence[Cell]],
    header_row: int,
    header_rows: int = 1,
    *,
    merged: Sequence[tuple[int, int, int, int]] | None = None,
) -> HeaderMatch:
    """The header at a given position, mapped automatically (possibly with no field at all).

    For a person who points at the header row when :func:`find_header` found none; follow with
    :meth:`HeaderMatch.with_override`. Raises ``ValueError`` when the rows are not there.
    """
    if header_rows not in (1, 2):
        raise ValueError("header_rows must be 1 or 2")
    if header_row < 0 or header_row + header_rows > len(rows):
        raise ValueError(f"no row {header_row + header_rows} in the sheet")
    upper = rows[header_row]
    if header_rows == 1:
        texts = [_display(v) for v in upper]
        keys = [[normalize_header(v)] for v in upper]
    else:
        lower = rows[header_row + 1]
        width = max(len(upper), len(lower))
        owners = _owners(rows, header_row, width, merged)
        texts, keys = [], []
        for c in range(width):
            low = _display(_at(lower, c))
            if low:
                group = owners[c][0]
                texts.append(f"{group}/{low}" if group else low)
                keys.append(
                    [normalize_header(group) + normalize_header(low), normalize_header(low)]
                )
            else:
                own = _display(_at(upper, c))
                texts.append(own)
                keys.append([normalize_header(own)])
    while texts and not texts[-1]:
        texts.pop()
    columns: dict[int, Field] = {}
    taken: set[Field] = set()
    for c, candidates in enumerate(keys):
        for key in candidates:
            field = field_for_header(key)
            if field is not None:
                if field not in taken:
                    columns[c] = field
                    taken.add(field)
                break
    return HeaderMatch(
        header_row=header_row,
        header_rows=header_rows,
        headers=tuple(texts),
        columns=columns,
        layout_signature=layout_signature(texts),
    )


def layout_signature(headers: Sequence[str]) -> str:
    """A short stable hash of normalised header texts in column order (trailing blanks ignored)."""
    keys = [normalize_header(text) for text in headers]
    while keys and not keys[-1]:
        keys.pop()
    digest = hashlib.sha256("\x1f".join(keys).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:16]


# --------------------------------------------------------------------------- helpers


def _display(value: Cell) -> str:
    """Header text as shown to a person: line breaks and runs of spaces folded, ends trimmed,
    and no spaces at all between Chinese characters ("姓  名" → "姓名")."""
    if value is None or value == "":
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _WHITESPACE.sub(" ", text.translate(_INVISIBLE)).strip()
    return _CJK_SPACE.sub("", text)


def _at(row: Sequence[Cell], column: int) -> Cell:
    return row[column] if 0 <= column < len(row) else ""


def _owners(
    rows: Sequence[Sequence[Cell]],
    r: int,
    width: int,
    merged: Sequence[tuple[int, int, int, int]] | None,
) -> list[tuple[str, int]]:
    """For each column of row ``r``: the text of the cell that covers it and that cell's span.

    A merged range covering the row gives its top-left text and its width. Without one, a
    non-empty cell spans the empty cells to its right that have a sub-header below them
    (a group header typed over several columns without merging).
    """
    upper, lower = rows[r], rows[r + 1]
    owners: list[tuple[str, int]] = [("", 1)] * width
    c = 0
    while c < width:
        text = _display(_at(upper, c))
        if not text:
            c += 1
            continue
        end = c + 1
        while end < width and not _display(_at(upper, end)) and _display(_at(lower, end)):
            end += 1
        for k in range(c, end):
            owners[k] = (text, end - c)
        c = end
    for r0, c0, r1, c1 in merged or ():
        if r0 <= r <= r1 and c0 < width:
            text = _display(_at(rows[r0], c0)) if r0 < len(rows) else ""
            for k in range(c0, min(c1, width - 1) + 1):
                owners[k] = (text, c1 - c0 + 1)
    return owners


def _is_sub_header_row(
    rows: Sequence[Sequence[Cell]], r: int, merged: Sequence[tuple[int, int, int, int]] | None
) -> bool:
    """Whether row ``r + 1`` is a row of sub-headers under row ``r`` rather than data.

    Every non-empty cell must be text, must sit under an empty cell or under a group header (one
    spanning several columns, or naming no field itself), and at least one must name a field.
    A data row fails: its values sit under single headers such as "姓名" or "与户主关系".
    """
    upper, lower = rows[r], rows[r + 1]
    width = max(len(upper), len(lower))
    owners: list[tuple[str, int]] | None = None
    names_a_field = False
    any_cell = False
    for c in range(len(lower)):
        value = lower[c]
        if value == "" or value is None:
            continue
        if not isinstance(value, str):
            return False
        if not value.strip():
            continue
        any_cell = True
        if owners is None:
            owners = _owners(rows, r, width, merged)
        group, span = owners[c]
        if group and span == 1 and field_for_header(group) is not None:
            return False
        if field_for_header(value) is not None or (
            group
            and field_for_header(normalize_header(group) + normalize_header(value)) is not None
        ):
            names_a_field = True
    return any_cell and names_a_field
