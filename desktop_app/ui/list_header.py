"""The header of a list (persons, households): a right-click menu to sort, filter and choose the
columns, and the columns' widths, order and visibility remembered per table in QSettings.

A clerk used to WPS right-clicks a column's title: 升序 / 降序, 筛选此列…, 清除筛选, and ticks the
columns to show. Dragging a title moves its column; dragging its edge resizes it; both are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QByteArray, QObject, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

SAVE_DELAY_MS = 400  # a drag resizes a column many times: write the settings once it settles


class ListHeader(QObject):
    """Right-click menu and remembered layout of ``view``'s columns.

    ``key``: the QSettings key of this table; ``order``, ``widths``, ``hidden``: the default
    layout by column name (``view.model().COLUMNS``); ``on_filter(column)`` and
    ``on_clear(column or None)``, when given, add the filter entries to the menu.
    """

    def __init__(self, view: QTableView, key: str, order: Sequence[str], widths: dict[str, int],
                 hidden: Sequence[str] = (), on_filter: Callable[[int], object] | None = None,
                 on_clear: Callable[[int | None], object] | None = None,
                 is_filtered: Callable[[int | None], bool] | None = None) -> None:
        super().__init__(view)
        self.view, self.key = view, key
        self.order, self.widths, self.hidden = list(order), dict(widths), set(hidden)
        self.on_filter, self.on_clear, self.is_filtered = on_filter, on_clear, is_filtered
        header = self.header
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_menu)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        self.restore()
        header.sectionMoved.connect(lambda *_a: self._save_timer.start())
        header.sectionResized.connect(lambda *_a: self._save_timer.start())
        self.menu: QMenu | None = None

    @property
    def header(self) -> QHeaderView:
        return self.view.horizontalHeader()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.view.model().COLUMNS

    # --- the layout ---------------------------------------------------------------------------
    def apply_defaults(self) -> None:
        header = self.header
        for visual, name in enumerate(self.order):
            logical = self.columns.index(name)
            header.moveSection(header.visualIndex(logical), visual)
        for logical, name in enumerate(self.columns):
            if name in self.widths:
                header.resizeSection(logical, self.widths[name])
            header.setSectionHidden(logical, name in self.hidden)

    def restore(self) -> None:
        value = QSettings().value(self.key)
        header = self.header
        restored = isinstance(value, QByteArray) and header.restoreState(value) and header.count() == len(self.columns)
        if not restored or header.hiddenSectionCount() >= header.count():
            self.apply_defaults()

    def save(self) -> None:
        self._save_timer.stop()
        QSettings().setValue(self.key, self.header.saveState())

    def visible_columns(self) -> list[int]:
        """The logical indexes of the columns shown, in the order shown."""
        header = self.header
        shown = [header.logicalIndex(v) for v in range(header.count())]
        return [logical for logical in shown if not header.isSectionHidden(logical)]

    def set_shown(self, logical: int, shown: bool) -> None:
        if not shown and len(self.visible_columns()) <= 1:
            return  # the last column stays: a table of nothing cannot be brought back by its header
        self.header.setSectionHidden(logical, not shown)
        if shown and self.header.sectionSize(logical) < 30:
            self.header.resizeSection(logical, self.widths.get(self.columns[logical], 90))
        self.save()

    def reset(self) -> None:
        self.apply_defaults()
        self.save()

    # --- the menu -------------------------------------------------------------------------------
    def build_menu(self, logical: int) -> QMenu:
        """The menu for a right-click on column ``logical`` (-1: beside the columns)."""
        menu = QMenu(self.view)
        menu.setObjectName("listHeaderMenu")
        model = self.view.model()
        if logical >= 0 and self.view.isSortingEnabled():
            for text, order in ((self.tr("Sort &ascending"), Qt.SortOrder.AscendingOrder),
                                (self.tr("Sort &descending"), Qt.SortOrder.DescendingOrder)):
                menu.addAction(text).triggered.connect(
                    lambda _c=False, o=order: self.header.setSortIndicator(logical, o))
        if self.on_filter is not None and self.on_clear is not None and self.is_filtered is not None:
            if logical >= 0:
                menu.addAction(self.tr("&Filter this column…")).triggered.connect(lambda: self.on_filter(logical))
                clear = menu.addAction(self.tr("&Clear this column's filter"))
                clear.setEnabled(self.is_filtered(logical))
                clear.triggered.connect(lambda: self.on_clear(logical))
            clear_all = menu.addAction(self.tr("Clear &every column filter"))
            clear_all.setEnabled(self.is_filtered(None))
            clear_all.triggered.connect(lambda: self.on_clear(None))
        menu.addSeparator()
        chooser = menu.addMenu(self.tr("C&olumns shown"))
        chooser.setObjectName("columnChooser")
        for visual in range(self.header.count()):
            column = self.header.logicalIndex(visual)
            text = getattr(model, "header_text", None)
            action = QAction(text(column) if text else str(model.headerData(column, Qt.Orientation.Horizontal)),
                             chooser)
            action.setCheckable(True)
            action.setChecked(not self.header.isSectionHidden(column))
            action.setData(self.columns[column])
            action.toggled.connect(lambda on, c=column: self.set_shown(c, on))
            chooser.addAction(action)
        menu.addAction(self.tr("&Default columns")).triggered.connect(self.reset)
        return menu

    def show_menu(self, pos: QPoint) -> None:
        self.menu = self.build_menu(self.header.logicalIndexAt(pos))
        self.menu.popup(self.header.mapToGlobal(pos))
