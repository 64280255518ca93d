"""Migration 4: enrollment rebuilt with its IN-list checks as OR chains (same meaning, faster inserts)."""

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from desktop_app.store.db import LedgerOpenError, close_database, open_database
from desktop_app.store.migrations import current_version, migrate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOW = "2025-01-02 09:30:00"

# What schema version 1 allowed (m0001_initial); step 4 must allow exactly these, no more.
STATUSES = ("unpaid", "paid", "exempt", "employee", "elsewhere", "deceased", "moved", "military", "other")
MODES = ("exempt", "difference", "ordinary")
INSERT = (
    "INSERT INTO enrollment (person_id, year, village_id, status, due_fen, collection_mode, updated_at)"
    " VALUES (?, ?, 3, ?, ?, ?, ?)"
)


def _ledger_at(tmp_path: Path, version: int, name: str = "l.sqlite") -> SqliteDatabase:
    """The v1 fixture ledger (3 persons, 3 enrollments) upgraded to ``version``, open, foreign keys ON."""
    path = tmp_path / name
    shutil.copy(FIXTURES / "ledger_v1.sqlite", path)
    database = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    database.connect()
    migrate(database, target=version)
    assert current_version(database.connection()) == version
    return database


def _add_persons(conn: sqlite3.Connection, ids: range) -> None:
    conn.execute(
        "INSERT INTO region (id, code, name, level, parent_id) VALUES (4, '431199101202', '西山村', 'village', 2)"
    )
    conn.execute(
        "INSERT INTO household (id, number, village_id, head_name, address, created_at)"
        " VALUES (2, '4311991012020001', 4, '王五', '西山村1组', ?)", (NOW,)
    )
    conn.executemany(
        "INSERT INTO person (id, id_number, name, sex, birth_date, household_id, created_at, updated_at,"
        " name_initials) VALUES (?, ?, ?, ?, '1980-01-01', 2, ?, ?, 'ww')",
        [(pid, f"4311991980010{pid:05d}", f"王{pid}", "MF"[pid % 2], NOW, NOW) for pid in ids],
    )


def _fill(conn: sqlite3.Connection) -> None:
    """Enrollments with every status and mode, NULLs and not, gaps in the ids, odd amounts."""
    persons = range(10, 70)
    _add_persons(conn, persons)
    rows = []
    for k, pid in enumerate(persons):
        for year in (2024, 2025, 2026):
            i = k * 3 + (year - 2024)
            rows.append((
                1000 + i * 7,  # ids with gaps: they must survive as they are
                pid, year, 3 + i % 2, STATUSES[i % len(STATUSES)],
                "" if i % 4 else f"原因{i}：外出务工",
                None if i % 3 else "dibao",
                40000, i * 10, 40000 - i * 10, -i if i % 5 == 0 else i * 100,  # paid_fen may be negative
                MODES[i % len(MODES)],
                None if i % 2 else "2024-10-01",
                None if i % 3 else f"2024-11-{1 + i % 28:02d}",
                f"2025-01-02 09:{i % 60:02d}:00",
            ))
    conn.executemany(f"INSERT INTO enrollment VALUES ({', '.join('?' * 15)})", rows)


def _enrollment_rows(conn: sqlite3.Connection) -> tuple[list[str], list[tuple]]:
    cursor = conn.execute("SELECT * FROM enrollment ORDER BY id")
    rows = cursor.fetchall()
    names = [d[0] for d in cursor.description]
    kinds = conn.execute(
        f"SELECT {', '.join(f'typeof({n})' for n in names)} FROM enrollment ORDER BY id"
    ).fetchall()
    return names, list(zip(rows, kinds))


def _enrollment_shape(conn: sqlite3.Connection) -> dict[str, object]:
    indexes = conn.execute("PRAGMA index_list(enrollment)").fetchall()
    return {
        "columns": conn.execute("PRAGMA table_info(enrollment)").fetchall(),  # type, NOT NULL, default, pk
        "foreign_keys": conn.execute("PRAGMA foreign_key_list(enrollment)").fetchall(),
        "index_sql": conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'enrollment' AND type != 'table'"
            " ORDER BY name"
        ).fetchall(),
        "index_list": indexes,  # in the order made, which the planner sees
        "index_columns": {ix[1]: conn.execute(f'PRAGMA index_xinfo("{ix[1]}")').fetchall() for ix in indexes},
    }


def _enrollment_sql(conn: sqlite3.Connection) -> str:
    return conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'enrollment'").fetchone()[0]


def test_step_4_keeps_every_enrollment_row_as_it_was(tmp_path):
    database = _ledger_at(tmp_path, 3)
    conn = database.connection()
    _fill(conn)
    before = _enrollment_rows(conn)
    assert len(before[1]) == 3 + 60 * 3
    assert migrate(database, target=4) == [4]
    assert _enrollment_rows(conn) == before
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # a new row takes the next id after the highest, as it would have before
    conn.execute(INSERT, (10, 2027, "unpaid", 0, "ordinary", NOW))
    assert conn.execute("SELECT MAX(id) FROM enrollment").fetchone()[0] == before[1][-1][0][0] + 1
    database.close()


