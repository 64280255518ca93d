"""The person list at county size: a count that stops at a cap ("至少…人"), rows fetched as the
list scrolls, the exact count off the UI thread on request, and a township picker on a county
database. Real window offscreen, real demo ledger; the cap is made small rather than the ledger big."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop_app.services.persons import PersonQuery, count_persons, person_rows
from desktop_app.store.models import Household, Person, Region
from desktop_app.ui import main_actions, main_window, models, person_list
from tests.services.test_county_views import SECOND, add_second_township

YEAR = 2025
CAP = 100
SHOTS = Path("/tmp/lazy-count")


def small_cap(monkeypatch, cap=CAP, block=64, by_itself=False):
    monkeypatch.setattr(models.PersonTableModel, "count_cap", cap)
    monkeypatch.setattr(models.PersonTableModel, "BLOCK", block)
    monkeypatch.setattr(person_list.PersonList, "count_by_itself", by_itself)


def shown_ids(model):
    return [model.row_at(r).id for r in range(model.rowCount())]


def test_below_the_cap_the_list_is_counted_exactly_as_before(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    model, everyone = window.person_model, count_persons(PersonQuery(YEAR))
    assert everyone < models.COUNT_CAP
    assert model.rowCount() == everyone and model.count_known and not model.canFetchMore()
    assert window.statusBar().currentMessage() == f"显示{everyone:,}人"
    assert window.person_list.count_button.isHidden()
    assert window.township_box.isHidden()  # one township: no picker
    assert window.current_query().township_id is None


def test_a_capped_list_is_counted_exactly_by_itself_off_the_ui_thread(qtbot, demo_ledger, ledger_path,
                                                                      open_window, monkeypatch):
    """A township's laptop keeps its exact count: "至少…人" only until the background count lands."""
    small_cap(monkeypatch, by_itself=True)
    window = open_window(ledger_path)
    model, everyone = window.person_model, count_persons(PersonQuery(YEAR))
    assert everyone > CAP
    qtbot.waitUntil(lambda: model.count_known, timeout=10_000)
    assert model.rowCount() == everyone
    assert window.statusBar().currentMessage() == f"显示{everyone:,}人"
    assert window.person_list.count_button.isHidden()
    assert shown_ids(model) == [r.id for r in person_rows(PersonQuery(YEAR), 0, everyone + 1)]


def test_beyond_the_cap_the_list_says_at_least_and_grows_as_it_scrolls(qtbot, demo_ledger, ledger_path,
                                                                      open_window, monkeypatch):
    small_cap(monkeypatch)
    window = open_window(ledger_path)
    model, view = window.person_model, window.person_table
    everyone = count_persons(PersonQuery(YEAR))
    assert everyone > CAP
    assert model.rowCount() == CAP and not model.count_known and model.canFetchMore()
    assert window.statusBar().currentMessage() == f"至少{CAP}人"
    assert window.person_list.count_button.isVisible()
    assert window.person_list.count_button.text() == "全部计数"
    model.fetchMore()
    grown = model.rowCount()
    assert CAP < grown < everyone and not model.count_known
    assert window.statusBar().currentMessage() == f"至少{grown}人"
    # scrolled to its end, the list fetches the rest and then knows its count
    qtbot.waitUntil(lambda: (view.scrollToBottom(), model.count_known)[1], timeout=10_000)
    assert model.rowCount() == everyone
    assert shown_ids(model) == [r.id for r in person_rows(PersonQuery(YEAR), 0, everyone + 1)]
    assert window.statusBar().currentMessage() == f"显示{everyone}人"
    assert window.person_list.count_button.isHidden()


