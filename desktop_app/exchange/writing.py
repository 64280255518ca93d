"""Writing export workbooks people open in Excel or WPS (DOMAIN.md sections 8 and 9).

One sheet per table: a merged title row ("XX镇2025年度参保台账"), an optional subtitle row, a
bold header row frozen in place and repeated on every printed page, the data, and optionally a
合计 row. ID numbers and phones are stored as text (never numbers: Excel would drop digits),
amounts as numbers with format ``0.00``, percentages as numbers with format ``0.0%``, dates as
dates shown 2025-01-02. Every text is written as a string cell, so a value such as "=SUM(A1)",
"+86 138…", "-" or "@home" is shown literally and never evaluated as a formula.

Amounts come in as whole fen (int). An xlsx number cell is a binary float, so the cell holds
``fen / 100``: Python's division gives the float nearest the exact decimal (18000 → 180.0,
1999 → 19.99) and XlsxWriter writes its shortest repr, which reads back as the same float, and
:func:`desktop_app.exchange.cells.parse_amount_fen` turns that back into the same fen. Totals are
summed in fen as integers and divided once, so no float sum ever drifts.

Written with XlsxWriter in ``constant_memory`` mode (rows streamed to disk; measured faster than
openpyxl's write-only mode, see ``benchmarks/bench_xlsx_writers.py``), row files and workbook in
the owner-only scratch folder (:mod:`desktop_app.scratch`), never in ``$TMPDIR`` or beside the
target; the file is moved to the target only when complete.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from itertools import chain, islice
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
import xlsxwriter.exceptions  # type: ignore[import-untyped]

from desktop_app import scratch
from desktop_app.domain.masking import mask_id_cell, mask_text, year_only
from desktop_app.domain.masking import mask_phone as mask_phone  # re-exported: exchange.mask_phone
from desktop_app.errors import UserError
from desktop_app.exchange import xlsx_rows
from desktop_app.pathnames import shown

#: Rows looked at to size columns to their content.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6.0, 50.0
TOTAL_LABEL = "合计"
HIDDEN = "已隐藏"  # a masked file's value of a column hidden when masked

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class Kind(str, Enum):
    """How a column's values are written."""

    TEXT = "text"
    ID = "id"  # ID numbers: text
    PHONE = "phone"  # text
    MONEY_FEN = "money_fen"  # int fen → number in yuan, 0.00
    INT = "int"  # counts, 序号
    PERCENT = "percent"  # a fraction (0.953) → 95.3%
    DATE = "date"  # dt.date → date cell shown 2025-01-02 (a str is written as text)


_NATURAL_WIDTH: dict[Kind, float] = {Kind.ID: 20.0, Kind.PHONE: 14.0, Kind.DATE: 12.0}
_SUMMED_BY_DEFAULT = frozenset({Kind.MONEY_FEN, Kind.INT})


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, kind, and optionally width and totals behaviour."""

    header: str
    kind: Kind | str = Kind.TEXT
    #: Width in characters (a Chinese character counts 2); None fits header and content.
    width: float | None = None
    #: Whether the 合计 row sums this column; None means yes for money and int columns.
    total: bool | None = None
    #: In a masked file, write no value at all (a date that would give a birth date away).
    hidden_when_masked: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))  # "money_fen" → Kind.MONEY_FEN

    @property
    def summed(self) -> bool:
        return self.kind in _SUMMED_BY_DEFAULT if self.total is None else self.total


@dataclass(frozen=True)
class TableSummary:
    """What :meth:`XlsxExport.add_table` wrote."""

    sheet_name: str
    rows: int
    #: Sums of the summed columns by header: fen for money, plain ints for int columns.
    totals: dict[str, int] = field(default_factory=dict)
    #: 1-based spreadsheet row number of the header row.
    header_row_number: int = 2


class ExportError(UserError, OSError):
    """The export file could not be written; ``message`` is plain Chinese for the user."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def display_width(text: str) -> int:
    """Width of text in Excel column units: wide (CJK, full-width) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sanitize_sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: no []:*?/\\, not blank, at most 31 characters."""
    cleaned = _SHEET_NAME_FORBIDDEN.sub("_", name).strip("'").strip()
    return (cleaned or "Sheet1")[:31]


