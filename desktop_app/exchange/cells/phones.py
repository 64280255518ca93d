"""Phone numbers: mobiles and fixed lines with their area code, one or several in a cell."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from desktop_app.exchange.cells.common import (
    _INVISIBLE,
    _SCIENTIFIC,
    _SPACES,
    CellError,
    _kind_error,
    _number_text,
    _shown,
)
from desktop_app.exchange.fields import Field
from desktop_app.exchange.reading import Cell

_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_FIXED = re.compile(r"\(?(0\d{2,3})\)? ?-? ?(\d{7,8})(?: ?(?:-|转) ?(\d{1,6}))?")
_FIXED_COMPACT = re.compile(r"0\d{9,11}")
_PHONE_SEPARATORS = re.compile(r"[/、,;|]+")
_NOT_DIGIT = re.compile(r"\D")
_PHONE_SEPARATOR_CHARS = dict.fromkeys(map(ord, "-()"), None)
_COUNTRY_CODE = re.compile(r"^(?:\+86|0086|86)(?=1[3-9]\d{9}$)")
_NUMBER_TEXT = re.compile(r"(\d+)\.0+")


def parse_phone(cell: Cell, field: Field | str = Field.PHONE) -> str | None:
    """A phone number as text; None for an empty cell.

    An 11-digit mobile comes back as its digits ("13812345678"; "+86", spaces and hyphens
    dropped); a fixed line as "area-number" ("0731-84123456", from "0731 84123456",
    "(0731)84123456" or "073184123456"), with an extension kept ("010-12345678-123"). A number
    cell is fine for a mobile (13812345678.0 → "13812345678"); a fixed line stored as a number
    has lost its leading 0 and is refused. Several numbers in one cell, separated by / 、 , ;
    are each checked and joined with "/".
    """
    if type(cell) is str:
        if len(cell) == 11 and _MOBILE.fullmatch(cell):
            return cell
        return _phone_from_text(cell, field)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if isinstance(cell, float):
            if not math.isfinite(cell) or not cell.is_integer():
                raise _phone_error(field, cell, f"“{cell}”不是电话号码")
            cell = int(cell)
        digits = str(cell) if -(10**20) < cell < 10**20 else _number_text(cell)
        if _MOBILE.fullmatch(digits):
            return digits
        if 9 <= len(digits) <= 11 and digits[0] != "1":
            raise _phone_error(
                field,
                cell,
                f"电话号码{digits}被Excel存成了数字，开头的区号0可能已丢失，请把该列设为文本后改正",
            )
        raise _not_a_phone(field, cell, digits)
    if cell is None:
        return None
    raise _kind_error(field, cell, "电话号码")


def _phone_from_text(cell: str, field: Field | str) -> str | None:
    text = unicodedata.normalize("NFKC", cell).translate(_INVISIBLE).strip()
    if not text:
        return None
    phones: list[str] = []
    for part in _PHONE_SEPARATORS.split(text):
        part = part.strip()
        if part:
            phones.append(_one_phone(part, cell, field))
    if not phones:
        return None
    return "/".join(phones)


def _one_phone(part: str, cell: str, field: Field | str) -> str:
    text = _SPACES.sub(" ", part.strip())
    compact = text.replace(" ", "")
    number = _NUMBER_TEXT.fullmatch(compact)
    if number:  # "13812345678.0": a number cell saved to CSV
        compact = number.group(1)
    elif len(compact) <= 32 and _SCIENTIFIC.fullmatch(compact):
        try:
            value = Decimal(compact)
        except InvalidOperation:  # an exponent past what Decimal holds
            value = Decimal(0)
        if value.adjusted() < 20 and value == value.to_integral_value():  # not 1e999999999
            compact = str(int(value))
    mobile = _COUNTRY_CODE.sub("", compact.replace("-", ""))
    if _MOBILE.fullmatch(mobile):
        return mobile
    if compact != text or "-" in compact or "(" in compact:  # written with separators
        fixed = _FIXED.fullmatch(text)
        if fixed is not None:
            area, local, extension = fixed.groups()
            return f"{area}-{local}" + (f"-{extension}" if extension else "")
    plain = _NOT_DIGIT.sub("", compact)
    only_separators_dropped = plain == compact.translate(_PHONE_SEPARATOR_CHARS)
    if only_separators_dropped and _FIXED_COMPACT.fullmatch(plain):
        area_length = 3 if plain[1] in "12" else 4  # 010, 020–029 are the 3-digit area codes
        local = plain[area_length:]
        if 7 <= len(local) <= 8:
            return f"{plain[:area_length]}-{local}"
    if plain == compact and 7 <= len(plain) <= 8:
        raise _phone_error(
            field, cell, f"固定电话“{part.strip()}”缺少区号，请写成0731-84123456这样"
        )
    raise _not_a_phone(field, cell, _shown(part))


def _phone_error(field: Field | str, cell: Cell, reason: str) -> CellError:
    """A phone cell refused, with code ``"phone"``."""
    return CellError(field, reason, code="phone", value=cell)


def _not_a_phone(field: Field | str, cell: Cell, shown: str) -> CellError:
    return _phone_error(field, cell, f"“{shown}”不是有效的手机号或带区号的固定电话")
