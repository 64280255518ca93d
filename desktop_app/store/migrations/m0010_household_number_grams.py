"""Schema version 10: on PostgreSQL, a gram index on the household numbers a name can be found in.

Why: the search box finds a person by a name fragment in the person's name *or* in the household
number (``persons.search_clause``). On PostgreSQL at a million persons the name side is served by
migration 9's gram index, but a 1–2 character fragment has no trigram, so the household side read
every household (~100 ms at 300,000 households) on every such search.

A name fragment is never only digits and X (those go to the ID/phone/number search), so a household
number made only of digits and X — every number the app gives out, and nearly every number a roster
brings — can never hold one. The index is therefore partial: ``ledger_grams(number)`` (migration 9's
function: every 1- and 2-character piece, lower case) over the households whose number holds
anything else. It is empty in a usual ledger and costs nothing on writes; a ledger whose numbers
carry letters or Chinese (青山-001) gets them indexed. The search repeats the predicate word for word
(``persons.NOT_DIGIT_NUMBER``) so that PostgreSQL uses the index.

SQLite: nothing (its search checks the joined rows; no index serves ``LIKE '%…%'`` there). Written
against the table as it is at version 9, never against the models.
"""

from __future__ import annotations

import sqlite3

DESCRIPTION = "PostgreSQL: gram index on household numbers that are not only digits (1–2 character name search)"

INDEX = ("CREATE INDEX household_number_grams ON household USING gin (ledger_grams(number))"
         " WHERE number !~ '^[0-9xX]*$'")


def apply(conn: sqlite3.Connection) -> None:
    """Nothing on a ledger file: the index is PostgreSQL's."""


def apply_postgresql(conn: object) -> None:
    conn.execute_native(INDEX)
