"""The desk fits a laptop's screen and works from the keyboard (issue 16).

The two keyboard traces drive the real widgets with key events only; Chinese names are set with
``setText`` (QTest.keyClicks aborts on characters outside Latin-1 with PySide6 here), everything
else is typed or pressed.
"""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QPushButton

from desktop_app.domain.idnumber import make_id_number
from desktop_app.store.db import close_database
from desktop_app.store.models import Enrollment, Household, Payment, Person
from desktop_app.ui import i18n
from desktop_app.ui.app import make_application
from desktop_app.ui.backup_dialog import BackupDialog, show_with_path
from desktop_app.ui.household_dialog import HouseholdDialog
from desktop_app.ui.household_panel import PANEL_KEYS
from desktop_app.ui.keyboard import shortcut_text
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.printing.dialogs import preview_dialog
from desktop_app.ui.screen_fit import available

ROOT = Path(__file__).resolve().parents[2]


def _focus():
    return QApplication.focusWidget()


def _key(key, modifier=Qt.KeyboardModifier.NoModifier, widget=None):
    """A key pressed where the focus is (as on a real keyboard), or on ``widget``."""
    target = widget or _focus()
    assert target is not None, "no widget has the focus"  # QTest would abort the interpreter
    QTest.keyClick(target, key, modifier)


def _activate(qtbot, window):
    """``window`` the active one, so that its shortcuts and focus work as on a desktop."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def _type(text):
    """Latin text typed where the focus is."""
    assert _focus() is not None, "no widget has the focus"
    QTest.keyClicks(_focus(), text)


# --- fitting the screen --------------------------------------------------------------------------


def test_the_window_opens_inside_the_screen_with_its_status_bar(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)  # the offscreen screen is 800×800: smaller than the old 1280×760
    room = available(window)
    assert room.contains(window.frameGeometry()), (window.frameGeometry(), room)
    bottom = window.statusBar().mapTo(window, window.statusBar().rect().bottomLeft())
    assert bottom.y() < window.height()


def test_a_geometry_saved_on_a_bigger_screen_is_brought_inside(qtbot, demo_ledger, ledger_path, open_window):
    big = open_window(ledger_path)
    big.resize(2600, 1900)
    big.move(1500, 1200)
    big.close()  # saves its geometry
    window = open_window(ledger_path)
    assert available(window).contains(window.frameGeometry()), window.frameGeometry()


LAPTOP = """
import sys
from desktop_app.store.db import open_database
from desktop_app.ui.app import make_application
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.screen_fit import available
make_application()
open_database(sys.argv[1])
window = MainWindow(sys.argv[1])
window.show()
panel = window.household_panel
window.person_table.selectRow(0)
def inside(widget):
    corner = widget.mapTo(window, widget.rect().bottomRight())
    return window.rect().contains(corner)
print(available(window).contains(window.frameGeometry()), inside(window.statusBar()),
      inside(window.household_panel.parentWidget()), window.size().toTuple())
