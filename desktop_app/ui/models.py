"""Lazy table models: rows come from services a block at a time, never a whole township.

A list counts its rows once. The person and household lists count only up to :data:`COUNT_CAP`: below it the
count is exact and the list is whole at once, as on a township's laptop; beyond it (a common
name fragment in a county database) the list shows the rows counted so far, says "at least", and
grows a block at a time as the view scrolls to its end (``canFetchMore`` / ``fetchMore``). The
exact count comes when the growing reaches the last row, or from a count the window runs off the
UI thread (:meth:`QueryTableModel.set_exact_count`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from desktop_app.services.households import (
    HouseholdQuery,
    HouseholdRow,
    count_households,
    household_rows,
)
from desktop_app.services.persons import PersonQuery, PersonRow, count_persons, person_rows
from desktop_app.ui.labels import status_label, yuan

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

# the person and household lists count this many rows at most before showing them ("at least 1,000"): a
# capped count of a common fragment stays fast at a million persons, the exact one does not
COUNT_CAP = 1000


def capped_count(count: Callable[[int], int], cap: int) -> tuple[int, bool]:
    """A count that stops at ``cap``: how many to show, and whether that is every one (False: say
    "at least ``cap``"). ``count(limit)`` counts no further than ``limit``; one more than the cap
    is counted, so exactly ``cap`` found reads as all of them."""
    found = count(cap + 1)
    return (found, True) if found <= cap else (cap, False)


class LazyTableModel(QAbstractTableModel):
    """Counts the rows once, then reads 256-row blocks only as the view asks for them.

    Subclasses say how to count and fetch (``_count``, ``_fetch``) and how to show a row
    (``COLUMNS``, ``_headers``, ``_display``). At most ``MAX_BLOCKS`` blocks are kept.

    A subclass whose ``_first_count`` stops at a cap leaves the count open (``count_known``
    false): the rows counted are shown and ``fetchMore`` adds the following ones, block by block.
    """

    # the rows shown changed in number, or became known to be all of them
    count_changed = Signal()

    BLOCK = 256
    MAX_BLOCKS = 64
    COLUMNS: tuple[str, ...] = ()
    RIGHT_ALIGNED: frozenset[str] = frozenset()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._count = 0
        self._known = True  # _count is every row there is (else: at least that many)
        # bumped each time the rows are read again (or let go): a count made before is of rows of before
        self.generation = 0
        self._blocks: OrderedDict[int, list[Any]] = OrderedDict()
        self.blocks_read = 0

    # --- for subclasses ---------------------------------------------------------------------
    def _count_rows(self) -> int:
        raise NotImplementedError

    def _first_count(self) -> tuple[int, bool]:
        """The rows to show first, and whether they are all there are."""
        return self._count_rows(), True

    def _fetch(self, offset: int, limit: int) -> list[Any]:
        raise NotImplementedError

    def _headers(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _display(self, row: Any, column: str) -> Any:
        return getattr(row, column)

    def _background(self, row: Any) -> QBrush | None:
        return None

    # --- Qt's questions -------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._known

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        """Show a block more of the rows (read here, and kept); the last block makes the count known."""
        if parent.isValid() or self._known:
            return
        reach, wanted = self._count, self._count + self.BLOCK
        while reach < wanted:
            block_no = reach // self.BLOCK
            block = self._block(block_no)
            reach = block_no * self.BLOCK + len(block)
            if len(block) < self.BLOCK:
                self._known = True  # the end of the list
                break
        if reach > self._count:
            self.beginInsertRows(QModelIndex(), self._count, reach - 1)
            self._count = reach
            self.endInsertRows()
        self.count_changed.emit()

    @property
    def count_known(self) -> bool:
        """Whether ``rowCount()`` is every row there is (else there are more to fetch)."""
        return self._known

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers()[section]  # translated when shown
        return section + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in self.RIGHT_ALIGNED else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole, Qt.ItemDataRole.BackgroundRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(row)
        return self._display(row, column)

    # --- ours -------------------------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self._blocks.clear()
        self.generation += 1
        self._count, self._known = self._first_count()
        self.endResetModel()
        self.count_changed.emit()

    def clear(self) -> None:
        """Show nothing and read nothing until the next :meth:`reload` (the ledger is away)."""
        self.beginResetModel()
        self._blocks.clear()
        self.generation += 1
        self._count, self._known = 0, True
        self.endResetModel()
        self.count_changed.emit()

    def loaded_rows(self, first: int, last: int) -> list[Any] | None:
        """Rows ``first..last`` if the table has read them all already (nothing is read), else None."""
        rows = []
        for block_no in range(first // self.BLOCK, last // self.BLOCK + 1):
            block = self._blocks.get(block_no)
            if block is None:
                return None
            start = block_no * self.BLOCK
            rows += block[max(first - start, 0):last - start + 1]
        return rows if len(rows) == last - first + 1 else None

    def row_at(self, row: int) -> Any | None:
        if not 0 <= row < self._count:
            return None
        block_no, offset = divmod(row, self.BLOCK)
        block = self._block(block_no)
        return block[offset] if offset < len(block) else None

    def _block(self, block_no: int) -> list[Any]:
        block = self._blocks.get(block_no)
        if block is None:
            block = self._fetch(block_no * self.BLOCK, self.BLOCK)
            self.blocks_read += 1
            self._blocks[block_no] = block
            if len(self._blocks) > self.MAX_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block_no)
        return block


class QueryTableModel(LazyTableModel):
    """A list read by a query of the services (``self.query``, a :class:`ColumnFiltered`
    dataclass with ``sort`` and ``descending``): a click on a column's title sorts by it, and a
    filtered column's title is marked."""

    #: column → the service's sort key (a column not listed sorts by itself)
    SORTS: ClassVar[dict[str, str]] = {}
    UNSORTED = ""  # the query's sort key when no column is chosen
    FILTER_MARK = " ▼"  # after the header of a filtered column, as WPS marks one

    count_cap: int | None = COUNT_CAP  # None: count exactly, however long it takes

    def __init__(self, query: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.query = query
        self.reload()

    def _count_query(self, cap: int | None) -> int:
        """How many rows the query finds, at most ``cap`` (every one when None)."""
        raise NotImplementedError

    def _count_rows(self) -> int:
        return self._count_query(None)

    def _first_count(self) -> tuple[int, bool]:
        if self.count_cap is None:
            return self._count_rows(), True
        return capped_count(self._count_query, self.count_cap)

    def count_up_to(self, cap: int) -> int:
        """How many rows the list finds, counting no further than ``cap`` (for a limit such as
        printing's: reads nothing when the rows shown already tell)."""
        if self._known or self._count >= cap:
            return min(self._count, cap)
        return self._count_query(cap)

    def set_query(self, query: Any) -> None:
        if query != self.query:
            self.query = query
            self.reload()

    def set_exact_count(self, query: Any, count: int, generation: int | None = None) -> None:
        """Every row of ``query`` is ``count`` (counted off the UI thread): show them all, as a list
        counted whole at once. Ignored when the list shows another query by now, or knows its count,
        or was read again since the count began (``generation``: the model's when it began; a
        payment under the 未缴费 filter changes the rows of the same query). None: counted just now."""
        if query != self.query or self._known or generation not in (None, self.generation):
            return
        if count < self._count:  # rows went away meanwhile
            self.beginResetModel()
            self._blocks.clear()
            self._count, self._known = count, True
            self.endResetModel()
        else:
            if count > self._count:
                self.beginInsertRows(QModelIndex(), self._count, count - 1)
                self._count = count
                self.endInsertRows()
            self._known = True
        self.count_changed.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0:  # no sort column: the list's own order
            self.set_query(self.query.with_(sort=self.UNSORTED, descending=False))
            return
        name = self.COLUMNS[column]
        self.set_query(self.query.with_(sort=self.SORTS.get(name, name),
                                        descending=order == Qt.SortOrder.DescendingOrder))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        text = super().headerData(section, orientation, role)
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and self.query.column_filter(self.COLUMNS[section]) is not None):
            return f"{text}{self.FILTER_MARK}"
        return text

    def header_text(self, section: int) -> str:
        """The column's name, without the filter mark."""
        return self._headers()[section]


