"""An .xlsb part's BIFF12 records: last row and column of a sheet, strings of the shared table."""

from __future__ import annotations

import struct
from collections.abc import Iterator

from desktop_app.exchange.guards.refusal import Budget, crafted
from desktop_app.exchange.limits import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_XML_RUN_BYTES,
)

# xlsb: BIFF12 records; BrtRowHdr (0) sets the row; the cell records calamine reads (BrtCellRk
# … BrtFmlaBool, 2–10) start with their column
_XLSB_CELLS = frozenset(range(0x0002, 0x000B))


def scan_xlsb_part(pieces: Iterator[bytes], budget: Budget, *, shared: bool) -> None:
    max_row = max_col = row = 0
    cells = 0
    buffer = b""
    for piece in pieces:
        buffer = buffer + piece if buffer else piece
        pos = 0
        end = len(buffer)
        while True:
            start = pos
            if pos >= end:
                break
            kind = buffer[pos]
            pos += 1
            if kind & 0x80:
                if pos >= end:
                    pos = start
                    break
                kind = (kind & 0x7F) | ((buffer[pos] & 0x7F) << 7)
                pos += 1
            size = shift = 0
            complete = False
            for _ in range(4):
                if pos >= end:
                    break
                byte = buffer[pos]
                pos += 1
                size |= (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    complete = True
                    break
            if not complete or pos + size > end:
                if complete and size > MAX_XML_RUN_BYTES:
                    raise crafted("有一条记录超过了Excel允许的长度")
                pos = start
                break
            if shared:
                if kind == 0x0013:  # BrtSSTItem
                    cells += 1
            elif kind == 0x0000 and size >= 4:
                row = struct.unpack_from("<I", buffer, pos)[0]
            elif kind in _XLSB_CELLS and size >= 4:
                col = struct.unpack_from("<I", buffer, pos)[0]
                max_row = max(max_row, row + 1)
                max_col = max(max_col, col + 1)
                if max_col > MAX_COLUMNS or max_row > MAX_ROWS:
                    budget.add_sheet(max_row, max_col)
            pos += size
        buffer = buffer[pos:]
    if cells:
        budget.add_shared(cells)
    if max_row and max_col:
        budget.add_sheet(max_row, max_col)
