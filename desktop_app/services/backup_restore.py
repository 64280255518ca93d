"""恢复: putting a backup back, only after checking it completely.

:func:`restore` checks the copy before anything is replaced: for a plain copy its SHA-256
against the ``.sha256`` written beside it (a copy without one, made by an older version, is
accepted with a warning that it cannot be proven unaltered), the password of an encrypted one (a
wrong one is told apart from a damaged file), that it is an SQLite file, ``PRAGMA
integrity_check`` and ``foreign_key_check``, that it is a ledger at all (``schema_version`` and
the ledger's tables), that its schema is not newer than this program, and that its whole schema
is exactly what the migrations make for its version (no extra trigger or view, no lost UNIQUE
index, no changed CHECK: :mod:`~desktop_app.store.schema_check`). Only then, holding the ledger's write lock,
it keeps the ledger being replaced as a backup (``before-restore``), folds the old ledger's
``-wal`` into it and removes ``-wal``/``-shm`` (an old ``-wal`` beside a new file would be
replayed into it and damage it), and renames the checked copy over the ledger: written, flushed
and renamed in the same folder, so that a crash leaves the old ledger or the new one, whole.
Afterwards the restored ledger is opened once (an older schema is upgraded then) to record
``restore`` in its 操作日志: who, when, from which file, its SHA-256.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import peewee

from desktop_app import scratch
from desktop_app.scratch import fsync_dir
from desktop_app.services import audit
from desktop_app.services.access import require_admin
from desktop_app.services.backup import bound_ledger, create_backup, ledger_key, snapshot
from desktop_app.services.backup_folder import (
    PLAIN_SUFFIX,
    backup_dir,
    clean_partials,
    digest_path,
    file_sha256,
    new_backup_name,
    recorded_digest,
)
from desktop_app.services.backup_format import (
    CHUNK_SIZE,
    PARTIAL_SUFFIX,
    BackupError,
    PasswordNeededError,
    Progress,
    decrypt_file,
    failure,
    fsync_file,
    is_encrypted,
    partial_name,
    private_dir,
    private_new_file,
    remove_quietly,
    ro_uri,
)
from desktop_app.store import lock as ledger_lock
from desktop_app.store.db import LedgerOpenError, looks_like_sqlite, open_database
from desktop_app.store.errors import write_problem
from desktop_app.store.migrations import LATEST_VERSION, LedgerTooNewError, current_version
from desktop_app.store.models import db
from desktop_app.store.paths import default_ledger_path
from desktop_app.store.postgres import is_server_url
from desktop_app.store.schema_check import schema_differences, tampered_message

#: tables every ledger has had since schema version 1
LEDGER_TABLES = frozenset({
    "setting", "region", "household", "person", "category_membership", "policy_year",
    "category_rule", "enrollment", "operator", "payment", "audit_entry", "schema_version",
})


@dataclass(frozen=True)
class LedgerFacts:
    """What a checked ledger copy holds: shown before it replaces anything."""

    schema_version: int
    township: str
    persons: int
    households: int
    years: list[int]
    last_change: str  # time of the newest audit entry, "" when none
    sha256: str = ""  # of the backup file
    warnings: tuple[str, ...] = ()  # e.g. a plain copy with no SHA-256 to prove it unaltered


@dataclass(frozen=True)
class RestoreResult:
    ledger: Path
    facts: LedgerFacts
    previous_kept: Path | None  # the ledger that was replaced, kept as a backup
    seconds: float
    audited: bool = False  # ``restore`` recorded in the restored ledger's 操作日志
    warnings: tuple[str, ...] = ()


def _check_ledger_copy(path: Path) -> LedgerFacts:
    """Every check on a (private, temporary) copy; BackupError naming the first that fails."""
    if not looks_like_sqlite(path):
        raise BackupError("这不是台账备份文件（不是SQLite数据库），或者文件已损坏")
    try:
        conn = sqlite3.connect(str(path))
    except sqlite3.Error as exc:
        raise BackupError(f"备份文件无法打开：{exc}") from exc
    try:
        conn.execute("PRAGMA journal_mode=DELETE")  # a copy of a WAL ledger: one single file
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            detail = "；".join(str(row[0]) for row in rows[:3])
            raise BackupError(f"备份文件已损坏（完整性检查未通过：{detail}），不能用来恢复")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise BackupError(
                f"备份文件已损坏（{len(broken)}处记录引用了不存在的记录），不能用来恢复")
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = current_version(conn)
        if version == 0 or not LEDGER_TABLES <= tables:
            missing = "、".join(sorted(LEDGER_TABLES - tables))
            raise BackupError(
                f"这个文件不是参保台账（缺少：{missing or '数据结构版本'}），不能用来恢复")
        if version > LATEST_VERSION:
            raise BackupError(str(LedgerTooNewError(version, LATEST_VERSION)))
        differences = schema_differences(conn)
        if differences:
            raise BackupError(
                f"{tampered_message(differences)}。这样的备份可能悄悄改掉或删掉数据，不能用来恢复")
        town = conn.execute(
            "SELECT name FROM region WHERE level = 'township' ORDER BY id LIMIT 1").fetchone()
        years = [row[0] for row in conn.execute(
            "SELECT DISTINCT year FROM enrollment ORDER BY year")]
        last = conn.execute("SELECT MAX(at) FROM audit_entry").fetchone()[0]
        return LedgerFacts(
            schema_version=version,
            township=town[0] if town else "",
            persons=conn.execute("SELECT COUNT(*) FROM person").fetchone()[0],
            households=conn.execute("SELECT COUNT(*) FROM household").fetchone()[0],
            years=years,
            last_change=str(last or ""),
        )
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份文件已损坏，无法读取：{exc}") from exc
    finally:
        conn.close()


NO_DIGEST_WARNING = (
    "这份未加密的备份旁边没有校验值文件（.sha256：旧版程序做的备份，或只拷走了备份文件本身），"
    "无法证明它没有被改动过；它的完整性和数据结构照常检查过了"
)


def _copy_hashing(source: Path, temp: Path, progress: Progress | None) -> str:
    """Copy the bytes of ``source`` to ``temp``; the SHA-256 of exactly the bytes copied."""
    digest = hashlib.sha256()
    total = source.stat().st_size
    done = 0
    private_new_file(temp)
    with source.open("rb") as src, temp.open("wb") as out:
        for block in iter(lambda: src.read(CHUNK_SIZE), b""):
            digest.update(block)
            out.write(block)
            done += len(block)
            if progress is not None:
                progress(done, total)
    return digest.hexdigest()


def _unpack_to(
    source: Path, temp: Path, password: str | None, progress: Progress | None
) -> tuple[str, tuple[str, ...]]:
    """Decrypt or copy ``source`` into the private file ``temp``: its SHA-256 and any warnings.

    A plain copy with a ``.sha256`` beside it is copied byte for byte and must match it (the
    bytes restored are the bytes proven; a ``-wal`` beside it is ignored); one without is read
    through the backup API (which also picks up a ``-wal`` beside a live ledger) with a warning.
    """
    if is_encrypted(source):
        if password is None:
            raise PasswordNeededError("这个备份文件是加密的，请输入备份时设的密码")
        decrypt_file(source, temp, password, progress)  # AES-GCM: every chunk authenticated
        return file_sha256(source), ()
    if not looks_like_sqlite(source):
        raise BackupError(f"“{source.name}”不是台账备份文件（既不是加密备份，也不是SQLite数据库）")
    expected = recorded_digest(source)
    if expected is not None:
        actual = _copy_hashing(source, temp, progress)
        if actual != expected:
            raise BackupError(
                f"备份文件和它的校验值（{digest_path(source).name}）对不上：备份做好以后被改动过或已损坏，"
                "不能用来恢复")
        return actual, ()
    try:
        snapshot(source, temp, progress)
    except sqlite3.DatabaseError:
        private_new_file(temp)  # unreadable through SQLite: copy the bytes, the checks will judge
        with source.open("rb") as src, temp.open("wb") as out:
            shutil.copyfileobj(src, out, CHUNK_SIZE)
    return file_sha256(source), (NO_DIGEST_WARNING,)


def inspect_backup(source: Path, password: str | None = None) -> LedgerFacts:
    """Check a backup file completely without restoring it (what :func:`restore` checks first)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"备份文件“{source}”不存在")
    temp = scratch.new_path("inspect-", PLAIN_SUFFIX)  # a plaintext copy: owner-only, swept
    try:
        sha256, warnings = _unpack_to(source, temp, password, None)
        return dataclasses.replace(_check_ledger_copy(temp), sha256=sha256, warnings=warnings)
    except (OSError, sqlite3.Error) as exc:
        raise failure("无法检查备份文件", exc) from exc
    finally:
        remove_quietly(temp, partial_name(temp))


