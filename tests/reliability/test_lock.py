"""One writer per ledger: a second program is told who holds it; a crashed holder does not block."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app.store import lock
from desktop_app.store.lock import (
    LedgerBusyError,
    LedgerLockError,
    acquire,
    current_holder,
    held_lock,
)

ROOT = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent("""
    import sys
    from desktop_app.store.lock import acquire
    held = acquire(sys.argv[1], program="测试窗口")
    print("HELD", flush=True)
    sys.stdin.read()  # until the test closes our stdin (or kills us)
    held.release()
    print("RELEASED", flush=True)
""")


class Holder:
    """Another process holding the lock on ``ledger`` until :meth:`stop` or :meth:`kill`."""

    def __init__(self, ledger: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(ledger)],
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        line = self.process.stdout.readline()
        assert line.strip() == "HELD", self.process.stderr.read()

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.sqlite"
    path.write_bytes(b"")
    return path


def test_acquire_writes_who_and_release_removes_it(ledger_file):
    held = acquire(ledger_file, program="命令行")
    try:
        sidecar = ledger_file.with_name("ledger.sqlite.lock")
        assert held.lock_path == sidecar and sidecar.exists()
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        assert data["pid"] == os.getpid() and data["host"] == socket.gethostname()
        assert data["program"] == "命令行" and data["since"]
        if os.name == "posix":
            assert sidecar.stat().st_mode & 0o777 == 0o600
        assert held.recovered is None
        assert acquire(ledger_file) is held  # idempotent within one process
        assert held_lock(ledger_file) is held
    finally:
        held.release()
    assert not held.held and not ledger_file.with_name("ledger.sqlite.lock").exists()
    assert held_lock(ledger_file) is None
    held.release()  # twice is harmless


def test_a_second_program_is_told_who_holds_the_ledger(ledger_file):
    other = Holder(ledger_file)
    try:
        with pytest.raises(LedgerBusyError) as caught:
            acquire(ledger_file)
        holder = caught.value.holder
        assert holder is not None and holder.pid == other.process.pid
        assert holder.host == socket.gethostname() and holder.program == "测试窗口"
        message = str(caught.value)
        assert (
            "不能修改" in message and str(other.process.pid) in message and holder.host in message
        )
        assert "只读方式" in message
        assert current_holder(ledger_file) == holder
    finally:
        other.stop()
    assert current_holder(ledger_file) is None
    acquire(ledger_file).release()


def test_a_crashed_holder_does_not_block_the_next_program(ledger_file):
    other = Holder(ledger_file)
    dead_pid = other.process.pid
    other.kill()  # no release: the sidecar still names the dead process
    assert json.loads(ledger_file.with_name("ledger.sqlite.lock").read_text())["pid"] == dead_pid
    assert current_holder(ledger_file) is None  # the OS dropped its lock with the process
    held = acquire(ledger_file)
    try:
        assert held.recovered is not None and held.recovered.pid == dead_pid
    finally:
        held.release()


def test_the_same_ledger_by_another_path_is_the_same_lock(ledger_file, tmp_path):
    link = tmp_path / "link.sqlite"
    link.symlink_to(ledger_file)
    other = Holder(link)
    try:
        with pytest.raises(LedgerBusyError):
            acquire(ledger_file)
    finally:
        other.stop()


def test_a_folder_without_write_access_says_so(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(LedgerLockError, match="只读方式"):
        acquire(not_a_folder / "ledger.sqlite")


def test_without_os_locks_a_dead_holder_on_this_computer_is_stale(ledger_file, monkeypatch):
    def no_locks(fd: int) -> bool:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(lock, "_os_lock", no_locks)
    sidecar = lock.lock_path_for(ledger_file)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    sidecar.write_text(
        json.dumps(
            {
                "user": "张三",
                "host": socket.gethostname(),
                "pid": int(dead),
                "since": "2025-01-02T10:30:00",
            }
        ),
        encoding="utf-8",
    )
    held = acquire(ledger_file)
    assert held.recovered is not None and held.recovered.user == "张三"
    held.release()

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        sidecar.write_text(
            json.dumps(
                {
                    "user": "李四",
                    "host": socket.gethostname(),
                    "pid": sleeper.pid,
                    "since": "2025-01-02T10:30:00",
                }
            ),
            encoding="utf-8",
        )
        with pytest.raises(LedgerBusyError, match="李四"):
            acquire(ledger_file)
        sidecar.write_text(
            json.dumps(
                {"user": "王五", "host": "另一台电脑", "pid": 1, "since": "2025-01-02T10:30:00"}
            ),
            encoding="utf-8",
        )
        with pytest.raises(LedgerBusyError, match="另一台电脑"):
            acquire(ledger_file)
    finally:
        sleeper.kill()
        sleeper.wait()


RACER = textwrap.dedent("""
    import os, sys, time
    from desktop_app.store.lock import LedgerBusyError, acquire
    ledger, log, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    done = 0
    while done < rounds:
        try:
            held = acquire(ledger)
        except LedgerBusyError:
            continue
        with open(log, "a") as out:
            out.write(f"in {os.getpid()}\\n")
        time.sleep(0.002)
        with open(log, "a") as out:
            out.write(f"out {os.getpid()}\\n")
        held.release()
        done += 1
