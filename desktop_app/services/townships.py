"""The townships a ledger holds: one on a laptop, several side by side in a county database.

A county database is filled by ``db copy`` (:mod:`desktop_app.services.db_copy`), one township
region (level ``township``, 9-digit code) per township, its villages under it. The county views
(the dashboard's picker, the summary export's 乡镇 column, ``--township CODE`` on the command
line) ask here which townships there are and which villages belong to one; with a single
township nothing changes: no picker, no extra column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop_app.services.ledger import ServiceError
from desktop_app.store.models import Region, db

_BATCH = 500  # person ids per query of townships_of_persons


@dataclass(frozen=True)
class Township:
    id: int
    code: str  # 9 digits; "" for a laptop ledger whose township has no code yet
    name: str


def townships() -> list[Township]:
    """Every township the ledger holds, in code order (a township without a code first)."""
    rows = Region.select(Region.id, Region.code, Region.name).where(Region.level == "township")
    found = [Township(r.id, r.code or "", r.name) for r in rows]
    found.sort(key=lambda t: (t.code, t.name, t.id))
    return found


def is_county() -> bool:
    """True when the ledger holds two townships or more (the county views apply)."""
    return Region.select().where(Region.level == "township").limit(2).count() >= 2


def township_by_code(code: str) -> Township:
    """The township of that 9-digit code, or a refusal naming the codes there are."""
    code = code.strip()
    held = townships()
    for town in held:
        if town.code == code:
            return town
    there = "、".join(f"{t.code} {t.name}" for t in held if t.code) or "没有带代码的乡镇"
    raise ServiceError(f"台账里没有乡镇代码为“{code}”的乡镇（台账里有：{there}）")


def village_of(town: Township, name: str) -> Region | None:
    """The village of that name in the township ``town`` (two townships may each have a 新村)."""
    return Region.get_or_none(
        (Region.level == "village") & (Region.name == name.strip()) & (Region.parent == town.id)
    )


def only_village(name: str) -> Region | None:
    """The village of that name, or a refusal when townships of a county database each have one
    (every township's 东山村 would otherwise be taken for the first one's)."""
    found = list(Region.select().where((Region.level == "village") & (Region.name == name.strip()))
                 .order_by(Region.id).limit(20))
    if len(found) <= 1:
        return found[0] if found else None
    by_id = {t.id: t for t in townships()}
    towns = "、".join(f"{by_id[v.parent_id].code} {by_id[v.parent_id].name}".strip()
                     for v in found if v.parent_id in by_id)
    raise ServiceError(f"有几个乡镇都有“{name.strip()}”（{towns}），请同时指定乡镇代码（--township）")


def title_place() -> str:
    """The place a table's title starts with: a township's own ledger names its township; a
    county database names its county (the one county region its townships hang under), or says
    全县 when they hang under none or several (never the first township's name for all)."""
    towns = Region.select(Region.name, Region.parent).where(Region.level == "township").limit(2)
    found = list(towns)
    if len(found) < 2:
        return found[0].name if found else ""
    counties = (Region.select(Region.name).where(Region.level == "county")
                .where(Region.id.in_(Region.select(Region.parent).where(Region.level == "township"))))
    names = [c.name for c in counties.limit(2)]
    return names[0] if len(names) == 1 else "全县"


def townships_of_persons(person_ids: Iterable[int]) -> dict[int, Township]:
    """Person id → the township their household's village is under (persons of villages under no
    township are left out): the 乡镇(街道) of a county database's lists whose rows name only the
    village."""
    by_id = {t.id: t for t in townships()}
    wanted = sorted(set(person_ids))
    found: dict[int, Township] = {}
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start:start + _BATCH]
        rows = db.execute_sql(
            "SELECT p.id, v.parent_id FROM person p JOIN household h ON h.id = p.household_id"
            f" JOIN region v ON v.id = h.village_id WHERE p.id IN ({', '.join('?' * len(chunk))})", chunk)
        found.update((pid, by_id[town]) for pid, town in rows if town in by_id)
    return found


def township_of_household(household_id: int) -> Township | None:
    """The township a household's village is under, in a county database (None in a township's
    own ledger, where it goes without saying, or for a village under no township)."""
    if not is_county():
        return None
    row = db.execute_sql("SELECT v.parent_id FROM household h JOIN region v ON v.id = h.village_id"
                         " WHERE h.id = ?", (household_id,)).fetchone()
    return next((t for t in townships() if row and t.id == row[0]), None)


def village_names_of(town: Township) -> list[str]:
    """The names of the villages of one township, in code order (what a village picker lists
    once that township is chosen)."""
    rows = (Region.select(Region.name).where((Region.level == "village") & (Region.parent == town.id))
            .order_by(Region.code, Region.name))
    return [r.name for r in rows]
