"""Finding persons: filters and search as you type, a page at a time, for lazy tables.

Search takes what a clerk types: part of a name (张三), pinyin initials (zs), any part of an
ID number, a phone or a household number. Filters: village, category, status, newborns of the
year, unpaid, and one filter per column (:mod:`.person_filters`). Every query is one SQL
statement with LIMIT/OFFSET, so a million-person ledger never loads whole; the sums of a
selection of rows are one more (:func:`selection_totals`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any

from desktop_app.domain.charges import still_owes
from desktop_app.services.person_filters import (
    COLUMN_SQL,
    OWED_SQL,
    STATUS_ORDER,
    VALUE_COLUMNS,
    ColumnFilter,
    ColumnFiltered,
    column_clause,
    describe_filter,
    sort_terms,
)
from desktop_app.services.policy import policy_for_year
from desktop_app.store import dialect
from desktop_app.store.models import db

#: a household in a village of one township (a county database); its parameter, the township's id
OF_TOWNSHIP = "h.village_id IN (SELECT id FROM region WHERE parent_id = ?)"

_DIGITS = re.compile(r"^[0-9xX]+$")
_ONLY_DIGITS = re.compile(r"^[0-9]+$")
_INITIALS = re.compile(r"^[a-zA-Z]+$")


@dataclass(frozen=True)
class PersonQuery(ColumnFiltered):
    year: int
    village_id: int | None = None
    category: str | None = None  # a category code, or "none" for persons without one
    status: str | None = None
    newborns: bool = False
    unpaid: bool = False
    search: str = ""
    sort: str = "entered"  # a key of SORT_KEYS, or a column of person_filters.COLUMN_SQL / "categories"
    descending: bool = False
    columns: tuple[ColumnFilter, ...] = ()  # at most one filter per column
    township_id: int | None = None  # a county database: only this township's villages

    def with_(self, **changes: Any) -> PersonQuery:
        return replace(self, **changes)


@dataclass(frozen=True)
class PersonCells:
    """What a row shows of a person: the person list's row and a household panel's member both
    begin with these, in this order."""

    name: str
    id_number: str
    sex: str
    birth_date: str
    relation: str
    phone: str


@dataclass(frozen=True)
class PersonRow(PersonCells):
    id: int
    household_id: int
    household_number: str
    village: str
    status: str | None
    due_fen: int
    paid_fen: int
    categories: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def owed_fen(self) -> int:
        """还需缴纳 this year (:func:`~desktop_app.domain.charges.still_owes`)."""
        return still_owes(self.status, self.due_fen, self.paid_fen)


SORT_KEYS = {
    # the order persons were entered (imports go household by household): the primary key,
    # so scrolling a million persons needs no sort
    "entered": ("p.id",),
    "household": ("h.number", "CASE p.relation WHEN '户主' THEN 0 ELSE 1 END", "p.birth_date"),
    "name": ("p.name",),
    "id_number": ("p.id_number",),
    "birth_date": ("p.birth_date",),
    "village": ("v.name", "h.number"),
    "due": ("e.due_fen - e.paid_fen", "h.number"),
}


def _order(query: PersonQuery) -> tuple[str, list[Any]]:
    """ORDER BY of a query (each term descending when asked), the primary key last, and its parameters."""
    if query.sort in SORT_KEYS:
        terms, params = list(SORT_KEYS[query.sort]), []
    else:
        try:
            terms, params = sort_terms(query.sort, query.year, policy_for_year(query.year))
        except KeyError:
            terms, params = list(SORT_KEYS["entered"]), []
    # a term of the LEFT JOINed enrollment, or a sub-query, may be NULL
    terms = [dialect.order_term(t, query.descending, nullable=("e." in t or "SELECT" in t)) for t in terms]
    return ", ".join([*terms, "p.id"]), params


def _where(query: PersonQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.village_id is not None:
        clauses.append("h.village_id = ?")
        params.append(query.village_id)
    if query.township_id is not None:
        clauses.append(OF_TOWNSHIP)
        params.append(query.township_id)
    if query.status:
        clauses.append("e.status = ?")
        params.append(query.status)
    if query.unpaid:
        clauses.append("e.status = 'unpaid'")
    if query.newborns:
        clauses.append("p.birth_date BETWEEN ? AND ?")
        params += [f"{query.year}-01-01", f"{query.year}-12-31"]
    if query.category == "none":
        clauses.append(
            "NOT EXISTS (SELECT 1 FROM category_membership m WHERE m.person_id = p.id"
            " AND m.year = ? AND m.ended_on IS NULL)"
        )
        params.append(query.year)
    elif query.category:
        clauses.append(
            "EXISTS (SELECT 1 FROM category_membership m WHERE m.person_id = p.id"
            " AND m.year = ? AND m.category = ? AND m.ended_on IS NULL)"
        )
        params += [query.year, query.category]
    text = query.search.strip()
    if text:
        clause, extra = search_clause(text)
        clauses.append(clause)
        params += extra
    for column_filter in query.columns:
        clause, extra = column_clause(column_filter, query.year)
        clauses.append(clause)
        params += extra
    return (" AND ".join(clauses) or "1 = 1"), params


def search_clause(text: str) -> tuple[str, list[Any]]:
    """The SQL condition for what a clerk typed into the search box."""
    if dialect.is_postgres():
        return _search_clause_postgres(text)
    like = dialect.like()
    if _DIGITS.match(text):
        pattern = f"%{text.upper()}%"
        # head_id_number: a household keyed by its head's ID is found, all of it, by that ID
        return (f"(p.id_number {like} ? OR p.phone {like} ? OR h.number {like} ? OR h.head_id_number {like} ?)",
                [pattern, pattern, pattern, pattern])
    if _INITIALS.match(text):
        # pinyin initials from the start of the name: case-sensitive (GLOB on SQLite, LIKE on
        # PostgreSQL), so the index on the (lower-case) initials serves it
        return dialect.glob_prefix("p.name_initials"), [dialect.prefix_pattern(text.lower())]
    return f"(p.name {like} ? OR h.number {like} ?)", [f"%{text}%", f"%{text}%"]


#: migration 10's partial index predicate, word for word: PostgreSQL uses the index only when the
#: query states it. A name fragment (never only digits and X) cannot be in such a number anyway.
NOT_DIGIT_NUMBER = "sh.number !~ '^[0-9xX]*$'"


def _search_clause_postgres(text: str) -> tuple[str, list[Any]]:
    """The same condition on PostgreSQL, finding the same persons, shaped for its indexes
    (migrations 9 and 10): each table's own condition in a sub-query of its own (an OR across the
    joined person and household would be checked row by row over the whole join), trigram indexes
    for 3 characters or more, the 1–2 character gram indexes for a short name fragment."""
    if _DIGITS.match(text) and len(text) < 3:
        # one or two digits: no trigram index serves them and a good part of the ledger matches,
        # so the joined rows are checked one by one in the list's order, and a page (or a
        # capped count) stops as soon as it has its rows, instead of collecting every match first
        like = _digit_like(text)
        return (f"(p.id_number {like} ? OR p.phone {like} ? OR h.number {like} ? OR h.head_id_number {like} ?)",
                [f"%{text.upper()}%"] * 4)
    if _INITIALS.match(text):
        return dialect.glob_prefix("p.name_initials"), [dialect.prefix_pattern(text.lower())]
    if _short_name_fragment(text):
        return _short_name_clause(text)
    ids, params = _found_ids_postgres(text)
    return f"p.id IN ({ids})", params


def _short_name_fragment(text: str) -> bool:
    """A 1–2 character fragment of a name or household number: no trigram in it (the gram indexes
    serve it), nor a LIKE wildcard."""
    return len(text) <= 2 and not _DIGITS.match(text) and not any(c in text for c in "%_\\")


def _short_name_clause(text: str) -> tuple[str, list[Any]]:
    """The condition on ``p`` for a 1–2 character fragment: the gram indexes (migrations 9 and 10),
    one OR on the person's own columns (the household side is a list of ids, worked out once).

    A name holds the lower-cased fragment among its grams exactly when it holds the fragment
    ignoring case, so there is no ILIKE beside the gram test: with one the planner took the ~14,000
    persons a common character finds for ~100 and joined every one before sorting out the first
    page. Counted right, it chooses by how common the fragment is: a rare one through the indexes
    (a bitmap), a common one (张, 9% of the ledger) by reading persons in the list's order until the
    page is full or a capped count reached (~20 ms instead of ~250 for collecting all 87,000 first)."""
    households = (f"SELECT sh.id FROM household sh WHERE {NOT_DIGIT_NUMBER}"
                  " AND ledger_grams(sh.number) @> ARRAY[lower(?)]")
    return (f"(ledger_grams(p.name) @> ARRAY[lower(?)] OR p.household_id = ANY(ARRAY({households})))",
            [text, text])


def _digit_like(text: str) -> str:
    """LIKE for a fragment of digits only (they have no case: the same rows as ILIKE, which lowers
    every value it reads first — twice the time of a whole scan, ten times a trigram recheck at a
    million persons), ILIKE when it holds an X (an ID number's x or X)."""
    return "LIKE" if _ONLY_DIGITS.match(text) else "ILIKE"


def _found_ids_postgres(text: str) -> tuple[str, list[Any]]:
    """The ids of the persons a search for ``text`` finds on PostgreSQL (a fragment of an ID number,
    phone or household number of 3 digits or more, or of a name or household number), as one
    sub-query: the person list's condition, and on its own what the search box alone counts."""
    households = " UNION SELECT sp.id FROM person sp JOIN household sh ON sh.id = sp.household_id WHERE "
    if _DIGITS.match(text):
        like = _digit_like(text)
        sql = f"SELECT id FROM person WHERE id_number {like} ? OR phone {like} ?" + households + (
            f"sh.number {like} ? OR sh.head_id_number {like} ?")
        return sql, [f"%{text.upper()}%"] * 4
    if _short_name_fragment(text):
        clause, params = _short_name_clause(text)
        return f"SELECT p.id FROM person p WHERE {clause}", params
    pattern = f"%{text}%"
    return "SELECT id FROM person WHERE name ILIKE ?" + households + "sh.number ILIKE ?", [pattern, pattern]


def _search_alone_postgres(query: PersonQuery) -> tuple[str, list[Any]] | None:
    """On PostgreSQL, when ``query`` is the search box and nothing else (and not 1–2 digits), the
    ids it finds as one sub-query (:func:`_found_ids_postgres`, or the initials' prefix); else
    None. Every person has a household and every household a village (NOT NULL foreign keys), so
    the list's joins drop no id and the ids alone count the list: counting ~14,000 matches of a
    common character then costs ~10 ms instead of joining each to its household (~100 ms)."""
    text = query.search.strip()
    if not (dialect.is_postgres() and text) or (_DIGITS.match(text) and len(text) < 3):
        return None
    if query != PersonQuery(query.year, search=query.search, sort=query.sort, descending=query.descending):
        return None
    if _INITIALS.match(text):  # read from the initials' index alone (~2 ms for 12,000 instead of ~70)
        return f"SELECT id FROM person WHERE {dialect.glob_prefix('name_initials')}", [
            dialect.prefix_pattern(text.lower())]
    return _found_ids_postgres(text)


_FROM = """FROM person p
           JOIN household h ON h.id = p.household_id
           JOIN region v ON v.id = h.village_id
           LEFT JOIN enrollment e ON e.person_id = p.id AND e.year = ?"""


def search_text_for(person_id: int) -> str | None:
    """What typed into the search box finds this person: the ID number (the name when there is
    none); None when the ledger has no such person."""
    row = db.execute_sql("SELECT id_number, name FROM person WHERE id = ?", [person_id]).fetchone()
    return None if row is None else (row[0] or row[1])


def count_persons(query: PersonQuery, cap: int | None = None) -> int:
    """How many persons ``query`` finds; with ``cap``, at most ``cap`` (the count stops there:
    ``cap`` returned means "at least ``cap``")."""
    alone = _search_alone_postgres(query)
    if alone is not None:
        ids, found = alone
        limit = "" if cap is None else " LIMIT ?"
        return int(db.execute_sql(f"SELECT COUNT(*) FROM ({ids}{limit}) AS found",
                                  [*found, *([] if cap is None else [cap])]).fetchone()[0])
    where, params = _where(query)
    if cap is None:
        return int(db.execute_sql(f"SELECT COUNT(*) {_FROM} WHERE {where}", [query.year, *params]).fetchone()[0])
    return int(db.execute_sql(f"SELECT COUNT(*) FROM (SELECT 1 {_FROM} WHERE {where} LIMIT ?) AS found",
                              [query.year, *params, cap]).fetchone()[0])


#: In :class:`PersonRow`'s order.
_COLUMNS = """p.name, p.id_number, p.sex, p.birth_date, p.relation, p.phone, p.id,
               h.id, h.number, v.name, e.status, COALESCE(e.due_fen, 0), COALESCE(e.paid_fen, 0)"""


def _rows_sql(query: PersonQuery) -> tuple[str, list[Any]]:
    where, params = _where(query)
    order, order_params = _order(query)
    return f"SELECT {_COLUMNS} {_FROM} WHERE {where} ORDER BY {order}", [query.year, *params, *order_params]


def _with_categories(year: int, rows: list[PersonRow]) -> list[PersonRow]:
    if not rows:
        return rows
    names = _category_names(year, [r.id for r in rows])
    return [replace(r, categories=names.get(r.id, "")) for r in rows]


def person_rows(query: PersonQuery, offset: int, limit: int) -> list[PersonRow]:
    sql, params = _rows_sql(query)
    cursor = db.execute_sql(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset])
    return _with_categories(query.year, [PersonRow(*row) for row in cursor.fetchall()])