SERVER_RESTORE = (
    "恢复没有做（台账没有改动）：单位服务器上的台账不能用备份文件直接覆盖，"
    "几位经办人可能正在上面工作。服务器的备份和恢复由管理服务器的人员负责（pg_dump 等）；"
    "要看备份里的内容，请把备份文件当作台账文件打开。"
)


def restore(
    source: Path,
    ledger: Path | None = None,
    password: str | None = None,
    progress: Progress | None = None,
) -> RestoreResult:
    """Replace ``ledger`` (default: the open one, else the default one) with the backup ``source``.

    Checks ``source`` completely first; nothing is replaced when a check fails. The replaced
    ledger is kept in the backups folder (reason ``before-restore``). The ledger must not be open
    elsewhere (its write lock is taken, or reused when this process holds it); a connection of
    this thread to it is closed. Afterwards the ledger is closed: call ``open_database`` again.
    """
    require_admin("恢复备份")
    started = time.perf_counter()
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"备份文件“{source}”不存在")
    if ledger is None:
        ledger = bound_ledger() if db.obj is not None else default_ledger_path()
    if is_server_url(ledger):
        raise BackupError(SERVER_RESTORE)
    ledger = Path(ledger)
    if ledger.exists() and os.path.samefile(source, ledger):
        raise BackupError("备份文件就是台账文件本身，不能用它恢复自己")
    ledger.parent.mkdir(parents=True, exist_ok=True)
    already = ledger_lock.held_lock(ledger)
    try:  # taken before the long checks: no one starts working in the ledger meanwhile
        lock = already or ledger_lock.acquire(ledger, program="恢复备份")
    except ledger_lock.LedgerLockError as exc:
        raise BackupError(f"恢复没有做（台账没有改动）：{exc}") from exc
    clean_partials(ledger.parent, prefix=f".{ledger.name}.restore-")
    temp = ledger.with_name(f".{ledger.name}.restore-{os.getpid()}{PARTIAL_SUFFIX}")
    try:
        sha256, warnings = _unpack_to(source, temp, password, progress)
        facts = dataclasses.replace(_check_ledger_copy(temp), sha256=sha256, warnings=warnings)
        fsync_file(temp)
        previous = _swap_in(temp, ledger)
        audited, problem = _record_restore(ledger, source, facts, previous)  # still under the lock
    except BackupError:
        raise
    except (OSError, sqlite3.Error) as exc:
        raise failure("恢复没有完成（台账没有改动）", exc) from exc
    finally:
        remove_quietly(temp, temp.with_name(temp.name + "-journal"))
        if already is None:
            lock.release()
    return RestoreResult(ledger, facts, previous, time.perf_counter() - started, audited,
                         facts.warnings + problem)


