"""Migration 6: households numbered by their head's ID get a number of their own; the ID is kept
as a lookup key (household.head_id_number), never again printed as 户编号."""

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from desktop_app.domain.idnumber import is_valid_id_number, make_id_number
from desktop_app.services import audit
from desktop_app.store.migrations import MIGRATIONS, current_version, migrate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOW = "2025-01-02 09:30:00"
BEFORE = max(step.version for step in MIGRATIONS if step.version < 6)

HEAD_A = make_id_number("431199", dt.date(1975, 5, 5), 1)  # the household's number is its head's ID
HEAD_B_15 = "431199750606002"  # a legacy 15-digit number; the head holds its 18-digit form
HEAD_B = make_id_number("431199", dt.date(1975, 6, 6), 2)
HEAD_E = make_id_number("431199", dt.date(1980, 1, 1), 3)  # in a village without a code
CHILD = make_id_number("431199", dt.date(2001, 2, 3), 11)
COUNTY_NUMBER = "431199101201000001"  # 18 digits but no ID (its "birth date" 1012-01-00): kept


def _ledger_before(tmp_path: Path) -> SqliteDatabase:
    path = tmp_path / "l.sqlite"
    shutil.copy(FIXTURES / "ledger_v1.sqlite", path)
    database = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    database.connect()
    migrate(database, target=BEFORE)
    conn = database.connection()
    conn.execute("INSERT INTO region (id, code, name, level, parent_id) VALUES (4, NULL, '新村', 'village', 2)")
    households = [
        (2, HEAD_A, 3, "王五"), (3, HEAD_B_15, 3, "赵六"), (4, "4311991012010003", 3, "钱七"),
        (5, HEAD_E, 4, "孙八"), (6, COUNTY_NUMBER, 3, "周九"),
    ]
    conn.executemany(
        "INSERT INTO household (id, number, village_id, head_name, address, created_at) VALUES (?, ?, ?, ?, '', ?)",
        [(*h, NOW) for h in households],
    )
    people = [
        (10, HEAD_A, "王五", 2), (11, CHILD, "王小五", 2),
        (12, HEAD_B, "赵六", 3), (13, HEAD_E, "孙八", 5),
    ]
    conn.executemany(
        "INSERT INTO person (id, id_number, name, sex, birth_date, relation, phone, household_id, note,"
        " created_at, updated_at, name_initials) VALUES (?, ?, ?, 'M', '1975-05-05', '户主', '', ?, '', ?, ?, '')",
        [(pid, number, name, hh, NOW, NOW) for pid, number, name, hh in people],
    )
    conn.commit()
    return database


def _households(conn: sqlite3.Connection) -> dict[int, tuple]:
    return {hid: (number, head) for hid, number, head in conn.execute(
        "SELECT id, number, head_id_number FROM household")}


def test_step_6_moves_every_id_out_of_the_household_numbers(tmp_path):
    database = _ledger_before(tmp_path)
    conn = database.connection()
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("household", "person")}
    audit_before = conn.execute("SELECT COUNT(*) FROM audit_entry").fetchone()[0]
    assert migrate(database, target=6) == [6]
    assert current_version(conn) == 6
    after = _households(conn)
    assert after[1] == ("4311991012010001", None)  # the fixture's own number: untouched
    assert after[4] == ("4311991012010003", None)
    assert after[6] == (COUNTY_NUMBER, None)  # 18 digits, but no birth date in it: not an ID
    # numbered on from the village's highest: 0001 and 0003 are taken
    assert after[2] == ("4311991012010004", HEAD_A)
    assert after[3] == ("4311991012010005", HEAD_B)  # the 15-digit number, stored as its 18-digit ID
    assert after[5] == ("V0040001", HEAD_E)  # no village code: V + the village's id
    assert not any(is_valid_id_number(number) for number, _head in after.values())
    assert {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in counts} == counts
    trail = conn.execute(
        "SELECT record_id, old_value, new_value FROM audit_entry WHERE action = 'renumber' ORDER BY record_id"
    ).fetchall()
    assert conn.execute("SELECT COUNT(*) FROM audit_entry").fetchone()[0] == audit_before + 3
    assert [(r, json.loads(o)["number"], json.loads(n)["number"]) for r, o, n in trail] == [
        ("2", HEAD_A, "4311991012010004"), ("3", HEAD_B_15, "4311991012010005"), ("5", HEAD_E, "V0040001"),
    ]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert audit.verify_chain(conn) is None  # the renumbering entries are chained like any other
    database.close()


def test_head_id_number_is_unique_and_indexed(tmp_path):
    database = _ledger_before(tmp_path)
    migrate(database)
    conn = database.connection()
    plan = " ".join(str(r) for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM household WHERE head_id_number = ?", (HEAD_A,)))
    assert "household_head_id_number" in plan
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE household SET head_id_number = ? WHERE id = 4", (HEAD_A,))
    # most households have no head key: NULLs do not collide
    conn.execute("UPDATE household SET head_id_number = NULL WHERE id IN (2, 3)")
    database.close()
