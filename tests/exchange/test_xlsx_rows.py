"""The fast row serialiser writes exactly the XML XlsxWriter itself would (xlsx_rows.install)."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from desktop_app.exchange import writing, xlsx_rows
from desktop_app.exchange.writing import Column, Kind, write_xlsx

COLUMNS = [
    Column("序号", Kind.INT, total=False), Column("姓名"), Column("公民身份号码", Kind.ID),
    Column("出生日期", Kind.DATE), Column("联系电话", Kind.PHONE), Column("金额", Kind.MONEY_FEN),
    Column("比例", Kind.PERCENT), Column("备注"),
]
AWKWARD = ["=SUM(A1)", "a & b", "<r>x</r>", "x<y>", ' 前后空格 ', "tab\tin", "line\nbreak",
           "ctl\x01char", "_x0041_", 'quote"d', "\ufffe", "-", "@home", "+86 138", "普通文字"]


def _rows() -> list[list]:
    rows = []
    for i, text in enumerate(AWKWARD * 3):
        rows.append([i + 1, text, "11010519491231002X" if i % 2 else None,
                     dt.date(1950 + i, 1 + i % 12, 1 + i % 28) if i % 3 else "",
                     "13800138000" if i % 4 else "", 1999 * i, 0.953 if i % 5 else "—",
                     "" if i % 2 else text])
    return rows


def _sheet_xml(path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("mask", [False, True])
def test_fast_rows_are_byte_for_byte_xlsxwriters_own(tmp_path, monkeypatch, mask):
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    write_xlsx(fast, "青山镇2025年度参保台账", COLUMNS, _rows(), subtitle="导出日期", totals=True, mask=mask)
    monkeypatch.setattr(writing.xlsx_rows, "install", lambda sheet: False)
    write_xlsx(slow, "青山镇2025年度参保台账", COLUMNS, _rows(), subtitle="导出日期", totals=True, mask=mask)
    assert _sheet_xml(fast) == _sheet_xml(slow)


def test_install_takes_over_a_constant_memory_sheet_only(tmp_path):
    import xlsxwriter

    book = xlsxwriter.Workbook(str(tmp_path / "a.xlsx"))
    assert xlsx_rows.install(book.add_worksheet()) is False  # not constant-memory: rows are kept
    book.close()
    book = xlsxwriter.Workbook(str(tmp_path / "b.xlsx"), {"constant_memory": True})
    assert xlsx_rows.install(book.add_worksheet()) is True
    book.close()
