"""Finding persons: filters and search as you type, a page at a time, for lazy tables.

Search takes what a clerk types: part of a name (张三), pinyin initials (zs), any part of an
ID number, a phone or a household number. Filters: village, category, status, newborns of the
year, unpaid. Every query is one SQL statement with LIMIT/OFFSET, so a million-person ledger
never loads whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from desktop_app.domain.charges import still_owes
from desktop_app.services.policy import policy_for_year
from desktop_app.store.models import db

_DIGITS = re.compile(r"^[0-9xX]+$")
_INITIALS = re.compile(r"^[a-zA-Z]+$")


@dataclass(frozen=True)
class PersonQuery:
    year: int
    village_id: int | None = None
    category: str | None = None  # a category code, or "none" for persons without one
    status: str | None = None
    newborns: bool = False
    unpaid: bool = False
    search: str = ""
    sort: str = "entered"  # a key of SORT_KEYS
    descending: bool = False

    def with_(self, **changes: Any) -> PersonQuery:
        return replace(self, **changes)


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    id_number: str
    sex: str
    birth_date: str
    relation: str
    phone: str
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
    "entered": "p.id",
    "household": "h.number, CASE p.relation WHEN '户主' THEN 0 ELSE 1 END, p.birth_date",
    "name": "p.name",
    "id_number": "p.id_number",
    "birth_date": "p.birth_date",
    "village": "v.name, h.number",
    "status": "e.status, h.number",
    "due": "e.due_fen - e.paid_fen, h.number",
}


def _where(query: PersonQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.village_id is not None:
        clauses.append("h.village_id = ?")
        params.append(query.village_id)
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
    return (" AND ".join(clauses) or "1"), params


def search_clause(text: str) -> tuple[str, list[Any]]:
    """The SQL condition for what a clerk typed into the search box."""
    if _DIGITS.match(text):
        like = f"%{text.upper()}%"
        # head_id_number: a household keyed by its head's ID is found, all of it, by that ID
        return ("(p.id_number LIKE ? OR p.phone LIKE ? OR h.number LIKE ? OR h.head_id_number LIKE ?)",
                [like, like, like, like])
    if _INITIALS.match(text):
        # pinyin initials from the start of the name: GLOB is case-sensitive, so the index on
        # the (lower-case) initials serves it
        return "p.name_initials GLOB ?", [f"{text.lower()}*"]
    return "(p.name LIKE ? OR h.number LIKE ?)", [f"%{text}%", f"%{text}%"]


_FROM = """FROM person p
           JOIN household h ON h.id = p.household_id
           JOIN region v ON v.id = h.village_id
           LEFT JOIN enrollment e ON e.person_id = p.id AND e.year = ?"""


def count_persons(query: PersonQuery) -> int:
    where, params = _where(query)
    return int(db.execute_sql(f"SELECT COUNT(*) {_FROM} WHERE {where}", [query.year, *params]).fetchone()[0])


def person_rows(query: PersonQuery, offset: int, limit: int) -> list[PersonRow]:
    where, params = _where(query)
    order = SORT_KEYS.get(query.sort, SORT_KEYS["entered"])
    if query.descending:
        order = ", ".join(f"{part.strip()} DESC" for part in order.split(","))
    cursor = db.execute_sql(
        f"""SELECT p.id, p.name, p.id_number, p.sex, p.birth_date, p.relation, p.phone,
                   h.id, h.number, v.name, e.status, COALESCE(e.due_fen, 0), COALESCE(e.paid_fen, 0)
            {_FROM} WHERE {where} ORDER BY {order}, p.id LIMIT ? OFFSET ?""",
        [query.year, *params, limit, offset],
    )
    rows = [PersonRow(*row) for row in cursor.fetchall()]
    if not rows:
        return rows
    names = _category_names(query.year, [r.id for r in rows])
    return [replace(r, categories=names.get(r.id, "")) for r in rows]


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
