"""What every kind of import shares: the plan a dry run makes, the reader that walks a file's
rows with their bookkeeping, and the ledger facts rows are matched against.

Nothing here writes to the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from desktop_app import clock
from desktop_app.domain.idnumber import IdNumber
from desktop_app.domain.money import format_yuan
from desktop_app.domain.policy import Policy
from desktop_app.domain.vocabulary import CATEGORY_SPELLINGS, DEFAULT_CATEGORY_NAMES
from desktop_app.exchange import (
    CellError,
    DataRow,
    DataRows,
    Field,
    id_warning,
    locate_tables,
    parse_id_cell,
    read_tables,
)
from desktop_app.exchange.reading import Row
from desktop_app.services.importing.spool import RowSpool
from desktop_app.store import bulk
from desktop_app.store.models import db

Progress = Callable[[int, int], None]
ShouldStop = Callable[[], bool]
Overrides = Callable[[str], dict[int, str] | None]


class ImportKind(str, Enum):
    ROSTER = "roster"  # 花名册 / 参保台账: households and persons
    CATEGORIES = "categories"  # a civil-affairs or rural-revitalisation list
    PAYMENTS = "payments"  # the tax bureau's payment feedback


class ImportCancelled(Exception):
    """The person pressed cancel; nothing was written."""


@dataclass(frozen=True)
class RowIssue:
    """A row that was refused (or accepted with a warning), and why, in plain Chinese."""

    sheet: str
    row_number: int  # as Excel shows it
    column: str  # the column's header in the file, or "" when the row as a whole is at fault
    reason: str
    raw: tuple[Any, ...] = ()
    id_number: str = ""

    @property
    def location(self) -> str:
        where = f"{self.sheet} 第{self.row_number}行"
        return f"{where}“{self.column}”列" if self.column else where

    def __str__(self) -> str:
        return f"{self.location}：{self.reason}"


@dataclass(frozen=True)
class TableInfo:
    """A sheet that was read: its header as written, where it is, and what each column holds."""

    sheet: str
    headers: tuple[str, ...]
    header_row_number: int
    layout_signature: str
    mapping: dict[int, str]  # column → field value
    rows: int = 0


@dataclass
class ImportPlan:
    """What an import found in a file, before anything is written: the dry run's result.

    ``new`` and ``updated`` hold the kind's rows (``roster.RosterRow``, ``categories.CategoryRow``,
    ``payments.PaymentRow``), in a :class:`~.spool.RowSpool` (all but a batch of them in a private
    temporary file, which :meth:`close` deletes; a plan built by hand may hold lists); ``ended`` a full categories list's ``categories.EndedCategory``;
    ``list_changes`` a categories import's report, person by person (``categories.ListChange``:
    新增, 变更, 取消). ``standard_fen`` is the standard the charges are computed with and
    ``standard_shipped`` says it is the shipped national default (no policy of the year loaded)."""

    kind: ImportKind
    path: Path
    year: int
    tables: list[TableInfo] = field(default_factory=list)
    sheets_without_header: list[str] = field(default_factory=list)
    new: RowSpool | list[Any] = field(default_factory=RowSpool)
    updated: RowSpool | list[Any] = field(default_factory=RowSpool)
    unchanged: int = 0
    rejected: list[RowIssue] = field(default_factory=list)
    unmatched: list[RowIssue] = field(default_factory=list)
    warnings: RowSpool | list[RowIssue] = field(default_factory=RowSpool)  # a re-import warns on most rows
    ended: list[Any] = field(default_factory=list)
    full_list: bool = False
    source: str = ""
    rows_read: int = 0
    sha256: str = ""  # of the file as it was read, for the audit entry
    list_changes: list[Any] = field(default_factory=list)
    standard_fen: int = 0
    standard_shipped: bool = False
    township_id: int | None = None  # a county database's township the roster's villages are in

    def close(self) -> None:
        """Drop the accepted rows (their temporary file with them), once written: the counts stay."""
        for rows in (self.new, self.updated):
            if isinstance(rows, RowSpool):
                rows.close()

    @property
    def accepted(self) -> int:
        return len(self.new) + len(self.updated) + self.unchanged

    @property
    def no_data_rows(self) -> str:
        """Why there is nothing to import when the file has a header and no data row under it
        (said plainly, and refused); "" when it has rows."""
        if not self.tables or self.rows_read or self.accepted or self.rejected or self.unmatched:
            return ""
        where = "、".join(f"“{t.sheet}”第{t.header_row_number}行" for t in self.tables[:3])
        return (f"文件“{self.source or self.path.name}”里没有数据行：表头在{where}，表头下面没有人员，"
                "没有可导入的内容")

    def changes_count(self, change: str) -> int:
        """How many persons the categories report names with ``change`` (新增, 变更 or 取消)."""
        return sum(1 for entry in self.list_changes if entry.change == change)

    def summary_line(self) -> str:
        parts = [f"{len(self.new)} new", f"{len(self.updated)} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        line = (
            f"{self.kind.value}: {self.accepted} accepted ({', '.join(parts)}), "
            f"{len(self.rejected)} rejected, {len(self.unmatched)} unmatched"
        )
        if self.kind is ImportKind.CATEGORIES and (self.full_list or self.list_changes):
            line += (f"; {self.changes_count('新增')} joined (新增), {self.changes_count('变更')} changed (变更)"
                     + (f", {self.changes_count('取消')} left (取消)" if self.full_list else ""))
        if self.standard_shipped:
            line += (f"; no {self.year} policy loaded: charges use the shipped national default for {self.year}"
                     f" (standard {format_yuan(self.standard_fen)} yuan)")
        return line


class Failed:
    """A cell its parser refused, kept in the cell's place: the :class:`CellError` says why."""

    __slots__ = ("error",)

    def __init__(self, error: CellError) -> None:
        # Without its traceback and the exception it replaced: their frames lead back to the
        # list this is stored in, a reference cycle per refused cell that only a full garbage
        # collection frees (a file of a million refused rows grew to 2.9 GB).
        error.__traceback__ = None
        error.__context__ = error.__cause__ = None
        self.error = error


