"""A roster import into a county database (several townships side by side) knows its township.

Every demo township has a 东山村: matching a file's villages by name across the county put a
roster of one township's 东山村 into the first township's, and a new village under the first
township. The import now takes the township's code, matches and makes villages in it only, and
refuses a county roster without one at the dry run (issue 18)."""

from __future__ import annotations

import pytest

from desktop_app.services import importing
from desktop_app.services.ledger import ServiceError
from desktop_app.store.models import Household, Person, Region
from tests.exchange.xch_builders import SheetSpec, build_xlsx
from tests.services.test_county_views import SECOND, add_second_township
from tests.services.test_imports import ledger_rows, pid, village_sheet

YEAR = 2025
FIRST_CODE = "431199101"


def first_township() -> Region:
    return Region.get((Region.level == "township") & (Region.code == FIRST_CODE))


def a_county() -> tuple[Region, Region, str]:
    """The demo with a second township that has a village of the same name as one of the first's."""
    second = add_second_township()
    first = first_township()
    shared = (Region.select().where((Region.level == "village") & (Region.parent == first))
              .order_by(Region.code).first().name)
    Region.create(name=shared, level="village", parent=second)
    return first, second, shared


def roster(tmp_path, village: str, *rows: tuple[str, str, int]):
    """A roster of one village sheet: (name, household number, day of birth) per person, each its head."""
    people = [[n, name, pid(day, year=1931), household, "户主", "", ""]
              for n, (name, household, day) in enumerate(rows, 1)]
    return build_xlsx(tmp_path / f"{village}.xlsx", [village_sheet(village, people)])


@pytest.mark.parametrize("into", ["first", "second"])
def test_a_county_roster_goes_into_the_chosen_townships_village(demo_ledger, tmp_path, into):
    """Either township's 东山村: a match by name alone took one of them for both."""
    first, second, shared = a_county()
    town = {"first": first, "second": second}[into]
    path = roster(tmp_path, shared, ("甲新人", "T9001", 1))
    plan = importing.plan("roster", path, year=YEAR, township=town.code)
    assert len(plan.new) == 1
    importing.apply(plan)
    village = Household.get(Household.number == "T9001").village
    assert village.name == shared and village.parent_id == town.id, "it went into the other township's"


def test_a_new_village_is_made_under_the_chosen_township(demo_ledger, tmp_path):
    _first, second, _shared = a_county()
    importing.apply(importing.plan("roster", roster(tmp_path, "新建村", ("乙新人", "T9002", 2)),
                                   year=YEAR, township=SECOND[1]))
    made = Region.get((Region.level == "village") & (Region.name == "新建村"))
    assert made.parent_id == second.id
    assert Person.get(Person.name == "乙新人").household.village_id == made.id


def test_a_county_roster_without_its_township_is_refused_and_nothing_written(demo_ledger, tmp_path):
    _first, _second, shared = a_county()
    before = ledger_rows()
    with pytest.raises(ServiceError) as refused:
        importing.plan("roster", roster(tmp_path, shared, ("丙新人", "T9003", 3)), year=YEAR)
    message = str(refused.value)
    assert FIRST_CODE in message and SECOND[1] in message and "乡镇" in message and "--township" in message
    assert ledger_rows() == before


def test_an_unknown_township_code_is_refused_naming_the_codes(demo_ledger, tmp_path):
    a_county()
    with pytest.raises(ServiceError) as refused:
        importing.plan("roster", roster(tmp_path, "新建村", ("丁新人", "T9004", 4)), year=YEAR, township="431199999")
    assert "431199999" in str(refused.value) and SECOND[1] in str(refused.value)


def test_a_plan_without_township_cannot_be_applied_in_a_county(demo_ledger, tmp_path):
    """The dry run was made before the second township came in: apply refuses too, writes nothing."""
    plan = importing.plan("roster", roster(tmp_path, "新建村", ("戊新人", "T9005", 5)), year=YEAR)
    a_county()
    before = ledger_rows()
    with pytest.raises(ServiceError, match="--township"):
        importing.apply(plan)
    assert ledger_rows() == before


def test_a_single_township_needs_no_township_and_may_name_its_own(demo_ledger, tmp_path):
    town = first_township()
    importing.apply(importing.plan("roster", roster(tmp_path, "新建村", ("己新人", "T9006", 6)), year=YEAR))
    assert Region.get(Region.name == "新建村").parent_id == town.id
    importing.apply(importing.plan("roster", roster(tmp_path, "又一村", ("庚新人", "T9007", 7)), year=YEAR,
                                   township=FIRST_CODE))
    assert Region.get(Region.name == "又一村").parent_id == town.id


def test_categories_and_payments_in_a_county_need_no_township(demo_ledger, tmp_path):
    """They match persons by ID number, wherever they live, and make no village."""
    a_county()
    someone = Person.select().order_by(Person.id).first()
    path = build_xlsx(tmp_path / "低保.xlsx", [village_sheet("名单", [[1, someone.name, someone.id_number, "", "", "", "低保"]])])
    plan = importing.plan("categories", path, year=YEAR)
    assert plan.accepted == 1


def a_person_of(village: Region) -> Person:
    return (Person.select().join(Household).where(Household.village == village).order_by(Person.id).first())


def test_a_known_person_of_another_township_moves_into_the_rosters_village(demo_ledger, tmp_path):
    """A person the ledger has in the first township's 东山村, on the second township's roster of
    its own 东山村: a change of village (the names alone were equal: nothing changed)."""
    first, second, shared = a_county()
    theirs = Region.get((Region.name == shared) & (Region.parent == first))
    person = a_person_of(theirs)
    household = person.household.number
    path = build_xlsx(tmp_path / "known.xlsx", [village_sheet(shared, [
        [1, person.name, person.id_number, household, person.relation, "", ""]])])
    plan = importing.plan("roster", path, year=YEAR, township=SECOND[1])
    assert [row.changes["village"] for row in plan.updated] == [(f"{shared}（{first.name}）", shared)]
    importing.apply(plan)
    assert Person.get_by_id(person.id).household.village.parent_id == second.id


def test_a_known_person_of_another_township_without_a_village_is_rejected(demo_ledger, tmp_path):
    first, _second, shared = a_county()
    person = a_person_of(Region.get((Region.name == shared) & (Region.parent == first)))
    head = ["序号", "姓名", "公民身份号码"]
    path = build_xlsx(tmp_path / "novillage.xlsx", [SheetSpec("Sheet1", [head, [1, person.name, person.id_number]])])
    plan = importing.plan("roster", path, year=YEAR, township=SECOND[1])
    assert not plan.updated and plan.unchanged == 0
    assert len(plan.rejected) == 1, "not made a village named after the other township's"
    assert first.name in plan.rejected[0].reason and "不在本乡镇" in plan.rejected[0].reason
