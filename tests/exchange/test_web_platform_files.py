"""Files from web platforms (DOMAIN.md section 10): "many government web systems hand out ".xls"
files that are really an HTML table or an XML Spreadsheet 2003 document. WPS and Excel open both;
the ledger reads both like any workbook (title rows, merged cells via colspan / ss:MergeAcross,
one worksheet per village), with the same size limits and no entity expansion."

The hostile versions (billion laughs, external entities, a million cells…) are in the fuzz corpus
(tests/fuzz/corpus_web.py), run in limited child processes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.exchange import locate_tables
from desktop_app.exchange.reading import UnreadableFileError, read_tables
from desktop_app.services import importing
from desktop_app.store.models import Household, Person
from tests.exchange.web_builders import XmlSheet, build_html_xls, build_xml_xls
from tests.exchange.xch_builders import SheetSpec, build_xlsx

HEAD = ["序号", "姓名", "公民身份号码", "户编号", "与户主关系", "村(社区)", "联系电话"]
TITLE = "青山镇2025年度全民参保计划未参保人员名单"
ISSUER = "下发单位：县医疗保障局　　下发日期：2025年3月1日"


def pid(n: int) -> str:
    return make_id_number("431199", dt.date(1980, 1, 1) + dt.timedelta(days=n), 21 + n)


def push_rows() -> list[list[object]]:
    """The 全民参保 platform's "not yet enrolled" push: title, issuing unit, header, people, 合计."""
    people = [
        [1, "张三", pid(1), "H101", "户主", "东山村", "13800000001"],
        [2, "李四", pid(2), "H101", "配偶", "东山村", ""],
        [3, "王五", pid(3), "H102", "户主", "西岭村", "13900000003"],
    ]
    return [[TITLE, None, None, None, None, None, None],
            [ISSUER, None, None, None, None, None, None],
            HEAD, *people,
            ["合计", None, "3人", None, None, None, None]]


PUSH_MERGES = [(0, 0, 0, 6), (1, 0, 1, 6), (6, 0, 6, 1)]


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _records(path: Path) -> list[tuple[str, int, int, list[str]]]:
    """What an import works on: each sheet's header position and its data rows as text."""
    found = locate_tables(read_tables(path)).found
    out = []
    for table in found:
        for row_number, raw in table.rows().records():
            out.append((table.sheet.name, table.header.header_row_number, row_number,
                        [_text(v) for v in raw if v != ""]))
    return out


def test_an_html_push_reads_as_the_same_rows_as_the_equivalent_xlsx(tmp_path: Path) -> None:
    html = build_html_xls(tmp_path / "未参保人员名单.xls", push_rows(), PUSH_MERGES, name="东山村",
                          charset="gbk", encoding="gbk")
    xlsx = build_xlsx(tmp_path / "未参保人员名单.xlsx", [SheetSpec("东山村", push_rows(),
                                                                merges=["A1:G1", "A2:G2", "A7:B7"])])
    assert _records(html) == _records(xlsx)
    sheet = read_tables(html)[0]
    assert sheet.source_format == "html" and sheet.name == "东山村"
    header = locate_tables([sheet]).found[0].header
    assert header.header_row == 2 and header.headers == tuple(HEAD)  # under the title and issuer
    assert sheet.merged == tuple(PUSH_MERGES)
    assert sheet.head(1)[0] == [TITLE, "", "", "", "", "", ""]  # as calamine gives a merge


def test_an_18_digit_id_in_an_html_cell_stays_whole_text(tmp_path: Path) -> None:
    rows = [HEAD, [1, "张三", pid(1), "H101", "户主", "东山村", "13800000001"],
            [2, "赵六", "43119919800105231X", "H101", "子", "东山村", " 013800000002 "]]
    sheet = read_tables(build_html_xls(tmp_path / "x.xls", rows))[0]
    data = list(sheet.rows())
    assert data[1][2] == pid(1) and isinstance(data[1][2], str)
    assert data[2][2] == "43119919800105231X"
    assert data[2][6] == "013800000002"  # white space around a cell is the page's, not the value's
    assert data[1][0] == "1"  # every cell of a page is its text


def test_a_two_row_header_in_html_is_found_as_in_xlsx(tmp_path: Path) -> None:
    rows = [["花名册", None, None, None],
            ["姓名", "公民身份号码", "缴费信息", None],
            [None, None, "缴费金额", "缴费日期"],
            ["张三", pid(1), "400", "2025-01-02"]]
    merges = [(0, 0, 0, 3), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, 3)]
    html = build_html_xls(tmp_path / "x.xls", rows, merges)
    xlsx = build_xlsx(tmp_path / "x.xlsx", [SheetSpec("Sheet1", rows, merges=["A1:D1", "A2:A3", "B2:B3", "C2:D2"])])
    assert _records(html) == _records(xlsx)
    header = locate_tables(read_tables(html)).found[0].header
    assert header.header_rows == 2 and header.headers[2] == "缴费信息/缴费金额"


