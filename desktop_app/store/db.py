"""Opening a ledger file: pragmas for a ledger of money, schema migrations, a backup first.

One SQLite file holds the whole ledger. Pragmas:

- ``journal_mode=wal``: readers (the GUI's tables) never block the writer, and a crash
  mid-write leaves the last committed state;
- ``synchronous=FULL``: a committed payment survives a power cut, at a small cost per commit;
- ``foreign_keys=ON``: a payment for a person who does not exist is refused by SQLite itself;
- ``busy_timeout``: a second reader waits for a short write instead of failing at once.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import peewee
from peewee import SqliteDatabase

from desktop_app.store import lock
from desktop_app.store.after_transaction import AfterTransactionMixin
from desktop_app.store.backup_names import backups_dir, ledger_key
from desktop_app.store.errors import (
    LedgerOpenError,
    closed_unless_opened,
    friendly_write_error,
    write_problem,
)
from desktop_app.store.lock import LedgerLock
from desktop_app.store.migrations import LATEST_VERSION, current_version, migrate
from desktop_app.store.migrations.runner import pending
from desktop_app.store.models import db
from desktop_app.store.postgres import is_server_url, open_postgres
from desktop_app.store.schema_check import refuse_tampered, schema_differences

PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -32_000,  # 32 MB
}
SQLITE_MAGIC = b"SQLite format 3\x00"


class LedgerDatabase(AfterTransactionMixin, SqliteDatabase):
    """peewee's SqliteDatabase with :meth:`after_transaction` beside its ``after_commit``: work
    that must be done once the outermost transaction is over, whether it committed or rolled back
    (an access refusal's audit entry must survive the rollback of the work it refused)."""


def refuse_changed_schema(conn: sqlite3.Connection, path: Path) -> None:
    """LedgerOpenError when the file's schema is not exactly what its version's migrations make
    (an extra trigger or view, a lost UNIQUE index…): checked before anything is migrated."""
    refuse_tampered(schema_differences(conn), f"“{path.name}”没有打开（文件没有改动）",
                    "请用可靠的备份恢复，或请技术人员检查这个文件")


def _refused_before_connecting(path: Path) -> bool:
    """The schema check through a read-only connection of its own, before the ledger's pragmas
    (``journal_mode=wal`` rewrites the header): a refused file is left byte for byte as it was.

    True when the check ran; False when SQLite could not read the file this way (the check then
    runs on the ledger's own connection).
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            refuse_changed_schema(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return True


class LedgerFileReadOnlyError(LedgerOpenError):
    """The ledger file is write-protected (``chmod 400``, Windows' read-only attribute): it is
    not opened for writing, and its mode is left as the person set it; it may be opened
    read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"台账文件是只读的（“{path.name}”被设成了只读），这个操作要修改台账，没有做；"
            "只能以只读方式查看。要修改，请先取消这个文件的只读属性。"
        )


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "命名管道"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISCHR, "设备"),
    (stat.S_ISBLK, "设备"),
)


def special_file_kind(path: Path | str) -> str | None:
    """What ``path`` is when it is a pipe, socket or device (links followed), else None."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), None)


def refuse_special_file(path: Path | str) -> None:
    """LedgerOpenError at once for a pipe, socket or device: reading one would wait forever."""
    kind = special_file_kind(path)
    if kind is not None:
        raise LedgerOpenError(f"“{path}”是{kind}，不是普通文件，不能当作台账使用，没有打开它")


def is_write_protected(path: Path) -> bool:
    """The file has no write permission at all (also for root, who could write it anyway)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not mode & 0o222 or not os.access(path, os.W_OK)


def looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def _restrict_to_owner(path: Path) -> None:
    if os.name == "posix":
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if candidate.exists():
                os.chmod(candidate, 0o600)


