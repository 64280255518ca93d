"""County views: a ledger holding several townships side by side (a county database).

The county here is made on either engine the way ``db copy`` leaves one: a second township
region under the same county with some of the demo's villages under it (the copy itself, three
demo townships brought into a server database, is tested in test_demo_county.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from python_calamine import CalamineWorkbook

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import (
    exports,
    followup_export,
    household_work,
    list_export,
    notices,
    operators,
    statistics,
)
from desktop_app.services.county_figures import by_township
from desktop_app.services.ledger import ServiceError
from desktop_app.services.persons import PersonQuery
from desktop_app.services.townships import is_county, township_by_code, townships
from desktop_app.store.models import Enrollment, Household, Region

YEAR = 2025
SECOND = ("白水乡", "431199102")


def read(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def add_second_township() -> Region:
    """Move the demo's last two villages under a second township of the same county."""
    first = Region.get(Region.level == "township")
    second = Region.create(name=SECOND[0], code=SECOND[1], level="township", parent=first.parent)
    moved = [v.id for v in Region.select().where(Region.level == "village").order_by(Region.code.desc()).limit(2)]
    Region.update(parent=second).where(Region.id.in_(moved)).execute()
    return second


def test_a_laptop_ledger_is_one_township_and_its_summary_is_unchanged(demo_ledger, tmp_path):
    assert [t.code for t in townships()] == ["431199101"]
    assert not is_county()
    out = tmp_path / "summary.xlsx"
    exports.export("summary", out, YEAR)
    rows = read(out)
    assert rows[0][0].startswith("青山镇")
    assert rows[2][0] == "村(社区)"
    assert rows[-1][0] == "合计"


def test_county_summary_has_a_township_column_subtotals_and_a_county_total(demo_ledger, tmp_path):
    whole = statistics.VillageSummary.total_of(statistics.village_summaries(YEAR))
    add_second_township()
    assert is_county()
    assert [t.code for t in townships()] == ["431199101", SECOND[1]]
    out = tmp_path / "county.xlsx"
    exports.export("summary", out, YEAR)
    rows = read(out)
    header = rows[2]
    assert header[:2] == ["乡镇(街道)", "村(社区)"]
    body = rows[3:]
    col = {name: header.index(name) for name in header}
    subtotals = [r for r in body if r[1] == "合计" and r[0] != "全县"]
    assert [r[0] for r in subtotals] == ["青山镇", SECOND[0]]
    county = body[-1]
    assert county[:2] == ["全县", "合计"]
    assert county[col["总人数"]] == whole.total
    assert county[col["已缴金额"]] == pytest.approx(whole.paid_fen / 100)
    assert county[col["参保率"]] == pytest.approx(whole.rate)
    # each township's 合计 is the sum of its own village lines
    for town, subtotal in zip(("青山镇", SECOND[0]), subtotals):
        lines = [r for r in body if r[0] == town and r[1] != "合计"]
        assert lines and subtotal[col["总人数"]] == sum(r[col["总人数"]] for r in lines)
    assert sum(r[col["总人数"]] for r in subtotals) == whole.total


def test_one_township_of_a_county_exports_as_a_laptop_would(demo_ledger, tmp_path):
    second = add_second_township()
    own = statistics.village_summaries(YEAR, township_id=second.id)
    out = tmp_path / "one.xlsx"
    exports.export("summary", out, YEAR, township_code=SECOND[1])
    rows = read(out)
    assert rows[0][0].startswith(SECOND[0])
    assert rows[2][0] == "村(社区)"
    assert [r[0] for r in rows[3:-1]] == [s.name for s in own]
    assert rows[-1][1] == sum(s.total for s in own)


def test_an_unknown_township_code_is_refused_in_chinese(demo_ledger, tmp_path):
    add_second_township()
    with pytest.raises(ServiceError, match="没有乡镇代码为“431199999”"):
        exports.export("summary", tmp_path / "x.xlsx", YEAR, township_code="431199999")
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(ServiceError, match="431199101 青山镇"):
        township_by_code("431199999")


def _township_of_each_person() -> dict[str, str]:
    """ID number → the name of the township its enrollment's village is under, read off the models."""
    found = {}
    for e in Enrollment.select().where(Enrollment.year == YEAR):
        town = Region.get_by_id(e.village.parent_id)
        found[e.person.id_number] = town.name
    return found