def test_count_all_counts_off_the_ui_thread_and_shows_every_row(qtbot, demo_ledger, ledger_path,
                                                                 open_window, monkeypatch):
    small_cap(monkeypatch, cap=30, block=16)
    window = open_window(ledger_path)
    window.unpaid_check.setChecked(True)
    query = window.person_model.query
    unpaid = count_persons(query)
    assert unpaid > 30 and window.statusBar().currentMessage() == "至少30人"
    button = window.person_list.count_button
    with qtbot.waitSignal(window.person_model.count_changed, timeout=10_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    model = window.person_model
    assert model.count_known and model.rowCount() == unpaid
    assert window.statusBar().currentMessage() == f"显示{unpaid}人"
    assert button.isHidden()
    assert {model.row_at(r).status for r in range(unpaid)} == {"unpaid"}
    # another filter: capped again, the count button back
    window.unpaid_check.setChecked(False)
    assert not model.count_known and button.isVisible() and button.isEnabled()


def test_a_count_that_arrives_for_another_query_changes_nothing(qtbot, demo_ledger, ledger_path,
                                                                 open_window, monkeypatch):
    small_cap(monkeypatch, cap=30, block=16)
    window = open_window(ledger_path)
    model = window.person_model
    old = model.query
    window.unpaid_check.setChecked(True)
    assert count_persons(model.query) > 30
    model.set_exact_count(old, count_persons(old))
    assert model.rowCount() == 30 and not model.count_known


def test_printing_a_list_longer_than_it_shows_is_refused(qtbot, demo_ledger, ledger_path, open_window,
                                                          monkeypatch):
    small_cap(monkeypatch)
    monkeypatch.setattr(main_actions, "PRINT_LIST_LIMIT", 2 * CAP)
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    window = open_window(ledger_path)
    assert window.person_model.rowCount() == CAP  # fewer than the limit shown, more found
    assert window.print_list() is None
    assert told == [f"列表超过{2 * CAP}行。请先用搜索和筛选缩小范围，或者导出为表格后再打印。"]


def test_nobody_in_the_village_offers_at_least_the_cap_found_elsewhere(qtbot, demo_ledger, ledger_path,
                                                                       open_window, monkeypatch):
    monkeypatch.setattr(main_window, "COUNT_CAP", 3)
    window = open_window(ledger_path)
    village = Region.select().where(Region.level == "village").order_by(Region.code).first()
    here = {p.name for p in Person.select().join(Household).where(Household.village == village.id)}
    letters = {c for p in Person.select() for c in p.name} - {c for name in here for c in name}
    letter = max(sorted(letters), key=lambda c: count_persons(PersonQuery(YEAR, search=c)))
    assert count_persons(PersonQuery(YEAR, search=letter)) > 3
    window.village_list.setCurrentRow(1)  # the first village
    assert window._village_id() == village.id
    window.search_edit.setText(letter)
    window._filters_changed()
    assert window.person_model.rowCount() == 0
    assert "全部村中至少找到3人" in window.elsewhere_button.text()


def test_a_county_lists_one_township_and_its_villages(qtbot, demo_ledger, ledger_path, open_window):
    first = Region.get(Region.level == "township")
    second = add_second_township()
    window = open_window(ledger_path)
    box = window.township_box
    assert box.isVisible()
    assert [box.itemText(i) for i in range(box.count())] == ["全县", f"青山镇 {first.code}", " ".join(SECOND)]
    everyone = window.person_model.rowCount()
    box.set_value(second.id)
    villages = list(Region.select().where(Region.parent == second.id).order_by(Region.code))
    listed = [window.village_list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(window.village_list.count())]
    assert listed == [None, *(v.id for v in villages)]
    homes = Household.select().where(Household.village.in_([v.id for v in villages]))
    assert window.village_list.item(0).text().startswith(f"全部村（{homes.count()}户")
    theirs = count_persons(PersonQuery(YEAR, township_id=second.id))
    model = window.person_model
    assert 0 < theirs < everyone and model.rowCount() == theirs
    assert window.statusBar().currentMessage() == f"显示{theirs}人"
    assert {model.row_at(r).village for r in range(theirs)} == {v.name for v in villages}
    window.tabs.setCurrentWidget(window.household_table)  # the households read when shown
    assert window.household_model.rowCount() == homes.count()
    window.tabs.setCurrentWidget(window.person_table)
    # a village of the township, then the whole county again
    window.village_list.setCurrentRow(1)
    assert window.current_query().township_id == second.id and window.current_query().village_id == villages[0].id
    box.set_value(None)  # the whole county: the village chosen stays chosen, among all villages
    assert window.village_list.count() > len(villages) + 1 and window._village_id() == villages[0].id
    window.village_list.setCurrentRow(0)
    assert model.rowCount() == everyone
    # a person of the other township is shown from a township's list: the picker lets go
    box.set_value(second.id)
    other = Person.select().join(Household).where(Household.village.not_in([v.id for v in villages])).first()
    assert window.show_person(other.id)
    assert box.value() is None and window.person_model.row_at(window.person_table.currentIndex().row()).id == other.id


def test_screenshot_of_a_county_person_list(qtbot, demo_ledger, ledger_path, open_window, monkeypatch):
    """What a county clerk sees, saved for a look (xvfb-run for real fonts): the township picker
    above the villages, "至少…人" and the count button in the status bar."""
    small_cap(monkeypatch)
    add_second_township()
    window = open_window(ledger_path)
    window.resize(1366, 768)
    qtbot.wait(300)
    assert window.statusBar().currentMessage() == f"至少{CAP}人"
    button = window.person_list.count_button
    assert button.isVisible() and button.width() >= button.sizeHint().width()
    assert window.township_box.width() >= window.township_box.sizeHint().width()
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "person-list-county-1366x768.png"))