def _record_restore(
    ledger: Path, source: Path, facts: LedgerFacts, previous: Path | None
) -> tuple[bool, tuple[str, ...]]:
    """Open the restored ledger once (upgrading an older schema) and record ``restore`` in it.

    The ledger is replaced already, so a failure here is a warning, not an error; the ledger is
    closed again afterwards (the caller opens it as it likes).
    """
    failed = "恢复已完成，但没能在台账的操作记录里记下这次恢复："
    try:
        database = open_database(ledger, create=False, program="恢复备份")
    except (LedgerOpenError, ledger_lock.LedgerLockError, sqlite3.Error, peewee.PeeweeException) as exc:
        return False, (f"{failed}{exc}",)
    try:
        with db.atomic():
            audit.record("restore", "ledger", source.name, (
                {"replaced_ledger_kept_as": str(previous)} if previous is not None else None), {
                "from": str(source.resolve()), "sha256": facts.sha256,
                "sha256_proven": not facts.warnings, "schema_version": facts.schema_version,
                "persons": facts.persons, "households": facts.households,
            })
        return True, ()
    except (sqlite3.Error, peewee.PeeweeException) as exc:
        return False, (f"{failed}{exc}",)
    finally:
        database.close()


def _swap_in(temp: Path, ledger: Path) -> Path | None:
    """Keep the old ledger as a backup, retire its ``-wal``, then rename ``temp`` over it."""
    _close_bound(ledger)
    previous = _keep_previous(ledger) if ledger.exists() else None
    _retire_wal(ledger)
    os.replace(temp, ledger)
    fsync_dir(ledger.parent)
    if os.name == "posix":
        os.chmod(ledger, 0o600)
    return previous


