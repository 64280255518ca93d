"""Imports end to end on real files and real ledgers: roster, categories, payments."""

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from desktop_app.domain.idnumber import make_id_number
from desktop_app.exchange import UnreadableFileError
from desktop_app.services import exports, importing
from desktop_app.services.ledger import ServiceError
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import CategoryMembership, Enrollment, Household, Payment, Person, db
from tests.exchange.xch_builders import SheetSpec, build_csv, build_xlsx

#: what a summary line adds when the year's policy was never loaded (DOMAIN.md section 10)
SHIPPED_2025 = "; no 2025 policy loaded: charges use the shipped national default for 2025 (standard 400.00 yuan)"
HEAD = ["序号", "姓名", "公民身份号码", "户编号", "与户主关系", "联系电话", "人员类别"]


def pid(n: int, year: int = 1980, order: int = 11) -> str:
    return make_id_number("431199", dt.date(year, 1, 1) + dt.timedelta(days=n), order)


def ledger_rows() -> dict[str, list[tuple]]:
    """Every row of every table that holds people's data, for before/after comparisons."""
    out = {}
    for table in ("region", "household", "person", "category_membership", "enrollment", "payment", "policy_year"):
        out[table] = db.execute_sql(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    return out


def village_sheet(name: str, people: list[list], title: bool = True) -> SheetSpec:
    rows: list[list] = []
    merges = []
    if title:
        rows += [[f"青山镇2025年度城乡居民医保参保花名册（{name}）"], ["填报单位：青山镇人民政府"]]
        merges = ["A1:G1"]
    rows.append(HEAD)
    rows += people
    rows.append(["合计", None, None, None, None, None, None])
    return SheetSpec(name=name, rows=rows, merges=merges)


@pytest.fixture
def county_roster(tmp_path) -> Path:
    """Two village sheets (village only in the sheet name), a hidden sheet, defects to reject."""
    east = [
        [1, "张三", pid(1), "H001", "户主", "13800000001", "低保"],
        [2, "李四", pid(2, order=12), "H001", "配偶", "", ""],
        [None, None, None, None, None, None, None],
        [3, "王五", pid(3) + " ", "H002", "户主", 13900000003.0, "特困"],
        [4, "坏号码", pid(4)[:-1] + ("0" if pid(4)[-1] != "0" else "1"), "H002", "子", "", ""],
        [5, "数字号", 4.31199198001e17, "H002", "子", "", ""],
        [6, "张三重复", pid(1), "H003", "户主", "", ""],
    ]
    west = [
        [1, "赵六", pid(6), "H010", "户主", "13800000006", "监测对象"],
        [2, "孙七", pid(7, order=14), "H010", "女", "", "重度残疾"],
    ]
    hidden = SheetSpec(name="旧数据", rows=[HEAD, [1, "隐藏", pid(9), "H099", "户主", "", ""]], hidden=True)
    return build_xlsx(tmp_path / "花名册.xlsx", [village_sheet("1.东山村", east), village_sheet("西河村花名册", west), hidden])


def test_roster_import_reads_a_county_workbook(ledger, county_roster, tmp_path):
    plan = importing.plan("roster", county_roster, year=2025)
    assert plan.summary_line() == "roster: 5 accepted (5 new, 0 updated), 3 rejected, 0 unmatched" + SHIPPED_2025
    reasons = {(i.sheet, i.row_number): i for i in plan.rejected}
    assert "校验码" in reasons[("1.东山村", 8)].reason and reasons[("1.东山村", 8)].column == "公民身份号码"
    assert "Excel存成了数字" in reasons[("1.东山村", 9)].reason
    assert "重复" in reasons[("1.东山村", 10)].reason and "第4行" in reasons[("1.东山村", 10)].reason
    assert Person.select().count() == 0, "a plan writes nothing"

    importing.apply(plan)
    assert Person.select().count() == 5
    assert {h.number: h.village.name for h in Household.select()} == {"H001": "东山村", "H002": "东山村", "H010": "西河村"}
    assert Household.get(Household.number == "H001").head_name == "张三"
    wang = Person.get(Person.name == "王五")
    assert wang.phone == "13900000003" and wang.id_number == pid(3)
    assert not Person.select().where(Person.name == "隐藏").exists()
    dibao = Enrollment.get(Enrollment.person == Person.get(Person.name == "张三"))
    assert (dibao.year, dibao.applied_category, dibao.due_fen) == (2025, "dibao", 20000)
    tekun = Enrollment.get(Enrollment.person == wang)
    assert (tekun.status, tekun.due_fen) == ("exempt", 0)
    canji = CategoryMembership.get(CategoryMembership.person == Person.get(Person.name == "孙七"))
    assert canji.category == "canji"  # recorded although 2025's shipped policy gives it nothing


def test_rejects_file_has_the_files_own_columns_and_a_reason(ledger, county_roster, tmp_path):
    plan = importing.plan("roster", county_roster, year=2025)
    out = tmp_path / "未导入.xlsx"
    assert importing.write_rejects(plan, out) == 3
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("1.东山村").to_python()
    header = rows[2]
    assert header[:2] == ["原因", "原表位置"] and header[2:9] == HEAD
    assert rows[3][1] == "第8行" and "校验码" in rows[3][0]
    assert rows[4][4] == "4.31199198001e+17"  # the damaged number stays visible as it was
    # a clerk fixes the number in the rejects file and imports it again
    fixed = build_xlsx(tmp_path / "改正后.xlsx", [SheetSpec("1.东山村", [HEAD, [5, "数字号", pid(5), "H002", "子", "", ""]])])
    importing.apply(importing.plan("roster", fixed, year=2025))
    assert Person.get(Person.name == "数字号").id_number == pid(5)


def test_known_id_numbers_are_updated_and_nothing_is_deleted(ledger, county_roster, tmp_path):
    importing.apply(importing.plan("roster", county_roster, year=2025))
    moved = build_xlsx(tmp_path / "变更.xlsx", [SheetSpec("西河村", [
        ["姓名", "身份证号", "户编号", "与户主关系", "村(社区)", "电话"],
        ["张叁", pid(1), "H010", "其他", "西河村", "13800000099"],
    ])])
    plan = importing.plan("roster", moved, year=2025)
    assert plan.summary_line() == "roster: 1 accepted (0 new, 1 updated), 0 rejected, 0 unmatched"
    assert plan.updated[0].changes["name"] == ("张三", "张叁")
    importing.apply(plan)
    person = Person.get(Person.id_number == pid(1))
    assert (person.name, person.phone, person.household.number) == ("张叁", "13800000099", "H010")
    assert Enrollment.get(Enrollment.person == person).village.name == "西河村"
    assert Person.select().count() == 5
    assert Person.get(Person.name == "李四").household.number == "H001"


def test_csv_in_gb18030_and_utf8_bom_read_the_same(ledger, tmp_path):
    rows = [["姓名", "身份证号", "户编号", "与户主关系", "村(社区)"], ["钱八", pid(20), "H020", "户主", "东山村"]]
    for encoding in ("gb18030", "utf-8-sig"):
        plan = importing.plan("roster", build_csv(tmp_path / f"{encoding}.csv", rows, encoding=encoding), year=2025)
        assert [p.name for p in plan.new] == ["钱八"] and plan.new[0].village == "东山村"


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(build_xlsx(p.with_name("ok.xlsx"), [SheetSpec("a", [HEAD])]).read_bytes()[:300]),
        lambda p: p.write_text("这只是一段文字，不是表格", encoding="utf-8"),
        lambda p: p.with_suffix(".csv").write_bytes(bytes(range(256)) * 40) or p.with_suffix(".csv").rename(p),
        lambda p: build_xlsx(p, [SheetSpec("说明", [["本表无表头"], ["只有一些说明文字"]])]),
    ],
    ids=["empty", "truncated", "text-renamed-xlsx", "random-bytes", "no-header"],
)
def test_a_file_that_cannot_be_read_changes_nothing(demo_ledger, tmp_path, make):
    path = tmp_path / "bad.xlsx"
    make(path)
    before = ledger_rows()
    with pytest.raises(UnreadableFileError) as info:
        importing.apply(importing.plan("roster", path))
    assert info.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)
    assert ledger_rows() == before


