"""统计图表: the year at a glance, four charts with their numbers written under each.

- 参保率 of each village against the 95% target line;
- collection progress: what was due, collected towards it and still outstanding, per village;
- newborns enrolled in their birth year, per village, against the 80% target line;
- persons per category, every category named on its axis (the subsidy is in the numbers).

The figures come from :func:`desktop_app.services.statistics.dashboard`, read off the UI thread;
every text and number shown is worked out by :class:`~desktop_app.ui.dashboard_model.DashboardModel`
(tested without widgets), and this module only draws it. :attr:`DashboardWidget.refreshed` fires
once they are on screen. The main window calls
:meth:`DashboardWidget.refresh` with the year shown whenever data changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import statistics
from desktop_app.services.county_figures import by_township
from desktop_app.services.statistics import Dashboard
from desktop_app.services.townships import townships
from desktop_app.ui.dashboard_model import (
    CategoryChart,
    CollectionChart,
    DashboardModel,
    DashboardView,
    PanelView,
    RateChart,
    Row,
    StackedChart,
    TownshipChoice,
)
from desktop_app.ui.fonts import screen_font
from desktop_app.ui.operations import Operation

REACHED = QColor("#2e7d32")
BELOW = QColor("#ef6c00")
TARGET = QColor("#c62828")
COLLECTED = QColor("#1565c0")
OUTSTANDING = QColor("#ffb74d")
PERSONS = QColor("#1565c0")

def _value_axis(low: float, high: float, label_format: str = "%.0f", nice: bool = True) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(low, high)
    if nice:
        axis.applyNiceNumbers()
    axis.setLabelFormat(label_format)
    return axis


def _bar_set(label: str, color: QColor, values: Sequence[float]) -> QBarSet:
    """A chart's bars of one colour, named ``label`` in the legend."""
    bar_set = QBarSet(label)
    bar_set.setColor(color)
    bar_set.append(list(values))
    return bar_set


