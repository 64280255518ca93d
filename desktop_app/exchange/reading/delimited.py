"""CSV (and tab- or semicolon-separated text): decoded by :mod:`.decoding`, the delimiter sniffed,
every row checked against Excel's limits; rows are parsed on each pass, not kept."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from itertools import islice
from typing import cast

from desktop_app.exchange import guards
from desktop_app.exchange.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS
from desktop_app.exchange.reading.decoding import decode_text
from desktop_app.exchange.reading.sheet import MSG_NO_CONTENT, RawSheet, Row, UnreadableFileError

_CSV_DELIMITERS = (",", "\t", ";")
_SNIFF_LINES = 30


def read_csv(data: bytes, name: str, path: str | os.PathLike[str]) -> RawSheet:
    text, encoding = decode_text(data, path)
    del data
    separator = _line_end(text)
    delimiter = _sniff_delimiter(text, separator)
    height = _csv_height(text, separator, delimiter, path)
    if not height:
        raise UnreadableFileError("no_content", MSG_NO_CONTENT, path=path)

    def rows() -> Iterator[Row]:
        reader = csv.reader(_lines(text, separator), delimiter=delimiter)
        return islice(cast("Iterator[Row]", reader), height)

    return RawSheet(
        name=name,
        index=0,
        source_format="csv",
        height=height,
        merged=None,
        encoding=encoding,
        delimiter=delimiter,
        _rows_factory=rows,
    )


_LINES_CHUNK = 1 << 20
_ANY_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _line_end(text: str) -> str | None:
    """"\n" (also for CR LF), "\r" (an old Mac's files), or None when both kinds are mixed."""
    returns = text.count("\r")
    if not returns or returns == text.count("\r\n"):
        return "\n"
    return "\r" if "\n" not in text else None


def _lines(text: str, separator: str | None) -> Iterator[str]:
    """The lines of ``text`` with their ends, a megabyte at a time (``io.StringIO`` would copy the
    whole text at four bytes a character; ``splitlines`` also splits at characters that are not
    line ends in a CSV). With no single separator, lines end at CR LF, CR or LF, as
    ``io.StringIO(text, newline="")`` would split them."""
    if separator is None:
        yield from (match.group() for match in _ANY_LINE.finditer(text))
        return
    start, end = 0, len(text)
    while start < end:
        stop = text.rfind(separator, start, start + _LINES_CHUNK) + 1
        if stop <= start:  # a line longer than the chunk
            stop = text.find(separator, start + _LINES_CHUNK) + 1 or end
        lines = text[start:stop].split(separator)
        last = lines.pop()
        for line in lines:
            yield line + separator
        if last:
            yield last
        start = stop


def _csv_height(
    text: str, separator: str | None, delimiter: str, path: str | os.PathLike[str]
) -> int:
    """Rows up to the last non-blank one, after checking every row against Excel's limits (a
    CSV may claim anything; the rows are parsed again on each pass, never kept)."""
    height = 0
    reader = csv.reader(_lines(text, separator), delimiter=delimiter)
    index = 0
    try:
        for index, row in enumerate(reader, start=1):
            if not row:
                continue
            if len(row) > MAX_COLUMNS:
                raise UnreadableFileError("too_large", guards.msg_too_large(
                    f"第{index:,}行有{len(row):,}列，Excel表格最多{MAX_COLUMNS:,}列"), path=path)
            if max(map(len, row)) > MAX_CELL_CHARS:
                raise UnreadableFileError("damaged", _msg_long_cell(index), path=path)
            if "".join(row).strip():
                height = index
                if height > MAX_ROWS:
                    raise UnreadableFileError("too_large", guards.msg_too_large(
                        f"超过了{MAX_ROWS:,}行（Excel表格的最大行数）"), path=path)
    except csv.Error as exc:  # a field beyond csv's own limit (131,072)
        message = _msg_long_cell(index + 1) if "larger" in str(exc) else _MSG_CSV_DAMAGED.format(
            row=index + 1)
        raise UnreadableFileError("damaged", message, path=path) from None
    return height


_MSG_CSV_DAMAGED = (
    "CSV文件第{row:,}行附近格式有误，无法读取。请用Excel或WPS打开这个文件检查，"
    "另存为“Excel工作簿(*.xlsx)”后再导入。"
)


def _msg_long_cell(row: int) -> str:
    return (
        f"第{row:,}行附近有一个单元格超过了{MAX_CELL_CHARS:,}个字符（Excel允许的最大长度），"
        "通常是某处的英文引号\"没有配对，使后面的内容都连成了一格。"
        "请用Excel或WPS打开这个文件检查，另存为“Excel工作簿(*.xlsx)”后再导入。"
    )



def _sniff_delimiter(text: str, separator: str | None = "\n") -> str:
    """The delimiter among comma, tab and semicolon that splits the first lines best.

    Title rows have a single field; the delimiter that gives the header and data rows the most
    fields, consistently, wins. Ties go to the comma.
    """
    lines = [
        line[:65536] for line in islice(_lines(text, separator), _SNIFF_LINES * 2) if line.strip()
    ]
    lines = lines[:_SNIFF_LINES]
    best, best_score = ",", -1
    for delimiter in _CSV_DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            counts = []
        multi = [n for n in counts if n > 1]
        if not multi:
            score = 0
        else:
            modal = max(set(multi), key=multi.count)
            score = multi.count(modal) * modal
        if score > best_score:
            best, best_score = delimiter, score
    return best
