"""The 操作日志 at the edges: who really did it, every write recorded, and proof it was not rewritten.

The chain is re-verified here with the recipe written out a second time (as the README gives it
to a county), not with the program's own function, so a change of the recipe cannot go unseen.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from desktop_app.cli.main import main
from desktop_app.resources import resource
from desktop_app.services import access, audit, importing, operators, payments, policy_load
from desktop_app.services.ledger import check_file, set_setting
from desktop_app.store.db import close_database
from desktop_app.store.models import Enrollment, db
from tests.exchange.xch_builders import build_csv
from tests.raw_ledger import raw_sql
from tests.services.test_imports import pid

ZEROS = "0" * 64
FIELDS = 'id, at, operator, source, action, "table", record_id, old_value, new_value, prev_hash'


def recipe(fields: list) -> str:
    """The README's recipe: SHA-256 of the UTF-8 JSON array of the ten fields, no spaces."""
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def chain_holds(rows: list[list]) -> bool:
    """rows: the ten fields then entry_hash, oldest first."""
    prev = ZEROS
    for *fields, stored in rows:
        if fields[-1] != prev or recipe(fields) != stored:
            return False
        prev = stored
    return True


def trail(path: Path) -> list[list]:
    return raw_sql(path, f"SELECT {FIELDS}, entry_hash FROM audit_entry ORDER BY id")


def _pay_one() -> None:
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    payments.record_payment(payments.PaymentInput(unpaid.person_id, 2025, unpaid.due_fen, dt.date(2024, 10, 1)))


def _sql(path: Path, *statements: str) -> None:
    raw_sql(path, *statements)  # as another tool would, on either engine


# --- the chain -------------------------------------------------------------------------------------


def test_every_entry_is_chained_by_the_published_recipe(demo_ledger, ledger_path):
    _pay_one()
    set_setting("default_year", "2025")
    close_database()
    rows = trail(ledger_path)
    assert len(rows) >= 3
    assert rows[0][9] == ZEROS  # the first entry links to 64 zeros
    assert chain_holds(rows)
    assert check_file(ledger_path).ok


def test_an_altered_entry_is_named_by_check(demo_ledger, ledger_path):
    _pay_one()
    _pay_one()
    close_database()
    payment_entry = trail(ledger_path)[-2][0]
    _sql(ledger_path, f"UPDATE audit_entry SET operator = '别人' WHERE id = {payment_entry}")
    problems = check_file(ledger_path).problems
    assert problems == [f"操作日志第{payment_entry}条：内容与校验值不符，这条记录写入后被改动过"]


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(demo_ledger, ledger_path):
    _pay_one()
    _pay_one()
    close_database()
    *_, second, last = trail(ledger_path)
    forged = [*second[:8], '{"amount_fen": 1}', second[9]]  # new_value, with a hash to match
    _sql(ledger_path, f"UPDATE audit_entry SET new_value = '{forged[8]}', entry_hash = '{recipe(forged)}'"
                      f" WHERE id = {second[0]}")
    problems = check_file(ledger_path).problems
    assert len(problems) == 1 and problems[0].startswith(f"操作日志第{last[0]}条：与前一条记录接不上")


def test_a_deleted_entry_and_an_inserted_one_are_named(demo_ledger, ledger_path):
    for _ in range(3):
        _pay_one()
    close_database()
    ids = [row[0] for row in trail(ledger_path)]
    _sql(ledger_path, f"DELETE FROM audit_entry WHERE id = {ids[-2]}")
    assert check_file(ledger_path).problems == [
        f"操作日志第{ids[-1]}条：与前一条记录接不上：第{ids[-3]}条与这一条之间有记录被删除、插入或改写"]
    _sql(ledger_path, f"INSERT INTO audit_entry (id, at, action, \"table\") VALUES ({ids[-2]}, '2025-01-01', 'x', 'y')")
    assert check_file(ledger_path).problems == [f"操作日志第{ids[-2]}条：没有校验值，不是本程序写入的记录（可能被人为插入）"]


def test_the_oldest_entries_deleted_are_named(demo_ledger, ledger_path):
    _pay_one()
    close_database()
    first, second = trail(ledger_path)[:2]
    _sql(ledger_path, f"DELETE FROM audit_entry WHERE id = {first[0]}")
    assert check_file(ledger_path).problems == [
        f"操作日志第{second[0]}条：与前一条记录接不上：最早的记录之前有记录被删除、插入或改写"]


def test_the_exported_trail_re_verifies_alone_and_ends_with_the_head_hash(demo_ledger, tmp_path):
    _pay_one()
    set_setting("default_year", "2025")  # the value is text that looks like a number
    set_setting("note", "第一行\r\n\t第二行\x01")  # Windows line ends and a control character survive
    written = audit.export_trail(tmp_path / "trail.xlsx")
    head_id, head_hash = audit.head(db.connection())
    # read as Excel, WPS and calamine read it (openpyxl leaves the _x000D_ escapes undone)
    values = CalamineWorkbook.from_path(str(tmp_path / "trail.xlsx")).get_sheet_by_index(0).to_python()
    header = values.index(list(audit.EXPORT_HEADERS))
    *entries, last = values[header + 1:]
    assert written == len(entries) == head_id
    assert last[1].startswith(audit.HEAD_LABEL) and last[-1] == head_hash
    # an empty cell is the empty string; 序号 is the integer id
    rows = [[int(r[0]), *("" if v is None else str(v) for v in r[1:])] for r in entries]
    assert rows[-1][8] == "第一行\r\n\t第二行\x01"
    assert chain_holds(rows)
    assert rows[-1][-1] == head_hash


