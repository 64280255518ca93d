"""Schema version 2: pinyin initials of each person's name, for search as you type."""

from __future__ import annotations

import sqlite3

from desktop_app.domain.pinyin import name_initials

DESCRIPTION = "person.name_initials (拼音首字母) with an index, filled for existing persons"


def apply(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE person ADD COLUMN name_initials VARCHAR(255) NOT NULL DEFAULT ''")
    rows = conn.execute("SELECT id, name FROM person").fetchall()
    conn.executemany(
        "UPDATE person SET name_initials = ? WHERE id = ?",
        [(name_initials(name), pid) for pid, name in rows],
    )
    conn.execute("CREATE INDEX person_name_initials ON person (name_initials)")
