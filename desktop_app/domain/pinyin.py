"""拼音首字母: the initials a clerk types to find a person ("zs" finds 张三)."""

from __future__ import annotations

import os
import threading
from functools import lru_cache

# Initials are looked up a character at a time, so pypinyin's phrase dictionary (which picks a
# reading from the neighbouring characters) is never consulted; not loading it cuts pypinyin's
# start from ~0.35 s to ~0.09 s. Every one of pypinyin's 41,923 characters gives the same
# initial either way (checked when this was introduced). setdefault: a person may still ask.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")


@lru_cache(maxsize=8192)
def _initial_of(char: str) -> str:
    # imported on first use: pypinyin's dictionaries take ~0.15 s to load, and most commands
    # (check, export, --version) never need them
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return letters[0][:1].lower() if letters and letters[0] else ""


def name_initials(name: str) -> str:
    """Lower-case initials of each Chinese character; ASCII letters and digits kept as they are.

    Characters are looked up one at a time (cached): names draw on a few thousand characters,
    and the heteronym choice for a single character is the common reading, which is what
    people type.
    """
    out = []
    for char in name:
        if char.isascii():
            if char.isalnum():
                out.append(char.lower())
        else:
            out.append(_initial_of(char))
    return "".join(out)


def preload() -> None:
    """Load pypinyin's dictionaries in a background thread, for a caller that will soon need
    initials (a roster import: the dictionaries load while python-calamine, which releases the
    GIL, parses the workbook, instead of after it). Harmless when they are already loaded."""
    if _initial_of.cache_info().currsize:
        return
    threading.Thread(target=_initial_of, args=("张",), name="pinyin-preload", daemon=True).start()
