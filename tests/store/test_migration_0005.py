"""Migration 5: the 操作日志 gets its source and a hash chain built over the entries already there."""

import shutil
import sqlite3
from pathlib import Path

from peewee import SqliteDatabase

from desktop_app.services import audit
from desktop_app.services.ledger import check_file
from desktop_app.store.db import close_database, open_database
from desktop_app.store.migrations import LATEST_VERSION, current_version, migrate
from desktop_app.store.models import db
from tests.services.test_audit_chain import chain_holds, trail

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OLD_COLUMNS = 'id, at, operator, action, "table", record_id, old_value, new_value'


def _at_version_4(tmp_path: Path) -> Path:
    path = tmp_path / "v4.sqlite"
    shutil.copy(FIXTURES / "ledger_v1.sqlite", path)
    database = SqliteDatabase(str(path))
    database.connect()
    migrate(database, target=4)
    database.close()
    return path


def _old_entries(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT {OLD_COLUMNS} FROM audit_entry ORDER BY id").fetchall()
    finally:
        conn.close()


def test_the_released_ledgers_entries_are_chained_and_kept(tmp_path):
    path = _at_version_4(tmp_path)
    before = _old_entries(path)
    assert before  # the fixture holds entries written by version 1
    database = SqliteDatabase(str(path))
    database.connect()
    assert migrate(database, target=5) == [5]
    database.close()
    assert _old_entries(path) == before  # not one field of an old entry changed
    rows = trail(path)
    assert [row[3] for row in rows] == [""] * len(before)  # where they came from was not recorded
    assert chain_holds(rows)
    assert check_file(path).ok


def test_a_long_trail_is_chained_across_chunks_and_continued_after(tmp_path):
    path = _at_version_4(tmp_path)
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO audit_entry (at, operator, action, \"table\", record_id, old_value, new_value)"
        " VALUES ('2025-03-01 08:00:00', '王会计', 'update', 'person', ?, '', ?)",
        [(str(n), f'{{"phone": "1380000{n:04d}"}}') for n in range(12_001)],  # more than two chunks
    )
    conn.execute("DELETE FROM audit_entry WHERE id = 7")  # a gap in the ids, as a rolled-back write leaves
    conn.commit()
    conn.close()
    open_database(path)
    try:
        assert current_version(db.connection()) == LATEST_VERSION  # 5 and every later step
        audit.record("update", "setting", "default_year", "", "2025")  # the first entry of version 5
        assert audit.verify_chain(db.connection()) is None
    finally:
        close_database()
    rows = trail(path)
    renumbered = [row for row in rows if row[4] == "renumber"]  # migration 6's entries, chained too
    assert len(rows) - len(renumbered) == 12_001 + len(_old_entries(FIXTURES / "ledger_v1.sqlite"))
    assert chain_holds(rows)
    assert rows[-1][3] == "gui" and rows[-1][0] == rows[-2][0] + 1


def test_an_unmigrated_ledger_is_checked_without_a_chain(tmp_path):
    path = _at_version_4(tmp_path)
    conn = sqlite3.connect(path)
    assert audit.verify_chain(conn) is None  # version 4 has no chain to break; check says nothing
    conn.close()
    assert check_file(path).ok
