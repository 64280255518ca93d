"""``db copy`` as ``enrollment-ledger`` runs it: a township file into a PostgreSQL database and out
again, the summary line, and a refusal's exit status with nothing written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg

from desktop_app.cli.main import main


def town(path: Path, name: str, code: str, seed: int) -> Path:
    assert main(["--db", str(path), "init", "--township", name, "--township-code", code]) == 0
    assert main(["--db", str(path), "demo", "--persons", "120", "--seed", str(seed)]) == 0
    return path


def persons(target: Path | str) -> int:
    if isinstance(target, Path):
        with sqlite3.connect(target) as conn:
            return conn.execute("SELECT COUNT(*) FROM person").fetchone()[0]
    with psycopg.connect(target) as conn:
        return conn.execute("SELECT COUNT(*) FROM person").fetchone()[0]


def test_copy_in_and_out(tmp_path, postgres_url, capsys):
    source = town(tmp_path / "a.sqlite", "甲镇", "431199101", 5)
    capsys.readouterr()
    assert main(["db", "copy", "--from", str(source), "--to", postgres_url]) == 0
    said = capsys.readouterr().out
    assert "甲镇（431199101）" in said and "120人" in said and "核对一致" in said
    assert persons(postgres_url) == 120
    assert main(["db", "copy", "--from", str(source), "--to", postgres_url]) == 0
    assert "内容完全相同" in capsys.readouterr().out
    back = tmp_path / "back.sqlite"
    assert main(["db", "copy", "--from", postgres_url, "--township", "431199101", "--to", str(back)]) == 0
    assert persons(back) == 120


def test_refusal_exits_non_zero_with_nothing_written(tmp_path, postgres_url, capsys):
    first = town(tmp_path / "a.sqlite", "甲镇", "431199101", 5)
    twin = town(tmp_path / "b.sqlite", "乙镇", "431199102", 5)  # the same persons under another township
    assert main(["db", "copy", "--from", str(first), "--to", postgres_url]) == 0
    capsys.readouterr()
    assert main(["db", "copy", "--from", str(twin), "--to", postgres_url]) == 1
    err = capsys.readouterr().err
    assert "身份证号" in err and "没有写入任何数据" in err
    assert persons(postgres_url) == 120


def test_out_of_a_file_needs_no_server(tmp_path, capsys):
    source = town(tmp_path / "a.sqlite", "甲镇", "431199101", 5)
    assert main(["db", "copy", "--from", str(source), "--to", str(tmp_path / "copy.sqlite")]) == 0
    assert persons(tmp_path / "copy.sqlite") == 120
    assert main(["db", "copy", "--from", str(source), "--to", str(tmp_path / "copy.sqlite")]) == 1
    assert "已经存在" in capsys.readouterr().err


def test_the_command_line_says_in_chinese_that_the_server_has_no_such_database(postgres_server, capsys):
    url = postgres_server.url_for("no_such_county")
    assert main(["--db", url, "check"]) != 0
    said = capsys.readouterr()
    assert "没有名为 no_such_county 的数据库。请检查数据库名" in said.out + said.err
    assert "does not exist" not in said.out + said.err  # libpq's English stays out


def test_replace_a_township_brought_back_changed(tmp_path, postgres_url, capsys):
    source = town(tmp_path / "a.sqlite", "甲镇", "431199101", 5)
    assert main(["db", "copy", "--from", str(source), "--to", postgres_url]) == 0
    with sqlite3.connect(source) as conn:
        conn.execute("UPDATE person SET phone = '13900000000' WHERE id = 1")
    capsys.readouterr()
    assert main(["db", "copy", "--from", str(source), "--to", postgres_url]) == 1
    assert "内容和要迁入的不一样" in capsys.readouterr().err
    assert main(["db", "copy", "--from", str(source), "--to", postgres_url, "--replace"]) == 0
    out = capsys.readouterr().out
    assert "已删除" in out and "120人" in out and "已把甲镇（431199101）" in out
    assert persons(postgres_url) == 120
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT COUNT(*) FROM person WHERE phone = '13900000000'").fetchone()[0] >= 1
