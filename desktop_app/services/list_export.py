"""The person list as filtered on screen, written as a workbook: the columns shown, in the order
shown, its filters named in the title row, masked on request.

The same writer as the county's tables (:class:`~desktop_app.exchange.writing.XlsxExport`: IDs
and phones as text, amounts ``0.00``, a 合计 row, ``mask``), fed straight from the query's SQL
(:func:`~desktop_app.services.persons.iter_person_rows`), so 100,000 rows never sit in memory.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from desktop_app.domain.vocabulary import Status
from desktop_app.exchange.writing import Column, Kind, XlsxExport
from desktop_app.services.exports import (  # the export's own stream and result
    ExportResult,
    Progress,
    ShouldStop,
    _Cancelled,
    _Watched,
)
from desktop_app.services.ledger import ServiceError
from desktop_app.services.person_filters import COLUMN_TITLES
from desktop_app.services.persons import (
    PersonQuery,
    PersonRow,
    count_persons,
    describe_query,
    iter_person_rows,
)
from desktop_app.services.townships import title_place

LIST_NAME = "人员名单"
STATUS_NAMES = {s.value: s.chinese for s in Status}
_KINDS = {"id_number": Kind.ID, "phone": Kind.PHONE, "owed": Kind.MONEY_FEN, "due": Kind.MONEY_FEN,
          "paid": Kind.MONEY_FEN, "household_number": Kind.TEXT}


def list_title(query: PersonQuery) -> str:
    """青山镇2025年度人员名单（东山村，参保状态：未缴费）: the list named with its filters."""
    filters = describe_query(query)
    return f"{title_place()}{query.year}年度{LIST_NAME}" + (f"（{filters}）" if filters else "")


def _value(row: PersonRow, key: str) -> Any:
    if key == "status":
        return STATUS_NAMES.get(row.status or "", "当年未登记")
    if key == "owed":
        return row.owed_fen
    if key == "due":
        return row.due_fen
    if key == "paid":
        return row.paid_fen
    return getattr(row, key)


def _rows(query: PersonQuery, keys: Sequence[str]) -> Iterator[list[Any]]:
    for row in iter_person_rows(query):
        yield [_value(row, key) for key in keys]


def export_list(
    query: PersonQuery,
    out: Path,
    columns: Sequence[tuple[str, str]] | None = None,
    *,
    mask: bool = False,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ExportResult:
    """Write the persons ``query`` finds, in its order, to ``out``.

    ``columns``: (key, header) of each column in order, as on screen (default: every column with
    its Chinese name). Progress and cancel as :func:`desktop_app.services.exports.export`."""
    started = time.perf_counter()
    if not query.year:
        raise ServiceError("还没有选年度，没有可导出的名单")
    columns = list(columns or COLUMN_TITLES.items())
    unknown = [key for key, _header in columns if key not in COLUMN_TITLES]
    if unknown:
        raise ValueError(f"no such column: {unknown}")
    keys = [key for key, _header in columns]
    spec = [Column(header, _KINDS.get(key, Kind.TEXT)) for key, header in columns]
    subtitle = f"导出日期：{dt.date.today():%Y-%m-%d}"
    if mask:
        subtitle += "　（身份证号、电话已部分隐藏，日期只保留年份）"
    total = count_persons(query) if progress is not None else 0
    rows = _Watched(_rows(query, keys), total, progress, should_stop)
    try:
        with XlsxExport(out) as book:
            written = book.add_table(list_title(query), spec, rows, sheet_name=LIST_NAME, subtitle=subtitle,
                                     totals=True, mask=mask)
    except _Cancelled:
        return ExportResult(out, rows.done, {}, time.perf_counter() - started, cancelled=True)
    return ExportResult(out, written.rows, written.totals, time.perf_counter() - started)
