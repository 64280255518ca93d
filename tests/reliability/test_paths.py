"""File names that are not UTF-8: a GBK name from a Windows computer's stick or zip.

On Linux such a name reaches Python as a ``str`` with surrogate escapes. Each command works on
the file as the OS named it and shows the name readably; none ends in a ``UnicodeEncodeError``.
The commands run in a child process whose stdout is strict UTF-8, as on a zh_CN.UTF-8 desktop
(a C.UTF-8 locale hides the problem: Python then escapes what it cannot print).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli.main import main
from desktop_app.pathnames import shown
from desktop_app.resources import resource
from desktop_app.store.paths import DATA_DIR_ENV

pytestmark = pytest.mark.skipif(
    os.name != "posix" or sys.getfilesystemencoding() != "utf-8",
    reason="bytes file names: a UTF-8 POSIX file system",
)

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "u盘密码2025abc"


def gbk(folder: Path, name: str) -> Path:
    """``folder/name`` with ``name`` encoded in GBK, as Python sees it on this file system."""
    return Path(os.fsdecode(os.fsencode(folder) + b"/" + name.encode("gbk")))


def run(*args: str | Path, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, DATA_DIR_ENV: str(data), "PYTHONPATH": str(ROOT),
           "PYTHONIOENCODING": "utf-8"}  # strict, as a zh_CN.UTF-8 terminal
    result = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"desktop_app", *map(os.fsencode, args)],
        cwd=ROOT, env=env, capture_output=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    result.stdout = result.stdout.decode("utf-8")
    result.stderr = result.stderr.decode("utf-8")
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def gbk_ledger(tmp_path: Path) -> Path:
    path = gbk(tmp_path, "青山镇.sqlite")
    assert main(["--db", str(path), "demo", "--persons", "200"]) == 0
    return path


def test_shown_reads_gbk_and_replaces_what_is_not():
    name = os.fsdecode("花名册.xlsx".encode("gbk"))
    assert name != "花名册.xlsx" and shown(name) == "花名册.xlsx"
    assert shown(Path("/媒体") / name) == "/媒体/花名册.xlsx"
    assert shown(os.fsdecode(b"\xff\xfe.csv")) == "��.csv"
    assert shown("普通的名字.xlsx") == "普通的名字.xlsx"
    shown(os.fsdecode(b"\x80abc")).encode("utf-8")  # whatever it shows can be encoded


def test_import_from_a_gbk_file_name(gbk_ledger, tmp_path, data):
    roster = gbk(tmp_path, "花名册.xlsx")
    assert main(["--db", str(gbk_ledger), "export", "roster", str(roster)]) == 0
    target = tmp_path / "new.sqlite"
    assert main(["--db", str(target), "init", "--township", "青山镇"]) == 0
    assert main(["--db", str(target), "policy", "load", str(resource("policies", "2025.toml"))]) == 0
    result = run("--db", target, "import", "roster", roster, "--year", "2025", data=data)
    assert result.returncode == 0, result.stderr
    assert "200 accepted (200 new" in result.stdout
    conn = sqlite3.connect(target)
    try:
        sources = {row[0] for row in conn.execute(
            "SELECT record_id FROM audit_entry WHERE action = 'import'")}
    finally:
        conn.close()
    assert sources == {"花名册.xlsx"}


def test_export_to_a_gbk_folder_and_name(gbk_ledger, tmp_path, data):
    folder = gbk(tmp_path, "导出")
    folder.mkdir()
    out = gbk(folder, "台账.xlsx")
    result = run("--db", gbk_ledger, "export", "roster", out, data=data)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"PK")
    assert "导出/台账.xlsx" in result.stdout  # 台 is CC A8 in GBK: valid UTF-8 on its own


def test_backup_to_a_gbk_folder_and_restore_from_it(gbk_ledger, tmp_path, data):
    stick = gbk(tmp_path, "备份")
    password_file = tmp_path / "pw.txt"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    made = run("--db", gbk_ledger, "backup", "--to", stick, "--password-file", password_file,
               data=data)
    assert made.returncode == 0, made.stderr
    assert "备份/" in made.stdout
    [copy] = list(stick.iterdir())
    restored = run("--db", gbk_ledger, "restore", copy, "--password-file", password_file,
                   data=data)
    assert restored.returncode == 0, restored.stderr
    assert "青山镇.sqlite" in restored.stdout and "200人" in restored.stdout


def test_policy_load_and_check_on_a_gbk_ledger(gbk_ledger, tmp_path, data):
    policy = gbk(tmp_path, "二〇二四年政策.toml")
    policy.write_bytes(resource("policies", "2024.toml").read_bytes())
    loaded = run("--db", gbk_ledger, "policy", "load", policy, data=data)  # a backup first
    assert loaded.returncode == 0, loaded.stderr
    assert "policy 2024 loaded" in loaded.stdout
    checked = run("--db", gbk_ledger, "check", data=data)
    assert checked.returncode == 0 and "青山镇.sqlite is healthy" in checked.stdout


def test_a_mistake_in_a_gbk_named_policy_is_one_readable_line(gbk_ledger, tmp_path, data):
    policy = gbk(tmp_path, "政策.toml")
    policy.write_text("year = \n", encoding="utf-8")
    result = run("--db", gbk_ledger, "policy", "load", policy, data=data)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "政策.toml" in lines[0], result.stderr
