"""``package create|open|return|merge|refresh`` as ``enrollment-ledger`` runs them, on two real
ledgers; what was written is read back with plain SQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop_app.cli.main import main
from desktop_app.cli.package_commands import PASSWORD_ENV
from desktop_app.services import backup_format
from tests.raw_ledger import raw_sql

YEAR = 2025


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    return [tuple(row) for row in raw_sql(db, (sql, params))]  # either engine


@pytest.fixture
def town(ledger_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(backup_format, "SCRYPT_LOG2_N", 10)
    path = ledger_path  # the township's ledger: a file, or a PostgreSQL database's URL
    assert main(["--db", str(path), "demo", "--persons", "300", "--seed", "3"]) == 0
    return path


def _owing(db: Path) -> list[str]:
    return [r[0] for r in rows(db, """SELECT p.id_number FROM person p JOIN household h ON h.id = p.household_id
        JOIN region v ON v.id = h.village_id JOIN enrollment e ON e.person_id = p.id AND e.year = ?
        WHERE v.name = '东山村' AND e.status = 'unpaid' AND e.due_fen > e.paid_fen ORDER BY p.id_number""", YEAR)]


def test_the_round_trip_on_the_command_line(town, tmp_path, monkeypatch, capsys):
    work, pack, back = tmp_path / "work.sqlite", tmp_path / "东山村-2025.ledgerpack", tmp_path / "r.ledgerreturn"
    assert main(["--db", str(town), "package", "create", "--village", "东山村", "--year", str(YEAR),
                 "--to", str(pack)]) == 0
    out = capsys.readouterr().out
    code = re.search(r"配对码 ([A-Z0-9-]+)", out).group(1)
    assert "package: 东山村 2025" in out
    monkeypatch.setenv(PASSWORD_ENV, code.lower())
    assert main(["--db", str(work), "package", "open", str(pack)]) == 0
    assert "村级工作副本：东山村 · 2025年度" in capsys.readouterr().out
    first, second = _owing(work)[:2]
    assert main(["--db", str(work), "pay", first, "--channel", "现金代收", "--date", "2026-11-02"]) == 0
    assert main(["--db", str(work), "person", "edit", second, "--phone", "13911112222"]) == 0
    assert main(["--db", str(town), "person", "edit", second, "--phone", "13800001111"]) == 0
    county = tmp_path / "税务回传.csv"
    county.write_text(f"身份证号,缴费金额,缴费日期\n{first},400,2026-11-02\n", encoding="utf-8")
    assert main(["--db", str(work), "import", "payments", str(county)]) == 1  # a county file: not in a work copy
    assert "村级工作副本" in capsys.readouterr().err
    assert main(["--db", str(work), "package", "return", "--to", str(back)]) == 0
    assert "return: 2 changes (1 payments" in capsys.readouterr().out
    before = rows(town, "SELECT COUNT(*) FROM payment")

    assert main(["--db", str(town), "package", "merge", str(back), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "merge: 1 payments, 0 reversals, 0 statuses, 0 new households, 0 new persons, 1 edits, 1 conflicts" in out
    assert "电话两边都改了" in out
    assert main(["--db", str(town), "package", "merge", str(back)]) == 1  # a conflict left: nothing merged
    assert "有1处冲突" in capsys.readouterr().err
    assert rows(town, "SELECT COUNT(*) FROM payment") == before
    assert main(["--db", str(town), "package", "merge", str(back), "--prefer", "village"]) == 0
    assert "merged: 1 payments" in capsys.readouterr().out
    assert rows(town, "SELECT phone FROM person WHERE id_number = ?", second) == [("13911112222",)]
    assert rows(town, "SELECT COUNT(*) FROM payment")[0][0] == before[0][0] + 1
    assert main(["--db", str(town), "package", "merge", str(back), "--prefer", "village"]) == 0
    assert "already merged" in capsys.readouterr().out
    assert rows(town, "SELECT COUNT(*) FROM payment")[0][0] == before[0][0] + 1
    assert main(["--db", str(town), "check", "--charges"]) == 0

    newer = tmp_path / "newer.ledgerpack"
    monkeypatch.setenv(PASSWORD_ENV, "新工作包的密码123")
    assert main(["--db", str(town), "package", "create", "--village", "东山村", "--year", str(YEAR),
                 "--to", str(newer), "--password"]) == 0
    assert main(["--db", str(work), "package", "refresh", str(newer)]) == 0
    assert "换用了新的工作包" in capsys.readouterr().out


def test_a_wrong_code_and_another_townships_return_are_refused(town, tmp_path, monkeypatch, capsys):
    pack, back = tmp_path / "p.ledgerpack", tmp_path / "r.ledgerreturn"
    monkeypatch.setenv(PASSWORD_ENV, "十二个字的密码abcde")
    assert main(["--db", str(town), "package", "create", "--village", "东山村", "--year", str(YEAR),
                 "--to", str(pack), "--password"]) == 0
    assert main(["--db", str(tmp_path / "w.sqlite"), "package", "open", str(pack)]) == 0
    assert main(["--db", str(tmp_path / "w.sqlite"), "package", "return", "--to", str(back)]) == 0
    other = tmp_path / "other.sqlite"
    assert main(["--db", str(other), "demo", "--persons", "100", "--seed", "4"]) == 0
    assert main(["--db", str(other), "package", "merge", str(back)]) == 1
    assert "另一个乡镇" in capsys.readouterr().err
    monkeypatch.setenv(PASSWORD_ENV, "不对的密码123456")
    assert main(["--db", str(town), "package", "merge", str(back)]) == 1
    assert "密码（配对码）不正确" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "w2.sqlite"), "package", "open", str(pack)]) == 1
    assert not (tmp_path / "w2.sqlite").exists()