def backup_copy(database: SqliteDatabase, target: Path) -> Path:
    """A consistent copy through SQLite's online backup API (a plain file copy would miss the WAL)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(str(target))
    try:
        database.connection().backup(dest)
    finally:
        dest.close()
    _restrict_to_owner(target)
    return target


_held_lock: LedgerLock | None = None


def open_database(
    path: Path | str, *, create: bool = True, read_only: bool = False, program: str = "",
    take_over_lock: bool = False,
) -> SqliteDatabase:
    """Open (and if need be create) the ledger at ``path``, migrate it, and bind the models to it.

    ``path`` may instead be a ``postgresql://USER@HOST[:PORT]/DBNAME`` URL: a ledger on a server,
    opened by :func:`desktop_app.store.postgres.open_postgres` (everything below about the file,
    its lock and its backup before an upgrade is the file's alone).

    One writer at a time: the ledger's lock is taken first, and a second copy of the program is
    refused with :class:`~desktop_app.store.lock.LedgerBusyError` naming who has it open; it may
    open the ledger ``read_only`` instead (no lock, no migration, every write refused).
    ``take_over_lock``: a lock left by another computer is replaced (see
    :func:`~desktop_app.store.lock.acquire`); the caller audits ``LedgerLock.taken_over``.
    A write-protected file raises :class:`LedgerFileReadOnlyError` (its mode is never changed);
    a pipe, socket or device is refused at once. An older ledger is copied to the data folder's
    ``backups/`` before its schema changes; a ledger made by a newer program is refused before
    anything is written. A file this call created is removed again when opening fails.
    """
    global _held_lock
    if is_server_url(path):  # a ledger on a PostgreSQL server: no file, no lock (store/postgres.py)
        return open_postgres(str(path), create=create, read_only=read_only)
    path = Path(path)
    refuse_special_file(path)
    existed = path.exists() and path.stat().st_size > 0
    if path.exists() and path.is_dir():
        raise LedgerOpenError(f"“{path}”是一个文件夹，不是台账文件")
    if existed and not looks_like_sqlite(path):
        raise LedgerOpenError(f"“{path}”不是台账文件（不是SQLite数据库），没有做任何修改")
    if not existed and (not create or read_only):
        raise LedgerOpenError(f"台账文件“{path}”不存在")
    if read_only:
        return _open_read_only(path)
    if existed and is_write_protected(path):
        raise LedgerFileReadOnlyError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    held = lock.acquire(path, program=program, take_over=take_over_lock)
    made_here = not path.exists()
    database = LedgerDatabase(str(path), pragmas=PRAGMAS)
    def undo() -> None:
        held.release()
        _remove_if_made_here(path, made_here)

    def message(exc: BaseException) -> str:
        if write_problem(exc, path) is not None:
            return friendly_write_error(exc, path)
        return f"台账文件“{path}”无法打开：{exc}"

    with closed_unless_opened(database, (sqlite3.DatabaseError, peewee.DatabaseError, OSError),
                              message, undo):
        checked = existed and _refused_before_connecting(path)
        database.connect()
        conn = database.connection()
        if not checked:
            refuse_changed_schema(conn, path)  # before any migration step reads or rebuilds it
        steps = pending(conn)  # raises LedgerTooNewError before anything is written
        if steps and current_version(conn) > 0:
            _backup_before_upgrade(database, path)
        migrate(database)
    _restrict_to_owner(path)
    _held_lock = held
    db.initialize(database)
    return database


def _backup_before_upgrade(database: SqliteDatabase, path: Path) -> Path:
    """The old ledger copied, before its schema changes, to the data folder's owner-only
    ``backups/`` where every other automatic copy of it goes (never a new folder beside it)."""
    folder = backups_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{ledger_key(path)}-before-schema-v{LATEST_VERSION}-{stamp}.sqlite"
    return backup_copy(database, folder / name)


def _remove_if_made_here(path: Path, made_here: bool) -> None:
    """Opening a new ledger failed (a full disk…): leave no empty or half-made file behind."""
    if not made_here:
        return
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            leftover.unlink()
        except OSError:
            pass


def _open_read_only(path: Path) -> SqliteDatabase:
    """The ledger for reading only: while another copy of the program writes it, or from a
    write-protected stick. Nothing is migrated, chmod-ed or locked; every write is refused.
    A write-protected file with no ``-wal`` beside it is read as immutable: no one can be
    writing it, and no ``-shm``/``-wal`` is left beside it."""
    unwritten = is_write_protected(path) and not Path(f"{path}-wal").exists()
    database = SqliteDatabase(
        f"{path.resolve().as_uri()}?mode=ro{'&immutable=1' if unwritten else ''}", uri=True,
        pragmas={"foreign_keys": 1, "busy_timeout": 5000, "query_only": 1},
    )
    with closed_unless_opened(database, (sqlite3.DatabaseError, peewee.DatabaseError),
                              lambda exc: f"台账文件“{path}”无法以只读方式打开：{exc}"):
        database.connect()
        refuse_changed_schema(database.connection(), path)
        if pending(database.connection()):
            raise LedgerOpenError("这个台账需要先升级数据结构，只读方式不能打开；请在没有别人使用时正常打开一次")
    db.initialize(database)
    return database


def is_read_only() -> bool:
    database = db.obj
    if getattr(database, "engine", None) == "postgresql":
        return bool(database.read_only)
    return bool(database is not None and "mode=ro" in str(database.database))


def close_database() -> None:
    """Close the bound ledger, checkpointing the WAL into the main file, and let go of its lock."""
    global _held_lock
    database = db.obj
    if database is not None and not database.is_closed():
        try:
            if not is_read_only() and isinstance(database, SqliteDatabase):
                database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except (sqlite3.DatabaseError, peewee.DatabaseError):
            pass  # a damaged file: closing matters more than checkpointing
        database.close()
    if _held_lock is not None:
        _held_lock.release()
        _held_lock = None