"""


@pytest.mark.parametrize(("width", "height", "scale"), [(1366, 768, "1"), (1920, 1080, "1.5")])
def test_on_a_laptop_screen_the_window_and_its_bottom_fit(demo_ledger, ledger_path, tmp_path, width, height, scale):
    """1366×768, and 1920×1080 at 150 % scaling (where the bottom buttons and the status bar
    used to fall below the screen): a separate program, on a screen of that size."""
    close_database()  # the window's program opens the ledger itself
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                                                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale,
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", LAPTOP, str(ledger_path)], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    on_screen, status_bar, panel, _size = done.stdout.split(" ", 3)
    assert (on_screen, status_bar, panel) == ("True", "True", "True"), done.stdout


def test_the_household_panel_scrolls_rather_than_clips(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    area = window.household_panel.parentWidget().parentWidget()  # viewport, then the scroll area
    window.resize(window.width(), 360)
    qtbot.wait(50)
    assert area.verticalScrollBar().maximum() > 0  # the buttons are below, a scroll away
    area.ensureWidgetVisible(window.household_panel.audit_button)
    button = window.household_panel.audit_button
    corner = button.mapTo(area.viewport(), button.rect().bottomRight())
    assert area.viewport().rect().contains(corner)


def test_the_print_preview_fits_the_screen(qtbot, ledger):
    make_application()
    dialog = preview_dialog(None, lambda _printer: None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert available(dialog).contains(dialog.frameGeometry())


# --- menus and keys --------------------------------------------------------------------------------


def _menus(window):
    stack = [action.menu() for action in window.menuBar().actions() if action.menu()]
    while stack:
        menu = stack.pop()
        yield menu
        stack += [action.menu() for action in menu.actions() if action.menu()]


def _access_key(text):
    text = text.replace("&&", "")
    at = text.find("&")
    return text[at + 1].upper() if 0 <= at < len(text) - 1 else None


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_menus_access_keys_are_unique(qtbot, ledger, ledger_path, language):
    app = make_application()
    i18n.install_translation(app, language)
    try:
        window = MainWindow(ledger_path)
        qtbot.addWidget(window)
        bar_keys = [_access_key(a.text()) for a in window.menuBar().actions()]
        assert None not in bar_keys and len(set(bar_keys)) == len(bar_keys), bar_keys
        menus = list(_menus(window))
        assert len(menus) >= 3
        for menu in menus:
            texts = [a.text() for a in menu.actions() if not a.isSeparator()]
            keys = [_access_key(text) for text in texts]
            assert None not in keys, f"{menu.title()}: an entry without an access key: {texts}"
            doubles = {k for k in keys if keys.count(k) > 1}
            assert not doubles, f"{menu.title()}: {doubles} used twice in {texts}"
    finally:
        i18n.install_translation(app, "zh_CN")


def test_no_shortcut_is_given_twice_and_each_panel_button_names_its_key(qtbot, ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    given = [key.toString() for action in window.findChildren(QAction) for key in action.shortcuts()]
    given += [b.shortcut().toString() for b in window.findChildren(QPushButton) if not b.shortcut().isEmpty()]
    assert len(given) == len(set(given)), sorted(k for k in given if given.count(k) > 1)
    panel = window.household_panel
    expected = {panel.pay_household_button: "Ctrl+Shift+P", panel.print_button: QKeySequence.StandardKey.Print,
                panel.pay_person_button: PANEL_KEYS["pay_person"], panel.history_button: PANEL_KEYS["history"],
                panel.status_button: PANEL_KEYS["status"], panel.add_member_button: PANEL_KEYS["add_member"],
                panel.move_button: PANEL_KEYS["move"], panel.audit_button: PANEL_KEYS["audit"]}
    for button, key in expected.items():
        assert shortcut_text(key) in button.toolTip(), button.text()
        assert button.text() in button.toolTip()


def test_a_panel_key_presses_its_button_wherever_the_focus_is(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    _activate(qtbot, window)
    window.person_table.selectRow(0)
    _key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier, window.search_edit)
    dialog = _visible("statusDialog")
    assert dialog is not None, "Ctrl+Shift+S opened no status dialog"
    qtbot.addWidget(dialog)


# --- keyboard trace 1: search, the table, the household pays ----------------------------------------


def test_find_a_household_and_pay_by_keyboard_alone(qtbot, demo_ledger, ledger_path, open_window):
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")
                                       & (Enrollment.due_fen > 0)).first()
    household = Household.get_by_id(unpaid.person.household_id)
    window = open_window(ledger_path)
    _activate(qtbot, window)
    _key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier, window)
    assert _focus() is window.search_edit
    _type(household.number)
    _key(Qt.Key.Key_Return)  # searches at once and moves into what was found
    assert _focus() is window.person_table
    assert window.household_panel.household.number == household.number
    panel = window.household_panel
    for _ in range(12):  # Tab leaves the table and reaches the panel's buttons
        if _focus() is panel.pay_household_button:
            break
        _key(Qt.Key.Key_Tab)
    assert _focus() is panel.pay_household_button
    before = Payment.select().count()
    _key(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _visible("paymentDialog") is not None, timeout=3000)
    dialog = _visible("paymentDialog")
    qtbot.addWidget(dialog)
    _activate(qtbot, dialog)
    while _focus() is not dialog.voucher:
        _key(Qt.Key.Key_Tab)
    _type("XJ-0016")
    with qtbot.waitSignal(window.ledger_changed, timeout=5000):
        _key(Qt.Key.Key_Return)  # Save
    assert Payment.select().count() > before
    assert Payment.select().where(Payment.person == unpaid.person_id).get().voucher == "XJ-0016"


def test_down_arrow_in_the_search_also_moves_into_the_results(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    _activate(qtbot, window)
    window.focus_search()
    _key(Qt.Key.Key_Down)
    assert _focus() is window.person_table and window.person_table.currentIndex().row() == 0


def _visible(name):
    return next((w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()), None)


# --- keyboard trace 2: a new household of three ---------------------------------------------------------


def test_a_new_household_of_three_by_keyboard_alone(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    _activate(qtbot, window)
    _key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier, window)
    dialog = _visible("householdDialog")
    qtbot.addWidget(dialog)
    _activate(qtbot, dialog)
    dialog.village.setCurrentText("东山村")
    qtbot.waitUntil(lambda: _focus() is dialog.rows[0].name)  # the focus starts on the head's name
    members = [("马大山", make_id_number("431199", dt.date(1975, 5, 5), 31), None, "13907450001"),
               ("牛小花", make_id_number("431199", dt.date(1977, 7, 7), 42), "配偶", ""),
               ("马小山", make_id_number("431199", dt.date(2001, 1, 9), 51), "子", "")]
    for number, (name, id_number, relation, phone) in enumerate(members):
        row = dialog.rows[number]
        assert _focus() is row.name
        _focus().setText(name)
        _key(Qt.Key.Key_Return)
        assert _focus() is row.id_number and dialog.isVisible()  # Enter moved on, saved nothing
        _type(id_number)
        _key(Qt.Key.Key_Return)
        assert _focus() in (row.relation, row.relation.lineEdit())
        if relation:
            row.relation.setCurrentText(relation)
        _key(Qt.Key.Key_Return)
        assert _focus() is row.phone
        _type(phone)
        _key(Qt.Key.Key_Return)  # on to the next member: a new row after the last
    assert len(dialog.rows) == 4 and dialog.rows[3].empty() and Household.select().where(
        Household.head_name == "马大山").count() == 0
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        _key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    household = Household.get(Household.head_name == "马大山")
    saved = household.members.order_by(Person.id)
    assert [(p.name, p.relation) for p in saved] == [("马大山", "户主"), ("牛小花", "配偶"), ("马小山", "子")]
    assert saved[0].phone == "13907450001"


def _answer_when_asked(button):
    """Answer the question box that is about to open with ``button``; what it asked is kept."""
    asked = []

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, answer)
    return asked


def test_escape_asks_before_throwing_away_typed_members(qtbot, demo_ledger):
    make_application()
    empty = HouseholdDialog("东山村")
    qtbot.addWidget(empty)
    empty.show()
    _key(Qt.Key.Key_Escape, widget=empty)
    assert not empty.isVisible()  # nothing typed: nothing to ask

    dialog = HouseholdDialog("东山村")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.rows[0].name.setText("马大山")
    asked = _answer_when_asked(QMessageBox.StandardButton.Cancel)
    _key(Qt.Key.Key_Escape, widget=dialog.rows[0].name)
    assert asked and "成员" in asked[0] and dialog.isVisible() and dialog.rows[0].name.text() == "马大山"
    asked = _answer_when_asked(QMessageBox.StandardButton.Discard)
    _key(Qt.Key.Key_Escape, widget=dialog.rows[0].name)
    assert asked and not dialog.isVisible()


# --- what was clipped ---------------------------------------------------------------------------


def _wrong_check_character(id_number):
    return id_number[:-1] + ("0" if id_number[-1] != "0" else "1")


def test_an_eighteen_digit_id_shows_whole_beside_a_long_check_message(qtbot, demo_ledger):
    make_application()
    dialog = HouseholdDialog("东山村")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    head, child = dialog.rows[0], dialog.add_row("子")
    head.id_number.setText(_wrong_check_character(make_id_number("431199", dt.date(1977, 7, 7), 42)))
    child.id_number.setText(Person.select().first().id_number)  # the longest message: who holds it
    dialog.resize(dialog.minimumSizeHint().width(), dialog.height())  # as narrow as it goes
    qtbot.wait(50)
    for edit in (head.id_number, child.id_number):
        edit.home(False)
        edit.grab()  # a line edit works out its scrolling when it paints
        start = edit.cursorRect().left()
        edit.end(False)  # the field scrolls (the first digits out of sight) only when it is too narrow
        edit.grab()
        assert edit.cursorRect().left() - start >= edit.fontMetrics().horizontalAdvance(edit.text())


def _all_shown(label):
    """Whether ``label``'s text, wrapped to its width, fits inside it."""
    needed = label.fontMetrics().boundingRect(QRect(0, 0, label.contentsRect().width(), 100_000),
                                              int(Qt.TextFlag.TextWordWrap), label.text())
    return needed.width() <= label.contentsRect().width() and needed.height() <= label.contentsRect().height()


