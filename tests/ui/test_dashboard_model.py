"""The dashboard's view-model: every text and number of the 统计图表 page, with no widget.

Each figure is checked against the ledger itself (SQL over the enrollment table, DOMAIN.md
section 5's words), not against what the statistics service says. The application object is made
only so that the Chinese translation is installed; no widget is created.
"""

import datetime as dt
import os
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

import pytest

from desktop_app.domain.money import format_yuan
from desktop_app.services import statistics
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store.models import db
from desktop_app.ui.app import make_application
from desktop_app.ui.dashboard_model import (
    WAN_THRESHOLD_FEN,
    CategoryChart,
    CollectionChart,
    DashboardModel,
    RateChart,
    percent_text,
)
from tests.conftest import DEMO_TODAY

YEAR = 2025


def percent(numerator: int, denominator: int) -> str:
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
    return f"{value}%"


def village_counts(year: int = YEAR) -> list[tuple[str, int, int, int, int]]:
    """(name, insured, expected, due_fen, outstanding_fen) per village in code order."""
    return db.execute_sql(
        "SELECT r.name,"
        " SUM(e.status IN ('paid', 'exempt', 'employee', 'elsewhere')),"
        " SUM(e.status NOT IN ('deceased', 'moved', 'military', 'other')),"
        " SUM(CASE WHEN e.status IN ('unpaid', 'paid') THEN e.due_fen ELSE 0 END),"
        " SUM(CASE WHEN e.status = 'unpaid' THEN MAX(e.due_fen - e.paid_fen, 0) ELSE 0 END)"
        " FROM enrollment e JOIN region r ON r.id = e.village_id WHERE e.year = ?"
        " GROUP BY r.id ORDER BY r.code",
        (year,),
    ).fetchall()


@pytest.fixture
def model():
    make_application()  # the zh_CN translation; no widget
    return DashboardModel()


def test_percent_text_is_one_decimal_half_up():
    assert percent_text(19, 20) == "95.0%"
    assert percent_text(1899, 2000) == "95.0%"  # 94.95% rounds up, as the export's 0.0% does
    assert percent_text(1, 3) == "33.3%" and percent_text(2, 3) == "66.7%"
    assert percent_text(0, 0) == "—"


