"""The filter of one column of a list (persons, households), as WPS's 自动筛选 asks for it, and
:class:`ColumnFilters`, which gives a list's header its sort and filter entries.

A column of few values (参保状态, 村, 资助类别, 与户主关系) lists them with their counts, to tick; a
text column asks what the cell contains (or only blank cells); an amount asks "at least" and
"at most" in yuan. OK applies, 清除 removes the column's filter; the query itself is built and
run by :mod:`desktop_app.services.person_filters`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.money import format_yuan
from desktop_app.services.person_filters import AMOUNT_COLUMNS, VALUE_COLUMNS, ColumnFilter
from desktop_app.ui.list_header import ListHeader
from desktop_app.ui.text import fill

_YUAN = r"\d{0,7}([.]\d{0,2})?"


def _fen(text: str) -> int | None:
    try:
        return int(Decimal(text.strip()) * 100) if text.strip() else None
    except InvalidOperation:
        return None


class ColumnFilterDialog(QDialog):
    """``values``: (value, label, count) of a column of few values; ignored for other columns."""

    def __init__(self, column: str, title: str, current: ColumnFilter | None,
                 values: Sequence[tuple[str, str, int]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnFilterDialog")
        self.setWindowTitle(fill(self.tr("Filter: %1"), title))
        self.column = column
        self.cleared = False
        layout = QVBoxLayout(self)
        self.value_list: QListWidget | None = None
        self.contains_edit: QLineEdit | None = None
        self.blank_check: QCheckBox | None = None
        self.least_edit: QLineEdit | None = None
        self.most_edit: QLineEdit | None = None
        if column in VALUE_COLUMNS:
            self.value_list = QListWidget()
            self.value_list.setObjectName("filterValues")
            chosen = None if current is None or current.values is None else set(current.values)
            for value, label, count in values:
                item = QListWidgetItem(fill(self.tr("%1 (%2)"), label or self.tr("(blank)"), f"{count:,}"))
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if chosen is None or value in chosen
                                   else Qt.CheckState.Unchecked)
                self.value_list.addItem(item)
            every, none = QPushButton(self.tr("Tick &all")), QPushButton(self.tr("Tick &none"))
            every.clicked.connect(lambda: self._tick_all(Qt.CheckState.Checked))
            none.clicked.connect(lambda: self._tick_all(Qt.CheckState.Unchecked))
            ticks = QHBoxLayout()
            ticks.addWidget(every)
            ticks.addWidget(none)
            ticks.addStretch(1)
            layout.addLayout(ticks)
            layout.addWidget(self.value_list)
        elif column in AMOUNT_COLUMNS:
            form = QFormLayout()
            validator = QRegularExpressionValidator(_YUAN)
            self.least_edit, self.most_edit = QLineEdit(), QLineEdit()
            for edit, name, fen in ((self.least_edit, "filterAtLeast", current and current.at_least),
                                    (self.most_edit, "filterAtMost", current and current.at_most)):
                edit.setObjectName(name)
                edit.setValidator(validator)
                edit.setPlaceholderText(self.tr("yuan, e.g. 100 or 0.01"))
                if fen is not None:
                    edit.setText(format_yuan(fen))
            form.addRow(self.tr("At &least (yuan)"), self.least_edit)
            form.addRow(self.tr("At &most (yuan)"), self.most_edit)
            layout.addLayout(form)
        else:
            form = QFormLayout()
            self.contains_edit = QLineEdit(current.contains if current else "")
            self.contains_edit.setObjectName("filterContains")
            self.blank_check = QCheckBox(self.tr("Only &blank cells"))
            self.blank_check.setObjectName("filterBlank")
            self.blank_check.setChecked(bool(current and current.values == ("",)))
            form.addRow(self.tr("&Contains"), self.contains_edit)
            form.addRow("", self.blank_check)
            layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        clear = buttons.addButton(self.tr("C&lear filter"), QDialogButtonBox.ButtonRole.ResetRole)
        clear.clicked.connect(self._clear)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _tick_all(self, state: Qt.CheckState) -> None:
        assert self.value_list is not None
        for row in range(self.value_list.count()):
            self.value_list.item(row).setCheckState(state)

    def _clear(self) -> None:
        self.cleared = True
        self.accept()

    def tick_only(self, values: Sequence[str]) -> None:
        """Tick exactly ``values`` (what a click on each would do)."""
        assert self.value_list is not None
        for row in range(self.value_list.count()):
            item = self.value_list.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in values
                               else Qt.CheckState.Unchecked)

    def result_filter(self) -> ColumnFilter:
        """The column's filter as chosen (an empty one removes it)."""
        if self.cleared:
            return ColumnFilter(self.column)
        if self.value_list is not None:
            items = [self.value_list.item(row) for row in range(self.value_list.count())]
            ticked = tuple(i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked)
            if len(ticked) == len(items):
                return ColumnFilter(self.column)  # everything ticked keeps everyone
            return ColumnFilter(self.column, values=ticked)
        if self.least_edit is not None and self.most_edit is not None:
            return ColumnFilter(self.column, at_least=_fen(self.least_edit.text()),
                                at_most=_fen(self.most_edit.text()))
        assert self.contains_edit is not None and self.blank_check is not None
        if self.blank_check.isChecked():
            return ColumnFilter(self.column, values=("",))
        return ColumnFilter(self.column, contains=self.contains_edit.text().strip())


