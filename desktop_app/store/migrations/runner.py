"""Apply the numbered migrations in order, each in one transaction, recorded in ``schema_version``."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from peewee import SqliteDatabase

from desktop_app import __version__
from desktop_app.errors import UserError
from desktop_app.store.migrations import (
    m0001_initial,
    m0002_name_initials,
    m0003_operator_security,
    m0004_enrollment_or_checks,
    m0005_audit_chain,
    m0006_household_head_id,
    m0007_payment_kind,
    m0008_payment_uid,
)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, m0001_initial.DESCRIPTION, m0001_initial.apply),
    Migration(2, m0002_name_initials.DESCRIPTION, m0002_name_initials.apply),
    Migration(3, m0003_operator_security.DESCRIPTION, m0003_operator_security.apply),
    Migration(4, m0004_enrollment_or_checks.DESCRIPTION, m0004_enrollment_or_checks.apply),
    Migration(5, m0005_audit_chain.DESCRIPTION, m0005_audit_chain.apply),
    Migration(6, m0006_household_head_id.DESCRIPTION, m0006_household_head_id.apply),
    Migration(7, m0007_payment_kind.DESCRIPTION, m0007_payment_kind.apply),
    Migration(8, m0008_payment_uid.DESCRIPTION, m0008_payment_uid.apply),
)
LATEST_VERSION = MIGRATIONS[-1].version

_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at DATETIME NOT NULL,
    app_version TEXT NOT NULL)"""


class LedgerTooNewError(UserError, RuntimeError):
    """The ledger was written by a newer version of the app; opening it could damage it."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"这个台账文件来自更新版本的程序（数据结构第{found}版，本程序只认识到第{known}版），"
            "为避免损坏数据，不能打开。请升级程序后再打开。"
        )
        self.found = found
        self.known = known


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version of an open ledger; 0 for a new, empty file."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not has_table:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def pending(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> list[Migration]:
    found = current_version(conn)
    if found > LATEST_VERSION:
        raise LedgerTooNewError(found, LATEST_VERSION)
    return [m for m in MIGRATIONS if found < m.version <= target]


def migrate(database: SqliteDatabase, target: int = LATEST_VERSION) -> list[int]:
    """Bring the ledger up to ``target``; return the versions applied (none when up to date)."""
    conn = database.connection()
    applied: list[int] = []
    for step in pending(conn, target):
        with database.atomic():
            conn.execute(_VERSION_TABLE)
            step.apply(conn)
            conn.execute(
                "INSERT INTO schema_version (version, description, applied_at, app_version)"
                " VALUES (?, ?, ?, ?)",
                (step.version, step.description, dt.datetime.now().isoformat(" ", "seconds"),
                 __version__),
            )
        applied.append(step.version)
    return applied
