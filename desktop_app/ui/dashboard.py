"""统计图表: the year at a glance, four charts with their numbers written under each.

- 参保率 of each village against the 95% target line;
- collection progress: what was due, collected towards it and still outstanding, per village;
- newborns enrolled in their birth year, per village, against the 80% target line;
- persons and subsidy per category (two value axes: persons below, money above).

The figures come from :func:`desktop_app.services.statistics.dashboard`, read off the UI thread;
:attr:`DashboardWidget.refreshed` fires once they are on screen. The main window calls
:meth:`DashboardWidget.refresh` with the year shown whenever data changes.
"""

from __future__ import annotations

from PySide6.QtCharts import (
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
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
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
from desktop_app.services.statistics import Dashboard
from desktop_app.ui.labels import yuan
from desktop_app.ui.text import fill
from desktop_app.ui.worker import Worker

#: Fonts that hold Chinese glyphs, after the application's own: Noto/Source Han on Linux (UOS,
#: Kylin, the test machines), YaHei on Windows, PingFang on macOS, WenQuanYi on older Linux.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
)

REACHED = QColor("#2e7d32")
BELOW = QColor("#ef6c00")
TARGET = QColor("#c62828")
COLLECTED = QColor("#1565c0")
OUTSTANDING = QColor("#ffb74d")
PERSONS = QColor("#1565c0")
SUBSIDY = QColor("#f9a825")

#: Above this (100,000 yuan) money axes count in 万元.
WAN_THRESHOLD_FEN = 10_000_000


def percent_text(numerator: int, denominator: int) -> str:
    """A rate as DOMAIN.md writes it, one decimal rounded half up: 19/20 -> '95.0%'; nobody -> '—'."""
    if denominator <= 0:
        return "—"
    tenths = (numerator * 2000 + denominator) // (2 * denominator)
    return f"{tenths // 10}.{tenths % 10}%"


def count_text(n: int) -> str:
    return f"{n:,}"


