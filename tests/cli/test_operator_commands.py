"""``operators reset-admin``: whoever holds the ledger file gets an administrator back after the
only one was stopped or locked out (issue 16, item 2), audited, the password never on the
command line."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from desktop_app import this_computer
from desktop_app.cli.main import main
from desktop_app.services import access, operators
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import Operator
from tests.raw_ledger import raw_sql


@pytest.fixture
def db(ledger_path: Path) -> Path:
    """A ledger whose only administrator was stopped (as an older version allowed) and locked out."""
    path = ledger_path  # a file, or a PostgreSQL database's URL (tests/conftest.py)
    open_database(path)
    admin = operators.create_operator("王站长", "admin-pass", access.ADMIN)
    Operator.update(active=False, failed_attempts=5,
                    locked_until=dt.datetime.now() + dt.timedelta(hours=1)).where(Operator.id == admin).execute()
    close_database()
    return path


def _can_log_in(path: Path, name: str, password: str) -> bool:
    open_database(path)
    try:
        operators.log_in(name, password)
        return True
    except operators.LoginRefused:
        return False
    finally:
        access.end_session()
        close_database()


def test_reset_admin_from_the_environment_gets_the_administrator_back(db, monkeypatch, capsys):
    assert not _can_log_in(db, "王站长", "admin-pass")
    monkeypatch.setenv("ENROLLMENT_LEDGER_ADMIN_PASSWORD", "new-pass-1")
    assert main(["--db", str(db), "operators", "reset-admin"]) == 0
    out = capsys.readouterr().out
    assert "王站长" in out and "restarted" in out and "unlocked" in out
    assert _can_log_in(db, "王站长", "new-pass-1")
    entry = raw_sql(db, "SELECT operator, source, new_value FROM audit_entry WHERE action = 'reset-admin'")
    assert len(entry) == 1 and entry[0][:2] == [this_computer.user_name(), "cli"]
    assert "new-pass-1" not in entry[0][2]


def test_reset_admin_reads_standard_input_and_makes_a_named_one(db, monkeypatch):
    monkeypatch.delenv("ENROLLMENT_LEDGER_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("second-pass\n"))
    assert main(["--db", str(db), "operators", "reset-admin", "--name", "赵主任", "--password-file", "-"]) == 0
    assert _can_log_in(db, "赵主任", "second-pass")
    assert not _can_log_in(db, "王站长", "admin-pass")  # the other one untouched


def test_without_a_terminal_or_a_password_nothing_changes(db, monkeypatch, capsys):
    monkeypatch.delenv("ENROLLMENT_LEDGER_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--db", str(db), "operators", "reset-admin"]) == 1
    assert "终端" in capsys.readouterr().err
    monkeypatch.setenv("ENROLLMENT_LEDGER_ADMIN_PASSWORD", "short")
    assert main(["--db", str(db), "operators", "reset-admin"]) == 1
    assert "至少" in capsys.readouterr().err
    assert not _can_log_in(db, "王站长", "short")
