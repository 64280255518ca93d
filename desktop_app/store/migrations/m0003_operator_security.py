"""Schema version 3: what operators need for logging in safely and for village-bound clerks."""

from __future__ import annotations

import sqlite3

DESCRIPTION = "operator: failed attempts, locked until, villages a clerk works in"


def apply(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE operator ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE operator ADD COLUMN locked_until DATETIME")
    conn.execute("ALTER TABLE operator ADD COLUMN villages TEXT NOT NULL DEFAULT ''")  # region ids, comma-separated
