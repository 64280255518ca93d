"""The ledger as a whole: creating it, its township, its villages, and checking the file."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import peewee
import psycopg

from desktop_app.errors import ServiceError as ServiceError  # re-exported: its home until now
from desktop_app.services import access, audit
from desktop_app.services.policy_years import missing_enrollments
from desktop_app.store.db import (
    LedgerOpenError,
    close_database,
    looks_like_sqlite,
    open_database,
    refuse_special_file,
)
from desktop_app.store.errors import WriteProblem, friendly_writes, write_problem
from desktop_app.store.marks import change_mark
from desktop_app.store.migrations import LATEST_VERSION, LedgerTooNewError, current_version
from desktop_app.store.models import Enrollment, Household, Person, Region, Setting, db
from desktop_app.store.postgres import LedgerPostgresDatabase, is_server_url, refusal_words
from desktop_app.store.schema_check import schema_differences
from desktop_app.store.schema_check_pg import schema_differences_pg


def _check_code(code: str, digits: int, what: str) -> str:
    code = code.strip()
    if len(code) != digits or not code.isdigit():
        raise ServiceError(f"{what}代码应为{digits}位数字（统计用区划代码），“{code}”不对")
    return code


#: What the ledger's settings are called where a refusal names one.
SETTING_NAMES = {"default_year": "默认年度", "idle_lock_minutes": "自动锁定时间", "backup_keep": "备份保留份数",
                 "notice.phone": "咨询电话"}


def get_setting(key: str, default: str = "") -> str:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row else default


@friendly_writes(ServiceError)
def set_setting(key: str, value: str) -> None:
    old = get_setting(key, "")
    if old == value:
        return
    _require_admin(f"修改设置“{SETTING_NAMES.get(key, key)}”", "setting", key)
    with db.atomic():
        # an upsert both engines take (peewee's replace() is SQLite's INSERT OR REPLACE)
        Setting.insert(key=key, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}).execute()
        audit.record("update", "setting", key, old, value)


def _require_admin(what: str, table: str, record_id: object) -> None:
    access.require_admin(what, table=table, record_id=record_id)


def township() -> Region | None:
    return Region.select().where(Region.level == "township").order_by(Region.id).first()


@friendly_writes(ServiceError)
def set_township(name: str | None = None, code: str | None = None) -> Region:
    """Name or code the ledger's township; villages made before it are moved under it."""
    if code is not None:
        code = _check_code(code, 9, "乡镇")
    town = township()
    name_changes = name is not None and bool(name.strip()) and (town is None or name.strip() != town.name)
    code_changes = code is not None and (town is None or code != town.code)
    if town is not None and not name_changes and not code_changes:
        return town
    _require_admin("修改乡镇名称和代码", "region", town.id if town else "")
    with db.atomic():
        town = township()
        if town is None:
            town = Region.create(name=(name or "").strip() or "未命名乡镇", code=code, level="township")
            audit.record("create", "region", town.id, None, {"name": town.name, "code": code})
            Region.update(parent=town).where(
                (Region.level == "village") & Region.parent.is_null()
            ).execute()
            return town
        old = {"name": town.name, "code": town.code}
        if name is not None and name.strip():
            town.name = name.strip()
        if code is not None:
            town.code = code
        town.save()
        audit.record("update", "region", town.id, old, {"name": town.name, "code": town.code})
        return town


@friendly_writes(ServiceError)
def village(name: str, code: str | None = None, *, create: bool = True) -> Region | None:
    """The village of that name in this township, made on first use."""
    name = name.strip()
    found = Region.get_or_none((Region.level == "village") & (Region.name == name))
    if found is not None or not create:
        return found
    if code is not None:
        code = _check_code(code, 12, "村")
    with db.atomic():
        created = Region.create(name=name, code=code, level="village", parent=township())
        audit.record("create", "region", created.id, None, {"name": name, "code": code})
    return created


def villages() -> list[Region]:
    return list(Region.select().where(Region.level == "village").order_by(Region.code, Region.name))


@dataclass
class LedgerSummary:
    township_name: str
    township_code: str
    villages: int
    households: int
    persons: int
    enrollment_years: list[int]
    schema_version: int


def enrollment_years() -> list[int]:
    """The years for which the ledger holds enrollments, oldest first."""
    return [row.year for row in Enrollment.select(Enrollment.year).distinct().order_by(Enrollment.year)]


def summary() -> LedgerSummary:
    town = township()
    years = enrollment_years()
    return LedgerSummary(
        township_name=town.name if town else "",
        township_code=(town.code or "") if town else "",
        villages=Region.select().where(Region.level == "village").count(),
        households=Household.select().count(),
        persons=Person.select().count(),
        enrollment_years=years,
        schema_version=current_version(db.connection()),
    )


def open_ledger(path: Path | str, *, program: str = "") -> None:
    """Open the ledger at ``path`` for this process (again, after :func:`close_ledger`)."""
    open_database(path, program=program)


def close_ledger() -> None:
    """Let go of the ledger: close it (its WAL checkpointed into the file) and release its lock,
    e.g. before a restore replaces the file."""
    close_database()


def close_thread_connection() -> None:
    """Close this thread's own connection to the ledger, if it has one; the ledger stays open
    for every other thread. A background job calls it when it ends (peewee gives each thread a
    connection of its own)."""
    if db.obj is not None and not db.obj.is_closed():
        db.obj.close()


