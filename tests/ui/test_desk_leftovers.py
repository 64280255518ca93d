"""The desk's leftovers of issue 16, in the real window offscreen on a demo ledger: one way to
show a person (``MainWindow.show_person``), the household list sorted and filtered by its
headers like the person list, and the person panel's headers whole at 1366×768."""

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from desktop_app.services.person_filters import ColumnFilter
from desktop_app.store.db import close_database
from desktop_app.store.models import Enrollment, Household, Person, Region

YEAR = 2025
ROOT = Path(__file__).resolve().parents[2]


def _paid_person_elsewhere(window):
    """A paid person, and a village row of the window's list that is not theirs."""
    enrollment = Enrollment.select().where((Enrollment.year == YEAR) & (Enrollment.status == "paid")).first()
    person = Person.get_by_id(enrollment.person_id)
    village = Household.get_by_id(person.household_id).village_id
    for row in range(1, window.village_list.count()):
        if window.village_list.item(row).data(Qt.ItemDataRole.UserRole) != village:
            return person, row
    raise AssertionError("the demo has one village")


def test_show_person_clears_what_hides_them_and_chooses_their_row(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    person, other_village = _paid_person_elsewhere(window)
    window.village_list.setCurrentRow(other_village)
    window.unpaid_check.setChecked(True)
    window.person_model.set_query(window.person_model.query.with_column_filter(
        ColumnFilter("name", contains="不会有这个名字")))
    window.tabs.setCurrentWidget(window.household_table)
    assert window.person_model.rowCount() == 0

    assert window.show_person(person.id)

    assert window.tabs.currentWidget() is window.person_table
    assert window.person_model.query.columns == () and not window.unpaid_check.isChecked()
    assert window.village_list.currentRow() == 0
    current = window.person_model.row_at(window.person_table.currentIndex().row())
    assert current.id == person.id
    panel = window.household_panel
    assert panel.household is not None and panel.household.id == person.household_id
    assert panel.selected_person_id() == person.id


def test_show_person_of_nobody_says_so(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    assert not window.show_person(Person.select().count() + 1000)


def _households_shown(window):
    model = window.household_model
    return [model.row_at(r) for r in range(model.rowCount())]


def test_the_household_list_sorts_and_filters_by_its_headers(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.tabs.setCurrentWidget(window.household_table)
    columns = window.household_model.COLUMNS
    village, members, address = (columns.index(c) for c in ("village", "members", "address"))
    menu = window.household_header.build_menu(village)
    assert [a.text() for a in menu.actions()][:3] == ["升序排列(&A)", "降序排列(&D)", "筛选此列(&F)…"]
    everyone = window.household_model.rowCount()
    assert everyone == Household.select().count()

    # sort: the largest households first, by a click on 人数's title
    window.household_table.sortByColumn(members, Qt.SortOrder.DescendingOrder)
    sizes = [row.members for row in _households_shown(window)]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) > 1

    # filter a column of few values: tick one village, as in the person list
    dialog = window.household_list.filter_column(village)
    qtbot.addWidget(dialog)
    ticked = dialog.value_list.item(0).data(Qt.ItemDataRole.UserRole)
    dialog.tick_only([ticked])
    dialog.accept()
    in_village = (Household.select().join(Region, on=(Household.village == Region.id))
                  .where(Region.name == ticked).count())
    assert window.household_model.rowCount() == in_village < everyone
    assert {row.village for row in _households_shown(window)} == {ticked}
    assert window.household_model.headerData(village, Qt.Orientation.Horizontal).endswith("▼")

    # and a text column: the address contains what was typed
    part = _households_shown(window)[0].address[:3]
    dialog = window.household_list.filter_column(address)
    qtbot.addWidget(dialog)
    dialog.contains_edit.setText(part)
    dialog.accept()
    shown = _households_shown(window)
    assert shown and all(part in row.address and row.village == ticked for row in shown)
    # the search box keeps the column filters; clearing every filter brings every household back
    window.household_list.clear_filter(None)
    assert window.household_model.rowCount() == everyone


def test_the_household_filter_is_the_person_lists_code(qtbot, demo_ledger, ledger_path, open_window):
    from desktop_app.ui.column_filter import ColumnFilters

    window = open_window(ledger_path)
    assert type(window.household_list) is ColumnFilters and isinstance(window.person_list, ColumnFilters)


PANEL_HEADERS = """
import sys
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionHeader
from desktop_app.store.db import open_database
from desktop_app.ui.app import make_application
from desktop_app.ui.main_window import MainWindow
make_application()
open_database(sys.argv[1])
window = MainWindow(sys.argv[1])
window.show()
window.person_table.selectRow(0)
members = window.household_panel.members
header = members.horizontalHeader()
for section in range(header.count()):
    option = QStyleOptionHeader()
    option.initFrom(header)
    option.text = members.model().headerData(section, Qt.Orientation.Horizontal)
    wanted = header.style().sizeFromContents(QStyle.ContentsType.CT_HeaderSection, option, QSize(), header)
    print(repr(option.text), header.sectionSize(section), wanted.width(), header.height(), wanted.height())
"""


def test_the_panels_column_titles_are_whole_on_a_1366_screen(demo_ledger, ledger_path, tmp_path):
    """连续参保年数 was cut at both ends at 1366×768: each title of the member table gets the room Qt
    itself gives a title sized to its text (a separate program, on a screen of that size)."""
    close_database()  # the window's program opens the ledger itself
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
                                                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PANEL_HEADERS, str(ledger_path)], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    titles = [line.rsplit(" ", 4) for line in done.stdout.splitlines()]
    assert any("连续参保" in title for title, *_ in titles)
    for title, width, wanted_width, height, wanted_height in titles:
        assert int(width) >= int(wanted_width) and int(height) >= int(wanted_height), title

