"""The household panel shows each member's 连续参保年数 and whether the incentive applies; the
follow-up lists show the waiting period before and after 补缴, and the long runs at risk."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionHeader

from desktop_app import clock
from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import backpay
from desktop_app.services.backpay import BackPaymentInput
from desktop_app.services.household_work import NewMember, add_household
from desktop_app.services.households import find_household_by_number
from desktop_app.services.policy_load import load_policy
from desktop_app.store.models import Household, Person
from desktop_app.ui.app import make_application
from desktop_app.ui.backpay_dialog import BackPaymentDialog
from desktop_app.ui.followup_dialog import FollowUpDialog
from desktop_app.ui.household_panel import HouseholdPanel
from tests.services.test_backpay import STANDARD, _policy_files, pay

YEARS_COLUMN = 6


@pytest.fixture(autouse=True)
def a_later_season(monkeypatch):
    """These seasons run to 2029: the ledger's today is the end of that year (a payment dated
    after today is refused)."""
    monkeypatch.setattr(clock, "today", lambda: dt.date(2029, 12, 31))


@pytest.fixture
def family(ledger, tmp_path):
    """Three adults: 老张 insured 2024–2029 (6 years), 张二 2024–2028 with 2026 paid back and 2029
    still unpaid (a run of 5 at risk), 张三 missing 2025–2028 and paying 2029 late."""
    for path in _policy_files(tmp_path):
        load_policy(path)
    names = ("老张", "张二", "张三")
    add_household("东山村", [NewMember(name, make_id_number("431199", dt.date(1960 + 5 * i, 6, 1), 20 + i),
                                      "户主" if i == 0 else "子") for i, name in enumerate(names)])
    ids = {p.name: p.id for p in Person.select()}
    for year in range(2024, 2030):
        pay(ids["老张"], year)
    for year in (2024, 2025, 2027, 2028):
        pay(ids["张二"], year)
    backpay.record_backpay(BackPaymentInput(ids["张二"], 2026, STANDARD, dt.date(2027, 3, 1)))
    pay(ids["张三"], 2024)
    pay(ids["张三"], 2029, dt.date(2029, 4, 1))
    backpay.record_backpay(BackPaymentInput(ids["张三"], 2027, STANDARD, dt.date(2029, 4, 2)))
    return ids


def test_panel_shows_years_insured_and_the_incentive(qtbot, family):
    make_application()
    panel = HouseholdPanel()
    qtbot.addWidget(panel)
    household = find_household_by_number(Household.select().first().number)
    panel.show_household(household, 2029)
    assert panel.model.horizontalHeaderItem(YEARS_COLUMN).text() == "连续参保\n年数"  # two lines: fits at 1366×768
    shown = {panel.model.item(r, 0).text(): panel.model.item(r, YEARS_COLUMN).text()
             for r in range(panel.model.rowCount())}
    assert shown == {"老张": "6 · 享受激励", "张二": "0", "张三": "1"}
    row = [panel.model.item(r, 0).text() for r in range(panel.model.rowCount())].index("张二")
    panel.members.selectRow(row)
    assert "已补缴年度：2026" in panel.explanation.text()
    panel.show_household(household, 2028)  # 张二's year shown 2028: 2024–2028, 2026 repaired
    assert panel.model.item(row, YEARS_COLUMN).text() == "5 · 享受激励"


PANEL_WIDTH = 410  # what the window's splitter gives the panel (MainWindow: setSizes([190, 680, 410]))


def test_an_incentive_and_the_titles_are_whole_in_the_panel(qtbot, family):
    """“6 · 享受激励” and each title of the member table get the room their text wants."""
    make_application()
    panel = HouseholdPanel()
    qtbot.addWidget(panel)
    panel.resize(PANEL_WIDTH, 500)
    panel.show()
    panel.show_household(find_household_by_number(Household.select().first().number), 2029)
    qtbot.wait(50)
    view, header = panel.members, panel.members.horizontalHeader()
    cells = [panel.model.index(r, c) for r in range(panel.model.rowCount()) for c in range(panel.model.columnCount())]
    assert any("享受激励" in index.data() for index in cells)
    for index in cells:
        assert view.visualRect(index).width() >= view.sizeHintForIndex(index).width(), index.data()
    for section in range(header.count()):
        option = QStyleOptionHeader()
        option.initFrom(header)
        option.text = panel.model.headerData(section, Qt.Orientation.Horizontal)
        wanted = header.style().sizeFromContents(QStyle.ContentsType.CT_HeaderSection, option, QSize(), header)
        assert header.sectionSize(section) >= wanted.width() and header.height() >= wanted.height(), option.text


def test_follow_up_lists_show_repair_and_long_runs(qtbot, family):
    make_application()
    dialog = FollowUpDialog(2029)
    qtbot.addWidget(dialog)
    late = [dialog.late_model.item(0, c).text() for c in range(dialog.late_model.columnCount())]
    assert late[0] == "张三" and late[3:7] == ["4", "1", "6", "6"]  # B = 4: 6 months, repair or not
    assert [dialog.run_model.item(r, 0).text() for r in range(dialog.run_model.rowCount())] == ["张二"]
    assert dialog.run_model.item(0, 4).text() == "5"
    assert "连续参保将中断（1）" in [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]


def test_back_payment_at_the_desk(qtbot, family):
    """The panel's 补缴 button opens the form for the selected member; on 2030-01-10 it offers
    张三's missed years still open (2025, 2026, 2028; 2027 is paid back already) at that year's
    personal part, and saving records the repair."""
    make_application()
    panel = HouseholdPanel()
    qtbot.addWidget(panel)
    panel.show_household(find_household_by_number(Household.select().first().number), 2029)
    names = [panel.model.item(r, 0).text() for r in range(panel.model.rowCount())]
    panel.members.selectRow(names.index("张三"))
    opened = panel.back_pay()
    qtbot.addWidget(opened)
    assert isinstance(opened, BackPaymentDialog) and opened.member.person_id == family["张三"]
    opened.close()

    dialog = BackPaymentDialog(panel.selected_member(), panel, today=dt.date(2030, 1, 10))
    qtbot.addWidget(dialog)
    assert [dialog.year.itemData(i)[0] for i in range(dialog.year.count())] == [2025, 2026, 2028]
    assert dialog.year.itemText(0) == "2025年度（应补缴400.00元）" and dialog.amount.text() == "400.00"
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        assert dialog.submit()
    row = next(r for r in FollowUpDialog(2029).late if r.person_id == family["张三"])
    assert (row.repaid_years, row.waiting_months) == (2, 6)  # B = 4: still 6 months
    assert backpay.missed_years(family["张三"], dt.date(2030, 1, 10)) == [(2026, STANDARD), (2028, STANDARD)]