def _body(rows):
    """The data rows of a per-person table (after title, subtitle and header; before 合计)."""
    head = rows[2]
    assert rows[-1][0] == "合计"
    return head, [dict(zip(head, r)) for r in rows[3:-1]]


@pytest.mark.parametrize("kind", ["roster", "subsidised"])
def test_a_county_per_person_table_names_each_persons_own_township(demo_ledger, tmp_path, kind):
    add_second_township()
    own = _township_of_each_person()
    out = tmp_path / f"{kind}.xlsx"
    exports.export(kind, out, YEAR)
    _head, body = _body(read(out))
    assert body
    assert {r["乡镇(街道)"] for r in body} == {"青山镇", SECOND[0]}
    for r in body:
        assert r["乡镇(街道)"] == own[r["公民身份号码"]], r


@pytest.mark.parametrize("kind", ["unpaid", "newborns"])
def test_county_unpaid_and_newborn_lists_get_a_township_column(demo_ledger, tmp_path, kind):
    laptop = tmp_path / "laptop.xlsx"
    exports.export(kind, laptop, YEAR)
    alone = read(laptop)[2]
    assert "乡镇(街道)" not in alone  # a township's own ledger: DOMAIN.md section 9's columns
    add_second_township()
    own = _township_of_each_person()
    out = tmp_path / f"{kind}.xlsx"
    exports.export(kind, out, YEAR)
    head, body = _body(read(out))
    assert head == [alone[0], "乡镇(街道)", *alone[1:]]
    assert {r["乡镇(街道)"] for r in body} == {"青山镇", SECOND[0]}
    assert all(r["乡镇(街道)"] == own[r["公民身份号码"]] for r in body)


def test_a_village_name_two_townships_hold_needs_the_township(demo_ledger, tmp_path):
    second = add_second_township()
    first_village = Region.get((Region.level == "village") & (Region.parent != second.id))
    Region.create(name=first_village.name, level="village", parent=second)
    with pytest.raises(ServiceError, match=f"有几个乡镇都有“{first_village.name}”.*{SECOND[1]} {SECOND[0]}"):
        exports.export("roster", tmp_path / "r.xlsx", YEAR, village_name=first_village.name)
    assert not (tmp_path / "r.xlsx").exists()
    exports.export("roster", tmp_path / "r.xlsx", YEAR, village_name=first_village.name,
                   township_code="431199101")
    _head, body = _body(read(tmp_path / "r.xlsx"))
    assert body and {r["乡镇(街道)"] for r in body} == {"青山镇"}


@pytest.mark.parametrize("kind", ["roster", "subsidised", "unpaid", "newborns"])
def test_township_alone_exports_only_that_townships_persons(demo_ledger, tmp_path, kind):
    second = add_second_township()
    own = _township_of_each_person()
    whole = tmp_path / "whole.xlsx"
    exports.export(kind, whole, YEAR)
    _head, every = _body(read(whole))
    out = tmp_path / "one.xlsx"
    result = exports.export(kind, out, YEAR, township_code=SECOND[1], progress=lambda done, total: None)
    rows = read(out)
    assert rows[0][0].startswith(SECOND[0])
    head, body = _body(rows)
    ids = [r["公民身份号码"] for r in body]
    expected = [r["公民身份号码"] for r in every if own[r["公民身份号码"]] == SECOND[0]]
    assert ids == expected and result.rows == len(ids)
    if kind in ("roster", "unpaid"):
        assert ids  # the demo has unpaid persons in the moved villages
    if "乡镇(街道)" in head:
        assert {r["乡镇(街道)"] for r in body} <= {SECOND[0]}
    villages = {v.name for v in Region.select().where(Region.parent == second.id)}
    assert {r["村(社区)"] for r in body} <= villages


