"""read_tables: workbooks (xlsx, xls, ods) and CSVs in every encoding counties use; bad files."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.exchange.reading import UnreadableFileError, read_tables
from tests.exchange.xch_builders import (
    ID_A,
    ID_B,
    ID_D,
    SheetSpec,
    build_csv,
    build_ods,
    build_xlsx,
)

FIXTURES = Path(__file__).parent / "fixtures"
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _rows(sheet):
    return list(sheet.rows())


# --------------------------------------------------------------------------- xlsx


def test_xlsx_visible_sheets_only_in_order(tmp_path: Path) -> None:
    path = build_xlsx(
        tmp_path / "book.xlsx",
        [
            SheetSpec("东山村", [["姓名", "身份证号"], ["张三", ID_A]]),
            SheetSpec("说明", [["身份证号"], [ID_B]], hidden=True),
            SheetSpec("空表", []),
            SheetSpec("西岭村", [["姓名", "身份证号"], ["李四", ID_B]]),
        ],
    )
    sheets = read_tables(path)
    assert [s.name for s in sheets] == ["东山村", "西岭村"]
    assert [s.index for s in sheets] == [0, 3]
    assert {s.source_format for s in sheets} == {"xlsx"}
    assert _rows(sheets[1]) == [["姓名", "身份证号"], ["李四", ID_B]]


def test_cells_keep_calamine_types_and_id_typed_as_number_stays_a_float(tmp_path: Path) -> None:
    path = build_xlsx(
        tmp_path / "types.xlsx",
        [
            SheetSpec(
                "S",
                [
                    ["身份证号", "金额", "日期", "时刻", "是否"],
                    [
                        4.30102199001011e17,
                        400,
                        dt.date(2025, 1, 2),
                        dt.datetime(2025, 1, 2, 10, 30),
                        True,
                    ],
                ],
            )
        ],
    )
    [sheet] = read_tables(path)
    row = _rows(sheet)[1]
    assert isinstance(row[0], float) and row[0] == 4.30102199001011e17
    assert row[1] == 400
    assert row[2] == dt.date(2025, 1, 2)
    assert row[3] == dt.datetime(2025, 1, 2, 10, 30)
    assert row[4] is True


def test_row_and_column_indexes_are_the_spreadsheet_s_even_with_empty_area(tmp_path: Path) -> None:
    path = build_xlsx(
        tmp_path / "offset.xlsx",
        [SheetSpec("S", [["姓名", "身份证号"], ["张三", ID_A]], start_row=4, start_col=3)],
    )
    [sheet] = read_tables(path)
    rows = _rows(sheet)
    assert sheet.height == 5
    assert rows[3][2:4] == ["姓名", "身份证号"]  # C4:D4
    assert rows[4][2:4] == ["张三", ID_A]
    assert rows[0] == ["", "", "", ""]
    assert list(sheet.rows(4)) == [rows[4]]
    assert sheet.head(2) == rows[:2]


def test_merged_ranges_are_reported(tmp_path: Path) -> None:
    path = build_xlsx(
        tmp_path / "merged.xlsx",
        [SheetSpec("S", [["标题", None, None], ["姓名", "身份证号", "电话"]], merges=["A1:C1"])],
    )
    [sheet] = read_tables(path)
    assert sheet.merged == ((0, 0, 0, 2),)


def _edit_sheet(path: Path, edit: Callable[[str], str]) -> Path:
    """A copy of the workbook at ``path`` with its first sheet's XML passed through ``edit``."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = edit(parts[name].decode("utf-8")).encode("utf-8")
    out = path.with_name("edited-" + path.name)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for filename, data in parts.items():
            target.writestr(filename, data)
    return out