def test_the_model_imports_no_widget():
    code = (
        "import sys\n"
        "import desktop_app.ui.dashboard_model\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6.Qt')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert "QtWidgets" not in out.stdout and "QtCharts" not in out.stdout, out.stdout


def test_each_villages_rate_bar_and_the_rate_numbers(model, demo_ledger):
    view = model.view(statistics.dashboard(YEAR))
    villages = village_counts()
    assert view.year == YEAR
    assert view.heading == f"{YEAR}年度统计：{len(villages)}个村(社区)共登记500人"
    assert view.state == ""
    chart = view.rates.chart
    assert isinstance(chart, RateChart)
    assert chart.names == tuple(name for name, *_ in villages)
    rates = []
    for (_name, insured, expected, _due, _owed), hit, miss in zip(villages, chart.lower.values, chart.upper.values):
        rate = 100 * insured / expected
        rates.append(rate)
        reaches = insured * 100 >= 95 * expected
        assert (hit, miss) == ((pytest.approx(rate), 0.0) if reaches else (0.0, pytest.approx(rate)))
    assert chart.target_percent == 95 and "95%" in chart.target_label and "95%" in view.rates.title
    # issue 16: the axis started at 70 %, so a bar's length was not its rate; now from 0 % to
    # 100 % by twenties, and 93 % and 96 % are told apart by the numbers under the chart
    assert min(rates) > 20 and (chart.axis_bottom, chart.axis_ticks) == (0.0, 6)
    township, entries = view.rates.numbers
    insured_all = sum(v[1] for v in villages)
    expected_all = sum(v[2] for v in villages)
    assert percent(insured_all, expected_all) in township
    assert f"应参保{expected_all:,}人" in township and f"已参保{insured_all:,}人" in township
    assert entries == tuple(f"{name} {percent(i, e)}" for name, i, e, *_ in villages)


def test_collection_bars_add_up_to_what_each_village_owes(model, demo_ledger):
    view = model.view(statistics.dashboard(YEAR))
    villages = village_counts()
    chart = view.collection.chart
    assert isinstance(chart, CollectionChart)
    assert max(v[3] for v in villages) < WAN_THRESHOLD_FEN and chart.axis_title == "元"
    for (_name, _i, _e, due, owed), collected, outstanding in zip(
        villages, chart.lower.values, chart.upper.values
    ):
        assert outstanding == pytest.approx(owed / 100)
        assert collected + outstanding == pytest.approx(due / 100)
    assert chart.axis_top == pytest.approx(max(v[3] for v in villages) / 100)
    due_all = sum(v[3] for v in villages)
    owed_all = sum(v[4] for v in villages)
    text, paid = view.collection.numbers
    assert f"{format_yuan(due_all)}元" in text and f"{format_yuan(owed_all)}元" in text
    assert percent(due_all - owed_all, due_all) in view.collection.title
    assert "应退" in paid


def test_newborns_against_eighty_percent(model, demo_ledger):
    view = model.view(statistics.dashboard(YEAR))
    chart = view.newborns.chart
    assert isinstance(chart, RateChart) and chart.target_percent == 80
    assert (chart.axis_bottom, chart.axis_ticks) == (0.0, 6)  # the whole scale, as the enrollment rates
    born = db.execute_sql(
        "SELECT COUNT(*) FROM person WHERE birth_date BETWEEN ? AND ?",
        (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),
    ).fetchone()[0]
    text, entries = view.newborns.numbers
    assert f"{YEAR}年出生{born}人" in text
    assert len(entries) == len(chart.names) and all(name in entries[i] for i, name in enumerate(chart.names))


def test_categories_leave_ordinary_residents_to_the_numbers(model, demo_ledger):
    view = model.view(statistics.dashboard(YEAR))
    chart = view.categories.chart
    assert isinstance(chart, CategoryChart)
    assert "普通居民" not in chart.names
    assert chart.persons_top == max(chart.persons) and chart.persons_label == "人数"
    # one value axis (persons): the subsidy is in the numbers only, every category named there
    assert not hasattr(chart, "subsidy") and not hasattr(chart, "money_top")
    shown = [c for c in statistics.categories(YEAR) if c.code != "none"]
    assert chart.names == tuple(c.name for c in reversed(shown))
    entries, total = view.categories.numbers
    assert any(entry.startswith("普通居民") for entry in entries)
    subsidised, subsidy_fen = db.execute_sql(  # 资助人数 and 资助金额 count the paid and exempt
        "SELECT SUM(subsidy_fen > 0), SUM(subsidy_fen) FROM enrollment"
        " WHERE year = ? AND status IN ('paid', 'exempt')",
        (YEAR,),
    ).fetchone()
    assert total == f"资助合计：{subsidised}人，{format_yuan(subsidy_fen)}元"
    assert view.categories.tooltip


def test_money_counts_in_wan_yuan_above_a_hundred_thousand(model, ledger):
    generate_demo(DemoOptions(persons=2000, seed=3, today=DEMO_TODAY))
    villages = village_counts()
    assert max(v[3] for v in villages) >= WAN_THRESHOLD_FEN
    chart = model.view(statistics.dashboard(YEAR)).collection.chart
    assert chart.axis_title == "万元"
    for (_n, _i, _e, due, _o), collected, outstanding in zip(villages, chart.lower.values, chart.upper.values):
        assert collected + outstanding == pytest.approx(due / 1_000_000)


def test_views_without_figures(model, demo_ledger):
    for view in (model.choose_year(), model.no_year()):
        assert view.year is None and view.state
        panels = (view.rates, view.collection, view.newborns, view.categories)
        assert all(p.chart is None and p.numbers == () and p.title for p in panels)
    assert model.choose_year().state != model.no_year().state
    nobody = model.view(statistics.dashboard(2024))  # the demo has no enrollment that year
    assert nobody.state and nobody.rates.chart.names == ()
    assert "2031" in model.reading(2031)
    assert "数据库文件损坏" in model.failed(RuntimeError("数据库文件损坏"))
