"""Identifiers: the resident ID number (checked by the domain) and codes such as 户编号."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

from desktop_app.domain.idnumber import IdNumber, IdNumberError, parse_id_number
from desktop_app.exchange.cells.common import (
    _INVISIBLE,
    _SCIENTIFIC,
    _SPACES,
    CellError,
    _kind_error,
    _shown,
)
from desktop_app.exchange.fields import Field
from desktop_app.exchange.limits import MAX_CODE_CHARS
from desktop_app.exchange.reading import Cell

EXCEL_NUMBER_REASON = "身份证号被Excel存成了数字，后几位已丢失，请把该列设为文本后重新录入或导出"


def parse_id_cell(
    cell: Cell, field: Field | str = Field.ID_NUMBER, *, today: dt.date | None = None
) -> IdNumber:
    """A checked ID number (:class:`IdNumber`) from a cell; raises :class:`CellError`.

    Text goes through :func:`desktop_app.domain.idnumber.parse_id_number` (spaces of every kind,
    full-width characters and lower-case ``x`` are normalised; a 15-digit number is converted,
    see :func:`id_warning`). A number cell (``int`` or ``float``) is *always* refused with code
    ``"excel_number"``: Excel keeps 15 significant digits, so an 18-digit number has lost its
    last three, and an intact-looking number cannot be told from a damaged one without guessing.
    An empty cell is refused too (code ``"empty"``): a row must have an ID number.
    """
    if type(cell) is str:
        try:
            return parse_id_number(cell, today=today)
        except IdNumberError as exc:
            reason = exc.message
            if exc.code == "check" and cell.strip().endswith("000"):
                reason += "；如果这一列曾被Excel存成数字，末尾几位会变成0，请找回原始号码"
            raise CellError(field, reason, code=exc.code, value=cell) from None
        except ValueError:  # digits that are not ASCII (١٢٣, ႑…) pass isdigit() in the domain
            raise CellError(
                field, "身份证号只能是数字，最后一位可以是X，请核对是否有错字",
                code="characters", value=cell,
            ) from None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        raise CellError(field, EXCEL_NUMBER_REASON, code="excel_number", value=cell)
    if cell is None:
        raise CellError(field, "身份证号为空", code="empty", value="")
    raise CellError(
        field, _kind_error(field, cell, "身份证号").reason, code="characters", value=cell
    )


def id_warning(number: IdNumber) -> str | None:
    """The warning to show for an accepted number, or None (today: a converted 15-digit one)."""
    if number.converted_from_15:
        return f"15位旧身份证号已自动转换为18位：{number.number}，请核对"
    return None


def parse_code(cell: Cell, field: Field | str = Field.HOUSEHOLD_NUMBER) -> str | None:
    """A code such as a household number (户编号) as text; None for an empty cell.

    Spaces are removed and full-width characters turned to ASCII. A whole number cell is fine
    up to 15 digits; a longer one has lost digits in Excel and is refused (code
    ``"excel_number"``), as is a number with decimals.
    """
    if type(cell) is str:
        text = _SPACES.sub("", unicodedata.normalize("NFKC", cell).translate(_INVISIBLE))
        if _SCIENTIFIC.fullmatch(text):
            raise CellError(
                field,
                f"“{_shown(cell)}”被Excel存成了数字，后几位已丢失，请找回原始编号",
                code="excel_number",
                value=cell,
            )
        if len(text) > MAX_CODE_CHARS:
            raise CellError(
                field, f"编号“{_shown(text)}”太长，不像是编号，请核对是否填错了列", value=cell
            )
        return text or None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if isinstance(cell, float) and (not math.isfinite(cell) or not cell.is_integer()):
            raise CellError(field, f"编号“{cell:g}”不应有小数", value=cell)
        if abs(cell) >= 1e15:
            raise CellError(
                field,
                "编号被Excel存成了数字，后几位已丢失，请把该列设为文本后重新录入",
                code="excel_number",
                value=cell,
            )
        return str(int(cell))
    if cell is None:
        return None
    raise _kind_error(field, cell, "编号")
