"""The policy page and the household panel show the rules' numbers and explain a charge."""

from PySide6.QtCore import Qt

from desktop_app.resources import resource
from desktop_app.store.models import Enrollment, Household, Person
from desktop_app.ui.app import make_application
from desktop_app.ui.policy_page import PolicyDialog




def _row_of_household(window, household_id):
    model = window.household_model
    for row in range(model.rowCount()):
        if model.index(row, 0).data(Qt.ItemDataRole.UserRole) == household_id:
            return row
    raise AssertionError("household not in the table")


def test_policy_page_shows_standard_and_what_each_category_pays(qtbot, demo_ledger):
    make_application()
    dialog = PolicyDialog(2025)
    qtbot.addWidget(dialog)
    assert dialog.year_box.currentData() == 2025
    assert "400.00元" in dialog.standard.text() and "2024-09-01" in dialog.standard.text()
    rows = {
        dialog.model.item(r, 0).text(): [dialog.model.item(r, c).text() for c in range(1, 5)]
        for r in range(dialog.model.rowCount())
    }
    assert rows["低保对象"] == ["定额资助200.00元", "200.00元", "200.00元", "差额征缴"]
    assert rows["特困人员"] == ["全额资助", "400.00元", "0.00元", "免征代缴"]
    assert rows["普通居民"] == ["无资助", "0.00元", "400.00元", "正常征缴"]


def test_loading_a_policy_file_from_the_page(qtbot, demo_ledger):
    make_application()
    dialog = PolicyDialog(2025)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.policy_loaded, timeout=20000) as loaded:
        dialog.load_file(resource("policies", "2024.toml"))
    assert loaded.args == [2024]
    assert [dialog.year_box.itemData(i) for i in range(dialog.year_box.count())] == [2024, 2025]
    assert dialog.year_box.currentData() == 2024


def test_the_page_shows_the_warning_of_a_fixed_subsidy_above_the_standard(qtbot, demo_ledger, tmp_path):
    """DOMAIN.md §10: a fixed subsidy above the standard is allowed, gives S, and the load warns."""
    text = resource("policies", "2025.toml").read_text(encoding="utf-8").replace("amount = 200", "amount = 500", 1)
    path = tmp_path / "2025.toml"
    path.write_text(text, encoding="utf-8")
    make_application()
    dialog = PolicyDialog(2025)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.policy_loaded, timeout=20000):
        dialog.load_file(path)
    assert dialog.warning_box is not None and dialog.warning_box.isVisible()
    assert "500.00" in dialog.warning_box.text() and "400.00" in dialog.warning_box.text()
    rows = {dialog.model.item(r, 0).text(): dialog.model.item(r, 2).text() for r in range(dialog.model.rowCount())}
    assert rows["低保对象"] == "400.00元"  # min(amount, S)
    dialog.warning_box.close()


def test_household_panel_explains_each_members_charge(qtbot, demo_ledger, ledger_path, open_window):
    # one who pays here: a 异地参保 or 职工医保 member is explained as owing nothing (issue 16)
    dibao = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.applied_category == "dibao")
                                      & Enrollment.status.in_(("unpaid", "paid"))).first()
    person = Person.get_by_id(dibao.person_id)
    window = open_window(ledger_path)
    assert window.year == 2025
    window.tabs.setCurrentWidget(window.household_table)  # the panel follows the table on screen
    window.household_table.selectRow(_row_of_household(window, person.household_id))
    panel = window.household_panel
    assert Household.get_by_id(person.household_id).number in panel.title.text()
    names = [panel.model.item(r, 0).text() for r in range(panel.model.rowCount())]
    assert person.name in names
    panel.members.selectRow(names.index(person.name))
    text = panel.explanation.text()
    assert text.startswith(person.name) and "低保对象，资助200.00元，个人应缴200.00元，差额征缴" in text
    assert "全户应缴" in panel.total.text()
