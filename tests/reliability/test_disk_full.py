"""A write that cannot happen — disk full, read-only file — fails with a clear Chinese message,
loses nothing already stored, and the program goes on working once the cause is gone.

How each case is made, as faithfully as this machine allows:

- **Disk full, simulated**: ``PRAGMA max_page_count`` set to the file's current size on the
  program's own connection. SQLite then fails the write with the very error a full disk gives
  (``SQLITE_FULL``, "database or disk is full") and rolls the transaction back.
- **Disk full, real**: the ledger on a tiny tmpfs filled up with a filler file, so that the
  operating system itself answers ENOSPC. Needs root and mount; skipped elsewhere.
- **Read-only file**: tests run as root, for whom ``chmod 0o400`` stops nothing. When SQLite
  cannot open a file for writing it opens it read-only, exactly as ``?mode=ro`` does, and every
  write then fails with ``SQLITE_READONLY`` ("attempt to write a readonly database"). So the
  ledger is bound through a ``?mode=ro`` URI; one test shows, as an unprivileged user, that a
  real 0o400 file gives the same error. ``PRAGMA query_only`` (same error code) covers a
  connection that is read-only by the program's choice.

Services do not yet translate errors themselves (the wiring is the lead's); the tests call them
inside :func:`translated_write_errors` with ``ServiceError`` as the services will.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import peewee
import pytest
from peewee import SqliteDatabase

from desktop_app.resources import resource
from desktop_app.services import policy_load
from desktop_app.services.backup import BackupError, create_backup
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.services.ledger import ServiceError, check_file
from desktop_app.services.payments import record_payment
from desktop_app.store.db import PRAGMAS, close_database, open_database
from desktop_app.store.errors import (
    MESSAGES,
    LedgerWriteError,
    WriteProblem,
    friendly_write_error,
    translated_write_errors,
    write_problem,
)
from desktop_app.store.models import db
from tests.reliability.helpers import DEMO_TODAY, dump, unpaid_inputs

UNLIMITED = 1_073_741_823


def _limit_to_current_size() -> None:
    conn = db.connection()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def _free_space() -> None:
    db.connection().execute(f"PRAGMA max_page_count = {UNLIMITED}")


def _pay_until_it_fails(limit: int = 3000) -> tuple[int, ServiceError]:
    """Record payments until one cannot be written; return how many were saved and the error."""
    saved = 0
    for payment in unpaid_inputs(limit):
        before = dump(db.connection())
        try:
            with translated_write_errors(ServiceError):
                record_payment(payment)
        except ServiceError as exc:
            assert dump(db.connection()) == before, "the failed payment left something behind"
            return saved, exc
        saved += 1
    raise AssertionError(f"{saved} payments fitted: the limit never bit")


# --- the translation itself -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "problem"),
    [
        (sqlite3.OperationalError("database or disk is full"), WriteProblem.DISK_FULL),
        (sqlite3.OperationalError("attempt to write a readonly database"), WriteProblem.READ_ONLY),
        (sqlite3.OperationalError("database is locked"), WriteProblem.BUSY),
        (sqlite3.OperationalError("disk I/O error"), WriteProblem.IO_ERROR),
        (OSError(errno.ENOSPC, "No space left on device"), WriteProblem.DISK_FULL),
        (OSError(errno.EROFS, "Read-only file system"), WriteProblem.READ_ONLY),
    ],
)
def test_write_failures_are_named(error, problem):
    assert write_problem(error) is problem
    wrapped = peewee.OperationalError(error, *error.args)  # as peewee re-raises it
    assert write_problem(wrapped) is problem
    assert friendly_write_error(error) == MESSAGES[problem]


def test_disk_full_and_read_only_messages_say_what_happened():
    full = friendly_write_error(sqlite3.OperationalError("database or disk is full"))
    read_only = friendly_write_error(
        sqlite3.OperationalError("attempt to write a readonly database")
    )
    assert full.startswith("磁盘已满") and "没有保存" in full and "已保存的数据没有受影响" in full
    assert read_only.startswith("台账文件是只读的") and "没有保存" in read_only


def test_other_errors_pass_through_untouched():
    with pytest.raises(peewee.IntegrityError):
        with translated_write_errors(ServiceError):
            raise peewee.IntegrityError("UNIQUE constraint failed: person.id_number")
    with pytest.raises(ServiceError, match="缴费金额"):
        with translated_write_errors(ServiceError):
            raise ServiceError("缴费金额必须大于0")
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        with translated_write_errors():
            raise sqlite3.OperationalError("no such table: nothing")
    assert "台账写入失败" in friendly_write_error(sqlite3.OperationalError("no such table: x"))


def test_default_error_type_carries_the_problem():
    with pytest.raises(LedgerWriteError) as caught:
        with translated_write_errors():
            raise sqlite3.OperationalError("database or disk is full")
    assert caught.value.problem is WriteProblem.DISK_FULL


# --- disk full, simulated with max_page_count ------------------------------------------------


def test_a_payment_on_a_full_disk_fails_clearly_and_the_next_one_works(demo_ledger):
    _limit_to_current_size()
    saved, error = _pay_until_it_fails()
    assert str(error).startswith("磁盘已满")
    # SQLite rolled the whole transaction back itself; without the translation the user would
    # read peewee's "cannot rollback - no transaction is active" instead
    assert write_problem(error.__cause__) is WriteProblem.DISK_FULL
    assert not db.in_transaction()
    _free_space()
    next_payment = unpaid_inputs(1)[0]
    record_payment(next_payment)  # the program goes on
    conn = db.connection()
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM payment WHERE voucher = ?", (next_payment.voucher,)
        ).fetchone()[0]
        == 1
    )
    assert check_file(Path(db.database)).ok


def test_a_policy_load_on_a_full_disk_changes_nothing(demo_ledger, tmp_path):
    policy = tmp_path / "2025.toml"
    policy.write_text(
        resource("policies", "2025.toml")
        .read_text(encoding="utf-8")
        .replace("standard = 400", "standard = 420", 1),
        encoding="utf-8",
    )
    before = dump(db.connection())
    _limit_to_current_size()
    with pytest.raises(ServiceError, match="^磁盘已满"):
        with translated_write_errors(ServiceError):
            policy_load.load_policy(policy)
    after = dump(db.connection())  # the copy made before the load is recorded, and nothing else
    after["audit_entry"] = [row for row in after["audit_entry"] if row[3] != "backup"]
    assert after == before
    _free_space()
    assert policy_load.load_policy(policy).replaced


def test_a_big_import_on_a_full_disk_leaves_nothing_half_done(ledger):
    before = dump(db.connection())
    conn = db.connection()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 200}")  # room for part of it only
    with pytest.raises(ServiceError, match="^磁盘已满"):
        with translated_write_errors(ServiceError):
            generate_demo(DemoOptions(persons=3000, seed=5, today=DEMO_TODAY))
    assert dump(db.connection()) == before
    _free_space()
    assert generate_demo(DemoOptions(persons=3000, seed=5, today=DEMO_TODAY)).persons == 3000


# --- disk full, for real: a tiny tmpfs ------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MB file system of its own (root only), unmounted afterwards."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        close_database()
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int) -> Path:
    filler = folder / "filler.bin"
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(shutil.disk_usage(folder).free - leave, 0))
    return filler


def test_a_really_full_disk(small_disk, tmp_path):
    ledger = small_disk / "ledger.sqlite"
    open_database(ledger)
    generate_demo(DemoOptions(persons=2000, seed=9, today=DEMO_TODAY))
    filler = _fill(small_disk, leave=48_000)
    saved, error = _pay_until_it_fails()
    assert str(error).startswith("磁盘已满"), error
    stored = dump(db.connection())
    filler.unlink()
    record_payment(unpaid_inputs(1)[0])
    assert check_file(ledger).ok
    after = dump(db.connection())
    assert all(
        after[t][: len(rows)] == rows for t, rows in stored.items() if t not in ("enrollment",)
    )


def test_a_backup_to_a_full_usb_stick_fails_clearly_and_leaves_no_debris(small_disk, demo_ledger):
    filler = _fill(small_disk, leave=64_000)
    with pytest.raises(BackupError, match="磁盘"):
        create_backup("manual", folder=small_disk, password="usb-password-1")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]
    filler.unlink()
    made = create_backup("manual", folder=small_disk, password="usb-password-1")
    assert made.path.exists()


@pytest.mark.parametrize("password", [None, "usb-password-1"])
def test_running_out_of_space_in_the_middle_of_a_backup(
    small_disk, demo_ledger, monkeypatch, password
):
    """The space check passed (the stick filled meanwhile): the OS's ENOSPC is reported in words."""
    from desktop_app.services import backup

    monkeypatch.setattr(backup, "_ensure_room", lambda *args, **kwargs: None)
    filler = _fill(small_disk, leave=64_000)
    with pytest.raises(BackupError, match="磁盘已满"):
        create_backup("manual", folder=small_disk, password=password)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]
    filler.unlink()