def test_an_empty_trail_exports_only_its_head(ledger, tmp_path):
    assert audit.export_trail(tmp_path / "empty.xlsx") == 0
    values = CalamineWorkbook.from_path(str(tmp_path / "empty.xlsx")).get_sheet_by_index(0).to_python()
    assert values[-1][-1] == ZEROS


# --- who did it ------------------------------------------------------------------------------------


def _newest() -> tuple[str, str, str]:
    row = db.execute_sql("SELECT operator, source, action FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    return tuple(row)


def test_the_window_names_the_logged_in_operator_and_nobody_without_one(ledger):
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    assert _newest() == ("", "gui", "create")  # the first administrator: nobody was logged in
    operators.log_in("王站长", "admin-pass")
    set_setting("default_year", "2025")
    assert _newest() == ("王站长", "gui", "update")
    access.end_session()
    set_setting("default_year", "2024")
    assert _newest() == ("", "gui", "update")  # not the operator who logged out


def test_the_command_line_names_the_os_user_and_says_so(tmp_path):
    path = tmp_path / "cli.sqlite"
    assert main(["--db", str(path), "init", "--township", "青山镇"]) == 0
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT operator, source FROM audit_entry").fetchall()
    conn.close()
    assert rows == [(getpass.getuser(), "cli")]


# --- every write recorded, with what it was about ------------------------------------------------------


def test_an_import_entry_names_kind_file_fingerprint_and_counts(ledger, tmp_path):
    rows = [["姓名", "身份证号", "户编号", "与户主关系", "村(社区)"],
            ["钱八", pid(20), "H020", "户主", "东山村"], ["钱九", pid(21), "H020", "子", "东山村"]]
    path = build_csv(tmp_path / "花名册.csv", rows)
    importing.apply(importing.plan("roster", path, year=2025))
    entry = db.execute_sql(
        "SELECT \"table\", record_id, new_value FROM audit_entry WHERE action = 'import'").fetchall()
    assert len(entry) == 1
    kind, name, new = entry[0]
    new = json.loads(new)
    assert (kind, name, new["kind"]) == ("roster", "花名册.csv", "roster")
    assert new["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (new["new"], new["updated"], new["rejected"]) == (2, 0, 0)


def test_a_policy_load_entry_names_file_fingerprint_and_what_it_changed(demo_ledger, tmp_path):
    text = resource("policies", "2025.toml").read_text(encoding="utf-8")
    path = tmp_path / "2025-variant.toml"
    path.write_text(text.replace("amount = 200", "amount = 260", 1), encoding="utf-8")
    result = policy_load.load_policy(path)
    action, old, new = db.execute_sql(
        "SELECT action, old_value, new_value FROM audit_entry WHERE \"table\" = 'policy_year' ORDER BY id DESC"
        " LIMIT 1").fetchone()
    new = json.loads(new)
    assert action == "replace" and old  # the text it replaced
    assert new["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() and new["file"] == str(path)
    assert new["enrollments_changed"] == result.enrollments_changed > 0
    assert new["text"] == path.read_text(encoding="utf-8")


def test_clearing_wrong_passwords_at_log_in_is_recorded(ledger):
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    with pytest.raises(operators.LoginRefused):
        operators.log_in("王站长", "wrong-pass")
    operators.log_in("王站长", "admin-pass")
    row = db.execute_sql(
        "SELECT action, old_value, new_value FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    assert row == ("login-reset", '{"failures": 1}', '{"failures": 0}')


def test_deactivating_an_operator_records_what_it_was(ledger):
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    clerk = operators.create_operator("李会计", "clerk-pass", access.CLERK)
    operators.set_active(clerk, False)
    assert db.execute_sql("SELECT old_value, new_value FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone() == (
        '{"active": true}', '{"active": false}')


def test_entries_of_work_rolled_back_are_not_in_the_chain(ledger):
    """An entry goes with the work it records: a savepoint rolled back (or the whole transaction)
    takes its entries away, on PostgreSQL too, where they are appended only at the commit."""
    before = audit.count_entries()
    with db.atomic():
        audit.record("kept first", "setting", "a")
        with contextlib.suppress(RuntimeError), db.atomic():
            audit.record("undone", "setting", "b")
            raise RuntimeError("this part is rolled back")
        audit.record("kept second", "setting", "c")
    with contextlib.suppress(RuntimeError), db.atomic():
        audit.record("undone too", "setting", "d")
        raise RuntimeError("all of it is rolled back")
    newest = [entry[3] for entry in audit.entries(0, audit.count_entries() - before)]
    assert newest == ["kept second", "kept first"]
    assert audit.verify_chain(db.connection()) is None


def test_the_trail_read_inside_a_transaction_holds_its_own_entries(ledger):
    """A reader inside the transaction (a work package's base takes the head) sees the entries
    written so far, on PostgreSQL too, where they would otherwise wait for the commit."""
    with db.atomic():
        audit.record("first", "setting", "a")
        newest, _hash = audit.head(db.connection())
        assert audit.entries(0, 1)[0][3] == "first"
        with contextlib.suppress(RuntimeError), db.atomic():
            audit.record("undone", "setting", "b")
            raise RuntimeError("this part is rolled back")
        audit.record("second", "setting", "c")
    assert [entry[3] for entry in audit.entries(0, 2)] == ["second", "first"]
    assert audit.head(db.connection())[0] == newest + 1
    assert audit.verify_chain(db.connection()) is None
