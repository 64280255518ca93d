"""Persons and years, and a fixed subsidy above the standard, on real ledgers (DOMAIN.md §10).

"A person belongs to every loaded policy year from the year they were added (or born, if
later); adding a person or loading a year creates the missing enrollments, and ``check``
reports any person missing one." — "Fixed subsidy above the standard: allowed; it gives S
(min(amount, S)) and the policy load warns once."
"""

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl

from desktop_app.domain.idnumber import make_id_number
from desktop_app.resources import resource
from desktop_app.services import charges, exports, household_work, importing, policy_load
from desktop_app.services.household_work import NewMember
from desktop_app.services.ledger import check_file
from desktop_app.store.models import Enrollment, Person
from tests.exchange.xch_builders import SheetSpec, build_xlsx
from tests.policy_files import later_policy
from tests.raw_ledger import raw_sql

ADULT = make_id_number("431199", dt.date(1980, 5, 1), 11)
SPOUSE = make_id_number("431199", dt.date(1982, 7, 9), 22)
CHILD_2025 = make_id_number("431199", dt.date(2025, 5, 3), 31)




def years_of(id_number: str) -> list[int]:
    person = Person.get(Person.id_number == id_number)
    return sorted(e.year for e in Enrollment.select().where(Enrollment.person == person))


def roster(tmp_path: Path, *people: tuple[str, str]) -> Path:
    rows = [["户编号", "村(社区)", "姓名", "公民身份号码", "与户主关系"]]
    rows += [["H001", "东山村", name, number, "户主" if i == 0 else "配偶"] for i, (name, number) in enumerate(people)]
    return build_xlsx(tmp_path / "花名册.xlsx", [SheetSpec("Sheet1", rows)])


def summary_total(tmp_path: Path, year: int) -> int:
    """总人数 of the summary export's 合计 row."""
    out = tmp_path / f"汇总{year}.xlsx"
    exports.export("summary", out, year)
    sheet = openpyxl.load_workbook(out).active
    header = next(r for r in sheet.iter_rows(values_only=True) if r and "总人数" in r)
    total = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "合计")
    return int(total[header.index("总人数")])


def test_a_person_added_for_2024_after_2025_was_loaded_is_in_2025_too(ledger, ledger_path, tmp_path):
    policy_load.load_policy(resource("policies", "2024.toml"))
    policy_load.load_policy(resource("policies", "2025.toml"))
    importing.apply(importing.plan("roster", roster(tmp_path, ("张三", ADULT), ("李四", SPOUSE)), year=2024))
    assert years_of(ADULT) == years_of(SPOUSE) == [2024, 2025]
    assert summary_total(tmp_path, 2025) == 2  # in the 2025 exports and 总人数
    assert charges.verify() == []
    assert check_file(ledger_path).ok


def test_the_desk_enrolls_from_the_year_of_adding_and_loading_a_year_fills_in(ledger, tmp_path):
    """At the desk a person is added in the year of the day they were added, or the newest
    loaded year when that is earlier (the ledger's clock is past 2025): so with 2024 and 2025
    loaded, 2025 only; a year loaded afterwards is theirs from then on, an earlier one is not."""
    policy_load.load_policy(resource("policies", "2024.toml"))
    policy_load.load_policy(resource("policies", "2025.toml"))
    household_work.add_household("东山村", [NewMember("王五", ADULT, "户主"), NewMember("王小", CHILD_2025, "子")])
    assert years_of(ADULT) == [2025]  # not 2024: they were not added for it
    assert years_of(CHILD_2025) == [2025]
    result = policy_load.load_policy(later_policy(tmp_path, 2026))
    assert result.enrollments_created == 2
    assert years_of(ADULT) == years_of(CHILD_2025) == [2025, 2026]
    assert policy_load.load_policy(resource("policies", "2023.toml")).enrollments_created == 0
    assert summary_total(tmp_path, 2026) == 2


def test_check_reports_a_person_missing_an_enrollment_and_a_reload_fills_it(ledger, ledger_path, tmp_path):
    policy_load.load_policy(resource("policies", "2024.toml"))
    policy_load.load_policy(resource("policies", "2025.toml"))
    importing.apply(importing.plan("roster", roster(tmp_path, ("张三", ADULT), ("李四", SPOUSE)), year=2024))
    assert check_file(ledger_path).ok
    zhang = Person.get(Person.id_number == ADULT)
    # as another tool would: the row is simply gone
    raw_sql(ledger_path, ("DELETE FROM enrollment WHERE person_id = ? AND year = 2025", (zhang.id,)))
    report = check_file(ledger_path)
    assert not report.ok
    [problem] = [p for p in report.problems if "参保登记缺失" in p]
    assert "有1条" in problem and "张三" in problem and "缺2025年度" in problem
    assert ADULT not in problem  # the ID number is shown cut, not whole
    assert "李四" not in problem
    policy_load.load_policy(resource("policies", "2025.toml"))  # loading the year again fills it in
    assert years_of(ADULT) == [2024, 2025]
    assert check_file(ledger_path).ok


def _cli(db_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop_app", "--db", str(db_path), *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_check_names_the_missing_enrollments(tmp_path):
    db_path = tmp_path / "x.sqlite"
    assert _cli(db_path, "demo", "--persons", "60").returncode == 0
    healthy = _cli(db_path, "check")
    assert healthy.returncode == 0 and "every person enrolled" in healthy.stdout
    conn = sqlite3.connect(db_path)
    name = conn.execute("SELECT p.name FROM person p JOIN enrollment e ON e.person_id = p.id ORDER BY p.id").fetchone()[0]
    conn.execute("DELETE FROM enrollment WHERE person_id IN (SELECT id FROM person ORDER BY id LIMIT 7)")
    conn.commit()
    conn.close()
    checked = _cli(db_path, "check")
    assert checked.returncode == 1
    assert "有7条参保登记缺失" in checked.stderr and name in checked.stderr and "等" in checked.stderr


def _dibao_500(tmp_path: Path) -> Path:
    text = resource("policies", "2025.toml").read_text(encoding="utf-8").replace("amount = 200", "amount = 500", 1)
    path = tmp_path / "2025-dibao500.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_fixed_subsidy_above_the_standard_loads_gives_the_standard_and_warns_once(demo_ledger, tmp_path):
    result = policy_load.load_policy(_dibao_500(tmp_path))
    assert len(result.warnings) == 1
    assert "dibao" in result.warnings[0] and "500.00" in result.warnings[0] and "400.00" in result.warnings[0]
    dibao = list(Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.applied_category == "dibao")))
    assert dibao
    for row in dibao:  # min(500, 400) = the whole standard: 免征代缴
        assert (row.subsidy_fen, row.due_fen, row.collection_mode) == (40000, 0, "exempt")
        assert row.status in {"exempt", "employee", "elsewhere", "deceased", "moved", "military", "other"}
    assert charges.verify([2025]) == []


def test_cli_policy_load_prints_the_warning_once(tmp_path):
    db_path = tmp_path / "x.sqlite"
    assert _cli(db_path, "demo", "--persons", "40").returncode == 0
    loaded = _cli(db_path, "policy", "load", str(_dibao_500(tmp_path)))
    assert loaded.returncode == 0, loaded.stderr
    assert "policy 2025 replaced" in loaded.stdout
    assert loaded.stderr.count("注意") == 1 and "500.00" in loaded.stderr and "第30行" in loaded.stderr
    shown = _cli(db_path, "policy", "show", "--year", "2025")
    assert "定额资助500.00元" in shown.stdout and "免征代缴" in shown.stdout