def test_check_on_a_full_disk_says_the_disk_is_full_not_that_the_ledger_is_damaged(small_disk):
    """Reading a WAL ledger needs a -shm beside it; on a full disk SQLite says "disk I/O error".

    Old code: "数据库已损坏" for a sound ledger, and the -wal/-shm it made were left behind.
    """
    ledger = small_disk / "ledger.sqlite"
    open_database(ledger)
    generate_demo(DemoOptions(persons=300, seed=9, today=DEMO_TODAY))
    close_database()
    filler = _fill(small_disk, leave=0)
    with pytest.raises(ServiceError) as caught:
        check_file(ledger)
    assert str(caught.value).startswith("磁盘已满") and "不说明台账有损坏" in str(caught.value)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin", "ledger.sqlite"]
    filler.unlink()
    assert check_file(ledger).ok


@pytest.mark.parametrize("leave", [0, 4096, 16384, 40960])
def test_init_on_a_full_disk_says_the_disk_is_full_and_leaves_nothing(small_disk, leave, capsys):
    """Old code, with a little room left: "可能是U盘被拔出" (an I/O error on the -shm), and an
    empty ledger file left behind."""
    from desktop_app.cli.main import main

    _fill(small_disk, leave=leave)
    assert main(["--db", str(small_disk / "新台账.sqlite"), "init"]) == 1
    said = capsys.readouterr().err
    assert said.startswith("init: 磁盘已满") and "U盘" not in said, said
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]