def cjk_font(point_delta: float = 0.0, bold: bool = False) -> QFont:
    """The application's font with Chinese fallbacks, ``point_delta`` points larger; sized in
    points so that 125% and 150% display scaling enlarge the charts' text with the rest."""
    font = QFont(QApplication.font())
    font.setFamilies([font.family(), *CJK_FAMILIES])
    if point_delta:
        font.setPointSizeF(max(font.pointSizeF(), 9.0) + point_delta)
    font.setBold(bold)
    return font


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
        self.chart.setTitleFont(cjk_font(2, bold=True))
        self.chart.legend().setFont(cjk_font())
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.plotAreaChanged.connect(lambda _area: self.fit_labels())
        self.view = QChartView(self.chart)
        self.view.setObjectName(f"{name}Chart")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        em = QFontMetrics(cjk_font()).height()
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
        self._rows: list[str | list[str]] = []

    def set_numbers(self, *rows: str | list[str]) -> None:
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

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
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
        axis.setLabelsFont(cjk_font())
        axis.setTitleFont(cjk_font())
        if title:
            axis.setTitleText(title)
        self.chart.addAxis(axis, side)
        if isinstance(axis, QBarCategoryAxis):
            axis.setTruncateLabels(False)
            self._category_axis = axis

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
        self._workers: list[Worker] = []

        self.heading = QLabel()
        self.heading.setObjectName("dashboardHeading")
        self.heading.setFont(cjk_font(3, bold=True))
        self.state = QLabel()
        self.state.setObjectName("dashboardState")
        self.state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

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
        self._show_nothing(self.tr("Choose a year to see its figures."))

    # --- the numbers labels, for the main window and tests ------------------------------
    @property
    def village_rate_numbers(self) -> QLabel:
        return self.rates.numbers

    @property
    def collection_numbers(self) -> QLabel:
        return self.collection.numbers

    @property
    def newborn_numbers(self) -> QLabel:
        return self.newborns.numbers

    @property
    def category_numbers(self) -> QLabel:
        return self.categories.numbers

    # --- loading ----------------------------------------------------------------------
    def refresh(self, year: int | None) -> Worker | None:
        """Read ``year``'s figures off the UI thread and show them; ``refreshed`` fires when shown.

        Calling again before the last one finished is fine: only the newest answer is shown.
        ``None`` (a ledger without any year yet) shows empty charts at once."""
        self._generation += 1
        generation = self._generation
        self.year = year
        if year is None:
            self.figures = None
            self._show_nothing(self.tr("No enrollment year yet: load a policy or import a roster."))
            self.refreshed.emit(0)
            return None
        self._state(fill(self.tr("Reading the figures of %1…"), str(year)))
        worker = Worker(lambda: statistics.dashboard(year), self)
        worker.finished.connect(lambda figures: self._loaded(generation, worker, figures))
        worker.failed.connect(lambda exc, _trace: self._failed(generation, worker, exc))
        self._workers.append(worker)
        worker.start()
        return worker

    def _forget(self, worker: Worker) -> None:
        if worker in self._workers:
            self._workers.remove(worker)
        worker.deleteLater()

    def _loaded(self, generation: int, worker: Worker, figures: Dashboard) -> None:
        self._forget(worker)
        if generation != self._generation:
            return  # a newer refresh is on its way
        self.figures = figures
        self._show(figures)
        self.refreshed.emit(figures.year)

    def _failed(self, generation: int, worker: Worker, exc: BaseException) -> None:
        self._forget(worker)
        if generation != self._generation:
            return
        self._state(fill(self.tr("Could not read the figures: %1"), str(exc)))
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

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # two charts side by side while both keep their minimum width, else one under the other
        needed = 2 * self.rates.view.minimumWidth() + 60
        self._arrange(2 if event.size().width() >= needed else 1)
        super().resizeEvent(event)

    # --- showing ------------------------------------------------------------------------
    def _show_nothing(self, message: str) -> None:
        self.heading.setText(self.tr("Figures of the year"))
        self._state(message)
        for panel in self._panels:
            panel.clear()
            panel.set_numbers()
        self.rates.chart.setTitle(self.tr("Enrollment rate by village"))
        self.collection.chart.setTitle(self.tr("Collection progress by village"))
        self.newborns.chart.setTitle(self.tr("Newborns enrolled in their birth year"))
        self.categories.chart.setTitle(self.tr("Persons and subsidy by category"))

    def _show(self, d: Dashboard) -> None:
        total = d.total
        self.heading.setText(
            fill(self.tr("Figures of %1: %2 persons registered in %3 villages"),
                 str(d.year),
                 count_text(total.total),
                 str(len(d.villages)))
        )
        self._state("" if d.villages else self.tr("Nobody is registered for this year yet."))
        self._show_rates(d)
        self._show_collection(d)
        self._show_newborns(d)
        self._show_categories(d)

    def _rate_chart(
        self,
        panel: _Panel,
        title: str,
        names: list[str],
        counts: list[tuple[int, int]],
        target_percent: int,
        floor_to_data: bool,
    ) -> None:
        """Bars of rates per village, green at or above the target and orange below, with the
        target as a dashed line across the whole chart."""
        panel.clear()
        panel.chart.setTitle(title)
        reached = QBarSet(self.tr("At or above target"))
        below = QBarSet(self.tr("Below target"))
        reached.setColor(REACHED)
        below.setColor(BELOW)
        lowest = 100.0
        for numerator, denominator in counts:
            value = 100.0 * numerator / denominator if denominator else 0.0
            lowest = min(lowest, value)
            hit = statistics.meets(numerator, denominator, target_percent)
            reached.append(value if hit else 0.0)
            below.append(0.0 if hit else value)
        bars = QStackedBarSeries()
        bars.append(reached)
        bars.append(below)
        bars.setBarWidth(0.6)
        panel.chart.addSeries(bars)
        x_axis = QBarCategoryAxis()
        x_axis.append(names or [""])
        panel.axis(x_axis, Qt.AlignmentFlag.AlignBottom)
        y_axis = QValueAxis()
        # rates near the target are what matters: start the axis at a round 10 below the lowest
        # bar (never above the target) so that 93% and 96% look different; the labels say where
        bottom = 0.0
        if floor_to_data and counts:
            bottom = max(0.0, min(lowest, target_percent) // 10 * 10 - 10)
        y_axis.setRange(bottom, 100.0)
        y_axis.setTickCount(int((100 - bottom) // 10) + 1 if (100 - bottom) <= 50 else 6)
        y_axis.setLabelFormat("%.0f%%")
        panel.axis(y_axis, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(x_axis)
        bars.attachAxis(y_axis)
        line = QLineSeries()
        line.setName(fill(self.tr("Target %1%"), str(target_percent)))
        pen = QPen(TARGET)
        pen.setWidthF(2.5)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        n = max(len(names), 1)
        line.append(QPointF(-0.5, target_percent))
        line.append(QPointF(n - 0.5, target_percent))
        panel.chart.addSeries(line)
        line_x = QValueAxis()  # the categories' own scale, hidden: the line spans every bar
        line_x.setRange(-0.5, n - 0.5)
        line_x.setVisible(False)
        panel.chart.addAxis(line_x, Qt.AlignmentFlag.AlignBottom)
        line.attachAxis(line_x)
        line.attachAxis(y_axis)
        panel.fit_labels()

    def _show_rates(self, d: Dashboard) -> None:
        target = statistics.ENROLLMENT_TARGET_PERCENT
        self._rate_chart(
            self.rates,
            fill(self.tr("Enrollment rate by village (target %1%)"), str(target)),
            [v.name for v in d.villages],
            [(v.insured, v.expected) for v in d.villages],
            target,
            True,
        )
        reaching = sum(1 for v in d.villages if v.meets_target)
        lines = [
            fill(self.tr(
                     "Township: enrollment rate %1 (%2 insured of %3 expected); target %4%; "
                     "%5 of %6 villages reach it"
                 ),
                 percent_text(d.total.insured, d.total.expected),
                 count_text(d.total.insured),
                 count_text(d.total.expected),
                 str(target),
                 str(reaching),
                 str(len(d.villages)))
        ]
        self.rates.set_numbers(
            *lines, [f"{v.name} {percent_text(v.insured, v.expected)}" for v in d.villages]
        )

    def _show_collection(self, d: Dashboard) -> None:
        c = d.collection
        panel = self.collection
        panel.clear()
        panel.chart.setTitle(
            fill(self.tr("Collection progress by village: %1 collected"),
                 percent_text(c.collected_fen, c.due_fen)
            )
        )
        wan = max((v.due_fen for v in c.villages), default=0) >= WAN_THRESHOLD_FEN
        divisor = 1_000_000.0 if wan else 100.0
        collected = QBarSet(self.tr("Collected"))
        outstanding = QBarSet(self.tr("Outstanding"))
        collected.setColor(COLLECTED)
        outstanding.setColor(OUTSTANDING)
        for v in c.villages:
            collected.append(v.collected_fen / divisor)  # display only: the numbers below are exact
            outstanding.append(v.outstanding_fen / divisor)
        bars = QStackedBarSeries()
        bars.append(collected)
        bars.append(outstanding)
        bars.setBarWidth(0.6)
        panel.chart.addSeries(bars)
        x_axis = QBarCategoryAxis()
        x_axis.append([v.name for v in c.villages] or [""])
        panel.axis(x_axis, Qt.AlignmentFlag.AlignBottom)
        y_axis = QValueAxis()
        y_axis.setRange(0.0, max((v.due_fen / divisor for v in c.villages), default=1.0) or 1.0)
        y_axis.applyNiceNumbers()
        y_axis.setLabelFormat("%.0f")
        panel.axis(
            y_axis, Qt.AlignmentFlag.AlignLeft, self.tr("10,000 yuan") if wan else self.tr("yuan")
        )
        bars.attachAxis(x_axis)
        bars.attachAxis(y_axis)
        panel.fit_labels()
        text = (
            fill(self.tr("Due %1; collected %2 (%3); outstanding %4 from %5 unpaid persons"),
                 yuan(c.due_fen),
                 yuan(c.collected_fen),
                 percent_text(c.collected_fen, c.due_fen),
                 yuan(c.outstanding_fen),
                 count_text(c.unpaid))
        )
        paid = (
            fill(self.tr("Amount paid %1, of which %2 is owed back (subsidy after payment)"),
                 yuan(c.paid_fen),
                 yuan(c.refund_fen))
        )
        panel.set_numbers(text, paid)

    def _show_newborns(self, d: Dashboard) -> None:
        n = d.newborns
        target = statistics.NEWBORN_TARGET_PERCENT
        self._rate_chart(
            self.newborns,
            fill(self.tr("Newborns enrolled in their birth year (target %1%)"),
                 str(target)
            ),
            [v.name for v in n.villages],
            [(v.enrolled, v.born) for v in n.villages],
            target,
            False,
        )
        text = (
            fill(self.tr("Born in %1: %2; enrolled in the birth year: %3 (%4); target %5%"),
                 str(d.year),
                 count_text(n.born),
                 count_text(n.enrolled),
                 percent_text(n.enrolled, n.born),
                 str(target))
        )
        if n.not_expected:
            text += fill(self.tr("; %1 not counted (deceased, moved away…)"),
                         count_text(n.not_expected)
            )
        self.newborns.set_numbers(
            text,
            [
                f"{v.name} {percent_text(v.enrolled, v.born)} ({v.enrolled}/{v.born})"
                for v in n.villages
            ],
        )

    def _show_categories(self, d: Dashboard) -> None:
        panel = self.categories
        panel.clear()
        panel.chart.setTitle(self.tr("Persons and subsidy by category"))
        # 普通居民 would dwarf every category on the persons axis: it is in the numbers only
        shown = [c for c in d.categories if c.code != "none"][::-1]  # first category on top
        wan = max((c.subsidy_fen for c in shown), default=0) >= WAN_THRESHOLD_FEN
        divisor = 1_000_000.0 if wan else 100.0
        # two series on two value axes; each carries an empty set where the other's bar goes,
        # so the bars of a category stand side by side instead of on top of each other
        persons = QBarSet(self.tr("Persons"))
        persons_gap = QBarSet("")
        subsidy_gap = QBarSet("")
        subsidy = QBarSet(self.tr("Subsidy (10,000 yuan)") if wan else self.tr("Subsidy (yuan)"))
        persons.setColor(PERSONS)
        subsidy.setColor(SUBSIDY)
        for c in shown:
            persons.append(float(c.persons))
            persons_gap.append(0.0)
            subsidy_gap.append(0.0)
            subsidy.append(c.subsidy_fen / divisor)  # display only
        persons_series = QHorizontalBarSeries()
        persons_series.append(persons)
        persons_series.append(persons_gap)
        subsidy_series = QHorizontalBarSeries()
        subsidy_series.append(subsidy_gap)
        subsidy_series.append(subsidy)
        for series in (persons_series, subsidy_series):
            series.setBarWidth(0.9)
            panel.chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([c.name for c in shown] or [""])
        panel.axis(names, Qt.AlignmentFlag.AlignLeft)
        persons_axis = QValueAxis()
        persons_axis.setRange(0.0, max((c.persons for c in shown), default=1) or 1)
        persons_axis.applyNiceNumbers()
        persons_axis.setLabelFormat("%.0f")
        panel.axis(persons_axis, Qt.AlignmentFlag.AlignBottom)
        money_axis = QValueAxis()
        money_axis.setRange(0.0, max((c.subsidy_fen / divisor for c in shown), default=1.0) or 1.0)
        money_axis.applyNiceNumbers()
        money_axis.setLabelFormat("%.0f")
        money_axis.setLinePenColor(SUBSIDY)
        money_axis.setGridLineVisible(False)
        panel.axis(money_axis, Qt.AlignmentFlag.AlignTop)  # no axis titles: the legend names both
        for series, value_axis in ((persons_series, persons_axis), (subsidy_series, money_axis)):
            series.attachAxis(names)
            series.attachAxis(value_axis)
        legend = panel.chart.legend()
        for series, gap in ((persons_series, persons_gap), (subsidy_series, subsidy_gap)):
            for marker in legend.markers(series):
                if marker.label() == gap.label():
                    marker.setVisible(False)
        entries = [
            fill(self.tr("%1 %2 persons (%3 subsidised, %4)"),
                 c.name,
                 count_text(c.persons),
                 count_text(c.subsidised),
                 yuan(c.subsidy_fen))
            for c in d.categories
            if c.code != "none"
        ]
        entries += [
            fill(self.tr("%1 (no category) %2 persons"),
                 c.name,
                 count_text(c.persons))
            for c in d.categories
            if c.code == "none"
        ]
        total = (
            fill(self.tr("Total subsidy: %1 persons subsidised, %2"),
                 count_text(d.total.subsidised),
                 yuan(d.total.subsidy_fen))
        )
        panel.set_numbers(entries, total)
        panel.numbers.setToolTip(
            self.tr(
                "A person in several categories counts under each; the subsidy counts under "
                "the one category applied (the highest), so the subsidies add up to the total."
            )
        )
