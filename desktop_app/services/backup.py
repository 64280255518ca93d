"""备份: copies of the ledger that can be trusted, made automatically and on request.

Copies are made with SQLite's online backup API from a separate read-only connection, so they
hold exactly what was committed (a plain file copy would miss what sits in the ``-wal`` file),
and they never see the caller's unfinished transaction. Each copy is written to a ``.partial``
file, flushed to disk and then renamed: a crash leaves either no copy or a whole one.

- **Automatic** copies go to ``<data folder>/backups/``: once a day on opening
  (:func:`daily_backup_if_due`) and before every import, policy load and restore
  (:func:`backup_before`). The newest ``keep`` copies of each kind (daily, before-import…) are
  kept: the ledger's setting ``backup_keep``, default 30.
- **To a USB stick**: :func:`create_backup` with ``folder=`` and ``password=`` (encrypted, see
  :mod:`desktop_app.services.backup_format`).
- **Restore**: :mod:`desktop_app.services.backup_restore`.
- **Proof of content**: a plain copy gets a sidecar ``<copy>.sha256`` (``sha256sum`` format, so
  ``sha256sum -c`` or Windows' ``certutil -hashfile … SHA256`` can check it too); restore verifies
  it first. A sidecar rather than something inside the file: an SQLite file cannot carry the hash
  of its own bytes, and the copy stays a plain SQLite file any tool opens. It proves the copy was
  not changed by accident or by someone editing the file alone; whoever rewrites both can fool it,
  which is why restore also checks the whole schema, and why copies that leave the office are
  encrypted (AES-GCM authenticates every byte). Rotation deletes a sidecar with its copy.
- **Audit**: every copy is recorded in the ledger it was taken from (``backup`` in 操作日志:
  file, SHA-256, encrypted or not), when this process has that ledger open for writing (see
  :func:`record_backup`).

Names: ``<ledger>-<YYYYmmdd-HHMMSS>-<reason>.sqlite`` (``.ledgerbackup`` when encrypted), where
``<ledger>`` is the ledger file's stem, plus ``~`` and a tag of its folder when it is not the
default ledger, so that copies of two ledgers never rotate each other away. Naming, listing,
rotation and the sidecars live in :mod:`desktop_app.services.backup_folder`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import peewee

from desktop_app import scratch
from desktop_app.services import audit
from desktop_app.services.backup_folder import (
    ENCRYPTED_SUFFIX,
    PLAIN_SUFFIX,
    BackupInfo,
    backup_dir,
    clean_partials,
    digest_path,
    file_sha256,
    list_backups,
    new_backup_name,
    reason_slug,
    rotate,
    write_digest,
)
from desktop_app.services.backup_format import (
    BackupError,
    PasswordNeededError,
    Progress,
    WrongPasswordError,
    check_password_strength,
    commit_file,
    encrypt_file,
    failure,
    partial_name,
    private_dir,
    private_new_file,
    remove_quietly,
    ro_uri,
)
from desktop_app.services.ledger import set_setting
from desktop_app.store import dialect
from desktop_app.store.backup_names import ledger_key
from desktop_app.store.db import is_read_only
from desktop_app.store.lock import held_lock
from desktop_app.store.models import db
from desktop_app.store.portable import write_portable_ledger
from desktop_app.store.postgres import LedgerPostgresDatabase, is_server_url

__all__ = [
    "BackupError", "BackupInfo", "BackupResult", "PasswordNeededError", "WrongPasswordError",
    "backup_before", "backup_dir", "create_backup", "daily_backup_if_due", "digest_path",
    "file_sha256", "keep_count", "ledger_key", "list_backups", "rotate", "set_keep_count",
    "snapshot", "write_digest",
]

KEEP_SETTING = "backup_keep"
DEFAULT_KEEP = 30
MAX_KEEP = 1000
#: an automatic copy must leave this much free on the local disk, for the ledger's own writes
LOCAL_RESERVE = 64 * 1024 * 1024
@dataclass(frozen=True)
class BackupResult:
    path: Path
    encrypted: bool
    size: int
    seconds: float
    removed: list[Path] = field(default_factory=list)  # older copies rotated away
    sha256: str = ""  # of the backup file as written
    audited: bool = False  # recorded in the ledger's 操作日志


# ---------------------------------------------------------------------------------------------
# Consistent copies through SQLite's backup API


def snapshot(ledger: Path | str, target: Path, progress: Progress | None = None) -> Path:
    """Copy the committed state of ``ledger`` to ``target``: owner-only, atomic, one single file.

    Reads through a separate read-only connection: never writes to the ledger and never sees
    an unfinished transaction of the caller. A ledger on a PostgreSQL server (a URL) is written
    out as the portable ledger file (:func:`~desktop_app.store.portable.write_portable_ledger`).
    """
    if is_server_url(ledger):
        return _server_snapshot(ledger, target)
    if not ledger.exists():
        raise BackupError(f"台账文件“{ledger}”不存在，无法备份")
    partial = partial_name(target)
    private_new_file(partial)
    try:
        source = sqlite3.connect(ro_uri(ledger), uri=True, timeout=30)
        try:
            dest = sqlite3.connect(str(partial))
            try:
                dest.execute("PRAGMA journal_mode=OFF")
                dest.execute("PRAGMA synchronous=OFF")  # flushed once, as a whole, below
                if progress is None:
                    source.backup(dest)
                else:
                    def report(_status: int, left: int, total: int) -> None:
                        progress(total - left, total)

                    source.backup(dest, pages=4096, sleep=0, progress=report)
                # a copy of a WAL ledger is marked WAL: make it a self-contained single file
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
        finally:
            source.close()
        commit_file(partial, target)
    except BaseException:
        remove_quietly(partial, partial.with_name(partial.name + "-journal"))
        raise
    return target



def _server_snapshot(url: str, target: Path) -> Path:
    """The server ledger at ``url`` as a ledger file at ``target``, read over a connection of its
    own that refuses writes (one consistent snapshot: store/portable.py)."""
    source = LedgerPostgresDatabase(url, read_only=True)
    try:
        source.connect()
        write_portable_ledger(source, target)
    except peewee.PeeweeException as exc:
        raise BackupError(f"读服务器上的台账失败，备份没有做成（台账没有改动）：{str(exc).splitlines()[0]}") from exc
    finally:
        source.close()
    return target


# ---------------------------------------------------------------------------------------------
# Names, folders, rotation


def bound_ledger() -> Path | str:
    """The ledger file bound by ``open_database`` (a server ledger's URL); BackupError when none is."""
    database = db.obj
    if database is None or not getattr(database, "database", None):
        raise BackupError("还没有打开台账，无法备份")
    if is_server_url(database.database):
        return database.database
    return Path(database.database)


def keep_count(ledger: Path | None = None) -> int:
    """How many copies of each kind are kept: the ledger's setting ``backup_keep``, default 30.

    Read from the file through its own read-only connection, so that it works for a ledger
    that is not the one open (or open in another program).
    """
    ledger = ledger or bound_ledger()
    if is_server_url(ledger):
        return _server_keep_count(ledger)
    try:
        conn = sqlite3.connect(ro_uri(ledger), uri=True)
        try:
            row = conn.execute(
                "SELECT value FROM setting WHERE key = ?", (KEEP_SETTING,)).fetchone()
        finally:
            conn.close()
        value = int(row[0]) if row else DEFAULT_KEEP
    except (sqlite3.Error, ValueError):
        return DEFAULT_KEEP
    return min(max(value, 1), MAX_KEEP)


def _server_keep_count(url: str) -> int:
    source = LedgerPostgresDatabase(url, read_only=True)
    try:
        row = source.execute_sql("SELECT value FROM setting WHERE key = ?", (KEEP_SETTING,)).fetchone()
        value = int(row[0]) if row else DEFAULT_KEEP
    except (peewee.PeeweeException, ValueError):
        return DEFAULT_KEEP
    finally:
        source.close()
    return min(max(value, 1), MAX_KEEP)


def set_keep_count(count: int) -> None:
    """Store the number of copies to keep in the open ledger (audited like every setting)."""
    if not 1 <= count <= MAX_KEEP:
        raise BackupError(f"保留的备份份数应在1到{MAX_KEEP}之间，“{count}”不行")
    set_setting(KEEP_SETTING, str(count))


def record_backup(result: BackupResult, ledger: Path) -> bool:
    """Write ``backup`` into ``ledger``'s 操作日志 when this process has it open for writing.

    False when it has not (the command line copies a ledger the window holds, read-only); the
    caller may open the ledger and call again.
    """
    database = db.obj
    if database is None or is_read_only() or not getattr(database, "database", None):
        return False
    if is_server_url(ledger):  # the open server ledger, the same database
        if database.database != ledger or database.is_closed():
            return False
    elif held_lock(ledger) is None:  # closed (peewee would quietly reconnect), or never opened here
        return False
    else:
        try:
            if not os.path.samefile(database.database, ledger):
                return False
        except OSError:
            return False
    try:
        with db.atomic():
            audit.record("backup", "ledger", result.path.name, None, {
                "file": str(result.path), "sha256": result.sha256, "encrypted": result.encrypted,
                "size": result.size,
            })
    except (sqlite3.Error, peewee.PeeweeException):
        return False  # the copy is whole; BackupResult.audited says the entry is missing
    return True


# ---------------------------------------------------------------------------------------------
# Making backups


def create_backup(
    reason: str = "manual",
    *,
    ledger: Path | None = None,
    folder: Path | None = None,
    password: str | None = None,
    keep: int | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    audited: bool = True,
) -> BackupResult:
    """Copy ``ledger`` (default: the open one) into ``folder`` (default: the data folder's backups).

    With ``password`` the copy is encrypted. Copies into the default folder are rotated: the
    newest ``keep`` (default: :func:`keep_count`) of this reason are kept. A copy to another
    folder (a USB stick) is never rotated. A plain copy gets its ``.sha256`` sidecar. With
    ``audited`` the copy is recorded in the ledger's 操作日志 when this process has it open
    (``BackupResult.audited`` says whether it was).
    """
    started = time.perf_counter()
    ledger = ledger or bound_ledger()
    automatic = folder is None
    target_dir = folder or backup_dir()
    if password is not None:
        check_password_strength(password)
    reason = reason_slug(reason)
    suffix = ENCRYPTED_SUFFIX if password is not None else PLAIN_SUFFIX
    try:
        if automatic:
            private_dir(target_dir)
        else:
            target_dir.mkdir(parents=True, exist_ok=True)
        clean_partials(target_dir)
        _ensure_room(ledger, target_dir, reserve=LOCAL_RESERVE if automatic else 0)
        stamp = now or dt.datetime.now()
        target = new_backup_name(target_dir, ledger_key(ledger), reason, suffix, stamp)
        if password is None:
            snapshot(ledger, target, progress)
            sha256 = file_sha256(target)
            write_digest(target, sha256)  # a crash before this leaves a copy without proof: restore warns
        else:
            # the plaintext copy: in the owner-only scratch folder on the local disk, never on
            # the USB stick; swept at the next start should this process be killed outright
            plain = scratch.new_path("plain-", PLAIN_SUFFIX)
            _ensure_room(ledger, plain.parent, reserve=LOCAL_RESERVE)
            try:
                snapshot(ledger, plain)
                encrypt_file(plain, target, password, progress)
            finally:
                remove_quietly(plain)
            sha256 = file_sha256(target)
    except BackupError:
        raise
    except (OSError, sqlite3.Error) as exc:
        raise failure(f"备份没有做成（台账没有改动）：写入“{target_dir}”失败", exc) from exc
    removed: list[Path] = []
    if automatic:
        kept = keep if keep is not None else keep_count(ledger)
        removed = rotate(ledger, reason, kept, target_dir)
    result = BackupResult(target, password is not None, target.stat().st_size,
                          time.perf_counter() - started, removed, sha256)
    if audited and record_backup(result, ledger):
        result = dataclasses.replace(result, audited=True)
    return result


def _ensure_room(ledger: Path, folder: Path, reserve: int) -> None:
    """Refuse a copy that would not fit, or would leave the disk too full for the ledger itself."""
    if is_server_url(ledger):
        size = 0  # the portable file's size is not known before it is written; the reserve holds
    else:
        size = sum(p.stat().st_size for p in (ledger, Path(f"{ledger}-wal")) if p.exists())
    free = shutil.disk_usage(folder).free
    if free < size + reserve:
        raise BackupError(
            f"磁盘空间不够，备份没有做（台账没有改动）：“{folder}”只剩{free / 1e6:.0f} MB，"
            f"备份需要{size / 1e6:.0f} MB"
            + (f"，还要给台账本身留出{reserve / 1e6:.0f} MB" if reserve else "")
            + "。请删除不需要的文件或较早的备份后再试。"
        )


def backup_before(reason: str) -> Path | None:
    """A copy of the open ledger just before ``reason`` ("import", "policy", "restore") changes it.

    Call it before the operation's transaction; raises :class:`BackupError` when no copy could be
    made (disk full…), in which case the caller should not go on. A PostgreSQL ledger gets none
    (None): the server's own backups (pg_dump, point-in-time recovery) are the DBA's, and the
    operation runs in one transaction there as here.
    """
    if dialect.is_postgres():
        return None
    return create_backup(f"before-{reason_slug(reason)}").path


def daily_backup_if_due(today: dt.date | None = None, ledger: Path | None = None) -> Path | None:
    """The day's first opening makes a copy (reason ``daily``); later openings that day do nothing.

    Returns the new copy, or None when today's already exists. Raises :class:`BackupError` when
    the copy could not be made: show it as a warning, the ledger itself is fine.
    """
    ledger = ledger or bound_ledger()
    today = today or dt.date.today()
    for info in list_backups(ledger):
        if info.reason == "daily" and info.made_at.date() == today:
            return None
    now = dt.datetime.combine(today, dt.datetime.now().time()) if today != dt.date.today() else None
    return create_backup("daily", ledger=ledger, now=now).path

