"""Dates: Excel's own, its serial numbers, and the ways people write them."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from desktop_app.exchange.cells.common import (
    _EXCEL_ERRORS,
    _INVISIBLE,
    CellError,
    _kind_error,
    _number_text,
    _shown,
)
from desktop_app.exchange.fields import Field
from desktop_app.exchange.reading import Cell

#: Day 0 of Excel's 1900 date system, as it counts from 1900-03-01 on (serial 61) — the
#: fictitious 1900-02-29 makes earlier serials one day off, and those are refused anyway.
EXCEL_EPOCH = dt.date(1899, 12, 30)
_FIRST_SERIAL = 61  # 1900-03-01
_LAST_SERIAL = (dt.date(2100, 12, 31) - EXCEL_EPOCH).days
_MIN_YEAR, _MAX_YEAR = 1900, 2100

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_YMD = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日.*|[\sT].*)?", re.DOTALL
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:[\sT].*)?", re.DOTALL)


def parse_date(cell: Cell, field: Field | str = Field.PAYMENT_DATE) -> dt.date | None:
    """A date; None for an empty cell. Any time of day is dropped.

    Accepts Excel dates (``date``/``datetime`` from calamine), an Excel serial number in a
    plain number cell (45659 → 2025-01-02), an 8-digit number 20250102, and texts
    "2025-01-02", "2025/1/2", "2025.1.2", "20250102", "2025年1月2日" — each optionally followed
    by a time ("2025-01-02 10:30:00", "2025年1月2日10时"). Years outside 1900–2100 are refused.
    """
    if type(cell) is str:
        match = _ISO_DATE.fullmatch(cell)
        if match:
            return _make_date(field, cell, *match.groups())
        return _date_from_text(cell, field)
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _date_from_number(cell, field)
    if cell is None:
        return None
    raise _kind_error(field, cell, "日期")


def _make_date(field: Field | str, shown: Cell, year: str, month: str, day: str) -> dt.date:
    shown = _shown(shown) if isinstance(shown, str) else shown
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(field, f"“{shown}”不是真实的日期", code="date", value=shown) from None
    if not _MIN_YEAR <= value.year <= _MAX_YEAR:
        raise CellError(field, f"日期“{shown}”的年份不合理", code="date", value=shown)
    return value


def _date_from_text(cell: str, field: Field | str) -> dt.date | None:
    text = unicodedata.normalize("NFKC", cell).translate(_INVISIBLE).strip()
    if not text:
        return None
    for pattern in (_YMD, _COMPACT_DATE):
        match = pattern.fullmatch(text)
        if match:
            return _make_date(field, cell.strip(), *match.groups())
    if text in _EXCEL_ERRORS:
        raise _kind_error(field, text, "日期")
    raise CellError(
        field,
        f"“{_shown(cell)}”不是能识别的日期，请写成2025-01-02或2025年1月2日",
        code="date",
        value=cell,
    )


def _date_from_number(cell: int | float, field: Field | str) -> dt.date:
    if isinstance(cell, float) and not math.isfinite(cell):
        raise CellError(field, "日期不是有效数字", code="date", value=cell)
    whole = math.floor(cell)
    if 19000101 <= whole <= 21001231 and whole == cell:
        digits = str(whole)
        return _make_date(field, digits, digits[:4], digits[4:6], digits[6:])
    if _FIRST_SERIAL <= whole <= _LAST_SERIAL:
        return EXCEL_EPOCH + dt.timedelta(days=whole)
    raise CellError(
        field, f"数字{_number_text(cell)}不是日期，请写成2025-01-02", code="date", value=cell
    )
