"""Connecting to a ledger on PostgreSQL: what the URL may carry, what the connection refuses,
and the file's habits the server ledger keeps (after_transaction) or replaces."""

from __future__ import annotations

import pytest
from peewee import InternalError, ProgrammingError

from desktop_app.store.db import close_database, is_read_only, open_database
from desktop_app.store.errors import LedgerOpenError
from desktop_app.store.marks import change_mark
from desktop_app.store.models import Setting, db


@pytest.mark.parametrize("url, said", [
    ("postgresql://clerk:secret@db.example/ledger", "不能写密码"),
    ("postgresql://clerk@db.example/ledger?password=secret", "不能写密码"),
    ("postgresql://clerk@db.example/", "没有写数据库名"),
])
def test_a_url_with_a_password_or_without_a_database_is_refused_before_connecting(url, said):
    with pytest.raises(LedgerOpenError, match=said):
        open_database(url)


def test_a_server_that_is_not_there_is_said_in_chinese(tmp_path):
    url = f"postgresql://ledger@{str(tmp_path).replace('/', '%2F')}/ledger"
    with pytest.raises(LedgerOpenError, match="连接单位服务器上的台账“ledger@.*”失败"):
        open_database(url)


def test_after_transaction_runs_after_a_rollback_on_postgresql_too(postgres_url):
    database = open_database(postgres_url)
    ran = []
    with pytest.raises(RuntimeError):
        with db.atomic():
            Setting.create(key="k", value="v")
            database.after_transaction(lambda: ran.append(Setting.select().count()))
            raise RuntimeError("refused")
    assert ran == [0]  # after the rollback, outside the transaction


def test_read_only_refuses_every_write(postgres_url, monkeypatch):
    from desktop_app.store import schema_check_pg

    monkeypatch.setattr(schema_check_pg, "_cache", {})  # as in a fresh program: the reference is built now
    open_database(postgres_url, read_only=True)
    assert is_read_only()
    with pytest.raises((InternalError, ProgrammingError), match="read-only"):
        Setting.create(key="k", value="v")


def test_an_empty_database_is_not_a_ledger_for_a_command_that_only_reads(postgres_server):
    with postgres_server.admin() as conn:
        conn.execute('DROP DATABASE IF EXISTS "ledger_test_empty" WITH (FORCE)')
        conn.execute('CREATE DATABASE "ledger_test_empty"')
    url = postgres_server.url_for("ledger_test_empty")
    try:
        with pytest.raises(LedgerOpenError, match="还没有台账"):
            open_database(url, create=False)
        assert change_mark(url) == (url, 0, None)
    finally:
        postgres_server.drop(url)


def test_the_change_mark_of_a_server_ledger_moves_with_a_commit(postgres_url):
    database = open_database(postgres_url)
    before = change_mark(postgres_url)
    assert before is not None and before[1] > 0
    database.execute_sql("INSERT INTO audit_entry (at, action, \"table\") VALUES (now(), 'x', 'y')")
    assert change_mark(postgres_url) != before
    close_database()


def test_a_server_ledger_written_out_is_a_ledger_file_that_opens_anywhere(postgres_url, tmp_path):
    from desktop_app.store.models import AuditEntry, Household, Operator, Region
    from desktop_app.store.portable import write_portable_ledger

    database = open_database(postgres_url)
    village = Region.create(name="东山村", code="431199101201", level="village")
    Household.create(number="4311991012010001", village=village)
    Operator.create(name="王站长", role="admin", active=False)
    AuditEntry.create(action="create", table="region", record_id=str(village.id))
    target = tmp_path / "out.sqlite"
    counts = write_portable_ledger(database, target)
    close_database()
    assert counts["region"] == 1 and counts["household"] == 1 and counts["audit_entry"] == 1
    open_database(target)  # the file's schema check and lock, as any ledger file
    assert Household.get().village.name == "东山村"
    assert Operator.get().active is False
    assert AuditEntry.get().at == AuditEntry.get().at.replace(microsecond=0)
