"""Where a key stands in a TOML text: the line numbers ``tomllib`` does not give.

``tomllib`` returns plain values without positions, but a county clerk who mistyped a policy
file needs to be told *which line* is wrong. :class:`KeyLines` scans the text once and remembers,
for every key path such as ``("categories", "dibao", "amount")``, the 1-based line it stands on.
A path that is not written out (a key that is missing, or a key inside an inline table) falls
back to the nearest enclosing table that is, e.g. the ``[categories.dibao]`` header line.

The scan understands what policy files use: ``[table]`` headers, ``[[array]]`` headers,
``key = value`` lines with bare, quoted and dotted keys, comments, and multi-line strings (whose
inner lines are skipped). It is only ever run on text that ``tomllib`` has already accepted, or
to place a syntax error, so it does not validate anything itself.
"""

from __future__ import annotations

import json
import re

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_DOTTED = rf"{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*"
_ARRAY_HEADER = re.compile(rf"^[ \t]*\[\[[ \t]*({_DOTTED})[ \t]*\]\]")
_TABLE_HEADER = re.compile(rf"^[ \t]*\[[ \t]*({_DOTTED})[ \t]*\]")
_KEY_VALUE = re.compile(rf"^[ \t]*({_DOTTED})[ \t]*=")
_PART = re.compile(_KEY_PART)

Path = tuple[str, ...]


def split_dotted_key(dotted: str) -> Path:
    """``categories."dibao" . name`` -> ``("categories", "dibao", "name")``."""
    parts: list[str] = []
    for raw in _PART.findall(dotted):
        if raw.startswith('"'):
            try:
                parts.append(json.loads(raw))
            except ValueError:  # a TOML-only escape such as \U0001F600: good enough
                parts.append(raw[1:-1])
        elif raw.startswith("'"):
            parts.append(raw[1:-1])
        else:
            parts.append(raw)
    return tuple(parts)


class KeyLines:
    """Line numbers (1-based) of the keys and tables written in a TOML text."""

    def __init__(self, text: str) -> None:
        self._first: dict[Path, int] = {}
        table: Path = ()
        open_string: str | None = None  # the delimiter of a multi-line string we are inside
        for number, line in enumerate(text.splitlines(), start=1):
            if open_string is not None:
                if line.count(open_string) % 2 == 1:
                    open_string = None
                continue
            if (match := _ARRAY_HEADER.match(line)) or (match := _TABLE_HEADER.match(line)):
                table = split_dotted_key(match.group(1))
                self._note(table, number)
            elif match := _KEY_VALUE.match(line):
                self._note(table + split_dotted_key(match.group(1)), number)
            for delimiter in ('"""', "'''"):
                if line.count(delimiter) % 2 == 1:
                    open_string = delimiter
                    break

    def _note(self, path: Path, number: int) -> None:
        for size in range(1, len(path) + 1):
            self._first.setdefault(path[:size], number)

    def line_of(self, *path: str) -> int | None:
        """The line of ``path``, or of its nearest written parent; None if none is written."""
        for size in range(len(path), 0, -1):
            number = self._first.get(path[:size])
            if number is not None:
                return number
        return None

    def exact_line_of(self, *path: str) -> int | None:
        """The line of ``path`` itself, or None when it is not written out."""
        return self._first.get(path)
