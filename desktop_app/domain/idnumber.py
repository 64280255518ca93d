"""公民身份号码: normalising, checking and reading the resident identity number (DOMAIN.md section 7).

18 characters: 6 region digits, 8 birth-date digits (YYYYMMDD), 3 order digits (odd = male)
and a check character computed from the first 17 digits.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

#: GB 11643's weights: the i-th of the first 17 digits (from the left) weighs 2^(17-i) mod 11.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"

# Spaces a copy from a web page or WPS leaves behind: ordinary, full-width (U+3000),
# no-break, and the zero-width family.
_INVISIBLE = dict.fromkeys(
    map(ord, " \t\r\n\u3000\u00a0\u2007\u202f\u200b\u200c\u200d\u2060\ufeff"), None
)
_EXCEL_NUMBER = re.compile(r"^\d(\.\d+)?E\+?\d+$|^\d{15,}\.0+$")


class IdNumberError(ValueError):
    """An ID number that cannot be accepted, with a reason a village doctor understands."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class IdNumber(NamedTuple):
    """A checked 18-character ID number and what it tells.

    A named tuple rather than a dataclass: every row of every import makes one, and a tuple is
    made in half the time (measured: 1.3 against 2.1 µs).
    """

    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    region: str
    converted_from_15: bool = False

    @property
    def sex_chinese(self) -> str:
        return "男" if self.sex == "M" else "女"


def normalize_id_text(raw: str) -> str:
    """Strip every kind of space, turn full-width digits and letters to ASCII, ``x`` to ``X``."""
    if raw.isascii() and raw.isalnum():  # the usual case: nothing to strip or fold
        return raw.upper()
    text = unicodedata.normalize("NFKC", raw).translate(_INVISIBLE)
    return text.upper()


def check_character(first17: str) -> str:
    """The 18th character for the given first 17 digits."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("need exactly 17 digits")
    # Every row of every import passes here, so no Python-level loop. The weight of digit j
    # (0-based) is 2^(17-j) mod 11, and 13 ≡ 2 (mod 11), so the digits read as a base-13
    # number are sum(d_j * 2^(16-j)) mod 11, in one C call (0.3 µs against 1.5 µs for the
    # weighted sum); twice that is the weighted sum. tests/domain/test_idnumber.py checks it
    # against WEIGHTS.
    return CHECK_CHARACTERS[2 * int(first17, 13) % 11]


def sex_of_order(order: str) -> str:
    """Sex from the 3 order digits: odd third digit is male."""
    return "M" if int(order[-1]) % 2 == 1 else "F"


@lru_cache(maxsize=1 << 16)  # some 50,000 possible birth dates; a roster repeats them
def _birth_date(digits: str) -> dt.date | None:
    try:
        return dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def parse_id_number(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Normalise and check an ID number; raise :class:`IdNumberError` saying why it is refused.

    A 15-digit legacy number is converted to 18 digits (``converted_from_15`` tells the caller
    to warn). A region code no longer in the current list is not a reason to refuse: codes retire.
    """
    text = normalize_id_text(raw)
    if not text:
        raise IdNumberError("empty", "身份证号为空")
    if ("E" in text or "." in text) and _EXCEL_NUMBER.match(text):
        raise IdNumberError(
            "excel_number",
            "身份证号被Excel存成了数字，后几位已丢失，请把该列设为文本后重新导出",
        )
    converted = False
    if len(text) == 15 and text.isascii() and text.isdigit():
        first17 = text[:6] + "19" + text[6:15]
        text = first17 + check_character(first17)
        converted = True
    if len(text) != 18:
        raise IdNumberError(
            "length", f"身份证号应为18位，这里是{len(text)}位，请核对是否多写或漏写"
        )
    # isascii: str.isdigit() also accepts ١٢٣ and other scripts' digits, which NFKC keeps
    first17 = text[:17]
    if not (text.isascii() and first17.isdigit() and (text[17].isdigit() or text[17] == "X")):
        raise IdNumberError(
            "characters", "身份证号只能是数字，最后一位可以是X，请核对是否有错字"
        )
    birth = _birth_date(text[6:14])
    if birth is None:
        raise IdNumberError("birth_date", f"身份证号中的出生日期{text[6:14]}不是真实日期")
    if birth > (today or dt.date.today()) or birth.year < 1890:
        raise IdNumberError("birth_date", f"身份证号中的出生日期{text[6:14]}不合理")
    expected = CHECK_CHARACTERS[2 * int(first17, 13) % 11]  # check_character, inlined (hot)
    if text[17] != expected:
        raise IdNumberError(
            "check",
            f"身份证号最后一位校验码不对（按前17位应为{expected}），请逐位核对",
        )
    return IdNumber(text, birth, "M" if text[16] in "13579" else "F", text[:6], converted)


def is_valid_id_number(raw: str) -> bool:
    try:
        parse_id_number(raw)
    except IdNumberError:
        return False
    return True


def make_id_number(region: str, birth_date: dt.date, order: int) -> str:
    """Build a valid 18-character number (demo data and tests)."""
    if len(region) != 6 or not region.isdigit():
        raise ValueError("region must be 6 digits")
    if not 0 <= order <= 999:
        raise ValueError("order must be 0..999")
    first17 = f"{region}{birth_date:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


def mask_id_number(number: str) -> str:
    """Hide the middle of an ID number for sharing outside the office: 430102********1234.

    The hidden 8 characters are the birth date; a 15-digit legacy number hides its 6 birth
    digits (first 6 and last 3 shown). Text with an ID inside: ``domain.masking.mask_text``."""
    if len(number) == 15:
        return number[:6] + "*" * 6 + number[-3:]
    if len(number) <= 10:
        return number[:2] + "*" * max(0, len(number) - 2)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
