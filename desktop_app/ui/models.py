"""Lazy table models: rows come from services a block at a time, never a whole township."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.services.households import HouseholdRow, count_households, household_rows

_Index = QModelIndex | QPersistentModelIndex


class HouseholdTableModel(QAbstractTableModel):
    """Households in household-number order. Only the blocks on screen are ever read."""

    BLOCK = 256
    MAX_BLOCKS = 64  # about 16,000 rows kept; older blocks are dropped

    COLUMNS = ("number", "village", "head_name", "members", "address")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._village_id: int | None = None
        self._count = 0
        self._blocks: OrderedDict[int, list[HouseholdRow]] = OrderedDict()
        self.blocks_read = 0
        self.reload()

    # --- what the view asks -------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            # translated when shown, so a language switch needs no new model
            return self._headers()[section]
        return section + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and self.COLUMNS[index.column()] == "members":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return getattr(row, self.COLUMNS[index.column()])

    # --- ours -------------------------------------------------------------------------
    def set_village(self, village_id: int | None) -> None:
        self._village_id = village_id
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._blocks.clear()
        self._count = count_households(self._village_id)
        self.endResetModel()

    def row_at(self, row: int) -> HouseholdRow | None:
        if not 0 <= row < self._count:
            return None
        block_no, offset = divmod(row, self.BLOCK)
        block = self._blocks.get(block_no)
        if block is None:
            block = household_rows(block_no * self.BLOCK, self.BLOCK, self._village_id)
            self.blocks_read += 1
            self._blocks[block_no] = block
            if len(self._blocks) > self.MAX_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block_no)
        return block[offset] if offset < len(block) else None

    def _headers(self) -> tuple[str, ...]:
        return (
            self.tr("Household no."),
            self.tr("Village"),
            self.tr("Head of household"),
            self.tr("Members"),
            self.tr("Address"),
        )
