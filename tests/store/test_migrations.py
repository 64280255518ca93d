import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from desktop_app.store.db import close_database, open_database
from desktop_app.store.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    LedgerTooNewError,
    current_version,
    migrate,
)
from desktop_app.store.models import ALL_MODELS, Household, Person
from desktop_app.store.backup_names import backups_dir, ledger_key

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# One file per released schema version (TagStudio's practice); each must upgrade.
RELEASED = sorted(FIXTURES.glob("ledger_v*.sqlite"))

TABLES = (
    "setting", "region", "household", "person", "category_membership", "policy_year",
    "category_rule", "enrollment", "operator", "payment", "audit_entry",
)


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def test_a_fixture_exists_for_every_released_version():
    assert [p.name for p in RELEASED] == ["ledger_v1.sqlite"]


@pytest.mark.parametrize("fixture", RELEASED, ids=lambda p: p.stem)
def test_released_ledger_upgrades_without_losing_a_row(fixture, tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(fixture, path)
    before = _counts(path)
    assert sum(before.values()) > 10
    open_database(path)
    try:
        assert current_version(Person._meta.database.connection()) == LATEST_VERSION
        zhang = Person.get(Person.name == "张三")
        assert zhang.name_initials == "zs"  # migration 2 filled the new column
        assert Person.get(Person.name == "张小明").name_initials == "zxm"
        household = Household.get_by_id(1)  # migration 6: a number of its own is kept as it was
        assert (household.number, household.head_id_number) == ("4311991012010001", None)
    finally:
        close_database()
    assert _counts(path) == before
    # the old file was copied aside before its schema changed, where every other backup goes
    backups = list(backups_dir().glob(f"{ledger_key(path)}-before-schema-*.sqlite"))
    assert len(backups) == 1
    assert _counts(backups[0]) == before


def test_opening_twice_migrates_once(tmp_path):
    path = tmp_path / "l.sqlite"
    open_database(path)
    close_database()
    database = SqliteDatabase(str(path))
    database.connect()
    assert migrate(database) == []
    versions = [r[0] for r in database.execute_sql("SELECT version FROM schema_version ORDER BY version")]
    assert versions == [step.version for step in MIGRATIONS]
    database.close()


def test_a_ledger_from_a_newer_program_is_refused_untouched(tmp_path):
    path = tmp_path / "new.sqlite"
    open_database(path)
    close_database()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO schema_version VALUES (?, 'from the future', '2030-01-01', '9.0')",
        (LATEST_VERSION + 1,),
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LedgerTooNewError, match="更新版本"):
        open_database(path)
    assert path.read_bytes() == before


def _schema_columns(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    out = {}
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN ('schema_version') "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ):
        cols = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        # name, declared type, not null, primary key: what the models must agree with
        out[table] = sorted((c[1], c[2].upper(), bool(c[3]), bool(c[5])) for c in cols)
    return out


def _index_names(conn: sqlite3.Connection) -> set[str]:
    return {
        r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='index' AND name NOT LIKE 'sqlite_%'"
        )
    }


def test_models_describe_exactly_the_migrated_schema(tmp_path):
    migrated = tmp_path / "migrated.sqlite"
    open_database(migrated)
    close_database()
    from_models = SqliteDatabase(str(tmp_path / "models.sqlite"))
    with from_models.bind_ctx(ALL_MODELS):
        from_models.create_tables(ALL_MODELS)
    from_models.close()
    a, b = sqlite3.connect(migrated), sqlite3.connect(tmp_path / "models.sqlite")
    try:
        assert _schema_columns(a) == _schema_columns(b)
        assert _index_names(a) == _index_names(b)
    finally:
        a.close()
        b.close()
