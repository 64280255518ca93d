"""The dashboard of a county database offscreen: a township picker (全县 / each township) when
the ledger holds several townships, none for a township's own ledger."""

import pytest

from desktop_app.services import statistics
from desktop_app.ui.app import make_application
from desktop_app.ui.dashboard import DashboardWidget
from tests.services.test_county_views import SECOND, add_second_township

YEAR = 2025


@pytest.fixture
def widget(qtbot, demo_ledger):
    make_application()
    shown = DashboardWidget()
    qtbot.addWidget(shown)
    shown.resize(1366, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def refresh(qtbot, widget, pick=None):
    with qtbot.waitSignal(widget.refreshed, timeout=20000):
        if pick is None:
            widget.refresh(YEAR)
        else:
            widget.township_picker.setCurrentIndex(pick)
            widget.township_picker.activated.emit(pick)


def test_a_township_ledger_has_no_picker(qtbot, widget):
    refresh(qtbot, widget)
    assert not widget.township_picker.isVisible()
    assert widget.township_id is None
    assert not widget.heading.text().startswith("青山镇")


def test_a_county_database_picks_the_county_or_one_township(qtbot, widget):
    second = add_second_township()
    refresh(qtbot, widget)
    picker = widget.township_picker
    assert picker.isVisible()
    assert [picker.itemText(i) for i in range(picker.count())][1:] == ["青山镇 431199101", f"{SECOND[0]} {SECOND[1]}"]
    assert widget.township_id is None
    county = statistics.dashboard(YEAR)
    assert widget.figures.total.total == county.total.total

    refresh(qtbot, widget, pick=2)
    own = statistics.dashboard(YEAR, second.id)
    assert widget.township_id == second.id
    assert widget.figures.total.total == own.total.total < county.total.total
    assert widget.heading.text().startswith(SECOND[0])
    numbers = widget.village_rate_numbers.text()
    for village in own.villages:
        assert village.name in numbers
    others = {v.name for v in county.villages} - {v.name for v in own.villages}
    assert others and not any(name in numbers for name in others)

    refresh(qtbot, widget)  # a refresh (data changed) keeps the township picked
    assert widget.township_id == second.id and widget.figures.total.total == own.total.total
