"""A faster row serialiser for XlsxWriter's constant-memory sheets, byte for byte the same XML.

In constant-memory mode XlsxWriter keeps one row of cells and, when the next row starts, writes
it out cell by cell (``Worksheet._write_single_row`` → ``_write_cell``): an attribute list, an
escape check per attribute, a control-character substitution and a whitespace check per string,
one ``write`` per cell. Profiled on a 100,000-row roster that is 53 of 92 seconds of the export:
the export's styled cells (every cell has a format, empty cells are bordered blanks) cost more
there than the bare benchmark's unstyled ones.

:func:`install` replaces that step on one sheet with a version that writes each ordinary row as
one string: a text that needs no escaping, a number, a date or a blank, with a format and on a
row with no height or comments of its own. Anything else (a row with a set height, a text with
``&<>``, control characters, ``_xHHHH_`` or leading/trailing whitespace, a cell without a format,
any other cell type) goes through XlsxWriter's own code for that cell or row, so the XML is what
XlsxWriter would write; ``tests/exchange/test_xlsx_rows.py`` compares the two byte for byte.
Should XlsxWriter change its internals so the names below are missing, :func:`install` leaves the
sheet alone and returns False.
"""

from __future__ import annotations

import re
from typing import Any

from xlsxwriter import worksheet as _ws  # type: ignore[import-untyped]
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

#: A text XlsxWriter would change on its way out (escapes, _xHHHH_, xml:space="preserve").
_IRREGULAR = re.compile(r'["&<>\n\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$')

_STRING = getattr(_ws, "CellStringTuple", None)
_NUMBER = getattr(_ws, "CellNumberTuple", None)
_DATETIME = getattr(_ws, "CellDatetimeTuple", None)
_BLANK = getattr(_ws, "CellBlankTuple", None)
_NEEDED = ("_write_single_row", "_write_cell", "_write_row", "table", "row_info", "comments",
           "previous_row", "constant_memory", "fh", "dim_colmin", "dim_colmax", "default_row_height",
           "original_row_height", "excel_version")


def install(sheet: Any) -> bool:
    """Serialise ``sheet``'s ordinary rows the fast way; False (sheet untouched) if not possible."""
    if None in (_STRING, _NUMBER, _DATETIME, _BLANK) or not all(hasattr(sheet, n) for n in _NEEDED):
        return False
    if not sheet.constant_memory:
        return False
    original = sheet._write_single_row
    write_cell = sheet._write_cell
    table, row_info, comments = sheet.table, sheet.row_info, sheet.comments
    letters: list[str] = []
    xf_of: dict[int, int] = {}
    irregular = _IRREGULAR.search
    string_t, number_t, datetime_t, blank_t = _STRING, _NUMBER, _DATETIME, _BLANK

    def write_single_row(current_row_num: int = 0) -> None:
        row_num = sheet.previous_row
        cells = table.get(row_num) if row_num in table else None
        if (not cells or row_num in row_info or row_num in comments
                or sheet.default_row_height != sheet.original_row_height or sheet.excel_version == 2010):
            original(current_row_num)
            return
        sheet.previous_row = current_row_num
        fh = sheet.fh
        first, last = sheet.dim_colmin, sheet.dim_colmax
        while len(letters) <= last:
            letters.append(xl_col_to_name(len(letters)))
        number = str(row_num + 1)
        parts = [f'<row r="{number}">']
        for col_num in range(first, last + 1):
            cell = cells.get(col_num)
            if cell is None:
                continue
            fmt = cell.format
            kind = type(cell)
            if fmt is None or kind not in (string_t, number_t, datetime_t, blank_t):
                fh.write("".join(parts))
                parts.clear()
                write_cell(row_num, col_num, cell)
                continue
            xf = xf_of.get(id(fmt))
            if xf is None:
                xf = xf_of[id(fmt)] = fmt._get_xf_index()
            ref = letters[col_num] + number
            if kind is string_t:
                text = cell.string
                if irregular(text):
                    fh.write("".join(parts))
                    parts.clear()
                    write_cell(row_num, col_num, cell)
                else:
                    parts.append(f'<c r="{ref}" s="{xf}" t="inlineStr"><is><t>{text}</t></is></c>')
            elif kind is blank_t:
                parts.append(f'<c r="{ref}" s="{xf}"/>')
            else:
                parts.append(f'<c r="{ref}" s="{xf}"><v>{cell.number:.16G}</v></c>')
        parts.append("</row>")
        fh.write("".join(parts))
        table.clear()

    sheet._write_single_row = write_single_row
    return True
