"""Taking over a ledger's lock that another computer left: done only on request, always audited.

On a network share without working locks, a program that crashed on another computer leaves the
lock file naming it, and this computer cannot tell whether that program still runs. The person
sees the holder (user, computer, since when) and may take the lock over — the GUI after a
confirmation, the command line with ``--take-over-lock``. :func:`open_taking_over` opens the
ledger that way and writes to the audit trail whose lock was taken, by whom and when; the entry
is written once the ledger is open, before any other work in it.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from peewee import SqliteDatabase

from desktop_app.errors import ServiceError
from desktop_app.services import audit
from desktop_app.store import lock
from desktop_app.store.db import open_database
from desktop_app.store.errors import translated_write_errors
from desktop_app.store.lock import LockHolder
from desktop_app.store.models import db

AUDIT_ACTION = "take-over-lock"
AUDIT_TABLE = "ledger_lock"


def open_taking_over(
    path: Path, *, create: bool = True, program: str = ""
) -> tuple[SqliteDatabase, LockHolder | None]:
    """Open ``path`` for writing, replacing a lock left by another computer; the database and the
    previous holder (None when there was nothing to take over)."""
    database = open_database(path, create=create, program=program, take_over_lock=True)
    return database, record_take_over(path)


def record_take_over(ledger: Path) -> LockHolder | None:
    """Audit the take-over of ``ledger``'s lock, once; the previous holder, or None if none."""
    held = lock.held_lock(ledger)
    if held is None or held.taken_over is None or held.audited:
        return None
    previous = held.taken_over
    with translated_write_errors(ServiceError), db.atomic():
        audit.record(
            AUDIT_ACTION, AUDIT_TABLE, Path(ledger).name, asdict(previous), asdict(held.holder)
        )
    held.audited = True
    return previous
