"""Issue 15's import rules, written from DOMAIN.md sections 8 and 10 (not from the code):

- a payment into a year the person belongs to but has no enrollment in yet: the dry run and the
  import agree (accepted; the enrollment made in the import's transaction);
- a year without a policy: the shipped national default, said so; with no default, refused
  (imports and the desk by one function);
- a full list names every person 新增, 变更 and 取消, with Chinese category names;
- a file with a header and no data row says so and exits 1;
- a household whose rows name different villages stays in its head's village, every other row warned.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from desktop_app.cli.main import main
from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import importing, payments
from desktop_app.services import policy as policies
from desktop_app.services.ledger import ServiceError
from desktop_app.services.policy import policy_for_year
from desktop_app.services.policy_load import load_policy
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import (
    AuditEntry,
    CategoryMembership,
    Enrollment,
    Household,
    Payment,
    Person,
    db,
)
from tests.exchange.xch_builders import SheetSpec, build_xlsx

POLICIES = Path(__file__).resolve().parents[2] / "resources" / "policies"
ROSTER_HEAD = ["姓名", "公民身份号码", "户编号", "与户主关系", "村(社区)"]
PAY_HEAD = ["姓名", "证件号码", "缴费金额", "缴费日期", "票据号码"]


def pid(day: dt.date, order: int = 11) -> str:
    return make_id_number("431199", day, order)


MOTHER, FATHER = pid(dt.date(1990, 3, 1), 22), pid(dt.date(1988, 7, 9), 11)
BABY = pid(dt.date(2024, 12, 15), 31)  # born in December, registered in January
UNBORN = pid(dt.date(2025, 3, 1), 41)  # born after 2024


def everything() -> dict[str, list[tuple]]:
    return {table: db.execute_sql(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("person", "household", "enrollment", "payment", "policy_year", "category_rule",
                          "category_membership", "audit_entry")}


def roster_file(path: Path, rows: list[list]) -> Path:
    return build_xlsx(path, [SheetSpec("花名册", [ROSTER_HEAD, *rows])])


def payments_file(path: Path, rows: list[list]) -> Path:
    return build_xlsx(path, [SheetSpec("Sheet1", [PAY_HEAD, *rows])])


@pytest.fixture
def season(ledger, tmp_path):
    """2024 loaded with the parents in it; in January 2025 the baby (born 2024-12-15) and a
    child born 2025-03-01 are registered by the 2025 roster. The 2024 enrollments were made
    when 2024 was loaded, before the baby was in the ledger."""
    load_policy(POLICIES / "2024.toml")
    load_policy(POLICIES / "2025.toml")
    importing.apply(importing.plan("roster", roster_file(tmp_path / "2024.xlsx", [
        ["王芳", MOTHER, "H1", "户主", "东山村"], ["李强", FATHER, "H1", "配偶", "东山村"]]), year=2024))
    importing.apply(importing.plan("roster", roster_file(tmp_path / "2025.xlsx", [
        ["王芳", MOTHER, "H1", "户主", "东山村"], ["李强", FATHER, "H1", "配偶", "东山村"],
        ["李小宝", BABY, "H1", "子", "东山村"], ["李二宝", UNBORN, "H1", "子", "东山村"]]), year=2025))
    return tmp_path


def _enrolled(number: str, year: int) -> Enrollment | None:
    return Enrollment.get_or_none((Enrollment.person == Person.get(Person.id_number == number).id)
                                  & (Enrollment.year == year))


# ------------------------------------------------------------------- 1. payments into such a year

def test_a_payment_for_a_baby_born_in_the_year_is_accepted_by_the_dry_run_as_by_the_import(season):
    path = payments_file(season / "2024缴费.xlsx", [["李小宝", BABY, 400, "2025-01-20", "SW24-1"]])
    before = everything()
    plan = importing.plan("payments", path, year=2024)
    assert everything() == before, "a dry run writes nothing"
    assert (len(plan.new), len(plan.unmatched), len(plan.rejected)) == (1, 0, 0), plan.unmatched
    importing.apply(plan)
    enrollment = _enrolled(BABY, 2024)
    assert enrollment is not None and (enrollment.paid_fen, enrollment.status) == (40000, "paid")
    assert enrollment.paid_on == dt.date(2025, 1, 20)
    again = importing.plan("payments", path, year=2024)  # the same feedback again: already recorded
    assert (len(again.new), again.unchanged, len(again.unmatched)) == (0, 1, 0)


def test_a_payment_for_a_year_before_birth_is_unmatched_with_its_reason(season):
    path = payments_file(season / "2024缴费.xlsx", [["李二宝", UNBORN, 400, "2025-01-20", "SW24-2"]])
    plan = importing.plan("payments", path, year=2024)
    assert len(plan.unmatched) == 1 and not plan.new
    assert "2025年3月1日出生" in plan.unmatched[0].reason and "还没有出生" in plan.unmatched[0].reason
    importing.apply(plan)
    assert _enrolled(UNBORN, 2024) is None
    assert not Payment.select().where(Payment.year == 2024).exists()


def test_the_desk_records_a_payment_into_a_year_the_person_belongs_to_and_refuses_one_before_birth(season):
    baby = Person.get(Person.id_number == BABY).id
    money = payments.PaymentInput(baby, 2024, 40000, dt.date(2025, 1, 20))
    before = everything()
    assert not payments.check_payment(money).refused
    assert everything() == before, "checking a payment writes nothing"
    payments.record_payment(money)
    assert _enrolled(BABY, 2024).paid_fen == 40000
    unborn = Person.get(Person.id_number == UNBORN).id
    with pytest.raises(ServiceError, match="还没有出生"):
        payments.record_payment(payments.PaymentInput(unborn, 2024, 40000, dt.date(2025, 1, 20)))


# ------------------------------------------------------------------- 7. a year without a policy

def test_an_import_into_a_year_without_a_policy_says_it_used_the_shipped_default(ledger, tmp_path):
    load_policy(POLICIES / "2025.toml")
    path = roster_file(tmp_path / "2023.xlsx", [["王芳", MOTHER, "H1", "户主", "东山村"]])
    plan = importing.plan("roster", path, year=2023)
    assert plan.standard_shipped and plan.standard_fen == policies.year_standard(2023).policy.standard_fen
    assert plan.summary_line().endswith(
        "; no 2023 policy loaded: charges use the shipped national default for 2023 (standard 380.00 yuan)")
    assert policy_for_year(2023) is None, "the dry run stores nothing"
    importing.apply(plan)
    assert policy_for_year(2023) is not None and _enrolled(MOTHER, 2023).standard_fen == 38000
    entry = AuditEntry.select().where(AuditEntry.action == "import").order_by(AuditEntry.id.desc()).first()
    assert '"policy_from_shipped_default": true' in entry.new_value
    loaded = importing.plan("roster", path, year=2025)
    assert not loaded.standard_shipped and "shipped" not in loaded.summary_line()


def test_a_year_with_neither_a_policy_nor_a_shipped_default_is_refused(ledger, tmp_path):
    load_policy(POLICIES / "2025.toml")
    importing.apply(importing.plan("roster", roster_file(tmp_path / "r.xlsx", [["王芳", MOTHER, "H1", "户主", "东山村"]]),
                                   year=2025))
    path = payments_file(tmp_path / "2026缴费.xlsx", [["王芳", MOTHER, 400, "2026-01-20", "X"]])
    with pytest.raises(ServiceError, match="没有2026年度的自带政策文件"):
        importing.plan("payments", path, year=2026)
    person = Person.get(Person.id_number == MOTHER).id
    before = everything()
    with pytest.raises(ServiceError, match="没有2026年度的自带政策文件"):
        payments.record_payment(payments.PaymentInput(person, 2026, 40000, dt.date(2026, 1, 20)))
    assert everything() == before


def test_the_desk_pays_into_a_year_without_a_policy_on_the_shipped_default_and_says_so(ledger, tmp_path):
    load_policy(POLICIES / "2025.toml")
    importing.apply(importing.plan("roster", roster_file(tmp_path / "r.xlsx", [["王芳", MOTHER, "H1", "户主", "东山村"]]),
                                   year=2025))
    person = Person.get(Person.id_number == MOTHER).id
    money = payments.PaymentInput(person, 2024, 40000, dt.date(2024, 11, 5))
    assert not payments.check_payment(money).refused and policy_for_year(2024) is None
    payments.record_payment(money)
    assert policy_for_year(2024) is not None and _enrolled(MOTHER, 2024).paid_fen == 40000
    entry = AuditEntry.select().where((AuditEntry.action == "create") & (AuditEntry.table == "payment")).get()
    assert "按程序自带的2024年度全国默认政策计算" in entry.new_value


# ------------------------------------------------------------------- 9. the full-list report

PEOPLE = {  # name → (ID, category held in 2025 before the list)
    "甲": (pid(dt.date(1960, 1, 1), 11), "dibao"),
    "乙": (pid(dt.date(1961, 1, 1), 11), "tekun"),
    "丙": (pid(dt.date(1962, 1, 1), 11), None),
    "丁": (pid(dt.date(1963, 1, 1), 11), "dibao"),
}


@pytest.fixture
def listed(ledger, tmp_path):
    """甲 stays 低保, 乙 goes from 特困 to 低保, 丙 joins as 特困, 丁 (低保) is left out."""
    load_policy(POLICIES / "2025.toml")
    rows = [[name, number, f"H{n}", "户主", "东山村"] for n, (name, (number, _c)) in enumerate(PEOPLE.items())]
    importing.apply(importing.plan("roster", roster_file(tmp_path / "r.xlsx", rows), year=2025))
    for number, code in PEOPLE.values():
        if code:
            CategoryMembership.create(person=Person.get(Person.id_number == number), year=2025, category=code,
                                      source="test")
    sheet = [["姓名", "身份证号码", "人员类别"], ["甲", PEOPLE["甲"][0], "低保"], ["乙", PEOPLE["乙"][0], "低保"],
             ["丙", PEOPLE["丙"][0], "特困"]]
    return build_xlsx(tmp_path / "全量名单.xlsx", [SheetSpec("名单", sheet)])


def test_a_full_list_names_who_joined_changed_and_left_in_chinese(listed):
    plan = importing.plan("categories", listed, year=2025, full_list=True)
    report = {(e.change, e.name): (e.before, e.after) for e in plan.list_changes}
    assert report == {("新增", "丙"): ("", "特困人员"), ("变更", "乙"): ("特困人员", "低保对象"),
                      ("取消", "丁"): ("低保对象", "")}
    assert plan.summary_line().endswith("; 1 joined (新增), 1 changed (变更), 1 left (取消)")
    importing.apply(plan)
    held = {m.person.name: m.category for m in CategoryMembership.select().where(CategoryMembership.ended_on.is_null())}
    assert held == {"甲": "dibao", "乙": "dibao", "丙": "tekun"}


def test_the_command_line_and_the_report_workbook_name_them(listed, ledger_path, tmp_path, capsys):
    db_path = str(ledger_path)
    close_database()
    out = tmp_path / "报告.xlsx"
    code = main(["--db", db_path, "import", "categories", str(listed), "--year", "2025", "--full-list",
                 "--dry-run", "--errors", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert f"新增: 丙 {PEOPLE['丙'][0]} 特困人员" in printed
    assert f"变更: 乙 {PEOPLE['乙'][0]} 特困人员 → 低保对象" in printed
    assert f"取消: 丁 {PEOPLE['丁'][0]} 低保对象（全量名单中已无此人）" in printed
    assert "dibao" not in printed and "tekun" not in printed
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("名单变动").to_python()
    header = rows.index(["变动", "姓名", "身份证号", "原类别", "现类别"])
    assert rows[header + 1:] == [["新增", "丙", PEOPLE["丙"][0], "", "特困人员"],
                                 ["变更", "乙", PEOPLE["乙"][0], "特困人员", "低保对象"],
                                 ["取消", "丁", PEOPLE["丁"][0], "低保对象", ""]]
    open_database(ledger_path)  # for the fixture to close (a URL stays a URL: never Path() it)


# ------------------------------------------------------------------- 10. no data rows

@pytest.mark.parametrize("rows", [
    [ROSTER_HEAD],
    [["青山镇2025年度参保花名册"], ROSTER_HEAD, ["合计", None, None, None, None]],
], ids=["header only", "title, header and 合计"])
def test_a_file_without_data_rows_says_so_and_exits_1(ledger, ledger_path, tmp_path, capsys, rows):
    path = build_xlsx(tmp_path / "空表.xlsx", [SheetSpec("花名册", rows)])
    plan = importing.plan("roster", path, year=2025)
    assert "没有数据行" in plan.no_data_rows
    with pytest.raises(ServiceError, match="没有数据行"):
        importing.apply(plan)
    db_path = str(ledger_path)
    close_database()
    for dry in ([], ["--dry-run"]):
        code = main(["--db", db_path, "import", "roster", str(path), "--year", "2025", *dry])
        captured = capsys.readouterr()
        assert code == 1 and "没有数据行" in captured.err and "accepted" not in captured.out
    open_database(ledger_path)
    assert not Person.select().exists() and not AuditEntry.select().where(AuditEntry.action == "import").exists()


# ------------------------------------------------------------------- 11. one village per household

def moved_households() -> list[str]:
    """The audit trail's household updates that changed a village."""
    return [e.new_value for e in AuditEntry.select().where((AuditEntry.table == "household")
                                                           & (AuditEntry.action == "update"))
            if json.loads(e.old_value)["village_id"] != json.loads(e.new_value)["village_id"]]