def test_county_titles_name_the_county_not_its_first_township(demo_ledger, tmp_path):
    """A county database's whole-county tables are titled with the county (the region its
    townships hang under); before, the follow-up and list titles took the first township's name."""
    assert followup_export.sheet_title("newborns", YEAR).startswith("青山镇")  # a township's own ledger
    add_second_township()
    county = Region.get(Region.level == "county").name
    assert followup_export.sheet_title("newborns", YEAR) == f"{county}{YEAR}年度新生儿参保跟进名单"
    assert list_export.list_title(PersonQuery(year=YEAR)) == f"{county}{YEAR}年度人员名单"
    for kind in ("roster", "summary"):
        exports.export(kind, tmp_path / f"{kind}.xlsx", YEAR)
        assert read(tmp_path / f"{kind}.xlsx")[0][0] == f"{county}{YEAR}年度{exports.ExportKind(kind).chinese}"
    exports.export("roster", tmp_path / "one.xlsx", YEAR, township_code=SECOND[1])
    assert read(tmp_path / "one.xlsx")[0][0] == f"{SECOND[0]}{YEAR}年度参保台账"


def test_dashboard_of_each_township_adds_up_to_the_county(demo_ledger):
    add_second_township()
    county = statistics.dashboard(YEAR)
    parts = [statistics.dashboard(YEAR, t.id) for t in townships()]
    assert all(p.villages for p in parts)
    assert sum(p.total.total for p in parts) == county.total.total
    assert sum(p.total.paid_fen for p in parts) == county.total.paid_fen
    assert sum(p.newborns.born for p in parts) == county.newborns.born
    by_code = lambda d: {c.code: c.persons for c in d.categories}
    for code, persons in by_code(county).items():
        assert sum(by_code(p)[code] for p in parts) == persons
    names = {v.name for p in parts for v in p.villages}
    assert names == {v.name for v in county.villages}


def test_the_county_figures_by_township_are_each_townships_own(demo_ledger):
    add_second_township()
    county = by_township(statistics.dashboard(YEAR))
    assert [line.name for line in county.townships] == [t.name for t in townships()]
    assert [n.name for n in county.newborns.townships] == [t.name for t in townships()]
    for town, line, born in zip(townships(), county.townships, county.newborns.townships):
        own = statistics.dashboard(YEAR, town.id)
        assert line == statistics.VillageSummary.total_of(list(own.villages), town.name)
        assert (born.born, born.enrolled) == (own.newborns.born, own.newborns.enrolled) and born.born
    assert statistics.VillageSummary.total_of(list(county.townships)) == county.total
    assert statistics.dashboard(YEAR).townships == ()  # the village figures stay as they were


def test_a_county_notice_names_the_households_own_township(demo_ledger):
    """缴费告知单 on a county database: each household's own township and its 人民政府 as issuer
    (they named the first township for every household)."""
    second = add_second_township()
    ours = Household.select().join(Region).where(Region.parent == second.id).first()
    theirs = Household.select().join(Region).where(Region.parent != second.id).first()
    notice = notices.notice_for(ours.id, YEAR)
    assert (notice.township, notice.issuer) == (SECOND[0], f"{SECOND[0]}人民政府")
    assert notices.notice_for(theirs.id, YEAR).issuer == "青山镇人民政府"
    twin = Region.create(name=theirs.village.name, level="village", parent=second)
    with pytest.raises(ServiceError, match="有几个乡镇都有"):
        notices.count_notices(twin.name, YEAR)


def test_county_desk_work_never_takes_the_first_townships_village(demo_ledger):
    """Adding a household or a clerk by village name on a county database: a name several
    townships hold is refused, and no new village is made under whichever township came first."""
    second = add_second_township()
    theirs = Region.get((Region.level == "village") & (Region.parent != second.id))
    Region.create(name=theirs.name, level="village", parent=second)
    member = household_work.NewMember("王新", make_id_number("431101", dt.date(1980, 5, 6), 977), "户主", "")
    with pytest.raises(ServiceError, match="有几个乡镇都有"):
        household_work.add_household(theirs.name, [member])
    with pytest.raises(ServiceError, match="县级数据库里没有“新建村”"):
        household_work.add_household("新建村", [member])
    assert not Region.select().where(Region.name == "新建村").exists()
    operators.create_operator("管理员", "password-1234", operators.ADMIN)
    with pytest.raises(ServiceError, match="有几个乡镇都有"):
        operators.create_operator("张会计", "password-1234", operators.CLERK, [theirs.name])
