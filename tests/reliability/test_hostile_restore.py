"""Restore, check and opening trust nothing in the file: hostile copies are refused, untouched.

Each hostile copy is crafted the way someone with the file and the sqlite3 tool would: an extra
trigger that deletes payments, an extra view, the person table's UNIQUE index on the ID number
made plain, a loosened CHECK, one digit of a phone number changed. Where the copy's SHA-256 is
written again beside it ("resealed"), the schema check alone must catch it. Every refusal
leaves the live ledger byte for byte as it was (its file hashed before and after).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.services import audit, backup
from desktop_app.services.backup import create_backup, digest_path, list_backups, rotate
from desktop_app.services.backup_format import BackupError, encrypt_file
from desktop_app.services.backup_restore import NO_DIGEST_WARNING, inspect_backup, restore
from desktop_app.services.ledger import check_file
from desktop_app.store.db import LedgerOpenError, close_database, open_database
from desktop_app.store.migrations import LATEST_VERSION
from desktop_app.store.schema_check import reference_schema, schema_differences

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PASSWORD = "正确的密码horse"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reseal(copy: Path) -> None:
    backup.write_digest(copy, backup.file_sha256(copy))


def _edit(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(str(path))
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _rewrite_table_sql(path: Path, table: str, old: str, new: str) -> None:
    """Change a table's CREATE statement in place, as ``PRAGMA writable_schema`` lets anyone do."""
    conn = sqlite3.connect(str(path))
    try:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        assert old in sql
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (sql.replace(old, new), table))
        conn.commit()
    finally:
        conn.close()
    conn = sqlite3.connect(str(path))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]  # SQLite itself is content
    finally:
        conn.close()


def extra_trigger(path: Path) -> None:
    _edit(path, "CREATE TRIGGER tidy AFTER INSERT ON payment BEGIN"
                " DELETE FROM payment WHERE id < new.id; END")


def extra_view(path: Path) -> None:
    _edit(path, "CREATE VIEW everyone AS SELECT name, id_number, phone FROM person")


def dropped_unique_index(path: Path) -> None:
    _edit(path, "DROP INDEX person_id_number", "CREATE INDEX person_id_number ON person (id_number)")


def changed_check(path: Path) -> None:
    _rewrite_table_sql(path, "person", "CHECK (length(id_number) = 18)", "CHECK (length(id_number) > 0)")


HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "extra trigger": (extra_trigger, "多了一个触发器 “tidy”（在表 payment 上）"),
    "extra view": (extra_view, "多了一个视图 “everyone”"),
    "dropped unique index": (dropped_unique_index, "索引 “person_id_number” 不再是唯一索引"),
    "changed check": (changed_check, "少了检查约束 CHECK (length(id_number)=18)"),
}


def _refused_untouched(ledger: Path, call: Callable[[], object], error: type, match: str) -> None:
    before = file_hash(ledger)
    with pytest.raises(error, match=match):
        call()
    assert file_hash(ledger) == before, "the live ledger changed"
    assert not Path(f"{ledger}-wal").exists()
    assert not [p for p in ledger.parent.iterdir() if ".restore-" in p.name]


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_restore_refuses_a_copy_whose_schema_was_changed(demo_ledger, ledger_path, kind):
    tamper, said = HOSTILE[kind]
    copy = create_backup("manual").path
    close_database()
    tamper(copy)
    reseal(copy)  # its SHA-256 is right: only the schema check stands in the way
    _refused_untouched(ledger_path, lambda: restore(copy, ledger_path), BackupError, "台账文件被改动过")
    with pytest.raises(BackupError) as refused:
        inspect_backup(copy)
    assert said in str(refused.value)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_check_and_opening_refuse_a_changed_ledger(demo_ledger, ledger_path, kind):
    tamper, said = HOSTILE[kind]
    close_database()
    tamper(ledger_path)
    report = check_file(ledger_path)
    assert not report.ok and any(said in problem for problem in report.problems)
    before = file_hash(ledger_path)
    with pytest.raises(LedgerOpenError, match="台账文件被改动过"):
        open_database(ledger_path)
    with pytest.raises(LedgerOpenError, match="台账文件被改动过"):
        open_database(ledger_path, read_only=True)
    assert file_hash(ledger_path) == before


def test_an_encrypted_copy_is_schema_checked_too(demo_ledger, ledger_path, tmp_path):
    close_database()
    hostile = tmp_path / "hostile.sqlite"
    hostile.write_bytes(ledger_path.read_bytes())
    extra_trigger(hostile)
    sealed = tmp_path / "usb" / "hostile.ledgerbackup"
    sealed.parent.mkdir()
    encrypt_file(hostile, sealed, PASSWORD)
    _refused_untouched(ledger_path, lambda: restore(sealed, ledger_path, PASSWORD), BackupError,
                       "多了一个触发器")


