"""The one ladder on PostgreSQL: the numbered migrations build what the models describe, the
whole-schema check refuses a changed database, and explicit ids do not leave an identity behind."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.store.db import close_database, open_database
from desktop_app.store.errors import LedgerOpenError
from desktop_app.store.migrations import LATEST_VERSION, migrate
from desktop_app.store.models import ALL_MODELS, AuditEntry
from desktop_app.store.postgres import LedgerPostgresDatabase
from desktop_app.store.schema_check_pg import schema_differences_pg

COLUMNS = (
    "SELECT table_name, column_name FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND table_name <> 'schema_version'"
)


def _empty_database(server, name: str) -> str:
    with server.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.url_for(name)


def test_the_ladder_on_postgresql_makes_what_the_models_describe(postgres_url):
    database = open_database(postgres_url)
    migrated = set(database.execute_sql(COLUMNS).fetchall())
    described = {(m._meta.table_name, f.column_name) for m in ALL_MODELS for f in m._meta.sorted_fields}
    assert migrated == described
    indexes = {i.name for m in ALL_MODELS for i in database.get_indexes(m._meta.table_name)}
    assert {"person_id_number", "household_head_id_number", "enrollment_person_id_year"} <= indexes
    assert schema_differences_pg(database) == []


@pytest.mark.parametrize("change, said", [
    ("CREATE FUNCTION wipe() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN DELETE FROM payment;"
     " RETURN NEW; END$$; CREATE TRIGGER wipe_payments AFTER INSERT ON payment"
     " FOR EACH ROW EXECUTE FUNCTION wipe()", "多了一个触发器 “wipe_payments”（在表 payment 上）"),
    ("DROP INDEX person_id_number; CREATE INDEX person_id_number ON person (id_number)",
     "索引 “person_id_number” 不再是唯一索引"),
    ("DROP INDEX household_number", "少了索引 “household_number”"),
    ("CREATE VIEW everyone AS SELECT id_number, name FROM person", "多了一个视图 “everyone”"),
    ("ALTER TABLE enrollment DROP CONSTRAINT enrollment_due_fen_check", "少了约束 enrollment_due_fen_check"),
], ids=["extra-trigger", "unique-index-loosened", "unique-index-dropped", "extra-view", "check-dropped"])
def test_a_changed_database_is_refused_before_anything_is_written(postgres_url, change, said):
    database = LedgerPostgresDatabase(postgres_url)
    database.connect()
    database.execute_sql(change)
    database.close()
    with pytest.raises(LedgerOpenError, match="没有打开") as refused:
        open_database(postgres_url)
    assert said in str(refused.value)


def test_extension_objects_in_the_schema_are_the_dbas_not_a_change(postgres_url):
    database = LedgerPostgresDatabase(postgres_url)
    database.connect()
    database.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # its functions land in public
    database.close()
    open_database(postgres_url)


def test_an_upgrade_that_inserts_explicit_ids_leaves_no_identity_behind(postgres_server):
    """Migration 6 writes its renumbering audit entries with explicit ids; the next entry the
    program writes (no id given) must not collide with them."""
    url = _empty_database(postgres_server, "ledger_test_upgrade_ids")
    try:
        database = LedgerPostgresDatabase(url)
        database.connect()
        assert migrate(database, target=5) == [1, 2, 3, 4, 5]
        head = make_id_number("431199", dt.date(1970, 1, 1), 11)
        database.execute_sql("INSERT INTO region (id, code, name, level) VALUES (1, '431199101201', '东山村', 'village')")
        database.execute_sql("INSERT INTO household (id, number, village_id, created_at) VALUES (1, %s, 1, now())", (head,))
        database.close()
        open_database(url)  # upgrades 6 and 7 under the advisory lock
        assert AuditEntry.select().count() == 1  # the renumbering
        AuditEntry.create(action="create", table="region", record_id="1")
        assert AuditEntry.select().count() == 2
        assert LATEST_VERSION >= 7
    finally:
        close_database()
        postgres_server.drop(url)
