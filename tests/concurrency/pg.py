"""A PostgreSQL ledger for these tests: a fresh database on the server named by
``LEDGER_TEST_POSTGRES`` (a libpq conninfo such as ``host=/tmp/pgsql port=55433 user=postgres``),
the models' tables made in it, bound like :func:`desktop_app.store.db.open_database` binds a file."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest

from desktop_app.store import dialect
from desktop_app.store.models import ALL_MODELS, db

ENV = "LEDGER_TEST_POSTGRES"


class PgLedger(dialect.PortablePostgresqlDatabase):
    """The ledger's ``after_transaction`` on PostgreSQL (see LedgerDatabase)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._after = threading.local()

    def _callbacks(self) -> list[Callable[[], None]]:
        if not hasattr(self._after, "callbacks"):
            self._after.callbacks = []
        return self._after.callbacks

    def after_transaction(self, fn: Callable[[], None]) -> None:
        if not self.in_transaction():
            fn()
        else:
            self._callbacks().append(fn)

    def _run(self) -> None:
        callbacks = self._callbacks()
        if callbacks and not self.in_transaction():
            todo, callbacks[:] = list(callbacks), []
            for fn in todo:
                fn()

    def commit(self) -> object:
        done = super().commit()
        self._run()
        return done

    def rollback(self) -> object:
        try:
            return super().rollback()
        finally:
            self._run()


def server() -> str:
    conninfo = os.environ.get(ENV, "")
    if not conninfo:
        pytest.skip(f"no PostgreSQL server for the tests ({ENV} not set)")
    return conninfo


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new empty database on the test server; its conninfo; dropped afterwards."""
    base = server()
    name = f"ledger_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8')
    try:
        yield f"{base} dbname={name}"
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bind(conninfo: str) -> PgLedger:
    database = PgLedger(conninfo)
    database.connect()
    db.initialize(database)
    return database


def make_schema(database: PgLedger) -> None:
    """The models' tables, with the column defaults the migrations give (raw INSERTs rely on them)."""
    database.create_tables(ALL_MODELS)
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            default = field.default
            if default is None or callable(default):
                if callable(default):
                    database.execute_sql(f'ALTER TABLE "{model._meta.table_name}" ALTER COLUMN'
                                         f' "{field.column_name}" SET DEFAULT LOCALTIMESTAMP(0)')
                continue
            literal = ("TRUE" if default else "FALSE") if isinstance(default, bool) else (
                str(default) if isinstance(default, int) else "'" + str(default).replace("'", "''") + "'")
            database.execute_sql(f'ALTER TABLE "{model._meta.table_name}" ALTER COLUMN'
                                 f' "{field.column_name}" SET DEFAULT {literal}')
