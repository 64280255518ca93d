"""Reading households page by page, for lazy tables that never load a whole township."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from desktop_app.domain.charges import (
    Charge,
    HouseholdOwing,
    explain_charge,
    household_owing,
    refund_due,
    still_owes,
)
from desktop_app.domain.money import format_yuan
from desktop_app.domain.vocabulary import CollectionMode, Status
from desktop_app.services.person_filters import (
    HOUSEHOLD_COLUMN_SQL,
    HOUSEHOLD_SORT_SQL,
    MEMBERS_SQL,
    VALUE_COLUMNS,
    ColumnFilter,
    ColumnFiltered,
    column_clause,
)
from desktop_app.services.persons import OF_TOWNSHIP, PersonCells, search_clause
from desktop_app.services.policy import policy_for_year
from desktop_app.store import dialect
from desktop_app.store.models import db


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    number: str
    village: str
    head_name: str
    members: int
    address: str


@dataclass(frozen=True)
class HouseholdQuery(ColumnFiltered):
    """The household list: a village's households (all when None) with a member the search box
    finds (every one when blank), filtered and sorted on its columns like the person list."""

    village_id: int | None = None
    search: str = ""
    sort: str = "number"  # a column of person_filters.HOUSEHOLD_COLUMN_SQL
    descending: bool = False
    columns: tuple[ColumnFilter, ...] = ()  # at most one filter per column
    township_id: int | None = None  # a county database: only this township's villages

    def with_(self, **changes: Any) -> HouseholdQuery:
        return replace(self, **changes)


_HOUSEHOLDS = "FROM household h JOIN region v ON v.id = h.village_id"


def _household_where(query: HouseholdQuery) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if query.village_id is not None:
        clauses.append("h.village_id = ?")
        params.append(query.village_id)
    if query.township_id is not None:
        clauses.append(OF_TOWNSHIP)
        params.append(query.township_id)
    if query.search.strip():
        # the same search as the person list: a household shows when one of its members is found
        clause, extra = search_clause(query.search.strip())
        clauses.append(f"h.id IN (SELECT p.household_id FROM person p JOIN household h ON h.id = p.household_id"
                       f" WHERE {clause})")
        params += extra
    for column_filter in query.columns:
        clause, extra = column_clause(column_filter, 0, HOUSEHOLD_COLUMN_SQL)
        clauses.append(clause)
        params += extra
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def count_households(query: HouseholdQuery = HouseholdQuery(), cap: int | None = None) -> int:
    """How many households ``query`` finds; with ``cap``, at most ``cap`` (the count stops there:
    ``cap`` returned means "at least ``cap``")."""
    where, params = _household_where(query)
    if cap is None:
        return int(db.execute_sql(f"SELECT COUNT(*) {_HOUSEHOLDS} {where}", params).fetchone()[0])
    return int(db.execute_sql(f"SELECT COUNT(*) FROM (SELECT 1 {_HOUSEHOLDS} {where} LIMIT ?) AS found",
                              [*params, cap]).fetchone()[0])


def household_rows(offset: int, limit: int, query: HouseholdQuery = HouseholdQuery()) -> list[HouseholdRow]:
    """One page of households in the query's order (household number unless sorted otherwise),
    with their member counts."""
    where, params = _household_where(query)
    order = HOUSEHOLD_SORT_SQL.get(query.sort, "h.number")
    cursor = db.execute_sql(
        f"""SELECT h.id, h.number, v.name, h.head_name, {MEMBERS_SQL}, h.address
            {_HOUSEHOLDS} {where}
            ORDER BY {dialect.order_term(order, query.descending)}, {dialect.order_term("h.number", query.descending)}, h.id
            LIMIT ? OFFSET ?""",
        (*params, limit, offset),
    )
    return [HouseholdRow(*row) for row in cursor.fetchall()]


def household_column_values(query: HouseholdQuery, column: str) -> list[tuple[str, int]]:
    """The values a few-valued column of the household list (村, 人数) takes among the households
    ``query`` finds without that column's own filter, each with its number of households."""
    if column not in VALUE_COLUMNS or column not in HOUSEHOLD_COLUMN_SQL:
        raise ValueError(f"{column} is not a column of few values")
    where, params = _household_where(query.without_column_filter(column))
    expr = HOUSEHOLD_COLUMN_SQL[column]
    cursor = db.execute_sql(f"SELECT COALESCE({expr}, ''), COUNT(*) {_HOUSEHOLDS} {where} GROUP BY 1", params)
    values = [(value, count) for value, count in cursor.fetchall()]
    return sorted(values, key=lambda pair: (len(pair[0]), pair[0]) if column == "members" else pair[0])


def find_household_by_number(number: str) -> HouseholdRow | None:
    row = db.execute_sql(
        """SELECT h.id, h.number, r.name, h.head_name,
                  (SELECT COUNT(*) FROM person p WHERE p.household_id = h.id), h.address
           FROM household h JOIN region r ON r.id = h.village_id WHERE h.number = ?""",
        (number,),
    ).fetchone()
    return HouseholdRow(*row) if row else None


