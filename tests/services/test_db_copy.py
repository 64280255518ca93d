"""``db copy``: a township file into a county database on PostgreSQL and back out as a file.

Real SQLite files in tmp_path, a real PostgreSQL database (the fixture's throwaway cluster);
the tests that need the server skip without one (fail with LEDGER_REQUIRE_POSTGRES=1).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from desktop_app.services import audit, ledger
from desktop_app.services.db_copy import CopyRefused, copy_township
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store.db import close_database, open_database
from tests.conftest import DEMO_TODAY

TOWN_A = ("甲镇", "431199101")
TOWN_B = ("乙镇", "431199102")


def township_file(path: Path, town: tuple[str, str], *, seed: int, persons: int = 200) -> Path:
    open_database(path)
    ledger.set_township(*town)
    generate_demo(DemoOptions(persons=persons, seed=seed, today=DEMO_TODAY))
    close_database()
    return path


def table_counts(target: Path | str) -> dict[str, int]:
    tables = ("region", "household", "person", "category_membership", "enrollment", "payment", "policy_year",
              "category_rule", "operator", "audit_entry")
    if isinstance(target, Path):
        with sqlite3.connect(target) as conn:
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    with psycopg.connect(target) as conn:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def charges(path: Path) -> tuple:
    with sqlite3.connect(path) as conn:
        return (conn.execute("SELECT year, COUNT(*), SUM(due_fen), SUM(paid_fen), SUM(subsidy_fen) FROM enrollment"
                             " GROUP BY year ORDER BY year").fetchall(),
                conn.execute("SELECT COUNT(*), SUM(amount_fen) FROM payment").fetchone(),
                sorted(conn.execute("SELECT p.id_number, p.name, h.number, e.status, e.due_fen FROM person p"
                                    " JOIN household h ON h.id = p.household_id"
                                    " JOIN enrollment e ON e.person_id = p.id").fetchall()))


def test_file_to_new_file_keeps_counts_and_charges(tmp_path):
    source = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7)
    result = copy_township(source, tmp_path / "copy.sqlite")
    assert result.figures.persons == table_counts(source)["person"]
    assert charges(tmp_path / "copy.sqlite") == charges(source)


def test_out_refuses_an_existing_file(tmp_path):
    source = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7)
    there = tmp_path / "there.sqlite"
    there.write_bytes(b"mine")
    with pytest.raises(CopyRefused, match="已经存在"):
        copy_township(source, there)
    assert there.read_bytes() == b"mine"


def test_township_without_code_is_refused(tmp_path):
    path = tmp_path / "a.sqlite"
    open_database(path)
    ledger.set_township("无码镇")
    generate_demo(DemoOptions(persons=20, seed=3, today=DEMO_TODAY))
    close_database()
    with pytest.raises(CopyRefused, match="代码"):
        copy_township(path, tmp_path / "b.sqlite")
    assert not (tmp_path / "b.sqlite").exists()


def test_broken_audit_chain_is_refused(tmp_path):
    source = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7, persons=20)
    with sqlite3.connect(source) as conn:
        conn.execute("UPDATE audit_entry SET new_value = 'forged' WHERE id = (SELECT MIN(id) FROM audit_entry)")
    with pytest.raises(CopyRefused, match="操作日志"):
        copy_township(source, tmp_path / "b.sqlite")


def test_into_county_and_back_out(tmp_path, postgres_url):
    source = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7)
    into = copy_township(source, postgres_url)
    assert not into.already_there
    county = table_counts(postgres_url)
    assert county["person"] == table_counts(source)["person"]
    out = copy_township(postgres_url, tmp_path / "back.sqlite", TOWN_A[1])
    assert out.figures == into.figures
    assert charges(tmp_path / "back.sqlite") == charges(source)
    with sqlite3.connect(tmp_path / "back.sqlite") as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    open_database(tmp_path / "back.sqlite")  # a ledger the program opens as its own
    assert ledger.township().code == TOWN_A[1]
    close_database()


def test_rerun_is_idempotent(tmp_path, postgres_url):
    source = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7)
    copy_township(source, postgres_url)
    before = table_counts(postgres_url)
    again = copy_township(source, postgres_url)
    assert again.already_there
    assert table_counts(postgres_url) == before  # not even an audit entry


def test_changed_township_is_refused_not_overwritten(tmp_path, postgres_url):
    source = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7)
    copy_township(source, postgres_url)
    before = table_counts(postgres_url)
    with sqlite3.connect(source) as conn:
        conn.execute("UPDATE person SET phone = '13900000000' WHERE id = 1")
    with pytest.raises(CopyRefused, match="内容和要迁入的不一样"):
        copy_township(source, postgres_url)
    assert table_counts(postgres_url) == before


def test_two_townships_side_by_side(tmp_path, postgres_url):
    a = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7)
    b = township_file(tmp_path / "b.sqlite", TOWN_B, seed=8, persons=150)
    copy_township(a, postgres_url)
    copy_township(b, postgres_url)
    with psycopg.connect(postgres_url) as conn:
        towns = conn.execute("SELECT code FROM region WHERE level = 'township' ORDER BY code").fetchall()
    assert [t[0] for t in towns] == [TOWN_A[1], TOWN_B[1]]
    assert table_counts(postgres_url)["person"] == table_counts(a)["person"] + table_counts(b)["person"]
    with pytest.raises(CopyRefused, match="--township"):
        copy_township(postgres_url, tmp_path / "either.sqlite")
    copy_township(postgres_url, tmp_path / "b-back.sqlite", TOWN_B[1])
    assert charges(tmp_path / "b-back.sqlite") == charges(b)


def test_collision_is_refused_with_nothing_written(tmp_path, postgres_url):
    # more persons than one IN list takes: on PostgreSQL the keys go through a temporary table
    a = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7, persons=1000)
    same_people = township_file(tmp_path / "c.sqlite", TOWN_B, seed=7, persons=1000)  # same ID numbers
    copy_township(a, postgres_url)
    before = table_counts(postgres_url)
    with pytest.raises(CopyRefused, match="身份证号") as refused:
        copy_township(same_people, postgres_url)
    with sqlite3.connect(a) as conn:
        first = conn.execute("SELECT MIN(id_number) FROM person").fetchone()[0]
    assert first in str(refused.value)
    assert table_counts(postgres_url) == before


def test_a_different_policy_for_the_same_year_is_refused(tmp_path, postgres_url):
    a = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7)
    b = township_file(tmp_path / "b.sqlite", TOWN_B, seed=8, persons=50)
    copy_township(a, postgres_url)
    with sqlite3.connect(b) as conn:
        conn.execute("UPDATE policy_year SET standard_fen = standard_fen + 100")
    before = table_counts(postgres_url)
    with pytest.raises(CopyRefused, match="政策"):
        copy_township(b, postgres_url)
    assert table_counts(postgres_url) == before


def test_out_leaves_only_the_new_file(tmp_path, postgres_url):
    source = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7, persons=50)
    copy_township(source, postgres_url)
    out = tmp_path / "out"
    out.mkdir()
    copy_township(postgres_url, out / "back.sqlite", TOWN_A[1])
    assert sorted(p.name for p in out.iterdir()) == ["back.sqlite"]


def test_an_enrollment_counted_in_another_township_is_refused(tmp_path, postgres_url):
    copy_township(township_file(tmp_path / "a.sqlite", TOWN_A, seed=7, persons=50), postgres_url)
    copy_township(township_file(tmp_path / "b.sqlite", TOWN_B, seed=8, persons=50), postgres_url)
    with psycopg.connect(postgres_url) as conn:  # a person of 甲镇 whose year was counted in 乙镇
        conn.execute("""UPDATE enrollment SET village_id = (SELECT MIN(v.id) FROM region v JOIN region t
                        ON t.id = v.parent_id WHERE t.code = %s)
                        WHERE id = (SELECT MIN(e.id) FROM enrollment e JOIN person p ON p.id = e.person_id
                        JOIN household h ON h.id = p.household_id JOIN region v ON v.id = h.village_id
                        JOIN region t ON t.id = v.parent_id WHERE t.code = %s)""", (TOWN_B[1], TOWN_A[1]))
    with pytest.raises(CopyRefused, match="别的乡镇的村"):
        copy_township(postgres_url, tmp_path / "a-back.sqlite", TOWN_A[1])
    assert not [p.name for p in tmp_path.iterdir() if "a-back" in p.name]  # nor a partial file or its lock


def test_the_copy_writes_one_audit_entry_and_keeps_the_chain(tmp_path, postgres_url):
    source = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7, persons=50)
    before = table_counts(postgres_url)["audit_entry"]
    copy_township(source, postgres_url)
    with psycopg.connect(postgres_url) as conn:
        entries = conn.execute("SELECT action, new_value FROM audit_entry ORDER BY id").fetchall()
    assert len(entries) == before + 1
    assert entries[-1][0] == "copy-in" and '"persons": 50' in entries[-1][1] and "a.sqlite" in entries[-1][1]
    database = open_database(postgres_url)
    try:
        assert audit.verify_chain(database.connection()) is None
    finally:
        close_database()


def test_a_payments_operator_comes_along_by_name_without_an_account(tmp_path, postgres_url):
    source = township_file(tmp_path / "a.sqlite", TOWN_A, seed=7, persons=50)
    with sqlite3.connect(source) as conn:
        conn.execute("INSERT INTO operator (name, role, password_hash, active, created_at, failed_attempts, villages)"
                     " VALUES ('王会计', 'admin', 'scrypt$x', 1, '2026-01-01 00:00:00', 0, '')")
        conn.execute("UPDATE payment SET operator_id = (SELECT id FROM operator WHERE name = '王会计')")
        paid = conn.execute("SELECT COUNT(*) FROM payment").fetchone()[0]
    result = copy_township(source, postgres_url)
    assert result.operators_added == 1
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT role, password_hash, active FROM operator WHERE name = '王会计'"
                            ).fetchone() == ("clerk", "", False)
        assert conn.execute("SELECT COUNT(*) FROM payment JOIN operator o ON o.id = operator_id"
                            " WHERE o.name = '王会计'").fetchone()[0] == paid


def test_townships_of_one_county_share_its_region(tmp_path, postgres_url):
    a = tmp_path / "a.sqlite"  # the demo alone: 示范县 (431199) with 青山镇 (431199101) under it
    open_database(a)
    generate_demo(DemoOptions(persons=50, seed=7, today=DEMO_TODAY))
    close_database()
    b = township_file(tmp_path / "b.sqlite", TOWN_B, seed=8, persons=50)
    with sqlite3.connect(b) as conn:  # 乙镇 under the same county, made by hand
        conn.execute("INSERT INTO region (code, name, level) VALUES ('431199', '示范县', 'county')")
        conn.execute("UPDATE region SET parent_id = (SELECT id FROM region WHERE level = 'county')"
                     " WHERE level = 'township'")
    copy_township(a, postgres_url)
    copy_township(b, postgres_url)
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute("SELECT t.code, c.code FROM region t JOIN region c ON c.id = t.parent_id"
                            " WHERE t.level = 'township' ORDER BY t.code").fetchall()
        counties = conn.execute("SELECT COUNT(*) FROM region WHERE level = 'county'").fetchone()[0]
    assert rows == [("431199101", "431199"), (TOWN_B[1], "431199")]
    assert counties == 1
