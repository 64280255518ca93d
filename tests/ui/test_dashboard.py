"""The dashboard offscreen on a real demo ledger: numbers under each chart, target lines, and a
household's payment showing after a refresh."""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from desktop_app.domain.money import format_yuan
from desktop_app.services import statistics
from desktop_app.services.payments import record_household_payment
from desktop_app.store.models import Enrollment, Person, Region, db
from desktop_app.ui import operations
from desktop_app.ui.app import make_application
from desktop_app.ui.dashboard import DashboardWidget
from desktop_app.ui.dashboard_model import CategoryChart, PanelView
from desktop_app.ui.fonts import screen_font

YEAR = 2025


def percent(numerator: int, denominator: int) -> str:
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
    return f"{value}%"


def counts(village_id: int) -> tuple[int, int]:
    """(insured, expected) of a village, from DOMAIN.md section 5's words."""
    return db.execute_sql(
        "SELECT SUM(status IN ('paid', 'exempt', 'employee', 'elsewhere')),"
        " SUM(status NOT IN ('deceased', 'moved', 'military', 'other'))"
        " FROM enrollment WHERE year = ? AND village_id = ?",
        (YEAR, village_id),
    ).fetchone()


def rate_in_text(text: str, village: str) -> str:
    found = re.search(rf"{re.escape(village)} (\d+\.\d%)", text)
    assert found, f"{village} not in {text!r}"
    return found.group(1)


@pytest.fixture
def dashboard(qtbot, demo_ledger):
    make_application()
    widget = DashboardWidget()
    qtbot.addWidget(widget)
    widget.resize(1366, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def refresh(qtbot, widget, year=YEAR):
    with qtbot.waitSignal(widget.refreshed, timeout=20000) as shown:
        widget.refresh(year)
    assert shown.args == [year or 0]


def test_the_dashboard_shows_each_villages_rate_and_the_totals(qtbot, dashboard):
    refresh(qtbot, dashboard)
    rates = dashboard.findChild(type(dashboard.village_rate_numbers), "villageRateNumbers").text()
    villages = Region.select().where(Region.level == "village").order_by(Region.code)
    insured_all = expected_all = 0
    for village in villages:
        insured, expected = counts(village.id)
        insured_all += insured
        expected_all += expected
        assert rate_in_text(rates, village.name) == percent(insured, expected)
    assert percent(insured_all, expected_all) in rates and f"{expected_all:,}" in rates

    due = db.execute_sql(
        "SELECT SUM(due_fen) FROM enrollment WHERE year = ? AND status IN ('unpaid', 'paid')",
        (YEAR,),
    ).fetchone()[0]
    unpaid = (
        Enrollment.select()
        .where((Enrollment.year == YEAR) & (Enrollment.status == "unpaid"))
        .count()
    )
    collection = dashboard.findChild(type(dashboard.collection_numbers), "collectionNumbers").text()
    assert f"{format_yuan(due)}元" in collection  # yuan() of ui/labels.py, Chinese by default
    assert str(unpaid) in collection

    born = (
        Person.select()
        .where(Person.birth_date.between(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)))
        .count()
    )
    newborns = dashboard.findChild(type(dashboard.newborn_numbers), "newbornNumbers").text()
    figures = statistics.newborn_enrollment(YEAR)
    assert figures.born == born  # nobody in the demo's newborns is dead or moved
    assert str(born) in newborns and percent(figures.enrolled, born) in newborns

    categories = dashboard.findChild(type(dashboard.category_numbers), "categoryNumbers").text()
    dibao = next(f for f in statistics.categories(YEAR) if f.code == "dibao")
    assert "低保对象" in categories and f"{format_yuan(dibao.subsidy_fen)}元" in categories
    assert "普通居民" in categories


def _line_at(chart, y):
    lines = [s for s in chart.series() if isinstance(s, QLineSeries)]
    assert len(lines) == 1
    points = lines[0].points()
    assert [p.y() for p in points] == [y, y]
    return points


def test_rate_charts_have_a_bar_per_village_and_the_target_line(qtbot, dashboard):
    refresh(qtbot, dashboard)
    n = Region.select().where(Region.level == "village").count()
    chart = dashboard.rates.chart
    points = _line_at(chart, 95.0)
    assert points[0].x() == -0.5 and points[1].x() == n - 0.5  # across every bar
    bars = next(s for s in chart.series() if isinstance(s, QStackedBarSeries))
    reached, below = bars.barSets()
    values = [reached.at(i) + below.at(i) for i in range(n)]
    first = Region.select().where(Region.level == "village").order_by(Region.code).first()
    insured, expected = counts(first.id)
    assert values[0] == pytest.approx(100 * insured / expected)
    # a bar is coloured by the target: in exactly one of the two sets
    assert all((reached.at(i) == 0) != (below.at(i) == 0) for i in range(n))
    _line_at(dashboard.newborns.chart, 80.0)
    assert "95%" in chart.title() and "80%" in dashboard.newborns.chart.title()


