"""``import roster FILE --township CODE`` on a county database (issue 18): the roster's villages
are found and made in that township; without ``--township`` a county roster is refused, naming
the township codes there, and nothing is written. Both engines (tests/conftest.py)."""

from __future__ import annotations

import pytest

from desktop_app.cli.main import main
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import Household, Person, Region
from tests.exchange.xch_builders import build_xlsx
from tests.services.test_county_views import SECOND, add_second_township
from tests.services.test_imports import pid, village_sheet


@pytest.fixture
def county(ledger_path):
    """A demo county: a second township holding a village named as one of the first's."""
    assert main(["--db", str(ledger_path), "demo", "--persons", "200", "--seed", "5"]) == 0
    open_database(ledger_path, create=False)
    try:
        second = add_second_township()
        twin = Region.get((Region.level == "village") & (Region.parent != second.id)).name
        Region.create(name=twin, level="village", parent=second)
    finally:
        close_database()
    return ledger_path, twin


def a_roster(tmp_path, village):
    people = [[1, "甲新人", pid(9, year=1932), "T8001", "户主", "", ""]]
    return build_xlsx(tmp_path / "roster.xlsx", [village_sheet(village, people)])


def placed(path):
    """(village name, its township's code) of the household the roster brings, or None."""
    open_database(path, create=False)
    try:
        home = Household.get_or_none(Household.number == "T8001")
        return None if home is None else (home.village.name, home.village.parent.code)
    finally:
        close_database()


def persons(path):
    open_database(path, create=False)
    try:
        return Person.select().count()
    finally:
        close_database()


def test_import_township_puts_the_roster_into_that_townships_village(county, tmp_path, capsys):
    path, twin = county
    roster = a_roster(tmp_path, twin)
    assert main(["--db", str(path), "import", "roster", str(roster), "--year", "2025", "--township", SECOND[1]]) == 0
    assert "1 new" in capsys.readouterr().out
    assert placed(path) == (twin, SECOND[1])


def test_import_without_township_in_a_county_is_refused(county, tmp_path, capsys):
    path, twin = county
    before = persons(path)
    assert main(["--db", str(path), "import", "roster", str(a_roster(tmp_path, twin)), "--year", "2025"]) == 1
    err = capsys.readouterr().err
    assert "--township" in err and SECOND[1] in err and "431199101" in err
    assert placed(path) is None and persons(path) == before


def test_import_with_an_unknown_township_is_refused(county, tmp_path, capsys):
    path, twin = county
    assert main(["--db", str(path), "import", "roster", str(a_roster(tmp_path, twin)), "--township", "431199777"]) == 1
    assert "431199777" in capsys.readouterr().err
    assert placed(path) is None
