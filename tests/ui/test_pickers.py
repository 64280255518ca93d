"""The year and village pickers every dialog shares: what they list, what they choose, what they
say when the choice changes, and that the year box shows "2025年度" whole."""

from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionComboBox

from desktop_app.services import households, ledger
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store.models import db
from desktop_app.ui.app import make_application
from desktop_app.ui.pickers import VillagePicker, YearPicker
from tests.conftest import DEMO_TODAY


def _text_room(box) -> int:
    """How wide the box's text field is, as drawn."""
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    field = box.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                       QStyle.SubControl.SC_ComboBoxEditField, box)
    return field.width()


def test_the_windows_year_box_shows_the_year_whole_when_the_ledger_was_empty_at_start(
        qtbot, ledger, ledger_path, open_window):
    window = open_window(ledger_path)  # first start: nothing to list, the box is shown empty
    QApplication.processEvents()  # ... and laid out so
    generate_demo(DemoOptions(persons=60, seed=7, today=DEMO_TODAY))
    window.refresh()
    QApplication.processEvents()  # the toolbar lays itself out again
    box = window.year_box
    assert box.currentText() == "2025年度"
    assert _text_room(box) >= box.fontMetrics().horizontalAdvance(box.currentText())


def test_year_picker_lists_the_years_and_chooses_the_wanted_else_the_newest(qtbot, demo_ledger):
    make_application()
    picker = YearPicker("someYear")
    qtbot.addWidget(picker)
    changes = []
    picker.value_changed.connect(changes.append)
    picker.reload(years=[2023, 2024, 2025], wanted=2024)
    assert [picker.itemText(i) for i in range(picker.count())] == ["2023年度", "2024年度", "2025年度"]
    assert picker.value() == 2024
    picker.reload(years=[2023, 2024, 2025], wanted=2030)
    assert picker.value() == 2025
    assert changes == []  # listing again is not a choice
    picker.set_value(2023)
    picker.setCurrentIndex(1)  # as a click would
    assert changes == [2023, 2024]
    picker.set_value(1999)  # not listed: the choice stays
    assert picker.value() == 2024
    picker.reload()  # the years with a policy
    assert [picker.itemData(i) for i in range(picker.count())] == [2025] and picker.value() == 2025


def test_year_picker_with_a_no_particular_year_entry(qtbot, demo_ledger):
    make_application()
    picker = YearPicker(none_text="最新年度")
    qtbot.addWidget(picker)
    picker.reload(wanted=None, years=[2024, 2025])
    assert picker.currentText() == "最新年度" and picker.value() is None
    picker.reload(wanted=2024, years=[2024, 2025])
    assert picker.value() == 2024
    picker.set_value(None)
    assert picker.value() is None
    picker.reload(wanted=2030, years=[2024, 2025])
    assert picker.value() is None


def test_an_empty_ledger_gives_an_empty_year_picker(qtbot, ledger):
    make_application()
    picker = YearPicker()
    qtbot.addWidget(picker)
    picker.reload(2025)
    assert picker.count() == 0 and picker.value() is None


def test_village_picker_lists_names_without_counting_anyone(qtbot, demo_ledger):
    make_application()
    ledger.village("新建村")  # a village nobody lives in yet is listed too
    statements = []
    db.connection().set_trace_callback(statements.append)
    try:
        picker = VillagePicker("someVillage", everyone=True)
        qtbot.addWidget(picker)
        picker.reload()
    finally:
        db.connection().set_trace_callback(None)
    names = [v.name for v in households.villages_with_counts()]
    assert "新建村" in names
    assert [picker.itemData(i) for i in range(picker.count())] == [None, *names]
    assert picker.itemText(0) == "全部村" and picker.value() is None
    assert statements and not any("household" in s.lower() or "person" in s.lower() for s in statements)


def test_village_picker_chooses_and_tells(qtbot, demo_ledger):
    make_application()
    names = households.village_names()
    picker = VillagePicker(everyone=True)
    qtbot.addWidget(picker)
    picker.reload(names[1])
    assert picker.value() == names[1]
    changes = []
    picker.value_changed.connect(changes.append)
    picker.set_value(names[0])
    picker.set_value(None)
    assert changes == [names[0], None]
    only = VillagePicker()  # no "all villages": the first village when the wanted one is gone
    qtbot.addWidget(only)
    only.reload("没有这个村")
    assert only.value() == names[0] and only.count() == len(names)


def test_an_editable_village_picker_takes_a_typed_name(qtbot, demo_ledger):
    make_application()
    picker = VillagePicker(editable=True)
    qtbot.addWidget(picker)
    picker.reload("")
    assert picker.value() == ""
    changes = []
    picker.value_changed.connect(changes.append)
    picker.setEditText(" 新村 ")
    assert picker.value() == "新村" and changes[-1] == "新村"
    picker.set_value(households.village_names()[0])
    assert picker.value() == households.village_names()[0]