def test_random_bytes_named_csv_changes_nothing(demo_ledger, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(bytes(range(256)) * 40)
    before = ledger_rows()
    with pytest.raises(UnreadableFileError):
        importing.plan("roster", path)
    assert ledger_rows() == before


def test_categories_import_matches_never_invents_and_ends_a_full_list(demo_ledger, tmp_path):
    dibao_holders = [m.person for m in CategoryMembership.select().where(
        (CategoryMembership.category == "dibao") & (CategoryMembership.year == 2025))]
    keep, drop = dibao_holders[0], dibao_holders[1]
    ordinary = Enrollment.select().where((Enrollment.year == 2025) & Enrollment.applied_category.is_null()
                                         & (Enrollment.status == "unpaid")).first().person
    listed = [keep, ordinary] + dibao_holders[2:]
    rows = [["低保对象名单（2025年1月，全量）"], ["序号", "姓名", "身份证号码", "认定日期"]]
    rows += [[i + 1, p.name, p.id_number, "2025-01-05"] for i, p in enumerate(listed)]
    rows.append([99, "外乡人", pid(300), "2025-01-05"])
    path = build_xlsx(tmp_path / "低保.xlsx", [SheetSpec("低保", rows, merges=["A1:D1"])])
    with pytest.raises(ServiceError, match="不是"):
        importing.plan("categories", path, category="火星人")
    plan = importing.plan("categories", path, category="低保", full_list=True)
    assert plan.summary_line() == (
        f"categories: {len(listed)} accepted (1 new, 0 updated, {len(listed) - 1} unchanged), "
        "0 rejected, 1 unmatched; 1 joined (新增), 0 changed (变更), 1 left (取消)"
    )
    assert plan.unmatched[0].id_number == pid(300) and "没有这个人" in plan.unmatched[0].reason
    assert [e.person_id for e in plan.ended] == [drop.id]
    importing.apply(plan)
    assert Enrollment.get((Enrollment.person == ordinary) & (Enrollment.year == 2025)).due_fen == 20000
    assert Enrollment.get((Enrollment.person == drop) & (Enrollment.year == 2025)).applied_category != "dibao"
    assert not Person.select().where(Person.id_number == pid(300)).exists()


def test_payments_import_pays_once(demo_ledger, tmp_path):
    unpaid = list(Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).limit(3))
    paid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "paid")).first()
    header = ["纳税人姓名", "证件号码", "缴费金额", "缴费日期", "票据号码"]
    rows = [header] + [[e.person.name, e.person.id_number, f"￥{e.due_fen // 100}", "2024/11/5", f"PJ{e.id}"] for e in unpaid]
    rows.append([paid.person.name, paid.person.id_number, paid.due_fen / 100, "20241106", "PJX"])
    rows.append(["无名", pid(301), 400, "2024.11.7", "PJY"])
    path = build_xlsx(tmp_path / "税务回传.xlsx", [SheetSpec("Sheet1", rows)])
    plan = importing.plan("payments", path)
    assert plan.summary_line() == "payments: 3 accepted (3 new, 0 updated), 1 rejected, 1 unmatched"
    assert "已缴费" in plan.rejected[0].reason
    importing.apply(plan)
    for e in unpaid:
        after = Enrollment.get_by_id(e.id)
        assert (after.status, after.paid_fen, after.paid_on) == ("paid", e.due_fen, dt.date(2024, 11, 5))
    payments_before = Payment.select().count()
    again = importing.plan("payments", path)
    assert len(again.new) == 0 and again.unchanged == 3
    importing.apply(again)
    assert Payment.select().count() == payments_before


