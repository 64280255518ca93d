"""Where a key stands in a TOML text: the line numbers ``tomllib`` does not give.

``tomllib`` returns plain values without positions, but a county clerk who mistyped a policy
file needs to be told *which line* is wrong. :class:`KeyLines` scans the text once and remembers,
for every key path such as ``("categories", "dibao", "amount")``, the 1-based line it stands on.
A path that is not written out (a key that is missing, or a key inside an inline table) falls
back to the nearest enclosing table that is, e.g. the ``[categories.dibao]`` header line.

The scan understands what policy files use: ``[table]`` headers, ``[[array]]`` headers,
``key = value`` lines with bare, quoted and dotted keys, comments, and multi-line strings (whose
inner lines are skipped). It is only ever run on text that ``tomllib`` has already accepted, or
to place a syntax error, so it does not validate anything itself. :func:`syntax_problem` puts
``tomllib``'s English syntax errors into words a clerk understands, at their line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

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


# ------------------------------------------------------------------- syntax errors in words

_SYNTAX_HINTS = (
    (
        "Expected newline or end of document",
        "值后面多出了内容（文字要加英文双引号，注释以 # 开头）",
    ),
    ("Invalid value", "值的写法不对：文字要加英文双引号，数字和日期不加引号"),
    ("Expected '=' after a key", "缺少等号，应写成 名称 = 值"),
    ("Invalid statement", "看不懂这一行，应写成 名称 = 值，或 [表名]"),
    ("Cannot overwrite a value", "同一项写了两次"),
    ("Cannot declare", "同一个表写了两次"),
    ("Unclosed array", "方括号 [ ] 没有配对"),
    ("Unterminated string", "引号没有配对"),
    ("Illegal character", "引号没有配对，或有不允许的字符"),
    ("Invalid date", "日期写法不对，应写成 2024-09-01（年-月-日）"),
)
_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)\s*$")
_DATE_LINE = re.compile(r"^\s*([A-Za-z0-9_]+)\s*=\s*(.*?)\s*(#.*)?$")


def syntax_problem(text: str, detail: str, date_keys: Mapping[str, str]) -> tuple[str, int | None]:
    """A ``tomllib`` syntax error (``detail``) in plain Chinese, and the line it names (1-based;
    None when it names none). A bad date on a line of one of ``date_keys`` (key -> what it is
    called) is explained as a date."""
    lines = text.splitlines()
    if match := _AT_LINE.search(detail):
        line: int | None = int(match.group(1))
    elif "at end of document" in detail and lines:
        line = len(lines)
    else:
        line = None
    if line is not None and lines:
        line = min(line, len(lines))  # "end of document" after a final newline: the last line
    english = _AT_LINE.sub("", detail).replace("(at end of document)", "").strip()
    if line is not None and 0 < line <= len(lines):
        date_line = _DATE_LINE.match(lines[line - 1])
        if date_line and date_line.group(1) in date_keys:
            key, value = date_line.group(1), date_line.group(2)
            return (
                f"{key}（{date_keys[key]}）的日期“{value}”写法不对，"
                "应写成 2024-09-01 这样（年-月-日，月和日都写两位）",
                line,
            )
    hint = next((zh for en, zh in _SYNTAX_HINTS if english.startswith(en)), "格式有误")
    return f"TOML格式有误：{hint}（{english}）", line
