"""Shared fixtures: every test works in its own temp folder, never in the user's data folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.store.db import close_database, open_database
from desktop_app.store.paths import DATA_DIR_ENV

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
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.sqlite"


@pytest.fixture
def ledger(ledger_path: Path):
    """A fresh, empty ledger file, open and bound to the models."""
    database = open_database(ledger_path)
    yield database
    close_database()


@pytest.fixture
def demo_ledger(ledger):
    """A ledger holding a small demo township (500 persons, seed 7)."""
    from desktop_app.services.demo import DemoOptions, generate_demo

    generate_demo(DemoOptions(persons=500, seed=7, today=DEMO_TODAY))
    return ledger
