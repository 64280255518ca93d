"""A household keyed by its head's ID gets a number of its own (DOMAIN.md section 10,
"Household numbers"): the ID is a lookup key, found again by later files, never printed."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from desktop_app.domain.idnumber import is_valid_id_number, make_id_number
from desktop_app.services import exports, household_work, importing, persons
from desktop_app.services.ledger import ServiceError
from desktop_app.store.models import Household, Person, db
from tests.exchange.xch_builders import SheetSpec, build_xlsx

HEAD_A = make_id_number("431199", dt.date(1970, 3, 4), 11)
HEAD_B = make_id_number("431199", dt.date(1975, 8, 9), 13)


def pid(n: int) -> str:
    return make_id_number("431199", dt.date(1990, 1, 1) + dt.timedelta(days=n), 21)


def _roster(tmp_path, name: str, header: list[str], rows: list[list]):
    return build_xlsx(tmp_path / name, [SheetSpec(name="东山村", rows=[header, *rows])])


def _import(path):
    plan = importing.plan("roster", path, year=2025)
    assert not plan.rejected, plan.rejected
    importing.apply(plan)
    return plan


def _numbers() -> dict[str, tuple[str, str | None]]:
    """head name → (number, head_id_number)."""
    return {h.head_name: (h.number, h.head_id_number) for h in Household.select()}


HEAD_ID_FILE = ["姓名", "公民身份号码", "户主身份证号", "与户主关系"]


@pytest.fixture
def keyed_by_head(ledger, tmp_path):
    path = _roster(tmp_path, "by-head.xlsx", HEAD_ID_FILE, [
        ["王五", HEAD_A, HEAD_A, "户主"], ["王小五", pid(1), HEAD_A, "子"],
        ["赵六", HEAD_B, HEAD_B, "户主"], ["赵小六", pid(2), HEAD_B, "女"],
    ])
    _import(path)
    return path


def test_a_household_keyed_by_its_head_gets_a_number_of_its_own(keyed_by_head):
    numbers = _numbers()
    assert numbers["王五"][1] == HEAD_A and numbers["赵六"][1] == HEAD_B
    assert not any(is_valid_id_number(number) for number, _head in numbers.values())
    village_id = Household.get(Household.head_name == "王五").village_id
    assert {number for number, _h in numbers.values()} == {f"V{village_id:03d}0001", f"V{village_id:03d}0002"}
    assert Person.get(Person.name == "王小五").household.head_id_number == HEAD_A


def test_the_head_id_is_never_printed_as_the_household_number(keyed_by_head, tmp_path):
    out = tmp_path / "roster.xlsx"
    exports.export("roster", out, 2025)  # unmasked: the ID column has the ID, 户编号 must not
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out).worksheets[0].iter_rows()]
    header = rows[2]
    numbers = {r[header.index("户编号")] for r in rows[3:-1]}
    assert numbers and not numbers & {HEAD_A, HEAD_B}


def test_a_later_file_keyed_by_the_same_head_finds_the_same_household(keyed_by_head, tmp_path):
    before = _numbers()
    again = _roster(tmp_path, "again.xlsx", HEAD_ID_FILE, [
        ["王五", HEAD_A, HEAD_A, "户主"], ["王小五", pid(1), HEAD_A, "子"], ["王小小", pid(3), HEAD_A, "孙子"],
    ])
    plan = _import(again)
    assert [p.name for p in plan.new] == ["王小小"]
    assert plan.updated == []  # the same rows again: nobody "moved" to a household named by an ID
    assert _numbers() == before
    assert Person.get(Person.name == "王小小").household.head_id_number == HEAD_A


def test_heads_that_key_their_own_households_and_a_number_column_of_head_ids(ledger, tmp_path):
    no_column = _roster(tmp_path, "heads-first.xlsx", ["姓名", "公民身份号码", "与户主关系"], [
        ["王五", HEAD_A, "户主"], ["王小五", pid(1), "子"],
    ])
    _import(no_column)
    ids_as_numbers = _roster(tmp_path, "ids-as-numbers.xlsx", ["姓名", "公民身份号码", "户编号", "与户主关系"], [
        ["王小二", pid(4), HEAD_A.lower(), "子"],  # the 户编号 column holds the head's ID (lowercase x too)
        ["赵六", HEAD_B, HEAD_B, "户主"],
    ])
    _import(ids_as_numbers)
    assert Household.select().count() == 2
    assert {h.head_id_number for h in Household.select()} == {HEAD_A, HEAD_B}
    assert not any(is_valid_id_number(h.number) for h in Household.select())
    assert Person.get(Person.name == "王小二").household.head_id_number == HEAD_A


def test_search_by_the_head_id_finds_the_whole_household(keyed_by_head):
    clause, params = persons.search_clause(HEAD_A)
    found = db.execute_sql(
        f"SELECT p.name FROM person p JOIN household h ON h.id = p.household_id WHERE {clause}", params
    ).fetchall()
    assert {name for (name,) in found} == {"王小五", "王五"}


def test_a_household_added_at_the_desk_with_an_id_as_its_number_gets_its_own(keyed_by_head):
    head = make_id_number("431199", dt.date(1966, 6, 6), 15)
    hid = household_work.add_household("东山村", [household_work.NewMember("钱七", head, "户主")], number=head)
    added = Household.get_by_id(hid)
    assert added.head_id_number == head and not is_valid_id_number(added.number)
    with pytest.raises(ServiceError, match="已经存在"):
        household_work.add_household("东山村", [household_work.NewMember("钱八", pid(9), "户主")], number=HEAD_A)


def test_a_file_keyed_by_the_head_finds_the_household_an_earlier_file_numbered(ledger, tmp_path):
    numbered = _roster(tmp_path, "numbered.xlsx", ["姓名", "公民身份号码", "户编号", "与户主关系"], [
        ["王五", HEAD_A, "H001", "户主"], ["王小五", pid(1), "H001", "子"],
    ])
    _import(numbered)
    by_head = _roster(tmp_path, "by-head.xlsx", HEAD_ID_FILE, [
        ["王五", HEAD_A, HEAD_A, "户主"], ["王小小", pid(3), HEAD_A, "孙子"],
        ["王小五", pid(1), pid(1), "户主"],  # the son now heads a household of his own
    ])
    plan = _import(by_head)
    assert Person.get(Person.name == "王小小").household.number == "H001"
    assert Person.get(Person.name == "王五").household.number == "H001"
    assert [p.name for p in plan.updated] == ["王小五"]
    son = Person.get(Person.name == "王小五").household
    assert son.number != "H001" and son.head_id_number == pid(1) and not is_valid_id_number(son.number)