def test_roster_export_round_trips_into_an_empty_ledger(demo_ledger, tmp_path):
    export_path = tmp_path / "参保台账.xlsx"
    result = exports.export("roster", export_path, 2025)
    assert result.rows == Person.select().count()
    query = {
        "persons": "SELECT id_number, name, sex, birth_date, relation, phone FROM person ORDER BY id_number",
        "households": "SELECT h.number, h.head_name, v.name FROM household h JOIN region v ON v.id = h.village_id"
                      " ORDER BY h.number",
        "categories": "SELECT p.id_number, m.category FROM category_membership m JOIN person p ON p.id = m.person_id"
                      " WHERE m.ended_on IS NULL AND m.year = 2025 ORDER BY 1, 2",
        "enrollments": "SELECT p.id_number, e.status, e.status_reason, e.applied_category, e.subsidy_fen,"
                       " e.due_fen, e.paid_fen, e.collection_mode FROM enrollment e JOIN person p ON p.id = e.person_id"
                       " WHERE e.year = 2025 ORDER BY 1",
    }
    before = {k: db.execute_sql(sql).fetchall() for k, sql in query.items()}
    close_database()
    open_database(tmp_path / "empty.sqlite")
    plan = importing.plan("roster", export_path, year=2025)
    assert not plan.rejected and not plan.warnings, (plan.rejected[:3], plan.warnings[:3])
    importing.apply(plan)
    after = {k: db.execute_sql(sql).fetchall() for k, sql in query.items()}
    for key in query:
        assert after[key] == before[key], key


