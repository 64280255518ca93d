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
    with pytest.raises(LedgerOpenError, match="连不上服务器 .*请检查地址和端口"):
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


def test_the_command_line_takes_a_server_url_as_its_ledger(postgres_server, capsys):
    from desktop_app.cli.main import main

    with postgres_server.admin() as conn:
        conn.execute('DROP DATABASE IF EXISTS "ledger_test_cli" WITH (FORCE)')
        conn.execute('CREATE DATABASE "ledger_test_cli"')
    url = postgres_server.url_for("ledger_test_cli")
    try:
        assert main(["--db", url, "init"]) == 0
        assert main(["--db", url, "init"]) == 0
        said = capsys.readouterr().out.splitlines()
        assert said[0].startswith(f"created an empty ledger: {url}")  # the URL as given, // kept
        assert said[1].startswith(f"ledger already existed: {url}")
        assert main(["--db", url.replace("ledger@", "ledger:secret@"), "init"]) == 1
        assert "不能写密码" in capsys.readouterr().err
    finally:
        postgres_server.drop(url)


def test_the_lent_test_database_comes_back_empty_and_remade_when_its_schema_moved(postgres_server):
    """The fixture's reuse (tests/postgres_cluster.py) must not carry one test's rows or schema
    change into the next."""
    from desktop_app.store.models import Region

    url = postgres_server.lend()
    open_database(url)
    Region.create(name="东山村", code="431199101201", level="village")
    db.obj.execute_sql("CREATE VIEW leftover AS SELECT 1")
    close_database()
    postgres_server.give_back(url)
    again = postgres_server.lend()
    open_database(again)  # the schema check would refuse the leftover view
    assert Region.select().count() == 0
    assert Region.create(name="西山村", level="village").id == 1  # identities restarted
    close_database()
    postgres_server.give_back(again)


def test_a_role_that_may_not_build_the_schema_is_told_so_not_a_traceback(postgres_server, postgres_url):
    with postgres_server.admin() as conn:
        conn.execute("DROP ROLE IF EXISTS ledger_test_reader")
        conn.execute("CREATE ROLE ledger_test_reader LOGIN")
    try:
        url = postgres_url.replace("ledger@", "ledger_test_reader@", 1)
        with pytest.raises(LedgerOpenError, match="无法打开：.*permission denied"):
            open_database(url)  # may not create the reference schema (nor read the ledger)
    finally:
        with postgres_server.admin() as conn:
            conn.execute("DROP ROLE IF EXISTS ledger_test_reader")
