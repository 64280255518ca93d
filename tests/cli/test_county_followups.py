"""``followups`` on a county database (several townships side by side, villages of the same name
in more than one): each row names its township, ``--township CODE`` keeps one township's rows,
and a village name two townships hold is refused unless the township is named.

The county is made as in tests/services/test_county_views.py: the demo's last two villages moved
under a second township (both engines).
"""

from __future__ import annotations

import pytest

from desktop_app.cli.followup_commands import LISTS
from desktop_app.cli.main import main
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import Household, Person, Region
from tests.cli.test_followup_commands import SERVICE, cli_json, db, service_rows  # noqa: F401 - db: the fixture
from tests.services.test_county_views import SECOND, add_second_township


@pytest.fixture
def county(db):  # noqa: F811 - the fixture imported above
    """The demo of test_followup_commands as a county: a second township, and a village of the
    second township named as one of the first's (so a name alone is ambiguous)."""
    open_database(db, create=False)
    try:
        second = add_second_township()
        first_village = Region.get((Region.level == "village") & (Region.parent != second.id))
        Region.create(name=first_village.name, level="village", parent=second)
        towns = {p.id_number: v.parent.name for p, v in (
            (p, p.household.village) for p in Person.select(Person, Household).join(Household))}
    finally:
        close_database()
    return db, towns, first_village.name


@pytest.mark.parametrize("name", sorted(SERVICE))
def test_each_row_names_its_own_township(county, capsys, name):
    path, towns, _twin = county
    expected = service_rows(path, name)
    shown = cli_json(path, capsys, name)
    assert [(r["id_number"], r["village"]) for r in shown] == [(e[0], e[2]) for e in expected]
    assert list(shown[0]) == ["township", *(c.key for c in LISTS[name].columns)]
    assert all(r["township"] == towns[r["id_number"]] for r in shown)


@pytest.mark.parametrize("name", sorted(SERVICE))
def test_one_township_alone(county, capsys, name):
    path, towns, _twin = county
    everyone = service_rows(path, name)
    shown = cli_json(path, capsys, name, "--township", SECOND[1])
    assert [r["id_number"] for r in shown] == [e[0] for e in everyone if towns[e[0]] == SECOND[0]]
    assert shown or name == "late", "the second township has rows in this list"
    assert "township" not in (shown[0] if shown else {})  # one township: as its own laptop prints it


def test_a_village_two_townships_hold_needs_the_township(county, capsys):
    path, towns, twin = county
    assert main(["--db", str(path), "followups", "unpaid", "--village", twin]) == 1
    assert f"有几个乡镇都有“{twin}”" in capsys.readouterr().err
    shown = cli_json(path, capsys, "unpaid", "--village", twin, "--township", "431199101")
    assert shown and {towns[r["id_number"]] for r in shown} == {"青山镇"}
    assert cli_json(path, capsys, "unpaid", "--village", twin, "--township", SECOND[1]) == []
