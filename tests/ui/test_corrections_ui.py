"""Correcting mistakes clicked through real widgets offscreen on a real temp ledger (issue 16):
the panel's “correct a mistake” menu, the next-year policy form, the history after a household
reversal. Screenshots go to /tmp/desk-fix/ when DESK_FIX_SHOTS is set."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import access, categories, household_work, operators, payments
from desktop_app.services.households import find_household_by_number
from desktop_app.services.payments import PaymentInput
from desktop_app.services.policy import policy_for_year, policy_years
from desktop_app.store.models import Enrollment, Household, Payment, Person
from desktop_app.ui.app import make_application
from desktop_app.ui.household_panel import HouseholdPanel
from desktop_app.ui.payment_dialog import PaymentHistoryDialog
from desktop_app.ui.policy_page import PolicyDialog
from tests.desk_household import add_desk_household

DAY = dt.date(2024, 10, 8)


def shot(widget, name: str) -> None:
    if os.environ.get("DESK_FIX_SHOTS"):
        folder = Path("/tmp/desk-fix")
        folder.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(folder / f"{name}.png"))


@pytest.fixture
def desk(ledger):
    return add_desk_household()


def panel_on(qtbot, household_id: int, select: int | None = None) -> HouseholdPanel:
    make_application()
    panel = HouseholdPanel()
    qtbot.addWidget(panel)
    panel.resize(520, 640)
    panel.show()
    household = Household.get_by_id(household_id)
    panel.show_household(find_household_by_number(household.number), 2025, select_person=select)
    return panel


def person(name: str) -> Person:
    return Person.get(Person.name == name)


def test_a_clerk_cannot_open_the_id_correction_an_administrator_can(qtbot, desk):
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.create_operator("小李", "clerk-pass", access.CLERK, ["东山村"])
    operators.log_in("小李", "clerk-pass")
    panel = panel_on(qtbot, desk)
    assert panel.fix_button.isEnabled() and panel.fix_menu.merge_action.isEnabled()
    assert not panel.fix_menu.correct_id_action.isEnabled()
    operators.log_in("王站长", "admin-pass")
    panel = panel_on(qtbot, desk)
    assert panel.fix_menu.correct_id_action.isEnabled()


def test_correcting_an_id_number_from_the_panel(qtbot, desk):
    head = person("张大山")
    panel = panel_on(qtbot, desk, head.id)
    dialog = panel.fix_menu.correct_id()
    qtbot.addWidget(dialog)
    new = make_id_number("431199", dt.date(1971, 3, 3), 12)
    qtbot.keyClicks(dialog.new, person("李秀英").id_number)
    assert "已登记为李秀英" in dialog.verdict.text()
    assert not dialog.submit()
    assert "已登记为李秀英" in dialog.error.text()
    dialog.new.setText(new)
    assert dialog.verdict.text() == "女，1971-03-03出生"
    with qtbot.waitSignal(panel.changed):
        assert dialog.submit()
    assert Person.get_by_id(head.id).id_number == new


def test_merging_and_removing_from_the_panel(qtbot, desk):
    other = household_work.add_household(
        "东山村", [household_work.NewMember("张小山", make_id_number("431199", dt.date(2000, 5, 6), 51), "户主")])
    son = Person.get((Person.name == "张小山") & (Person.household == desk))
    dropped = Person.get(Person.household == other)
    panel = panel_on(qtbot, desk, son.id)
    dialog = panel.fix_menu.merge()
    qtbot.addWidget(dialog)
    assert not dialog.submit()  # no other record named yet
    dialog.other.setText(dropped.id_number.lower())
    assert "张小山" in dialog.found.text() and Household.get_by_id(other).number in dialog.found.text()
    assert not dialog.submit()  # a merge needs its reason
    assert "原因" in dialog.error.text()
    dialog.reason.setText("同一人录了两次")
    assert dialog.submit()
    assert Person.get_or_none(Person.id == dropped.id) is None and Person.get_or_none(Person.id == son.id)

    panel.show_household(find_household_by_number(Household.get_by_id(desk).number), 2025, select_person=son.id)
    remove = panel.fix_menu.remove()
    qtbot.addWidget(remove)
    assert not remove.submit(confirm=True)  # no reason
    remove.reason.setText("误录")
    assert not remove.submit(confirm=False)  # not confirmed: nothing done
    assert Person.get_or_none(Person.id == son.id) is not None
    assert remove.submit(confirm=True)
    assert Person.get_or_none(Person.id == son.id) is None


def test_a_household_reversal_then_the_history_names_the_payment_by_date_and_amount(qtbot, desk):
    paid = payments.record_household_payment(desk, 2025, DAY, "现金代收", "3300123")
    head = person("张大山")
    panel = panel_on(qtbot, desk, head.id)
    assert panel.fix_menu.reverse_household_action.isEnabled()
    dialog = panel.fix_menu.reverse_household()
    qtbot.addWidget(dialog)
    assert dialog.groups.count() == 1 and dialog.groups.currentText().startswith("2024-10-08 的")
    assert not dialog.submit()
    dialog.reason.setText("收错了户")
    dialog.date.setDate(dt.date(2024, 10, 9))
    assert dialog.submit()
    assert Payment.select().where(Payment.amount_fen < 0).count() == 3
    panel.show_household(panel.household, 2025, select_person=head.id)
    history = PaymentHistoryDialog(panel.selected_member(), 2025)
    qtbot.addWidget(history)
    history.show()
    reversal_of = [history.model.item(r, 4).text() for r in range(history.model.rowCount())]
    assert reversal_of == ["", "2024-10-08 的 400.00 元"]
    assert not any(text.startswith("#") or text.isdigit() for text in reversal_of)
    shot(history, "history-after-household-reversal")
    assert sum(a for _n, a in paid.paid) == paid.total_fen


def test_a_refund_paid_out_from_the_panel(qtbot, desk):
    head = person("张大山")
    payments.record_payment(PaymentInput(head.id, 2025, 40000, DAY))
    categories.set_category(head.id, 2025, "dibao", "低保名单")
    panel = panel_on(qtbot, desk, head.id)
    assert panel.fix_menu.refund_action.isEnabled()
    dialog = panel.fix_menu.refund()
    qtbot.addWidget(dialog)
    assert "200.00" in dialog.amount.text()
    dialog.channel.setCurrentText("银行")
    assert dialog.submit()
    assert payments.refunds_owed(2025) == []
    panel.show_household(panel.household, 2025, select_person=head.id)
    assert not panel.fix_menu.refund_action.isEnabled()


def test_an_employee_member_shows_nothing_owed_and_why(qtbot, desk):
    head = person("张大山")
    household_work.set_status(head.id, 2025, "employee")
    panel = panel_on(qtbot, desk, head.id)
    assert "参加职工医保，不在居民医保缴费" in panel.explanation.text()
    row = next(r for r in range(panel.model.rowCount()) if panel.model.item(r, 0).text() == "张大山")
    assert panel.model.item(row, 4).text() == "—"


def test_next_years_policy_from_the_window(qtbot, desk):
    make_application()
    page = PolicyDialog(2025)
    qtbot.addWidget(page)
    form = page.start_next_year()
    qtbot.addWidget(form)
    assert form.year.value() == 2026 and form.standard.text() == "400"
    assert form.start.date().toPython() == dt.date(2025, 9, 1)
    dibao = next(row for row in form.rows if row.code == "dibao")
    assert dibao.mode.currentData() == "fixed" and dibao.value.text() == "200"
    assert not form.submit()  # the national document is required
    assert form.error.text()
    form.document.setText("国家医保局 财政部 国家税务总局关于做好2026年城乡居民基本医疗保障有关工作的通知")
    form.standard.setText("0")
    assert not form.submit()
    assert form.error.text().startswith("个人缴费标准 standard 应在 1 到 100,000 元之间")  # the loader's words
    shot(form, "next-year-policy-form-refused")
    assert 2026 not in policy_years()
    form.standard.setText("420")
    dibao.mode.setCurrentIndex(dibao.mode.findData("ratio"))
    dibao.value.setText("60")
    form.waiting["fixed_months"].setText("3")
    form.error.clear()
    shot(form, "next-year-policy-form")
    with qtbot.waitSignal(page.policy_loaded):
        assert form.submit()
    policy = policy_for_year(2026)
    assert policy.standard_fen == 42000 and policy.categories["dibao"].percent == 60
    assert Enrollment.select().where(Enrollment.year == 2026).count() == 3
    assert page.year_box.currentData() == 2026


def test_a_clerk_cannot_start_next_year(qtbot, desk):
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.create_operator("小李", "clerk-pass", access.CLERK, ["东山村"])
    operators.log_in("小李", "clerk-pass")
    make_application()
    page = PolicyDialog(2025)
    qtbot.addWidget(page)
    assert not page.next_year_button.isEnabled()
