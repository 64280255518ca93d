"""Turning one raw cell into a clean value, or a :class:`CellError` saying why not.

Every parser takes a cell as :mod:`desktop_app.exchange.reading` gives it (``str``, ``int``,
``float``, ``bool``, dates and times; ``""`` when empty) and either returns a value or raises
:class:`CellError` with the field and a reason in plain Chinese. An empty cell is not an error
here (the parsers return ``None``; :func:`parse_id_cell` is the exception, because a row without
an ID number cannot be matched): whether a field is required is the import service's call.

The common case is checked first with one precompiled regex or an ``isinstance`` test, so a
clean 100,000-row roster costs no exception and no ``Decimal`` per cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from desktop_app.domain.idnumber import IdNumber, IdNumberError, parse_id_number
from desktop_app.exchange.fields import Field
from desktop_app.exchange.limits import MAX_AMOUNT_FEN, MAX_CODE_CHARS, MAX_SHOWN_CHARS
from desktop_app.exchange.reading import Cell

#: Day 0 of Excel's 1900 date system, as it counts from 1900-03-01 on (serial 61) — the
#: fictitious 1900-02-29 makes earlier serials one day off, and those are refused anyway.
EXCEL_EPOCH = dt.date(1899, 12, 30)
_FIRST_SERIAL = 61  # 1900-03-01
_LAST_SERIAL = (dt.date(2100, 12, 31) - EXCEL_EPOCH).days
_MIN_YEAR, _MAX_YEAR = 1900, 2100

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
)

# amounts
_PLAIN_AMOUNT = re.compile(r"(\d+)(?:\.(\d{1,2}))?", re.ASCII)
_AMOUNT_PREFIX = re.compile(r"^(?:¥|￥|rmb|人民币)", re.IGNORECASE)
_AMOUNT_SUFFIX = re.compile(r"(?:元整|元|圆|整)$")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?|\.\d+")

# dates
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_YMD = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日.*|[\sT].*)?", re.DOTALL
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:[\sT].*)?", re.DOTALL)

# phones
_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_FIXED = re.compile(r"\(?(0\d{2,3})\)? ?-? ?(\d{7,8})(?: ?(?:-|转) ?(\d{1,6}))?")
_FIXED_COMPACT = re.compile(r"0\d{9,11}")
_PHONE_SEPARATORS = re.compile(r"[/、,;|]+")
_NOT_DIGIT = re.compile(r"\D")
_PHONE_SEPARATOR_CHARS = dict.fromkeys(map(ord, "-()"), None)
_COUNTRY_CODE = re.compile(r"^(?:\+86|0086|86)(?=1[3-9]\d{9}$)")
_NUMBER_TEXT = re.compile(r"(\d+)\.0+")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")

_MULTI_SEPARATORS = re.compile(r"[、,，;；/|\s]+")


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


def _too_large(field: Field | str, cell: Cell, shown: str) -> CellError:
    return CellError(
        field,
        f"金额{shown}大得不合常理（超过{MAX_AMOUNT_FEN // 100:,}元），请核对是否填错了列",
        code="too_large",
        value=cell,
    )


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


# --------------------------------------------------------------------------- amounts


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


# --------------------------------------------------------------------------- dates


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


# --------------------------------------------------------------------------- ID numbers

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


# --------------------------------------------------------------------------- phones


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
                raise CellError(field, f"“{cell}”不是电话号码", code="phone", value=cell)
            cell = int(cell)
        digits = str(cell) if -(10**20) < cell < 10**20 else _number_text(cell)
        if _MOBILE.fullmatch(digits):
            return digits
        if 9 <= len(digits) <= 11 and digits[0] != "1":
            raise CellError(
                field,
                f"电话号码{digits}被Excel存成了数字，开头的区号0可能已丢失，请把该列设为文本后改正",
                code="phone",
                value=cell,
            )
        raise CellError(
            field, f"“{digits}”不是有效的手机号或带区号的固定电话", code="phone", value=cell
        )
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
        raise CellError(
            field,
            f"固定电话“{part.strip()}”缺少区号，请写成0731-84123456这样",
            code="phone",
            value=cell,
        )
    raise CellError(
        field, f"“{_shown(part)}”不是有效的手机号或带区号的固定电话", code="phone", value=cell
    )


# --------------------------------------------------------------------------- text


def clean_text(cell: Cell) -> str:
    """Any cell as tidy text: ends trimmed (also U+3000 and no-break spaces), zero-width
    characters removed, runs of spaces and line breaks folded to one space. A whole number
    stored as a float reads without ".0"; dates read as 2025-01-02. Empty → ""."""
    if type(cell) is str:
        if cell.isprintable() and cell == cell.strip() and "  " not in cell:
            return cell
        return _SPACES.sub(" ", cell.translate(_INVISIBLE)).strip()
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float):
        if cell.is_integer() and abs(cell) < 1e15:
            return str(int(cell))
        return format(cell, ".15g")
    if isinstance(cell, dt.datetime):
        return (
            cell.strftime("%Y-%m-%d %H:%M:%S")
            if cell.time() != dt.time()
            else cell.date().isoformat()
        )
    if isinstance(cell, (dt.date, dt.time)):
        return cell.isoformat()
    return str(cell)


def clean_name(cell: Cell) -> str:
    """A person's name: :func:`clean_text`, and no spaces next to Chinese characters ("张  三"
    → "张三", as hand-made sheets pad two-character names); spaces between Latin words stay."""
    text = clean_text(cell)
    if " " in text:
        text = _CJK_GAP.sub("", text)
    return text


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


def split_multi(cell: Cell) -> list[str]:
    """Several values in one cell ("低保、监测对象", "特困/孤儿") as a list; [] when empty."""
    text = clean_text(cell)
    if not text:
        return []
    return [part for part in _MULTI_SEPARATORS.split(text) if part]
