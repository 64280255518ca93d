"""One township's rows of a ledger, read the same way from a file or a server, and what they add up to.

:func:`read_township` reads everything that belongs to a township (its villages, their
households, those households' persons, the persons' category memberships, enrollments and
payments) with the township's own ids, in id order; the same SQL runs on SQLite and PostgreSQL
(the server connection speaks ``?`` and gives dates back as ISO text: :mod:`store.dialect`).
:func:`figures` is what :mod:`services.db_copy` prints and compares: counts and charge sums, and a
digest of every row by its natural keys (ID number, household number, payment uid — never an id,
which differs from ledger to ledger; values as both engines read them back: ints, ISO text,
None), so that two ledgers agree on a township only when every
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


def _row_sum(records: list[tuple]) -> int:
    """An order-free digest of ``records``: the sum of each row's hash (the same rows in any order
    give the same sum, a row twice counts twice). Python's own tuple hash, salted per process: a
    digest is compared only with one made by the same run (the source's with the target's read
    back), never stored; 64 bits against an accidental difference. (BLAKE2 per row cost 1.2 s
    per 100,000-person township, this 0.1 s.)"""
    return sum(map(hash, records)) % (1 << 64)


def _keyed(model: type, records: list[tuple], swap: dict[str, dict]) -> list[tuple]:
    """``records`` without ids and timestamps, their foreign keys as natural keys (``swap``)."""
    names = columns(model)
    kept = [i for i, name in enumerate(names) if name not in _STAMPS]
    swaps = [(kept.index(names.index(name)), mapping) for name, mapping in swap.items()]
    out = []
    for record in records:
        item = [record[i] for i in kept]
        for at, mapping in swaps:
            if item[at] is not None:
                item[at] = mapping[item[at]]
        out.append(tuple(item))
    return out


_STAMPS = ("id", "created_at", "updated_at", "loaded_at", "row_version")


def figures(rows: TownshipRows) -> Figures:
    """Counts, charge sums and the natural-key digest of ``rows`` (module docstring)."""
    region, payment, enrollment = columns(Region), columns(Payment), columns(Enrollment)
    code, name = region.index("code"), region.index("name")
    village = {v[0]: (v[code] or "", v[name]) for v in rows.villages}
    number = columns(Household).index("number")
    hh_number = {h[0]: h[number] for h in rows.households}
    id_col = columns(Person).index("id_number")
    id_number = {p[0]: p[id_col] for p in rows.persons}
    uid_col = payment.index("uid")
    uid = {p[0]: p[uid_col] for p in rows.payments}
    sums = [  # one table's keyed rows at a time (a 100,000-person township's are ~100 MB each)
        _row_sum(list(village.values())),
        _row_sum(_keyed(Household, rows.households, {"village_id": village})),
        _row_sum(_keyed(Person, rows.persons, {"household_id": hh_number})),
        _row_sum(_keyed(CategoryMembership, rows.categories, {"person_id": id_number})),
        _row_sum(_keyed(Enrollment, rows.enrollments, {"person_id": id_number, "village_id": village})),
        _row_sum(_keyed(Payment, rows.payments, {"person_id": id_number, "reverses_id": uid,
                                                 "operator_id": rows.operators})),
    ]
    digest = hashlib.sha256(repr(sums).encode())
    due, paid, amount = enrollment.index("due_fen"), enrollment.index("paid_fen"), payment.index("amount_fen")
    return Figures(
        households=len(rows.households),
        persons=len(rows.persons),
        categories=len(rows.categories),
        enrollments=len(rows.enrollments),
        payments=len(rows.payments),
        due_fen=sum(e[due] or 0 for e in rows.enrollments),
        paid_fen=sum(e[paid] or 0 for e in rows.enrollments),
        payments_fen=sum(p[amount] or 0 for p in rows.payments),
        digest=digest.hexdigest(),
    )