def iter_person_rows(query: PersonQuery, ranges: Sequence[tuple[int, int]] | None = None,
                     chunk: int = 500) -> Iterator[PersonRow]:
    """Every row of ``query`` in its order (only rows ``first..last`` of each of ``ranges``, in
    the order given), streamed from one statement per range: an export of 100,000 persons never
    holds them all."""
    sql, params = _rows_sql(query)
    spans = [(0, -1)] if ranges is None else [(first, last - first + 1) for first, last in ranges]
    for offset, limit in spans:
        rows = dialect.stream_rows(f"{sql} LIMIT ? OFFSET ?", [*params, dialect.no_limit(limit), offset], chunk)
        while batch := list(islice(rows, chunk)):
            yield from _with_categories(query.year, [PersonRow(*row) for row in batch])


@dataclass(frozen=True)
class Totals:
    """Count and sums of some persons of a query: 个人应缴, 已缴 and 尚欠 (still owed) in fen."""

    persons: int
    due_fen: int
    paid_fen: int
    owed_fen: int


def selection_totals(query: PersonQuery, ranges: Sequence[tuple[int, int]]) -> Totals:
    """The totals of rows ``first..last`` (inclusive, 0-based, in the query's order) of each range.

    A range covering the whole list costs one aggregate; otherwise the rows are numbered in the
    query's order (a window function) and the ranges picked out, so a selection far beyond what
    the table has read is still summed exactly, in one statement."""
    sums = f"COUNT(*), COALESCE(SUM(e.due_fen), 0), COALESCE(SUM(e.paid_fen), 0), COALESCE(SUM({OWED_SQL}), 0)"
    where, params = _where(query)
    spans = sorted((max(0, a), b) for a, b in ranges if b >= a)
    if not spans:
        return Totals(0, 0, 0, 0)
    reach = max(b for _a, b in spans)
    # the whole list when nothing lies beyond the furthest row: a count that stops just past it
    if spans[0][0] == 0 and _contiguous(spans) and count_persons(query, cap=reach + 2) <= reach + 1:
        row = db.execute_sql(f"SELECT {sums} {_FROM} WHERE {where}", [query.year, *params]).fetchone()
        return Totals(*row)
    order, order_params = _order(query)
    picked = " OR ".join("n BETWEEN ? AND ?" for _ in spans)
    row = db.execute_sql(
        f"""SELECT COUNT(*), COALESCE(SUM(due), 0), COALESCE(SUM(paid), 0), COALESCE(SUM(owed), 0) FROM (
                SELECT ROW_NUMBER() OVER (ORDER BY {order}) - 1 AS n, e.due_fen AS due,
                       e.paid_fen AS paid, {OWED_SQL} AS owed
                {_FROM} WHERE {where}) AS numbered WHERE {picked}""",
        [*order_params, query.year, *params, *(v for span in spans for v in span)],
    ).fetchone()
    return Totals(*row)


