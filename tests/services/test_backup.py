"""Backups and restore on real ledgers: what a copy holds, rotation, encryption, the checks."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_app.services import backup, backup_format
from desktop_app.services.backup import (
    BackupError,
    backup_before,
    backup_dir,
    create_backup,
    daily_backup_if_due,
    keep_count,
    ledger_key,
    list_backups,
    set_keep_count,
)
from desktop_app.services.backup_format import (
    HEADER_SIZE,
    PasswordNeededError,
    WrongPasswordError,
    decrypt_file,
    encrypt_file,
)
from desktop_app.services.backup_restore import inspect_backup, restore
from desktop_app.services.ledger import check_file
from desktop_app.services.payments import record_payment
from desktop_app.store.db import close_database, open_database
from desktop_app.store.migrations import LATEST_VERSION
from desktop_app.store.models import Payment, db
from desktop_app.store.paths import default_ledger_path
from tests.raw_ledger import raw_sql
from tests.reliability.helpers import dump_file, unpaid_inputs
from tests.services.test_check import corrupt_a_page

PASSWORD = "正确的密码horse"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _persons(path: Path | str) -> int:
    return raw_sql(path, "SELECT COUNT(*) FROM person")[0][0]


def _without_backup_entries(path: Path) -> dict[str, list[tuple]]:
    """The whole ledger but the 操作日志 entries of backups and restores: a copy cannot hold the
    entry recording itself (written after it), and a restored ledger gains its restore entry."""
    rows = dump_file(path)
    rows["audit_entry"] = [row for row in rows["audit_entry"] if row[3] not in ("backup", "restore")]
    return rows


def reseal(copy: Path) -> None:
    """Write the .sha256 beside a copy a test changed, as if the copy had been made that way."""
    backup.write_digest(copy, backup.file_sha256(copy))


def _payments(path: Path | str) -> int:
    return raw_sql(path, "SELECT COUNT(*) FROM payment")[0][0]


# --- making copies ---------------------------------------------------------------------------


def test_daily_backup_once_a_day(demo_ledger, ledger_path):
    first = daily_backup_if_due()
    assert first is not None and first.parent == backup_dir()
    assert "-daily.sqlite" in first.name
    assert daily_backup_if_due() is None
    tomorrow = daily_backup_if_due(today=dt.date.today() + dt.timedelta(days=1))
    assert tomorrow is not None and tomorrow != first
    assert check_file(first).ok and _persons(first) == _persons(ledger_path)


@pytest.mark.sqlite_only  # the -wal file
def test_a_copy_holds_what_sits_in_the_wal(demo_ledger, ledger_path):
    record_payment(unpaid_inputs(1)[0])  # committed, not yet checkpointed into the main file
    assert Path(f"{ledger_path}-wal").stat().st_size > 0
    copy = backup_before("import")
    assert "-before-import.sqlite" in copy.name
    assert _payments(copy) == Payment.select().count()
    assert _without_backup_entries(copy) == _without_backup_entries(ledger_path)


@pytest.mark.sqlite_only  # backup_before: a server ledger gets none (the DBA's backups)
def test_a_copy_never_holds_an_unfinished_transaction(demo_ledger):
    committed = Payment.select().count()
    with db.atomic() as transaction:
        record_payment(unpaid_inputs(1)[0])
        copy = backup_before("policy")
        transaction.rollback()
    assert _payments(copy) == committed


def test_copies_are_single_private_files(demo_ledger):
    copy = create_backup("manual").path
    assert not Path(f"{copy}-wal").exists() and not Path(f"{copy}-journal").exists()
    with copy.open("rb") as handle:
        assert (
            handle.read(20)[18:20] == b"\x01\x01"
        )  # rollback-journal mode: one self-contained file
    if os.name == "posix":
        assert copy.stat().st_mode & 0o777 == 0o600
        assert backup_dir().stat().st_mode & 0o777 == 0o700
    assert not [p for p in backup_dir().iterdir() if "partial" in p.name or p.name.startswith(".")]


def test_rotation_keeps_the_newest_of_each_kind(demo_ledger, ledger_path):
    set_keep_count(3)
    assert keep_count() == 3
    start = dt.date(2026, 1, 1)
    for day in range(6):
        daily_backup_if_due(today=start + dt.timedelta(days=day))
    for reason in ("import", "policy", "import", "restore"):
        create_backup(f"before-{reason}")  # what backup_before makes of a ledger file
    create_backup("manual")
    found = list_backups(ledger_path)
    daily = [info for info in found if info.reason == "daily"]
    assert [info.made_at.date() for info in daily] == [
        start + dt.timedelta(days=d) for d in (5, 4, 3)
    ]
    before = [info for info in found if info.reason.startswith("before-")]
    assert len(before) == 3 and before[0].reason == "before-restore"
    assert [info.reason for info in found if info.reason == "manual"] == ["manual"]
    with pytest.raises(BackupError):
        set_keep_count(0)


def test_names_tell_ledgers_apart(tmp_path):
    assert ledger_key(default_ledger_path()) == "ledger"
    one, two = tmp_path / "a" / "ledger.sqlite", tmp_path / "b" / "ledger.sqlite"
    assert ledger_key(one) != ledger_key(two)
    assert ledger_key(one).startswith("ledger~")


def test_listing_ignores_debris_and_schema_upgrade_copies(demo_ledger, ledger_path):
    made = create_backup("manual").path
    key = ledger_key(ledger_path)
    for name in (
        f"{made.name}.123.partial",
        f"{key}-before-schema-v2-20250102-103000.sqlite",
        "notes.txt",
        f".plain-1-abcd{made.suffix}",
    ):
        (backup_dir() / name).write_bytes(b"x")
    assert [info.path for info in list_backups(ledger_path)] == [made]


def test_a_full_disk_is_refused_before_copying(demo_ledger, monkeypatch):
    total, used = 10 * 2**30, 10 * 2**30 - 5_000_000
    monkeypatch.setattr(
        backup.shutil, "disk_usage", lambda folder: shutil._ntuple_diskusage(total, used, 5_000_000)
    )
    with pytest.raises(BackupError, match="磁盘空间不够"):
        create_backup("manual")


def test_no_backup_without_an_open_ledger(monkeypatch):
    monkeypatch.setattr(db, "obj", None)
    with pytest.raises(BackupError, match="还没有打开台账"):
        daily_backup_if_due()


# --- encryption ------------------------------------------------------------------------------


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(backup_format, "CHUNK_SIZE", 4096)


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 3 * 4096, 50_000])
def test_encryption_round_trip(tmp_path, small_chunks, monkeypatch, size):
    monkeypatch.setattr(
        backup_format, "SCRYPT_LOG2_N", 12
    )  # fast for the test; stored in the header
    plain = tmp_path / "plain.bin"
    plain.write_bytes(os.urandom(size))
    encrypt_file(plain, tmp_path / "x.ledgerbackup", PASSWORD)
    decrypt_file(tmp_path / "x.ledgerbackup", tmp_path / "back.bin", PASSWORD)
    assert (tmp_path / "back.bin").read_bytes() == plain.read_bytes()
    assert plain.read_bytes()[:64] not in (tmp_path / "x.ledgerbackup").read_bytes() or size < 16


@pytest.fixture
def sealed(tmp_path, small_chunks, monkeypatch) -> Path:
    monkeypatch.setattr(backup_format, "SCRYPT_LOG2_N", 12)
    plain = tmp_path / "plain.bin"
    plain.write_bytes(os.urandom(3 * 4096 + 100))
    encrypt_file(plain, tmp_path / "x.ledgerbackup", PASSWORD)
    return tmp_path / "x.ledgerbackup"


def test_wrong_password_is_told_apart(sealed, tmp_path):
    with pytest.raises(WrongPasswordError, match="密码不正确"):
        decrypt_file(sealed, tmp_path / "out.bin", "错误的密码horse")
    assert not (tmp_path / "out.bin").exists()


def _tamper(path: Path, offset: int, data: bytes | None = None, cut: int | None = None) -> None:
    raw = bytearray(path.read_bytes())
    if cut is not None:
        raw = raw[:cut]
    if data is not None:
        raw[offset : offset + len(data)] = bytes(b ^ 0xFF for b in data)
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("flip a byte of the second chunk", "第2段"),
        ("cut at a chunk boundary", "截断"),
        ("cut inside the last chunk", "截断"),
        ("swap two chunks", "第1段"),
        ("change the chunk size in the header", "损坏|不正确"),
        ("change the salt", "不正确"),
    ],
)
def test_a_damaged_or_cut_file_is_refused(sealed, tmp_path, how, message):
    chunk = 4096 + 16
    raw = sealed.read_bytes()
    if how == "flip a byte of the second chunk":
        _tamper(
            sealed,
            HEADER_SIZE + chunk + 10,
            raw[HEADER_SIZE + chunk + 10 : HEADER_SIZE + chunk + 11],
        )
    elif how == "cut at a chunk boundary":
        _tamper(sealed, 0, cut=HEADER_SIZE + 2 * chunk)
    elif how == "cut inside the last chunk":
        _tamper(sealed, 0, cut=len(raw) - 5)
    elif how == "swap two chunks":
        first, second = (
            raw[HEADER_SIZE : HEADER_SIZE + chunk],
            raw[HEADER_SIZE + chunk : HEADER_SIZE + 2 * chunk],
        )
        sealed.write_bytes(raw[:HEADER_SIZE] + second + first + raw[HEADER_SIZE + 2 * chunk :])
    elif how == "change the chunk size in the header":
        _tamper(sealed, 8 + 2 + 4 + 16 + 7, raw[8 + 2 + 4 + 16 + 7 : 8 + 2 + 4 + 16 + 8])
    else:
        _tamper(sealed, 14, raw[14:15])
    with pytest.raises(BackupError, match=message):
        decrypt_file(sealed, tmp_path / "out.bin", PASSWORD)
    assert not (tmp_path / "out.bin").exists()


def test_short_passwords_are_refused(demo_ledger, tmp_path):
    with pytest.raises(BackupError, match="至少要8个字符"):
        create_backup("manual", folder=tmp_path / "usb", password="1234567")
    assert not (tmp_path / "usb").exists() or not list((tmp_path / "usb").iterdir())


def test_an_encrypted_copy_to_a_stick_leaves_no_plain_copy_anywhere(
    demo_ledger, ledger_path, tmp_path
):
    usb = tmp_path / "usb"
    made = create_backup("manual", folder=usb, password=PASSWORD)
    assert made.encrypted and made.path.suffix == ".ledgerbackup" and made.path.parent == usb
    assert sorted(p.name for p in usb.iterdir()) == [made.path.name]
    assert not backup_dir().exists() or not list(backup_dir().iterdir())
    facts = inspect_backup(made.path, PASSWORD)
    assert facts.persons == _persons(ledger_path) and facts.township == "青山镇"
    assert facts.schema_version == LATEST_VERSION


# --- restore ---------------------------------------------------------------------------------


@pytest.mark.sqlite_only  # restore replaces a ledger file; into a server: refused (below)
def test_restore_puts_the_copy_back_and_keeps_what_it_replaced(demo_ledger, ledger_path, tmp_path):
    copy = create_backup("manual", folder=tmp_path / "usb", password=PASSWORD).path
    expected = _without_backup_entries(ledger_path)
    record_payment(unpaid_inputs(1)[0])  # a change after the backup, still in the -wal
    changed = Payment.select().count()
    result = restore(copy, password=PASSWORD)
    assert result.ledger == ledger_path and result.facts.persons == 500
    assert db.is_closed()
    assert not Path(f"{ledger_path}-wal").exists() and not Path(f"{ledger_path}-shm").exists()
    assert _without_backup_entries(ledger_path) == expected
    assert result.previous_kept is not None and "before-restore" in result.previous_kept.name
    assert _payments(result.previous_kept) == changed
    if os.name == "posix":
        assert ledger_path.stat().st_mode & 0o777 == 0o600
    open_database(ledger_path)
    assert check_file(ledger_path).ok
    assert not [p for p in ledger_path.parent.iterdir() if "restore" in p.name]


@pytest.mark.sqlite_only  # restore replaces a ledger file; into a server: refused (below)
def test_restore_from_a_plain_copy_onto_a_new_computer(demo_ledger, ledger_path, tmp_path):
    copy = create_backup("manual").path
    close_database()
    fresh = tmp_path / "new-laptop" / "ledger.sqlite"
    result = restore(copy, fresh)
    assert result.previous_kept is None
    assert _without_backup_entries(fresh) == _without_backup_entries(ledger_path)


def _unchanged_after(ledger_path: Path, call, error=BackupError, match: str = "") -> None:
    close_database()
    before = dump_file(ledger_path)
    with pytest.raises(error, match=match):
        call()
    assert dump_file(ledger_path) == before
    assert not [p for p in ledger_path.parent.iterdir() if "restore" in p.name]


@pytest.mark.sqlite_only  # restore replaces a ledger file; into a server: refused (below)
def test_restore_refuses_a_file_that_is_not_sqlite(demo_ledger, ledger_path, tmp_path):
    junk = tmp_path / "花名册.xlsx"
    junk.write_bytes(b"PK\x03\x04 not a ledger" * 100)
    _unchanged_after(ledger_path, lambda: restore(junk, ledger_path), match="不是台账备份文件")


@pytest.mark.sqlite_only  # restore replaces a ledger file; into a server: refused (below)
def test_restore_refuses_a_damaged_copy(demo_ledger, ledger_path, tmp_path):
    copy = create_backup("manual").path
    corrupt_a_page(copy)
    reseal(copy)  # damaged before its SHA-256 was taken: the integrity check must catch it
    _unchanged_after(ledger_path, lambda: restore(copy, ledger_path), match="备份文件已损坏")


@pytest.mark.sqlite_only  # restore replaces a ledger file; into a server: refused (below)
def test_restore_refuses_a_database_that_is_not_a_ledger(demo_ledger, ledger_path, tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(str(other))
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()
    _unchanged_after(ledger_path, lambda: restore(other, ledger_path), match="不是参保台账")


@pytest.mark.sqlite_only  # restore replaces a ledger file; into a server: refused (below)
def test_restore_refuses_a_ledger_from_a_newer_program(demo_ledger, ledger_path, tmp_path):
    copy = create_backup("manual").path
    conn = sqlite3.connect(str(copy))
    conn.execute(
        "INSERT INTO schema_version VALUES (?, 'future', '2030-01-01', '9.0')",
        (LATEST_VERSION + 1,),
    )
    conn.commit()
    conn.close()
    reseal(copy)  # a newer program's own copy: its SHA-256 is right
    _unchanged_after(ledger_path, lambda: restore(copy, ledger_path), match="更新版本")


@pytest.mark.sqlite_only  # restore replaces a ledger file; into a server: refused (below)
def test_restore_asks_for_the_password(demo_ledger, ledger_path, tmp_path):
    copy = create_backup("manual", folder=tmp_path / "usb", password=PASSWORD).path
    _unchanged_after(ledger_path, lambda: restore(copy, ledger_path), PasswordNeededError, "加密")
    _unchanged_after(
        ledger_path,
        lambda: restore(copy, ledger_path, "错误的密码horse"),
        WrongPasswordError,
        "密码不正确",
    )


@pytest.mark.sqlite_only  # restore replaces a ledger file; into a server: refused (below)
def test_restore_refuses_while_another_program_holds_the_ledger(demo_ledger, ledger_path, tmp_path):
    from tests.reliability.test_lock import Holder

    copy = create_backup("manual").path
    close_database()
    other = Holder(ledger_path)
    try:
        _unchanged_after(ledger_path, lambda: restore(copy, ledger_path), match="测试窗口")
    finally:
        other.stop()


@pytest.mark.sqlite_only  # restore replaces a ledger file; into a server: refused (below)
def test_restore_an_older_schema_then_open_upgrades_it(ledger, ledger_path, tmp_path):
    old = tmp_path / "v1.sqlite"
    shutil.copyfile(FIXTURES / "ledger_v1.sqlite", old)
    result = restore(old, ledger_path)
    assert result.facts.schema_version == 1
    open_database(ledger_path)
    assert check_file(ledger_path).ok and check_file(ledger_path).schema_version == LATEST_VERSION


@pytest.mark.sqlite_only  # restore replaces a ledger file; into a server: refused (below)
def test_restore_over_a_damaged_ledger_keeps_its_bytes(demo_ledger, ledger_path, tmp_path):
    copy = create_backup("manual").path
    close_database()
    corrupt_a_page(ledger_path, page_no=1)  # the file header page: SQLite cannot read it at all
    damaged = ledger_path.read_bytes()
    result = restore(copy, ledger_path)
    assert result.previous_kept is not None
    assert result.previous_kept.read_bytes() == damaged
    assert check_file(ledger_path).ok


# --- a ledger on a PostgreSQL server -----------------------------------------------------------


def test_a_server_ledger_keeps_its_copies_under_its_own_name_and_count(postgres_url):
    open_database(postgres_url)
    set_keep_count(2)
    assert keep_count() == 2  # read from the server over a connection of its own
    made = create_backup("manual").path
    assert "postgresql" not in str(made.parent) and made.parent == backup_dir()
    assert made.name.startswith(backup.ledger_key(postgres_url))
    assert [info.path for info in list_backups(postgres_url)] == [made]
    assert check_file(made).ok  # the portable ledger file, restorable anywhere


def test_restore_into_a_server_ledger_is_refused(postgres_url, tmp_path):
    open_database(postgres_url)
    record = create_backup("manual", folder=tmp_path / "usb")
    assert record.audited
    entries = _audit_entries(postgres_url)
    with pytest.raises(BackupError, match="服务器上的台账不能用备份文件直接覆盖"):
        restore(record.path)
    assert _audit_entries(postgres_url) == entries
    assert not [p for p in Path.cwd().iterdir() if p.name.startswith("postgres")]


def _audit_entries(url: str) -> int:
    return raw_sql(url, "SELECT COUNT(*) FROM audit_entry")[0][0]
