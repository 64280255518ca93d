"""``backup`` and ``restore`` as a user runs them: exit status, messages, passwords."""

from __future__ import annotations

import os
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.services.backup import list_backups
from desktop_app.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "u盘密码2025abc"


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin,
        env={**os.environ, **(env or {})},
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


@pytest.fixture
def demo_file(tmp_path) -> Path:
    path = tmp_path / "青山镇.sqlite"
    assert main(["--db", str(path), "demo", "--persons", "300"]) == 0
    return path


@pytest.fixture
def password_file(tmp_path) -> Path:
    path = tmp_path / "pw.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


def persons(path: Path) -> int:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT COUNT(*) FROM person").fetchone()[0]
    finally:
        conn.close()


def test_help_in_plain_words():
    for command in ("backup", "restore"):
        result = run(command, "--help")
        assert result.returncode == 0
        assert "password" in result.stdout and "ledger" in result.stdout


def test_backup_into_the_data_folder(demo_file, capsys):
    assert main(["--db", str(demo_file), "backup"]) == 0
    out = capsys.readouterr().out
    made = list_backups(demo_file)
    assert len(made) == 1 and str(made[0].path) in out and "未加密" in out
    assert main(["--db", str(demo_file), "backup", "--list"]) == 0
    assert made[0].path.name in capsys.readouterr().out


def test_keep_is_stored_in_the_ledger(demo_file, capsys):
    assert main(["--db", str(demo_file), "backup", "--keep", "2"]) == 0
    for _ in range(3):
        assert main(["--db", str(demo_file), "backup"]) == 0
    assert len(list_backups(demo_file)) == 2


def test_a_copy_to_a_stick_must_say_whether_it_is_encrypted(demo_file, tmp_path):
    result = run("--db", str(demo_file), "backup", "--to", str(tmp_path / "usb"))
    assert result.returncode == 2
    assert "--password" in result.stderr and "--no-password" in result.stderr
    assert not (tmp_path / "usb").exists()
    plain = run("--db", str(demo_file), "backup", "--to", str(tmp_path / "usb"), "--no-password")
    assert plain.returncode == 0, plain.stderr


def test_a_password_is_never_taken_from_the_command_line(demo_file, tmp_path):
    result = run(
        "--db", str(demo_file), "backup", "--to", str(tmp_path / "usb"), "--password", PASSWORD
    )
    assert result.returncode == 2
    assert not (tmp_path / "usb").exists()


def test_encrypted_round_trip_with_a_password_file(demo_file, tmp_path, password_file):
    usb = tmp_path / "usb"
    made = run(
        "--db", str(demo_file), "backup", "--to", str(usb), "--password-file", str(password_file)
    )
    assert made.returncode == 0, made.stderr
    assert "已加密" in made.stdout
    (copy,) = list(usb.iterdir())
    assert copy.suffix == ".ledgerbackup" and b"SQLite format 3" not in copy.read_bytes()

    target = tmp_path / "restored.sqlite"
    back = run("--db", str(target), "restore", str(copy), "--password-file", str(password_file))
    assert back.returncode == 0, back.stderr
    assert "300人" in back.stdout and "青山镇" in back.stdout
    assert persons(target) == 300
    assert run("--db", str(target), "check").returncode == 0


def test_password_from_the_environment_for_scripts(demo_file, tmp_path):
    env = {"ENROLLMENT_LEDGER_BACKUP_PASSWORD": PASSWORD}
    made = run(
        "--db", str(demo_file), "backup", "--to", str(tmp_path / "usb"), "--password", env=env
    )
    assert made.returncode == 0, made.stderr
    (copy,) = list((tmp_path / "usb").iterdir())
    back = run("--db", str(tmp_path / "r.sqlite"), "restore", str(copy), "--password", env=env)
    assert back.returncode == 0, back.stderr


def test_password_from_standard_input(demo_file, tmp_path):
    made = run(
        "--db",
        str(demo_file),
        "backup",
        "--to",
        str(tmp_path / "usb"),
        "--password-file",
        "-",
        stdin=PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr


def test_restore_failures_exit_1_and_change_nothing(demo_file, tmp_path, password_file, capsys):
    usb = tmp_path / "usb"
    assert (
        main(
            [
                "--db",
                str(demo_file),
                "backup",
                "--to",
                str(usb),
                "--password-file",
                str(password_file),
            ]
        )
        == 0
    )
    (copy,) = list(usb.iterdir())
    before = demo_file.read_bytes()
    capsys.readouterr()

    def fails(*args: str) -> str:
        assert main(["--db", str(demo_file), "restore", *args]) == 1
        return capsys.readouterr().err

    assert "加密" in fails(str(copy))  # no terminal to ask on
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("不是这个密码123\n", encoding="utf-8")
    assert "密码不正确" in fails(str(copy), "--password-file", str(wrong))
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"junk" * 1000)
    assert "不是台账备份文件" in fails(str(junk))
    assert "不存在" in fails(str(tmp_path / "nothing.sqlite"))
    assert demo_file.read_bytes() == before


def test_restore_is_refused_while_the_window_has_the_ledger(demo_file, tmp_path):
    from tests.reliability.test_lock import Holder

    assert main(["--db", str(demo_file), "backup"]) == 0
    copy = list_backups(demo_file)[0].path
    other = Holder(demo_file)
    try:
        result = run("--db", str(demo_file), "restore", str(copy))
    finally:
        other.stop()
    assert result.returncode == 1
    assert "测试窗口" in result.stderr and str(other.process.pid) in result.stderr


def test_backup_of_a_missing_ledger_exit_1(tmp_path):
    result = run("--db", str(tmp_path / "none.sqlite"), "backup")
    assert result.returncode == 1 and "不存在" in result.stderr


def _on_a_terminal(args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run the command on a pseudo-terminal, typing each answer when a password is asked for."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, with the pty as its terminal
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "desktop_app", *args])
    output = b""
    given = 0
    while True:
        ready, _, _ = select.select([fd], [], [], 20)
        if not ready:
            os.kill(pid, 9)
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child has gone
            break
        if not chunk:
            break
        output += chunk
        # a prompt appears only after getpass has switched echo off: answer each one once
        while given < len(answers) and output.decode("utf-8", "replace").count("密码：") > given:
            os.write(fd, (answers[given] + "\n").encode("utf-8"))
            given += 1
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_password_typed_twice_on_a_terminal(demo_file, tmp_path):
    usb = tmp_path / "usb"
    code, out = _on_a_terminal(
        ["--db", str(demo_file), "backup", "--to", str(usb), "--password"], [PASSWORD, PASSWORD]
    )
    assert code == 0, out
    assert PASSWORD not in out  # never echoed
    code, out = _on_a_terminal(
        ["--db", str(demo_file), "backup", "--to", str(usb), "--password"],
        [PASSWORD, PASSWORD + "x"],
    )
    assert code == 1 and "两次输入的密码不一样" in out
    assert len(list(usb.iterdir())) == 1
    (copy,) = list(usb.iterdir())
    code, out = _on_a_terminal(
        ["--db", str(tmp_path / "r.sqlite"), "restore", str(copy)], [PASSWORD]
    )
    assert code == 0, out
    assert persons(tmp_path / "r.sqlite") == 300
