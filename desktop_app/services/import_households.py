"""The households a roster import names: found by 户编号 or by the head's ID, made when missing.

Split from :mod:`desktop_app.services.imports` (which writes the rest of a roster) so that the
household-number rule of DOMAIN.md section 10 has one home.
"""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.services import audit
from desktop_app.services.household_numbers import NumberMaker, head_id_key
from desktop_app.services.import_plan import PersonRow
from desktop_app.store import bulk
from desktop_app.store.models import db

Households = dict[str, tuple[int, int, str]]  # a row's household key → (id, village id, head name)


def write_households(rows: list[PersonRow], villages: dict[str, int], now: str) -> Households:
    """Create the households the rows name that the ledger lacks, move or rename those whose
    village or head changed; return key → (id, village id, head name) of each household named.

    A row's key is its 户编号, or its head's ID number (:func:`household_numbers.head_id_key`):
    such a household is found by ``head_id_number`` and, when new, gets a number of its own
    (DOMAIN.md section 10: an ID is never printed as 户编号)."""
    conn = db.connection()
    keys = {p.household_number for p in rows}
    heads = {key: head for key in keys if (head := head_id_key(key)) is not None}
    numbers = keys - heads.keys()
    select = "SELECT number, head_id_number, id, village_id, head_name FROM household"
    if len(keys) >= bulk.row_count(conn, "household"):
        found = conn.execute(select).fetchall()
    else:  # a few numbers in a big ledger: looked up by the unique indexes
        found = [row for column, wanted in (("number", numbers), ("head_id_number", set(heads.values())))
                 for chunk in _chunks(sorted(wanted))
                 for row in conn.execute(f"{select} WHERE {column} IN ({','.join('?' * len(chunk))})", chunk)]
    by_head = {head: (hid, vid, name) for _n, head, hid, vid, name in found if head}
    households = {number: (hid, vid, name) for number, _h, hid, vid, name in found if number in numbers}
    households.update((key, by_head[head]) for key, head in heads.items() if head in by_head)
    next_id = bulk.next_id(conn, "household")
    numbering = NumberMaker(conn)
    created: dict[str, list] = {}  # key → [id, village id, head name, address], in the order made
    for person in rows:
        vid = villages[person.village]
        number = person.household_number
        known = households.get(number)
        if known is None:
            households[number] = (next_id, vid, person.head_name)
            created[number] = [next_id, vid, person.head_name, person.address]
            next_id += 1
        elif known[1] != vid or (person.head_name and known[2] != person.head_name):
            head = person.head_name or known[2]
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
        bulk.insert_rows(
            conn,
            "INSERT INTO household (id, number, head_id_number, village_id, head_name, address, created_at)",
            "(?, ?, ?, ?, ?, ?, ?)",
            ((hid, own_numbers.get(key, key), heads.get(key), vid, head, address, now)
             for key, (hid, vid, head, address) in created.items()),
        )
    return households


_CHUNK = 900  # below SQLite's bound-parameter limit for IN (...)


def _chunks(values: list) -> Iterable[list]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
