"""The year, village and township pickers every dialog shares (like Anki's deck chooser): one way
to list the ledger's years, villages or townships, to choose one, and to be told when the choice
changes.

Each is a combo box with ``value()`` / ``set_value()`` and a ``value_changed`` signal carrying
the value; ``reload()`` lists again without emitting it. Each sizes itself to its longest
text whenever it is filled: a box filled after it was first shown (the main window's, on a
ledger that was empty at start) kept the width of its first, empty showing and clipped
"2025年度".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from desktop_app.services.households import village_names
from desktop_app.services.policy import policy_years
from desktop_app.services.townships import Township, townships
from desktop_app.ui.text import fill


class _Picker(QComboBox):
    value_changed = Signal(object)

    def __init__(self, name: str, parent: QWidget | None, *, none_entry: bool, editable: bool = False) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self._none_entry = none_entry  # a first entry whose value is None
        self.setEditable(editable)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        if editable:  # a typed name changes the value without changing the index
            self.currentTextChanged.connect(lambda _text: self.value_changed.emit(self.value()))
        else:
            self.currentIndexChanged.connect(lambda _index: self.value_changed.emit(self.value()))

    def set_value(self, value: object) -> None:
        """Choose ``value`` when listed (None: the first entry, when it means "none")."""
        if self.isEditable():
            self.setCurrentText(str(value or ""))
        else:
            self._choose(value, 0 if value is None and self._none_entry else self.currentIndex())

    def _choose(self, value: object, otherwise: int) -> None:
        """Choose the entry holding ``value``, else the entry at ``otherwise``."""
        index = self.findData(value) if value is not None else -1
        self.setCurrentIndex(index if index >= 0 else otherwise)


class YearPicker(_Picker):
    """A year of the ledger, shown as "2025年度"; ``value()`` is the year, or None.

    ``none_text`` adds a first entry meaning "no particular year" (value None), chosen when the
    wanted year is not listed; without it the newest year is chosen then.
    """

    def __init__(self, name: str = "", parent: QWidget | None = None, *, none_text: str = "") -> None:
        super().__init__(name, parent, none_entry=bool(none_text))
        self._none_text = none_text

    def value(self) -> int | None:
        return self.currentData()

    def reload(self, wanted: int | None = None, years: Sequence[int] | None = None) -> None:
        """List ``years`` (the years with a policy when None) and choose ``wanted``."""
        years = policy_years() if years is None else list(years)
        self.blockSignals(True)
        self.clear()
        if self._none_text:
            self.addItem(self._none_text, None)
        for year in years:
            self.addItem(fill(self.tr("%1 year"), str(year)), year)
        self._choose(wanted, 0 if self._none_text else self.count() - 1)
        self.blockSignals(False)


class VillagePicker(_Picker):
    """A village by name; ``value()`` is the name, or None for the "all villages" entry.

    Names only, read without counting anyone (:func:`village_names`). ``everyone`` adds the
    "all villages" entry first; ``editable`` lets a name be typed (a new household's village,
    which an administrator may create by naming it). Every village is listed, a clerk's too, as
    before: the services refuse work in a village that is not theirs, with the reason.
    """

    def __init__(self, name: str = "", parent: QWidget | None = None, *, everyone: bool = False,
                 editable: bool = False) -> None:
        super().__init__(name, parent, none_entry=everyone, editable=editable)

    def value(self) -> str | None:
        return self.currentText().strip() if self.isEditable() else self.currentData()

    def reload(self, wanted: str | None = None) -> None:
        """List the villages again and choose ``wanted`` (else the first entry)."""
        self.blockSignals(True)
        self.clear()
        if self._none_entry:
            self.addItem(self.tr("All villages"), None)
        for name in village_names():
            self.addItem(name, name)
        if self.isEditable():
            self.setCurrentText(wanted or "")
        else:
            self._choose(wanted, 0)
        self.blockSignals(False)


class TownshipPicker(_Picker):
    """A township of a county database, shown as "青山镇 431199101", after a first entry for the
    whole county; ``value()`` is the township's id, or None for the whole county.

    A ledger of one township lists no township at all (``is_county()`` false): its window shows
    no picker, and ``value()`` stays None.
    """

    def __init__(self, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(name, parent, none_entry=True)

    def value(self) -> int | None:
        return self.currentData()

    def is_county(self) -> bool:
        return self.count() > 1

    def reload(self, wanted: int | None = None, towns: Sequence[Township] | None = None) -> None:
        """List the townships (those of the ledger when None) and choose ``wanted`` (else the
        whole county); nothing when there are fewer than two."""
        towns = townships() if towns is None else list(towns)
        self.blockSignals(True)
        self.clear()
        if len(towns) >= 2:
            # the dashboard's word for it (its own picker: ui/dashboard_model.township_choices)
            self.addItem(QCoreApplication.translate("DashboardModel", "Whole county"), None)
            for town in towns:
                self.addItem(f"{town.name} {town.code}".strip(), town.id)
        self._choose(wanted, 0)
        self.blockSignals(False)
