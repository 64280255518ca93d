"""The data rows under a sheet's header, ready for an import service.

:class:`DataRows` walks a sheet below its :class:`HeaderMatch`: blank rows are skipped, sub-total
rows (小计, or a group total such as "东山村合计") are skipped, and the walk stops at the sheet's
total row (合计 / 总计 in one of the first two non-empty cells) or at a signature footer
("填表人：…"). A row whose ID-number cell holds an ID-like value is always data. Each
:class:`DataRow` carries the sheet name and the spreadsheet row number as Excel shows it, for
messages such as "东山村 第12行：身份证号校验码不对".

When the sheet has no village column, the village is taken from the sheet name, for workbooks
with one sheet per village (:func:`village_from_sheet_name`).

:func:`locate_tables` is the usual entry point: every visible sheet of a file with its header,
or :class:`NoHeaderError` when none has one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from desktop_app.exchange.cells import is_blank
from desktop_app.exchange.fields import Field
from desktop_app.exchange.headers import HeaderMatch, find_sheet_header, header_at
from desktop_app.exchange.limits import MAX_SHEET_NAME_CHARS
from desktop_app.exchange.reading import Cell, RawSheet, Row, UnreadableFileError

_SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
#: A total row's marker: the keyword, optionally after a group name and before a note.
_TOTAL = re.compile(r"(.{0,20}?)(合计|总计|小计)(?:[:(\[【].*)?", re.DOTALL)
_FOOTER = re.compile(
    r"(?:填表人|制表人|填报人|审核人|审批人|负责人|单位负责人|经办人|制表日期|填报日期|填表日期)"
)
_TOTAL_FIRST_CHARS = frozenset("合总小全")

# sheet names → village
#: "1." "01-" "1、" "（一）" "一、" — a Chinese numeral only with its separator (三星村 is a name).
_SHEET_ORDINAL = re.compile(
    r"^(?:\d+\s*[.、．\-_:：)）]?|[一二三四五六七八九十]+\s*[.、．:：)）]"
    r"|[(（]\s*[\d一二三四五六七八九十]+\s*[)）])\s*"
)
_SHEET_YEAR = re.compile(r"^\d{4}年度?")
_SHEET_SUFFIXES = (
    "参保人员花名册",
    "人员花名册",
    "花名册",
    "参保台账",
    "台账",
    "参保人员名单",
    "人员名单",
    "名单",
    "清单",
    "明细表",
    "明细",
    "汇总表",
    "数据",
    "信息表",
    "信息",
    "人员",
    "参保",
    "资助",
    "表",
)
_VILLAGE_ENDINGS = ("村", "社区", "居委会")


class NoHeaderError(UnreadableFileError):
    """No sheet of the file has a recognisable header (no ID-number column in its first rows)."""

    def __init__(self, path: str | None = None, sheets: tuple[str, ...] = ()) -> None:
        message = (
            "没有找到表头：表格前20行里没有“身份证号”（或“公民身份号码”“证件号码”）这一列。"
            "请确认导入的是人员名单；如果列名写法特殊，请手动指定表头所在行和各列的含义。"
        )
        super().__init__("no_header", message, path=path)
        self.sheets = sheets


@dataclass(frozen=True)
class DataRow:
    """One data row: the raw cells of the mapped columns, keyed by field."""

    sheet: str
    #: 1-based row number as Excel shows it.
    row_number: int
    values: dict[Field, Cell]
    #: The village named by the sheet when the sheet has no village column, else None.
    sheet_village: str | None
    #: The whole row as read, for previews.
    raw: Row

    def get(self, field: Field | str, default: Cell = "") -> Cell:
        """The raw cell of ``field``, or ``default`` when the sheet has no such column."""
        # Field(...) on a member costs an enum lookup; imports call this millions of times
        return self.values.get(field if type(field) is Field else Field(field), default)

    @property
    def location(self) -> str:
        """Where the row is, for messages: "东山村 第12行"."""
        return f"{self.sheet} 第{self.row_number}行"


@dataclass
class DataRows:
    """The data rows of one sheet; iterate it (again and again: each pass re-reads the sheet).

    After a pass, ``blank_rows``, ``skipped`` and ``stopped_at`` tell what was left out, for the
    import report.
    """

    sheet: RawSheet
    header: HeaderMatch
    #: Row numbers of sub-total rows skipped, with their label.
    skipped: list[tuple[int, str]] = field(default_factory=list)
    blank_rows: int = 0
    #: Row number of the total or footer row where the walk stopped, None if it ran to the end.
    stopped_at: int | None = None
    _mapped: tuple[list[tuple[int, Field]], str | None] | None = field(default=None, repr=False)

    @property
    def sheet_village(self) -> str | None:
        """The village named by the sheet, when the header has no village column."""
        if self.header.has(Field.VILLAGE):
            return None
        return village_from_sheet_name(self.sheet.name)

    def __iter__(self) -> Iterator[DataRow]:
        pairs = [
            (column, fld) for column, fld in self.header.columns.items() if fld is not Field.SEQ
        ]
        sheet_name = self.sheet.name
        village = self.sheet_village
        for row_number, raw in self.records():
            yield DataRow(
                sheet=sheet_name,
                row_number=row_number,
                values={fld: raw[column] for column, fld in pairs},
                sheet_village=village,
                raw=raw,
            )

    def records(self) -> Iterator[tuple[int, Row]]:
        """The data rows as (row number as Excel shows it, raw cells), each row at least as
        wide as the widest mapped column: what :meth:`__iter__` wraps in :class:`DataRow`, for
        a caller that reads 100,000 rows by column index (an import) and only needs a
        :class:`DataRow` for the few rows it reports on."""
        self.skipped = []
        self.blank_rows = 0
        self.stopped_at = None
        width = max((column for column in self.header.columns), default=-1) + 1
        id_column = self.header.column_of(Field.ID_NUMBER)
        row_number = self.header.data_start
        for raw in self.sheet.rows(self.header.data_start):
            row_number += 1
            first = _first_texts(raw)
            if first is None:
                self.blank_rows += 1
                continue
            if first:
                verdict = _total_or_footer(first, raw, id_column)
                if verdict == "stop":
                    self.stopped_at = row_number
                    return
                if verdict is not None:
                    self.skipped.append((row_number, verdict))
                    continue
            if len(raw) < width:
                raw = raw + [""] * (width - len(raw))
            yield row_number, raw

    def data_row(self, row_number: int, raw: Row) -> DataRow:
        """The :class:`DataRow` of one of :meth:`records`' rows."""
        if self._mapped is None:  # once per sheet: a categories or payments import asks per row
            self._mapped = (
                [(column, fld) for column, fld in self.header.columns.items() if fld is not Field.SEQ],
                self.sheet_village,
            )
        pairs, village = self._mapped
        return DataRow(
            sheet=self.sheet.name,
            row_number=row_number,
            values={fld: raw[column] for column, fld in pairs},
            sheet_village=village,
            raw=raw,
        )