class HouseholdTableModel(QueryTableModel):
    """Households of a :class:`HouseholdQuery`: of a village (or all), with a member the search
    box finds, in household-number order unless a column is sorted."""

    COLUMNS = ("number", "village", "head_name", "members", "address")
    RIGHT_ALIGNED = frozenset({"members"})
    UNSORTED = "number"

    def __init__(self, parent: Any = None) -> None:
        self._shown, self._stale = True, False
        super().__init__(HouseholdQuery(), parent)

    def set_shown(self, shown: bool) -> None:
        """Whether the list is on screen: hidden, it reads nothing (a search keystroke or a
        payment only marks it stale); shown again, it reads what it missed."""
        self._shown = shown
        if shown and self._stale:
            self.reload()

    def reload(self) -> None:
        if not self._shown:
            self._stale = True
            return
        self._stale = False
        super().reload()

    @property
    def search(self) -> str:
        return self.query.search

    def set_village(self, village_id: int | None) -> None:
        self.query = self.query.with_(village_id=village_id)
        self.reload()

    def set_filter(self, village_id: int | None, search: str, township_id: int | None = None) -> None:
        """Read again only when the village, the search text or the township changed."""
        self.set_query(self.query.with_(village_id=village_id, search=search.strip(), township_id=township_id))

    def _count_query(self, cap: int | None) -> int:
        return count_households(self.query, cap=cap)

    def _fetch(self, offset: int, limit: int) -> list[HouseholdRow]:
        return household_rows(offset, limit, self.query)

    def _headers(self) -> tuple[str, ...]:
        return (
            self.tr("Household no."),
            self.tr("Village"),
            self.tr("Head of household"),
            self.tr("Members"),
            self.tr("Address"),
        )


