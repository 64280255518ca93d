"""A county database holding three demo townships (``demo --townships 3`` on a PostgreSQL
database) serves the command line's summary and person search and the window's dashboard.

PostgreSQL only (a county database is a server database); skipped without the fixture's cluster.
"""

from __future__ import annotations

import psycopg
import pytest
from python_calamine import CalamineWorkbook

from desktop_app.cli.main import main
from desktop_app.services import statistics
from desktop_app.services.demo_county import DEMO_TOWNSHIPS, generate_demo_county
from desktop_app.services.ledger import ServiceError
from desktop_app.services.persons import PersonQuery, count_persons, person_rows
from desktop_app.services.townships import townships
from desktop_app.store.db import close_database, open_database
from desktop_app.ui.app import make_application
from desktop_app.ui.dashboard import DashboardWidget

PERSONS = 150
YEAR = 2025


def read(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


@pytest.fixture
def county(postgres_url, capsys):
    assert main(["--db", postgres_url, "demo", "--townships", "3", "--persons", str(PERSONS),
                 "--year", str(YEAR)]) == 0
    out = capsys.readouterr().out
    for name, code, _area in DEMO_TOWNSHIPS[:3]:
        assert f"{name} {code}: {PERSONS} persons" in out
    return postgres_url


def test_three_townships_each_with_its_own_codes(county):
    with psycopg.connect(county) as conn:
        towns = conn.execute("SELECT code, name FROM region WHERE level = 'township' ORDER BY code").fetchall()
        areas = conn.execute("SELECT DISTINCT substr(id_number, 1, 6) FROM person ORDER BY 1").fetchall()
        persons = conn.execute("SELECT COUNT(*) FROM person").fetchone()[0]
    assert towns == [(code, name) for name, code, _area in DEMO_TOWNSHIPS[:3]]
    assert [a for (a,) in areas] == sorted(area for _n, _c, area in DEMO_TOWNSHIPS[:3])
    assert persons == 3 * PERSONS


def test_the_cli_summary_covers_the_county_and_one_township(county, tmp_path):
    out = tmp_path / "county.xlsx"
    assert main(["--db", county, "export", "summary", str(out), "--year", str(YEAR)]) == 0
    rows = read(out)
    assert rows[2][:2] == ["乡镇(街道)", "村(社区)"]
    subtotals = [r[0] for r in rows[3:] if r[1] == "合计" and r[0] != "全县"]
    assert subtotals == [name for name, _c, _a in DEMO_TOWNSHIPS[:3]]
    assert rows[-1][:3] == ["全县", "合计", 3 * PERSONS]

    one = tmp_path / "one.xlsx"
    name, code, _area = DEMO_TOWNSHIPS[1]
    assert main(["--db", county, "export", "summary", str(one), "--year", str(YEAR), "--township", code]) == 0
    rows = read(one)
    assert rows[0][0].startswith(name) and rows[2][0] == "村(社区)"
    assert rows[-1][:2] == ["合计", PERSONS]


def test_the_cli_roster_names_each_township_and_exports_one_alone(county, tmp_path):
    names = [name for name, _c, _a in DEMO_TOWNSHIPS[:3]]
    whole = tmp_path / "roster.xlsx"
    assert main(["--db", county, "export", "roster", str(whole), "--year", str(YEAR)]) == 0
    rows = read(whole)
    assert rows[0][0] == f"全县{YEAR}年度参保台账"  # no county region above them: never the first township's name
    town = rows[2].index("乡镇(街道)")
    body = rows[3:-1]
    assert len(body) == 3 * PERSONS
    assert sorted({r[town] for r in body}) == sorted(names)
    for name, code, area in DEMO_TOWNSHIPS[:3]:
        one = tmp_path / f"{code}.xlsx"
        assert main(["--db", county, "export", "roster", str(one), "--year", str(YEAR), "--township", code]) == 0
        rows = read(one)
        assert rows[0][0].startswith(name)
        ids = rows[2].index("公民身份号码")
        body = rows[3:-1]
        assert len(body) == PERSONS
        assert {r[town] for r in body} == {name}
        assert {r[ids][:6] for r in body} == {area}  # each demo township's own ID area


def test_an_unknown_township_is_refused_on_the_command_line(county, tmp_path, capsys):
    assert main(["--db", county, "export", "summary", str(tmp_path / "x.xlsx"), "--township", "431199109"]) == 1
    assert "没有乡镇代码为“431199109”" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_search_and_payments_find_a_person_of_each_township(county, capsys):
    open_database(county)
    try:
        for town in townships():
            with psycopg.connect(county) as conn:
                number, name = conn.execute(
                    "SELECT p.id_number, p.name FROM person p JOIN household h ON h.id = p.household_id"
                    " JOIN region v ON v.id = h.village_id WHERE v.parent_id = %s ORDER BY p.id LIMIT 1",
                    (town.id,)).fetchone()
            query = PersonQuery(year=YEAR, search=number[-8:])
            assert count_persons(query) >= 1
            assert number in {r.id_number for r in person_rows(query, 0, 50)}
            assert any(r.name == name for r in person_rows(PersonQuery(year=YEAR, search=name), 0, 200))
    finally:
        close_database()
    assert main(["--db", county, "payments", number]) == 0  # the CLI finds a county person by ID


def test_the_window_dashboard_picks_each_township(qtbot, county):
    open_database(county)
    try:
        make_application()
        widget = DashboardWidget()
        qtbot.addWidget(widget)
        widget.show()
        with qtbot.waitSignal(widget.refreshed, timeout=30000):
            widget.refresh(YEAR)
        assert widget.township_picker.isVisible() and widget.township_picker.count() == 4
        assert widget.figures.total.total == 3 * PERSONS
        for index, town in enumerate(townships(), start=1):
            with qtbot.waitSignal(widget.refreshed, timeout=30000):
                widget.township_picker.setCurrentIndex(index)
                widget.township_picker.activated.emit(index)
            assert widget.township_id == town.id
            assert widget.figures.total.total == PERSONS
            assert widget.figures == statistics.dashboard(YEAR, town.id)
    finally:
        close_database()


def test_a_file_cannot_hold_a_demo_county(tmp_path):
    with pytest.raises(ServiceError, match="服务器"):
        generate_demo_county(str(tmp_path / "x.sqlite"), 3)