class ColumnFilters(QObject):
    """A list's header (:class:`ListHeader`: sort, filter this column, columns shown) and its
    column filters, for ``view`` over a query model (``model.query`` with ``column_filter``,
    ``with_column_filter``, ``without_column_filter``; ``model.set_query``, ``COLUMNS``,
    ``header_text``). ``values(query, column)``: the (value, count) pairs a few-valued column
    offers to tick; ``changed()`` runs after a column's filter changed."""

    def __init__(self, view: QTableView, model: Any, key: str, order: Sequence[str], widths: dict[str, int],
                 hidden: Sequence[str] = (), *, values: Callable[[Any, str], list[tuple[str, int]]],
                 changed: Callable[[], object]) -> None:
        super().__init__(view)
        self.view, self.model = view, model
        self.values, self.changed = values, changed
        self.dialog: ColumnFilterDialog | None = None
        self.header = ListHeader(view, key, order, widths, hidden, on_filter=self.filter_column,
                                 on_clear=self.clear_filter, is_filtered=self.is_filtered)

    def value_label(self, column: str, value: str) -> str:
        """What a ticked value reads as (a subclass names codes)."""
        return value

    def is_filtered(self, logical: int | None) -> bool:
        if logical is None:
            return bool(self.model.query.columns)
        return self.model.query.column_filter(self.model.COLUMNS[logical]) is not None

    def clear_filter(self, logical: int | None) -> None:
        column = None if logical is None else self.model.COLUMNS[logical]
        self.model.set_query(self.model.query.without_column_filter(column))
        self.changed()

    def apply_filter(self, column_filter: ColumnFilter) -> None:
        self.model.set_query(self.model.query.with_column_filter(column_filter))
        self.changed()

    def filter_dialog(self, logical: int, parent: QWidget | None = None) -> ColumnFilterDialog:
        """The filter dialog of column ``logical``, filled (not shown)."""
        column = self.model.COLUMNS[logical]
        query = self.model.query
        values = []
        if column in VALUE_COLUMNS:
            values = [(value, self.value_label(column, value), count) for value, count in self.values(query, column)]
        return ColumnFilterDialog(column, self.model.header_text(logical), query.column_filter(column), values,
                                  parent or self.view.window())

    def filter_column(self, logical: int) -> ColumnFilterDialog:
        dialog = self.filter_dialog(logical)
        dialog.accepted.connect(lambda: self.apply_filter(dialog.result_filter()))
        self.dialog = dialog
        dialog.open()
        return dialog
