import sqlite3

import pytest

from desktop_app.services.ledger import check_file
from desktop_app.store.db import LedgerOpenError, close_database


def test_healthy_demo_ledger_passes(demo_ledger, ledger_path):
    close_database()
    report = check_file(ledger_path)
    assert report.ok, report.problems
    assert report.schema_version >= 2


def corrupt_a_page(path, page_no=None):
    """Overwrite one b-tree page of the person table with garbage, as a bad sector would."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'person'").fetchone()[0]
    conn.close()
    page = page_no or root
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * page_size + 8)
        handle.write(b"\xde\xad\xbe\xef" * (page_size // 8))


@pytest.mark.sqlite_only  # a bad sector in the file; the server keeps its own pages
def test_damaged_file_is_reported(demo_ledger, ledger_path):
    close_database()
    corrupt_a_page(ledger_path)
    report = check_file(ledger_path)
    assert not report.ok
    assert any("完整性" in p or "损坏" in p for p in report.problems)


def test_not_a_ledger(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("这不是数据库", encoding="utf-8")
    report = check_file(path)
    assert not report.ok and "不是台账文件" in report.problems[0]


def test_missing_file(tmp_path):
    with pytest.raises(LedgerOpenError, match="不存在"):
        check_file(tmp_path / "nothing.sqlite")