def test_xml_spreadsheet_worksheets_named_after_villages_become_villages(ledger, tmp_path: Path) -> None:
    east = [[f"{TITLE}（东山村）", None, None, None, None, None],
            ["序号", "姓名", "公民身份号码", "户编号", "与户主关系", "联系电话"],
            [1, "张三", pid(1), "H101", "户主", "13800000001"],
            [2, "李四", pid(2), "H101", "配偶", None]]
    west = [["序号", "姓名", "公民身份号码", "户编号", "与户主关系", "联系电话"],
            [1, "王五", pid(3), "H102", "户主", "13900000003"]]
    path = build_xml_xls(tmp_path / "全民参保.xls", [
        XmlSheet("东山村", east, merges=[(0, 0, 0, 5)]),
        XmlSheet("说明", [["身份证号"], [pid(9)]], hidden=True),
        XmlSheet("西岭村", west),
    ])
    sheets = read_tables(path)
    assert [(s.name, s.index, s.source_format) for s in sheets] == [("东山村", 0, "xml"), ("西岭村", 2, "xml")]
    assert sheets[0].merged == ((0, 0, 0, 5),)
    assert sheets[0].head(1)[0] == [f"{TITLE}（东山村）", "", "", "", "", ""]
    assert list(sheets[0].rows())[2][0] == 1.0  # ss:Type="Number", a number as calamine gives it
    assert list(sheets[0].rows())[2][2] == pid(1)  # ss:Type="String": the text, whole

    plan = importing.plan("roster", path, year=2025)
    # (the ledger has no 2025 policy loaded: the line also names the shipped default it used)
    assert plan.summary_line().startswith("roster: 3 accepted (3 new, 0 updated), 0 rejected, 0 unmatched")
    assert {p.name: p.village for p in plan.new} == {"张三": "东山村", "李四": "东山村", "王五": "西岭村"}


def test_xml_spreadsheet_index_skips_and_merge_down(tmp_path: Path) -> None:
    doc = """<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>
<ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><ss:Worksheet ss:Name="S"><ss:Table>
<ss:Row ss:Index="2"><ss:Cell ss:MergeDown="1"><ss:Data ss:Type="String">姓名</ss:Data></ss:Cell>
<ss:Cell ss:Index="3"><ss:Data ss:Type="String">身份证号</ss:Data></ss:Cell></ss:Row>
<ss:Row><ss:Cell><ss:Data ss:Type="String">户主</ss:Data></ss:Cell>
<ss:Cell><ss:Data ss:Type="DateTime">2025-01-02T00:00:00.000</ss:Data></ss:Cell>
<ss:Cell><ss:Data ss:Type="DateTime">2025-01-02T08:30:00.000</ss:Data>
<ss:Comment><ss:Data>批注不是单元格的值</ss:Data></ss:Comment></ss:Cell></ss:Row>
</ss:Table></ss:Worksheet></ss:Workbook>"""
    path = tmp_path / "x.xls"
    path.write_text(doc, encoding="utf-8")
    sheet = read_tables(path)[0]
    assert list(sheet.rows()) == [
        [],
        ["姓名", "", "身份证号"],
        ["", "户主", dt.date(2025, 1, 2), dt.datetime(2025, 1, 2, 8, 30)],  # under the merge: ""
    ]
    assert sheet.merged == ((1, 0, 2, 0),)


def test_xml_spreadsheet_declared_in_gbk(tmp_path: Path) -> None:
    path = build_xml_xls(tmp_path / "x.xls", [XmlSheet("东山村", [HEAD[:3], [1, "张三", pid(1)]])],
                         encoding="gbk", declared="GB2312")
    assert list(read_tables(path)[0].rows())[1] == [1.0, "张三", pid(1)]


def test_an_html_and_an_xml_push_import_as_a_roster(ledger, tmp_path: Path) -> None:
    html = build_html_xls(tmp_path / "未参保.xls", push_rows(), PUSH_MERGES)
    plan = importing.plan("roster", html, year=2025)
    # (the ledger has no 2025 policy loaded: the line also names the shipped default it used)
    assert plan.summary_line().startswith("roster: 3 accepted (3 new, 0 updated), 0 rejected, 0 unmatched")
    importing.apply(plan)
    assert {p.name: p.id_number for p in Person.select()} == {"张三": pid(1), "李四": pid(2), "王五": pid(3)}
    assert {h.number: h.village.name for h in Household.select()} == {"H101": "东山村", "H102": "西岭村"}

    rows = push_rows()
    rows[3][6] = "13800000099"
    xml = build_xml_xls(tmp_path / "变更.xls", [XmlSheet("Sheet1", rows, merges=PUSH_MERGES)])
    plan = importing.plan("roster", xml, year=2025)
    assert plan.summary_line() == "roster: 3 accepted (0 new, 1 updated, 2 unchanged), 0 rejected, 0 unmatched"
    importing.apply(plan)
    assert Person.get(Person.name == "张三").phone == "13800000099"


@pytest.mark.parametrize(("content", "words"), [
    ("<html><body><p>会话已过期，请重新登录</p></body></html>", "网页里没有表格"),
    (('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
      '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S">'), "不完整"),
    (('<?xml version="1.0"?><!DOCTYPE Workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
      '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell>'
      '<Data ss:Type="String">&x;</Data></Cell></Row></Table></Worksheet></Workbook>'), "实体"),
])
def test_a_web_file_that_cannot_be_read_is_refused_in_plain_chinese(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "x.xls"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnreadableFileError) as caught:
        read_tables(path)
    assert words in caught.value.message and "root:" not in caught.value.message


def test_a_page_of_text_named_xls_is_still_refused_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "x.xls"
    path.write_text("姓名,身份证号\n张三,1", encoding="utf-8")
    with pytest.raises(UnreadableFileError) as caught:
        read_tables(path)
    assert caught.value.code == "damaged"