def test_step_4_keeps_columns_foreign_keys_and_indexes(tmp_path):
    database = _ledger_at(tmp_path, 3)
    conn = database.connection()
    before = _enrollment_shape(conn)
    assert {name for _t, name, _sql in before["index_sql"]} == {
        "enrollment_person_id_year", "enrollment_year_village_id_status", "enrollment_year_status"
    }
    migrate(database, target=4)
    assert _enrollment_shape(conn) == before
    assert conn.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE name = 'enrollment_new' OR tbl_name = 'enrollment_new'"
    ).fetchone()[0] == 0
    database.close()


def test_enrollment_checks_hold_after_step_4(tmp_path):
    database = _ledger_at(tmp_path, 4)
    conn = database.connection()
    _add_persons(conn, range(10, 40))
    for status, person in zip(STATUSES, range(10, 40)):
        conn.execute(INSERT, (person, 2025, status, 0, "ordinary", NOW))
    for mode, person in zip(MODES, range(20, 40)):
        conn.execute(INSERT, (person, 2026, "unpaid", 40000, mode, NOW))
    assert conn.execute("SELECT COUNT(*) FROM enrollment").fetchone()[0] == 3 + len(STATUSES) + len(MODES)
    refused = [
        (30, 2025, "maybe", 0, "ordinary"),
        (30, 2025, "PAID", 0, "ordinary"),  # case matters, as it did
        (30, 2025, "paid", 0, "other"),
        (30, 2025, "paid", -1, "ordinary"),
    ]
    for values in refused:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute(INSERT, (*values, NOW))
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
        conn.execute(INSERT, (30, 2025, None, 0, "ordinary", NOW))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("UPDATE enrollment SET status = 'maybe' WHERE person_id = 10")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute(INSERT, (999, 2025, "paid", 0, "ordinary", NOW))
    # the defaults still apply
    conn.execute("INSERT INTO enrollment (person_id, year, village_id, updated_at) VALUES (31, 2030, 3, ?)", (NOW,))
    assert conn.execute(
        "SELECT status, status_reason, due_fen, collection_mode FROM enrollment WHERE person_id = 31 AND year = 2030"
    ).fetchone() == ("unpaid", "", 0, "ordinary")
    database.close()


@pytest.mark.parametrize("column", ["status", "collection_mode"])
def test_or_chain_accepts_exactly_what_the_in_list_accepted(tmp_path, column):
    candidates = [
        *STATUSES, *MODES, "", " paid", "paid ", "Paid", "ORDINARY", "maybe", "unpaid,paid",
        1, 0, 1.5, b"paid", b"ordinary", None,
    ]
    outcomes = {}
    for version in (3, 4):
        database = _ledger_at(tmp_path, version, f"v{version}.sqlite")
        conn = database.connection()
        _add_persons(conn, range(100, 100 + len(candidates)))
        results = []
        for person, value in enumerate(candidates, start=100):
            status, mode = ("paid", value) if column == "collection_mode" else (value, "ordinary")
            try:
                conn.execute(INSERT, (person, 2025, status, 0, mode, NOW))
                results.append("accepted")
            except sqlite3.IntegrityError as exc:
                results.append(str(exc).split(":")[0])
        outcomes[version] = results
        database.close()
    assert outcomes[4] == outcomes[3]
    allowed = set(STATUSES if column == "status" else MODES)
    assert {value for value, outcome in zip(candidates, outcomes[4]) if outcome == "accepted"} == allowed


def test_nobody_brings_back_an_in_list_on_enrollment(tmp_path):
    """An IN list in a CHECK builds an ephemeral index on every INSERT: 2.5x slower bulk imports."""
    open_database(tmp_path / "new.sqlite")
    close_database()
    upgraded = _ledger_at(tmp_path, 4, "old.sqlite")
    for conn in (sqlite3.connect(tmp_path / "new.sqlite"), upgraded.connection()):
        sql = _enrollment_sql(conn)
        assert " IN (" not in sql.upper()
        assert not re.search(r"\bIN\s*\(", sql, re.IGNORECASE)
        plan = conn.execute(
            "EXPLAIN INSERT INTO enrollment (person_id, year, village_id, status, collection_mode, updated_at)"
            " VALUES (1, 2025, 3, 'paid', 'ordinary', '2025-01-01')"
        ).fetchall()
        assert "OpenEphemeral" not in {op[1] for op in plan}
        conn.close()


def test_orphaned_enrollment_stops_step_4_and_changes_nothing(tmp_path):
    database = _ledger_at(tmp_path, 3)
    conn = database.connection()
    conn.execute("PRAGMA foreign_keys = OFF")  # as some other tool might have written it
    conn.execute(INSERT, (999, 2025, "paid", 0, "ordinary", NOW))
    conn.execute("PRAGMA foreign_keys = ON")
    rows, sql = _enrollment_rows(conn), _enrollment_sql(conn)
    with pytest.raises(sqlite3.IntegrityError, match="不存在"):
        migrate(database)
    assert current_version(conn) == 3
    assert _enrollment_rows(conn) == rows and _enrollment_sql(conn) == sql
    path = Path(database.database)
    database.close()
    with pytest.raises(LedgerOpenError, match="不存在的人员或村"):
        open_database(path)
    check = sqlite3.connect(path)
    assert current_version(check) == 3
    check.close()
