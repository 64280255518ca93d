"""Text cells: any cell as tidy text, persons' names, several values in one cell."""

from __future__ import annotations

import datetime as dt
import re

from desktop_app.exchange.cells.common import _INVISIBLE, _SPACES
from desktop_app.exchange.reading import Cell

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_MULTI_SEPARATORS = re.compile(r"[、,，;；/|\s]+")


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

def split_multi(cell: Cell) -> list[str]:
    """Several values in one cell ("低保、监测对象", "特困/孤儿") as a list; [] when empty."""
    text = clean_text(cell)
    if not text:
        return []
    return [part for part in _MULTI_SEPARATORS.split(text) if part]