class PersonTableModel(QueryTableModel):
    """Persons matching a :class:`PersonQuery`, with the year's status and what they still owe."""

    COLUMNS = ("name", "id_number", "relation", "household_number", "village", "categories", "status", "owed",
               "phone", "due", "paid")
    RIGHT_ALIGNED = frozenset({"owed", "due", "paid"})
    SORTS = {"household_number": "household"}
    UNSORTED = "entered"  # the order persons were entered

    def __init__(self, query: PersonQuery, parent: Any = None) -> None:
        super().__init__(query, parent)
        self.highlight: Callable[[PersonRow], QColor | None] | None = None

    def _count_query(self, cap: int | None) -> int:
        # no year chosen yet (the window is still being built): nothing to count
        return count_persons(self.query, cap=cap) if self.query.year else 0

    def _fetch(self, offset: int, limit: int) -> list[PersonRow]:
        return person_rows(self.query, offset, limit)

    def _headers(self) -> tuple[str, ...]:
        return (
            self.tr("Name"),
            self.tr("ID number"),
            self.tr("Relation"),
            self.tr("Household no."),
            self.tr("Village"),
            self.tr("Category"),
            self.tr("Status"),
            self.tr("Owed"),
            self.tr("Phone"),
            self.tr("Amount due"),
            self.tr("Paid"),
        )

    def _display(self, row: PersonRow, column: str) -> Any:
        if column == "status":
            return status_label(row.status)
        if column == "owed":
            return yuan(row.owed_fen) if row.status == "unpaid" else ""
        if column in ("due", "paid"):
            fen = row.due_fen if column == "due" else row.paid_fen
            return yuan(fen) if row.status is not None else ""
        return getattr(row, column)

    def cell_text(self, row: PersonRow, column: str) -> str:
        """What a cell shows, for copying and printing rows the table has not read."""
        value = self._display(row, column)
        return "" if value is None else str(value)

    def _background(self, row: PersonRow) -> QBrush | None:
        if self.highlight is None:
            return None
        color = self.highlight(row)
        return QBrush(color) if color is not None else None
