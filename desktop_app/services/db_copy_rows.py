"""One township's rows of a ledger, read the same way from a file or a server, and what they add up to.

:func:`read_township` reads everything that belongs to a township (its villages, their
households, those households' persons, the persons' category memberships, enrollments and
payments) with the township's own ids, in id order; the same SQL runs on SQLite and PostgreSQL
(the server connection speaks ``?`` and gives dates back as ISO text: :mod:`store.dialect`).
:func:`figures` is what :mod:`services.db_copy` prints and compares: counts and charge sums, and a
digest of every row by its natural keys (ID number, household number, payment uid — never an id,
which differs from ledger to ledger), so that two ledgers agree on a township only when every
person, household, enrollment and payment of it reads the same in both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from desktop_app.store.models import (
    CategoryMembership,
    CategoryRule,
    Enrollment,
    Household,
    Payment,
    Person,
    PolicyYear,
    Region,
)


def columns(model: type) -> list[str]:
    """The table's columns in the models' order (the id first)."""
    return [f.column_name for f in model._meta.sorted_fields]


def _select(model: type, alias: str) -> str:
    return ", ".join(f'{alias}."{c}"' for c in columns(model))


_IN_TOWN = "JOIN region v ON v.id = h.village_id WHERE v.parent_id = ? AND v.level = 'village'"
_PERSON_IN_TOWN = f"JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id {_IN_TOWN}"


@dataclass
class TownshipRows:
    """A township's rows (tuples in :func:`columns` order), as its own ledger numbers them."""

    county: tuple | None
    township: tuple
    villages: list[tuple]
    households: list[tuple]
    persons: list[tuple]
    categories: list[tuple]
    enrollments: list[tuple]
    payments: list[tuple]
    operators: dict[int, str] = field(default_factory=dict)  # id → name


def read_township(conn: object, town_id: int) -> TownshipRows:
    """Everything of the township ``town_id`` in the ledger on ``conn`` (sqlite3 or the server's)."""
    region = columns(Region)
    town = conn.execute(f"SELECT {', '.join(region)} FROM region WHERE id = ?", (town_id,)).fetchone()
    parent = town[region.index("parent_id")]
    county = (conn.execute(f"SELECT {', '.join(region)} FROM region WHERE id = ?", (parent,)).fetchone()
              if parent is not None else None)

    def rows(sql: str) -> list[tuple]:
        return [tuple(row) for row in conn.execute(sql, (town_id,)).fetchall()]

    return TownshipRows(
        county=tuple(county) if county else None,
        township=tuple(town),
        villages=rows(f"SELECT {', '.join(region)} FROM region WHERE parent_id = ? AND level = 'village'"
                      " ORDER BY id"),
        households=rows(f"SELECT {_select(Household, 'h')} FROM household h {_IN_TOWN} ORDER BY h.id"),
        persons=rows(f"SELECT {_select(Person, 'x')} FROM person x JOIN household h ON h.id = x.household_id"
                     f" {_IN_TOWN} ORDER BY x.id"),
        categories=rows(f"SELECT {_select(CategoryMembership, 'x')} FROM category_membership x {_PERSON_IN_TOWN}"
                        " ORDER BY x.id"),
        enrollments=rows(f"SELECT {_select(Enrollment, 'x')} FROM enrollment x {_PERSON_IN_TOWN} ORDER BY x.id"),
        payments=rows(f"SELECT {_select(Payment, 'x')} FROM payment x {_PERSON_IN_TOWN} ORDER BY x.id"),
        operators={row[0]: row[1] for row in conn.execute("SELECT id, name FROM operator")},
    )


def read_policies(conn: object) -> dict[int, tuple[tuple, list[tuple]]]:
    """Every policy year of the ledger: year → (policy_year row, its category_rule rows)."""
    rule = columns(CategoryRule)
    rules: dict[int, list[tuple]] = {}
    for row in conn.execute(f"SELECT {', '.join(rule)} FROM category_rule ORDER BY id"):
        rules.setdefault(row[rule.index("year")], []).append(tuple(row))
    return {row[0]: (tuple(row), rules.get(row[0], []))
            for row in conn.execute(f"SELECT {', '.join(columns(PolicyYear))} FROM policy_year ORDER BY year")}