def test_a_cell_out_of_order_counts_and_an_empty_formatted_row_does_not(tmp_path: Path) -> None:
    rows = [["姓名", "身份证号"]] + [[f"测试{i}", ID_A] for i in range(3000)]
    path = build_xlsx(tmp_path / "book.xlsx", [SheetSpec("S", rows)])
    # Excel writes formatted empty rows, down to the last one: only cells take room
    edited = _edit_sheet(path, lambda xml: xml.replace(
        "</sheetData>", '<row r="1048576" s="1" customFormat="1"/></sheetData>'))
    [sheet] = read_tables(edited)
    assert sheet.height == 3001
    # one cell below and right of the others, in the middle of the sheet: the sheet reaches it
    edited = _edit_sheet(path, lambda xml: xml.replace(
        '<c r="A1500"', '<c r="AZ5000" t="inlineStr"><is><t>远</t></is></c><c r="A1500"', 1))
    [sheet] = read_tables(edited)
    rows = _rows(sheet)
    assert sheet.height == 5000 and rows[4999][51] == "远"
    assert rows[1499][0] == "测试1498"


def test_real_xlsx_named_xls_is_read_by_its_content(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path / "book.xlsx", [SheetSpec("S", [["身份证号"], [ID_A]])])
    renamed = tmp_path / "县里发的.xls"
    path.rename(renamed)
    [sheet] = read_tables(renamed)
    assert sheet.source_format == "xlsx"
    assert _rows(sheet)[1] == [ID_A]


# --------------------------------------------------------------------------- xls, ods


def test_xls_fixture_hidden_sheet_ignored_and_types_kept() -> None:
    # tests/exchange/fixtures/county_roster.xls was generated once with xlwt 1.3.0 installed in
    # a throwaway virtualenv (never a dependency of the app): a title row merged A1:F1, an
    # issuing-unit row, header, three people (the second ID typed as a number), a 合计 row;
    # a hidden sheet "说明"; a sheet "西岭村" with a phone typed as a number.
    sheets = read_tables(FIXTURES / "county_roster.xls")
    assert [s.name for s in sheets] == ["1.东山村", "西岭村"]
    first = sheets[0]
    assert first.source_format == "xls"
    assert first.merged == ((0, 0, 0, 5),)
    rows = _rows(first)
    assert rows[2] == ["序号", "姓名", "身份证号码", "人员类别", "缴费金额（元）", "缴费日期"]
    assert rows[3][2] == ID_A
    assert isinstance(rows[4][2], float)  # the ID typed as a number
    assert rows[3][5] == dt.date(2025, 1, 2)
    assert rows[7][0] == "合计"
    assert _rows(sheets[1])[1] == ["赵六", ID_D, 13812345678.0]


def test_ods_is_read(tmp_path: Path) -> None:
    path = build_ods(
        tmp_path / "roster.ods",
        [("东山村", [["姓名", "身份证号", "缴费金额"], ["张三", ID_A, 180]])],
    )
    [sheet] = read_tables(path)
    assert sheet.source_format == "ods"
    assert _rows(sheet) == [["姓名", "身份证号", "缴费金额"], ["张三", ID_A, 180.0]]


# --------------------------------------------------------------------------- CSV

ROWS = [
    ["XX镇花名册"],
    ["姓名", "身份证号", "缴费金额"],
    ["张三", ID_A, "400.00"],
    ["李四", ID_B, "￥180"],
]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8-sig"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),
    ],
)
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, expected: str) -> None:
    path = build_csv(tmp_path / "名单.csv", ROWS, encoding=encoding)
    [sheet] = read_tables(path)
    assert sheet.encoding == expected
    assert sheet.name == "名单"
    assert sheet.source_format == "csv"
    assert _rows(sheet) == ROWS
    assert not _rows(sheet)[1][0].startswith("\ufeff")


