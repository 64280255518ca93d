"""The village list on the left of the main window: each village with its households and
persons, then its enrollment rate once read off the UI thread.

A mixin of :class:`~desktop_app.ui.main_window.MainWindow` (it uses ``village_list``,
``township_box``, ``year`` and ``village_rates_shown``); its strings are in the ``VillageList``
translation context, which PySide's ``tr`` searches as one of the window's classes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from desktop_app.services import households as household_service
from desktop_app.services.statistics import ENROLLMENT_TARGET_PERCENT, village_rates
from desktop_app.ui.operations import Operation
from desktop_app.ui.text import fill

VILLAGE_NAME_ROLE = Qt.ItemDataRole.UserRole + 1


class VillageList:
    def _fill_villages(self, households: int | None = None) -> None:
        """List the villages (of the township chosen, in a county database); ``households``: the
        ledger's, else the sum of the villages listed."""
        chosen = self._village_id()
        township_id = self.township_box.value()
        villages = household_service.villages_with_counts(township_id)
        if households is None or township_id is not None:
            households = sum(v.households for v in villages)
        self.village_list.blockSignals(True)
        self.village_list.clear()
        everyone = QListWidgetItem(fill(self.tr("All villages (%1 households)"), f"{households:,}"))
        everyone.setData(Qt.ItemDataRole.UserRole, None)
        self.village_list.addItem(everyone)
        for village in villages:
            item = QListWidgetItem(
                fill(self.tr("%1 (%2 households, %3 persons)"),
                     village.name, f"{village.households:,}", f"{village.persons:,}")
            )
            item.setData(Qt.ItemDataRole.UserRole, village.id)
            item.setData(VILLAGE_NAME_ROLE, village.name)
            self.village_list.addItem(item)
            if village.id == chosen:
                self.village_list.setCurrentItem(item)
        if self.village_list.currentItem() is None:
            self.village_list.setCurrentRow(0)
        self.village_list.blockSignals(False)
        self._start_village_rates()

    def _start_village_rates(self) -> None:
        """Each village's enrollment rate, read off the UI thread (a second at a million persons)."""
        year = self.year
        if not year:
            return
        Operation(self, op=lambda _job: village_rates(year), success=lambda rates: self._show_village_rates(year, rates),
                  failure=lambda _exc: None).run_in_background()  # without rates the list is still right

    def _show_village_rates(self, year: int, rates: list) -> None:  # noqa: ANN001
        if year != self.year:
            return  # the year changed meanwhile; its own rates are on the way
        by_id = {r.village_id: r for r in rates}  # by id: two townships may each have a 新村
        for row in range(1, self.village_list.count()):
            item = self.village_list.item(row)
            rate = by_id.get(item.data(Qt.ItemDataRole.UserRole))
            if rate is None or not rate.expected:
                continue
            base = item.text().split("\n")[0]
            item.setText(base + "\n" + fill(self.tr("enrolled %1"), f"{rate.rate:.1%}"))
            if not rate.meets_target:
                item.setToolTip(fill(self.tr("Below the %1% target"), str(ENROLLMENT_TARGET_PERCENT)))
        self.village_rates_shown.emit(year)

    def _village_id(self) -> int | None:
        item = self.village_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _village_name(self) -> str:
        item = self.village_list.currentItem()
        return (item.data(VILLAGE_NAME_ROLE) or "") if item else ""
