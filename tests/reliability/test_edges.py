"""Trust at the edges: nothing left behind, nothing misreported.

- an old ledger's before-upgrade copy goes where every other backup goes (owner only);
- a ledger the person made read-only stays read-only, and is opened read-only with a message;
- a pipe, socket or device given as the ledger (or as a file) is refused at once, in one line;
- the window offers to take over a lock another computer left, after a confirmation, audited.

(The full disk is in test_disk_full.py, the lock file itself in test_lock.py.)
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton  # noqa: E402

from desktop_app.cli.main import main  # noqa: E402
from desktop_app.services.ledger import ServiceError, set_township  # noqa: E402
from desktop_app.store import lock  # noqa: E402
from desktop_app.store.backup_names import backups_dir, ledger_key  # noqa: E402
from desktop_app.store.db import (  # noqa: E402
    LedgerFileReadOnlyError,
    close_database,
    is_read_only,
    open_database,
)
from desktop_app.store.models import Region  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_V1 = ROOT / "tests" / "fixtures" / "ledger_v1.sqlite"
POSIX = pytest.mark.skipif(os.name != "posix", reason="file modes and pipes are POSIX here")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run(*args: str) -> subprocess.CompletedProcess:
    """The command as a user runs it; a hang (the old code on a pipe) fails instead of blocking."""
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), timeout=60,
    )


# --- the before-upgrade backup ----------------------------------------------------------------


@POSIX
def test_the_before_upgrade_copy_goes_to_the_data_folders_private_backups(tmp_path):
    """Old code: a new ``backups/`` beside the ledger, mode 0755, readable by every user."""
    ledger = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE_V1, ledger)
    open_database(ledger)
    close_database()
    assert not (tmp_path / "backups").exists()
    copies = list(backups_dir().glob(f"{ledger_key(ledger)}-before-schema-v*.sqlite"))
    assert len(copies) == 1
    assert _mode(backups_dir()) == 0o700 and _mode(copies[0]) == 0o600
    conn = sqlite3.connect(copies[0])
    try:
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1
    finally:
        conn.close()


# --- a ledger made read-only ------------------------------------------------------------------


@pytest.fixture
def read_only_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "只读.sqlite"
    open_database(path)
    set_township("青山镇")
    close_database()
    os.chmod(path, 0o400)
    yield path
    os.chmod(path, 0o600)


@POSIX
def test_a_read_only_ledger_is_not_made_writable_again(read_only_ledger):
    """Old code: opened for writing, then chmod 0600 — the person's protection silently undone."""
    with pytest.raises(LedgerFileReadOnlyError, match="^台账文件是只读的"):
        open_database(read_only_ledger)
    assert _mode(read_only_ledger) == 0o400
    assert not lock.lock_path_for(read_only_ledger).exists()


@POSIX
def test_the_command_line_reads_a_read_only_ledger_and_refuses_to_change_it(read_only_ledger, capsys):
    db = str(read_only_ledger)
    assert main(["--db", db, "init", "--township", "改名镇"]) == 1
    refused = capsys.readouterr().err.strip()
    assert refused.startswith("init: 台账文件是只读的") and len(refused.splitlines()) == 1
    assert main(["--db", db, "policy", "show"]) == 0
    said = capsys.readouterr()
    assert "只读方式打开" in said.err and "policy years" in said.out
    assert _mode(read_only_ledger) == 0o400
    assert sorted(p.name for p in read_only_ledger.parent.iterdir()) == [read_only_ledger.name]


@POSIX
def test_the_window_opens_a_read_only_ledger_read_only_and_says_so(read_only_ledger, qtbot, monkeypatch):
    from desktop_app.ui.app import make_application, open_ledger_for_window

    make_application()
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: told.append(text))
    try:
        assert open_ledger_for_window(read_only_ledger)
        assert told and "只读" in told[0]
        assert is_read_only() and Region.select().count() == 1
        with pytest.raises(ServiceError, match="只读"):
            set_township("改名镇")
    finally:
        close_database()
    assert _mode(read_only_ledger) == 0o400


