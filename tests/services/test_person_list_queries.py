"""The person list's column filters, sorts, selection sums, household search and the list's export,
checked against the rows of a real demo ledger read by the service and by Python."""

import openpyxl
import pytest

from desktop_app.domain.masking import mask_text
from desktop_app.services import households, list_export
from desktop_app.services.person_filters import STATUS_ORDER, ColumnFilter
from desktop_app.services.persons import (
    PersonQuery,
    column_values,
    count_persons,
    describe_query,
    person_rows,
    selection_totals,
)
from desktop_app.store.models import CategoryMembership, Enrollment, Household, Person, Region

YEAR = 2025


def everyone(query=None):
    query = query or PersonQuery(YEAR)
    return person_rows(query, 0, count_persons(query) + 1)


def with_filter(f, **kw):
    return PersonQuery(YEAR, **kw).with_column_filter(f)


def test_a_status_filter_keeps_the_ticked_statuses(demo_ledger):
    kept = ("unpaid", "exempt")
    rows = everyone(with_filter(ColumnFilter("status", values=kept)))
    expected = Enrollment.select().where((Enrollment.year == YEAR) & Enrollment.status.in_(kept)).count()
    assert len(rows) == expected > 0
    assert {r.status for r in rows} == set(kept)


def test_village_relation_and_text_filters_agree_with_python(demo_ledger):
    rows = everyone()
    village = rows[0].village
    assert [r.id for r in everyone(with_filter(ColumnFilter("village", values=(village,))))] == [
        r.id for r in rows if r.village == village]
    assert [r.id for r in everyone(with_filter(ColumnFilter("relation", values=("户主",))))] == [
        r.id for r in rows if r.relation == "户主"]
    part = rows[3].name[-1]
    assert [r.id for r in everyone(with_filter(ColumnFilter("name", contains=part)))] == [
        r.id for r in rows if part in r.name]
    blank = [r.id for r in rows if not r.phone]
    assert blank and [r.id for r in everyone(with_filter(ColumnFilter("phone", values=("",))))] == blank
    # what is typed is taken literally: % is no wildcard
    assert count_persons(with_filter(ColumnFilter("name", contains="%"))) == 0


def test_amount_filters_are_inclusive_bounds_in_fen(demo_ledger):
    rows = everyone()
    owed = sorted({r.owed_fen for r in rows if r.owed_fen})
    low, high = owed[0], owed[-1]
    found = everyone(with_filter(ColumnFilter("owed", at_least=low, at_most=high)))
    assert [r.id for r in found] == [r.id for r in rows if low <= r.owed_fen <= high]
    assert [r.id for r in everyone(with_filter(ColumnFilter("paid", at_least=1)))] == [
        r.id for r in rows if r.paid_fen >= 1]


def test_a_category_filter_includes_ordinary_residents_on_request(demo_ledger):
    held = {m.person_id for m in CategoryMembership.select().where(
        (CategoryMembership.year == YEAR) & (CategoryMembership.category == "dibao")
        & CategoryMembership.ended_on.is_null())}
    rows = everyone()
    ordinary = {r.id for r in rows if not r.categories}
    found = {r.id for r in everyone(with_filter(ColumnFilter("categories", values=("dibao", "none"))))}
    assert held and ordinary and found == held | ordinary
    values = dict(column_values(PersonQuery(YEAR), "categories"))
    assert values["none"] == len(ordinary) and values["dibao"] == len(held)


def test_column_values_count_without_the_columns_own_filter(demo_ledger):
    query = with_filter(ColumnFilter("status", values=("paid",)))
    values = column_values(query, "status")
    assert [code for code, _n in values] == [c for c in STATUS_ORDER if c in dict(values)]
    assert sum(n for _c, n in values) == count_persons(PersonQuery(YEAR))


SORT_KEYS = {
    "name": lambda r: r.name,
    "id_number": lambda r: r.id_number,
    "relation": lambda r: r.relation,
    "household": lambda r: r.household_number,
    "village": lambda r: r.village,
    "phone": lambda r: r.phone,
    "status": lambda r: STATUS_ORDER.index(r.status),
    "owed": lambda r: r.owed_fen,
    "due": lambda r: r.due_fen - r.paid_fen,
    "paid": lambda r: r.paid_fen,
    "categories": lambda r: min(r.categories.split("、")) if r.categories else "",
}