class XlsxExport:
    """An export workbook; use as a context manager, add one table per sheet.

    ``with XlsxExport(path) as book: book.add_table(...)``. The file appears at ``path`` only
    when the ``with`` block ends without an exception; :class:`ExportError` says in Chinese
    why it could not be written (for instance the file is open in Excel).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self._temp = scratch.new_path("export-", ".xlsx")
        except OSError as exc:
            raise ExportError(f"无法准备导出文件：{exc.strerror}", str(self.path)) from exc
        self._book = xlsxwriter.Workbook(
            str(self._temp),
            {
                "tmpdir": str(self._temp.parent),  # row files hold every ID: not in $TMPDIR
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self._names: set[str] = set()
        self._formats = _Formats(self._book)
        self._closed = False

    def __enter__(self) -> XlsxExport:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()

    def add_table(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        sheet_name: str | None = None,
        subtitle: str | None = None,
        totals: bool = False,
        total_values: Mapping[str, Any] | None = None,
        mask: bool = False,
    ) -> TableSummary:
        """Write one table on a new sheet and return what was written.

        ``rows`` yields sequences of values in column order (see :class:`Kind` for the types
        each kind takes; None or "" leaves a cell empty). With ``totals`` a 合计 row follows the
        data: summed columns hold their sums, ``total_values`` (by header) fills any other
        column, such as an overall rate. ``mask`` makes the sheet fit to leave the office
        (:mod:`desktop_app.domain.masking`): every ID and mobile number in any text cell, title
        or sheet name is masked in place, dates are reduced to their year, and a column
        ``hidden_when_masked`` is left empty.
        Raises ``TypeError``/``ValueError`` for a value the column's kind cannot take.
        """
        if not columns:
            raise ValueError("an export needs at least one column")
        kinds = [Kind(column.kind) for column in columns]
        if mask:
            title, subtitle = mask_text(title), mask_text(subtitle) if subtitle else subtitle
            sheet_name = mask_text(sheet_name) if sheet_name else sheet_name
        name = self._unique_name(sanitize_sheet_name(sheet_name or title))
        sheet = self._book.add_worksheet(name)
        xlsx_rows.install(sheet)  # the same XML, written a row at a time
        formats = self._formats
        last_col = len(columns) - 1

        rows_iter = iter(rows)
        sample = list(islice(rows_iter, WIDTH_SAMPLE_ROWS))
        for index, column in enumerate(columns):
            width = (
                column.width
                if column.width is not None
                else _fit_width(column, kinds[index], sample, index)
            )
            sheet.set_column(index, index, width)

        row = 0
        sheet.set_row(row, 30)
        if last_col > 0:
            sheet.merge_range(row, 0, row, last_col, "", formats.title)
        sheet.write_string(row, 0, title, formats.title)
        row += 1
        if subtitle:
            if last_col > 0:
                sheet.merge_range(row, 0, row, last_col, "", formats.subtitle)
            sheet.write_string(row, 0, subtitle, formats.subtitle)
            row += 1
        header_row = row
        for index, column in enumerate(columns):
            sheet.write_string(row, index, column.header, formats.header)
        sheet.freeze_panes(header_row + 1, 0)
        sheet.repeat_rows(header_row)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        row += 1

        writers = [
            _write_hidden if mask and column.hidden_when_masked else _CELL_WRITERS[kind]
            for kind, column in zip(kinds, columns)
        ]
        cell_formats = [formats.cell[kind] for kind in kinds]
        summed = [column.summed for column in columns]
        sums = [0] * len(columns)
        blank = formats.cell[Kind.TEXT]
        write_blank = sheet.write_blank
        count = 0
        for values in chain(sample, rows_iter):
            for index, value in enumerate(values):
                if value is None or value == "":
                    write_blank(row, index, None, blank)
                    continue
                writers[index](sheet, row, index, value, cell_formats[index], mask)
                if summed[index]:
                    sums[index] += _as_int(value, columns[index])
            row += 1
            count += 1
        if count:
            sheet.autofilter(header_row, 0, row - 1, last_col)

        totals_out = {columns[i].header: sums[i] for i in range(len(columns)) if summed[i]}
        if totals:
            extra = dict(total_values or {})
            unknown = set(extra) - {column.header for column in columns}
            if unknown:
                raise ValueError(f"total_values for unknown columns: {sorted(unknown)}")
            for index, column in enumerate(columns):
                fmt = formats.total[kinds[index]]
                if index == 0:
                    sheet.write_string(row, 0, TOTAL_LABEL, formats.total[Kind.TEXT])
                elif column.header in extra and extra[column.header] not in (None, ""):
                    writers[index](sheet, row, index, extra[column.header], fmt, mask)
                elif summed[index]:
                    writers[index](sheet, row, index, sums[index], fmt, False)
                else:
                    write_blank(row, index, None, fmt)
        return TableSummary(
            sheet_name=name, rows=count, totals=totals_out, header_row_number=header_row + 1
        )

    def close(self) -> None:
        """Finish the file and move it into place. Raises :class:`ExportError`."""
        if self._closed:
            return
        self._closed = True
        try:
            self._book.close()
        except (OSError, xlsxwriter.exceptions.XlsxWriterException) as exc:
            self._drop_row_files()  # close() failed before it got to deleting them
            self._remove_temp()
            raise ExportError(f"无法写入导出文件：{exc}", str(self.path)) from exc
        except BaseException:  # interrupted (Ctrl-C, SIGTERM) while the zip was assembled
            self._drop_row_files()
            self._remove_temp()
            raise
        try:
            scratch.place(self._temp, self.path)
        except PermissionError as exc:
            self._remove_temp()
            raise ExportError(
                f"文件“{shown(self.path.name)}”正被Excel或WPS打开，或没有写入权限。请先关闭它再导出，或换一个文件名。",
                str(self.path),
            ) from exc
        except OSError as exc:
            self._remove_temp()
            raise ExportError(
                f"无法保存导出文件“{shown(self.path.name)}”：{exc.strerror}", str(self.path)
            ) from exc
        except BaseException:
            self._remove_temp()
            raise

    def discard(self) -> None:
        """Give up: nothing is written at ``path``, and no temporary file is left behind.

        Closing the workbook would first assemble the whole zip (seconds for a large table, all
        thrown away); instead each sheet's constant-memory row file is closed and deleted. Should
        XlsxWriter ever keep them differently, it falls back to closing the book."""
        if self._closed:
            return
        self._closed = True
        try:
            self._drop_row_files()
            self._book.fileclosed = True
        except Exception:  # noqa: BLE001 - not the XlsxWriter we know: the slow, sure way
            try:
                self._book.close()
            except Exception:  # noqa: BLE001 - the file is being thrown away
                pass
        self._remove_temp()

    def _drop_row_files(self) -> None:
        """Close and delete the row data file each sheet spools to in constant-memory mode."""
        for sheet in self._book.worksheets():
            sheet._opt_close()
            name = sheet.row_data_filename
            if name:
                sheet.row_data_filename = None
                try:
                    os.unlink(name)
                except FileNotFoundError:  # XlsxWriter got to it first
                    pass

    def _remove_temp(self) -> None:
        try:
            self._temp.unlink()
        except OSError:
            pass

    def _unique_name(self, name: str) -> str:
        candidate, n = name, 2
        while candidate.lower() in self._names:
            suffix = f"({n})"
            candidate = name[: 31 - len(suffix)] + suffix
            n += 1
        self._names.add(candidate.lower())
        return candidate


def write_xlsx(
    path: str | os.PathLike[str],
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    **options: Any,
) -> TableSummary:
    """Write a one-sheet export workbook at ``path``: the keyword ``options`` are those of
    :meth:`XlsxExport.add_table` (``sheet_name``, ``subtitle``, ``totals``, ``total_values``,
    ``mask``), and an unknown one is a ``TypeError`` there."""
    with XlsxExport(path) as book:
        return book.add_table(title, columns, rows, **options)


# --------------------------------------------------------------------------- internals


class _Formats:
    """The handful of cell formats a workbook uses, created once."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"border": 1, "valign": "vcenter", "font_size": 11}
        number_formats = {
            Kind.TEXT: None,
            Kind.ID: "@",
            Kind.PHONE: "@",
            Kind.MONEY_FEN: "0.00",
            Kind.INT: "0",
            Kind.PERCENT: "0.0%",
            Kind.DATE: "yyyy-mm-dd",
        }
        self.title = book.add_format(
            {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}
        )
        self.subtitle = book.add_format({"font_size": 11, "align": "left", "valign": "vcenter"})
        self.header = book.add_format(
            {**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#D9E1F2"}
        )
        self.cell: dict[Kind, Any] = {}
        self.total: dict[Kind, Any] = {}
        for kind, number_format in number_formats.items():
            props = dict(base)
            if number_format:
                props["num_format"] = number_format
            self.cell[kind] = book.add_format(props)
            self.total[kind] = book.add_format({**props, "bold": True, "bg_color": "#F2F2F2"})


def _write_text(sheet: Any, row: int, col: int, value: Any, fmt: Any, mask: bool) -> None:
    text = value if type(value) is str else _text_of(value)
    sheet.write_string(row, col, mask_text(text) if mask else text, fmt)


def _write_id(sheet: Any, row: int, col: int, value: Any, fmt: Any, mask: bool) -> None:
    text = value if type(value) is str else _text_of(value)
    sheet.write_string(row, col, mask_id_cell(text) if mask else text, fmt)


def _write_phone(sheet: Any, row: int, col: int, value: Any, fmt: Any, mask: bool) -> None:
    text = value if type(value) is str else _text_of(value)
    sheet.write_string(row, col, mask_phone(text) if mask else text, fmt)


def _write_money(sheet: Any, row: int, col: int, value: Any, fmt: Any, mask: bool) -> None:
    if type(value) is not int:
        raise TypeError(f"money is whole fen as int, not {type(value).__name__} ({value!r})")
    sheet.write_number(row, col, value / 100, fmt)


def _write_int(sheet: Any, row: int, col: int, value: Any, fmt: Any, mask: bool) -> None:
    if type(value) is not int:
        raise TypeError(f"an int column takes int, not {type(value).__name__} ({value!r})")
    sheet.write_number(row, col, value, fmt)


def _write_percent(sheet: Any, row: int, col: int, value: Any, fmt: Any, mask: bool) -> None:
    if isinstance(value, str):
        sheet.write_string(row, col, value, fmt)
    else:
        sheet.write_number(row, col, float(value), fmt)


def _write_date(sheet: Any, row: int, col: int, value: Any, fmt: Any, mask: bool) -> None:
    if mask:  # the year only, as text (a number would show as a date in 1905)
        sheet.write_string(row, col, year_only(value), fmt)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, fmt)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def _write_hidden(sheet: Any, row: int, col: int, value: Any, fmt: Any, mask: bool) -> None:
    sheet.write_string(row, col, HIDDEN, fmt)