@dataclass(frozen=True)
class VillageCount:
    id: int
    name: str
    households: int
    persons: int


def village_names() -> list[str]:
    """The ledger's village names, in the order of :func:`villages_with_counts`, counting nobody:
    what a village picker lists."""
    cursor = db.execute_sql("SELECT name FROM region WHERE level = 'village'"
                            f" ORDER BY {dialect.text_key('code', nullable=True)}, {dialect.text_key('name')}")
    return [row[0] for row in cursor.fetchall()]


def villages_with_counts(township_id: int | None = None) -> list[VillageCount]:
    """Each village of the ledger (of one township of a county database, when given) with its
    number of households and persons."""
    town, params = ("", []) if township_id is None else (" AND r.parent_id = ?", [township_id])
    cursor = db.execute_sql(
        f"""SELECT r.id, r.name,
                  (SELECT COUNT(*) FROM household h WHERE h.village_id = r.id),
                  (SELECT COUNT(*) FROM person p JOIN household h ON h.id = p.household_id
                    WHERE h.village_id = r.id)
           FROM region r WHERE r.level = 'village'{town}
           ORDER BY {dialect.text_key("r.code", nullable=True)}, {dialect.text_key("r.name")}""",
        params,
    )
    return [VillageCount(*row) for row in cursor.fetchall()]


#: Why a person with a recorded status owes nothing in the year: no charge is explained for them,
#: since they do not pay into resident insurance here (issue 16).
NOT_PAYING_EXPLANATIONS: dict[str, str] = {
    Status.EMPLOYEE.value: "参加职工医保，不在居民医保缴费，本年度无需缴费",
    Status.ELSEWHERE.value: "异地参保，在参保地缴费，本年度无需在本地缴费",
    Status.DECEASED.value: "已死亡，本年度无需缴费",
    Status.MOVED.value: "已迁出，本年度无需在本地缴费",
    Status.MILITARY.value: "服兵役期间不参加居民医保，本年度无需缴费",
    Status.OTHER.value: "其他不需参保，本年度无需缴费",
}


@dataclass(frozen=True)
class MemberRow(PersonCells):
    """A household member with the year's enrollment and the charge explained in a sentence."""

    person_id: int
    categories: str  # the year's category names, joined by 、
    status: str | None  # None: no enrollment that year
    status_reason: str
    standard_fen: int
    subsidy_fen: int
    due_fen: int
    paid_fen: int
    collection_mode: str
    explanation: str

    @property
    def owed_fen(self) -> int:
        """还需缴纳 this year (:func:`~desktop_app.domain.charges.still_owes`)."""
        return still_owes(self.status, self.due_fen, self.paid_fen)


def household_totals(members: Iterable[MemberRow]) -> HouseholdOwing:
    """个人应缴, paid and still owed of a household's year, from :func:`household_members`."""
    return household_owing((m.status, m.due_fen, m.paid_fen) for m in members)


def household_members(household_id: int, year: int) -> list[MemberRow]:
    """The members of a household, head first, with the year's charge of each."""
    policy = policy_for_year(year)
    names: dict[int, list[str]] = {}
    for person_id, code in db.execute_sql(
        """SELECT m.person_id, m.category FROM category_membership m
           JOIN person p ON p.id = m.person_id
           WHERE p.household_id = ? AND m.year = ? AND m.ended_on IS NULL
           ORDER BY m.category""",
        (household_id, year),
    ):
        names.setdefault(person_id, []).append(policy.category_name(code) if policy else code)
    rows = db.execute_sql(
        """SELECT p.id, p.name, p.id_number, p.sex, p.birth_date, p.relation, p.phone,
                  e.status, e.status_reason, e.applied_category, e.standard_fen, e.subsidy_fen,
                  e.due_fen, e.paid_fen, e.collection_mode
           FROM person p LEFT JOIN enrollment e ON e.person_id = p.id AND e.year = ?
           WHERE p.household_id = ?
           ORDER BY CASE p.relation WHEN '户主' THEN 0 ELSE 1 END, p.birth_date""",
        (year, household_id),
    ).fetchall()
    members = []
    for (pid, name, number, sex, birth, relation, phone, status, reason, applied, standard,
         subsidy, due, paid, mode) in rows:
        explanation = ""
        if status in NOT_PAYING_EXPLANATIONS:
            explanation = NOT_PAYING_EXPLANATIONS[status]
        elif status is not None and policy is not None:
            charge = Charge(standard, applied, subsidy, due, CollectionMode(mode))
            explanation = explain_charge(policy, charge)
            refund = refund_due(status, paid, due)
            if refund:
                explanation += f"；已缴{format_yuan(paid)}元，应退{format_yuan(refund)}元（事后资助）"
        members.append(
            MemberRow(name, number, sex, str(birth), relation, phone, pid, "、".join(names.get(pid, [])),
                      status, reason or "", standard or 0, subsidy or 0, due or 0, paid or 0, mode or "",
                      explanation)
        )
    return members
