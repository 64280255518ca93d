"""The command line's exit codes and messages, run as a user runs it (a real subprocess)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import __version__
from desktop_app.cli.main import build_parser, main
from tests.raw_ledger import raw_sql
from tests.services.test_check import corrupt_a_page


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120,
    )


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_init_demo_check_round(tmp_path):
    db = str(tmp_path / "x.sqlite")
    first = run("--db", db, "init", "--township", "青山镇", "--township-code", "431199101")
    assert first.returncode == 0, first.stderr
    assert "created an empty ledger" in first.stdout and "青山镇 431199101" in first.stdout
    demo = run("--db", db, "demo", "--persons", "300")
    assert demo.returncode == 0, demo.stderr
    assert "300 persons" in demo.stdout
    check = run("--db", db, "check")
    assert check.returncode == 0 and "healthy" in check.stdout
    again = run("--db", db, "demo", "--persons", "10")
    assert again.returncode == 1
    assert "空台账" in again.stderr


def test_demo_check_backup_round_on_either_engine(ledger_path, tmp_path):
    """The core commands on a ledger file and on a server ledger alike: the server's backup is
    the portable ledger file, which ``check`` finds healthy as a file."""
    db = str(ledger_path)
    demo = run("--db", db, "demo", "--persons", "120")
    assert demo.returncode == 0, demo.stderr
    check = run("--db", db, "check")
    assert check.returncode == 0 and "healthy" in check.stdout, check.stdout + check.stderr
    made = run("--db", db, "backup", "--to", str(tmp_path / "usb"), "--no-password")
    assert made.returncode == 0, made.stderr
    [copy] = [p for p in (tmp_path / "usb").iterdir() if p.suffix == ".sqlite"]
    again = run("--db", str(copy), "check")
    assert again.returncode == 0 and "healthy" in again.stdout, again.stdout + again.stderr
    assert raw_sql(copy, "SELECT COUNT(*) FROM person") == raw_sql(ledger_path, "SELECT COUNT(*) FROM person")


def test_default_ledger_lives_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ENROLLMENT_LEDGER_DATA_DIR", str(tmp_path / "data"))
    result = run("init")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "ledger.sqlite").exists()


def test_usage_errors_exit_2(tmp_path):
    assert run("--db", str(tmp_path / "x.sqlite"), "frobnicate").returncode == 2
    assert run("--db", str(tmp_path / "x.sqlite"), "demo", "--persons", "many").returncode == 2


def test_bad_township_code_changes_nothing(tmp_path):
    db = tmp_path / "x.sqlite"
    assert main(["--db", str(db), "init", "--township", "青山镇"]) == 0
    assert main(["--db", str(db), "init", "--township-code", "12"]) == 1
    assert main(["--db", str(db), "check"]) == 0
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT name, code FROM region WHERE level = 'township'").fetchall()
    audits = conn.execute("SELECT COUNT(*) FROM audit_entry WHERE new_value LIKE '%12%'").fetchone()[0]
    conn.close()
    assert rows == [("青山镇", None)] and audits == 0


def test_check_on_a_damaged_file_exits_1(tmp_path):
    db = tmp_path / "x.sqlite"
    assert run("--db", str(db), "demo", "--persons", "400").returncode == 0
    corrupt_a_page(db)
    result = run("--db", str(db), "check")
    assert result.returncode == 1
    assert "problems" in result.stderr


def test_a_file_that_is_not_a_ledger_is_refused_and_untouched(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"PK\x03\x04 not a database")
    result = run("--db", str(path), "demo", "--persons", "5")
    assert result.returncode == 1
    assert "不是台账文件" in result.stderr
    assert path.read_bytes() == b"PK\x03\x04 not a database"


def test_backup_of_a_missing_ledger_exits_1_with_the_reason(tmp_path):
    result = run("--db", str(tmp_path / "x.sqlite"), "backup")
    assert result.returncode == 1
    assert "不存在" in result.stderr


def _commands() -> list[str]:
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(commands.choices)


def test_the_commands_are_all_there():
    assert {"init", "demo", "import", "export", "policy", "backup", "restore", "check", "pay", "payments",
            "reverse", "status", "person", "household", "followups"} <= set(_commands())


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "usage:" in result.stdout


def test_export_counts_rows_on_a_terminal_and_keeps_pipes_clean(tmp_path):
    """On a terminal the export keeps one line of progress on stderr; in a pipe only the summary."""
    import pty

    db = str(tmp_path / "x.sqlite")
    assert run("--db", db, "demo", "--persons", "2500").returncode == 0
    piped = run("--db", db, "export", "roster", str(tmp_path / "a.xlsx"), "--year", "2025")
    assert piped.returncode == 0 and piped.stderr == ""
    rows = int(piped.stdout.split("roster: ")[1].split(" rows")[0])
    master, slave = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "desktop_app", "--db", db, "export", "roster", str(tmp_path / "b.xlsx"),
             "--year", "2025"],
            stdout=subprocess.PIPE, stderr=slave, text=True, timeout=120, check=False,
        )
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the other end is closed: all read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(master)
    assert done.returncode == 0 and "roster:" in done.stdout
    text = shown.decode()
    assert f"\r  1,000 / {rows:,} 行" in text and f"\r  {rows:,} / {rows:,} 行" in text
