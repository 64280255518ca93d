"""A filter and a sort on any column of the person list (and of the household list), as WPS's
自动筛选 offers them, in SQL.

What a clerk used to WPS expects, kept small: on a column of few values (参保状态, 村, 资助类别,
与户主关系) tick the values to keep; on a text column (姓名, 身份证号, 户编号, 联系电话) type what the
cell contains, or keep only the blank cells; on an amount (尚欠, 应缴, 已缴) keep those at least
and/or at most some yuan. Every value reaches SQLite as a parameter, never inside the statement.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Self

from desktop_app.domain.money import format_yuan
from desktop_app.domain.policy import NO_CATEGORY, NO_CATEGORY_NAME, Policy
from desktop_app.domain.vocabulary import DEFAULT_CATEGORY_NAMES, Status
from desktop_app.store import dialect

#: 尚欠金额 in SQL, as :func:`desktop_app.domain.charges.still_owes` computes it
OWED_SQL = ("(CASE WHEN e.status = 'unpaid' AND e.due_fen > e.paid_fen"
            " THEN e.due_fen - e.paid_fen ELSE 0 END)")

#: columns whose cells are one of a few values: ticked in a list
VALUE_COLUMNS = frozenset({"status", "village", "categories", "relation", "members"})
#: columns of text: "contains", or only the blank cells
TEXT_COLUMNS = frozenset({"name", "id_number", "household_number", "phone"})
#: columns of amounts in fen: at least / at most
AMOUNT_COLUMNS = frozenset({"owed", "due", "paid"})

#: each filterable column's value in SQL (categories are a sub-query of their own)
COLUMN_SQL = {
    "name": "p.name",
    "id_number": "p.id_number",
    "relation": "p.relation",
    "household_number": "h.number",
    "village": "v.name",
    "phone": "p.phone",
    "status": "e.status",
    "owed": OWED_SQL,
    "due": "COALESCE(e.due_fen, 0)",
    "paid": "COALESCE(e.paid_fen, 0)",
}

#: the Chinese names of the columns, for a title that names the filters
COLUMN_TITLES = {
    "name": "姓名", "id_number": "身份证号", "relation": "与户主关系", "household_number": "户编号",
    "village": "村(社区)", "categories": "资助类别", "status": "参保状态", "owed": "尚欠金额",
    "phone": "联系电话", "due": "个人应缴", "paid": "已缴金额",
}

#: The household list's columns: each one's value in SQL (aliases h and v, as the person query's),
#: and its Chinese name. 人数 is ticked like a column of few values, so it is compared as text.
MEMBERS_SQL = "(SELECT COUNT(*) FROM person p WHERE p.household_id = h.id)"
HOUSEHOLD_COLUMN_SQL = {
    "number": "h.number",
    "village": "v.name",
    "head_name": "h.head_name",
    "members": f"CAST({MEMBERS_SQL} AS TEXT)",
    "address": "h.address",
}
HOUSEHOLD_SORT_SQL = {**HOUSEHOLD_COLUMN_SQL, "members": MEMBERS_SQL}
HOUSEHOLD_COLUMN_TITLES = {
    "number": "户编号", "village": "村(社区)", "head_name": "户主姓名", "members": "人数", "address": "家庭住址",
}

#: 参保状态 sorted as a clerk reads them: who still owes first, then paid, then the marked ones
STATUS_ORDER = tuple(s.value for s in Status)
_STATUS_SORT = ("(CASE e.status " + " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(STATUS_ORDER))
                + f" ELSE {len(STATUS_ORDER)} END)")  # codes are ours, never typed: safe in the text
_HELD = "FROM category_membership m WHERE m.person_id = p.id AND m.year = ? AND m.ended_on IS NULL"


@dataclass(frozen=True)
class ColumnFilter:
    """What one column keeps. ``values``: one of these (status and category codes, village names,
    relations; ``""`` is a blank cell, ``"none"`` a person without a category); ``contains``: part
    of the text; ``at_least``/``at_most``: fen, inclusive."""

    column: str
    values: tuple[str, ...] | None = None
    contains: str = ""
    at_least: int | None = None
    at_most: int | None = None

    def __post_init__(self) -> None:
        if self.column not in COLUMN_TITLES and self.column not in HOUSEHOLD_COLUMN_TITLES:
            raise ValueError(f"no such column to filter: {self.column}")

    @property
    def empty(self) -> bool:
        return self.values is None and not self.contains and self.at_least is None and self.at_most is None


class ColumnFiltered:
    """What a list's query (a frozen dataclass: :class:`PersonQuery`, the household list's
    query) does with its field ``columns``: at most one :class:`ColumnFilter` per column."""

    columns: tuple[ColumnFilter, ...]  # the dataclass's own field, last (its fields are positional)

    def column_filter(self, column: str) -> ColumnFilter | None:
        return next((f for f in self.columns if f.column == column), None)

    def with_column_filter(self, column_filter: ColumnFilter) -> Self:
        """This query with ``column_filter`` in place of the column's previous one (none if empty)."""
        others = tuple(f for f in self.columns if f.column != column_filter.column)
        return replace(self, columns=others if column_filter.empty else (*others, column_filter))

    def without_column_filter(self, column: str | None = None) -> Self:
        """This query without the filter of ``column`` (of every column when None)."""
        return replace(self, columns=() if column is None else tuple(f for f in self.columns if f.column != column))


