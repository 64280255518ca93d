"""The import wizard on a county database (issue 18): a township picker on its first page, the
township chosen going to the dry run, so a roster's 东山村 is that township's; on a township's
own ledger no picker and nothing changes."""

from __future__ import annotations

from desktop_app.store.models import Household, Region
from desktop_app.ui.app import make_application
from desktop_app.ui.import_wizard import ImportWizard
from tests.exchange.xch_builders import build_xlsx
from tests.services.test_county_views import SECOND, add_second_township
from tests.services.test_imports import pid, village_sheet


def a_roster(tmp_path, village):
    people = [[1, "甲新人", pid(9, year=1933), "T7001", "户主", "", ""]]
    return build_xlsx(tmp_path / "roster.xlsx", [village_sheet(village, people)])


def test_the_wizard_asks_a_county_for_the_township_and_imports_into_it(qtbot, demo_ledger, tmp_path):
    make_application()
    second = add_second_township()
    first = Region.get((Region.level == "township") & (Region.id != second.id))
    twin = Region.get((Region.level == "village") & (Region.parent == first)).name
    Region.create(name=twin, level="village", parent=second)
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    picker = wizard.choose_page.township_box
    assert picker.isVisibleTo(wizard) and picker.isEnabled()
    assert [picker.itemData(i) for i in range(picker.count())] == [first.id, second.id], "no 全县 for a roster"
    picker.set_value(second.id)
    assert wizard.choose_page.township() == SECOND[1]
    wizard.choose_page.file_edit.setText(str(a_roster(tmp_path, twin)))
    with qtbot.waitSignal(wizard.planned, timeout=20000) as planned:
        wizard.next()
    assert len(planned.args[0].new) == 1
    wizard.next()  # the columns as read: on to the preview
    assert wizard.stack.currentIndex() == wizard.PREVIEW
    with qtbot.waitSignal(wizard.imported, timeout=20000):
        wizard.next()
    village = Household.get(Household.number == "T7001").village
    assert (village.name, village.parent_id) == (twin, second.id)
    wizard.choose_page.kind_group.button(1).setChecked(True)  # categories go by ID number
    assert not picker.isEnabled() and wizard.choose_page.township() is None


def test_a_townships_own_ledger_shows_no_township_picker(qtbot, demo_ledger, tmp_path):
    make_application()
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    assert not wizard.choose_page.township_box.isVisibleTo(wizard)
    assert wizard.choose_page.township() is None
    wizard.choose_page.file_edit.setText(str(a_roster(tmp_path, "新建村")))
    with qtbot.waitSignal(wizard.planned, timeout=20000) as planned:
        wizard.next()
    assert len(planned.args[0].new) == 1
