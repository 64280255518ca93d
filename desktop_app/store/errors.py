"""Write failures in words staff understand: disk full, read-only file, ledger busy, I/O error.

SQLite reports a failed write as ``sqlite3.OperationalError("database or disk is full")`` or
``("attempt to write a readonly database")`` (peewee re-raises it as its own
``OperationalError``). Those texts mean nothing to a village doctor. :func:`friendly_write_error`
turns one into a Chinese sentence that also says what matters most: the operation was not saved
and what was already stored is untouched (SQLite rolled the transaction back).

Services wrap their writes with :func:`translated_write_errors` (a context manager) or
:func:`friendly_writes` (the same as a decorator), naming the exception type their callers
already show, e.g. ``ServiceError``. An error that is not a write failure passes through as it was.

A full disk does not always say so: when SQLite cannot grow its ``-shm`` or ``-wal`` file it
reports a plain I/O error (or "unable to open"), which would send staff looking for a pulled USB
stick. Given the file's place (``where``), :func:`write_problem` looks at the free space there
and calls such an error what it is.
"""

from __future__ import annotations

import errno
import functools
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TypeVar

import peewee

from desktop_app.errors import UserError
from desktop_app.store.models import db

F = TypeVar("F", bound=Callable[..., object])


class WriteProblem(str, Enum):
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    BUSY = "busy"
    IO_ERROR = "io_error"
    CANT_OPEN = "cant_open"


MESSAGES: dict[WriteProblem, str] = {
    WriteProblem.DISK_FULL: (
        "磁盘已满，这次操作没有保存（已保存的数据没有受影响）。"
        "请删除不需要的文件、清空回收站，腾出空间后再试。"
    ),
    WriteProblem.READ_ONLY: (
        "台账文件是只读的，不能修改，这次操作没有保存（已保存的数据没有受影响）。"
        "可能是文件被设成了只读、放在写保护的U盘上，或者本程序正以只读方式打开它"
        "（另一处正在使用这个台账）。请取消文件的只读属性，或把台账复制到电脑硬盘上再试。"
    ),
    WriteProblem.BUSY: (
        "台账正被另一个程序写入，等待后仍未完成，这次操作没有保存（已保存的数据没有受影响）。"
        "请稍后再试。"
    ),
    WriteProblem.IO_ERROR: (
        "读写磁盘出错（可能是U盘被拔出，或磁盘有故障），这次操作没有保存。"
        "请检查存储设备后再试，并用“检查台账”确认文件完好。"
    ),
    WriteProblem.CANT_OPEN: (
        "无法打开或建立文件：文件夹不存在、没有权限，或者磁盘已拔出。这次操作没有保存。"
    ),
}

# SQLite primary result codes (the low byte of an extended code)
_SQLITE_CODES = {
    13: WriteProblem.DISK_FULL,  # SQLITE_FULL
    8: WriteProblem.READ_ONLY,  # SQLITE_READONLY (and its extended codes)
    5: WriteProblem.BUSY,  # SQLITE_BUSY
    6: WriteProblem.BUSY,  # SQLITE_LOCKED
    10: WriteProblem.IO_ERROR,  # SQLITE_IOERR
    14: WriteProblem.CANT_OPEN,  # SQLITE_CANTOPEN
}
# Python < 3.11 has no sqlite_errorcode: fall back to SQLite's fixed English texts
_SQLITE_TEXTS = (
    ("database or disk is full", WriteProblem.DISK_FULL),
    ("readonly database", WriteProblem.READ_ONLY),
    ("database is locked", WriteProblem.BUSY),
    ("database table is locked", WriteProblem.BUSY),
    ("disk i/o error", WriteProblem.IO_ERROR),
    ("unable to open database file", WriteProblem.CANT_OPEN),
)
_OS_ERRNOS = {
    errno.ENOSPC: WriteProblem.DISK_FULL,
    getattr(errno, "EDQUOT", errno.ENOSPC): WriteProblem.DISK_FULL,
    getattr(errno, "EFBIG", errno.ENOSPC): WriteProblem.DISK_FULL,
    errno.EROFS: WriteProblem.READ_ONLY,
    errno.EIO: WriteProblem.IO_ERROR,
}


#: below this much free space a disk is full for a ledger (SQLite's -shm alone takes 32 KB)
FULL_BELOW_BYTES = 1 << 20