""")


def test_racing_programs_never_hold_the_ledger_together(ledger_file, tmp_path):
    log = tmp_path / "log.txt"
    racers = [
        subprocess.Popen([sys.executable, "-c", RACER, str(ledger_file), str(log), "25"], cwd=ROOT)
        for _ in range(4)
    ]
    for racer in racers:
        assert racer.wait(timeout=120) == 0
    lines = log.read_text().splitlines()
    assert len(lines) == 4 * 25 * 2
    inside = None
    for line in lines:  # strictly alternating in/out of the same process: never two inside
        what, pid = line.split()
        if what == "in":
            assert inside is None, f"{pid} entered while {inside} held the ledger"
            inside = pid
        else:
            assert inside == pid
            inside = None


# --- a network share: the lock names another computer ----------------------------------------

ELSEWHERE = {"user": "王五", "host": "乡卫生院-2号机", "pid": 4242, "since": "2025-01-02T10:30:00",
             "program": "window"}


def _left_by_another_computer(ledger: Path) -> Path:
    """The lock file a program on another computer left (it crashed, or runs there still)."""
    sidecar = lock.lock_path_for(ledger)
    sidecar.write_text(json.dumps(ELSEWHERE, ensure_ascii=False), encoding="utf-8")
    return sidecar


def _no_os_locks(monkeypatch) -> None:
    """A share whose file system refuses flock (ENOLCK), as some SMB/NFS mounts do."""

    def refuse(fd: int) -> bool:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(lock, "_os_lock", refuse)


def _assert_names_the_holder(error: LedgerBusyError) -> None:
    assert error.can_take_over and error.holder is not None and error.holder.user == "王五"
    message = str(error)
    assert "王五" in message and "乡卫生院-2号机" in message and "2025-01-02 10:30" in message
    assert "接管" in message


def test_a_lock_from_another_computer_is_not_replaced_silently(ledger_file):
    """flock on a share may only lock this computer: the other's lock file must still count.

    Old code: the OS lock was free here, so the other computer's lock was overwritten at once.
    """
    sidecar = _left_by_another_computer(ledger_file)
    with pytest.raises(LedgerBusyError) as caught:
        acquire(ledger_file)
    _assert_names_the_holder(caught.value)
    assert json.loads(sidecar.read_text(encoding="utf-8"))["user"] == "王五"  # left as it was
    assert current_holder(ledger_file).user == "王五"


def test_without_os_locks_another_computers_lock_can_be_taken_over(ledger_file, monkeypatch):
    """Old code: refused forever, with no way out but deleting the lock file by hand."""
    _no_os_locks(monkeypatch)
    sidecar = _left_by_another_computer(ledger_file)
    with pytest.raises(LedgerBusyError) as caught:
        acquire(ledger_file)
    _assert_names_the_holder(caught.value)
    held = acquire(ledger_file, take_over=True)
    try:
        assert held.taken_over is not None and held.taken_over.host == "乡卫生院-2号机"
        assert json.loads(sidecar.read_text(encoding="utf-8"))["pid"] == os.getpid()
    finally:
        held.release()
    assert not sidecar.exists()


def test_take_over_never_beats_a_live_program_on_this_computer(ledger_file):
    other = Holder(ledger_file)
    try:
        with pytest.raises(LedgerBusyError) as caught:
            acquire(ledger_file, take_over=True)
        assert not caught.value.can_take_over
    finally:
        other.stop()


def test_a_lock_taken_over_meanwhile_is_left_to_its_new_holder(ledger_file, monkeypatch):
    """Our lock was taken over from another computer (no OS locks): our release leaves theirs.

    Old code: release unlinked the lock file whoever it named, freeing the ledger for a third.
    """
    _no_os_locks(monkeypatch)
    held = acquire(ledger_file)
    sidecar = _left_by_another_computer(ledger_file)  # the other computer took it over
    held.release()
    assert sidecar.exists() and json.loads(sidecar.read_text(encoding="utf-8"))["user"] == "王五"


def test_the_command_line_names_the_holder_and_takes_over_with_an_audit_entry(tmp_path, capsys):
    from desktop_app.cli.main import main

    ledger = tmp_path / "青山镇.sqlite"
    assert main(["--db", str(ledger), "init"]) == 0
    sidecar = _left_by_another_computer(ledger)
    capsys.readouterr()

    assert main(["--db", str(ledger), "init", "--township", "青山镇"]) == 1
    refused = capsys.readouterr().err.strip()
    assert len(refused.splitlines()) == 1
    assert "王五" in refused and "乡卫生院-2号机" in refused and "--take-over-lock" in refused

    assert main(["--db", str(ledger), "--take-over-lock", "init", "--township", "青山镇"]) == 0
    said = capsys.readouterr().err
    assert "已接管" in said and "王五" in said
    assert not sidecar.exists()  # released at the end like any lock of ours
    conn = sqlite3.connect(ledger)
    try:
        rows = conn.execute(
            'SELECT action, "table", old_value, new_value FROM audit_entry ORDER BY id'
        ).fetchall()
    finally:
        conn.close()
    actions = [row[0] for row in rows]
    assert actions.count("take-over-lock") == 1
    # written first, before the work done under the taken lock
    assert actions.index("take-over-lock") < actions.index("create")
    taken = rows[actions.index("take-over-lock")]
    assert json.loads(taken[2])["host"] == "乡卫生院-2号机"
    assert json.loads(taken[3])["pid"] == os.getpid()
