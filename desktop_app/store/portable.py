"""A ledger on a server written out as the portable ledger file: restorable anywhere.

:func:`write_portable_ledger` makes a new SQLite ledger by the file's own migrations (so it is
exactly the schema a file of that version has, and passes the file's whole-schema check), then
copies every table's rows from one consistent snapshot of the server (``REPEATABLE READ, READ
ONLY``) in id order, a chunk at a time through a server-side cursor (bounded memory at a county's
million persons), and checks the copy: foreign keys, integrity, and each table's row count
against the snapshot's. The file appears under its name only when all of that held.

The backup service's encryption, naming and rotation then treat that file like a snapshot of a
ledger file (the hook-up is the backup service's: ``services/backup.py``).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
from pathlib import Path

from peewee import Database, SqliteDatabase

from desktop_app.store.errors import LedgerOpenError
from desktop_app.store.migrations import LATEST_VERSION, current_version, migrate
from desktop_app.store.models import ALL_MODELS

_CHUNK = 5000


def file_value(value: object) -> object:
    """A value as the ledger file stores it (text dates and times, 0/1 flags)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_portable_ledger(source: Database, target: Path) -> dict[str, int]:
    """Write the server ledger ``source`` as a new ledger file ``target``; the rows copied per table."""
    if target.exists():
        raise LedgerOpenError(f"“{target}”已经存在，没有覆盖")
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    made = SqliteDatabase(str(partial))
    counts: dict[str, int] = {}
    try:
        made.connect()
        migrate(made)
        dest = made.connection()
        dest.execute("BEGIN")  # peewee's connection autocommits: one transaction, not one per row
        with source.atomic():
            source.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            version = current_version(source.connection())
            if version != LATEST_VERSION:
                raise LedgerOpenError(f"服务器上的台账是数据结构第{version}版，本程序是第{LATEST_VERSION}版，不能写出台账文件")
            for model in ALL_MODELS:
                counts[model._meta.table_name] = _copy_table(source, dest, model._meta.table_name)
        dest.execute("COMMIT")
        problems = dest.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise LedgerOpenError(f"写出的台账文件外键检查不通过：{problems[:5]}")
        if dest.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise LedgerOpenError("写出的台账文件完整性检查不通过")
        for table, expected in counts.items():
            got = dest.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            if got != expected:
                raise LedgerOpenError(f"写出的台账文件表 {table} 有 {got} 行，服务器上有 {expected} 行")
        made.close()
        if os.name == "posix":
            os.chmod(partial, 0o600)  # owner-only, as every ledger file
        os.replace(partial, target)
    except BaseException:
        made.close()
        partial.unlink(missing_ok=True)
        raise
    return counts


def _copy_table(source: Database, dest: sqlite3.Connection, table: str) -> int:
    columns = [row[1] for row in dest.execute(f'PRAGMA table_info("{table}")')]
    keys = [row[1] for row in dest.execute(f'PRAGMA table_info("{table}")') if row[5]]
    listed = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT INTO "{table}" ({listed}) VALUES ({", ".join("?" * len(columns))})'
    copied = 0
    with source.connection().cursor(name=f"portable_{table}") as cursor:  # streams, in the snapshot
        cursor.execute(f'SELECT {listed} FROM "{table}" ORDER BY {", ".join(keys)}')
        while rows := cursor.fetchmany(_CHUNK):
            dest.executemany(insert, [tuple(file_value(v) for v in row) for row in rows])
            copied += len(rows)
    return copied