class Reject(Exception):
    """A row refused while it is checked: the field at fault (or None) and why."""

    def __init__(self, field: Field | str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class Reader:
    """Walks the rows of every sheet of the plan's file, with the bookkeeping every kind of
    import shares: progress and cancel, the tables read, and issues named by their column."""

    def __init__(self, plan: ImportPlan, progress: Progress | None, should_stop: ShouldStop | None,
                 overrides: Overrides | None) -> None:
        self.plan = plan
        self.progress = progress
        self.should_stop = should_stop
        sheets = read_tables(plan.path)
        found = locate_tables(sheets, overrides=overrides, path=str(plan.path))
        self.tables = found.found
        plan.sheets_without_header = list(found.without_header)
        self.total = sum(max(t.sheet.height - t.header.data_start, 0) for t in self.tables)
        self.today = clock.today()
        self._headers: dict[str, tuple[str, ...]] = {}
        self._columns: dict[str, dict[Field, int]] = {}

    def records(self) -> Iterator[tuple[DataRows, int, Row]]:
        """(the sheet's rows, row number, raw cells) of every data row of every sheet, with
        progress and cancel every 2,000 rows; a :class:`DataRow` is made only for a row that
        is reported on (:meth:`issue_at`)."""
        done = 0
        should_stop, progress = self.should_stop, self.progress
        for table in self.tables:
            header = table.header
            self._headers[table.sheet.name] = header.headers
            self._columns[table.sheet.name] = header.fields
            rows = table.rows()
            count = 0
            for row_number, raw in rows.records():
                count += 1
                done += 1
                if done % 2000 == 0:
                    if should_stop is not None and should_stop():
                        raise ImportCancelled()
                    if progress is not None:
                        progress(done, self.total)
                yield rows, row_number, raw
            self.plan.tables.append(
                TableInfo(table.sheet.name, header.headers, header.header_row_number,
                          header.layout_signature, {c: f.value for c, f in header.columns.items()}, count)
            )
        self.plan.rows_read = done
        if progress is not None:
            progress(done, done)

    def rows(self) -> Iterator[DataRow]:
        for rows, row_number, raw in self.records():
            yield rows.data_row(row_number, raw)

    def column_name(self, row: DataRow, field: Field | str | None) -> str:
        if field is None:
            return ""
        column = self._columns.get(row.sheet, {}).get(Field(field))
        headers = self._headers.get(row.sheet, ())
        if column is not None and column < len(headers) and headers[column]:
            return headers[column]
        return Field(field).label

    def issue(self, row: DataRow, field: Field | str | None, reason: str, id_number: str = "") -> RowIssue:
        return RowIssue(row.sheet, row.row_number, self.column_name(row, field), reason,
                        tuple(row.raw), id_number)

    def reject(self, row: DataRow, field: Field | str | None, reason: str, id_number: str = "") -> None:
        self.plan.rejected.append(self.issue(row, field, reason, id_number))

    def warn(self, row: DataRow, field: Field | str | None, reason: str, id_number: str = "") -> None:
        self.plan.warnings.append(self.issue(row, field, reason, id_number))

    def issue_at(self, rows: DataRows, row_number: int, raw: Row, field: Field | str | None, reason: str,
                 id_number: str = "") -> RowIssue:
        """:meth:`issue` for a row of :meth:`records`."""
        return self.issue(rows.data_row(row_number, raw), field, reason, id_number)

    def id_of(self, row: DataRow, seen: dict[str, str]) -> IdNumber:
        """The row's checked ID number, row by row (the roster checks its own, column-wise);
        ``seen`` maps numbers met so far to where (not to rows: keeping 100,000 rows alive
        would double an import's memory)."""
        try:
            parsed = parse_id_cell(row.get(Field.ID_NUMBER, None), today=self.today)
        except CellError as exc:
            raise Reject(Field.ID_NUMBER, exc.reason) from None
        warning = id_warning(parsed)
        if warning:
            self.warn(row, Field.ID_NUMBER, warning, parsed.number)
        first = seen.get(parsed.number)
        if first is not None:
            raise Reject(Field.ID_NUMBER, f"身份证号与{first}重复，只导入第一次出现的那一行")
        seen[parsed.number] = row.location
        return parsed


def category_resolver(policy: Policy) -> Callable[[str], str | None]:
    """A county file's category spelling (trimmed, as :func:`split_multi` gives it) → the year's
    category code, or None when unknown."""
    index: dict[str, str] = {}
    # every category DOMAIN.md names, subsidised this year or not: holding one is a fact about
    # the person, and whether it brings a subsidy is the policy's business
    for code, spellings in CATEGORY_SPELLINGS.items():
        for spelling in spellings:
            index[spelling] = code
        index[DEFAULT_CATEGORY_NAMES[code]] = code
    for code, rule in policy.categories.items():
        index[rule.name] = code
        index[code] = code
    return index.get


class Elsewhere(str):
    """A person's village as :func:`ledger_persons` names it when it is under another township
    than the roster's (a county database): "东山村（青山镇）", so that the roster's own township's
    东山村 is a change of village, not taken for the one they live in now."""


_LEDGER_PERSONS = """SELECT p.id_number, p.id, p.name, p.phone, h.number, p.relation, v.name, h.head_name, h.address,
                            h.head_id_number, v.parent_id, t.name
                     FROM person p JOIN household h ON h.id = p.household_id JOIN region v ON v.id = h.village_id
                     LEFT JOIN region t ON t.id = v.parent_id"""


class _Placed:
    """Rows of :data:`_LEDGER_PERSONS` as :func:`ledger_persons` gives them: with ``township_id``
    (a county database's roster of that township), the village of a person living under another
    township is an :class:`Elsewhere` (one string per such village, not one a person)."""

    def __init__(self, township_id: int | None) -> None:
        self.township_id = township_id
        self.names: dict[tuple[str, str], Elsewhere] = {}

    def __call__(self, row: tuple) -> tuple[str, tuple]:
        if self.township_id is None or row[10] == self.township_id:
            return row[0], row[1:10]
        key = (row[6], row[11] or "")
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = Elsewhere(f"{row[6]}（{row[11] or '不属于哪个乡镇'}）")
        return row[0], (*row[1:6], name, *row[7:10])


def ledger_persons(township_id: int | None = None) -> dict[str, tuple]:
    """ID number → (id, name, phone, household number, relation, village, head name, address,
    the household's head ID key or None). With ``township_id`` (a county database's roster of
    that township), the village of a person living under another township is an :class:`Elsewhere`."""
    return dict(map(_Placed(township_id), db.execute_sql(_LEDGER_PERSONS)))


class LedgerFacts:
    """What the ledger holds of the persons a chunk of roster rows names, read chunk by chunk
    (:meth:`load`): a county ledger's million persons held at once, as :func:`ledger_persons` and
    the year's enrollments and categories, took 1.2 GB.

    ``known``: :func:`ledger_persons` of the ID numbers asked for (with ``township_id``, those
    living under another township named as :class:`Elsewhere`); ``enrolled``: person id → (status
    in the year, has a payment in the year, amount paid); ``held``: person id → categories held
    in the year (:func:`held_categories`). The dicts are refilled in place by each :meth:`load`."""

    def __init__(self, year: int, township_id: int | None = None) -> None:
        self.year = year
        self.placed = _Placed(township_id)
        self.known: dict[str, tuple] = {}
        self.enrolled: dict[int, tuple[str, bool, int]] = {}
        self.held: dict[int, set[str]] = {}
        self.empty = db.execute_sql("SELECT id FROM person LIMIT 1").fetchone() is None  # nothing to look up

    def load(self, numbers: Iterable[str]) -> None:
        """The facts of the persons with these ID numbers, and of those whose ID number is one of
        theirs' household number (as ``households.household_of`` looks them up); any others are
        forgotten."""
        known, enrolled, held = self.known, self.enrolled, self.held
        known.clear()
        enrolled.clear()
        held.clear()
        if self.empty:
            return
        wanted = set(numbers)
        for _round in range(2):  # then the persons whose ID a known person's household number is
            for chunk in bulk.chunks(sorted(wanted)):
                marks = ",".join("?" * len(chunk))
                known.update(map(self.placed, db.execute_sql(
                    f"{_LEDGER_PERSONS} WHERE p.id_number IN ({marks})", chunk)))
            wanted = {row[3].upper() for row in known.values() if row[3] and len(row[3]) == 18} - known.keys()
        for chunk in bulk.chunks(sorted(row[0] for row in known.values())):
            marks = ",".join("?" * len(chunk))
            for person_id, status, paid, paid_fen in db.execute_sql(
                f"""SELECT e.person_id, e.status, EXISTS (SELECT 1 FROM payment y WHERE y.person_id = e.person_id
                                                           AND y.year = e.year), e.paid_fen
                    FROM enrollment e WHERE e.year = ? AND e.person_id IN ({marks})""", (self.year, *chunk)):
                enrolled[person_id] = (status, bool(paid), paid_fen)
            for person_id, code in db.execute_sql(
                f"SELECT person_id, category FROM category_membership WHERE year = ? AND ended_on IS NULL"
                f" AND person_id IN ({marks})", (self.year, *chunk)):
                held.setdefault(person_id, set()).add(code)


def held_categories(year: int) -> dict[int, set[str]]:
    """Person id → the category codes they hold in ``year`` (not ended)."""
    held: dict[int, set[str]] = {}
    for person_id, code in db.execute_sql(
        "SELECT person_id, category FROM category_membership WHERE year = ? AND ended_on IS NULL", (year,)
    ):
        held.setdefault(person_id, set()).add(code)
    return held


def now() -> str:
    """The time written into created_at / updated_at, to the second."""
    return dt.datetime.now().replace(microsecond=0).isoformat(" ")
