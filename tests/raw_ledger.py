"""The ledger as another tool sees it: plain SQL on its own connection, on either engine.

A test that changes a ledger behind the program's back (a row deleted, an audit entry edited)
does it through :func:`raw_sql`, so that the rule it checks is checked on PostgreSQL too: on a
ledger file a plain ``sqlite3`` connection, on a server ledger (a URL) a psycopg connection of
its own. Statements are written with ``?`` placeholders, as the services write them; values
come back as the file holds them (dates and times as ISO text, flags as 0/1).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg

from desktop_app.store.portable import file_value
from desktop_app.store.postgres import is_server_url


def raw_sql(ledger: Path | str, *statements: str | tuple[str, tuple]) -> list[list]:
    """Run ``statements`` (SQL, or (SQL, parameters)) in one committed transaction; the rows of
    the last one (empty for a statement returning none)."""
    rows: list[list] = []
    if is_server_url(ledger):
        with psycopg.connect(ledger) as conn:  # commits on leaving
            for statement in statements:
                sql, params = statement if isinstance(statement, tuple) else (statement, ())
                cursor = conn.execute(sql.replace("?", "%s"), params)
                rows = [[file_value(v) for v in r] for r in cursor.fetchall()] if cursor.description else []
        return rows
    conn = sqlite3.connect(ledger)
    try:
        for statement in statements:
            sql, params = statement if isinstance(statement, tuple) else (statement, ())
            rows = [list(r) for r in conn.execute(sql, params).fetchall()]
        conn.commit()
    finally:
        conn.close()
    return rows