def column_clause(f: ColumnFilter, year: int, sql: dict[str, str] = COLUMN_SQL) -> tuple[str, list[Any]]:
    """The SQL condition of one column's filter (aliases p, h, v, e of the person query; ``sql``:
    the list's columns in SQL, :data:`HOUSEHOLD_COLUMN_SQL` for the household list)."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.column == "categories":
        if f.values is not None:
            codes = [c for c in f.values if c != NO_CATEGORY]
            either = []
            if codes:
                either.append(f"EXISTS (SELECT 1 {_HELD} AND m.category IN ({','.join('?' * len(codes))}))")
                params += [year, *codes]
            if NO_CATEGORY in f.values:
                either.append(f"NOT EXISTS (SELECT 1 {_HELD})")
                params.append(year)
            clauses.append("(" + (" OR ".join(either) or "1 = 0") + ")")
        return " AND ".join(clauses) or "1 = 1", params
    expr = sql[f.column]
    if f.values is not None:
        kept = [v for v in f.values if v != ""]
        either = [f"{expr} IN ({','.join('?' * len(kept))})"] if kept else []
        params += kept
        if "" in f.values:
            either.append(f"COALESCE({expr}, '') = ''")
        clauses.append("(" + (" OR ".join(either) or "1 = 0") + ")")
    if f.contains:
        # LIKE's own wildcards in what was typed are taken literally
        escaped = f.contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append(f"{expr} {dialect.like()} ? ESCAPE '\\'")
        params.append(f"%{escaped}%")
    if f.at_least is not None:
        clauses.append(f"{expr} >= ?")
        params.append(f.at_least)
    if f.at_most is not None:
        clauses.append(f"{expr} <= ?")
        params.append(f.at_most)
    return " AND ".join(clauses) or "1 = 1", params


def sort_terms(key: str, year: int, policy: Policy | None) -> tuple[list[str], list[Any]]:
    """ORDER BY terms of a column (ties by household number), with their parameters."""
    if key == "categories":
        # the first category name, as shown: names from the year's policy, passed as parameters
        codes = sorted({*policy.categories, *DEFAULT_CATEGORY_NAMES}) if policy else []
        names = {code: policy.category_name(code) for code in codes} if policy else {}
        cases = " ".join("WHEN ? THEN ?" for _ in names)
        params: list[Any] = [v for pair in names.items() for v in pair]
        name = f"CASE m.category {cases} ELSE m.category END" if names else "m.category"
        return [f"(SELECT MIN(({name}){dialect.c_collate()}) {_HELD})", "h.number"], [*params, year]
    if key == "status":
        return [_STATUS_SORT, "h.number"], []
    if key in COLUMN_SQL:
        return [COLUMN_SQL[key]] + ([] if key == "household_number" else ["h.number"]), []
    raise KeyError(key)


def describe_filter(f: ColumnFilter, policy: Policy | None) -> str:
    """One filter in words, for the title of a list: 参保状态：未缴费、已缴费; 尚欠金额≥100.00元."""
    title = COLUMN_TITLES.get(f.column) or HOUSEHOLD_COLUMN_TITLES[f.column]
    parts = []
    if f.values is not None:
        shown = []
        for value in f.values:
            if value == "":
                shown.append("空白")
            elif f.column == "status":
                shown.append(Status(value).chinese if value in STATUS_ORDER else value)
            elif f.column == "categories":
                shown.append(NO_CATEGORY_NAME if value == NO_CATEGORY else
                             policy.category_name(value) if policy else value)
            else:
                shown.append(value)
        parts.append(f"{title}：{'、'.join(shown) or '（无）'}")
    if f.contains:
        parts.append(f"{title}含“{f.contains}”")
    if f.at_least is not None and f.at_most is not None:
        parts.append(f"{title}{format_yuan(f.at_least)}～{format_yuan(f.at_most)}元")
    elif f.at_least is not None:
        parts.append(f"{title}≥{format_yuan(f.at_least)}元")
    elif f.at_most is not None:
        parts.append(f"{title}≤{format_yuan(f.at_most)}元")
    return "，".join(parts)
