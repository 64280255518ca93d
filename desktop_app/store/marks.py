"""A ledger's change mark: what differs whenever anything was committed to it.

Every change the program makes writes its 操作日志 entry in the same transaction, so the newest
audit entry's id moves with every commit and stays put when a transaction is rolled back; a
schema upgrade moves the schema version, and a restore puts another file in place. The command
line compares the marks before and after an interrupted command to say truthfully whether the
ledger was changed. (SQLite's ``PRAGMA data_version`` cannot tell: a mere checkpoint moves it.)
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import psycopg

from desktop_app.store.migrations import current_version
from desktop_app.store.postgres import is_server_url

Mark = tuple[object, ...]


def change_mark(path: Path | str) -> Mark | None:
    """The mark of the ledger at ``path`` now; None when there is no file (or no server there).
    For a ``postgresql://`` URL: the URL, the schema version and the newest audit entry's id."""
    if is_server_url(path):
        return _server_mark(str(path))
    try:
        info = os.stat(path)
    except OSError:
        return None
    identity = (info.st_dev, info.st_ino)
    uri = Path(os.path.abspath(path)).as_uri()
    # read-write when allowed, though it only reads: as the last connection to close it removes
    # the -wal and -shm files, which a read-only one would leave behind
    for mode in ("rw", "ro"):
        try:
            conn = sqlite3.connect(f"{uri}?mode={mode}", uri=True, timeout=2)
        except sqlite3.Error:
            continue
        try:
            version = current_version(conn)
            newest = conn.execute("SELECT MAX(id) FROM audit_entry").fetchone()[0]
            return (*identity, version, newest)
        except sqlite3.Error:
            return (*identity, None, None)  # not a ledger (yet): its identity alone
        finally:
            conn.close()
    return (*identity, None, None)


def _server_mark(url: str) -> Mark | None:
    try:
        with psycopg.connect(url, connect_timeout=10, autocommit=True) as conn:
            version = current_version(conn)
            newest = conn.execute("SELECT MAX(id) FROM audit_entry").fetchone()[0] if version else None
            return (url, version, newest)
    except psycopg.Error:
        return None