def test_a_corrected_mapping_is_remembered_for_the_layout(ledger, tmp_path):
    rows = [["名字", "号码", "户", "村"], ["周九", pid(30), "H030", "东山村"]]
    path = build_xlsx(tmp_path / "怪表头.xlsx", [SheetSpec("Sheet1", rows)])
    with pytest.raises(UnreadableFileError):
        importing.plan("roster", path)  # no recognisable ID column
    from desktop_app.exchange import read_tables
    from desktop_app.exchange.headers import header_at

    header = header_at(read_tables(path)[0].head(), 0)
    importing.remember_mapping(header.layout_signature, {0: "name", 1: "id_number", 2: "household_number", 3: "village"})
    plan = importing.plan("roster", path)
    assert [p.name for p in plan.new] == ["周九"] and plan.new[0].village == "东山村"


def test_cli_import_and_export(tmp_path, county_roster):
    import subprocess
    import sys

    db_path = str(tmp_path / "cli.sqlite")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "desktop_app", "--db", db_path, *args],
                              capture_output=True, text=True, timeout=120)

    dry = run("import", "roster", str(county_roster), "--dry-run", "--errors", str(tmp_path / "err.xlsx"))
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip().endswith(
        "roster: 5 accepted (5 new, 0 updated), 3 rejected, 0 unmatched" + SHIPPED_2025 + " (dry run: nothing written)")
    assert (tmp_path / "err.xlsx").exists()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT COUNT(*) FROM person").fetchone()[0] == 0
    conn.close()
    done = run("import", "roster", str(county_roster))
    assert done.returncode == 0 and done.stdout.strip().splitlines()[-1] == (
        "roster: 5 accepted (5 new, 0 updated), 3 rejected, 0 unmatched" + SHIPPED_2025)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    refused = run("import", "roster", str(bad))
    assert refused.returncode == 1 and ("无法读取" in refused.stderr or "损坏" in refused.stderr)
    for kind in ("roster", "subsidised", "summary", "unpaid", "newborns"):
        out = tmp_path / f"{kind}.xlsx"
        result = run("export", kind, str(out), "--year", "2025")
        assert result.returncode == 0, result.stderr
        assert out.exists()
    assert run("export", "roster", str(tmp_path / "x.xlsx"), "--village", "不存在村").returncode == 1


def test_apply_refuses_a_file_changed_since_the_dry_run(ledger, tmp_path):
    path = build_xlsx(tmp_path / "花名册.xlsx", [SheetSpec("西河村", [
        ["姓名", "身份证号", "户编号", "与户主关系", "村(社区)", "电话"],
        ["张三", pid(1), "H010", "户主", "西河村", "13800000001"],
    ])])
    plan = importing.plan("roster", path, year=2025)
    assert (len(plan.new), len(plan.rejected)) == (1, 0)
    build_xlsx(path, [SheetSpec("西河村", [
        ["姓名", "身份证号", "户编号", "与户主关系", "村(社区)", "电话"],
        ["李四", pid(2), "H011", "户主", "西河村", "13800000002"],
    ])])
    with pytest.raises(ServiceError, match="检查之后被改动"):
        importing.apply(plan)
    assert Person.select().count() == 0
    path.unlink()
    with pytest.raises(ServiceError, match="检查之后被改动"):
        importing.apply(plan)
