"""The roster dry run checks rows a chunk at a time, column by column, with parsers remembered
by cell (importing.roster.ColumnParser): what it decides must not depend on any of that."""

import datetime as dt
import random

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.exchange import clean_text, parse_code, parse_date
from desktop_app.exchange.cells import CellError
from desktop_app.services import importing
from desktop_app.services.importing import common, roster
from tests.exchange.xch_builders import SheetSpec, build_xlsx

HEAD = ["序号", "姓名", "公民身份号码", "性别", "出生日期", "户编号", "户主身份证号", "与户主关系", "联系电话",
        "人员类别", "参保状态", "备注", "已缴金额", "缴费日期", "家庭住址"]


def messy_rows(rng: random.Random, count: int, sheet: int) -> list[list]:
    """Rows with every kind of cell a county sheet holds, and defects sprinkled in."""
    rows: list[list] = []
    head_id = ""
    for n in range(count):
        number = make_id_number("431199", dt.date(1950, 1, 1) + dt.timedelta(days=(n * 37 + sheet) % 25_000),
                                (n + 3 * sheet) % 1000)
        relation = "户主" if n % 3 == 0 else rng.choice(["配偶", "子", "女", "", "孙子"])
        if relation == "户主":
            head_id = number
        row = [
            n + 1,
            rng.choice(["张三", "李 四", " 王五 ", "赵六", "", "钱\u200b七"]),
            number,
            rng.choice(["男", "女", "", "男 "]),
            rng.choice([dt.datetime(1950, 1, 1) + dt.timedelta(days=(n * 37 + sheet) % 25_000), "", "1990-01-01", 19900101, "不知道"]),
            rng.choice([f"H{n // 3:04d}", n // 3 + 1, float(n // 3 + 1), "", 4.3e17, 1.5]),
            rng.choice([head_id, "", head_id[:-1] + "0"]),
            relation,
            rng.choice(["13800000001", 13900000002.0, "", "0731-8412345", "12345", "0731 84123456"]),
            rng.choice(["低保", "特困、孤儿", "", "普通居民", "外星人", "监测对象/低保"]),
            rng.choice(["", "", "已参加职工医保", "死亡", "迁出"]),
            rng.choice(["", "备注一", "  备注  二 "]),
            rng.choice(["", 400, 400.0, "400元", "-5", 400.005, True]),
            rng.choice(["", dt.datetime(2025, 1, 2), "2025年1月2日", 45659, "明天"]),
            rng.choice(["东山村1组", "", "东山村1组", 12]),
        ]
        if n % 97 == 5:
            row[2] = rows[-1][2] if rows else number  # a duplicate ID number
        if n % 89 == 7:
            row[2] = number[:15]  # a 15-digit legacy number: converted, with a warning
        rows.append(row)
    return rows


@pytest.fixture
def messy_roster(tmp_path):
    rng = random.Random(7)
    sheets = [SheetSpec(name=name, rows=[HEAD, *messy_rows(rng, 700, i)]) for i, name in enumerate(["东山村", "西河村"])]
    return build_xlsx(tmp_path / "messy.xlsx", sheets)


def outcome(plan) -> tuple:
    def issues(found):
        return [(i.sheet, i.row_number, i.column, i.reason, i.id_number) for i in found]

    return ([tuple(p) for p in plan.new], [tuple(p) for p in plan.updated],
            plan.unchanged, issues(plan.rejected), issues(plan.warnings), plan.rows_read)


def test_chunks_and_memos_do_not_change_what_is_decided(ledger, messy_roster, monkeypatch):
    reference = outcome(importing.plan("roster", messy_roster, year=2025))
    new, _updated, _unchanged, rejected, warnings, read = reference
    assert read == 1400 and new and rejected and warnings, "the fixture must exercise every path"
    assert {reason for *_where, reason, _id in rejected} >= {
        "姓名为空",
    }
    # every row decided exactly once, in sheet order, whatever the chunking
    monkeypatch.setattr(roster, "CHUNK_ROWS", 7)
    monkeypatch.setattr(roster, "MEMO_LIMIT", 3)
    assert outcome(importing.plan("roster", messy_roster, year=2025)) == reference
    monkeypatch.setattr(roster, "CHUNK_ROWS", 1)
    assert outcome(importing.plan("roster", messy_roster, year=2025)) == reference


def test_rows_are_reported_in_the_order_of_the_sheet(ledger, messy_roster, monkeypatch):
    monkeypatch.setattr(roster, "CHUNK_ROWS", 50)
    plan = importing.plan("roster", messy_roster, year=2025)
    for found in (plan.rejected, plan.warnings):
        places = [(0 if i.sheet == "东山村" else 1, i.row_number) for i in found]
        assert places == sorted(places)
    assert [p.id_number for p in plan.new] == sorted(
        (p.id_number for p in plan.new), key=[p.id_number for p in plan.new].index)


@pytest.mark.parametrize("function", [clean_text, parse_code, parse_date])
def test_a_remembered_parser_gives_what_the_parser_gives_cell_by_cell(function):
    """1, 1.0 and True are equal keys but different cells; "" and None, dates and texts mix."""
    cells = (1, 1.0, True, "1", "1.0", "", None, 0, False, 0.0, dt.datetime(2025, 1, 2), dt.date(2025, 1, 2),
             "2025-01-02", 45659, float("nan"), "  x ", "x", 4.3e17, "H1") * 3
    column = roster.ColumnParser(function)

    def direct(cell):
        try:
            return function(cell)
        except CellError as exc:
            return ("refused", exc.reason)

    def seen(value):
        return ("refused", value.error.reason) if isinstance(value, common.Failed) else value

    for chunk in (cells, cells[:5], tuple(c for c in cells if isinstance(c, str))):
        got = [seen(v) for v in column(chunk)]
        want = [direct(c) for c in chunk]
        assert [repr(g) for g in got] == [repr(w) for w in want]
        assert [type(g) for g in got] == [type(w) for w in want]
