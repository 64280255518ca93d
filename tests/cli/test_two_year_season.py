"""Issue 15's scenario, end to end through the command line only: a township over the 2024, 2025,
2026 and 2027 policy years (the last two written here in the shipped 2025 file's shape), with a
December birth, a monthly full 低保 list, late payers and a back-payment. The expectations are
DOMAIN.md's words (§4–§6, §10), not the code's; the ledger is read only through the CLI's own
exports and lists (and the audit table for the ``cli`` source)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl

from desktop_app.cli.main import main
from tests.policy_files import later_policy
from tests.raw_ledger import raw_sql

POLICIES = Path(__file__).resolve().parents[2] / "resources" / "policies"
VILLAGE, VILLAGE_CODE = "青山村", "500116101001"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ident(birth: str, seq: str) -> str:
    """A valid 18-digit ID number (GB 11643 check digit) for a birth date YYYYMMDD."""
    body = "500116" + birth + seq
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS)) % 11]


A = ident("19700301", "011")   # 张伟, head of H001: pays 2025 late (mid-year)
B = ident("19720405", "022")   # 李娜, H001: 低保 in 2024; leaves the 低保 list in November
C = ident("19650708", "031")   # 王强, household keyed by his own ID: 职工医保 carried into 2025
D = ident("19800910", "041")   # 赵敏: paid 2024, misses 2025, pays 2026 on time, backpays 2025
E = ident("19851111", "052")   # 孙丽: misses 2025 and 2026, pays 2027 on time, backpays 2025
G = ident("19900101", "061")   # 周杰: in October's and November's 低保 lists
H = ident("19550202", "072")   # 吴芳: 低保 in October, 特困 in November (变更)
I = ident("19600303", "081")   # 郑涛: only in November's list (新增)
BABY = ident("20241215", "102")  # 张小花, born 2024-12-15, added in January


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def out(db: Path, capsys, *args: str, code: int = 0) -> str:
    capsys.readouterr()
    assert run(db, *args) == code, capsys.readouterr()
    captured = capsys.readouterr()
    return captured.out + captured.err


def followups(db: Path, capsys, name: str, year: int) -> dict[str, dict]:
    rows = json.loads(out(db, capsys, "followups", name, "--year", str(year), "--format", "json"))
    return {r["id_number"]: r for r in rows}


def workbook(path: Path, header: list[str], rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def roster(db: Path, tmp_path: Path, year: int) -> dict[str, dict]:
    """``export roster`` read back: ID number → row, keyed by the fixed §9 headers."""
    path = tmp_path / f"roster-{year}.xlsx"
    assert run(db, "export", "roster", str(path), "--year", str(year)) == 0
    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r and "公民身份号码" in r)
    header = rows[at]
    found = {}
    for r in rows[at + 1:]:
        record = dict(zip(header, r))
        if record.get("公民身份号码"):
            found[str(record["公民身份号码"])] = record
    return found


def test_two_year_season_end_to_end(ledger_path, tmp_path, capsys):
    db = ledger_path  # a file, or a PostgreSQL database's URL (tests/conftest.py)
    assert run(db, "init", "--township", "青山镇", "--township-code", VILLAGE_CODE[:9]) == 0
    for year in (2024, 2025):
        assert run(db, "policy", "load", str(POLICIES / f"{year}.toml")) == 0

    # 1. The 2024 roster: households by number and one keyed by its head's ID, phones, a 低保
    #    person, a recorded 职工医保 status.
    book = workbook(tmp_path / "花名册-2024.xlsx",
                    ["村(社区)", "户编号", "户主身份证号", "户主姓名", "与户主关系", "姓名", "公民身份号码",
                     "联系电话", "资助类别", "参保状态", "备注"],
                    [[VILLAGE, "H001", None, "张伟", "户主", "张伟", A, "13800000001", None, None, None],
                     [VILLAGE, "H001", None, "张伟", "配偶", "李娜", B, "13800000002", "低保", None, None],
                     [VILLAGE, None, C, "王强", "户主", "王强", C, "13800000003", None, "参加职工医保", "县人民医院"],
                     [VILLAGE, "H002", None, "赵敏", "户主", "赵敏", D, "13800000004", None, None, None],
                     [VILLAGE, "H002", None, "赵敏", "配偶", "孙丽", E, "13800000005", None, None, None],
                     [VILLAGE, "H003", None, "周杰", "户主", "周杰", G, "13800000006", None, None, None],
                     [VILLAGE, "H003", None, "周杰", "母亲", "吴芳", H, "13800000007", None, None, None],
                     [VILLAGE, "H003", None, "周杰", "父亲", "郑涛", I, "13800000008", None, None, None]])
    assert run(db, "import", "roster", str(book), "--year", "2024") == 0
    r2024 = roster(db, tmp_path, 2024)
    assert {A, B, C, D, E, G, H, I} <= set(r2024)
    assert r2024[B]["个人应缴金额"] == 200 and r2024[B]["征缴方式"] == "差额征缴"  # §4: 400 − 200
    assert r2024[C]["参保状态"] == "参加职工医保"
    assert r2024[C]["户编号"] and r2024[C]["户编号"] != C  # §10: the head's ID is a lookup key, never printed as 户编号
    assert str(r2024[A]["联系电话"]) == "13800000001"
    r2025 = roster(db, tmp_path, 2025)
    assert {A, B, C, D, E, G, H, I} <= set(r2025)  # §10: persons belong to every later loaded year

    # 2. December births: born 2024-12-15, added in January, paid for 2024 within 90 days.
    assert run(db, "person", "add", BABY, "--name", "张小花", "--household", "H001", "--relation", "女") == 0
    pay_file = workbook(tmp_path / "缴费回传-2024.xlsx", ["姓名", "公民身份号码", "缴费金额", "缴费日期"],
                        [["张小花", BABY, "400.00", "2025-01-20"], ["赵敏", D, "400", "2023-11-02"]])
    dry = out(db, capsys, "import", "payments", str(pay_file), "--year", "2024", "--dry-run")
    assert "2 accepted" in dry and "0 rejected" in dry, dry  # §10 newborn: 90 days cross into 2025
    assert run(db, "import", "payments", str(pay_file), "--year", "2024") == 0
    r2024 = roster(db, tmp_path, 2024)
    assert r2024[BABY]["参保状态"] == "已缴费" and r2024[BABY]["已缴金额"] == 400
    assert r2024[D]["参保状态"] == "已缴费"
    newborns = followups(db, capsys, "newborns", 2024)
    assert newborns[BABY]["deadline"] == (dt.date(2024, 12, 15) + dt.timedelta(days=90)).isoformat()

    # 3. A full-list month pair for 2025: October's 低保 list, then November's without 李娜, with
    #    郑涛 new and 吴芳 now 特困.
    october = workbook(tmp_path / "低保名单-10月.xlsx", ["姓名", "公民身份号码"],
                       [["李娜", B], ["周杰", G], ["吴芳", H]])
    assert run(db, "import", "categories", str(october), "--year", "2025", "--category", "低保", "--full-list") == 0
    november = workbook(tmp_path / "低保名单-11月.xlsx", ["姓名", "公民身份号码", "人员类别"],
                        [["周杰", G, "低保"], ["吴芳", H, "特困"], ["郑涛", I, "低保"]])
    report = out(db, capsys, "import", "categories", str(november), "--year", "2025", "--full-list")
    lines = report.splitlines()
    for word, name, person in (("新增", "郑涛", I), ("变更", "吴芳", H), ("取消", "李娜", B)):
        assert any(word in line and name in line and person in line for line in lines), report
    assert any("变更" in line and "低保对象" in line and "特困人员" in line for line in lines), report
    assert "dibao" not in report and "tekun" not in report  # §10: Chinese names, never codes
    r2025 = roster(db, tmp_path, 2025)
    assert r2025[G]["个人应缴金额"] == 200 and r2025[I]["个人应缴金额"] == 200
    assert r2025[H]["个人应缴金额"] == 0 and r2025[H]["征缴方式"] == "免征代缴"
    assert r2025[B]["个人应缴金额"] == 400

    # 4. Late payers in 2025: 张伟 pays mid-year (continuous, outside the period) → 3 months.
    assert run(db, "pay", A, "--year", "2025", "--date", "2025-03-10") == 0
    late = followups(db, capsys, "late", 2025)
    assert late[A]["waiting_months"] == 3
    assert late[A]["benefits_from"] == "2025-06-11"  # the day after 3 months from the payment date

    # 5. 2026 and 2027: breaks count from 2025 on, even when paid inside the collection period.
    for year in (2026, 2027):
        assert run(db, "policy", "load", str(later_policy(tmp_path, year))) == 0
    assert run(db, "pay", D, "--year", "2026", "--date", "2025-10-15") == 0  # on time; 2025 missed
    assert run(db, "pay", E, "--year", "2027", "--date", "2026-10-10") == 0  # on time; 2025, 2026 missed
    late2026 = followups(db, capsys, "late", 2026)
    assert late2026[D]["break_years"] == 1 and late2026[D]["waiting_months"] == 3
    late2027 = followups(db, capsys, "late", 2027)
    assert late2027[E]["break_years"] == 2 and late2027[E]["waiting_months"] == 4
    assert roster(db, tmp_path, 2026)[D]["连续参保年数"] == 1

    # 6. Back-payments for 2025 (over by the payment date), at 2025's standard.
    assert run(db, "backpay", D, "--year", "2025", "--amount", "400", "--date", "2026-01-15") == 0
    assert run(db, "backpay", E, "--year", "2025", "--amount", "400", "--date", "2026-11-25") == 0
    late2026 = followups(db, capsys, "late", 2026)
    assert late2026[D]["repaid_years"] == 1 and late2026[D]["waiting_months"] == 3  # no variable part to repair
    late2027 = followups(db, capsys, "late", 2027)
    assert late2027[E]["waiting_before"] == 4 and late2027[E]["waiting_months"] == 3  # one month repaired
    assert roster(db, tmp_path, 2026)[D]["连续参保年数"] == 3  # 2024 paid, 2025 repaired, 2026 paid

    # 7. The 职工医保 status carried into 2025 waits for confirmation; clearing it ends that.
    assert C in followups(db, capsys, "confirm", 2025)
    assert run(db, "status", "clear", C, "--year", "2025") == 0
    assert C not in followups(db, capsys, "confirm", 2025)
    assert roster(db, tmp_path, 2025)[C]["参保状态"] == "未缴费"

    # 8. The ledger is healthy and every change above came through the command line.
    assert run(db, "check", "--charges") == 0
    sources = raw_sql(db, "SELECT DISTINCT source FROM audit_entry")
    assert ["cli"] in sources
