"""The one place that decides which household the right-hand panel shows: the household of the
highlighted row of the table on screen (人员 or 户), and nothing when no row is highlighted.

A payment or a status is recorded on the panel's household, so the panel must never show a
household other than the highlighted row's. It follows the row when the current row changes,
when the row is clicked again, when the tab changes, and when a table's rows are read again
(search, filter, year, refresh, reload). A reload keeps the highlighted row when the same
person or household is still at that row; otherwise no row is highlighted and the panel is
cleared ("Choose a household or a person"), rather than showing a household no row points at.
On the 统计图表 tab (no rows) the panel keeps its household, read again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTableView, QTabWidget

from desktop_app.services import households as household_service
from desktop_app.ui.household_panel import HouseholdPanel


class PanelFollower(QObject):
    def __init__(self, tabs: QTabWidget, panel: HouseholdPanel, person_table: QTableView,
                 household_table: QTableView, year: Callable[[], int | None]) -> None:
        super().__init__(panel)
        self.tabs, self.panel, self.year = tabs, panel, year
        self.person_table, self.household_table = person_table, household_table
        self._kept: dict[QTableView, tuple[int, int | None]] = {}
        self._restoring = False
        for table in (person_table, household_table):
            model = table.model()
            table.selectionModel().currentRowChanged.connect(lambda _c, _p, t=table: self._row_changed(t))
            table.clicked.connect(lambda _index, t=table: self._row_changed(t))  # the same row again: read it again
            model.modelAboutToBeReset.connect(lambda t=table: self._remember(t))
            model.modelReset.connect(lambda t=table: self._restore(t))
        tabs.currentChanged.connect(lambda _i: self.sync())

    def _key(self, table: QTableView, row: int) -> int | None:
        """The person (人员) or household (户) at ``row``, by id."""
        item = table.model().row_at(row) if row >= 0 else None
        return None if item is None else item.id

    def _row_changed(self, table: QTableView) -> None:
        if not self._restoring and table is self.tabs.currentWidget():
            self.sync()

    def _remember(self, table: QTableView) -> None:
        row = table.currentIndex().row()
        self._kept[table] = (row, self._key(table, row))

    def _restore(self, table: QTableView) -> None:
        row, key = self._kept.pop(table, (-1, None))
        if key is not None and self._key(table, row) == key:
            self._restoring = True
            try:
                table.selectRow(row)
            finally:
                self._restoring = False
        if table is self.tabs.currentWidget():
            self.sync()

    def sync(self) -> None:
        """Show the household of the visible table's highlighted row (read again), or none."""
        year = self.year() or 0
        table = self.tabs.currentWidget()
        if table not in (self.person_table, self.household_table):  # the figures: keep what is shown, fresh
            shown = self.panel.household
            fresh = household_service.find_household_by_number(shown.number) if shown is not None else None
            self.panel.show_household(fresh, year, select_person=self.panel.selected_person_id())
            return
        row = table.currentIndex().row()
        item = table.model().row_at(row) if row >= 0 else None
        if item is None:
            self.panel.show_household(None, year)
        elif table is self.person_table:
            household = household_service.find_household_by_number(item.household_number)
            self.panel.show_household(household, year, select_person=item.id)
        else:
            same = self.panel.household is not None and self.panel.household.id == item.id
            self.panel.show_household(item, year, select_person=self.panel.selected_person_id() if same else None)
