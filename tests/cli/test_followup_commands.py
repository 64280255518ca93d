"""``followups``: the window's follow-up lists, the same rows as the services give, as a table,
CSV (UTF-8 with a BOM, for Excel) or JSON, for the whole township or one village."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli.followup_commands import LISTS
from desktop_app.cli.main import main
from desktop_app.domain.money import format_yuan
from desktop_app.services import followups, payments
from desktop_app.services.persons import PersonQuery, count_persons, person_rows
from desktop_app.store.db import close_database, open_database
from tests.cli.test_desk_commands import YEAR, one
from tests.policy_files import later_policy

# (list, the service's rows as (ID number, the list's own figure as the JSON shows it, village))
SERVICE = {
    "newborns": lambda: [(r.id_number, r.deadline.isoformat(), r.village) for r in followups.newborns(YEAR)],
    "late": lambda: [(r.id_number, r.waiting_months, r.village) for r in followups.late_enrollers(YEAR)],
    "refunds": lambda: [(r[2], format_yuan(r[5]), r[3]) for r in payments.refunds_owed(YEAR)],
    "unpaid": lambda: [(r.id_number, format_yuan(r.owed_fen), r.village) for r in person_rows(
        PersonQuery(YEAR, unpaid=True, sort="household"), 0, count_persons(PersonQuery(YEAR, unpaid=True)))],
}
# (confirm and breaks need two or more policy years: their own tests, at the end)
FIGURE = {"newborns": "deadline", "late": "waiting_months", "refunds": "refund", "unpaid": "owed"}


@pytest.fixture
def db(ledger_path: Path) -> Path:
    """A demo township where every list has rows: a late payment and a refund owed are made.
    (Per test, not per module: the data folder is a temporary one only inside each test.)"""
    path = ledger_path  # a file, or a PostgreSQL database's URL (tests/conftest.py)
    assert main(["--db", str(path), "demo", "--persons", "600", "--seed", "3"]) == 0
    (exempt,) = one(path, "SELECT p.id_number FROM person p JOIN enrollment e ON e.person_id = p.id"
                          " WHERE e.year = ? AND e.status = 'exempt' AND e.paid_fen = 0 LIMIT 1", YEAR)
    assert main(["--db", str(path), "pay", exempt, "--amount", "400", "--yes"]) == 0  # 事后资助: 应退
    (late,) = one(path, "SELECT p.id_number FROM person p JOIN enrollment e ON e.person_id = p.id"
                        " WHERE e.year = ? AND e.status = 'unpaid' AND p.birth_date < '2000-01-01' LIMIT 1", YEAR)
    assert main(["--db", str(path), "pay", late, "--date", "2025-06-30"]) == 0  # outside the collection period
    return path


def service_rows(db: Path, name: str) -> list[tuple]:
    open_database(db, create=False)
    try:
        return SERVICE[name]()
    finally:
        close_database()


def cli_json(db: Path, capsys, *args: str) -> list[dict]:
    assert main(["--db", str(db), "followups", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", sorted(SERVICE))
def test_json_is_what_the_service_returns(db, capsys, name):
    expected = service_rows(db, name)
    assert expected, f"the demo gives no {name}: the test would prove nothing"
    shown = cli_json(db, capsys, name)
    assert [(r["id_number"], r[FIGURE[name]], r["village"]) for r in shown] == expected
    assert all(list(r) == [c.key for c in LISTS[name].columns] for r in shown)  # stable keys, in order


@pytest.mark.parametrize("name", sorted(SERVICE))
def test_one_village_only(db, capsys, name):
    everyone = service_rows(db, name)
    village = everyone[0][2]
    shown = cli_json(db, capsys, name, "--village", village)
    assert [(r["id_number"], r[FIGURE[name]], r["village"]) for r in shown] == [r for r in everyone if r[2] == village]


def test_an_unknown_village_is_refused_with_the_villages_there_are(db, capsys):
    assert main(["--db", str(db), "followups", "unpaid", "--village", "桃花源村"]) == 1
    err = capsys.readouterr().err
    assert "桃花源村" in err and "东山村" in err


@pytest.mark.parametrize("name", sorted(SERVICE))
def test_table_has_a_header_and_one_line_per_person(db, capsys, name):
    expected = service_rows(db, name)
    assert main(["--db", str(db), "followups", name]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [c.header for c in LISTS[name].columns]
    assert [line.split()[2 if name != "unpaid" else 3] for line in lines[1:-1]] == [r[0] for r in expected]
    assert f"共{len(expected)}人" in lines[-1]


def test_csv_is_utf8_with_a_bom_and_a_header_row_for_excel(db):
    result = subprocess.run([sys.executable, "-m", "desktop_app", "--db", str(db), "followups", "newborns",
                             "--format", "csv"], capture_output=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(result.stdout.decode("utf-8-sig"))))
    assert table[0] == [c.header for c in LISTS["newborns"].columns]
    expected = service_rows(db, "newborns")
    assert [(row[2], row[4], row[0]) for row in table[1:]] == expected


def test_newborn_json_values_are_typed_for_scripts(db, capsys):
    first = cli_json(db, capsys, "newborns")[0]
    dt.date.fromisoformat(first["birth_date"])
    assert isinstance(first["days_left"], int) and isinstance(first["urgent"], bool)
    assert isinstance(first["overdue"], bool) and (not first["overdue"] or first["urgent"])
    assert first["status"] in {"unpaid", "paid", "exempt", "employee", "elsewhere", "deceased", "moved",
                               "military", "other"}


# --- the two lists that need more than one year: statuses to confirm, long runs at risk -----------

POLICIES = Path(__file__).resolve().parents[2] / "resources" / "policies"


def test_confirm_lists_a_status_carried_into_the_next_year(db, capsys, tmp_path):
    (worker,) = one(db, "SELECT p.id_number FROM person p JOIN enrollment e ON e.person_id = p.id"
                        " WHERE e.year = ? AND e.status = 'unpaid' ORDER BY p.id LIMIT 1", YEAR)
    assert main(["--db", str(db), "status", "set", worker, "employee", "--reason", "县人民医院"]) == 0
    assert main(["--db", str(db), "policy", "load", str(later_policy(tmp_path, YEAR + 1))]) == 0
    capsys.readouterr()
    shown = cli_json(db, capsys, "confirm", "--year", str(YEAR + 1))
    assert [(r["status"], r["recorded_year"]) for r in shown if r["id_number"] == worker] == [("employee", YEAR)]
    assert {r["status"] for r in shown} <= {"employee", "elsewhere", "military", "other"}  # 死亡/迁出 carry silently
    assert main(["--db", str(db), "status", "clear", worker, "--year", str(YEAR + 1)]) == 0
    capsys.readouterr()
    after = cli_json(db, capsys, "confirm", "--year", str(YEAR + 1))
    assert worker not in [r["id_number"] for r in after] and len(after) == len(shown) - 1  # cleared: off the list


def test_breaks_lists_four_insured_years_in_a_row_not_paid_this_year(db, capsys, tmp_path):
    (person,) = one(db, "SELECT p.id_number FROM person p JOIN enrollment e ON e.person_id = p.id"
                        " WHERE e.year = ? AND e.status = 'unpaid' AND p.birth_date < '1990-01-01'"
                        " ORDER BY p.id LIMIT 1", YEAR)
    for year in (YEAR - 3, YEAR - 2, YEAR - 1):
        shipped = POLICIES / f"{year}.toml"
        assert main(["--db", str(db), "policy", "load", str(shipped if shipped.exists() else later_policy(tmp_path, year))]) == 0
    for year in (YEAR - 3, YEAR - 2, YEAR - 1, YEAR):
        assert main(["--db", str(db), "pay", person, "--year", str(year), "--date", f"{year - 1}-10-08"]) == 0
    assert main(["--db", str(db), "policy", "load", str(later_policy(tmp_path, YEAR + 1))]) == 0
    capsys.readouterr()
    shown = cli_json(db, capsys, "breaks", "--year", str(YEAR + 1))
    mine = [r for r in shown if r["id_number"] == person]
    assert [(r["run_years"], r["owed"]) for r in mine] == [(4, "400.00")]
    assert all(r["run_years"] >= 4 for r in shown)
    assert main(["--db", str(db), "pay", person, "--year", str(YEAR + 1), "--date", f"{YEAR}-10-08"]) == 0
    capsys.readouterr()
    assert person not in [r["id_number"] for r in cli_json(db, capsys, "breaks", "--year", str(YEAR + 1))]
