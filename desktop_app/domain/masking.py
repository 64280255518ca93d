"""Masking for files that leave the office (DOMAIN.md section 10, "Masked exports").

No masked file may let anyone rebuild an ID number or a mobile number:

- an ID number keeps its first 6 and last 4 characters (430102********1234); the 8 hidden ones
  are exactly the birth date, so every date that gives the birth date away is reduced too;
- a 15-digit legacy ID keeps its first 6 and last 3 (its 6 birth digits are hidden);
- a mobile (11 digits, 13x–19x) keeps its first 3 and last 4 digits (138****5678), also
  written +86 / 86…;
- a fixed line keeps its area code and last 4 digits (0731-****3456) in a phone column;
- in any text at all (户编号, 备注, names, addresses, titles) an ID or mobile number written
  inside the text is masked in place: "户主430102199001011234之女", "电话138 1234 5678",
  full-width digits, a lowercase x, spaces or hyphens between the digit groups;
- a run of 19 or more digits (an ID glued to a phone, a bank card) keeps only its first 3 and
  last 4; runs of 12–14 and 16 digits are left alone: village codes (12) and the household
  numbers made from them (16) must stay readable;
- a date is reduced to its year.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from desktop_app.domain.idnumber import mask_id_number

STAR = "*"

_DIGIT = "0-9\uff10-\uff19"  # ASCII and full-width digits
_X = "xX\uff38\uff58"
# Between two digit groups of one number: a single space (also full-width / no-break), a hyphen
# or one of the zero-width characters a copy from a web page leaves behind.
_SEP = " \u3000\u00a0\u2007\u202f\u200b\u200c\u200d\u2060\ufeff\\-\u2010\u2011\u2012\u2013\uff0d"
_GROUP = re.compile(f"[{_DIGIT}]+[{_X}]?")
_LOOSE = re.compile(f"[{_DIGIT}]+[{_X}]?(?:[{_SEP}][{_DIGIT}]+[{_X}]?)*")
_LONGEST_SHAPE = 18
_GLUED = 19  # digits in one unbroken run from which it is no ID, phone or code we print


def _visible(collapsed: str) -> tuple[int, int] | None:
    """(characters kept at the start, at the end) when ``collapsed`` (digits, maybe a final X)
    is an ID or a mobile number; None when it is neither."""
    n = len(collapsed)
    body = collapsed[:-1] if collapsed.endswith("X") else collapsed
    if not body.isdigit() or (len(body) != n and n != 18):
        return None
    if n == 18:
        return 6, 4
    if n in (15, 17):
        return 6, 3
    if n == 11 and collapsed[0] == "1" and collapsed[1] >= "3":  # mobiles are 13x–19x
        return 3, 4
    if n == 13 and collapsed.startswith("861") and collapsed[3] >= "3":
        return 5, 4
    return None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper()


def mask_text(text: str) -> str:
    """``text`` with every ID number and mobile number in it masked in place (see the module)."""
    if len(text) < 11 or not any(ch.isdigit() for ch in text):
        return text
    chars: list[str] | None = None
    for loose in _LOOSE.finditer(text):
        start = loose.start()
        groups = [(start + m.start(), start + m.end()) for m in _GROUP.finditer(loose.group())]
        i = 0
        while i < len(groups):
            matched = False
            collapsed = ""
            for j in range(i, len(groups)):
                a, b = groups[j]
                collapsed += _fold(text[a:b])
                if len(collapsed) > _LONGEST_SHAPE:
                    break
                if collapsed[:-1].find("X") >= 0:  # an X only ends a number
                    break
                keep = _visible(collapsed)
                if keep is not None:
                    chars = chars if chars is not None else list(text)
                    _hide(chars, groups[i : j + 1], *keep)
                    i, matched = j + 1, True
                    break
            if not matched:
                a, b = groups[i]
                if b - a >= _GLUED:
                    chars = chars if chars is not None else list(text)
                    _hide(chars, [groups[i]], 3, 4)
                i += 1
    return text if chars is None else "".join(chars)


def _hide(chars: list[str], groups: list[tuple[int, int]], head: int, tail: int) -> None:
    """Star the characters of ``groups`` (taken as one number) but the first ``head`` and the
    last ``tail``; separators between the groups stay as they were."""
    positions = [k for a, b in groups for k in range(a, b)]
    for k in positions[head : len(positions) - tail]:
        chars[k] = STAR


def mask_phone(phone: str) -> str:
    """A phone column's value for a masked file: 138****5678, 0731-****3456.

    Several numbers joined with "/" are masked one by one; short or odd values keep only their
    last digits visible; any ID or mobile number left in the text is masked too."""
    if not phone:
        return phone
    return "/".join(_mask_one_phone(part) for part in phone.split("/"))


def _mask_one_phone(phone: str) -> str:
    in_place = mask_text(phone)  # a mobile (or an ID) in any spelling: "+86 138 1234 5678"
    if in_place != phone:
        return in_place
    if "-" in phone:
        area, _, rest = phone.partition("-")
        local, _, extension = rest.partition("-")
        masked = STAR * max(0, len(local) - 4) + local[-4:]
        return f"{area}-{masked}" + (f"-{extension}" if extension else "")
    if len(phone) >= 11:
        return phone[:3] + STAR * (len(phone) - 7) + phone[-4:]
    if len(phone) > 4:
        return STAR * (len(phone) - 4) + phone[-4:]
    return STAR * len(phone)


def mask_id_cell(text: str) -> str:
    """An ID column's value for a masked file: an ID keeps its first 6 and last 4 characters
    (a legacy 15-digit one its first 6 and last 3); anything else is masked as text, and a
    value with no recognisable number in it still shows no more than its ends."""
    masked = mask_text(text)
    if masked != text:
        return masked
    return mask_id_number(text)


def year_only(value: dt.date | str) -> str:
    """A date reduced to its year, as text: a masked file's 出生日期, 缴费日期."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}"
    text = str(value).strip()
    match = re.match(r"\d{4}", _fold(text))
    return match.group() if match else mask_text(text)
