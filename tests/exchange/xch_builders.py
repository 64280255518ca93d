"""Builders for the exchange tests: county-style workbooks, CSVs and ODS files made on the spot."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl

from desktop_app.domain.idnumber import make_id_number

ID_A = make_id_number("430102", dt.date(1990, 1, 1), 123)  # 430102199001011238
ID_B = make_id_number("430102", dt.date(1985, 6, 15), 234)  # 430102198506152349
ID_C = make_id_number("430103", dt.date(2001, 12, 31), 11)  # 43010320011231011X
ID_D = make_id_number("430121", dt.date(1958, 3, 8), 82)  # 430121195803080826


@dataclass
class SheetSpec:
    """One sheet to build: rows (None = empty cell), merged ranges ("A1:H1"), visibility."""

    name: str
    rows: Sequence[Sequence[Any]]
    merges: Sequence[str] = field(default_factory=list)
    hidden: bool = False
    start_row: int = 1  # 1-based spreadsheet row of rows[0]
    start_col: int = 1  # 1-based spreadsheet column of each rows[i][0]


def build_xlsx(path: Path, sheets: Sequence[SheetSpec]) -> Path:
    """A workbook written with openpyxl, as a county clerk's Excel would save it."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec.name)
        for r, values in enumerate(spec.rows, start=spec.start_row):
            for c, value in enumerate(values, start=spec.start_col):
                if value is not None and value != "":
                    sheet.cell(row=r, column=c, value=value)
        for merge in spec.merges:
            sheet.merge_cells(merge)
        if spec.hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def build_csv(
    path: Path, rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    """A CSV in the given encoding ("utf-8", "utf-8-sig" for a BOM, "gb18030", "utf-16")."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def build_ods(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> Path:
    """A minimal OpenDocument spreadsheet (as WPS or LibreOffice would save, minus styles)."""
    tables = []
    for name, rows in sheets:
        xml_rows = []
        for values in rows:
            cells = []
            for value in values:
                if value is None or value == "":
                    cells.append("<table:table-cell/>")
                elif isinstance(value, bool):
                    raise TypeError("no booleans in these fixtures")
                elif isinstance(value, (int, float)):
                    cells.append(
                        f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                        f"<text:p>{value}</text:p></table:table-cell>"
                    )
                elif isinstance(value, dt.date):
                    day = value.isoformat()
                    cells.append(
                        f'<table:table-cell office:value-type="date" office:date-value="{day}">'
                        f"<text:p>{day}</text:p></table:table-cell>"
                    )
                else:
                    cells.append(
                        '<table:table-cell office:value-type="string">'
                        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
                    )
            xml_rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        tables.append(
            f'<table:table table:name="{escape(name)}">' + "".join(xml_rows) + "</table:table>"
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        + "".join(tables)
        + "</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest manifest:version="1.2" '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def county_roster_spec(name: str = "1.东山村") -> SheetSpec:
    """A hand-made county sheet: merged title, issuing-unit row, two header rows (merged group
    "缴费信息" over 缴费金额/缴费日期, single headers merged down over both rows), data with a
    blank row, a sub-total, a 合计 row and a signature footer. Rows as Excel numbers them:

    1 title · 2 issuing unit · 3–4 header · 5–6 data · 7 blank · 8 data · 9 小计 · 10 data ·
    11 合计 · 12 footer · 13 a row after the footer that must not be read
    """
    rows: list[list[Any]] = [
        ["XX镇2025年度城乡居民医保资助参保人员花名册", None, None, None, None, None, None, None],
        [
            "填报单位：XX镇人民政府（盖章）",
            None,
            None,
            None,
            None,
            "填报日期：2025年1月2日",
            None,
            None,
        ],
        ["序号", "姓  名", "身份证号码", "与户主关系", "人员类别", "缴费信息", None, "备注"],
        [None, None, None, None, None, "缴费金额\n（元）", "缴费日期", None],
        [1, "张三", ID_A, "户主", "低保", 180, dt.datetime(2025, 1, 2), None],
        [2, "李四", ID_B, "配偶", "", "180.00", "2025/1/3", "外出务工"],
        [None, None, None, None, None, None, None, None],
        [3, "王五", ID_C.lower(), "子", "特困", 0, "2025年1月4日", None],
        ["小计", None, None, None, None, 360, None, None],
        [4, "赵六", ID_D, "户主", "监测对象", "400元", 45661, None],
        ["合  计", None, None, None, None, 760, None, None],
        ["填表人：刘七", None, None, "审核人：陈八", None, None, None, None],
        [5, "不该读到", ID_A, None, None, None, None, None],
    ]
    merges = ["A1:H1", "A2:E2", "F3:G3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "H3:H4"]
    return SheetSpec(name=name, rows=rows, merges=merges)