def test_a_long_check_message_wraps_in_the_new_household_form(qtbot, demo_ledger):
    make_application()
    dialog = HouseholdDialog("东山村")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(700, dialog.height())
    dialog.rows[0].id_number.setText(Person.select().first().id_number)  # "已登记为…（户编号…），不能重复登记"
    check = dialog.rows[0].check
    assert "不能重复登记" in check.text()
    qtbot.waitUntil(lambda: _all_shown(check), timeout=2000)


def test_a_long_check_message_is_shown_whole_when_adding_a_member(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.person_table.selectRow(0)
    dialog = window.household_panel.add_member()
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    dialog.row.id_number.setText(Person.select().first().id_number)
    assert "不能重复登记" in dialog.row.check.text()
    qtbot.waitUntil(lambda: _all_shown(dialog.row.check), timeout=2000)


def test_a_long_path_wraps_in_the_backup_dialog_and_the_tooltip_has_it_whole(qtbot, ledger):
    make_application()
    dialog = BackupDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    path = "/media/专干/KINGSTON/青山镇参保台账备份/2025年度/每月备份/ledger-20251123-093000-manual.ledgerbackup"
    show_with_path(dialog.status, f"已写入备份：{path}（1.2 MB，已加密）", path)
    qtbot.waitUntil(lambda: _all_shown(dialog.status), timeout=2000)
    assert dialog.status.width() <= dialog.width()
    assert dialog.status.toolTip() == path and dialog.status.text().replace("\u200b", "").endswith("已加密）")
    dialog.folder.setText(path)
    assert dialog.folder.toolTip() == path


# --- Qt's own words --------------------------------------------------------------------------------


def test_qts_file_dialog_speaks_chinese(qtbot, ledger):
    make_application()
    dialog = QFileDialog(None, "备份文件", str(ROOT), "*.ledgerbackup")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts, texts
    assert not [t for t in texts if "Look in" in t or "Files of" in t]