def _phone_offset(path: Path) -> tuple[int, bytes]:
    conn = sqlite3.connect(str(path))
    try:
        phone = conn.execute("SELECT phone FROM person WHERE phone != '' ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    data = path.read_bytes()
    at = data.find(phone.encode("ascii"))
    assert at > 0 and data.count(phone.encode("ascii")) == 1
    return at, phone.encode("ascii")


def test_restore_refuses_a_plain_copy_with_one_digit_changed(demo_ledger, ledger_path):
    copy = create_backup("manual").path
    close_database()
    at, phone = _phone_offset(copy)
    last = phone[-1:]
    changed = b"0" if last != b"0" else b"1"
    with copy.open("r+b") as handle:
        handle.seek(at + len(phone) - 1)
        handle.write(changed)
    assert check_file(copy).ok, "SQLite cannot see a changed digit: only the SHA-256 can"
    _refused_untouched(ledger_path, lambda: restore(copy, ledger_path), BackupError, "对不上")
    # without its sidecar the same copy passes every other check: the SHA-256 is what caught it
    digest_path(copy).unlink()
    assert NO_DIGEST_WARNING in inspect_backup(copy).warnings


def test_a_damaged_sidecar_refuses_the_copy(demo_ledger, ledger_path):
    copy = create_backup("manual").path
    close_database()
    digest_path(copy).write_text("not a hash\n", encoding="utf-8")
    _refused_untouched(ledger_path, lambda: restore(copy, ledger_path), BackupError, "校验文件")


def test_an_old_copy_without_sha256_is_restored_with_a_warning(demo_ledger, ledger_path):
    """A clerk's copies from before this version have no sidecar: they still restore, said so."""
    copy = create_backup("manual").path
    close_database()
    digest_path(copy).unlink()
    result = restore(copy, ledger_path)
    assert NO_DIGEST_WARNING in result.warnings and result.audited
    extra_view(copy)  # and it is schema-checked like any other
    _refused_untouched(ledger_path, lambda: restore(copy, ledger_path), BackupError, "多了一个视图")


def _entries(ledger: Path, action: str) -> list[tuple]:
    conn = sqlite3.connect(str(ledger))
    try:
        return conn.execute(
            'SELECT at, operator, "table", record_id, old_value, new_value FROM audit_entry'
            " WHERE action = ? ORDER BY id", (action,)).fetchall()
    finally:
        conn.close()


def test_restore_is_recorded_in_the_restored_ledger(demo_ledger, ledger_path, tmp_path):
    copy = create_backup("manual", folder=tmp_path / "usb", password=PASSWORD).path
    audit.set_current_operator("王会计")
    try:
        result = restore(copy, ledger_path, PASSWORD)
    finally:
        audit.set_current_operator("")
    assert result.audited
    [(at, who, table, record_id, old, new)] = _entries(ledger_path, "restore")
    assert who == "王会计" and table == "ledger" and record_id == copy.name and at
    new = json.loads(new)
    assert new["from"] == str(copy.resolve())
    assert new["sha256"] == file_hash(copy) == result.facts.sha256
    assert json.loads(old)["replaced_ledger_kept_as"] == str(result.previous_kept)


def test_every_backup_is_recorded_in_its_ledger(demo_ledger, ledger_path, tmp_path):
    plain = create_backup("manual")
    sealed = create_backup("manual", folder=tmp_path / "usb", password=PASSWORD)
    assert plain.audited and sealed.audited
    recorded = {entry[3]: json.loads(entry[5]) for entry in _entries(ledger_path, "backup")}
    assert recorded[plain.path.name]["sha256"] == file_hash(plain.path)
    assert digest_path(plain.path).read_text(encoding="utf-8").split()[0] == file_hash(plain.path)
    assert recorded[sealed.path.name]["sha256"] == file_hash(sealed.path)
    assert recorded[sealed.path.name]["encrypted"] is True
    assert not digest_path(sealed.path).exists()  # AES-GCM authenticates it already


def test_rotation_deletes_sidecars_with_their_copies(demo_ledger, ledger_path):
    made = [create_backup("manual", keep=100, now=dt.datetime(2026, 1, 1, 9, 0, i)).path for i in range(3)]
    removed = rotate(ledger_path, "manual", keep=1)
    assert sorted(removed) == sorted(made[:2])
    for path in made[:2]:
        assert not path.exists() and not digest_path(path).exists()
    assert digest_path(made[2]).exists() and [i.path for i in list_backups(ledger_path)] == [made[2]]


# --- what the check compares against ---------------------------------------------------------


def test_the_shipped_v1_ledger_matches_what_migration_1_makes():
    conn = sqlite3.connect(f"{(FIXTURES / 'ledger_v1.sqlite').as_uri()}?mode=ro", uri=True)
    try:
        assert schema_differences(conn) == []
    finally:
        conn.close()


def test_an_old_ledger_is_judged_against_its_own_version_before_upgrading(tmp_path):
    old = tmp_path / "v1.sqlite"
    old.write_bytes((FIXTURES / "ledger_v1.sqlite").read_bytes())
    extra_trigger(old)
    before = file_hash(old)
    with pytest.raises(LedgerOpenError, match="多了一个触发器"):
        open_database(old)
    assert file_hash(old) == before and not (tmp_path / "backups").exists()


def test_a_new_ledger_has_exactly_the_latest_schema(ledger, ledger_path):
    assert schema_differences(ledger.connection()) == []
    assert ("index", "person_id_number") in reference_schema(LATEST_VERSION)


def test_a_closed_ledger_is_not_reopened_behind_its_lock_to_record_a_backup(demo_ledger, ledger_path):
    close_database()  # the models stay bound to the closed file; peewee would reconnect on use
    before = file_hash(ledger_path)
    result = create_backup("manual", ledger=ledger_path)
    assert not result.audited and file_hash(ledger_path) == before