_CELL_WRITERS = {
    Kind.TEXT: _write_text,
    Kind.ID: _write_id,
    Kind.PHONE: _write_phone,
    Kind.MONEY_FEN: _write_money,
    Kind.INT: _write_int,
    Kind.PERCENT: _write_percent,
    Kind.DATE: _write_date,
}


def _text_of(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _as_int(value: Any, column: Column) -> int:
    if type(value) is not int:
        raise TypeError(f"column {column.header!r} is summed, so it takes int, not {value!r}")
    return value


def _shown(value: Any, kind: Kind) -> str:
    """The text a cell shows, for sizing its column."""
    if kind is Kind.MONEY_FEN and type(value) is int:
        return f"{value / 100:.2f}"
    if kind is Kind.PERCENT and not isinstance(value, str):
        return f"{float(value) * 100:.1f}%"
    if kind is Kind.DATE:
        return "2025-01-02"
    return value if isinstance(value, str) else _text_of(value)


def _fit_width(column: Column, kind: Kind, sample: list[Sequence[Any]], index: int) -> float:
    widest = max(display_width(part) for part in column.header.split("\n"))
    for values in sample:
        if index < len(values):
            value = values[index]
            if value is not None and value != "":
                widest = max(widest, display_width(_shown(value, kind)))
    width = max(float(widest) + 2, _NATURAL_WIDTH.get(kind, MIN_WIDTH))
    return min(max(width, MIN_WIDTH), MAX_WIDTH)