# --- pipes, sockets and devices ----------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("command", [["check"], ["init"], ["policy", "show"], ["export", "summary", "x.xlsx"]])
def test_a_pipe_as_the_ledger_is_refused_at_once(tmp_path, command):
    """Old code: ``check`` waited forever reading the pipe's first bytes."""
    fifo = tmp_path / "管道.sqlite"
    os.mkfifo(fifo)
    result = _run("--db", str(fifo), *command)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "命名管道" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [fifo.name]


@POSIX
def test_a_socket_a_device_and_a_pipe_as_a_file_are_refused(tmp_path):
    ledger = tmp_path / "台账.sqlite"
    assert _run("--db", str(ledger), "init").returncode == 0
    listening = socket.socket(socket.AF_UNIX)
    try:
        listening.bind(str(tmp_path / "s.sqlite"))
        as_socket = _run("--db", str(tmp_path / "s.sqlite"), "check")
    finally:
        listening.close()
    assert as_socket.returncode == 1 and "套接字" in as_socket.stderr
    as_device = _run("--db", "/dev/null", "init")
    assert as_device.returncode == 1 and "设备" in as_device.stderr
    fifo = tmp_path / "政策.toml"
    os.mkfifo(fifo)
    policy = _run("--db", str(ledger), "policy", "load", str(fifo))  # old code: read forever
    assert policy.returncode == 1 and "命名管道" in policy.stderr
    assert len(policy.stderr.strip().splitlines()) == 1


# --- taking over a lock another computer left, in the window ------------------------------------

ELSEWHERE = {"user": "王五", "host": "乡卫生院-2号机", "pid": 4242, "since": "2025-01-02T10:30:00"}


def _answer_with(name: str) -> None:
    """Once the lock dialog is up, press its button ``name`` (a real click on the real box)."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, press)
            return
        box.findChild(QPushButton, name).click()

    QTimer.singleShot(0, press)


@pytest.fixture
def left_by_another_computer(tmp_path: Path) -> Path:
    ledger = tmp_path / "共享.sqlite"
    open_database(ledger)
    close_database()
    lock.lock_path_for(ledger).write_text(json.dumps(ELSEWHERE, ensure_ascii=False), encoding="utf-8")
    return ledger


def _audit_actions(ledger: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(ledger)
    try:
        return conn.execute('SELECT action, old_value FROM audit_entry ORDER BY id').fetchall()
    finally:
        conn.close()


def test_the_window_takes_over_after_a_confirmation_naming_the_holder(
    left_by_another_computer, qtbot, monkeypatch
):
    """Old code: the other computer's lock was overwritten without a word."""
    from desktop_app.ui.app import make_application, open_ledger_for_window

    make_application()
    confirmations = []
    monkeypatch.setattr(
        QMessageBox, "warning",
        lambda _p, _t, text, *_a: (confirmations.append(text), QMessageBox.StandardButton.Yes)[1],
    )
    _answer_with("take_over")
    try:
        assert open_ledger_for_window(left_by_another_computer)
        assert not is_read_only()
        assert confirmations and "王五" in confirmations[0] and "乡卫生院-2号机" in confirmations[0]
        holder = json.loads(lock.lock_path_for(left_by_another_computer).read_text(encoding="utf-8"))
        assert holder["pid"] == os.getpid()
    finally:
        close_database()
    taken = [old for action, old in _audit_actions(left_by_another_computer) if action == "take-over-lock"]
    assert len(taken) == 1 and json.loads(taken[0])["user"] == "王五"


def test_the_window_leaves_the_lock_alone_when_the_take_over_is_not_confirmed(
    left_by_another_computer, qtbot, monkeypatch
):
    from desktop_app.ui.app import make_application, open_ledger_for_window

    make_application()
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a: QMessageBox.StandardButton.No)
    _answer_with("take_over")
    assert not open_ledger_for_window(left_by_another_computer)
    sidecar = lock.lock_path_for(left_by_another_computer)
    assert json.loads(sidecar.read_text(encoding="utf-8"))["user"] == "王五"
    assert "take-over-lock" not in [action for action, _ in _audit_actions(left_by_another_computer)]

    _answer_with("read_only")
    try:
        assert open_ledger_for_window(left_by_another_computer)
        assert is_read_only()
    finally:
        close_database()
    assert json.loads(sidecar.read_text(encoding="utf-8"))["user"] == "王五"
