"""The households tab's count in the status bar: "显示1,234户", or "至少1,000户" while the list is
not all counted; the exact count then runs by itself off the UI thread, as the person list's does."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from desktop_app.services.households import HouseholdQuery, count_households
from desktop_app.ui.models import HouseholdTableModel
from desktop_app.ui.operations import Operation
from desktop_app.ui.text import fill


class HouseholdCount(QObject):
    # count a capped list exactly in the background after each new query (tests of the capped
    # state turn it off to look at "至少…户" before the count lands)
    count_by_itself = True

    def __init__(self, model: HouseholdTableModel, view: QWidget) -> None:
        super().__init__(view)
        self.model, self.view = model, view
        self._counting: tuple[HouseholdQuery, int] | None = None  # (query, model generation)
        model.modelReset.connect(self._count_by_itself)

    def text(self) -> str:
        shown = f"{self.model.rowCount():,}"
        if self.model.count_known:
            return fill(self.tr("%1 households shown"), shown)
        return fill(self.tr("At least %1 households"), shown)

    def _count_by_itself(self) -> None:
        model = self.model
        # a count of the same query begun before the list was read again counted the rows of before
        if not self.count_by_itself or model.count_known or self._counting == (model.query, model.generation):
            return
        query, generation = self._counting = (model.query, model.generation)
        Operation(self.view, op=lambda _job: count_households(query),
                  success=lambda count: self._counted(query, generation, count),
                  failure=lambda _exc: self._counted(query, generation, None)).run_in_background()  # "at least" stays

    def _counted(self, query: HouseholdQuery, generation: int, count: int | None) -> None:
        if self._counting == (query, generation):
            self._counting = None
        if count is not None:  # ignored when the list shows another query by now, or was read again
            self.model.set_exact_count(query, count, generation)