def _first_texts(raw: Row) -> list[str] | None:
    """The first two non-empty cells if they are text (normalised), [] if the first non-empty
    cell is not text, or None when the row is blank."""
    texts: list[str] = []
    for value in raw:
        if value == "" or value is None:
            continue
        if type(value) is not str:
            return texts
        if value.isspace():
            continue
        texts.append(value)
        if len(texts) == 2:
            return texts
    return texts if texts else None


def _total_or_footer(first: list[str], raw: Row, id_column: int | None) -> str | None:
    """ "stop" for the sheet's total or a footer, a label for a sub-total to skip, else None.

    A row whose ID-number cell holds something like an ID number is data whatever its other
    cells say (a person may be called 王小计).
    """
    for text in first:
        if not (_TOTAL_FIRST_CHARS.intersection(text) or _FOOTER.search(text)):
            continue
        key = _SPACES.sub("", unicodedata.normalize("NFKC", text))
        match = _TOTAL.fullmatch(key)
        if match:
            if _has_id(raw, id_column):
                return None
            prefix, keyword = match.groups()
            if keyword == "小计" or prefix not in ("", "全镇", "全乡", "全街道", "总"):
                return key
            return "stop"
        if _FOOTER.match(key) and not _has_id(raw, id_column):
            return "stop"
    return None


def _has_id(raw: Row, column: int | None) -> bool:
    """Whether the ID-number cell holds what looks like an ID number (15+ digits, or a number)."""
    if column is None or column >= len(raw):
        return False
    value = raw[column]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return abs(value) >= 1e13
    if isinstance(value, str):
        digits = sum(ch.isdigit() for ch in value)
        return digits >= 14
    return False


