"""Export workbooks, read back cell by cell with python-calamine and checked with openpyxl."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from desktop_app import scratch
from desktop_app.exchange.cells import parse_amount_fen, parse_date, parse_id_cell, parse_phone
from desktop_app.exchange.fields import Field
from desktop_app.exchange.reading import read_tables
from desktop_app.exchange.rows import locate_tables
from desktop_app.exchange.writing import (
    Column,
    ExportError,
    Kind,
    XlsxExport,
    display_width,
    mask_phone,
    sanitize_sheet_name,
    write_xlsx,
)
from tests.exchange.xch_builders import ID_A, ID_B, ID_C

ROSTER = [
    Column("序号", Kind.INT, total=False),
    Column("乡镇(街道)"),
    Column("村(社区)"),
    Column("户编号"),
    Column("户主姓名"),
    Column("与户主关系"),
    Column("姓名"),
    Column("公民身份号码", Kind.ID),
    Column("性别"),
    Column("出生日期", Kind.DATE),
    Column("联系电话", Kind.PHONE),
    Column("资助类别"),
    Column("参保状态"),
    Column("个人缴费标准", Kind.MONEY_FEN, total=False),
    Column("资助金额", Kind.MONEY_FEN),
    Column("个人应缴金额", Kind.MONEY_FEN),
    Column("已缴金额", Kind.MONEY_FEN),
    Column("征缴方式"),
    Column("缴费日期", Kind.DATE),
    Column("备注"),
]

PEOPLE = [
    [
        1,
        "XX镇",
        "东山村",
        "HH0001",
        "张三",
        "户主",
        "=SUM(A1)",
        ID_A,
        "男",
        dt.date(1990, 1, 1),
        "13812345678",
        "低保对象",
        "已缴费",
        40000,
        22000,
        18000,
        18000,
        "差额征缴",
        dt.date(2025, 1, 2),
        "+86 138",
    ],
    [
        2,
        "XX镇",
        "东山村",
        "HH0001",
        "张三",
        "配偶",
        "@李四",
        ID_B,
        "女",
        dt.date(1985, 6, 15),
        "0731-84123456",
        "",
        "未缴费",
        40000,
        0,
        40000,
        0,
        "正常征缴",
        None,
        "-",
    ],
    [
        3,
        "XX镇",
        "西岭村",
        "0012",
        "王五",
        "户主",
        "王五",
        ID_C,
        "男",
        dt.date(2001, 12, 31),
        "",
        "特困人员、低保对象",
        "全额资助代缴",
        40000,
        40000,
        0,
        0,
        "免征代缴",
        None,
        "=1+1",
    ],
]
TITLE = "XX镇2025年度参保台账"


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    path = tmp_path / "参保台账.xlsx"
    summary = write_xlsx(path, TITLE, ROSTER, iter(PEOPLE), sheet_name="参保台账", totals=True)
    assert summary.rows == 3
    assert summary.totals == {"资助金额": 62000, "个人应缴金额": 58000, "已缴金额": 18000}
    assert summary.header_row_number == 2
    return path


def _calamine_rows(path: Path) -> list[list[object]]:
    return (
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    )


def test_read_back_cell_by_cell(roster_file: Path) -> None:
    rows = _calamine_rows(roster_file)
    assert rows[0][0] == TITLE
    assert rows[1] == [c.header for c in ROSTER]
    first, second, third = rows[2:5]
    # IDs and phones are text, never numbers
    assert [r[7] for r in (first, second, third)] == [ID_A, ID_B, ID_C]
    assert all(type(r[7]) is str for r in (first, second, third))
    assert first[10] == "13812345678" and type(first[10]) is str
    assert second[10] == "0731-84123456"
    assert first[3] == "HH0001" and third[3] == "0012"  # codes keep their leading zeros
    # amounts: yuan as numbers, exactly
    assert first[13:17] == [400.0, 220.0, 180.0, 180.0]
    assert second[16] == 0.0
    # dates are dates
    assert first[9] == dt.date(1990, 1, 1) and first[18] == dt.date(2025, 1, 2)
    assert second[18] == ""
    # formula-looking texts are literal text
    assert first[6] == "=SUM(A1)" and second[6] == "@李四"
    assert first[19] == "+86 138" and second[19] == "-" and third[19] == "=1+1"
    # 合计 row
    totals = rows[5]
    assert totals[0] == "合计"
    assert totals[13] == ""  # 个人缴费标准 is not summed
    assert totals[14:17] == [620.0, 580.0, 180.0]
    assert len(rows) == 6


def test_no_formula_anywhere_in_the_sheet_xml(roster_file: Path) -> None:
    with zipfile.ZipFile(roster_file) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml
    assert "=SUM(A1)" in xml


def test_styles_frozen_header_merged_title_and_widths(roster_file: Path) -> None:
    book = openpyxl.load_workbook(roster_file)
    sheet = book["参保台账"]
    assert sheet.freeze_panes == "A3"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:T1"]
    assert sheet["A1"].font.bold and sheet["A2"].font.bold
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.auto_filter.ref == "A2:T5"
    for cell in ("G3", "G4", "T3", "T5"):  # formula-looking texts
        assert sheet[cell].data_type == "s", cell
    assert sheet["H3"].data_type == "s" and sheet["H3"].number_format == "@"
    assert sheet["K3"].data_type == "s"
    for cell in ("N3", "O3", "P3", "Q3", "O6", "P6", "Q6"):
        assert sheet[cell].data_type == "n" and sheet[cell].number_format == "0.00", cell
    assert sheet["Q3"].value == 180
    assert sheet["J3"].number_format == "yyyy-mm-dd"
    assert sheet["A6"].value == "合计" and sheet["A6"].font.bold
    widths = {letter: sheet.column_dimensions[letter].width for letter in "GHLT"}
    assert widths["H"] >= 20  # an 18-digit ID fits
    assert widths["L"] >= display_width("特困人员、低保对象")  # CJK counted double
    assert widths["G"] < widths["L"]


def test_export_reimports_with_the_same_values(roster_file: Path) -> None:
    [table] = locate_tables(read_tables(roster_file)).found
    assert table.header.header_row == 1
    assert len(table.header.columns) == len(ROSTER)
    rows = table.rows()
    data = list(rows)
    assert rows.stopped_at == 6  # the 合计 row
    assert [parse_id_cell(r.get(Field.ID_NUMBER)).number for r in data] == [ID_A, ID_B, ID_C]
    assert [parse_amount_fen(r.get(Field.AMOUNT_PAID)) for r in data] == [18000, 0, 0]
    assert [parse_amount_fen(r.get(Field.SUBSIDY)) for r in data] == [22000, 0, 40000]
    assert [parse_amount_fen(r.get(Field.STANDARD)) for r in data] == [40000] * 3
    assert [parse_date(r.get(Field.PAYMENT_DATE)) for r in data] == [
        dt.date(2025, 1, 2),
        None,
        None,
    ]
    assert [parse_phone(r.get(Field.PHONE)) for r in data] == ["13812345678", "0731-84123456", None]
    assert [r.get(Field.HOUSEHOLD_NUMBER) for r in data] == ["HH0001", "HH0001", "0012"]


def test_amounts_are_exact_for_every_fen_value(tmp_path: Path) -> None:
    fens = [0, 1, 5, 10, 99, 101, 1999, 18000, 22055, 38099, 40000, 77550, 123456789, 10**11 + 1]
    path = tmp_path / "money.xlsx"
    summary = write_xlsx(
        path, "金额", [Column("金额", Kind.MONEY_FEN)], [[f] for f in fens], totals=True
    )
    values = [row[0] for row in _calamine_rows(path)[2:]]
    assert values[:-1] == [f / 100 for f in fens]
    assert [parse_amount_fen(v) for v in values[:-1]] == fens
    assert values[-1] == "合计"  # the label takes column A
    assert summary.totals == {"金额": sum(fens)}
    two = tmp_path / "money2.xlsx"
    write_xlsx(
        two,
        "金额",
        [Column("项目"), Column("金额", Kind.MONEY_FEN)],
        [["a", f] for f in fens],
        totals=True,
    )
    assert parse_amount_fen(_calamine_rows(two)[-1][1]) == sum(fens)


def test_summary_with_percent_and_given_totals(tmp_path: Path) -> None:
    columns = [
        Column("村(社区)"),
        Column("总人数", Kind.INT),
        Column("应参保人数", Kind.INT),
        Column("已参保人数", Kind.INT),
        Column("参保率", Kind.PERCENT),
        Column("资助金额", Kind.MONEY_FEN),
    ]
    rows = [["东山村", 100, 98, 95, 95 / 98, 40000], ["西岭村", 50, 50, 49, 0.98, 18000]]
    path = tmp_path / "汇总.xlsx"
    write_xlsx(
        path,
        "XX镇2025年度参保情况汇总表",
        columns,
        rows,
        subtitle="制表单位：XX镇医保办  制表日期：2025-01-02",
        totals=True,
        total_values={"参保率": 144 / 148},
    )
    read = _calamine_rows(path)
    assert read[1][0].startswith("制表单位")
    assert read[2] == [c.header for c in columns]
    assert read[5] == ["合计", 150.0, 148.0, 144.0, pytest.approx(144 / 148), 580.0]
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A4"  # below title, subtitle and header
    assert sheet["E4"].number_format == "0.0%"
    assert sorted(str(r) for r in sheet.merged_cells.ranges) == ["A1:F1", "A2:F2"]
    with pytest.raises(ValueError):
        write_xlsx(tmp_path / "x.xlsx", "t", columns, rows, totals=True, total_values={"无此列": 1})


def test_mask_option_hides_ids_and_phones(tmp_path: Path) -> None:
    path = tmp_path / "masked.xlsx"
    write_xlsx(
        path,
        "t",
        [Column("公民身份号码", Kind.ID), Column("联系电话", Kind.PHONE)],
        [[ID_A, "13812345678"], [ID_B, "0731-84123456"]],
        mask=True,
    )
    rows = _calamine_rows(path)
    assert rows[2] == [ID_A[:6] + "********" + ID_A[-4:], "138****5678"]
    assert rows[3][1] == "0731-****3456"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0731-84123456", "0731-****3456"),
        ("010-12345678-123", "010-****5678-123"),
        ("13812345678/0731-84123456", "138****5678/0731-****3456"),
        ("", ""),
        ("123", "***"),
        ("84123456", "****3456"),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_column_kind_is_checked_when_the_column_is_made() -> None:
    assert Column("金额", "money_fen").kind is Kind.MONEY_FEN
    assert Column("姓名").summed is False and Column("人数", Kind.INT).summed is True
    assert Column("序号", Kind.INT, total=False).summed is False
    with pytest.raises(ValueError):
        Column("金额", "money")


def test_width_counts_chinese_double() -> None:
    assert display_width("ab") == 2
    assert display_width("村(社区)") == 2 + 2 + 4
    assert display_width("ＡＢ") == 4


def test_wrong_value_types_are_programming_errors(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_xlsx(tmp_path / "a.xlsx", "t", [Column("金额", Kind.MONEY_FEN)], [[180.0]])
    with pytest.raises(TypeError):
        write_xlsx(tmp_path / "b.xlsx", "t", [Column("人数", Kind.INT)], [["3"]])
    assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "b.xlsx").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_replaces_an_existing_file_only_when_complete(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with XlsxExport(path) as book:
            book.add_table("t", [Column("a")], [["x"]])
            raise RuntimeError("interrupted")
    assert path.read_bytes() == b"old"
    write_xlsx(path, "t", [Column("a")], [["new"]])
    assert _calamine_rows(path)[2] == ["new"]


def test_discard_leaves_no_row_files_and_no_target(tmp_path: Path) -> None:
    """Constant-memory mode spools rows to temp files; giving up must delete them, not assemble them."""
    spool = scratch.process_dir()  # where the row files go (never $TMPDIR)
    path = tmp_path / "out.xlsx"
    book = XlsxExport(path)
    book.add_table("t", [Column("a"), Column("b", Kind.MONEY_FEN)], ([f"名{i}", i] for i in range(5000)))
    book.add_table("t2", [Column("a")], [["x"]])
    assert len(list(spool.iterdir())) == 2  # one row file per sheet while writing
    book._book._store_workbook = lambda: pytest.fail("discard assembled the zip it throws away")
    book.discard()
    assert list(spool.iterdir()) == [] and not path.exists()
    assert list(tmp_path.iterdir()) == []
    book.discard()  # a second call is harmless


def test_a_failed_write_leaves_no_row_files(tmp_path: Path) -> None:
    spool = scratch.process_dir()
    with pytest.raises(ExportError):
        write_xlsx(tmp_path / "no" / "such" / "folder.xlsx", "t", [Column("a")], ([f"名{i}"] for i in range(3000)))
    assert list(spool.iterdir()) == []


def test_unwritable_target_gives_a_chinese_message(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as caught:
        write_xlsx(tmp_path / "no" / "such" / "folder.xlsx", "t", [Column("a")], [["x"]])
    assert "导出" in caught.value.message


def test_several_tables_in_one_workbook_and_sheet_names(tmp_path: Path) -> None:
    path = tmp_path / "multi.xlsx"
    with XlsxExport(path) as book:
        a = book.add_table("东山村名单", [Column("姓名")], [["张三"]], sheet_name="东山村")
        b = book.add_table("东山村名单", [Column("姓名")], [["李四"]], sheet_name="东山村")
        c = book.add_table("[汇总]:*?/\\" + "长" * 40, [Column("姓名")], [])
    assert (a.sheet_name, b.sheet_name) == ("东山村", "东山村(2)")
    assert len(c.sheet_name) <= 31 and not set("[]:*?/\\") & set(c.sheet_name)
    assert CalamineWorkbook.from_path(str(path)).sheet_names == [
        "东山村",
        "东山村(2)",
        c.sheet_name,
    ]
    assert sanitize_sheet_name("") == "Sheet1"


def test_empty_export_still_has_title_header_and_zero_totals(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    summary = write_xlsx(
        path,
        "未缴费人员清单",
        [Column("姓名"), Column("个人应缴金额", Kind.MONEY_FEN)],
        [],
        totals=True,
    )
    assert summary.rows == 0
    assert _calamine_rows(path) == [["未缴费人员清单", ""], ["姓名", "个人应缴金额"], ["合计", 0.0]]


def test_many_rows_stream_with_widths_from_the_first_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    rows = ([i, f"名字{i}", i * 100] for i in range(5000))
    summary = write_xlsx(
        path,
        "t",
        [Column("序号", Kind.INT, total=False), Column("姓名"), Column("金额", Kind.MONEY_FEN)],
        rows,
        totals=True,
    )
    assert summary.rows == 5000 and summary.totals == {"金额": sum(i * 100 for i in range(5000))}
    read = _calamine_rows(path)
    assert len(read) == 5003 and read[-2] == [4999.0, "名字4999", 4999.0]
