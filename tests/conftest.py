"""Shared fixtures: every test works in its own temp folder, never in the user's data folder.

Two engines. ``ledger`` and ``ledger_path`` run on a SQLite file, and, in the suites listed in
:data:`POSTGRES_SUITES`, also on PostgreSQL: each such test runs twice, ``[sqlite]`` and
``[postgresql]``. On PostgreSQL ``ledger_path`` is the URL of an empty migrated database
(``postgresql://ledger@…/ledger_test_…``, emptied after each test), which
``open_database``/``open_ledger`` take like a path. The server is a throwaway cluster started
for the session (tests/postgres_cluster.py), or the one named by ``LEDGER_TEST_POSTGRES_URL``.
Without PostgreSQL the ``[postgresql]`` runs skip; with ``LEDGER_REQUIRE_POSTGRES=1`` (CI sets
it) they fail instead.

Run one test on PostgreSQL only:  ``pytest tests/services/test_x.py -k postgresql``
(or on a suite not listed yet: ``LEDGER_POSTGRES_SUITES=tests/services/test_x.py pytest
tests/services/test_x.py -k postgresql``). A test about the SQLite file itself (its pragmas,
lock file, WAL, backup API, permissions) is marked ``@pytest.mark.sqlite_only``. A test that reads
or tampers with the ledger behind the program's back uses ``tests/raw_ledger.raw_sql`` (either
engine), never ``sqlite3.connect(ledger_path)``; and never ``Path(ledger_path)`` (a URL folds).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from desktop_app.store.db import close_database, open_database
from desktop_app.store.paths import DATA_DIR_ENV
from tests.postgres_cluster import (
    ClusterUnavailable,
    PostgresServer,
    existing_server,
    start_cluster,
)

#: Test files and folders (from the repository root) whose ledger tests also run on PostgreSQL.
#: The issue wants store, services, cli and concurrency; a suite joins once it passes there.
POSTGRES_SUITES: tuple[str, ...] = (
    "tests/store/",
    "tests/services/",
    "tests/cli/",  # the tests taking ``ledger_path`` (the others are about arguments and files)
    "tests/concurrency/",
    "tests/ui/test_stale_edit_ui.py",  # a clerk's form refused after another clerk's change
)
REQUIRE_POSTGRES = os.environ.get("LEDGER_REQUIRE_POSTGRES") == "1"
ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself; never run on PostgreSQL")


def _postgres_suites() -> tuple[str, ...]:
    extra = tuple(p for p in os.environ.get("LEDGER_POSTGRES_SUITES", "").split(os.pathsep) if p)
    return POSTGRES_SUITES + extra


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``ledger_engine`` is [sqlite, postgresql] in the suites on both engines, else sqlite."""
    if "ledger_engine" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    where = Path(str(metafunc.definition.fspath)).resolve().relative_to(ROOT).as_posix()
    if any(where == suite or where.startswith(suite) for suite in _postgres_suites()):
        metafunc.parametrize("ledger_engine", ["sqlite", "postgresql"], indirect=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """With LEDGER_REQUIRE_POSTGRES=1 a skipped PostgreSQL run is a failure (CI)."""
    outcome = yield
    report = outcome.get_result()
    callspec = getattr(item, "callspec", None)
    if (REQUIRE_POSTGRES and report.skipped and callspec is not None
            and callspec.params.get("ledger_engine") == "postgresql"
            and not hasattr(report, "wasxfail")):
        report.outcome = "failed"
        report.longrepr = f"PostgreSQL run skipped but LEDGER_REQUIRE_POSTGRES=1: {report.longrepr}"


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory):
    """A PostgreSQL server with a migrated template database, for the session."""
    url = os.environ.get("LEDGER_TEST_POSTGRES_URL")
    try:
        server: PostgresServer = existing_server(url) if url else start_cluster()
    except (ClusterUnavailable, OSError, Exception) as exc:  # noqa: BLE001 - any reason: skip or fail
        message = f"PostgreSQL not available: {exc}"
        if REQUIRE_POSTGRES:
            pytest.fail(message)
        pytest.skip(message)
    home = tmp_path_factory.mktemp("pg-template-home")
    previous = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(home)
    try:
        server.make_template(_migrate_template)
    finally:
        if previous is None:
            os.environ.pop(DATA_DIR_ENV, None)
        else:
            os.environ[DATA_DIR_ENV] = previous
    yield server
    server.stop()


def _migrate_template(url: str) -> None:
    database = open_database(url)
    database.close()
    close_database()


@pytest.fixture
def ledger_engine(request: pytest.FixtureRequest) -> str:
    """The engine under test: "sqlite", or "postgresql" in the suites run on both."""
    return getattr(request, "param", "sqlite")

DEMO_TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Data folder and Qt settings in a temp folder, so no test touches the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv(DATA_DIR_ENV, str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    return home


@pytest.fixture(autouse=True)
def _no_operator_session():
    """A test that logs an operator in must not leave the next one logged in."""
    from desktop_app.services import access

    yield
    access.end_session()


@pytest.fixture
def ledger_path(tmp_path: Path, ledger_engine: str, request: pytest.FixtureRequest):
    """Where the test's ledger is: a file in tmp_path, or a fresh PostgreSQL database's URL."""
    if ledger_engine != "postgresql":
        yield tmp_path / "ledger.sqlite"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.lend()  # emptied again after the test (tests/postgres_cluster.py says why)
    yield url
    close_database()
    server.give_back(url)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer):
    """A fresh, migrated PostgreSQL ledger database's URL (not opened), for PostgreSQL-only tests."""
    url = postgres_server.fresh_database()
    yield url
    close_database()
    postgres_server.drop(url)


@pytest.fixture
def ledger(ledger_path: Path):
    """A fresh, empty ledger (a file, or a PostgreSQL database), open and bound to the models."""
    database = open_database(ledger_path)
    yield database
    close_database()


@pytest.fixture
def demo_ledger(ledger):
    """A ledger holding a small demo township (500 persons, seed 7)."""
    from desktop_app.services.demo import DemoOptions, generate_demo

    generate_demo(DemoOptions(persons=500, seed=7, today=DEMO_TODAY))
    return ledger