def village_from_sheet_name(name: str) -> str | None:
    """The village a sheet name stands for, or None when the name does not name one.

    Rules (ours; DOMAIN.md is silent): an ordinal prefix ("1.", "01-", "（一）", "一、") and a
    year ("2025年") are dropped, then report words at the end ("花名册", "参保台账", "名单",
    "明细", "表", …), then "村委会"/"村民委员会" becomes "村". What remains must end in 村,
    社区 or 居委会 and be longer than that ending: "东山村", "1.东山村", "东山村花名册" → "东山村";
    "Sheet1", "汇总", "东山" → None (a bare "东山" might be a village, but guessing would put
    people in the wrong place).
    """
    if len(name) > MAX_SHEET_NAME_CHARS:  # Excel allows 31 characters; no village is named so
        return None
    text = _SPACES.sub("", unicodedata.normalize("NFKC", name))
    text = _SHEET_YEAR.sub("", text)
    text = _SHEET_ORDINAL.sub("", text)
    text = _SHEET_YEAR.sub("", text)
    changed = True
    while changed and text:
        changed = False
        for suffix in _SHEET_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    for long_form in ("村民委员会", "村委会"):
        if text.endswith(long_form):
            text = text[: -len(long_form)] + "村"
    for ending in _VILLAGE_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending):
            return text
    return None


# --------------------------------------------------------------------------- whole files


@dataclass(frozen=True)
class Table:
    """A sheet with its header: what an import works on."""

    sheet: RawSheet
    header: HeaderMatch

    def rows(self) -> DataRows:
        """The data rows (a fresh :class:`DataRows`, iterable more than once)."""
        return DataRows(self.sheet, self.header)


@dataclass(frozen=True)
class Tables:
    """The outcome of :func:`locate_tables`."""

    found: list[Table]
    #: Visible sheets with content but no recognisable header (an instructions sheet, a summary).
    without_header: list[str]


Overrides = Mapping[str, Mapping[int, "Field | str | None"]]


def locate_tables(
    sheets: list[RawSheet],
    *,
    overrides: Overrides | Callable[[str], Mapping[int, Field | str | None] | None] | None = None,
    path: str | None = None,
) -> Tables:
    """Find the header of every sheet and apply remembered mappings.

    ``overrides`` maps a layout signature to a person's column mapping (see
    :meth:`HeaderMatch.with_override`), or is a function from signature to mapping or None.
    Raises :class:`NoHeaderError` (an :class:`UnreadableFileError`) when no sheet has a header.
    """
    found: list[Table] = []
    without: list[str] = []
    for sheet in sheets:
        match = find_sheet_header(sheet)
        if match is None:
            match = _remembered_header(sheet, overrides)
            if match is None:
                without.append(sheet.name)
                continue
        else:
            override = _override_for(overrides, match.layout_signature)
            if override:
                match = match.with_override(override)
        found.append(Table(sheet, match))
    if not found:
        raise NoHeaderError(path, tuple(without))
    return Tables(found, without)


def _remembered_header(
    sheet: RawSheet,
    overrides: Overrides | Callable[[str], Mapping[int, Field | str | None] | None] | None,
    search_rows: int = 20,
) -> HeaderMatch | None:
    """A header nobody could recognise, but whose layout a person mapped by hand before.

    Each of the first rows is tried as a one-row header; the first whose layout signature has
    a remembered mapping that names the ID-number column is taken, with that mapping applied.
    """
    if overrides is None:
        return None
    head = sheet.head(search_rows)
    for index, row in enumerate(head):
        if not any(not is_blank(cell) for cell in row):
            continue
        candidate = header_at(head, index, merged=sheet.merged)
        override = _override_for(overrides, candidate.layout_signature)
        if override:
            match = candidate.with_override(override)
            if match.has(Field.ID_NUMBER):
                return match
    return None


def _override_for(
    overrides: Overrides | Callable[[str], Mapping[int, Field | str | None] | None] | None,
    signature: str,
) -> Mapping[int, Field | str | None] | None:
    if overrides is None:
        return None
    if callable(overrides):
        return overrides(signature)
    return overrides.get(signature)