def test_an_io_error_on_a_full_disk_is_called_a_full_disk(small_disk):
    error = sqlite3.OperationalError("disk I/O error")
    assert write_problem(error, small_disk / "ledger.sqlite") is WriteProblem.IO_ERROR  # room left
    _fill(small_disk, leave=0)
    assert write_problem(error, small_disk / "ledger.sqlite") is WriteProblem.DISK_FULL
    assert write_problem(error) is WriteProblem.IO_ERROR  # no place given: no guess
    assert write_problem(error, small_disk / "gone" / "x.sqlite") is WriteProblem.DISK_FULL


# --- read-only ------------------------------------------------------------------------------


def _bind_read_only(path: Path) -> SqliteDatabase:
    close_database()
    database = SqliteDatabase(
        f"{path.resolve().as_uri()}?mode=ro",
        uri=True,
        pragmas={k: v for k, v in PRAGMAS.items() if k != "journal_mode"},
    )
    database.connect()
    db.initialize(database)
    return database


def test_a_read_only_ledger_refuses_writes_clearly_and_keeps_everything(demo_ledger, ledger_path):
    before = dump(db.connection())
    payment = unpaid_inputs(1)[0]
    read_only = _bind_read_only(ledger_path)
    try:
        with pytest.raises(ServiceError, match="^台账文件是只读的"):
            with translated_write_errors(ServiceError):
                record_payment(payment)
        assert dump(read_only.connection()) == before
    finally:
        read_only.close()
    open_database(ledger_path)  # writable again: the work goes on
    record_payment(payment)
    assert check_file(ledger_path).ok