def _close_bound(ledger: Path) -> None:
    database = db.obj
    if database is None or not getattr(database, "database", None):
        return
    if not (os.path.exists(database.database) and ledger.exists()):
        return
    if not os.path.samefile(database.database, ledger):
        return
    if not database.is_closed():
        try:
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except (sqlite3.Error, peewee.PeeweeException):
            pass  # _retire_wal checks again, on its own connection
        database.close()


def _keep_previous(ledger: Path) -> Path:
    """Keep the ledger about to be replaced in the backups; a damaged one byte for byte."""
    try:
        # not audited: the entry would go into the ledger being replaced, after its copy was made
        return create_backup("before-restore", ledger=ledger, audited=False).path
    except BackupError as exc:
        cause = exc.__cause__
        unreadable = isinstance(cause, sqlite3.DatabaseError) and write_problem(cause) is None
        if not unreadable:
            raise BackupError(
                f"恢复没有做（台账没有改动）：现在的台账要先备份，但备份失败：{exc}") from exc
    # SQLite cannot read it (damaged, which is often why one restores): keep its bytes
    target = new_backup_name(private_dir(backup_dir()), ledger_key(ledger),
                             "before-restore-damaged", PLAIN_SUFFIX, dt.datetime.now())
    try:
        for suffix in ("", "-wal"):
            part = Path(f"{ledger}{suffix}")
            if part.exists():
                copy = Path(f"{target}{suffix}")
                private_new_file(copy)
                shutil.copyfile(part, copy)
                fsync_file(copy)
    except OSError as exc:
        raise failure("恢复没有做（台账没有改动）：无法保留现在的台账", exc) from exc
    return target


def _retire_wal(ledger: Path) -> None:
    """Fold the old ledger's ``-wal`` into it, then remove ``-wal``/``-shm``.

    They must never meet the new file: SQLite would replay the old ``-wal`` into it.
    """
    wal, shm = Path(f"{ledger}-wal"), Path(f"{ledger}-shm")
    if wal.exists() and wal.stat().st_size > 0:
        try:
            conn = sqlite3.connect(str(ledger), timeout=5)
            try:
                busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            busy = 0  # damaged: its bytes (with the -wal) were kept by _keep_previous
        if busy or (wal.exists() and wal.stat().st_size > 0 and _readable_ledger(ledger)):
            raise BackupError(
                "恢复没有做（台账没有改动）：台账还在别处打开着（有未写完的内容），请关闭所有使用它的窗口后再试")
    remove_quietly(wal, shm)


def _readable_ledger(ledger: Path) -> bool:
    try:
        conn = sqlite3.connect(ro_uri(ledger), uri=True)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return True
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