def disk_is_full(where: Path | str) -> bool:
    """Whether the disk holding ``where`` (a file or folder, existing or not) has no room left."""
    folder = Path(where)
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(os.fspath(folder)).free < FULL_BELOW_BYTES
    except OSError:  # the disk is gone (a pulled stick): not a full one
        return False


class LedgerWriteError(UserError, RuntimeError):
    """The ledger could not be written; the Chinese message says why, and that nothing was lost."""

    def __init__(self, message: str, problem: WriteProblem | None = None) -> None:
        super().__init__(message)
        self.problem = problem


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what peewee wrapped in it (``orig``), and its chained causes and contexts.

    The context matters: when SQLite rolls a transaction back by itself (disk full), peewee's
    own ROLLBACK then fails with "cannot rollback - no transaction is active", and the real
    cause is only in that error's context.
    """
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if current.args and isinstance(current.args[0], BaseException):
            todo.append(current.args[0])
        for chained in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(chained, BaseException):
                todo.append(chained)


def write_problem(exc: BaseException, where: Path | str | None = None) -> WriteProblem | None:
    """Which kind of write failure ``exc`` is, or None when it is something else.

    With ``where`` (the file being written), an I/O or open failure on a full disk is DISK_FULL.
    """
    problem = _problem(exc)
    if problem in (WriteProblem.IO_ERROR, WriteProblem.CANT_OPEN) and where is not None:
        if disk_is_full(where):
            return WriteProblem.DISK_FULL
    return problem


def _problem(exc: BaseException) -> WriteProblem | None:
    for cause in _causes(exc):
        if isinstance(cause, (sqlite3.OperationalError, peewee.OperationalError)):
            code = getattr(cause, "sqlite_errorcode", None)
            if isinstance(code, int) and (code & 0xFF) in _SQLITE_CODES:
                return _SQLITE_CODES[code & 0xFF]
            text = str(cause).lower()
            for needle, problem in _SQLITE_TEXTS:
                if needle in text:
                    return problem
        elif isinstance(cause, OSError) and cause.errno in _OS_ERRNOS:
            return _OS_ERRNOS[cause.errno]
    return None


def friendly_write_error(exc: BaseException, where: Path | str | None = None) -> str:
    """A Chinese sentence for a failed write; SQLite's own text when the kind is not known."""
    problem = write_problem(exc, where)
    if problem is not None:
        return MESSAGES[problem]
    return f"台账写入失败，这次操作没有保存（已保存的数据没有受影响）：{exc}"


@contextmanager
def translated_write_errors(
    error_type: Callable[[str], BaseException] = LedgerWriteError,
) -> Iterator[None]:
    """Re-raise a disk-full / read-only / busy / I/O failure as ``error_type(friendly message)``.

    Anything else (a constraint, a bug, the caller's own ``ServiceError``) passes through unchanged.
    """
    try:
        yield
    except (sqlite3.OperationalError, peewee.OperationalError, OSError) as exc:
        problem = write_problem(exc, _bound_ledger())
        if problem is None:
            raise
        if error_type is LedgerWriteError:
            raise LedgerWriteError(MESSAGES[problem], problem) from exc
        raise error_type(MESSAGES[problem]) from exc


def _bound_ledger() -> str | None:
    """The file of the ledger the models are bound to (None for none, or a read-only URI)."""
    name = getattr(db.obj, "database", None)
    return name if isinstance(name, str) and name and not name.startswith("file:") else None


def friendly_writes(
    error_type: Callable[[str], BaseException] = LedgerWriteError,
) -> Callable[[F], F]:
    """Decorator form of :func:`translated_write_errors`: ``@friendly_writes(ServiceError)``."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: object, **kwargs: object) -> object:
            with translated_write_errors(error_type):
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


class LedgerOpenError(UserError, RuntimeError):
    """The ledger named (a file, or a database on a server) is not one this program can open;
    the message says why in Chinese."""


@contextmanager
def closed_unless_opened(database: peewee.Database, errors: tuple[type[BaseException], ...],
                         message: Callable[[BaseException], str],
                         undo: Callable[[], None] = lambda: None) -> Iterator[None]:
    """The checks and migrations of a ledger just connected: on any failure ``database`` is closed
    and ``undo`` run (a lock released, a file made here removed), and one of ``errors`` becomes
    ``LedgerOpenError(message(exc))``; other failures pass as they are."""
    try:
        yield
    except errors as exc:
        database.close()
        undo()
        raise LedgerOpenError(message(exc)) from exc
    except BaseException:
        database.close()
        undo()
        raise