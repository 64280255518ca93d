"""Statuses across years (DOMAIN.md §10, §5), on real ledgers with the 2024 and 2025 policies.

§10: "deceased and moved carry into later years. employee, elsewhere, military, other carry too
but appear in a 'to confirm for this year' follow-up list until confirmed or cleared. A roster's
参保状态 column may set or clear a status (未缴费 clears a carried one); every value an import
cannot apply is a warning on its row, never silent."
§5: "A person whose subsidy equals the standard is exempt for that year automatically, unless one
of the statuses employee … other was recorded for them; everyone else starts unpaid."
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import (
    access,
    categories,
    exports,
    followups,
    household_work,
    importing,
    operators,
)
from desktop_app.services.household_work import NewMember
from desktop_app.services.policy_load import load_policy
from desktop_app.store.models import AuditEntry, Enrollment, Household, Person
from tests.exchange.xch_builders import SheetSpec, build_xlsx
from tests.policy_files import later_policy

POLICIES = Path(__file__).resolve().parents[2] / "resources" / "policies"

#: name → (birth date, status recorded in 2024, reason)
PEOPLE = {
    "甲户主": (dt.date(1970, 3, 1), None, ""),
    "乙当兵": (dt.date(2003, 5, 2), "military", "2023年9月入伍"),
    "丙职工": (dt.date(1985, 1, 3), "employee", "县化肥厂"),
    "丁外地": (dt.date(1990, 2, 4), "elsewhere", "广东东莞参保"),
    "戊其他": (dt.date(1960, 6, 5), "other", "长期出国"),
    "己去世": (dt.date(1940, 7, 6), "deceased", "2024年3月去世"),
    "庚迁走": (dt.date(1995, 8, 7), "moved", "户口迁往县城"),
    "辛特困": (dt.date(2002, 9, 8), "military", "服兵役"),
}


def id_of(name: str) -> str:
    birth = PEOPLE[name][0]
    return make_id_number("431199", birth, 11 + list(PEOPLE).index(name) * 2)


def person(name: str) -> Person:
    return Person.get(Person.name == name)


def enrollment(name: str, year: int) -> Enrollment:
    return Enrollment.get((Enrollment.person == person(name).id) & (Enrollment.year == year))


@pytest.fixture
def two_years(ledger):
    """One household in 东山村 and one in 西河村; statuses marked in 2024, then 2025 loaded."""
    load_policy(POLICIES / "2024.toml")
    names = list(PEOPLE)
    household_work.add_household("东山村", [NewMember(n, id_of(n), "户主" if i == 0 else "子")
                                            for i, n in enumerate(names[:-1])])
    household_work.add_household("西河村", [NewMember(names[-1], id_of(names[-1]), "户主")])
    for name, (_birth, status, reason) in PEOPLE.items():
        if status:
            household_work.set_status(person(name).id, 2024, status, reason)
    categories.set_category(person("辛特困").id, 2024, "tekun", "民政")
    load_policy(POLICIES / "2025.toml")
    categories.set_category(person("辛特困").id, 2025, "tekun", "民政")
    return ledger


def listed(year: int = 2025) -> dict[str, followups.ToConfirmRow]:
    return {row.name: row for row in followups.to_confirm(year)}


def test_every_recorded_status_carries_with_its_reason(two_years):
    for name, (_birth, status, reason) in PEOPLE.items():
        if status:
            carried = enrollment(name, 2025)
            assert (carried.status, carried.status_reason) == (status, reason), name


def test_four_statuses_wait_to_be_confirmed_and_death_and_moving_do_not(two_years):
    rows = listed()
    assert set(rows) == {"乙当兵", "丙职工", "丁外地", "戊其他", "辛特困"}
    soldier = rows["乙当兵"]
    household = Household.get_by_id(person("乙当兵").household_id)
    assert (soldier.status, soldier.reason, soldier.recorded_year) == ("military", "2023年9月入伍", 2024)
    assert (soldier.household_number, soldier.head_name, soldier.village) == (household.number, "甲户主", "东山村")
    assert soldier.id_number == id_of("乙当兵")
    assert followups.to_confirm(2024) == [], "2024's statuses were marked for 2024, not carried"
    assert followups.LISTS["confirm"](2025) == followups.to_confirm(2025)


def test_a_carried_status_still_decides_the_charge_until_cleared(two_years):
    # §5: exempt automatically unless a status employee … other was recorded
    assert enrollment("辛特困", 2025).status == "military"
    assert enrollment("辛特困", 2025).subsidy_fen == enrollment("辛特困", 2025).standard_fen


def test_confirming_keeps_the_status_and_takes_it_off_the_list(two_years):
    household_work.confirm_status(person("丙职工").id, 2025)
    kept = enrollment("丙职工", 2025)
    assert (kept.status, kept.status_reason) == ("employee", "县化肥厂")
    assert "丙职工" not in listed() and "乙当兵" in listed()
    entry = AuditEntry.get((AuditEntry.action == "status-confirm") & (AuditEntry.record_id == str(kept.id)))
    assert json.loads(entry.new_value)["status"] == "employee"


def test_marking_the_status_again_for_the_year_counts_as_confirming(two_years):
    household_work.set_status(person("丁外地").id, 2025, "elsewhere", "浙江义乌参保")
    assert "丁外地" not in listed()
    assert enrollment("丁外地", 2025).status_reason == "浙江义乌参保"


def test_clearing_a_soldier_who_came_home_goes_back_to_the_charge_rule(two_years):
    household_work.clear_status(person("乙当兵").id, 2025)
    household_work.clear_status(person("辛特困").id, 2025)
    assert (enrollment("乙当兵", 2025).status, enrollment("乙当兵", 2025).status_reason) == ("unpaid", "")
    assert enrollment("辛特困", 2025).status == "exempt", "full subsidy: exempt once nothing is recorded"
    assert "乙当兵" not in listed() and "辛特困" not in listed()
    assert enrollment("乙当兵", 2024).status == "military", "last year stays as it was"


def test_confirming_what_needs_no_confirming_is_refused(two_years):
    with pytest.raises(household_work.ServiceError, match="不需要确认"):
        household_work.confirm_status(person("己去世").id, 2025)
    with pytest.raises(household_work.ServiceError, match="不需要确认"):
        household_work.confirm_status(person("甲户主").id, 2025)
    with pytest.raises(household_work.ServiceError, match="没有标记"):
        household_work.clear_status(person("甲户主").id, 2025)


def test_a_clerk_confirms_and_clears_only_in_their_villages(two_years):
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")
    operators.create_operator("小李", "clerk-pass", access.CLERK, ["东山村"])
    operators.log_in("小李", "clerk-pass")
    with pytest.raises(access.AccessDenied):
        household_work.clear_status(person("辛特困").id, 2025)  # 西河村
    with pytest.raises(access.AccessDenied):
        household_work.confirm_status(person("辛特困").id, 2025)
    assert enrollment("辛特困", 2025).status == "military" and "辛特困" in listed()
    assert AuditEntry.select().where(AuditEntry.action == "denied").count() == 2
    household_work.clear_status(person("乙当兵").id, 2025)  # 东山村 is theirs
    assert enrollment("乙当兵", 2025).status == "unpaid"


def test_an_unconfirmed_status_carried_again_names_the_year_it_was_recorded(two_years, tmp_path):
    household_work.confirm_status(person("丙职工").id, 2025)
    load_policy(later_policy(tmp_path, 2026))
    rows = listed(2026)
    assert rows["乙当兵"].recorded_year == 2024, "never confirmed for 2025"
    assert rows["丙职工"].recorded_year == 2025, "confirmed for 2025"
    assert enrollment("己去世", 2026).status == "deceased" and "己去世" not in rows


# ------------------------------------------------------------------ the roster's 参保状态

HEAD = ["姓名", "公民身份号码", "户编号", "与户主关系", "村(社区)", "参保状态", "已缴金额", "缴费日期", "备注"]


def roster(tmp_path: Path, rows: list[list]) -> Path:
    return build_xlsx(tmp_path / "花名册.xlsx", [SheetSpec(name="花名册", rows=[HEAD, *rows])])


def known(name: str, status: str, remark: str = "", paid=None, paid_on=None) -> list:
    household = Household.get_by_id(person(name).household_id)
    return [name, id_of(name), household.number, person(name).relation, household.village.name, status,
            paid, paid_on, remark]


def new_row(name: str, n: int, status: str, remark: str = "", paid=None, paid_on=None) -> list:
    return [name, make_id_number("431199", dt.date(1980, 1, 1) + dt.timedelta(days=n), 31), f"N{n}", "户主",
            "南岭村", status, paid, paid_on, remark]


def status_warnings(plan) -> dict[str, str]:
    return {w.id_number: w.reason for w in plan.warnings if w.column == "参保状态"}


def test_roster_unpaid_clears_a_carried_status(two_years, tmp_path):
    plan = importing.plan("roster", roster(tmp_path, [known("乙当兵", "未缴费")]), year=2025)
    assert status_warnings(plan) == {}
    importing.apply(plan)
    assert (enrollment("乙当兵", 2025).status, enrollment("乙当兵", 2025).status_reason) == ("unpaid", "")
    assert "乙当兵" not in listed()
    assert enrollment("乙当兵", 2024).status == "military"


def test_roster_unpaid_does_not_clear_a_status_recorded_for_this_year_or_a_death(two_years, tmp_path):
    household_work.confirm_status(person("丙职工").id, 2025)
    plan = importing.plan("roster", roster(tmp_path, [known("丙职工", "未缴费"), known("己去世", "未缴费")]),
                          year=2025)
    warnings = status_warnings(plan)
    assert "“未缴费”" in warnings[id_of("丙职工")] and "参加职工医保" in warnings[id_of("丙职工")]
    assert "“未缴费”" in warnings[id_of("己去世")] and "死亡" in warnings[id_of("己去世")]
    importing.apply(plan)
    assert enrollment("丙职工", 2025).status == "employee" and enrollment("己去世", 2025).status == "deceased"


@pytest.mark.parametrize(("cell", "status"), [
    ("职工医保", "employee"), ("参加职工医保", "employee"), ("异地参保", "elsewhere"), ("死亡", "deceased"),
    ("迁出", "moved"), ("服兵役", "military"), ("其他不需参保", "other"),
])
def test_roster_sets_each_status_for_new_and_known_persons(two_years, tmp_path, cell, status):
    plan = importing.plan("roster", roster(tmp_path, [new_row("新人", 1, cell, "县里名单"),
                                                      known("甲户主", cell, "县里名单")]), year=2025)
    assert status_warnings(plan) == {}
    importing.apply(plan)
    for name in ("新人", "甲户主"):
        assert (enrollment(name, 2025).status, enrollment(name, 2025).status_reason) == (status, "县里名单"), name
    entry = AuditEntry.get((AuditEntry.action == "status") & (AuditEntry.record_id == str(enrollment("甲户主", 2025).id)))
    assert json.loads(entry.new_value)["status"] == status


def test_roster_setting_a_carried_status_again_confirms_it(two_years, tmp_path):
    importing.apply(importing.plan("roster", roster(tmp_path, [known("乙当兵", "服兵役", "2023年9月入伍")]),
                                   year=2025))
    assert enrollment("乙当兵", 2025).status == "military" and "乙当兵" not in listed()


def test_roster_other_needs_a_reason_in_the_remark(two_years, tmp_path):
    plan = importing.plan("roster", roster(tmp_path, [new_row("有原因", 1, "其他", "在外地上学"),
                                                      new_row("没原因", 2, "其他")]), year=2025)
    warnings = status_warnings(plan)
    assert list(warnings.values()) == [warnings[plan.new[1].id_number]]
    assert "“其他”" in warnings[plan.new[1].id_number] and "备注" in warnings[plan.new[1].id_number]
    importing.apply(plan)
    assert (enrollment("有原因", 2025).status, enrollment("有原因", 2025).status_reason) == ("other", "在外地上学")
    assert enrollment("没原因", 2025).status == "unpaid"


def test_roster_paid_and_exempt_are_computed_not_set(two_years, tmp_path):
    day = "2024-11-02"
    plan = importing.plan("roster", roster(tmp_path, [
        new_row("交够了", 1, "已缴费", paid=400, paid_on=day),
        new_row("没交钱", 2, "已缴费"),
        new_row("不是特困", 3, "全额资助代缴"),
        known("辛特困", "全额资助代缴"),  # carried 服兵役 for 2025: the roster cannot set exempt over it
    ]), year=2025)
    warnings = status_warnings(plan)
    ids = {p.name: p.id_number for p in [*plan.new, *plan.updated]}
    assert set(warnings) == {ids["没交钱"], ids["不是特困"], id_of("辛特困")}
    assert "“已缴费”" in warnings[ids["没交钱"]] and "未缴费" in warnings[ids["没交钱"]]
    assert "“全额资助代缴”" in warnings[ids["不是特困"]]
    assert "“全额资助代缴”" in warnings[id_of("辛特困")] and "服兵役" in warnings[id_of("辛特困")]
    importing.apply(plan)
    assert enrollment("交够了", 2025).status == "paid"
    assert enrollment("没交钱", 2025).status == "unpaid" and enrollment("不是特困", 2025).status == "unpaid"
    assert enrollment("辛特困", 2025).status == "military"


def test_roster_value_nobody_recognises_is_a_warning_naming_it(two_years, tmp_path):
    plan = importing.plan("roster", roster(tmp_path, [new_row("乱写", 1, "在读大学")]), year=2025)
    [reason] = status_warnings(plan).values()
    assert "“在读大学”" in reason
    importing.apply(plan)
    assert enrollment("乱写", 2025).status == "unpaid"


def test_our_own_roster_export_read_back_warns_of_no_status(demo_ledger, tmp_path):
    """Every 参保状态 our export writes (computed or recorded) is one the import applies or agrees with."""
    path = tmp_path / "台账.xlsx"
    exports.export("roster", path, 2025)
    plan = importing.plan("roster", path, year=2025)
    assert status_warnings(plan) == {}
    assert plan.updated == [], "nothing to set, clear or confirm: the statuses were recorded for 2025"
