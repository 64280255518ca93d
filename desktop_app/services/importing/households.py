"""The households and villages a roster names: which household each row belongs to, and writing them.

DOMAIN.md section 10: a row names its household by 户编号, or by its head's ID number (户主身份证号,
or the head's own ID when the file has no household column, or a 户编号 column that holds IDs).
A household keyed by its head's ID is found by ``household.head_id_number`` and, when new, gets
a number of its own (:mod:`desktop_app.services.household_numbers`): an ID is never printed as
户编号. The desk's household work shares those numbers; this module is the roster's side.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable
from typing import Any

from desktop_app.exchange import Field
from desktop_app.services import audit
from desktop_app.services.household_numbers import NumberMaker, head_id_key
from desktop_app.services.importing.common import Failed, Reader, Reject
from desktop_app.services.importing.spool import RowSpool
from desktop_app.services.ledger import ServiceError, township
from desktop_app.services.townships import is_county, townships
from desktop_app.store import bulk
from desktop_app.store.models import Region, db

Households = dict[str, tuple[int, int, str]]  # a row's household key → (id, village id, head name)


def household_of(household: str | Failed | None, head_id: str | Failed | None, relation: str, number: str,
                 existing: tuple | None, last_head: tuple[str, str] | None, known: dict[str, tuple]) -> str:
    """The household key of a roster row with ID ``number``, from its 户编号 (``household``), else
    its head's ID (``head_id``), else the rows' order (``last_head``: the sheet's last 户主 so far);
    a key that is a head's ID becomes the household's own number when the ledger knows it.

    ``existing`` and ``known`` are :func:`common.ledger_persons` rows (this person's, everyone's).
    Raises :class:`Reject` when the row names no household."""
    if type(household) is Failed:
        raise Reject(Field.HOUSEHOLD_NUMBER, household.error.reason)
    if not household:
        if type(head_id) is Failed:
            raise Reject(Field.HEAD_ID_NUMBER, "户主" + head_id.error.reason)
        if head_id:
            household = head_id
        elif relation == "户主":
            household = number
        elif existing is not None:
            household = existing[3]
        elif last_head is None:
            raise Reject(Field.HOUSEHOLD_NUMBER, "无法确定属于哪一户：表中没有户编号或户主身份证号，这一行前面也没有户主")
        else:
            household = last_head[0]
    # keyed by a head's ID: the household's own number, when the ledger knows it
    if existing is not None and existing[8] is not None and (
            household == existing[8] or head_id_key(household) == existing[8]):
        return existing[3]
    if len(household) == 18 and (head := known.get(household.upper())) is not None and (
            head[8] == household.upper() or head[4] == "户主"):
        return head[3]  # the household that person heads in the ledger
    return household


class Homes:
    """Which village each household of a roster lives in, kept small enough for a county file:
    per household its first row's village and its first 户主's, and per accepted row three
    integers (its household, where in the sheets, where in the plan) instead of a tuple, so
    that :meth:`settle` can find the rows of the few households whose rows disagree
    (:func:`one_village_per_household`'s work)."""

    NEW, UPDATED, UNCHANGED = 0, 1, 2

    def __init__(self, unchanged: RowSpool) -> None:
        self.index: dict[str, int] = {}  # household key → its number here, in order of first appearance
        self.first: list[str] = []  # the village of each household's first row
        self.head: list[str | None] = []  # the village of its first 户主 row, None without one
        self.mixed: set[int] = set()  # households whose rows name more than one village
        self.sheets: list[Any] = []  # the sheets' rows (DataRows) rows were read from
        self.members = array("q")  # per accepted row: its household's number
        self.places = array("q")  # per accepted row: its sheet << 32 | its row number
        self.wheres = array("q")  # per accepted row: index << 4 | kind << 2 | brings more << 1 | is the head
        self.unchanged = unchanged  # the unchanged rows, which may move with their household

    def sheet(self, rows: Any) -> int:
        """The number of a sheet's rows, for :meth:`add`."""
        self.sheets.append(rows)
        return len(self.sheets) - 1

    def add(self, key: str, village: str, head: bool, sheet: int, row_number: int, kind: int, index: int,
            brings_more: bool = False) -> None:
        """An accepted row of household ``key``: the ``index``-th of ``kind`` (:data:`NEW`,
        :data:`UPDATED`, :data:`UNCHANGED`); ``brings_more``: an updated row that brings more than
        its changes (categories, a status, a payment)."""
        number = self.index.get(key)
        if number is None:
            number = self.index[key] = len(self.first)
            self.first.append(village)
            self.head.append(village if head else None)
        else:
            if village != self.first[number]:
                self.mixed.add(number)
            if head and self.head[number] is None:
                self.head[number] = village
        self.members.append(number)
        self.places.append(sheet << 32 | row_number)
        self.wheres.append(index << 4 | kind << 2 | brings_more << 1 | head)

    def close(self) -> None:
        self.unchanged.close()


def one_village_per_household(reader: Reader, homes: Homes) -> None:
    """A household lives in one village: when its rows name different ones, it stays in its
    head's (the 户主 row's), else its first row's, and every row naming another is told so and
    taken as that village (it used to move the household row by row, the last row winning).

    The rows of those households are found in ``homes`` (:class:`Homes`) and read back from the
    plan, in one pass over each of its lists. The raw cells of the few rows told are read again
    from their sheet: keeping every row's would hold the whole sheet once more."""
    plan = reader.plan
    if not homes.mixed:
        return
    mixed = homes.mixed
    rows_of: dict[int, list[int]] = {}  # a mixed household → its rows (positions in homes' arrays), in order
    for position, number in enumerate(homes.members):
        if number in mixed:
            rows_of.setdefault(number, []).append(position)
    lists = (plan.new, plan.updated, homes.unchanged)
    wanted: list[set[int]] = [set(), set(), set()]
    for positions in rows_of.values():
        for position in positions:
            where = homes.wheres[position]
            wanted[where >> 2 & 3].add(where >> 4)
    found = [{n: row for n, row in enumerate(rows) if n in indexes} if indexes else {}
             for rows, indexes in zip(lists, wanted)]
    keys = {number: key for key, number in homes.index.items() if number in mixed}
    told: list[tuple[Any, int, str, str]] = []  # (the sheet's rows, row number, reason, ID number)
    settled: set[int] = set()  # updated rows left with nothing to change: unchanged after all
    for number in sorted(rows_of):  # the households in the order they first appear
        key = keys[number]
        head_village = homes.head[number]
        village = homes.first[number] if head_village is None else head_village
        whose = "这一户第一行" if head_village is None else "户主"
        head_id = head_id_key(key)
        household = f"户主身份证号为{head_id}的这一户" if head_id else f"户编号{key}这一户"
        for position in rows_of[number]:
            where = homes.wheres[position]
            kind, index, brings_more = where >> 2 & 3, where >> 4, bool(where & 2)
            person = found[kind][index]
            if person.village == village:
                continue
            place = homes.places[position]
            told.append((homes.sheets[place >> 32], place & 0xFFFFFFFF,
                         f"{household}的成员填的村不一致：这一行填“{person.village}”，整户按{whose}所在的“{village}”登记",
                         person.id_number))
            fixed = _in_village(person, village)
            if kind == Homes.UNCHANGED:
                plan.unchanged -= 1  # it moves now, with its household
                plan.updated.append(fixed)
            elif kind == Homes.NEW:
                plan.new[index] = fixed
            elif fixed.changes or brings_more:
                plan.updated[index] = fixed
            else:
                settled.add(index)
    if settled:
        if isinstance(plan.updated, RowSpool):
            plan.updated.remove(settled)
        else:
            plan.updated[:] = [row for n, row in enumerate(plan.updated) if n not in settled]
        plan.unchanged += len(settled)
    if told:  # told in the order of the sheets, like every other warning
        raw = _raw_cells(told)
        sheets = {table.sheet.name: n for n, table in enumerate(reader.tables)}

        def order(issue: Any) -> tuple[int, int]:
            return sheets.get(issue.sheet, 0), issue.row_number

        village_warnings = sorted((reader.issue_at(rows, row_number, raw[id(rows), row_number], Field.VILLAGE,
                                                   reason, number)
                                   for rows, row_number, reason, number in told), key=order)
        # the others came row by row, in this order already: merged as a stable sort would place them
        plan.warnings = RowSpool(heapq.merge(plan.warnings, village_warnings, key=order))


def _raw_cells(told: list[tuple[Any, int, str, str]]) -> dict[tuple[int, int], Any]:
    """(id of the sheet's rows, row number) → the raw cells of each row in ``told``, read again
    in one pass over each sheet that has any."""
    wanted: dict[int, tuple[Any, set[int]]] = {}
    for rows, row_number, _reason, _number in told:
        wanted.setdefault(id(rows), (rows, set()))[1].add(row_number)
    found: dict[tuple[int, int], Any] = {}
    for key, (rows, numbers) in wanted.items():
        for row_number, raw in rows.records():
            if row_number in numbers:
                found[key, row_number] = raw
    return found


def _in_village(person: Any, village: str) -> Any:
    """``person`` (a ``roster.RosterRow``) taken as living in ``village``, its changes against
    the ledger told again."""
    if person.person_id is None:
        return person._replace(village=village)
    changes = dict(person.changes or {})
    before = changes.pop("village", (person.village, None))[0]
    if before != village:
        changes["village"] = (before, village)
    return person._replace(village=village, changes=changes or None)

def village_ids(names: set[str], township_id: int | None = None) -> dict[str, int]:
    """Village name → id of every village ``names`` holds, each missing one made (with its audit
    entry) under the township ``township_id``: in a county database only that township's villages
    are matched (every township may have a 东山村); a ledger of one township needs none."""
    if township_id is None and is_county():
        raise ServiceError(county_needs_township())
    town_id = township_id
    if town_id is None:
        town = township()
        town_id = town.id if town else None
    conn = db.connection()
    select = "SELECT id, name FROM region WHERE level = 'village'"
    rows = conn.execute(select) if township_id is None else conn.execute(f"{select} AND parent_id = ?",
                                                                         (township_id,))
    found = {name: vid for vid, name in rows}
    for name in sorted(names - found.keys()):
        # peewee gives the new id on both engines (RETURNING on PostgreSQL, lastrowid on SQLite):
        # the field build's SQLite is Debian 11's 3.34, older than RETURNING (3.35)
        village_id = Region.insert(name=name, level="village", parent=town_id).execute()
        found[name] = village_id
        audit.record("create", "region", village_id, None, {"name": name, "level": "village"})
    return found


def county_needs_township() -> str:
    """The refusal of a roster import into a county database that was not told its township."""
    there = "、".join(f"{t.code} {t.name}".strip() for t in townships())
    return (f"这个台账里有几个乡镇（{there}），几个乡镇可能有同名的村：导入花名册前请先选定是哪个乡镇的表"
            "（命令行加 --township 乡镇代码）。没有导入任何内容")


def write_households(rows: Iterable[tuple[str, str, str, str]], keys: set[str], villages: dict[str, int],
                     now: str) -> Households:
    """Create the households the rows name that the ledger lacks, move or rename those whose
    village or head changed; return key → (id, village id, head name) of each household named.

    ``rows``: each roster row's (village, household key, head name, address), read once in order;
    ``keys``: every row's household key.

    A row's key is its 户编号, or its head's ID number (:func:`household_numbers.head_id_key`):
    such a household is found by ``head_id_number`` and, when new, gets a number of its own
    (DOMAIN.md section 10: an ID is never printed as 户编号)."""
    conn = db.connection()
    heads = {key: head for key in keys if (head := head_id_key(key)) is not None}
    numbers = keys - heads.keys()
    select = "SELECT number, head_id_number, id, village_id, head_name FROM household"
    if len(keys) >= bulk.row_count(conn, "household"):
        found = conn.execute(select).fetchall()
    else:  # a few numbers in a big ledger: looked up by the unique indexes
        found = [row for column, wanted in (("number", numbers), ("head_id_number", set(heads.values())))
                 for chunk in bulk.chunks(sorted(wanted))
                 for row in conn.execute(f"{select} WHERE {column} IN ({','.join('?' * len(chunk))})", chunk)]
    by_head = {head: (hid, vid, name) for _n, head, hid, vid, name in found if head}
    households = {number: (hid, vid, name) for number, _h, hid, vid, name in found if number in numbers}
    households.update((key, by_head[head]) for key, head in heads.items() if head in by_head)
    next_id = bulk.next_id(conn, "household")
    numbering = NumberMaker(conn)
    created: dict[str, list] = {}  # key → [id, village id, head name, address], in the order made
    for village, number, head_name, address in rows:
        vid = villages[village]
        known = households.get(number)
        if known is None:
            households[number] = (next_id, vid, head_name)
            created[number] = [next_id, vid, head_name, address]
            next_id += 1
        elif known[1] != vid or (head_name and known[2] != head_name):
            head = head_name or known[2]
            if number in created:  # made by this import: inserted below as it ends up
                created[number][1:3] = [vid, head]
            else:
                conn.execute("UPDATE household SET village_id = ?, head_name = ? WHERE id = ?",
                             (vid, head, known[0]))
            audit.record("update", "household", known[0], {"village_id": known[1], "head_name": known[2]},
                         {"village_id": vid, "head_name": head})
            households[number] = (known[0], vid, head)
    own_numbers: dict[str, str] = {}  # head key → the number made for its new household
    for key, (_hid, vid, _head, _address) in created.items():
        if key in heads:
            made = numbering.next(vid)
            while made in created:  # a 户编号 this very file brings
                made = numbering.next(vid)
            own_numbers[key] = made
    with bulk.indexes_set_aside(conn, "household", len(created)):
        bulk.insert_households(
            conn,
            ((hid, own_numbers.get(key, key), heads.get(key), vid, head, address, now)
             for key, (hid, vid, head, address) in created.items()),
        )
    return households
