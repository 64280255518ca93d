"""The dashboard of a county database offscreen: a township picker (全县 / each township) when
the ledger holds several townships, none for a township's own ledger."""

import pytest

from desktop_app.services import statistics
from desktop_app.services.households import household_rows
from desktop_app.store.models import Household, Region
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


def rate_sentence(widget) -> str:
    """The first line under the rate chart: the rate of everything the view shows."""
    return widget.village_rate_numbers.text().splitlines()[0]


def test_a_township_ledger_has_no_picker(qtbot, widget):
    refresh(qtbot, widget)
    assert not widget.township_picker.isVisible()
    assert widget.township_id is None
    assert not widget.heading.text().startswith("青山镇")
    assert rate_sentence(widget).startswith("全镇参保率")


def test_the_rate_sentence_names_the_county_or_the_township_picked(qtbot, widget):
    add_second_township()
    refresh(qtbot, widget)
    county = statistics.dashboard(YEAR)
    sentence = rate_sentence(widget)
    assert sentence.startswith("全县参保率") and f"应参保{county.total.expected:,}人" in sentence
    for pick, name in ((1, "青山镇"), (2, SECOND[0])):
        refresh(qtbot, widget, pick=pick)
        own = widget.figures.total
        assert own.expected < county.total.expected
        sentence = rate_sentence(widget)
        assert sentence.startswith(f"{name}参保率") and f"应参保{own.expected:,}人" in sentence
    refresh(qtbot, widget, pick=0)
    assert rate_sentence(widget).startswith("全县参保率")


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


def test_the_county_view_has_a_bar_per_township(qtbot, widget):
    """Every township has its 东山村: the 全县 charts compare townships (before, a bar chart of the
    villages of all townships, whose repeated names Qt's category axis folds into one)."""
    second = add_second_township()
    refresh(qtbot, widget)
    towns = ["青山镇", SECOND[0]]
    first = Region.get((Region.level == "township") & (Region.code == "431199101"))
    own = {"青山镇": statistics.dashboard(YEAR, first.id).total, SECOND[0]: statistics.dashboard(YEAR, second.id).total}
    for panel in (widget.rates, widget.collection):
        assert panel._category_axis.categories() == towns
        assert panel.chart.title().startswith("各乡镇")
    entries = widget.village_rate_numbers.text().splitlines()[1]
    for name in towns:
        total = own[name]
        percent = f"{(total.insured * 2000 + total.expected) // (2 * total.expected) / 10:.1f}%"
        assert f"{name} {percent}" in entries
    assert "村" not in entries  # no village in the county's entries
    refresh(qtbot, widget, pick=2)  # one township: its own villages again
    assert widget.rates._category_axis.categories() == [v.name for v in statistics.dashboard(YEAR, second.id).villages]
    assert widget.rates.chart.title().startswith("各村参保率")


def test_the_window_names_the_county_and_the_panel_each_households_township(qtbot, demo_ledger, ledger_path,
                                                                            open_window):
    """The title took the first township's name for the whole county, and the household panel
    named only the village (every township has its 东山村)."""
    window = open_window(ledger_path)
    assert "青山镇" in window.windowTitle()  # a township's own ledger: its name, as before
    panel = window.household_panel
    household = household_rows(0, 1)[0]
    panel.show_household(household, YEAR)
    assert panel.address.text().startswith(f"{household.village} · ")
    second = add_second_township()
    window.refresh()
    county = Region.get(Region.level == "county").name
    assert county in window.windowTitle() and "青山镇" not in window.windowTitle()
    ours = Household.select().join(Region).where(Region.parent == second.id).first()
    panel.show_household(next(h for h in household_rows(0, 10_000) if h.id == ours.id), YEAR)
    assert panel.address.text().startswith(f"{SECOND[0]} · {ours.village.name} · ")
    panel.show_household(household, YEAR)
    assert panel.address.text().startswith(f"青山镇 · {household.village} · ")
