"""The window opens offscreen on a real demo ledger, shows households lazily, and closes cleanly."""

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox

from desktop_app.services.households import count_households
from desktop_app.store.models import Household, Region
from desktop_app.ui.app import make_application
from desktop_app.ui.main_window import MainWindow




def test_window_shows_the_households_of_the_ledger(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    model = window.household_table.model()
    assert model.rowCount() == count_households() == Household.select().count()
    first = Household.select().order_by(Household.number).first()
    assert model.index(0, 0).data() == first.number
    assert model.index(0, 2).data() == first.head_name
    assert model.index(0, 3).data() == first.members.count()
    # lazily: only the first block or two were read, not the whole township
    assert model.blocks_read <= 2
    last = model.rowCount() - 1
    assert model.index(last, 0).data() == Household.select().order_by(Household.number.desc()).first().number


def test_chinese_is_the_default_language(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    headers = [window.household_table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["户编号", "村(社区)", "户主姓名", "人数", "地址"]
    assert "参保台账" in window.windowTitle() and "青山镇" in window.windowTitle()
    assert "户" in window.counts_label.text()


def test_choosing_a_village_filters_the_table(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    village = Region.select().where(Region.level == "village").order_by(Region.code).first()
    item = window.village_list.item(1)
    assert village.name in item.text()
    window.village_list.setCurrentItem(item)
    window.tabs.setCurrentWidget(window.household_table)  # the households read when shown
    model = window.household_table.model()
    assert model.rowCount() == Household.select().where(Household.village == village).count()
    assert {model.index(r, 1).data() for r in range(model.rowCount())} == {village.name}


def test_a_village_whose_name_holds_a_marker_keeps_its_name(qtbot, demo_ledger, ledger_path, open_window):
    village = Region.select().where(Region.level == "village").order_by(Region.code).first()
    Region.update(name="%2村").where(Region.id == village.id).execute()
    window = open_window(ledger_path)
    texts = [window.village_list.item(row).text() for row in range(window.village_list.count())]
    assert any(text.startswith("%2村（") for text in texts), texts


def test_empty_ledger_offers_demo_data_and_fills_it_off_the_ui_thread(qtbot, ledger, ledger_path, monkeypatch, open_window):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window = open_window(ledger_path)
    assert window.household_table.model().rowCount() == 0
    with qtbot.waitSignal(window.demo_finished, timeout=20000):
        assert window.offer_demo()
    window.tabs.setCurrentWidget(window.household_table)  # the households read when shown
    assert window.household_table.model().rowCount() > 100
    assert window.village_list.count() >= 4


def test_window_closes_cleanly_and_remembers_its_layout(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.splitter.setSizes([300, 700])
    assert window.close()
    again = open_window(ledger_path)
    assert abs(again.splitter.sizes()[0] - window.splitter.sizes()[0]) <= 2
    assert QCoreApplication.organizationName() == "enrollment-ledger"


def test_a_second_copy_is_told_who_has_the_ledger_and_may_read_only(qtbot, demo_ledger, ledger_path, monkeypatch):
    import subprocess
    import sys

    from desktop_app.store.db import close_database, is_read_only
    from desktop_app.ui.app import open_ledger_for_window

    close_database()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from desktop_app.store.lock import acquire; acquire(sys.argv[1], program='window');"
         " print('held', flush=True); time.sleep(60)", str(ledger_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        make_application()
        asked = []
        monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text: (asked.append(text), QMessageBox.StandardButton.Yes)[1])
        assert open_ledger_for_window(ledger_path)
        assert asked and "只读" in asked[0]
        assert is_read_only()
        assert Household.select().count() > 0  # reading works
        from desktop_app.services.ledger import ServiceError, set_township

        with pytest.raises(ServiceError, match="只读"):
            set_township("改名镇")
    finally:
        holder.kill()
        holder.wait()
        close_database()


def test_each_village_shows_its_enrollment_rate(qtbot, demo_ledger, ledger_path):
    from desktop_app.services.statistics import village_rates

    make_application()
    window = MainWindow(ledger_path)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.village_rates_shown, timeout=20000):
        window.show()
    rates = {r.name: r for r in village_rates(2025)}
    for row in range(1, window.village_list.count()):
        text = window.village_list.item(row).text()
        name = text.split("（")[0]
        assert f"参保率 {rates[name].rate:.1%}" in text