def init_ledger(path: Path | str, township_name: str | None = None, township_code: str | None = None) -> bool:
    """Create an empty ledger at ``path`` (True) or, when one is there, only set the township (False)."""
    if is_server_url(path):  # a database on a server: made by its DBA, "created" = no schema yet
        mark = change_mark(path)
        existed = bool(mark and mark[1])
    else:
        existed = path.exists() and path.stat().st_size > 0
    open_database(path)
    if township_name is not None or township_code is not None:
        set_township(township_name, township_code)
    return not existed


@dataclass
class CheckReport:
    path: Path | str
    schema_version: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_file(path: Path | str) -> CheckReport:
    """``PRAGMA integrity_check``, ``foreign_key_check`` and the whole schema against what the
    migrations make for the file's version (:mod:`~desktop_app.store.schema_check`), the audit
    trail's chain and, on a sound file, persons missing an enrollment for a loaded year they
    belong to (:mod:`~desktop_app.services.policy_years`), without changing the file.

    Uses a plain sqlite3 connection so that a damaged file is examined, not migrated.
    """
    if is_server_url(path):
        return _check_server(path)
    report = CheckReport(path=path)
    refuse_special_file(path)  # a pipe would make the check wait forever
    if not path.exists():
        raise LedgerOpenError(f"台账文件“{path}”不存在")
    if not looks_like_sqlite(path):
        report.problems.append("这不是台账文件（不是SQLite数据库），或者文件头已损坏")
        return report
    sidecars_before = {p for p in _sidecars(path) if p.exists()}
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            report.problems.extend(f"完整性检查：{row[0]}" for row in rows)
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall():
            report.problems.append(f"{table} 第{rowid}行引用的 {parent} 记录不存在")
        report.schema_version = current_version(conn)
        if report.schema_version > LATEST_VERSION:
            report.problems.append(str(LedgerTooNewError(report.schema_version, LATEST_VERSION)))
        elif report.schema_version == 0:
            report.problems.append("文件里没有台账数据结构（不是本程序建立的台账）")
        else:  # every table, column, index, CHECK, trigger and view as the migrations make them
            report.problems.extend(f"台账文件被改动过：{d}" for d in schema_differences(conn))
        report.problems.extend(audit.chain_problems(conn))  # the 操作日志's hash chain, first break
        if report.ok:  # on a sound file only: a damaged one may lack what the query reads
            missing = missing_enrollments(conn)  # DOMAIN.md §10: persons and years
            if missing.count:
                report.problems.append(missing.message())
    except sqlite3.DatabaseError as exc:
        if write_problem(exc, path) is WriteProblem.DISK_FULL:
            conn.close()
            _remove_new_sidecars(path, sidecars_before)
            raise ServiceError(DISK_FULL_CHECK) from exc
        report.problems.append(f"数据库已损坏，无法读取：{exc}")
    finally:
        conn.close()
    return report


def _check_server(url: str) -> CheckReport:
    """``check`` of a ledger on a PostgreSQL server, over a connection of its own that refuses
    writes (never migrated): the whole schema against what the migrations make there
    (:mod:`~desktop_app.store.schema_check_pg`), the audit chain and the persons missing an
    enrollment, as for a file. The server keeps its own pages and foreign keys sound (there is
    no ``integrity_check`` to run); its health is the DBA's."""
    report = CheckReport(path=url)
    database = LedgerPostgresDatabase(url, read_only=True)
    try:
        try:
            database.connect()
        except peewee.OperationalError as exc:
            raise LedgerOpenError(refusal_words(exc, url)) from exc
        conn = database.connection()
        report.schema_version = current_version(conn)
        if report.schema_version > LATEST_VERSION:
            report.problems.append(str(LedgerTooNewError(report.schema_version, LATEST_VERSION)))
        elif report.schema_version == 0:
            report.problems.append("服务器上的这个数据库里没有台账数据结构（不是本程序建立的台账）")
        else:
            differences = schema_differences_pg(database, report.schema_version)
            report.problems.extend(f"服务器上的台账被改动过：{d}" for d in differences)
        report.problems.extend(audit.chain_problems(conn))
        if report.ok:
            missing = missing_enrollments(conn)
            if missing.count:
                report.problems.append(missing.message())
    except (peewee.DatabaseError, psycopg.Error) as exc:
        report.problems.append(f"服务器上的台账读不出来：{str(exc).splitlines()[0]}")
    finally:
        database.close()
    return report


DISK_FULL_CHECK = (
    "磁盘已满，检查没能进行：读台账也要在它旁边建立小的临时文件，磁盘上没有空间了。"
    "这不说明台账有损坏。请删除不需要的文件、清空回收站，腾出空间后再检查。"
)


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}-wal"), Path(f"{path}-shm")]


def _remove_new_sidecars(path: Path, before: set[Path]) -> None:
    """A check that could not run leaves nothing behind: the -wal/-shm it made (empty) go."""
    wal = Path(f"{path}-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return  # holds writes of someone else's: never touched
        for sidecar in _sidecars(path):
            if sidecar not in before and sidecar.exists():
                sidecar.unlink()
    except OSError:
        pass