@pytest.mark.parametrize("key", list(SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_sql_sorts_every_column_as_python_sorts_the_rows(demo_ledger, key, descending):
    rows = everyone(PersonQuery(YEAR, sort=key, descending=descending))
    values = [SORT_KEYS[key](r) for r in rows]
    assert len(set(values)) > 1
    assert values == sorted(values, reverse=descending)


def test_selection_totals_sum_the_rows_of_the_ranges_in_the_lists_order(demo_ledger):
    query = PersonQuery(YEAR, sort="owed", descending=True)
    rows = everyone(query)
    ranges = [(2, 9), (300, 420), (len(rows) - 3, len(rows) - 1)]
    picked = [r for a, b in ranges for r in rows[a:b + 1]]
    totals = selection_totals(query, ranges)
    assert totals.persons == len(picked)
    assert totals.due_fen == sum(r.due_fen for r in picked)
    assert totals.paid_fen == sum(r.paid_fen for r in picked)
    assert totals.owed_fen == sum(r.owed_fen for r in picked) > 0
    whole = selection_totals(query, [(0, 100), (101, len(rows) - 1)])
    assert (whole.persons, whole.owed_fen) == (len(rows), sum(r.owed_fen for r in rows))


def test_the_households_tab_follows_the_search(demo_ledger):
    text = everyone()[0].name[:1]
    found = {r.household_id for r in everyone(PersonQuery(YEAR, search=text))}
    assert 0 < households.count_households(households.HouseholdQuery(search=text)) == len(found) < households.count_households()
    shown = households.household_rows(0, 10_000, households.HouseholdQuery(search=text))
    assert {h.id for h in shown} == found


def test_the_list_exported_is_the_filtered_query_with_its_filters_in_the_title(demo_ledger, tmp_path):
    village = Region.select().where(Region.level == "village").order_by(Region.code).first()
    query = with_filter(ColumnFilter("status", values=("unpaid",)), village_id=village.id, sort="owed",
                        descending=True)
    columns = [("name", "姓名"), ("id_number", "身份证号"), ("phone", "联系电话"), ("owed", "尚欠金额")]
    out = tmp_path / "list.xlsx"
    result = list_export.export_list(query, out, columns)
    expected = everyone(query)
    assert result.rows == len(expected) > 0
    sheet = [[c.value for c in r] for r in openpyxl.load_workbook(out).worksheets[0].iter_rows()]
    assert sheet[0][0] == f"青山镇{YEAR}年度人员名单（{village.name}，参保状态：未缴费）"
    assert describe_query(query) == f"{village.name}，参保状态：未缴费"
    assert sheet[2] == ["姓名", "身份证号", "联系电话", "尚欠金额"]
    body = sheet[3:3 + len(expected)]
    assert body == [[r.name, r.id_number, r.phone or None, r.owed_fen / 100] for r in expected]
    assert sheet[3 + len(expected)][0] == "合计" and sheet[3 + len(expected)][3] == pytest.approx(
        sum(r.owed_fen for r in expected) / 100)

    masked = tmp_path / "masked.xlsx"
    list_export.export_list(query, masked, columns, mask=True)
    cells = [[c.value for c in r] for r in openpyxl.load_workbook(masked).worksheets[0].iter_rows()]
    ids = [row[1] for row in cells[3:3 + len(expected)]]
    assert ids == [mask_text(r.id_number) for r in expected]
    assert not any(r.id_number in str(cell) for r in expected for row in cells for cell in row)


@pytest.mark.parametrize("typed", ["5", "59", "590"])
def test_a_digit_search_finds_what_python_finds_and_a_capped_count_stops_at_its_cap(demo_ledger, typed):
    """One, two or three digits (each engine's own query shape) find every person whose ID number
    or phone, or whose household's number or head's ID, holds them, in the list's order."""
    homes = {h.id: h for h in Household.select()}
    expected = [p.id for p in Person.select().order_by(Person.id)
                if any(typed in (text or "") for text in (p.id_number, p.phone, homes[p.household_id].number,
                                                          homes[p.household_id].head_id_number))]
    query = PersonQuery(YEAR, search=typed)
    assert [r.id for r in everyone(query)] == expected and expected
    assert count_persons(query) == len(expected)
    assert count_persons(query, cap=3) == 3
    assert count_persons(query, cap=len(expected) + 10) == len(expected)
