"""What the 统计图表 page shows, worked out without a widget: every text and every number.

:class:`DashboardModel` turns the figures of :func:`desktop_app.services.statistics.dashboard`
into a :class:`DashboardView`: the heading, the state line, and for each of the four panels its
title, the bars of its chart (values already in the unit drawn, axis ranges, legend names) and the
numbers written under it. :class:`~desktop_app.ui.dashboard.DashboardWidget` only draws a view;
``tests/ui/test_dashboard_model.py`` checks the views with no widget at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication

from desktop_app.services import statistics
from desktop_app.services.statistics import Dashboard
from desktop_app.services.townships import Township
from desktop_app.ui.labels import yuan
from desktop_app.ui.text import fill

#: Above this (100,000 yuan) money axes count in 万元.
WAN_THRESHOLD_FEN = 10_000_000
#: The rate axes run 0 %, 20 %, … 100 %.
RATE_TICKS = 6


def percent_text(numerator: int, denominator: int) -> str:
    """A rate as DOMAIN.md writes it, one decimal rounded half up: 19/20 -> '95.0%'; nobody -> '—'."""
    if denominator <= 0:
        return "—"
    tenths = (numerator * 2000 + denominator) // (2 * denominator)
    return f"{tenths // 10}.{tenths % 10}%"


def count_text(n: int) -> str:
    return f"{n:,}"


#: A line of the numbers under a chart: a sentence, or entries (one per village or category)
#: that wrap between entries, never inside one.
Row = str | tuple[str, ...]


@dataclass(frozen=True)
class Bars:
    """One part of a stacked bar chart: its name in the legend and a value per village."""

    label: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class StackedChart:
    """A bar per village (``names``) made of ``lower`` with ``upper`` stacked on it."""

    names: tuple[str, ...]
    lower: Bars
    upper: Bars


@dataclass(frozen=True)
class RateChart(StackedChart):
    """Rates (percent) per village: a bar is at or above the target (``lower``) or below it
    (``upper``; 0 in the other), with the target as a line across the chart and the value axis
    from ``axis_bottom`` (always 0 %: a bar's length is its rate) to 100 % in ``axis_ticks`` labels."""

    target_percent: int
    axis_bottom: float
    axis_ticks: int
    target_label: str


@dataclass(frozen=True)
class CollectionChart(StackedChart):
    """Collected (``lower``) and outstanding (``upper``) money per village, in yuan or 万元
    (``axis_title``)."""

    axis_top: float
    axis_title: str


@dataclass(frozen=True)
class CategoryChart:
    """Persons per category as horizontal bars, every category's name on the category axis and
    one value axis (persons); the subsidy of each is in the numbers under the chart. The first
    category comes last: it is drawn on top."""

    names: tuple[str, ...]
    persons: tuple[float, ...]
    persons_top: float
    persons_label: str


@dataclass(frozen=True)
class PanelView:
    title: str
    chart: RateChart | CollectionChart | CategoryChart | None = None
    numbers: tuple[Row, ...] = ()
    tooltip: str = ""


@dataclass(frozen=True)
class DashboardView:
    year: int | None  # None: no figures shown
    heading: str
    state: str
    rates: PanelView
    collection: PanelView
    newborns: PanelView
    categories: PanelView


@dataclass(frozen=True)
class TownshipChoice:
    """An entry of the township picker: its text, the township's id (None: the whole county), and
    ``place``, the words naming what it shows in a sentence (全县, or the township's name)."""

    text: str
    township_id: int | None
    place: str = ""


class DashboardModel:
    """Every text and number of the dashboard, from the figures of a year (or of none)."""

    def township_choices(self, towns: Sequence[Township]) -> tuple[TownshipChoice, ...]:
        """The picker of a county database (two townships or more): 全县 first, then each
        township; none at all for a township's own ledger (no picker is shown)."""
        if len(towns) < 2:
            return ()
        whole = QCoreApplication.translate("DashboardModel", "Whole county")
        return (TownshipChoice(whole, None, whole),
                *(TownshipChoice(f"{t.name} {t.code}".strip(), t.id, t.name) for t in towns))

    def heading_of(self, view: DashboardView, place: str) -> DashboardView:
        """``view`` with the township (or 全县) it shows named before its heading."""
        return replace(view, heading=fill(QCoreApplication.translate("DashboardModel", "%1: %2"),
                                          place, view.heading))

    def choose_year(self) -> DashboardView:
        return self.empty(QCoreApplication.translate("DashboardModel", "Choose a year to see its figures."))

    def no_year(self) -> DashboardView:
        return self.empty(QCoreApplication.translate(
            "DashboardModel", "No enrollment year yet: load a policy or import a roster."))

    def reading(self, year: int) -> str:
        return fill(QCoreApplication.translate("DashboardModel", "Reading the figures of %1…"), str(year))

    def failed(self, exc: BaseException) -> str:
        return fill(QCoreApplication.translate("DashboardModel", "Could not read the figures: %1"), str(exc))

    def empty(self, message: str) -> DashboardView:
        """Empty charts with their titles, and ``message`` as the state."""
        return DashboardView(
            year=None,
            heading=QCoreApplication.translate("DashboardModel", "Figures of the year"),
            state=message,
            rates=PanelView(QCoreApplication.translate("DashboardModel", "Enrollment rate by village")),
            collection=PanelView(
                QCoreApplication.translate("DashboardModel", "Collection progress by village")),
            newborns=PanelView(
                QCoreApplication.translate("DashboardModel", "Newborns enrolled in their birth year")),
            categories=PanelView(
                QCoreApplication.translate("DashboardModel", "Persons and subsidy by category")),
        )

    def view(self, d: Dashboard, chosen: TownshipChoice | None = None) -> DashboardView:
        """The view of figures ``d``; ``chosen``: the picker's entry in a county database (the
        heading and the rate sentence name 全县 or the township), None for a township's own ledger."""
        total = d.total
        view = DashboardView(
            year=d.year,
            heading=fill(QCoreApplication.translate(
                     "DashboardModel", "Figures of %1: %2 persons registered in %3 villages"),
                         str(d.year),
                         count_text(total.total),
                         str(len(d.villages))),
            state="" if d.villages else QCoreApplication.translate(
                "DashboardModel", "Nobody is registered for this year yet."),
            rates=self._rates(d, chosen.place if chosen is not None else None),
            collection=self._collection(d),
            newborns=self._newborns(d),
            categories=self._categories(d),
        )
        return view if chosen is None else self.heading_of(view, chosen.text)

    # --- the panels -----------------------------------------------------------------------
    @staticmethod
    def _rate_chart(
        names: list[str], counts: list[tuple[int, int]], target_percent: int
    ) -> RateChart:
        """Rates per village, green at or above the target and orange below."""
        reached: list[float] = []
        below: list[float] = []
        for numerator, denominator in counts:
            value = 100.0 * numerator / denominator if denominator else 0.0
            hit = statistics.meets(numerator, denominator, target_percent)
            reached.append(value if hit else 0.0)
            below.append(0.0 if hit else value)
        # the value axis starts at 0 % (a bar's length is its rate); 93 % and 96 % are told
        # apart by the numbers under the chart, not by an axis that started at 70 %
        return RateChart(
            names=tuple(names),
            lower=Bars(QCoreApplication.translate("DashboardModel", "At or above target"), tuple(reached)),
            upper=Bars(QCoreApplication.translate("DashboardModel", "Below target"), tuple(below)),
            target_percent=target_percent,
            axis_bottom=0.0,
            axis_ticks=RATE_TICKS,
            target_label=fill(QCoreApplication.translate("DashboardModel", "Target %1%"),
                              str(target_percent)),
        )

    def _rates(self, d: Dashboard, place: str | None) -> PanelView:
        """``place``: who the whole-rate sentence is about (全县, a township's name); None: the
        ledger's one township (全镇). A county's 全县 view (``d.townships``): a bar per township."""
        target = statistics.ENROLLMENT_TARGET_PERCENT
        areas = d.townships or d.villages
        chart = self._rate_chart(
            [v.name for v in areas], [(v.insured, v.expected) for v in areas], target
        )
        reaching = sum(1 for v in areas if v.meets_target)
        figures = (percent_text(d.total.insured, d.total.expected), count_text(d.total.insured),
                   count_text(d.total.expected), str(target), str(reaching), str(len(areas)))
        if d.townships:
            line = fill(QCoreApplication.translate(
                "DashboardModel",
                "%1: enrollment rate %2 (%3 insured of %4 expected); target %5%; "
                "%6 of %7 townships reach it",
            ), place or "", *figures)
        elif place is None:
            line = fill(QCoreApplication.translate(
                "DashboardModel",
                "Township: enrollment rate %1 (%2 insured of %3 expected); target %4%; "
                "%5 of %6 villages reach it",
            ), *figures)
        else:
            line = fill(QCoreApplication.translate(
                "DashboardModel",
                "%1: enrollment rate %2 (%3 insured of %4 expected); target %5%; "
                "%6 of %7 villages reach it",
            ), place, *figures)
        title = (QCoreApplication.translate("DashboardModel", "Enrollment rate by township (target %1%)")
                 if d.townships else
                 QCoreApplication.translate("DashboardModel", "Enrollment rate by village (target %1%)"))
        return PanelView(
            title=fill(title, str(target)),
            chart=chart,
            numbers=(line, tuple(f"{v.name} {percent_text(v.insured, v.expected)}" for v in areas)),
        )

    def _collection(self, d: Dashboard) -> PanelView:
        c = d.collection
        areas: Sequence[statistics.VillageCollection | statistics.VillageSummary] = d.townships or c.villages
        wan = max((v.due_fen for v in areas), default=0) >= WAN_THRESHOLD_FEN
        divisor = 1_000_000.0 if wan else 100.0
        chart = CollectionChart(
            names=tuple(v.name for v in areas),
            # display only: the numbers below are exact
            lower=Bars(QCoreApplication.translate("DashboardModel", "Collected"),
                       tuple(v.collected_fen / divisor for v in areas)),
            upper=Bars(QCoreApplication.translate("DashboardModel", "Outstanding"),
                       tuple(v.outstanding_fen / divisor for v in areas)),
            axis_top=max((v.due_fen / divisor for v in areas), default=1.0) or 1.0,
            axis_title=QCoreApplication.translate("DashboardModel", "10,000 yuan") if wan
            else QCoreApplication.translate("DashboardModel", "yuan"),
        )
        text = (
            fill(QCoreApplication.translate(
                     "DashboardModel", "Due %1; collected %2 (%3); outstanding %4 from %5 unpaid persons"),
                 yuan(c.due_fen),
                 yuan(c.collected_fen),
                 percent_text(c.collected_fen, c.due_fen),
                 yuan(c.outstanding_fen),
                 count_text(c.unpaid))
        )
        paid = (
            fill(QCoreApplication.translate(
                     "DashboardModel", "Amount paid %1, of which %2 is owed back (subsidy after payment)"),
                 yuan(c.paid_fen),
                 yuan(c.refund_fen))
        )
        title = (QCoreApplication.translate("DashboardModel", "Collection progress by township: %1 collected")
                 if d.townships else
                 QCoreApplication.translate("DashboardModel", "Collection progress by village: %1 collected"))
        return PanelView(
            title=fill(title, percent_text(c.collected_fen, c.due_fen)),
            chart=chart,
            numbers=(text, paid),
        )

    def _newborns(self, d: Dashboard) -> PanelView:
        n = d.newborns
        areas = n.townships if d.townships else n.villages
        target = statistics.NEWBORN_TARGET_PERCENT
        chart = self._rate_chart(
            [v.name for v in areas], [(v.enrolled, v.born) for v in areas], target
        )
        text = (
            fill(QCoreApplication.translate(
                     "DashboardModel", "Born in %1: %2; enrolled in the birth year: %3 (%4); target %5%"),
                 str(d.year),
                 count_text(n.born),
                 count_text(n.enrolled),
                 percent_text(n.enrolled, n.born),
                 str(target))
        )
        if n.not_expected:
            text += fill(QCoreApplication.translate(
                     "DashboardModel", "; %1 not counted (deceased, moved away…)"
                 ), count_text(n.not_expected))
        return PanelView(
            title=fill(QCoreApplication.translate(
                     "DashboardModel", "Newborns enrolled in their birth year (target %1%)"
                 ), str(target)),
            chart=chart,
            numbers=(
                text,
                tuple(f"{v.name} {percent_text(v.enrolled, v.born)} ({v.enrolled}/{v.born})"
                      for v in areas),
            ),
        )

    def _categories(self, d: Dashboard) -> PanelView:
        # 普通居民 would dwarf every category on the persons axis: it is in the numbers only
        shown = [c for c in d.categories if c.code != "none"][::-1]  # first category on top
        chart = CategoryChart(
            names=tuple(c.name for c in shown),
            persons=tuple(float(c.persons) for c in shown),
            persons_top=max((c.persons for c in shown), default=1) or 1,
            persons_label=QCoreApplication.translate("DashboardModel", "Persons"),
        )
        entries = [
            fill(QCoreApplication.translate("DashboardModel", "%1 %2 persons (%3 subsidised, %4)"),
                 c.name,
                 count_text(c.persons),
                 count_text(c.subsidised),
                 yuan(c.subsidy_fen))
            for c in d.categories
            if c.code != "none"
        ]
        entries += [
            fill(QCoreApplication.translate("DashboardModel", "%1 (no category) %2 persons"),
                 c.name,
                 count_text(c.persons))
            for c in d.categories
            if c.code == "none"
        ]
        total = (
            fill(QCoreApplication.translate("DashboardModel", "Total subsidy: %1 persons subsidised, %2"),
                 count_text(d.total.subsidised),
                 yuan(d.total.subsidy_fen))
        )
        return PanelView(
            title=QCoreApplication.translate("DashboardModel", "Persons and subsidy by category"),
            chart=chart,
            numbers=(tuple(entries), total),
            tooltip=QCoreApplication.translate(
                "DashboardModel",
                "A person in several categories counts under each; the subsidy counts under "
                "the one category applied (the highest), so the subsidies add up to the total.",
            ),
        )