class _Panel(QFrame):
    """A chart with its row of numbers under it."""

    def __init__(self, name: str, numbers_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setBackgroundRoundness(0)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setTitleFont(screen_font(2, bold=True))
        self.chart.legend().setFont(screen_font())
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.plotAreaChanged.connect(lambda _area: self.fit_labels())
        self.view = QChartView(self.chart)
        self.view.setObjectName(f"{name}Chart")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        em = QFontMetrics(screen_font()).height()
        self.view.setMinimumSize(em * 18, em * 12)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.numbers = QLabel()
        self.numbers.setObjectName(numbers_name)
        self.numbers.setWordWrap(True)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.numbers.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 6)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.numbers)
        self._category_axis: QBarCategoryAxis | None = None
        self._rows: list[Row] = []

    def set_numbers(self, *rows: Row) -> None:
        """The numbers under the chart: a sentence per string; a list is a row of entries
        (one per village or category) that wraps between entries, never inside one."""
        self._rows = list(rows)
        self._fill_numbers()

    def _fill_numbers(self) -> None:
        margins = self.layout().contentsMargins()
        width = self.width() - margins.left() - margins.right() - 2 * self.frameWidth()
        metrics = self.numbers.fontMetrics()
        lines: list[str] = []
        for row in self._rows:
            if isinstance(row, str):
                lines.append(row)
                continue
            line = ""
            for entry in row:
                longer = f"{line}　{entry}" if line else entry
                if line and metrics.horizontalAdvance(longer) > width:
                    lines.append(line)
                    line = entry
                else:
                    line = longer
            lines.append(line)
        self.numbers.setText("\n".join(line for line in lines if line))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fill_numbers()

    def clear(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
            axis.deleteLater()
        self._category_axis = None

    def axis(
        self, axis: QBarCategoryAxis | QValueAxis, side: Qt.AlignmentFlag, title: str = ""
    ) -> None:
        axis.setLabelsFont(screen_font())
        axis.setTitleFont(screen_font())
        if title:
            axis.setTitleText(title)
        self.chart.addAxis(axis, side)
        if isinstance(axis, QBarCategoryAxis):
            axis.setTruncateLabels(False)
            self._category_axis = axis

    def stacked_bars(self, chart: StackedChart, lower: QColor, upper: QColor) -> tuple[QStackedBarSeries, QBarCategoryAxis]:
        """One stacked bar per village of ``chart`` (its lower part in colour ``lower``), on a
        category axis of the village names below."""
        bars = QStackedBarSeries()
        for part, color in ((chart.lower, lower), (chart.upper, upper)):
            bars.append(_bar_set(part.label, color, part.values))
        return bars, self.bar_series(bars, 0.6, chart.names, Qt.AlignmentFlag.AlignBottom)

    def bar_series(self, series: QAbstractBarSeries, width: float, names: Sequence[str],
                   where: Qt.AlignmentFlag) -> QBarCategoryAxis:
        """``series`` on the chart, its bars ``width`` of their room, on a category axis of
        ``names`` at ``where`` (returned, for the series to attach)."""
        series.setBarWidth(width)
        self.chart.addSeries(series)
        axis = QBarCategoryAxis()
        axis.append(list(names) or [""])
        self.axis(axis, where)
        return axis

    def fit_rows(self, rows: int) -> None:
        """Tall enough for ``rows`` names on a vertical category axis, each a line and a half
        high (a category axis drops the names it has no room for)."""
        em = QFontMetrics(screen_font()).height()
        self.view.setMinimumHeight(max(em * 12, int(em * (1.5 * rows + 7))))

    def fit_labels(self) -> None:
        """Village names side by side when they fit, slanted when they would run into each other."""
        axis = self._category_axis
        if axis is None or axis.orientation() != Qt.Orientation.Horizontal or not axis.count():
            return
        metrics = QFontMetrics(axis.labelsFont())
        widest = max(metrics.horizontalAdvance(label) for label in axis.categories())
        room = self.chart.plotArea().width() / axis.count()
        angle = 0 if widest + metrics.averageCharWidth() <= room else -45
        if axis.labelsAngle() != angle:
            axis.setLabelsAngle(angle)


def _numbers_of(panel: str) -> property:
    """A read-only property: the numbers label under the chart panel in attribute ``panel``."""
    return property(lambda self: getattr(self, panel).numbers,
                    doc=f"The numbers label under ``{panel}``, for the main window and tests.")


class DashboardWidget(QWidget):
    """Four charts of the year; call :meth:`refresh` with the year whenever data changes."""

    #: emitted on the UI thread once the figures of a refresh are shown (the year, 0 for none)
    refreshed = Signal(int)
    #: emitted when reading the figures failed, with the reason
    refresh_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.figures: Dashboard | None = None
        self.year: int | None = None
        self._generation = 0
        self.model = DashboardModel()

        self.heading = QLabel()
        self.heading.setObjectName("dashboardHeading")
        self.heading.setFont(screen_font(3, bold=True))
        self.state = QLabel()
        self.state.setObjectName("dashboardState")
        self.state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # a county database (several townships): 全县 or one township; hidden for one township
        self.township_picker = QComboBox()
        self.township_picker.setObjectName("dashboardTownship")
        self.township_picker.setAccessibleName(self.tr("Township"))
        self.township_picker.setVisible(False)
        self.township_picker.activated.connect(lambda _index: self.refresh(self.year))
        self._choices: tuple[TownshipChoice, ...] = ()

        self.rates = _Panel("villageRatePanel", "villageRateNumbers")
        self.collection = _Panel("collectionPanel", "collectionNumbers")
        self.newborns = _Panel("newbornPanel", "newbornNumbers")
        self.categories = _Panel("categoryPanel", "categoryNumbers")
        self._panels = [self.rates, self.collection, self.newborns, self.categories]

        self._grid = QGridLayout()
        self._grid.setSpacing(8)
        self._columns = 0
        content = QWidget()
        content.setObjectName("dashboardContent")
        inner = QVBoxLayout(content)
        top = QHBoxLayout()  # the state sits beside the heading: the charts never jump down
        top.addWidget(self.heading)
        top.addWidget(self.township_picker)
        top.addStretch(1)
        top.addWidget(self.state)
        inner.addLayout(top)
        inner.addLayout(self._grid, 1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("dashboardScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self._arrange(2)
        self._draw(self.model.choose_year())

    # --- the numbers labels, for the main window and tests ------------------------------
    village_rate_numbers = _numbers_of("rates")
    collection_numbers = _numbers_of("collection")
    newborn_numbers = _numbers_of("newborns")
    category_numbers = _numbers_of("categories")

    # --- loading ----------------------------------------------------------------------
    def refresh(self, year: int | None) -> Operation | None:
        """Read ``year``'s figures off the UI thread and show them; ``refreshed`` fires when shown.

        Calling again before the last one finished is fine: only the newest answer is shown.
        ``None`` (a ledger without any year yet) shows empty charts at once."""
        self._generation += 1
        generation = self._generation
        self.year = year
        if year is None:
            self.figures = None
            self._draw(self.model.no_year())
            self.refreshed.emit(0)
            return None
        self._state(self.model.reading(year))
        chosen = self.township_id
        return Operation(self, op=lambda _job: self._read(year, chosen),
                         success=lambda answer: self._loaded(generation, *answer),
                         failure=lambda exc: self._failed(generation, exc)).run_in_background()

    @property
    def township_id(self) -> int | None:
        """The township picked (None: the whole ledger, or a ledger of one township)."""
        index = self.township_picker.currentIndex()
        return self._choices[index].township_id if 0 <= index < len(self._choices) else None

    def _read(self, year: int, chosen: int | None) -> tuple[Dashboard, tuple[TownshipChoice, ...], int | None]:
        """Off the UI thread: the townships there are, and the figures of the one picked."""
        choices = self.model.township_choices(townships())
        if chosen not in {c.township_id for c in choices}:
            chosen = None  # another ledger, or the township is gone: the whole ledger
        figures = statistics.dashboard(year, chosen)
        if choices and chosen is None:  # 全县: a line per township (every township has its 东山村)
            figures = by_township(figures)
        return figures, choices, chosen

    def _loaded(self, generation: int, figures: Dashboard, choices: tuple[TownshipChoice, ...],
                chosen: int | None) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self.figures = figures
        self._show_choices(choices, chosen)
        picked = next((c for c in choices if c.township_id == chosen), None)
        self._draw(self.model.view(figures, picked))
        self.refreshed.emit(figures.year)

    def _show_choices(self, choices: tuple[TownshipChoice, ...], chosen: int | None) -> None:
        if choices != self._choices:
            self._choices = choices
            self.township_picker.clear()
            self.township_picker.addItems([c.text for c in choices])
        self.township_picker.setCurrentIndex(
            next((i for i, c in enumerate(choices) if c.township_id == chosen), -1))
        self.township_picker.setVisible(bool(choices))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._state(self.model.failed(exc))
        self.refresh_failed.emit(str(exc))

    def _state(self, text: str) -> None:
        self.state.setText(text)

    # --- layout -------------------------------------------------------------------------
    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for panel in self._panels:
            self._grid.removeWidget(panel)
        for index, panel in enumerate(self._panels):
            self._grid.addWidget(panel, index // columns, index % columns)
        for column in range(2):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event) -> None:
        # two charts side by side while both keep their minimum width, else one under the other
        needed = 2 * self.rates.view.minimumWidth() + 60
        self._arrange(2 if event.size().width() >= needed else 1)
        super().resizeEvent(event)

    # --- drawing ------------------------------------------------------------------------
    def _draw(self, view: DashboardView) -> None:
        self.heading.setText(view.heading)
        self._state(view.state)
        for panel, shown in ((self.rates, view.rates), (self.collection, view.collection),
                             (self.newborns, view.newborns), (self.categories, view.categories)):
            self._draw_panel(panel, shown)

    def _draw_panel(self, panel: _Panel, view: PanelView) -> None:
        panel.clear()
        panel.chart.setTitle(view.title)
        if isinstance(view.chart, RateChart):
            self._draw_rates(panel, view.chart)
        elif isinstance(view.chart, CollectionChart):
            self._draw_collection(panel, view.chart)
        elif isinstance(view.chart, CategoryChart):
            self._draw_categories(panel, view.chart)
        panel.set_numbers(*view.numbers)
        panel.numbers.setToolTip(view.tooltip)

    @staticmethod
    def _draw_rates(panel: _Panel, chart: RateChart) -> None:
        """Bars of rates per village, green at or above the target and orange below, with the
        target as a dashed line across the whole chart."""
        bars, x_axis = panel.stacked_bars(chart, REACHED, BELOW)
        y_axis = _value_axis(chart.axis_bottom, 100.0, "%.0f%%", nice=False)
        y_axis.setTickCount(chart.axis_ticks)
        panel.axis(y_axis, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(x_axis)
        bars.attachAxis(y_axis)
        line = QLineSeries()
        line.setName(chart.target_label)
        pen = QPen(TARGET)
        pen.setWidthF(2.5)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        n = max(len(chart.names), 1)
        line.append(QPointF(-0.5, chart.target_percent))
        line.append(QPointF(n - 0.5, chart.target_percent))
        panel.chart.addSeries(line)
        line_x = QValueAxis()  # the categories' own scale, hidden: the line spans every bar
        line_x.setRange(-0.5, n - 0.5)
        line_x.setVisible(False)
        panel.chart.addAxis(line_x, Qt.AlignmentFlag.AlignBottom)
        line.attachAxis(line_x)
        line.attachAxis(y_axis)
        panel.fit_labels()

    @staticmethod
    def _draw_collection(panel: _Panel, chart: CollectionChart) -> None:
        bars, x_axis = panel.stacked_bars(chart, COLLECTED, OUTSTANDING)
        y_axis = _value_axis(0.0, chart.axis_top)
        panel.axis(y_axis, Qt.AlignmentFlag.AlignLeft, chart.axis_title)
        bars.attachAxis(x_axis)
        bars.attachAxis(y_axis)
        panel.fit_labels()

    @staticmethod
    def _draw_categories(panel: _Panel, chart: CategoryChart) -> None:
        """Horizontal bars of persons, the categories' names on the left, one value axis below;
        the chart is tall enough that no name is dropped for want of room."""
        series = QHorizontalBarSeries()
        series.append(_bar_set(chart.persons_label, PERSONS, chart.persons))
        names = panel.bar_series(series, 0.7, chart.names, Qt.AlignmentFlag.AlignLeft)
        persons_axis = _value_axis(0.0, chart.persons_top)
        panel.axis(persons_axis, Qt.AlignmentFlag.AlignBottom, chart.persons_label)
        series.attachAxis(names)
        series.attachAxis(persons_axis)
        panel.chart.legend().setVisible(False)  # one series: the axis title names it
        panel.fit_rows(len(chart.names))
