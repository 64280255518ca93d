"""A big .xlsx sheet read in chunks (desktop_app/exchange/reading/large.py) gives the import the
rows the whole-sheet read gives: the same sheets, rows, widths, height and merged ranges, and the
same plan (accepted rows, rejected rows with their reasons and the file's row numbers)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.exchange import read_tables
from desktop_app.exchange.reading import chunks, large
from desktop_app.services import importing
from tests.exchange.test_chunked_reading import openpyxl_book, xlsxwriter_book
from tests.exchange.xch_builders import SheetSpec, build_xlsx

HEAD = ["序号", "姓名", "公民身份号码", "户编号", "与户主关系", "联系电话", "人员类别"]


def pid(n: int, order: int = 11) -> str:
    return make_id_number("431199", dt.date(1980, 1, 1) + dt.timedelta(days=n), order)


def _sheets(path: Path, threshold: float) -> list[tuple]:
    large.CHUNKED_PART_BYTES = threshold
    return [(s.name, s.index, s.source_format, s.height, s.merged, s.head(30), list(s.rows()),
             list(s.rows(3))) for s in read_tables(path)]


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of seven rows, so that every workbook here is cut many times; the threshold put back."""
    monkeypatch.setattr(chunks, "CHUNK_ROWS", 7)
    monkeypatch.setattr(large, "CHUNKED_PART_BYTES", large.CHUNKED_PART_BYTES)


def _roster(path: Path) -> Path:
    """Two village sheets with a merged title, empty rows, an offset table, defects to reject."""
    east: list[list] = [["青山镇2025年度参保花名册（东山村）"], ["填报单位：青山镇"], HEAD]
    for n in range(60):
        if n % 9 == 4:
            east.append([None] * 7)  # an empty row inside the table
            continue
        number = pid(n, order=11 + n % 8 * 2)
        if n % 10 == 3:
            number = number[:-1] + ("0" if number[-1] != "0" else "1")  # wrong check digit
        name = "" if n % 17 == 5 else f"张{n}"
        east.append([n + 1, name, number, f"H{n // 3:03d}", "户主" if n % 3 == 0 else "子女",
                     f"138{n:08d}" if n % 2 else None, "低保" if n % 7 == 0 else None])
    east.append(["合计", None, None, None, None, None, None])
    west = [HEAD, *([n, f"赵{n}", pid(100 + n), f"W{n // 2}", "户主" if n % 2 else "配偶", "", ""]
                   for n in range(1, 25)), [30, "重复", pid(1), "W99", "户主", "", ""]]
    return build_xlsx(path, [
        SheetSpec("东山村", east, merges=["A1:G1"]),
        SheetSpec("西河村", west, start_row=4, start_col=3),
        SheetSpec("旧数据", [HEAD, [1, "隐藏", pid(9), "H099", "户主", "", ""]], hidden=True),
    ])


@pytest.mark.parametrize("build", [
    lambda tmp: openpyxl_book(tmp / "a.xlsx"),
    lambda tmp: xlsxwriter_book(tmp / "b.xlsx", inline=False),
    lambda tmp: xlsxwriter_book(tmp / "c.xlsx", inline=True),
    lambda tmp: _roster(tmp / "d.xlsx"),
])
def test_chunked_sheets_are_the_whole_sheets(tmp_path, small_chunks, build) -> None:
    path = build(tmp_path)
    whole = _sheets(path, math.inf)
    chunked = _sheets(path, 0)
    assert [s[:5] for s in chunked] == [s[:5] for s in whole]
    assert chunked == whole
    assert any(s[4] for s in whole) or "b.xlsx" in path.name or "c.xlsx" in path.name


def test_a_sheet_below_the_threshold_is_read_whole(tmp_path, small_chunks, monkeypatch) -> None:
    path = _roster(tmp_path / "d.xlsx")
    used: list[int] = []
    real = large._rows
    monkeypatch.setattr(large, "_rows", lambda *a: used.append(a[2]) or real(*a))
    _sheets(path, math.inf)
    assert used == []
    _sheets(path, 0)
    assert used == [0, 1]


def _plan_fields(plan: importing.ImportPlan) -> dict:
    return {f.name: getattr(plan, f.name) for f in dataclasses.fields(plan)}


def test_the_same_roster_plans_the_same_read_whole_or_in_chunks(ledger, tmp_path, small_chunks) -> None:
    path = _roster(tmp_path / "花名册.xlsx")
    large.CHUNKED_PART_BYTES = math.inf
    whole = importing.plan("roster", path, year=2025)
    large.CHUNKED_PART_BYTES = 0
    chunked = importing.plan("roster", path, year=2025)
    assert whole.accepted > 50 and whole.rejected  # the roster has both kinds
    assert {issue.row_number for issue in whole.rejected} >= {9}  # the file's own row numbers
    assert _plan_fields(chunked) == _plan_fields(whole)
    assert [(i.sheet, i.row_number, i.column, i.reason) for i in chunked.rejected] == \
        [(i.sheet, i.row_number, i.column, i.reason) for i in whole.rejected]
