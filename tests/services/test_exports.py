"""Exports read back cell by cell: DOMAIN.md section 9's columns, text IDs, totals, masking."""

import datetime as dt
import zipfile

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from desktop_app.domain.money import format_yuan
from desktop_app.exchange import writing as exports_writing
from desktop_app.services import exports
from desktop_app.services.ledger import ServiceError
from desktop_app.store.models import Enrollment, Person, Region, db

SECTION_9 = {
    "roster": "序号, 乡镇(街道), 村(社区), 户编号, 户主姓名, 与户主关系, 姓名, 公民身份号码, 性别, 出生日期, 联系电话, 资助类别, 参保状态, 个人缴费标准, 资助金额, 个人应缴金额, 已缴金额, 征缴方式, 缴费日期, 备注",
    "subsidised": "序号, 乡镇(街道), 村(社区), 姓名, 公民身份号码, 资助类别, 个人缴费标准, 资助金额, 个人应缴金额, 征缴方式, 参保状态",
    "summary": "村(社区), 总人数, 应参保人数, 已参保人数, 参保率, 居民医保缴费人数, 资助人数, 资助金额, 个人应缴金额, 已缴金额, 未缴费人数",
    "unpaid": "序号, 村(社区), 户编号, 户主姓名, 姓名, 公民身份号码, 联系电话, 资助类别, 个人应缴金额, 备注",
    "newborns": "序号, 村(社区), 姓名, 公民身份号码, 出生日期, 参保截止日期, 参保状态, 缴费日期, 监护人姓名, 联系电话",
}
#: Issue 15 (DOMAIN.md section 10): a new last column, section 9's order otherwise unchanged.
SECTION_10_LAST = {"roster": ", 连续参保年数"}


def read(path, sheet=0):
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(sheet).to_python()


@pytest.mark.parametrize("kind", list(SECTION_9))
def test_each_export_has_title_frozen_header_and_section_9_columns(demo_ledger, tmp_path, kind):
    out = tmp_path / f"{kind}.xlsx"
    exports.export(kind, out, 2025)
    rows = read(out)
    assert rows[0][0] == f"青山镇2025年度{exports.ExportKind(kind).chinese}"
    header_index = next(i for i, r in enumerate(rows) if r[0] in ("序号", "村(社区)"))
    assert ", ".join(c for c in rows[header_index] if c != "") == SECTION_9[kind] + SECTION_10_LAST.get(kind, "")
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.freeze_panes == f"A{header_index + 2}"
    assert rows[-1][0] == "合计"


def test_roster_cells_match_the_ledger(demo_ledger, tmp_path):
    out = tmp_path / "roster.xlsx"
    exports.export("roster", out, 2025)
    rows = read(out)
    header = rows[2]
    data = rows[3:-1]
    assert len(data) == Enrollment.select().where(Enrollment.year == 2025).count()
    col = {name: header.index(name) for name in header}
    by_id = {r[col["公民身份号码"]]: r for r in data}
    dibao = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.applied_category == "dibao")).first()
    row = by_id[dibao.person.id_number]
    assert isinstance(row[col["公民身份号码"]], str) and len(row[col["公民身份号码"]]) == 18
    assert row[col["姓名"]] == dibao.person.name
    assert "低保对象" in row[col["资助类别"]]
    assert row[col["征缴方式"]] == "差额征缴"
    assert row[col["个人缴费标准"]] == 400.0 and row[col["资助金额"]] == 200.0 and row[col["个人应缴金额"]] == 200.0
    assert row[col["出生日期"]] == dibao.person.birth_date
    phones = [r[col["联系电话"]] for r in data if r[col["联系电话"]]]
    assert phones and all(isinstance(p, str) and len(p) == 11 for p in phones)
    total_due = db.execute_sql("SELECT SUM(due_fen) FROM enrollment WHERE year = 2025").fetchone()[0]
    assert f"{rows[-1][col['个人应缴金额']]:.2f}" == format_yuan(total_due)
    # amounts are numbers shown with two decimals
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.cell(row=4, column=col["资助金额"] + 1).number_format == "0.00"


def test_summary_agrees_with_the_rate_definitions(demo_ledger, tmp_path):
    out = tmp_path / "summary.xlsx"
    exports.export("summary", out, 2025)
    rows = read(out)
    header, data, total = rows[2], rows[3:-1], rows[-1]
    col = {name: header.index(name) for name in header}
    assert len(data) == Region.select().where(Region.level == "village").count()
    for name in ("总人数", "应参保人数", "已参保人数", "未缴费人数"):
        assert total[col[name]] == sum(r[col[name]] for r in data)
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).count()
    assert total[col["未缴费人数"]] == unpaid
    expected = Enrollment.select().where(
        (Enrollment.year == 2025) & Enrollment.status.not_in(["deceased", "moved", "military", "other"])).count()
    insured = Enrollment.select().where(
        (Enrollment.year == 2025) & Enrollment.status.in_(["paid", "exempt", "employee", "elsewhere"])).count()
    assert total[col["应参保人数"]] == expected and total[col["已参保人数"]] == insured
    assert abs(total[col["参保率"]] - insured / expected) < 1e-9
    assert openpyxl.load_workbook(out).worksheets[0].cell(row=4, column=col["参保率"] + 1).number_format == "0.0%"


def test_unpaid_lists_who_owes_with_a_phone_for_the_door(demo_ledger, tmp_path):
    out = tmp_path / "unpaid.xlsx"
    exports.export("unpaid", out, 2025)
    rows = read(out)
    data = rows[3:-1]
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid"))
    assert len(data) == unpaid.count() > 0
    assert {r[5] for r in data} == {e.person.id_number for e in unpaid}
    assert sum(1 for r in data if r[6]) >= 0.8 * len(data)