def test_gb18030_bytes_are_not_taken_for_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(f"姓名,身份证号\r\n张三,{ID_A}\r\n".encode("gb18030"))
    [sheet] = read_tables(path)
    assert sheet.encoding == "gb18030"
    assert _rows(sheet)[1] == ["张三", ID_A]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [
        ["XX镇参保花名册，2025年"],
        ["姓名", "身份证号", "备注"],
        ["张三", ID_A, "外出, 务工"],
        ["李四", ID_B, ""],
    ]
    path = build_csv(tmp_path / "d.csv", rows, delimiter=delimiter, encoding="gb18030")
    [sheet] = read_tables(path)
    assert sheet.delimiter == delimiter
    assert _rows(sheet)[2] == ["张三", ID_A, "外出, 务工"]


def test_csv_keeps_everything_as_text_and_drops_trailing_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(f"身份证号,金额\n4.30102E+17,400\n{ID_A},\n\n,\n".encode())
    [sheet] = read_tables(path)
    assert _rows(sheet) == [["身份证号", "金额"], ["4.30102E+17", "400"], [ID_A, ""]]
    assert sheet.height == 3


# --------------------------------------------------------------------------- bad files


def _assert_chinese(error: UnreadableFileError) -> None:
    assert _CHINESE.search(error.message), error.message
    assert str(error) == error.message


def test_truncated_xlsx(tmp_path: Path) -> None:
    good = build_xlsx(tmp_path / "good.xlsx", [SheetSpec("S", [["身份证号"], [ID_A]] * 50)])
    data = good.read_bytes()
    bad = tmp_path / "truncated.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableFileError) as caught:
        read_tables(bad)
    assert caught.value.code == "damaged"
    assert "文件已损坏或不是Excel表格" in caught.value.message
    _assert_chinese(caught.value)


def test_empty_file(tmp_path: Path) -> None:
    for name in ("empty.xlsx", "empty.csv"):
        path = tmp_path / name
        path.write_bytes(b"")
        with pytest.raises(UnreadableFileError) as caught:
            read_tables(path)
        assert caught.value.code == "empty_file"
        _assert_chinese(caught.value)


def test_text_file_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_text(f"姓名,身份证号\n张三,{ID_A}\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError) as caught:
        read_tables(path)
    assert caught.value.code == "damaged"
    assert "文件已损坏或不是Excel表格" in caught.value.message


def test_random_bytes_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(os.urandom(4096) + b"\x00\xff\x80")
    with pytest.raises(UnreadableFileError) as caught:
        read_tables(path)
    assert caught.value.code == "not_text"
    _assert_chinese(caught.value)


def test_random_bytes_named_xlsx_and_xls(tmp_path: Path) -> None:
    for name in ("random.xlsx", "random.xls"):
        path = tmp_path / name
        path.write_bytes(os.urandom(4096))
        with pytest.raises(UnreadableFileError) as caught:
            read_tables(path)
        assert caught.value.code == "damaged"


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a workbook")
    with pytest.raises(UnreadableFileError) as caught:
        read_tables(path)
    assert caught.value.code == "damaged"


def test_unsupported_extension_and_missing_file(tmp_path: Path) -> None:
    pdf = tmp_path / "通知.pdf"
    pdf.write_bytes(b"%PDF-1.4 ...")
    with pytest.raises(UnreadableFileError) as caught:
        read_tables(pdf)
    assert caught.value.code == "unsupported"
    assert ".pdf" in caught.value.message
    with pytest.raises(UnreadableFileError) as caught:
        read_tables(tmp_path / "nowhere.xlsx")
    assert caught.value.code == "missing"
    _assert_chinese(caught.value)


def test_workbook_with_only_hidden_or_empty_sheets(tmp_path: Path) -> None:
    path = build_xlsx(
        tmp_path / "hidden.xlsx",
        [SheetSpec("空", []), SheetSpec("藏起来", [["身份证号"], [ID_A]], hidden=True)],
    )
    with pytest.raises(UnreadableFileError) as caught:
        read_tables(path)
    assert caught.value.code == "no_content"
    _assert_chinese(caught.value)
