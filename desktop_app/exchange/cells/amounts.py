"""Amounts in yuan, as numbers or texts, to whole fen."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from desktop_app.exchange.cells.common import (
    _EXCEL_ERRORS,
    _INVISIBLE,
    _SPACES,
    CellError,
    _kind_error,
    _number_text,
    _shown,
)
from desktop_app.exchange.fields import Field
from desktop_app.exchange.limits import MAX_AMOUNT_FEN
from desktop_app.exchange.reading import Cell

_PLAIN_AMOUNT = re.compile(r"(\d+)(?:\.(\d{1,2}))?", re.ASCII)
_AMOUNT_PREFIX = re.compile(r"^(?:¥|￥|rmb|人民币)", re.IGNORECASE)
_AMOUNT_SUFFIX = re.compile(r"(?:元整|元|圆|整)$")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?|\.\d+")


def _too_large(field: Field | str, cell: Cell, shown: str) -> CellError:
    return CellError(
        field,
        f"金额{shown}大得不合常理（超过{MAX_AMOUNT_FEN // 100:,}元），请核对是否填错了列",
        code="too_large",
        value=cell,
    )


def parse_amount_fen(cell: Cell, field: Field | str = Field.AMOUNT_PAID) -> int | None:
    """An amount in yuan → whole fen (int); None for an empty cell.

    Accepts numbers (400, 400.0, 400.5) and texts "400", "400.00", "400元", "￥400",
    "¥400.5", "1,200.00", "RMB 400". Exact: text goes through ``Decimal``; a float cell through
    its shortest repr, and, when that shows float noise from an Excel formula
    (0.30000000000000004), through the 15 significant digits Excel itself displays.
    Refuses negatives, more than two decimals (400.005) and anything else, with a reason.
    """
    if type(cell) is str:
        match = _PLAIN_AMOUNT.fullmatch(cell)
        if match and len(cell) < 16:  # the common case: "400" or "400.00"
            whole, cents = match.groups()
            fen = int(whole) * 100 + (int(cents.ljust(2, "0")) if cents else 0)
            if fen > MAX_AMOUNT_FEN:
                raise _too_large(field, cell, _shown(cell))
            return fen
        return _amount_from_text(cell, field)
    if type(cell) is float:
        if cell.is_integer() and 0 <= cell <= MAX_AMOUNT_FEN // 100:
            return int(cell) * 100
        return _amount_from_float(cell, field)
    if type(cell) is int:
        if cell < 0:
            raise CellError(
                field, f"金额不能为负数（{_number_text(cell)}）", code="negative", value=cell
            )
        if cell > MAX_AMOUNT_FEN // 100:
            raise _too_large(field, cell, _number_text(cell))
        return cell * 100
    if cell is None:
        return None
    raise _kind_error(field, cell, "金额")


def _amount_from_float(cell: float, field: Field | str) -> int:
    if not math.isfinite(cell):
        raise CellError(field, "金额不是有效数字", value=cell)
    if cell < 0:
        raise CellError(field, f"金额不能为负数（{cell:g}）", code="negative", value=cell)
    if cell > MAX_AMOUNT_FEN // 100:
        raise _too_large(field, cell, format(cell, ".15g"))
    for text in (repr(cell), format(cell, ".15g")):
        cents = Decimal(text) * 100
        if cents == cents.to_integral_value():
            return int(cents)
    raise CellError(
        field,
        f"金额最多两位小数（到分），这里是{format(cell, '.15g')}",
        code="decimals",
        value=cell,
    )


def _amount_from_text(cell: str, field: Field | str) -> int | None:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", cell).translate(_INVISIBLE))
    if not text:
        return None
    if text in _EXCEL_ERRORS:
        raise _kind_error(field, text, "金额")
    negative = text.startswith(("-", "−", "(")) or text.endswith(")")
    text = text.strip("-−()")
    text = _AMOUNT_SUFFIX.sub("", _AMOUNT_PREFIX.sub("", text))
    text = text.lstrip("¥")
    if text.startswith(("-", "−")):
        negative, text = True, text[1:]
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _DECIMAL.fullmatch(text):
        raise CellError(field, f"“{_shown(cell)}”不是金额，请只填数字，如400或400.00", value=cell)
    if negative:
        raise CellError(field, f"金额不能为负数（{_shown(cell)}）", code="negative", value=cell)
    whole = text.split(".", 1)[0].lstrip("0")
    if len(whole) > 16:  # more digits than any amount: no Decimal of a million digits
        raise _too_large(field, cell, _shown(cell))
    try:
        cents = Decimal(text) * 100
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        raise CellError(field, f"“{_shown(cell)}”不是金额", value=cell) from None
    if cents > MAX_AMOUNT_FEN:
        raise _too_large(field, cell, _shown(cell))
    if cents != cents.to_integral_value():
        raise CellError(
            field, f"金额最多两位小数（到分），这里是{_shown(cell)}", code="decimals", value=cell
        )
    return int(cents)
