"""The person and household lists behave like the spreadsheets clerks know, clicked through the
real window offscreen on a real demo ledger: filter and sort any column, a selection's count and
sums, Ctrl+C, the list exported and printed as shown, the columns chosen and remembered, a search
that finds nobody in the village, the 户 tab following the search."""

import unicodedata
from pathlib import Path

import openpyxl
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from desktop_app.domain.masking import mask_text
from desktop_app.domain.money import format_yuan
from desktop_app.services.persons import PersonQuery, count_persons, person_rows, selection_totals
from desktop_app.store.models import Enrollment, Person, Region
from desktop_app.ui import printing
from tests.ui.test_printing import flat, pdf_pages

YEAR = 2025
SHOTS = Path("/tmp/desk-lists")


def _column(window, name):
    return window.person_model.COLUMNS.index(name)


def _all_rows(query):
    return person_rows(query, 0, count_persons(query) + 1)


def _preview_text(preview, path) -> str:
    printer = printing.make_printer(pdf_path=path)
    preview.paintRequested.emit(printer)
    del printer  # the PDF is complete once its printer is gone
    # the PDF's text may hold Kangxi radicals (⼈ for 人): read as the characters they stand for
    return unicodedata.normalize("NFKC", flat("".join(pdf_pages(path))))


def test_filter_a_column_from_its_header(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    status = _column(window, "status")
    menu = window.person_list.header.build_menu(status)
    assert [a.text() for a in menu.actions()][:3] == ["升序排列(&A)", "降序排列(&D)", "筛选此列(&F)…"]
    dialog = window.person_list.filter_column(status)
    qtbot.addWidget(dialog)
    dialog.tick_only(["unpaid"])
    dialog.accept()
    unpaid = Enrollment.select().where((Enrollment.year == YEAR) & (Enrollment.status == "unpaid")).count()
    assert window.person_model.rowCount() == unpaid > 0
    header = window.person_model.headerData(status, Qt.Orientation.Horizontal)
    assert header.endswith("▼")
    assert "参保状态：未缴费" in window.statusBar().currentMessage()
    # the search box keeps the column's filter
    window.search_edit.setText(window.person_model.row_at(0).name)
    window._filters_changed()
    assert {window.person_model.row_at(r).status for r in range(window.person_model.rowCount())} == {"unpaid"}
    window.person_list.clear_filter(None)
    window.search_edit.clear()
    window._filters_changed()
    assert window.person_model.rowCount() == Person.select().count()


def test_sort_any_column_by_its_header(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    for name, key in (("phone", lambda r: r.phone), ("categories", lambda r: min(r.categories.split("、")) if r.categories else "")):
        window.person_table.sortByColumn(_column(window, name), Qt.SortOrder.DescendingOrder)
        assert window.person_model.query.sort == name and window.person_model.query.descending
        shown = [key(window.person_model.row_at(r)) for r in range(window.person_model.rowCount())]
        assert shown == sorted(shown, reverse=True) and len(set(shown)) > 1


def test_selected_rows_show_their_count_and_sums(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.person_table.sortByColumn(_column(window, "owed"), Qt.SortOrder.DescendingOrder)
    model = window.person_model
    rows = _all_rows(model.query)
    selection = QItemSelection()
    last = model.rowCount() - 1
    for first, end in ((0, 4), (last - 2, last)):  # the end of the list: rows the table never read
        selection.select(model.index(first, 0), model.index(end, model.columnCount() - 1))
    window.person_table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    window.person_list.update_totals()  # what the short timer does once the selection rests
    picked = rows[0:5] + rows[last - 2:last + 1]
    totals = window.person_list.totals
    assert (totals.persons, totals.due_fen, totals.paid_fen, totals.owed_fen) == (
        8, sum(r.due_fen for r in picked), sum(r.paid_fen for r in picked), sum(r.owed_fen for r in picked))
    text = window.selection_label.text()
    assert "已选 8 人" in text and format_yuan(totals.owed_fen) in text
    # rows on screen are summed from what the table read, and agree with the service
    window.person_table.selectionModel().select(
        QItemSelection(model.index(1, 0), model.index(30, 0)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    window.person_list.update_totals()
    assert window.person_list.totals == selection_totals(model.query, [(1, 30)])
    assert window.person_list.totals.owed_fen == sum(r.owed_fen for r in rows[1:31])


def test_ctrl_c_copies_the_selected_rows_as_tab_separated_text(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.person_table.setFocus()
    window.person_table.selectRow(0)
    window.person_table.selectionModel().select(
        window.person_model.index(2, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    qtbot.keyClick(window.person_table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    lines = mime.text().split("\r\n")
    assert lines[0].split("\t")[:5] == ["姓名", "身份证号", "参保状态", "尚欠金额", "联系电话"]
    rows = _all_rows(window.person_model.query)
    for line, row in zip(lines[1:3], (rows[0], rows[2])):
        cells = line.split("\t")
        assert cells[:2] == [row.name, row.id_number]
        assert cells[3] == (format_yuan(row.owed_fen) if row.status == "unpaid" else "")
    assert lines[3] == ""  # two rows and the header, each line ended
    # the HTML flavour WPS and Excel paste keeps IDs as text
    assert f"<td style=\"mso-number-format:'\\@'\">{rows[0].id_number}</td>" in mime.html()


def test_export_the_filtered_list_masked_or_not(qtbot, demo_ledger, ledger_path, open_window, tmp_path):
    window = open_window(ledger_path)
    window.unpaid_check.setChecked(True)
    window.person_list.header.set_shown(_column(window, "village"), False)
    expected = _all_rows(window.person_model.query)
    for masked in (False, True):
        dialog = window.export_list()
        qtbot.addWidget(dialog)
        dialog.mask.setChecked(masked)
        out = tmp_path / f"list-{masked}.xlsx"
        dialog.path_edit.setText(str(out))
        with qtbot.waitSignal(dialog.exported, timeout=20000) as signal:
            dialog.start()
        assert signal.args[0].rows == len(expected)
        sheet = [[c.value for c in r] for r in openpyxl.load_workbook(out).worksheets[0].iter_rows()]
        assert sheet[0][0] == "青山镇2025年度人员名单（未缴费）"
        assert "村(社区)" not in sheet[2] and sheet[2][:2] == ["姓名", "身份证号"]
        ids = [row[1] for row in sheet[3:3 + len(expected)]]
        if masked:
            assert all(r.id_number not in ids and r.id_number[-4:] == i[-4:] for r, i in zip(expected, ids))
        else:
            assert ids == [r.id_number for r in expected]


def test_print_the_list_masked_names_its_filters(qtbot, demo_ledger, ledger_path, open_window, tmp_path):
    window = open_window(ledger_path)
    window.unpaid_check.setChecked(True)
    dialog = window.print_list(mask=True)
    qtbot.addWidget(dialog)
    printed = _preview_text(dialog, tmp_path / "list.pdf")
    rows = _all_rows(window.person_model.query)
    assert unicodedata.normalize("NFKC", "人员名单（未缴费）") in printed
    assert all(mask_text(r.id_number) in printed for r in rows)
    assert not any(r.id_number in printed for r in rows)


def test_a_hidden_column_stays_hidden_after_reopening(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    phone = _column(window, "phone")
    chooser = window.person_list.header.build_menu(phone).findChild(type(window.menuBar().addMenu("x")),
                                                                    "columnChooser")
    action = next(a for a in chooser.actions() if a.data() == "phone")
    assert action.isChecked()
    action.setChecked(False)
    assert window.person_table.isColumnHidden(phone)
    window.person_table.horizontalHeader().moveSection(
        window.person_table.horizontalHeader().visualIndex(_column(window, "village")), 0)
    assert window.close()
    again = open_window(ledger_path)
    assert again.person_table.isColumnHidden(phone)
    assert again.person_table.horizontalHeader().logicalIndex(0) == _column(again, "village")
    again.person_list.header.reset()
    assert not again.person_table.isColumnHidden(phone)


def test_a_search_with_nobody_in_the_village_offers_all_villages(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    villages = list(Region.select().where(Region.level == "village").order_by(Region.code))
    elsewhere = Person.select().where(Person.household.in_(
        [h.id for h in villages[1].households])).first()
    window.village_list.setCurrentRow(1)  # the first village
    window.search_edit.setText(elsewhere.name)
    window._filters_changed()
    in_all = count_persons(PersonQuery(YEAR, search=elsewhere.name))
    if window.person_model.rowCount():  # the same name in the first village too: pick a number instead
        window.search_edit.setText(elsewhere.id_number)
        window._filters_changed()
        in_all = 1
    assert window.person_model.rowCount() == 0
    button = window.elsewhere_button
    assert not button.isHidden() and f"全部村中找到{in_all}人" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window._village_id() is None and window.person_model.rowCount() == in_all
    assert button.isHidden()


def test_the_households_tab_follows_the_search_box(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    person = Person.select().order_by(Person.id.desc()).first()
    everyone = window.household_model.rowCount()
    window.search_edit.setText(person.id_number)
    window._filters_changed()
    window.tabs.setCurrentWidget(window.household_table)
    assert window.household_model.rowCount() == 1 < everyone
    assert window.household_model.row_at(0).id == person.household_id
    window.search_edit.clear()
    window._filters_changed()
    assert window.household_model.rowCount() == everyone


def test_key_columns_fit_a_1366_screen(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    view = window.person_table
    for name in ("name", "id_number", "status", "owed", "phone"):
        column = _column(window, name)
        right = view.horizontalHeader().sectionViewportPosition(column) + view.columnWidth(column)
        assert not view.isColumnHidden(column) and 0 <= right <= view.viewport().width(), name
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "main-1366x768.png"))
