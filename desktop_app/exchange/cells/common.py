"""What every cell parser shares: :class:`CellError`, a cell's text as quoted back in a reason,
the "this is not a …" error, and the invisible characters and Excel error values they look for."""

from __future__ import annotations

import datetime as dt
import re

from desktop_app.exchange.fields import Field
from desktop_app.exchange.limits import MAX_SHOWN_CHARS
from desktop_app.exchange.reading import Cell

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+")
_EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
)
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")


class CellError(ValueError):
    """A cell that cannot be accepted: ``field`` it was read for, ``reason`` in plain Chinese.

    ``code`` names the kind of defect for programs (for ID numbers the codes of
    :class:`desktop_app.domain.idnumber.IdNumberError`: ``"empty"``, ``"excel_number"``,
    ``"length"``, ``"characters"``, ``"birth_date"``, ``"check"``).
    """

    def __init__(
        self, field: Field | str, reason: str, *, code: str = "invalid", value: Cell = ""
    ) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.code = code
        self.value = value


def _shown(text: str) -> str:
    """A cell's text as quoted back in a reason: at most :data:`MAX_SHOWN_CHARS` characters (a
    damaged file may hold a cell of a million)."""
    text = text.strip()
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    return f"{text[:MAX_SHOWN_CHARS]}…（共{len(text):,}个字符）"


def _number_text(cell: float) -> str:
    """A number as quoted back: ``g`` format for floats, digits for ints (shortened)."""
    if isinstance(cell, float):
        return format(cell, "g")
    if -(10**15) < cell < 10**15:
        return str(cell)
    try:
        return f"{cell:.6e}"
    except OverflowError:  # past 1.8e308: no file holds such a number, but never crash on it
        return "（很大的数）"

def is_blank(cell: Cell) -> bool:
    """True for an empty cell or one holding only spaces."""
    if cell == "" or cell is None:
        return True
    return isinstance(cell, str) and not cell.translate(_INVISIBLE).strip()


def _kind_error(field: Field | str, cell: Cell, wanted: str) -> CellError:
    if isinstance(cell, str) and cell.strip() in _EXCEL_ERRORS:
        return CellError(
            field, f"单元格是Excel公式错误值{cell.strip()}，请在原表中改正", value=cell
        )
    if isinstance(cell, bool):
        shown = "TRUE" if cell else "FALSE"
    elif isinstance(cell, dt.datetime):
        shown = f"日期时间{cell:%Y-%m-%d %H:%M}"
    elif isinstance(cell, dt.date):
        shown = f"日期{cell.isoformat()}"
    elif isinstance(cell, (dt.time, dt.timedelta)):
        shown = f"时间{cell}"
    elif isinstance(cell, (int, float)):
        shown = f"“{_number_text(cell)}”"
    else:
        shown = f"“{_shown(str(cell))}”"
    return CellError(field, f"这里应填{wanted}，现在是{shown}", value=cell)
