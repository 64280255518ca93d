"""Household numbers (户编号) the ledger gives, and households keyed by their head's ID.

DOMAIN.md section 10: a household keyed by its head's ID (户主身份证号) gets a number of its own;
the head's ID is kept as a lookup key (``household.head_id_number``), never printed as 户编号.

A number of our own is the village's 12-digit code followed by a 4-digit sequence
(``4311991012010007``); a village typed in by hand without a code uses ``V`` + its id in 3
digits (``V0040001``), unique in the ledger because the village id is. The sequence counts on
from the highest 4- or 5-digit one the village already has (a county's own longer numbers, such
as code + 6 digits, are not counted on: 18 digits would read as an ID number in a masked file).
"""

from __future__ import annotations

import sqlite3

from desktop_app.domain.idnumber import IdNumberError, parse_id_number


def head_id_key(key: str) -> str | None:
    """The ID number that ``key`` (a roster row's household key) is, or None for a real number.

    A roster row names its household by 户编号, or by the head's ID number (户主身份证号, or the
    head's own ID when the file has no household column); a 户编号 column that holds the heads'
    IDs is taken the same way. A 15-digit value is never taken for a legacy ID here: village
    code + 3-digit sequence numbers have 15 digits too."""
    if len(key) != 18:
        return None
    try:
        return parse_id_number(key).number
    except IdNumberError:
        return None


def _prefix(conn: sqlite3.Connection, village_id: int) -> str:
    row = conn.execute("SELECT code FROM region WHERE id = ?", (village_id,)).fetchone()
    return (row[0] if row else None) or f"V{village_id:03d}"


class NumberMaker:
    """New household numbers, village by village, inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._last: dict[int, tuple[str, int]] = {}  # village id → (prefix, highest sequence)

    def next(self, village_id: int) -> str:
        if village_id not in self._last:
            prefix = _prefix(self.conn, village_id)
            start = len(prefix) + 1
            if isinstance(self.conn, sqlite3.Connection):
                highest = self.conn.execute(
                    "SELECT MAX(CAST(substr(number, ?) AS INTEGER)) FROM household"
                    " WHERE number GLOB ? AND length(number) <= ? AND substr(number, ?) NOT GLOB '*[^0-9]*'",
                    (start, f"{_glob_literal(prefix)}[0-9][0-9][0-9][0-9]*", start + 4, start),
                ).fetchone()[0]
            else:  # PostgreSQL: the same numbers, a regular expression for GLOB's digits
                highest = self.conn.execute(
                    "SELECT MAX(CAST(substr(number, ?) AS BIGINT)) FROM household"
                    " WHERE substr(number, 1, ?) = ? AND length(number) <= ? AND substr(number, ?) ~ '^[0-9]{4,}$'",
                    (start, len(prefix), prefix, start + 4, start),
                ).fetchone()[0]
            self._last[village_id] = (prefix, int(highest or 0))
        prefix, last = self._last[village_id]
        self._last[village_id] = (prefix, last + 1)
        return f"{prefix}{last + 1:04d}"


def _glob_literal(text: str) -> str:
    """``text`` matched literally by GLOB (a village code is digits; a hand-made prefix may not be)."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in text)