def _contiguous(spans: list[tuple[int, int]]) -> bool:
    """Whether sorted ``spans`` leave no gap from the first to the furthest."""
    reach = spans[0][1]
    for first, last in spans[1:]:
        if first > reach + 1:
            return False
        reach = max(reach, last)
    return True


def _category_names(year: int, person_ids: list[int]) -> dict[int, str]:
    policy = policy_for_year(year)
    marks = ",".join("?" * len(person_ids))
    held: dict[int, list[str]] = {}
    for person_id, code in db.execute_sql(
        f"SELECT person_id, category FROM category_membership WHERE year = ? AND ended_on IS NULL"
        f" AND person_id IN ({marks}) ORDER BY category",
        [year, *person_ids],
    ):
        held.setdefault(person_id, []).append(policy.category_name(code) if policy else code)
    return {pid: "、".join(names) for pid, names in held.items()}


def column_values(query: PersonQuery, column: str) -> list[tuple[str, int]]:
    """The values a few-valued column takes among the persons ``query`` finds without that
    column's own filter, each with its number of persons (what 自动筛选 lists to tick): status and
    category codes ("none": no category; "" a blank cell), village names, relations."""
    query = query.without_column_filter(column)
    where, params = _where(query)
    if column == "categories":
        cursor = db.execute_sql(
            f"""SELECT COALESCE(m.category, 'none'), COUNT(DISTINCT p.id) {_FROM}
                LEFT JOIN category_membership m ON m.person_id = p.id AND m.year = ? AND m.ended_on IS NULL
                WHERE {where} GROUP BY 1 ORDER BY 1""",
            [query.year, query.year, *params],
        )
        return [(code, count) for code, count in cursor.fetchall()]
    if column not in VALUE_COLUMNS:
        raise ValueError(f"{column} is not a column of few values")
    expr = COLUMN_SQL[column]
    cursor = db.execute_sql(
        f"SELECT COALESCE({expr}, ''), COUNT(*) {_FROM} WHERE {where} GROUP BY 1 ORDER BY 1",
        [query.year, *params],
    )
    values = [(value, count) for value, count in cursor.fetchall()]
    if column == "status":
        rank = {code: i for i, code in enumerate(STATUS_ORDER)}
        values.sort(key=lambda pair: rank.get(pair[0], len(rank)))
    return values


def describe_query(query: PersonQuery) -> str:
    """The filters of a list in words, for its title: 东山村，参保状态：未缴费，搜索“zs”."""
    policy = policy_for_year(query.year) if query.year else None
    parts: list[str] = []
    if query.township_id is not None:
        row = db.execute_sql("SELECT name FROM region WHERE id = ?", [query.township_id]).fetchone()
        parts.append(row[0] if row else "")
    if query.village_id is not None:
        row = db.execute_sql("SELECT name FROM region WHERE id = ?", [query.village_id]).fetchone()
        parts.append(row[0] if row else "")
    if query.status:
        parts.append(describe_filter(ColumnFilter("status", values=(query.status,)), policy))
    if query.category:
        parts.append(describe_filter(ColumnFilter("categories", values=(query.category,)), policy))
    if query.newborns:
        parts.append("当年出生")
    if query.unpaid:
        parts.append("未缴费")
    if query.search.strip():
        parts.append(f"搜索“{query.search.strip()}”")
    parts += [describe_filter(f, policy) for f in query.columns]
    return "，".join(p for p in parts if p)
