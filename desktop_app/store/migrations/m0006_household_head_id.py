"""Schema version 6: no household is numbered by its head's ID number any more.

Why: a roster keyed by 户主身份证号 (or one with no household column, whose heads keyed their own
households) made the head's ID the household number, and the household number is printed on
every export and notice, unmasked: DOMAIN.md section 10 says the head's ID is a lookup key, never
a 户编号.

How: ``household.head_id_number`` (NULL, or an 18-character ID; unique) is added. Every household
whose number is an ID number — a valid 18-character one (check character and birth date), or any
number that is, or converts from 15 digits to, the ID of one of its own members — keeps that ID
in ``head_id_number`` and gets a number of its own: the village's 12-digit code followed by a
4-digit sequence (``4311991012010007``), or ``V`` + the village's id in 3 digits + the sequence
when the village has no code (unique in the ledger because the village id is), counting on from
the highest such number the village already has. Each renumbering is written to the audit trail
(old and new number; the ID stays in the ledger, as it was). Written against table and column
names as they are at version 5 (the renumbering entries hash-chained), never against the model classes.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from desktop_app.domain.audit_chain import GENESIS, entry_hash
from desktop_app.domain.idnumber import check_character  # GB 11643's check: it does not change

DESCRIPTION = "household.head_id_number: households numbered by their head's ID get a number of their own"

def _as_id(number: str) -> str | None:
    """``number`` as an 18-character ID number when it is a valid one (15 digits converted)."""
    text = number.strip().upper()
    if len(text) == 15 and text.isascii() and text.isdigit():
        first17 = text[:6] + "19" + text[6:]
        text = first17 + check_character(first17)
    if len(text) != 18 or not text.isascii() or not text[:17].isdigit() or text[17] not in "0123456789X":
        return None
    if check_character(text[:17]) != text[17]:
        return None
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None
    return text if born.year >= 1890 else None


def _prefix(code: str | None, village_id: int) -> str:
    return code or f"V{village_id:03d}"


def apply(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE household ADD COLUMN head_id_number VARCHAR(255)")
    conn.execute("CREATE UNIQUE INDEX household_head_id_number ON household (head_id_number)")
    households = conn.execute(
        "SELECT h.id, h.number, h.village_id, r.code FROM household h JOIN region r ON r.id = h.village_id"
        " ORDER BY h.id"
    ).fetchall()
    members: dict[int, set[str]] = {}
    for household_id, id_number in conn.execute("SELECT household_id, id_number FROM person"):
        members.setdefault(household_id, set()).add(id_number)
    numbers = {number for _id, number, _v, _c in households}
    last: dict[str, int] = {}  # prefix → highest sequence in use
    for number in numbers:
        for prefix_len in (12, 4):
            prefix, rest = number[:prefix_len], number[prefix_len:]
            if len(rest) == 4 and rest.isdigit():
                last[prefix] = max(last.get(prefix, 0), int(rest))
    taken: set[str] = set()
    now = dt.datetime.now().isoformat(" ", "seconds")
    for household_id, number, village_id, code in households:
        head_id = _as_id(number)
        own = members.get(household_id, set())
        if head_id is None and number in own:
            head_id = number  # a member's ID, whatever it looks like
        if head_id is None:
            continue
        prefix = _prefix(code, village_id)
        sequence = last.get(prefix, 0)
        while True:
            sequence += 1
            fresh = f"{prefix}{sequence:04d}"
            if fresh not in numbers:
                break
        last[prefix] = sequence
        numbers.add(fresh)
        key = head_id if head_id not in taken else None  # two numbers for one ID: the first keeps it
        taken.add(head_id)
        conn.execute("UPDATE household SET number = ?, head_id_number = ? WHERE id = ?",
                     (fresh, key, household_id))
        newest = conn.execute("SELECT id, entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
        entry_id, prev = (newest[0] + 1, newest[1]) if newest else (1, GENESIS)
        fields = (entry_id, now, "", "migration", "renumber", "household", str(household_id),
                  json.dumps({"number": number}, ensure_ascii=False),
                  json.dumps({"number": fresh, "head_id_number": key}, ensure_ascii=False), prev)
        conn.execute(  # chained like every entry since version 5 (domain.audit_chain's recipe)
            'INSERT INTO audit_entry (id, at, operator, source, action, "table", record_id, old_value,'
            " new_value, prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*fields, entry_hash(fields)),
        )
