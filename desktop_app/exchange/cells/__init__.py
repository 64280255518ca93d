"""Turning one raw cell into a clean value, or a :class:`CellError` saying why not.

Every parser takes a cell as :mod:`desktop_app.exchange.reading` gives it (``str``, ``int``,
``float``, ``bool``, dates and times; ``""`` when empty) and either returns a value or raises
:class:`CellError` with the field and a reason in plain Chinese. An empty cell is not an error
here (the parsers return ``None``; :func:`parse_id_cell` is the exception, because a row without
an ID number cannot be matched): whether a field is required is the import service's call.

The common case is checked first with one precompiled regex or an ``isinstance`` test, so a
clean 100,000-row roster costs no exception and no ``Decimal`` per cell.

One module per kind of value: :mod:`.amounts`, :mod:`.dates`, :mod:`.ids` (ID numbers and codes),
:mod:`.phones`, :mod:`.text`; :mod:`.common` has :class:`CellError` and what they share.
"""

from __future__ import annotations

from desktop_app.exchange.cells.amounts import parse_amount_fen
from desktop_app.exchange.cells.common import CellError, is_blank
from desktop_app.exchange.cells.dates import EXCEL_EPOCH, parse_date
from desktop_app.exchange.cells.ids import EXCEL_NUMBER_REASON, id_warning, parse_code, parse_id_cell
from desktop_app.exchange.cells.phones import parse_phone
from desktop_app.exchange.cells.text import clean_name, clean_text, split_multi

__all__ = [
    "EXCEL_EPOCH",
    "EXCEL_NUMBER_REASON",
    "CellError",
    "clean_name",
    "clean_text",
    "id_warning",
    "is_blank",
    "parse_amount_fen",
    "parse_code",
    "parse_date",
    "parse_id_cell",
    "parse_phone",
    "split_multi",
]
