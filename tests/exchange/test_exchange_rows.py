"""Data rows under the header: blank rows, 小计/合计 rows, footers, row numbers, sheet villages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.exchange.cells import (
    CellError,
    parse_amount_fen,
    parse_date,
    parse_id_cell,
    parse_phone,
)
from desktop_app.exchange.fields import Field
from desktop_app.exchange.headers import find_header
from desktop_app.exchange.reading import RawSheet, UnreadableFileError, read_tables
from desktop_app.exchange.rows import (
    DataRows,
    NoHeaderError,
    locate_tables,
    village_from_sheet_name,
)
from tests.exchange.xch_builders import (
    ID_A,
    ID_B,
    ID_C,
    ID_D,
    SheetSpec,
    build_csv,
    build_xlsx,
    county_roster_spec,
)

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2025, 6, 1)


def _sheet(rows: list[list[object]], name: str = "S") -> RawSheet:
    """A RawSheet over in-memory rows (as a CSV would give them)."""
    return RawSheet(
        name=name,
        index=0,
        source_format="csv",
        height=len(rows),
        merged=None,
        _rows_factory=lambda: iter([list(r) for r in rows]),
    )


def _rows_of(rows: list[list[object]], name: str = "S") -> DataRows:
    sheet = _sheet(rows, name)
    match = find_header(sheet.head())
    assert match is not None
    return DataRows(sheet, match)


def test_county_roster_end_to_end(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path / "花名册.xlsx", [county_roster_spec("1.东山村")])
    tables = locate_tables(read_tables(path))
    [table] = tables.found
    assert tables.without_header == []
    rows = table.rows()
    data = list(rows)
    assert [r.row_number for r in data] == [5, 6, 8, 10]  # as Excel numbers them
    assert rows.blank_rows == 1
    assert rows.skipped == [(9, "小计")]
    assert rows.stopped_at == 11  # the 合计 row; the footer and the row after it are never read
    assert rows.sheet_village == "东山村"
    assert {r.sheet_village for r in data} == {"东山村"}
    assert {r.sheet for r in data} == {"1.东山村"}
    assert data[0].location == "1.东山村 第5行"

    ids = [parse_id_cell(r.values[Field.ID_NUMBER], today=TODAY).number for r in data]
    assert ids == [ID_A, ID_B, ID_C, ID_D]
    assert [parse_amount_fen(r.get(Field.AMOUNT_PAID)) for r in data] == [18000, 18000, 0, 40000]
    assert [parse_date(r.get("payment_date")) for r in data] == [
        dt.date(2025, 1, 2),
        dt.date(2025, 1, 3),
        dt.date(2025, 1, 4),
        dt.date(2025, 1, 4),
    ]
    assert Field.SEQ not in data[0].values
    assert data[1].get(Field.REMARK) == "外出务工"
    assert data[0].get(Field.PHONE, None) is None  # no such column


def test_iterating_twice_gives_the_same_rows_and_counts(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path / "a.xlsx", [county_roster_spec()])
    rows = locate_tables(read_tables(path)).found[0].rows()
    first = [r.row_number for r in rows]
    second = [r.row_number for r in rows]
    assert first == second
    assert rows.blank_rows == 1 and len(rows.skipped) == 1


def test_xls_fixture_end_to_end() -> None:
    # fixture made once with xlwt; see test_exchange_reading.py for its contents
    tables = locate_tables(read_tables(FIXTURES / "county_roster.xls"))
    east, west = tables.found
    rows = east.rows()
    data = list(rows)
    assert [r.row_number for r in data] == [4, 5, 6]
    assert rows.stopped_at == 8 and rows.blank_rows == 1
    assert east.header.fields[Field.AMOUNT_PAID] == 4
    assert parse_id_cell(data[0].get(Field.ID_NUMBER), today=TODAY).number == ID_A
    with pytest.raises(CellError) as caught:
        parse_id_cell(data[1].get(Field.ID_NUMBER), today=TODAY)
    assert caught.value.code == "excel_number"
    assert parse_id_cell(data[2].get(Field.ID_NUMBER), today=TODAY).number == ID_C
    assert [parse_amount_fen(r.get(Field.AMOUNT_PAID)) for r in data] == [18000, 0, 40050]
    assert [parse_date(r.get(Field.PAYMENT_DATE)) for r in data] == [
        dt.date(2025, 1, 2),
        dt.date(2025, 1, 3),
        dt.date(2025, 1, 4),
    ]
    assert rows.sheet_village == "东山村"
    [zhao] = list(west.rows())
    assert zhao.sheet_village == "西岭村"
    assert parse_phone(zhao.get(Field.PHONE)) == "13812345678"


def test_one_sheet_per_village_with_instructions_and_hidden_summary(tmp_path: Path) -> None:
    header = ["序号", "姓名", "身份证号", "缴费金额"]
    path = build_xlsx(
        tmp_path / "分村.xlsx",
        [
            SheetSpec("填表说明", [["请按下列要求填写："], ["1. 身份证号必须为文本格式"]]),
            SheetSpec(
                "东山村",
                [["东山村参保名单"], header, [1, "张三", ID_A, 400], [2, "李四", ID_B, 400]],
                merges=["A1:D1"],
            ),
            SheetSpec("2.西岭村花名册", [header, [1, "王五", ID_C, 180]]),
            SheetSpec("汇总", [["村", "身份证号"], ["东山村", ID_D]], hidden=True),
        ],
    )
    tables = locate_tables(read_tables(path))
    assert tables.without_header == ["填表说明"]
    assert [t.sheet.name for t in tables.found] == ["东山村", "2.西岭村花名册"]
    people = [
        (r.sheet_village, r.get(Field.NAME), r.row_number) for t in tables.found for r in t.rows()
    ]
    assert people == [("东山村", "张三", 3), ("东山村", "李四", 4), ("西岭村", "王五", 2)]


def test_village_column_wins_over_sheet_name() -> None:
    rows = _rows_of([["村(社区)", "姓名", "身份证号"], ["西岭村", "张三", ID_A]], name="东山村")
    [row] = list(rows)
    assert rows.sheet_village is None and row.sheet_village is None
    assert row.get(Field.VILLAGE) == "西岭村"


@pytest.mark.parametrize(
    ("label", "stops"),
    [
        ("合计", True),
        ("合  计", True),
        ("合\u3000计", True),
        ("合计：", True),
        ("合计(人)", True),
        ("总计", True),
        ("全镇合计", True),
        ("小计", False),
        ("东山村合计", False),
        ("东山村小计", False),
    ],
)
def test_total_rows(label: str, stops: bool) -> None:
    rows = _rows_of(
        [
            ["姓名", "身份证号", "缴费金额"],
            ["张三", ID_A, "400"],
            [label, "", "400"],
            ["李四", ID_B, "400"],
        ]
    )
    names = [r.get(Field.NAME) for r in rows]
    if stops:
        assert names == ["张三"] and rows.stopped_at == 3
    else:
        assert names == ["张三", "李四"] and rows.skipped == [(3, label.replace(" ", ""))]


def test_total_label_in_the_second_cell_and_after_a_number() -> None:
    rows = _rows_of(
        [
            ["序号", "姓名", "身份证号", "缴费金额"],
            [1, "张三", ID_A, 400],
            ["", "合计", "", 400],
            [2, "李四", ID_B, 400],
        ]
    )
    assert [r.get(Field.NAME) for r in rows] == ["张三"]


def test_a_name_that_contains_total_characters_is_data() -> None:
    rows = _rows_of([["姓名", "身份证号"], ["王小计", ID_A], ["全合", ID_B], ["合计", ""]])
    assert [r.get(Field.NAME) for r in rows] == ["王小计", "全合"]


def test_footer_stops_only_without_an_id() -> None:
    rows = _rows_of(
        [
            ["姓名", "身份证号", "备注"],
            ["张三", ID_A, ""],
            ["制表日期：2025-01-02", "", ""],
            ["李四", ID_B, ""],
        ]
    )
    assert [r.get(Field.NAME) for r in rows] == ["张三"] and rows.stopped_at == 3
    rows = _rows_of([["备注", "姓名", "身份证号"], ["负责人外出", "张三", ID_A]])
    assert [r.get(Field.NAME) for r in rows] == ["张三"]


def test_blank_rows_including_spaces_are_skipped_and_short_rows_padded() -> None:
    rows = _rows_of(
        [
            ["姓名", "身份证号", "电话", "备注"],
            ["", "", "", ""],
            [" ", "\u3000", ""],
            [],
            ["张三", ID_A],
        ]
    )
    [row] = list(rows)
    assert row.row_number == 5
    assert rows.blank_rows == 3
    assert row.get(Field.PHONE) == "" and row.get(Field.REMARK) == ""
    assert len(row.raw) >= 4


def test_csv_rows_from_a_gb18030_file(tmp_path: Path) -> None:
    path = build_csv(
        tmp_path / "低保.csv",
        [
            ["XX镇低保名单"],
            ["姓名", "身份证号", "人员类别"],
            ["张三", ID_A, "低保"],
            [],
            ["合计", "1人"],
        ],
        encoding="gb18030",
    )
    [table] = locate_tables(read_tables(path)).found
    data = list(table.rows())
    assert [(r.row_number, r.get(Field.CATEGORY)) for r in data] == [(3, "低保")]
    assert data[0].sheet_village is None  # sheet "低保" names no village


def test_overrides_by_layout_signature(tmp_path: Path) -> None:
    path = build_xlsx(
        tmp_path / "o.xlsx",
        [SheetSpec("S", [["姓名", "身份证号", "联系人电话"], ["张三", ID_A, "13812345678"]])],
    )
    sheets = read_tables(path)
    [plain] = locate_tables(sheets).found
    assert not plain.header.has(Field.PHONE)
    signature = plain.header.layout_signature
    [fixed] = locate_tables(sheets, overrides={signature: {2: "phone"}}).found
    assert fixed.header.overridden and fixed.header.column_of(Field.PHONE) == 2
    assert [parse_phone(r.get(Field.PHONE)) for r in fixed.rows()] == ["13812345678"]
    [by_function] = locate_tables(
        sheets, overrides=lambda s: {2: Field.PHONE} if s == signature else None
    ).found
    assert by_function.header.column_of(Field.PHONE) == 2
    [other] = locate_tables(sheets, overrides={"0000000000000000": {2: "phone"}}).found
    assert not other.header.overridden


def test_no_header_anywhere_is_an_unreadable_file(tmp_path: Path) -> None:
    path = build_xlsx(
        tmp_path / "nohead.xlsx",
        [
            SheetSpec("名单", [["姓名", "电话"], ["张三", "13812345678"]]),
            SheetSpec("说明", [["无"]]),
        ],
    )
    with pytest.raises(UnreadableFileError) as caught:
        locate_tables(read_tables(path), path=str(path))
    error = caught.value
    assert isinstance(error, NoHeaderError)
    assert error.code == "no_header"
    assert "身份证号" in error.message and "表头" in error.message
    assert error.sheets == ("名单", "说明")
    assert error.path == str(path)


@pytest.mark.parametrize(
    ("name", "village"),
    [
        ("东山村", "东山村"),
        ("1.东山村", "东山村"),
        ("01-东山村", "东山村"),
        ("1、东山村", "东山村"),
        ("（一）东山村", "东山村"),
        ("一、东山村", "东山村"),
        ("三星村", "三星村"),
        ("十里村", "十里村"),
        ("一、三星村", "三星村"),
        ("3三星村", "三星村"),
        ("东山村花名册", "东山村"),
        ("东山村参保人员花名册", "东山村"),
        ("2025年东山村参保台账", "东山村"),
        ("东山村名单", "东山村"),
        ("东山村委会", "东山村"),
        ("东山村民委员会", "东山村"),
        (" 东山村 ", "东山村"),
        ("城关社区", "城关社区"),
        ("新村社区", "新村社区"),
        ("城北居委会", "城北居委会"),
        ("Sheet1", None),
        ("汇总", None),
        ("东山", None),
        ("村", None),
        ("花名册", None),
        ("东山村一组", None),
    ],
)
def test_village_from_sheet_name(name: str, village: str | None) -> None:
    assert village_from_sheet_name(name) == village