def policy_terms(policy: tuple[tuple, list[tuple]]) -> tuple:
    """What a policy year decides (standard, period, waiting rules, each category's subsidy), without
    when or from which text it was loaded: two ledgers hold the same policy when these agree."""
    head, rules = policy
    names = columns(PolicyYear)
    decided = tuple(str(head[names.index(c)]) for c in names if c not in ("source_text", "loaded_at"))
    rule_names = columns(CategoryRule)
    kept = [c for c in rule_names if c not in ("id", "year")]
    return decided, tuple(sorted(tuple(str(r[rule_names.index(c)]) for c in kept) for r in rules))


@dataclass(frozen=True)
class Figures:
    """What a township adds up to in one ledger; equal figures mean the same township."""

    households: int
    persons: int
    categories: int
    enrollments: int
    payments: int
    due_fen: int
    paid_fen: int
    payments_fen: int
    digest: str

    def counts(self) -> dict[str, int]:
        return {"households": self.households, "persons": self.persons, "categories": self.categories,
                "enrollments": self.enrollments, "payments": self.payments, "due_fen": self.due_fen,
                "paid_fen": self.paid_fen, "payments_fen": self.payments_fen}


def figures(rows: TownshipRows) -> Figures:
    """Counts, charge sums and the natural-key digest of ``rows`` (module docstring)."""
    def col(model: type, name: str) -> int:
        return columns(model).index(name)

    region_id, region_code, region_name = col(Region, "id"), col(Region, "code"), col(Region, "name")
    village = {v[region_id]: (v[region_code] or "", v[region_name]) for v in rows.villages}
    hh_number = {h[0]: h[col(Household, "number")] for h in rows.households}
    id_number = {p[0]: p[col(Person, "id_number")] for p in rows.persons}
    uid = {p[0]: p[col(Payment, "uid")] for p in rows.payments}

    def text(value: object) -> str:
        return "" if value is None else str(value)

    def keyed(model: type, records: list[tuple], skip: tuple[str, ...], swap: dict[str, dict]) -> list[tuple]:
        names = columns(model)
        out = []
        for record in records:
            item = []
            for index, name in enumerate(names):
                if name in skip:
                    continue
                value = record[index]
                item.append(text(swap[name].get(value, value) if name in swap and value is not None else value))
            out.append(tuple(item))
        return sorted(out)

    stamps = ("id", "created_at", "updated_at", "loaded_at", "row_version")
    digest = hashlib.sha256()
    parts = (
        sorted(village.values()),
        keyed(Household, rows.households, stamps, {"village_id": village}),
        keyed(Person, rows.persons, stamps, {"household_id": hh_number}),
        keyed(CategoryMembership, rows.categories, stamps, {"person_id": id_number}),
        keyed(Enrollment, rows.enrollments, stamps, {"person_id": id_number, "village_id": village}),
        keyed(Payment, rows.payments, stamps, {"person_id": id_number, "reverses_id": uid,
                                               "operator_id": rows.operators}),
    )
    for part in parts:
        for item in part:
            digest.update(repr(item).encode())
        digest.update(b"|")
    return Figures(
        households=len(rows.households),
        persons=len(rows.persons),
        categories=len(rows.categories),
        enrollments=len(rows.enrollments),
        payments=len(rows.payments),
        due_fen=sum(e[col(Enrollment, "due_fen")] or 0 for e in rows.enrollments),
        paid_fen=sum(e[col(Enrollment, "paid_fen")] or 0 for e in rows.enrollments),
        payments_fen=sum(p[col(Payment, "amount_fen")] or 0 for p in rows.payments),
        digest=digest.hexdigest(),
    )