def test_a_household_naming_two_villages_stays_in_its_heads_and_every_other_row_is_warned(ledger, tmp_path):
    load_policy(POLICIES / "2025.toml")
    path = roster_file(tmp_path / "r.xlsx", [
        ["李强", FATHER, "H7", "配偶", "西河村"],  # before the head, another village
        ["王芳", MOTHER, "H7", "户主", "东山村"],
        ["李小宝", BABY, "H7", "子", "西河村"],
        ["赵一", PEOPLE["甲"][0], "H8", "户主", "南岭村"],
    ])
    plan = importing.plan("roster", path, year=2025)
    told = [w for w in plan.warnings if "H7" in w.reason]
    assert [(w.row_number, w.id_number) for w in told] == [(2, FATHER), (4, BABY)]
    assert [w.raw for w in told] == [("李强", FATHER, "H7", "配偶", "西河村"), ("李小宝", BABY, "H7", "子", "西河村")], \
        "each warned row's own cells, as the file has them (for the rejects workbook)"
    assert all("东山村" in w.reason and "西河村" in w.reason for w in told)
    assert {p.village for p in plan.new if p.household_number == "H7"} == {"东山村"}
    importing.apply(plan)
    assert Household.get(Household.number == "H7").village.name == "东山村"
    assert {e.village.name for e in Enrollment.select().join(Person).join(Household).where(Household.number == "H7")} \
        == {"东山村"}
    assert not moved_households()


def test_a_known_household_is_not_moved_by_one_members_row(ledger, tmp_path):
    load_policy(POLICIES / "2025.toml")
    first = roster_file(tmp_path / "r1.xlsx", [["王芳", MOTHER, "H7", "户主", "东山村"], ["李强", FATHER, "H7", "配偶", "东山村"]])
    importing.apply(importing.plan("roster", first, year=2025))
    again = roster_file(tmp_path / "r2.xlsx", [["李强", FATHER, "H7", "配偶", "西河村"], ["王芳", MOTHER, "H7", "户主", "东山村"]])
    plan = importing.plan("roster", again, year=2025)
    assert [w.id_number for w in plan.warnings if "户编号H7" in w.reason] == [FATHER]
    assert (len(plan.updated), plan.unchanged) == (0, 2), "kept where it is, nothing else to change"
    importing.apply(plan)
    assert Household.get(Household.number == "H7").village.name == "东山村"
    assert not moved_households()
