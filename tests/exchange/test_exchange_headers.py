"""Header detection: synonyms, title and issuing-unit rows, two header rows, overrides,
layout signature."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.exchange.fields import HEADER_SYNONYMS, Field
from desktop_app.exchange.headers import (
    field_for_header,
    find_header,
    find_sheet_header,
    header_at,
    layout_signature,
    normalize_header,
)
from desktop_app.exchange.reading import read_tables
from tests.exchange.xch_builders import (
    ID_A,
    ID_B,
    SheetSpec,
    build_csv,
    build_xlsx,
    county_roster_spec,
)

# DOMAIN.md section 8, verbatim.
DOMAIN_SYNONYMS = {
    Field.ID_NUMBER: ["公民身份号码", "身份证号码", "身份证号", "证件号码", "身份证"],
    Field.NAME: ["姓名", "参保人姓名", "人员姓名"],
    Field.HOUSEHOLD_NUMBER: ["户编号", "户号", "家庭编号"],
    Field.HEAD_ID_NUMBER: ["户主身份证号"],
    Field.HEAD_NAME: ["户主姓名"],
    Field.RELATION: ["与户主关系", "关系"],
    Field.VILLAGE: ["村(社区)", "村（社区）", "行政村", "村名", "所属村"],
    Field.TOWNSHIP: ["乡镇(街道)", "乡镇", "镇"],
    Field.CATEGORY: ["人员类别", "资助类别", "困难类别", "身份类别", "人员身份"],
    Field.PHONE: ["联系电话", "手机号码", "电话"],
    Field.AMOUNT_PAID: ["缴费金额", "实缴金额", "个人缴费"],
    Field.PAYMENT_DATE: ["缴费日期", "缴费时间"],
}

# DOMAIN.md section 9: our exports' headers (the person lists, which must re-import).
EXPORT_HEADERS = {
    "roster": "序号, 乡镇(街道), 村(社区), 户编号, 户主姓名, 与户主关系, 姓名, 公民身份号码, "
    "性别, 出生日期, 联系电话, 资助类别, 参保状态, 个人缴费标准, 资助金额, 个人应缴金额, "
    "已缴金额, 征缴方式, 缴费日期, 备注",
    "subsidised": "序号, 乡镇(街道), 村(社区), 姓名, 公民身份号码, 资助类别, 个人缴费标准, "
    "资助金额, 个人应缴金额, 征缴方式, 参保状态",
    "unpaid": "序号, 村(社区), 户编号, 户主姓名, 姓名, 公民身份号码, 联系电话, 资助类别, "
    "个人应缴金额, 备注",
    "newborns": "序号, 村(社区), 姓名, 公民身份号码, 出生日期, 参保截止日期, 参保状态, "
    "缴费日期, 监护人姓名, 联系电话",
}


@pytest.mark.parametrize(
    ("field", "header"), [(f, h) for f, headers in DOMAIN_SYNONYMS.items() for h in headers]
)
def test_domain_synonyms(field: Field, header: str) -> None:
    assert field_for_header(header) is field


@pytest.mark.parametrize("table", sorted(EXPORT_HEADERS))
def test_every_export_header_maps_to_its_own_field(table: str) -> None:
    headers = [h.strip() for h in EXPORT_HEADERS[table].split(",")]
    match = find_header([headers, [1] * len(headers)])
    assert match is not None
    assert len(match.columns) == len(headers), [
        h for i, h in enumerate(headers) if i not in match.columns
    ]
    assert len(set(match.columns.values())) == len(headers)


def test_no_spelling_names_two_fields() -> None:
    seen: dict[str, Field] = {}
    for field, spellings in HEADER_SYNONYMS.items():
        for spelling in spellings:
            key = normalize_header(spelling)
            assert seen.setdefault(key, field) is field, spelling


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("身份证号码", "身份证号码"),
        (" 身份证\n号码 ", "身份证号码"),
        ("身\u3000份\u3000证\u3000号", "身份证号"),
        ("村（社区）", "村(社区)"),
        ("*姓名", "姓名"),
        ("姓名*", "姓名"),
        ("联系电话：", "联系电话"),
        ("联系电话:", "联系电话"),
        ("\u200b姓名", "姓名"),
        ("", ""),
    ],
)
def test_normalize_header(raw: str, expected: str) -> None:
    assert normalize_header(raw) == expected


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("缴费金额（元）", Field.AMOUNT_PAID),
        ("缴费金额(元)", Field.AMOUNT_PAID),
        ("缴费金额/元", Field.AMOUNT_PAID),
        ("身份证号码（18位）", Field.ID_NUMBER),
        ("村（社区）", Field.VILLAGE),
        ("乡镇（街道）", Field.TOWNSHIP),
        ("姓 名", Field.NAME),
        ("备注说明", None),
        ("填报单位：XX镇", None),
    ],
)
def test_trailing_notes_in_brackets_are_ignored(header: str, field: Field | None) -> None:
    assert field_for_header(header) is field


def test_title_and_issuing_unit_rows_are_skipped() -> None:
    rows = [
        ["XX镇2025年度特困人员名单", "", "", ""],
        ["填报单位：XX镇民政办", "", "填报时间：2025年1月", ""],
        ["", "", "", ""],
        ["序号", "姓名", "身份证号", "人员类别"],
        [1, "张三", ID_A, "特困"],
    ]
    match = find_header(rows)
    assert match is not None
    assert (match.header_row, match.header_rows, match.data_start) == (3, 1, 4)
    assert match.header_row_number == 4
    assert match.columns == {0: Field.SEQ, 1: Field.NAME, 2: Field.ID_NUMBER, 3: Field.CATEGORY}


def test_two_header_rows_with_merges_are_combined(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path / "two.xlsx", [county_roster_spec()])
    [sheet] = read_tables(path)
    match = find_sheet_header(sheet)
    assert match is not None
    assert (match.header_row, match.header_rows, match.data_start) == (2, 2, 4)
    assert match.headers[5:7] == ("缴费信息/缴费金额（元）", "缴费信息/缴费日期")
    assert match.headers[1] == "姓名"
    assert match.fields == {
        Field.SEQ: 0,
        Field.NAME: 1,
        Field.ID_NUMBER: 2,
        Field.RELATION: 3,
        Field.CATEGORY: 4,
        Field.AMOUNT_PAID: 5,
        Field.PAYMENT_DATE: 6,
        Field.REMARK: 7,
    }


def test_two_header_rows_without_merge_information() -> None:
    rows = [
        ["姓名", "身份证号", "缴费信息", "", "备注"],
        ["", "", "缴费金额", "缴费日期", ""],
        ["张三", ID_A, "400", "2025-01-02", ""],
    ]
    match = find_header(rows)
    assert match is not None
    assert match.header_rows == 2
    assert match.fields[Field.AMOUNT_PAID] == 2
    assert match.fields[Field.PAYMENT_DATE] == 3
    assert match.headers[2] == "缴费信息/缴费金额"


def test_group_header_that_names_a_field_combines_with_its_sub_headers() -> None:
    # "户主" spans two columns: 户主/姓名 is the head's name, 户主/身份证号 the household key.
    rows = [
        ["户主", "", "姓名", "身份证号"],
        ["姓名", "身份证号", "", ""],
        ["张三", ID_A, "张三", ID_A],
    ]
    match = find_header(rows, merged=[(0, 0, 0, 1), (0, 2, 1, 2), (0, 3, 1, 3)])
    assert match is not None and match.header_rows == 2
    assert match.fields[Field.HEAD_NAME] == 0
    assert match.fields[Field.HEAD_ID_NUMBER] == 1
    assert match.fields[Field.NAME] == 2
    assert match.fields[Field.ID_NUMBER] == 3


def test_first_data_row_is_never_taken_for_a_sub_header() -> None:
    # "户主" in the relation column would name a field (户主姓名) if read as a header.
    rows = [
        ["姓名", "身份证号", "与户主关系", "户主姓名"],
        ["张三", ID_A, "户主", "张三"],
        ["李四", ID_B, "配偶", "张三"],
    ]
    match = find_header(rows)
    assert match is not None
    assert (match.header_row, match.header_rows) == (0, 1)
    assert match.fields[Field.HEAD_NAME] == 3


def test_text_only_first_data_row_under_headers_is_not_a_sub_header() -> None:
    rows = [["姓名", "身份证号", "电话"], ["户主", "身份证", "电话"], ["张三", ID_A, "13812345678"]]
    match = find_header(rows)
    assert match is not None and match.header_rows == 1


def test_no_header_without_an_id_column() -> None:
    rows = [["XX镇花名册"], ["姓名", "电话", "村名"], ["张三", "13812345678", "东山村"]]
    assert find_header(rows) is None
    assert find_header([]) is None
    assert find_header([["张三", ID_A, 400]]) is None


def test_header_below_the_search_window_is_not_found() -> None:
    rows = [["说明文字"]] * 20 + [["姓名", "身份证号"], ["张三", ID_A]]
    assert find_header(rows) is None
    assert find_header(rows, search_rows=25) is not None


def test_duplicate_field_goes_to_the_leftmost_column() -> None:
    match = find_header([["身份证号", "姓名", "手机号码", "联系电话"]])
    assert match is not None
    assert match.columns == {0: Field.ID_NUMBER, 1: Field.NAME, 2: Field.PHONE}
    assert match.unmapped_columns() == [3]


def test_unknown_columns_are_listed_for_manual_mapping() -> None:
    match = find_header([["姓名", "身份证号", "务工地点", "", "家庭人口"]])
    assert match is not None
    assert match.unmapped_columns() == [2, 4]
    assert match.headers == ("姓名", "身份证号", "务工地点", "", "家庭人口")


def test_override_changes_and_removes_mappings() -> None:
    match = find_header([["姓名", "身份证号", "手机", "家庭人口", "备注"]])
    assert match is not None and not match.overridden
    corrected = match.with_override({2: None, 4: "phone", 3: Field.REMARK})
    assert corrected.overridden
    assert corrected.columns == {0: Field.NAME, 1: Field.ID_NUMBER, 3: Field.REMARK, 4: Field.PHONE}
    assert corrected.layout_signature == match.layout_signature
    assert match.columns[2] is Field.PHONE  # the original is untouched
    with pytest.raises(ValueError):
        match.with_override({1: "no_such_field"})
    with pytest.raises(ValueError):
        match.with_override({-1: "name"})


def test_header_at_for_a_row_the_person_points_at() -> None:
    rows = [["名单"], ["人名", "号码", "钱"], ["张三", ID_A, "400"]]
    assert find_header(rows) is None
    match = header_at(rows, 1).with_override({0: "name", 1: "id_number", 2: "amount_paid"})
    assert match.data_start == 2
    assert match.fields == {Field.NAME: 0, Field.ID_NUMBER: 1, Field.AMOUNT_PAID: 2}
    with pytest.raises(ValueError):
        header_at(rows, 3)


def test_layout_signature_ignores_title_data_and_spacing_but_not_headers() -> None:
    a = find_header(
        [["2025年1月名单"], ["姓名", "身份证号", "村（社区）"], ["张三", ID_A, "东山村"]]
    )
    b = find_header(
        [
            ["2025年2月名单"],
            ["其他"],
            ["姓 名", "身份证号", "村(社区)", ""],
            ["李四", ID_B, "西岭村"],
        ]
    )
    c = find_header([["姓名", "身份证号码", "村(社区)"]])
    assert a is not None and b is not None and c is not None
    assert a.layout_signature == b.layout_signature
    assert a.layout_signature != c.layout_signature
    assert layout_signature(["姓名", "身份证号", ""]) == layout_signature(["姓名", "身份证号"])


def test_csv_header_is_found_the_same_way(tmp_path: Path) -> None:
    path = build_csv(
        tmp_path / "list.csv",
        [
            ["XX镇低保对象名单"],
            ["填报单位：XX镇"],
            ["序号", "姓名", "证件号码", "困难类别"],
            ["1", "张三", ID_A, "低保"],
        ],
        encoding="gb18030",
    )
    [sheet] = read_tables(path)
    match = find_sheet_header(sheet)
    assert match is not None
    assert match.header_row == 2 and match.fields[Field.ID_NUMBER] == 2


def test_a_sheet_of_two_villages_side_by_side_is_not_a_group_header(tmp_path: Path) -> None:
    path = build_xlsx(
        tmp_path / "g.xlsx",
        [
            SheetSpec(
                "S",
                [["标题", None, None], ["姓名", "身份证号", "电话"], ["张三", ID_A, "13812345678"]],
                merges=["A1:C1"],
            )
        ],
    )
    [sheet] = read_tables(path)
    match = find_sheet_header(sheet)
    assert match is not None
    assert (match.header_row, match.header_rows) == (1, 1)  # the title is not a group header
