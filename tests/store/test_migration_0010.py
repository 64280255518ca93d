"""Migration 10: on PostgreSQL a partial gram index on the household numbers that are not only
digits (a name fragment can only be found in those); on a ledger file, nothing changes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from peewee import SqliteDatabase

from desktop_app.store.db import close_database, open_database
from desktop_app.store.migrations import current_version, migrate
from desktop_app.store.postgres import LedgerPostgresDatabase

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOW = "2025-01-02 09:30:00"
INDEX = "household_number_grams"


def _fill_version_9(run) -> None:
    """Two households in a village: one numbered as the app numbers them, one as a roster may.
    ``run`` runs one statement (a sqlite3 connection's ``execute``, peewee's ``execute_sql``)."""
    run("INSERT INTO region (id, code, name, level) VALUES (90, '431199101290', '青山村', 'village')")
    for hid, number in ((90, "4311991012900001"), (91, "青山-凯01")):
        run("INSERT INTO household (id, number, village_id, head_name, address, created_at)"
                     f" VALUES ({hid}, '{number}', 90, '', '', '{NOW}')")
    run(
        "INSERT INTO person (id, id_number, name, sex, birth_date, relation, phone, household_id, note,"
        f" created_at, updated_at, name_initials) VALUES (90, '431199197505050011', '王五', 'M', '1975-05-05',"
        f" '户主', '', 91, '', '{NOW}', '{NOW}', 'ww')")


def _index_definition(database) -> str | None:
    row = database.execute_sql(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s",
        (INDEX,)).fetchone()
    return row[0] if row else None


def test_a_fresh_postgresql_ledger_has_the_partial_gram_index(postgres_url):
    database = open_database(postgres_url)
    definition = _index_definition(database)
    assert definition is not None
    assert "ledger_grams" in definition and "WHERE" in definition


def test_upgrading_a_postgresql_ledger_adds_the_index_and_keeps_every_row(postgres_server):
    url = postgres_server.url_for("ledger_test_m0010_upgrade")
    with postgres_server.admin() as admin:
        admin.execute('DROP DATABASE IF EXISTS "ledger_test_m0010_upgrade" WITH (FORCE)')
        admin.execute('CREATE DATABASE "ledger_test_m0010_upgrade"')
    try:
        database = LedgerPostgresDatabase(url)
        database.connect()
        assert migrate(database, target=9)[-1] == 9
        _fill_version_9(database.execute_sql)
        assert _index_definition(database) is None
        database.close()
        database = open_database(url)  # upgrades to 10
        assert current_version(database.connection()) >= 10
        assert _index_definition(database) is not None
        assert database.execute_sql("SELECT number FROM household ORDER BY id").fetchall() == [
            ("4311991012900001",), ("青山-凯01",)]
        # the index holds only the number that is not all digits
        database.execute_sql("SET enable_seqscan = off")
        found = database.execute_sql(
            "SELECT id FROM household WHERE number !~ '^[0-9xX]*$' AND ledger_grams(number) @> ARRAY['凯']"
        ).fetchall()
        assert found == [(91,)]
        plan = "\n".join(r[0] for r in database.execute_sql(
            "EXPLAIN SELECT id FROM household WHERE number !~ '^[0-9xX]*$'"
            " AND ledger_grams(number) @> ARRAY['凯']").fetchall())
        assert INDEX in plan
    finally:
        close_database()
        postgres_server.drop(url)


def _sqlite_master(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        conn.close()


def test_on_a_ledger_file_step_10_changes_nothing_but_the_version(tmp_path):
    path = tmp_path / "l.sqlite"
    shutil.copy(FIXTURES / "ledger_v1.sqlite", path)
    database = SqliteDatabase(str(path), pragmas={"foreign_keys": 1})
    database.connect()
    migrate(database, target=9)
    _fill_version_9(database.connection().execute)
    database.connection().commit()
    database.close()
    schema_before = _sqlite_master(path)
    database.connect()
    assert migrate(database, target=10) == [10]
    assert current_version(database.connection()) == 10
    assert database.connection().execute("SELECT number FROM household WHERE id = 91").fetchone() == ("青山-凯01",)
    database.close()
    assert _sqlite_master(path) == schema_before
