"""The one way a dialog or panel shows a read-only table: :func:`table_view`."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def table_view(model: QAbstractItemModel, name: str = "", *, rows: bool = True, single: bool = False,
               fit: bool = True, row_numbers: bool = False) -> QTableView:
    """A table of ``model`` nobody types into, its last column stretched to the edge.

    ``rows``: a click selects the whole row (``single``: one row at a time); ``fit``: columns as
    wide as their contents, else as wide as the person drags them; ``row_numbers``: the row
    numbers down the left side.
    """
    view = QTableView()
    if name:
        view.setObjectName(name)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # nothing to type in a cell: Tab goes on to the next control
    if rows:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if not row_numbers:
        view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents if fit else QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return view