def test_newborns_have_their_deadline(demo_ledger, tmp_path):
    out = tmp_path / "newborns.xlsx"
    exports.export("newborns", out, 2025)
    data = read(out)[3:-1]
    born = Person.select().where(Person.birth_date.between(dt.date(2025, 1, 1), dt.date(2025, 12, 31))).count()
    assert len(data) == born > 0
    for r in data:
        assert r[5] == r[4] + dt.timedelta(days=90)


@pytest.mark.parametrize("kind", ["roster", "subsidised", "unpaid", "newborns"])
def test_one_village_lists_that_villages_rows_of_each_table(demo_ledger, tmp_path, kind, monkeypatch):
    """Per village, each table holds exactly the rows of the whole-township table for that village,
    and the progress total agrees (newborns per village once came out empty: a parameter in the
    wrong place)."""
    exports.export(kind, tmp_path / "all.xlsx", 2025)
    everyone = read(tmp_path / "all.xlsx")
    header_index = next(i for i, r in enumerate(everyone) if r[0] == "序号")
    village_col = everyone[header_index].index("村(社区)")
    by_village: dict[str, int] = {}
    for r in everyone[header_index + 1:-1]:
        by_village[r[village_col]] = by_village.get(r[village_col], 0) + 1
    assert by_village
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    for name, expected in by_village.items():
        heard: list[int] = []
        result = exports.export(kind, tmp_path / "v.xlsx", 2025, village_name=name,
                                progress=lambda _d, t: heard.append(t))
        rows = read(tmp_path / "v.xlsx")[header_index + 1:-1]
        assert result.rows == len(rows) == expected, name
        assert {r[village_col] for r in rows} == {name}
        assert set(heard) == {expected}  # the total known before the first row


def test_mask_hides_the_middle_of_ids_and_phones(demo_ledger, tmp_path):
    out = tmp_path / "masked.xlsx"
    exports.export("roster", out, 2025, mask=True)
    rows = read(out)
    col = rows[2].index("公民身份号码")
    ids = [r[col] for r in rows[3:-1]]
    assert all("*" in i and len(i) == 18 for i in ids)
    assert not any(p.id_number in str(rows) for p in Person.select().limit(50))


def test_formula_looking_names_are_text(demo_ledger, tmp_path):
    person = Person.select().first()
    Person.update(name="=HYPERLINK(\"http://x\")").where(Person.id == person.id).execute()
    out = tmp_path / "roster.xlsx"
    exports.export("roster", out, 2025)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    values = [c.value for row in sheet.iter_rows(min_row=4) for c in row]
    assert "=HYPERLINK(\"http://x\")" in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_one_village_and_unknown_village(demo_ledger, tmp_path):
    village = Region.select().where(Region.level == "village").first()
    result = exports.export("roster", tmp_path / "v.xlsx", 2025, village_name=village.name)
    assert result.rows == Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.village == village)).count()
    with pytest.raises(ServiceError, match="没有"):
        exports.export("roster", tmp_path / "x.xlsx", 2025, village_name="不存在村")
    with pytest.raises(ServiceError, match="2030"):
        exports.export("roster", tmp_path / "x.xlsx", 2030)


@pytest.mark.parametrize("kind", ["roster", "subsidised", "unpaid", "newborns"])
def test_progress_counts_up_to_the_rows_written(demo_ledger, tmp_path, kind, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 7)
    heard: list[tuple[int, int]] = []
    result = exports.export(kind, tmp_path / "t.xlsx", 2025, progress=lambda d, t: heard.append((d, t)))
    assert result.rows > 7 and not result.cancelled
    assert heard[-1] == (result.rows, result.rows)  # the count known before the first row agrees
    assert all(t == result.rows for _d, t in heard)
    assert [d for d, _t in heard] == sorted(d for d, _t in heard)


def test_cancel_stops_the_export_and_writes_nothing(demo_ledger, tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 50)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "roster.xlsx"
    out.write_bytes(b"yesterday's file")
    heard: list[int] = []
    result = exports.export("roster", out, 2025, progress=lambda d, _t: heard.append(d),
                            should_stop=lambda: len(heard) >= 2)
    assert result.cancelled and result.rows == 100 and heard == [50, 100]
    assert "cancelled" in result.summary_line()
    assert out.read_bytes() == b"yesterday's file"  # untouched
    assert [f.name for f in out.parent.iterdir()] == ["roster.xlsx"]  # no temporary file either
    assert exports.export("roster", out, 2025, should_stop=lambda: False).rows == 500


@pytest.mark.parametrize("mask", [False, True])
def test_roster_is_the_same_workbook_with_and_without_the_fast_row_writer(demo_ledger, tmp_path, monkeypatch, mask):
    """exchange/xlsx_rows writes the rows; a clerk's file must be what XlsxWriter alone writes:
    every sheet part byte for byte, and every cell's value and number format read back alike."""
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    exports.export("roster", fast, 2025, mask=mask)
    monkeypatch.setattr(exports_writing.xlsx_rows, "install", lambda sheet: False)
    exports.export("roster", slow, 2025, mask=mask)
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(slow) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "docProps/core.xml":  # its creation time
                assert a.read(name) == b.read(name), name
    got, want = openpyxl.load_workbook(fast).active, openpyxl.load_workbook(slow).active
    assert got.max_row > 3
    assert [[(c.value, c.number_format, c.border.left.style) for c in row] for row in got.iter_rows()] == \
        [[(c.value, c.number_format, c.border.left.style) for c in row] for row in want.iter_rows()]