def test_the_rate_axes_start_at_zero(qtbot, dashboard):
    """Issue 16: the rate axis started at 70 %."""
    refresh(qtbot, dashboard)
    for panel in (dashboard.rates, dashboard.newborns):
        [value_axis] = panel.chart.axes(Qt.Orientation.Vertical)
        assert isinstance(value_axis, QValueAxis) and (value_axis.min(), value_axis.max()) == (0.0, 100.0)


def test_every_category_is_named_on_one_axis(qtbot, dashboard):
    """Issue 16: of eight categories two were named, on two value axes (persons and money)."""
    dashboard.resize(1366, 520)  # a small screen: the panels get their least height, and scroll
    refresh(qtbot, dashboard)
    names = ("特困人员", "孤儿（含事实无人抚养儿童）", "低保对象", "防止返贫监测对象", "脱贫人口",
             "重度残疾人", "计划生育特殊家庭", "退役军人优抚对象")
    chart = CategoryChart(names=names, persons=tuple(float(n) for n in range(1, 9)), persons_top=8.0,
                          persons_label="人数")
    dashboard._draw_panel(dashboard.categories, PanelView("各类别", chart))
    qtbot.wait(50)  # the layout settles
    qt_chart = dashboard.categories.chart
    [series] = qt_chart.series()
    assert isinstance(series, QHorizontalBarSeries) and len(series.barSets()) == 1
    [category_axis] = qt_chart.axes(Qt.Orientation.Vertical)
    assert isinstance(category_axis, QBarCategoryAxis) and category_axis.categories() == list(names)
    assert [type(a) for a in qt_chart.axes(Qt.Orientation.Horizontal)] == [QValueAxis]
    # a category axis drops names it has no room for: each gets more than a line of the font
    line = QFontMetrics(screen_font()).height()
    assert qt_chart.plotArea().height() / len(names) > line


def test_a_household_payment_changes_the_villages_rate_after_refresh(qtbot, dashboard):
    refresh(qtbot, dashboard)
    household = db.execute_sql(
        "SELECT p.household_id, e.village_id FROM enrollment e JOIN person p ON p.id = e.person_id"
        " WHERE e.year = ? AND e.status = 'unpaid' AND e.paid_fen = 0"
        " GROUP BY p.household_id ORDER BY COUNT(*) DESC, p.household_id LIMIT 1",
        (YEAR,),
    ).fetchone()
    household_id, village_id = household
    village = Region.get_by_id(village_id).name
    rates_before = dashboard.village_rate_numbers.text()
    collection_before = dashboard.collection_numbers.text()
    assert rate_in_text(rates_before, village) == percent(*counts(village_id))

    paid = record_household_payment(household_id, YEAR, dt.date(2024, 12, 20), "税务APP")
    assert len(paid.paid) >= 1 and paid.total_fen > 0
    assert dashboard.village_rate_numbers.text() == rates_before  # nothing changes until refresh
    refresh(qtbot, dashboard)

    after = rate_in_text(dashboard.village_rate_numbers.text(), village)
    assert after == percent(*counts(village_id))
    assert after != rate_in_text(rates_before, village)
    assert dashboard.collection_numbers.text() != collection_before


def test_only_the_newest_refresh_is_shown(qtbot, dashboard):
    shown = []
    dashboard.refreshed.connect(shown.append)
    dashboard.refresh(2024)  # no enrollments that year: it would show empty charts
    refresh(qtbot, dashboard)
    qtbot.waitUntil(lambda: not operations.running(dashboard), timeout=20000)
    assert shown == [YEAR]
    assert dashboard.figures.year == YEAR and dashboard.figures.total.total == 500


def test_no_year_shows_empty_charts_at_once(qtbot, dashboard):
    refresh(qtbot, dashboard)
    refresh(qtbot, dashboard, None)
    assert dashboard.figures is None
    assert dashboard.village_rate_numbers.text() == "" and not dashboard.rates.chart.series()


def test_a_failure_is_reported(qtbot, dashboard, monkeypatch):
    def broken(year, township_id=None):
        raise RuntimeError("数据库文件损坏")

    monkeypatch.setattr(statistics, "dashboard", broken)
    with qtbot.waitSignal(dashboard.refresh_failed, timeout=20000) as failed:
        dashboard.refresh(YEAR)
    assert failed.args == ["数据库文件损坏"]
    assert "数据库文件损坏" in dashboard.state.text()


def test_two_columns_on_a_laptop_one_when_narrow(qtbot, dashboard):
    refresh(qtbot, dashboard)
    grid = dashboard._grid
    assert grid.getItemPosition(grid.indexOf(dashboard.collection))[:2] == (0, 1)
    dashboard.resize(600, 800)
    qtbot.waitUntil(lambda: grid.getItemPosition(grid.indexOf(dashboard.collection))[:2] == (1, 0))
    # the village list wraps between villages, never inside one
    for line in dashboard.village_rate_numbers.text().splitlines()[1:]:
        for entry in line.split("　"):
            assert re.fullmatch(r"\S+ \d+\.\d%", entry), entry
