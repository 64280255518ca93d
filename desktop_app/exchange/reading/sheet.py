"""What every format reader gives: :class:`RawSheet` (cells untouched) and the cell types, and
:class:`UnreadableFileError` for a file that cannot be read."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from desktop_app.errors import UserError

#: A cell as read: what calamine gives, or ``str`` from a CSV or an HTML table. Empty cells are ``""``.
Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta
Row = list[Cell]

MSG_NO_CONTENT = "文件里没有可读取的内容：所有工作表都是空的或被隐藏了。请检查是否选错了文件。"


class UnreadableFileError(UserError):
    """A file that cannot be read as a table; ``message`` is plain Chinese for the user.

    ``code`` is one of ``"missing"``, ``"no_access"``, ``"not_a_file"``, ``"empty_file"``,
    ``"too_large"``, ``"unsupported"``, ``"damaged"``, ``"password"``, ``"not_text"``,
    ``"no_content"``, ``"no_header"``.
    """

    def __init__(self, code: str, message: str, *, path: str | os.PathLike[str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = None if path is None else str(path)


@dataclass(frozen=True)
class RawSheet:
    """One sheet of a file, cells untouched.

    Row ``i`` of :meth:`rows` is spreadsheet row ``i + 1`` (as Excel shows it) and column ``j``
    is spreadsheet column ``j`` (0 = A), whatever empty area lies before the data.
    """

    name: str
    #: Position among all sheets of the workbook (hidden ones counted), 0 for a CSV.
    index: int
    #: ``"xlsx"``, ``"xls"``, ``"ods"``, ``"xlsb"``, ``"csv"``, or for a web platform's ".xls"
    #: ``"html"`` (an HTML table) or ``"xml"`` (XML Spreadsheet 2003).
    source_format: str
    #: Number of rows :meth:`rows` yields (the last non-empty spreadsheet row).
    height: int
    #: Merged ranges as ``(first_row, first_col, last_row, last_col)``, 0-based and inclusive;
    #: ``None`` when the format does not say (CSV, ODS).
    merged: tuple[tuple[int, int, int, int], ...] | None
    #: The encoding a CSV was decoded with (``"utf-8-sig"``, ``"gb18030"``, ``"utf-16"``).
    encoding: str | None = None
    #: The delimiter a CSV was split on.
    delimiter: str | None = None
    _rows_factory: Callable[[], Iterator[Row]] = field(default=lambda: iter(()), repr=False)
    #: The rows :meth:`head` reads, when not :attr:`_rows_factory`'s (a chunked sheet reads its
    #: passes in a child process, its first rows in process).
    _head_factory: Callable[[], Iterator[Row]] | None = field(default=None, repr=False)

    def rows(self, start: int = 0) -> Iterator[Row]:
        """Rows from 0-based index ``start`` on; each call starts a fresh pass over the sheet.

        Rows are lists that may be shorter than the widest row (CSV); never rely on their length.
        """
        rows = self._rows_factory()
        return islice(rows, start, None) if start else rows

    def head(self, count: int = 20) -> list[Row]:
        """The first ``count`` rows (what header detection looks at)."""
        rows = (self._head_factory or self._rows_factory)()
        try:
            return list(islice(rows, count))
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()  # a chunked read stops its worker now, not when collected
