"""Apply the numbered migrations in order, each in one transaction, recorded in ``schema_version``.

One ladder for both engines. A step is a module ``mNNNN_<what>.py`` with ``DESCRIPTION`` and
``apply(conn)``, registered in :data:`MIGRATIONS` below with :func:`_step`. On a ledger file
``apply`` gets the ``sqlite3.Connection``; on a PostgreSQL ledger it gets a
:class:`~desktop_app.store.migrations.dialect.PostgresMigrationConnection`, which runs the same
SQLite statements rewritten by a few rules (identity ids, TIMESTAMP, the BOOLEAN flag, ``%s``
placeholders; see :mod:`~desktop_app.store.migrations.dialect`). So, writing a new step:

1. Write ``apply(conn)`` in SQLite's SQL, as every step so far; use only ``conn.execute``,
   ``conn.executemany`` and the rows they return. Plain ``CREATE TABLE``/``ALTER TABLE … ADD
   COLUMN``/``CREATE INDEX``/``UPDATE`` run on both engines as they are.
2. Where SQLite needs something PostgreSQL does not understand (``PRAGMA``, ``sqlite_master``,
   a table rebuild to change a CHECK, a trigger's body), add ``apply_postgresql(conn)`` to the
   same module doing the same on PostgreSQL (``conn.execute`` still rewrites; use
   ``conn.execute_native`` for PostgreSQL's own SQL, e.g. plpgsql). Only then: the step on
   SQLite stays exactly as it was. A step may test ``getattr(conn, "engine", "sqlite")`` for
   one differing statement instead.
3. Register it: ``_step(9, m0009_row_version)``. ``tests/store/test_migrations.py`` checks the
   models agree on SQLite; ``tests/store/test_postgres_schema.py`` builds the ladder on
   PostgreSQL and checks the models agree there too.

On PostgreSQL every step also runs under an advisory lock (:data:`MIGRATION_LOCK`), so two
programs opening an old database at once upgrade it once; after each step every identity column
is moved past its table's highest id (a step that inserts explicit ids, like 6, must not leave a
sequence behind).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from peewee import Database, PostgresqlDatabase

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
    m0009_row_version,
    m0010_household_number_grams,
)
from desktop_app.store.migrations.dialect import PostgresMigrationConnection


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]
    #: the step on PostgreSQL when its SQLite statements cannot be rewritten; None: ``apply``
    apply_postgresql: Callable[[PostgresMigrationConnection], None] | None = None

    def runner_for(self, engine: str) -> Callable:
        if engine == "postgresql" and self.apply_postgresql is not None:
            return self.apply_postgresql
        return self.apply


def _step(version: int, module: ModuleType) -> Migration:
    return Migration(version, module.DESCRIPTION, module.apply, getattr(module, "apply_postgresql", None))


MIGRATIONS: tuple[Migration, ...] = (
    _step(1, m0001_initial),
    _step(2, m0002_name_initials),
    _step(3, m0003_operator_security),
    _step(4, m0004_enrollment_or_checks),
    _step(5, m0005_audit_chain),
    _step(6, m0006_household_head_id),
    _step(7, m0007_payment_kind),
    _step(8, m0008_payment_uid),
    _step(9, m0009_row_version),
    _step(10, m0010_household_number_grams),
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


#: pg_advisory_lock key held while a PostgreSQL ledger is checked and upgraded
MIGRATION_LOCK = 0x4C454447  # "LEDG"


def as_migration_connection(conn: object) -> object:
    """A sqlite3 connection as it is; a psycopg one wrapped to speak the migrations' SQL."""
    if isinstance(conn, sqlite3.Connection) or getattr(conn, "engine", None) == "postgresql":
        return conn
    return PostgresMigrationConnection(conn)


def is_postgresql(conn: object) -> bool:
    return getattr(as_migration_connection(conn), "engine", None) == "postgresql"


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version of an open ledger; 0 for a new, empty file (or database)."""
    conn = as_migration_connection(conn)
    if is_postgresql(conn):
        has_table = conn.execute_native(
            "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
            " AND tablename = 'schema_version'"
        ).fetchone()
    else:
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


def migrate(database: Database, target: int = LATEST_VERSION) -> list[int]:
    """Bring the ledger up to ``target``; return the versions applied (none when up to date)."""
    engine = "postgresql" if isinstance(database, PostgresqlDatabase) else "sqlite"
    conn = as_migration_connection(database.connection())
    if engine == "postgresql":
        conn.execute_native("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        applied: list[int] = []
        for step in pending(conn, target):  # read under the lock: another program may have upgraded
            with database.atomic():
                conn.execute(_VERSION_TABLE)
                step.runner_for(engine)(conn)
                conn.execute(
                    "INSERT INTO schema_version (version, description, applied_at, app_version)"
                    " VALUES (?, ?, ?, ?)",
                    (step.version, step.description, dt.datetime.now().isoformat(" ", "seconds"),
                     __version__),
                )
                if engine == "postgresql":
                    _identities_past_highest_id(conn)
            applied.append(step.version)
        return applied
    finally:
        if engine == "postgresql":
            conn.execute_native("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))


def _identities_past_highest_id(conn: PostgresMigrationConnection) -> None:
    """Each identity column's next value above its table's highest id (explicit ids inserted)."""
    columns = conn.execute_native(
        "SELECT c.relname, a.attname FROM pg_catalog.pg_attribute a"
        " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
        " WHERE a.attidentity <> '' AND NOT a.attisdropped"
        " AND c.relnamespace = current_schema()::regnamespace"
    ).fetchall()
    for table, column in columns:
        conn.execute_native(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{column}"), 0) + 1, false)'
            f' FROM "{table}"',
            (f'"{table}"', column),
        )
