"""Reading households page by page, for lazy tables that never load a whole township."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.store.models import db


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    number: str
    village: str
    head_name: str
    members: int
    address: str


def count_households(village_id: int | None = None) -> int:
    if village_id is None:
        sql, params = "SELECT COUNT(*) FROM household", ()
    else:
        sql, params = "SELECT COUNT(*) FROM household WHERE village_id = ?", (village_id,)
    return int(db.execute_sql(sql, params).fetchone()[0])


def household_rows(offset: int, limit: int, village_id: int | None = None) -> list[HouseholdRow]:
    """One page of households in household-number order, with their member counts."""
    where = "" if village_id is None else "WHERE h.village_id = ?"
    params: tuple = () if village_id is None else (village_id,)
    cursor = db.execute_sql(
        f"""SELECT h.id, h.number, r.name, h.head_name,
                   (SELECT COUNT(*) FROM person p WHERE p.household_id = h.id), h.address
            FROM household h JOIN region r ON r.id = h.village_id
            {where}
            ORDER BY h.number
            LIMIT ? OFFSET ?""",
        (*params, limit, offset),
    )
    return [HouseholdRow(*row) for row in cursor.fetchall()]


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


def villages_with_counts() -> list[VillageCount]:
    """Each village of the ledger with its number of households and persons."""
    cursor = db.execute_sql(
        """SELECT r.id, r.name,
                  (SELECT COUNT(*) FROM household h WHERE h.village_id = r.id),
                  (SELECT COUNT(*) FROM person p JOIN household h ON h.id = p.household_id
                    WHERE h.village_id = r.id)
           FROM region r WHERE r.level = 'village'
           ORDER BY r.code, r.name"""
    )
    return [VillageCount(*row) for row in cursor.fetchall()]