def test_query_only_connection_refuses_writes_clearly(demo_ledger):
    conn = db.connection()
    before = dump(conn)
    conn.execute("PRAGMA query_only = 1")
    try:
        with pytest.raises(ServiceError, match="^台账文件是只读的"):
            with translated_write_errors(ServiceError):
                record_payment(unpaid_inputs(1)[0])
    finally:
        conn.execute("PRAGMA query_only = 0")
    assert dump(conn) == before


_PROBE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
try:
    conn.execute("INSERT INTO audit_entry (at, action, \\"table\\") VALUES ('x', 'probe', 'x')")
    conn.commit()
    print("WROTE")
except sqlite3.OperationalError as exc:
    print(getattr(exc, "sqlite_errorname", ""), exc, sep="|")
"""


def test_a_chmod_0400_file_fails_for_a_real_user_as_mode_ro_does(demo_ledger, ledger_path):
    """As an unprivileged user, SQLite answers a 0o400 ledger exactly as our ?mode=ro stand-in."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root to switch to an unprivileged user")
    python = next(
        (p for p in ("/usr/bin/python3", "/usr/local/bin/python3") if os.path.exists(p)), None
    )
    if python is None:
        pytest.skip("no system python3 an unprivileged user can run")
    close_database()
    folder = Path(tempfile.mkdtemp(prefix="ro-ledger-"))
    try:
        os.chmod(folder, 0o777)
        copy = folder / "ledger.sqlite"
        shutil.copyfile(ledger_path, copy)
        os.chown(copy, 65534, 65534)
        os.chmod(copy, 0o400)

        def become_nobody() -> None:
            os.setgid(65534)
            os.setuid(65534)

        probe = subprocess.run(
            [python, "-c", _PROBE, str(copy)],
            capture_output=True,
            text=True,
            preexec_fn=become_nobody,
            cwd=folder,
            timeout=60,
        )
        if probe.returncode != 0:
            pytest.skip(f"cannot run python as nobody here: {probe.stderr.strip()[-200:]}")
        as_user = probe.stdout.strip()
        conn = sqlite3.connect(f"{ledger_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            with pytest.raises(sqlite3.OperationalError) as caught:
                conn.execute(
                    "INSERT INTO audit_entry (at, action, \"table\") VALUES ('x', 'probe', 'x')"
                )
        finally:
            conn.close()
        stand_in = f"{getattr(caught.value, 'sqlite_errorname', '')}|{caught.value}"
        assert as_user == stand_in
        assert (
            write_problem(sqlite3.OperationalError(as_user.split("|")[1])) is WriteProblem.READ_ONLY
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    open_database(ledger_path)


def test_open_database_on_a_read_only_ledger_still_reads(demo_ledger, ledger_path):
    """Bound read-only, the ledger answers every query: what the second copy of the app shows."""
    persons = db.execute_sql("SELECT COUNT(*) FROM person").fetchone()[0]
    read_only = _bind_read_only(ledger_path)
    try:
        assert read_only.execute_sql("SELECT COUNT(*) FROM person").fetchone()[0] == persons
    finally:
        read_only.close()
    open_database(ledger_path)


def test_translation_as_a_decorator(demo_ledger):
    from desktop_app.store.errors import friendly_writes

    guarded = friendly_writes(ServiceError)(record_payment)
    _limit_to_current_size()
    with pytest.raises(ServiceError, match="^磁盘已满"):
        for payment in unpaid_inputs(3000):
            guarded(payment)
    _free_space()
    assert guarded(unpaid_inputs(1)[0]).id
    assert dt.date.today()  # the ledger and the process are still usable
