"""An .ods part's tables, as calamine would expand their repeated rows and cells."""

from __future__ import annotations

import re
from collections.abc import Iterator

from desktop_app.exchange.guards.markup import segments
from desktop_app.exchange.guards.refusal import Budget, crafted
from desktop_app.exchange.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SMALL_PART_BYTES,
)

# ods: calamine expands repeated rows and cells that hold a value; trailing empty ones are free
_ODS_TAG = re.compile(
    rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated\s*=\s*["\']\s*([0-9]{1,15})')
_ODS_VALUE = re.compile(rb"office:value-type|table:formula")
_ODS_SPACES = re.compile(rb"""<text:s\s[^>]*?text:c\s*=\s*["']\s*([0-9]{1,15})""")


def scan_ods_part(pieces: Iterator[bytes], budget: Budget) -> None:
    height = last_row = width = 0  # the table being read
    row_repeat = 1
    row_col = row_width = 0
    row_has_value = False
    spaces = 0
    for segment in segments(pieces):
        for count in _ODS_SPACES.findall(segment):
            spaces += int(count)
            if spaces > MAX_SMALL_PART_BYTES:
                raise crafted("单元格里声明了几十亿个空格")
        if b"table:" not in segment:
            continue
        for match in _ODS_TAG.finditer(segment):
            closing, name, attrs, empty = match.groups()
            if name == b"table":
                if closing:
                    if last_row and width:
                        budget.add_sheet(last_row, width)
                    height = last_row = width = 0
                continue
            if name == b"table-row":
                if closing or empty:
                    repeat = row_repeat if closing else _repeat(attrs)
                    if closing and row_has_value:
                        last_row = height + repeat
                        width = max(width, row_width)
                        if last_row > MAX_ROWS or width > MAX_COLUMNS:
                            budget.add_sheet(last_row, width)
                    height += repeat
                    if height > 4 * MAX_CELLS:
                        raise crafted(f"一张表声明了{height:,}行")
                    continue
                row_repeat = _repeat(attrs)
                row_col = row_width = 0
                row_has_value = False
                continue
            if closing:
                continue
            row_col += _repeat(attrs)
            if _ODS_VALUE.search(attrs):
                row_width = row_col
                row_has_value = True
    if last_row and width:
        budget.add_sheet(last_row, width)


def _repeat(attrs: bytes) -> int:
    found = _ODS_REPEAT.search(attrs)
    return max(1, int(found.group(1))) if found else 1
