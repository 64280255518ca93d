"""补缴 through real ledgers (DOMAIN.md sections 6 and 10): a back-payment repairs a missed year —
not an enrollment of it — and the waiting period is read before and after the repair.

Policies: the shipped 2024 and 2025 files, and 2026–2031 written in tmp_path in 2025's shape
(each year's collection period the autumn before it, as the shipped files have it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from desktop_app import clock
from desktop_app.cli.main import main
from desktop_app.domain.idnumber import make_id_number
from desktop_app.resources import resource
from desktop_app.services import access, audit, backpay, charges, continuity, followups, importing, payments
from desktop_app.services.backpay import BackPaymentInput, BackPaymentRefused
from desktop_app.services.household_work import NewMember, add_household
from desktop_app.services.ledger import ServiceError
from desktop_app.services.policy_load import load_policy
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import AuditEntry, CategoryMembership, Enrollment, Payment, Person, Region
from tests.policy_files import later_policy

STANDARD = 40000  # 400 yuan, every year here
LAST_YEAR = 2031


def _policy_files(folder: Path) -> list[Path]:
    shipped = [resource("policies", "2024.toml"), resource("policies", "2025.toml")]
    return shipped + [later_policy(folder, year) for year in range(2026, LAST_YEAR + 1)]


@pytest.fixture(autouse=True)
def a_later_season(monkeypatch):
    """These seasons run to 2031: the ledger's today is the end of that year (a payment dated
    after today is refused)."""
    monkeypatch.setattr(clock, "today", lambda: dt.date(2031, 12, 31))


@pytest.fixture
def years(ledger, tmp_path):
    """A ledger with every policy year 2024–2031 and one household of five adults."""
    for path in _policy_files(tmp_path):
        load_policy(path)
    members = [NewMember(f"村民{i}", make_id_number("431199", dt.date(1970 + i, 3, 3), 10 + i),
                         "户主" if i == 0 else "子") for i in range(5)]
    add_household("东山村", members)
    return {p.name: p.id for p in Person.select()}


def pay(person_id: int, year: int, day: dt.date | None = None) -> None:
    """This year's contribution, in the collection period (the autumn before) unless ``day``."""
    payments.record_payment(payments.PaymentInput(person_id, year, STANDARD, day or dt.date(year - 1, 11, 1)))


def late(year: int, person_id: int) -> followups.LateEnroller:
    return next(r for r in followups.late_enrollers(year) if r.person_id == person_id)


def test_b3_p1_gives_4_months_and_the_missed_year_stays_unpaid(years):
    """§6: B = 3, P = 1 → 4 (without the repair: 3 + 2 = 5)."""
    who = years["村民0"]
    pay(who, 2024)
    pay(who, 2028, dt.date(2028, 3, 1))  # 2025, 2026, 2027 missed; paid outside the period
    row = late(2028, who)
    assert (row.break_years, row.repaid_years, row.waiting_before, row.waiting_months) == (3, 0, 5, 5)

    made = backpay.record_backpay(BackPaymentInput(who, 2026, STANDARD, dt.date(2028, 3, 5)))
    row = late(2028, who)
    assert (row.break_years, row.repaid_years, row.waiting_before, row.waiting_months) == (3, 1, 5, 4)
    assert row.benefits_from == dt.date(2028, 7, 2)  # 2028-03-01 + 4 months, the day after
    # not a new enrollment: 2026 is still unpaid and its amount paid does not hold the money
    enrollment = Enrollment.get((Enrollment.person == who) & (Enrollment.year == 2026))
    assert (enrollment.status, enrollment.paid_fen) == ("unpaid", 0)
    assert charges.verify() == []  # check --charges agrees: the back-payment is in no enrollment
    assert Payment.get_by_id(made.id).kind == "backpay"
    waiting = backpay.waiting_of(who, 2028, in_collection_period=False)
    assert (waiting.break_years, waiting.repaid_years, waiting.months_before, waiting.months_after) == (3, 1, 5, 4)


def test_b4_gives_6_months_and_back_payment_cannot_lower_it(years):
    """§6: B = 4 → 6 and back-payment cannot lower it."""
    who = years["村民1"]
    pay(who, 2024)
    pay(who, 2029, dt.date(2029, 5, 1))
    assert late(2029, who).waiting_months == 6
    for missed in (2025, 2026, 2027):
        backpay.record_backpay(BackPaymentInput(who, missed, STANDARD, dt.date(2029, 5, 2)))
    row = late(2029, who)
    assert (row.break_years, row.repaid_years, row.waiting_before, row.waiting_months) == (4, 3, 6, 6)


def test_b6_p2_gives_6_months(years):
    """§6: B = 6, P = 2 → 6 (unrepaired 3 + 5 = 8; repaired 3 + 3 = 6, and the floor is 6)."""
    who = years["村民2"]
    pay(who, 2024)
    pay(who, 2031, dt.date(2031, 6, 1))
    assert late(2031, who).waiting_months == 8
    for missed in (2029, 2030):
        backpay.record_backpay(BackPaymentInput(who, missed, STANDARD, dt.date(2031, 6, 2)))
    row = late(2031, who)
    assert (row.break_years, row.repaid_years, row.waiting_before, row.waiting_months) == (6, 2, 8, 6)


def test_only_a_missed_year_over_and_from_2025_at_its_standard_once(years):
    who = years["村民3"]
    pay(who, 2024)
    pay(who, 2025)
    on = dt.date(2027, 4, 1)
    refused = {
        2024: "早于2025年",  # years before 2025 are no breaks
        2025: "已参保",  # insured that year
        2027: "还没有过完",  # the year of the payment itself: a late enrollment, not a back-payment
    }
    for year, words in refused.items():
        with pytest.raises(BackPaymentRefused, match=words):
            backpay.record_backpay(BackPaymentInput(who, year, STANDARD, on))
    with pytest.raises(BackPaymentRefused, match="400.00元，这里是300.00元"):
        backpay.record_backpay(BackPaymentInput(who, 2026, 30000, on))
    backpay.record_backpay(BackPaymentInput(who, 2026, STANDARD, on))
    with pytest.raises(BackPaymentRefused, match="已经补缴过了"):  # counted once
        backpay.record_backpay(BackPaymentInput(who, 2026, STANDARD, on))
    assert Payment.select().where(Payment.kind == "backpay").count() == 1


def test_a_subsidised_category_that_year_lowers_the_back_payment(years):
    """§10: no subsidy unless the person was in a subsidised category that year (低保 2026: 200)."""
    who = years["村民4"]
    CategoryMembership.create(person=who, year=2026, category="dibao", source="低保名单")
    charges.recompute(2026, [who])
    with pytest.raises(BackPaymentRefused, match="200.00元"):
        backpay.record_backpay(BackPaymentInput(who, 2026, STANDARD, dt.date(2027, 2, 1)))
    backpay.record_backpay(BackPaymentInput(who, 2026, 20000, dt.date(2027, 2, 1)))
    with pytest.raises(BackPaymentRefused, match="400.00元"):  # 2025: no category, the whole standard
        backpay.record_backpay(BackPaymentInput(who, 2025, 20000, dt.date(2027, 2, 1)))


def test_reversal_audit_and_history(years):
    who = years["村民0"]
    made = backpay.record_backpay(BackPaymentInput(who, 2025, STANDARD, dt.date(2026, 3, 1), "现金代收", "B-1"))
    assert continuity.repaired_years([who]) == {who: {2025}}
    entry = AuditEntry.get((AuditEntry.table == "payment") & (AuditEntry.record_id == str(made.id)))
    assert entry.action == "backpay" and '"year": 2025' in entry.new_value
    assert any(row[3] == "backpay" for row in audit.person_history(who))  # shows in the person's history
    reversal = payments.reverse_payment(made.id, "录错了人")  # 冲正, like any payment
    assert reversal.kind == "backpay" and reversal.amount_fen == -STANDARD
    assert continuity.repaired_years([who]) == {}
    assert charges.verify() == []
    backpay.record_backpay(BackPaymentInput(who, 2025, STANDARD, dt.date(2026, 3, 2)))  # and again, once


def test_a_clerk_of_another_village_is_refused(years, ledger):
    other = Region.create(name="西山村", level="village", parent=None)
    access.start_session(access.Session(99, "李四", access.CLERK, frozenset({other.id})))
    with pytest.raises(access.AccessDenied, match="其他村"):
        backpay.record_backpay(BackPaymentInput(years["村民0"], 2025, STANDARD, dt.date(2026, 3, 1)))
    assert Payment.select().where(Payment.kind == "backpay").count() == 0


def test_long_runs_at_risk_count_a_repaired_year(years):
    """The follow-up list: 4+ consecutive years up to last year, not yet paid this year."""
    a, b, c, d = years["村民0"], years["村民1"], years["村民2"], years["村民3"]
    for year in (2024, 2025, 2026, 2027):
        pay(a, year)  # 4 years
    for year in (2024, 2025, 2027):
        pay(b, year)
    backpay.record_backpay(BackPaymentInput(b, 2026, STANDARD, dt.date(2027, 3, 1)))  # repaired: 4 too
    for year in (2025, 2026, 2027):
        pay(c, year)  # 3 years: not yet a long run
    for year in (2024, 2025, 2026, 2027, 2028):
        pay(d, year)  # paid this year: nothing at risk
    at_risk = followups.LISTS["long_run"](2028)
    assert [(r.person_id, r.run_years) for r in at_risk] == sorted([(a, 4), (b, 4)])
    assert all(r.due_fen == STANDARD for r in at_risk)
    runs = continuity.continuity_of([a, b, c, d], 2028)
    assert [runs[p].years for p in (a, b, c, d)] == [0, 0, 0, 5]
    assert runs[d].incentive and not continuity.continuity_of([a], 2027)[a].incentive


def _payments_file(path: Path, rows: list[tuple], year_column: bool) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号码", "缴费金额", "缴费日期", "缴费凭证号", *(["缴费年度"] if year_column else [])])
    for row in rows:
        sheet.append(list(row) if year_column else list(row[:5]))
    book.save(path)
    return path


def test_a_payments_file_with_a_year_column_records_back_payments(years, tmp_path):
    who, paid_up = years["村民0"], years["村民1"]
    number = Person.get_by_id(who).id_number
    pay(who, 2024)
    pay(paid_up, 2027)
    rows = [
        ("村民0", number, "400.00", "2028-03-01", "T-1", 2028),  # this year's (late) payment
        ("村民0", number, "400", "2028-03-02", "T-2", "2026年度"),  # a missed year: a back-payment
        ("村民1", Person.get_by_id(paid_up).id_number, 400, "2028-03-02", "T-3", 2027),  # insured then
    ]
    path = _payments_file(tmp_path / "税务回传.xlsx", rows, year_column=True)
    plan = importing.plan("payments", path, year=2028)
    assert (len(plan.new), len(plan.rejected)) == (2, 1)
    assert "另行导入" in plan.rejected[0].reason
    assert any("补缴2026年度" in w.reason for w in plan.warnings)
    importing.apply(plan)
    assert continuity.repaired_years([who]) == {who: {2026}}
    assert Enrollment.get((Enrollment.person == who) & (Enrollment.year == 2026)).status == "unpaid"
    assert Enrollment.get((Enrollment.person == who) & (Enrollment.year == 2028)).status == "paid"
    assert late(2028, who).waiting_months == 4  # B = 3, P = 1
    again = importing.plan("payments", path, year=2028)  # the same feedback again: already there
    assert (len(again.new), again.unchanged) == (0, 2)


def test_a_payments_file_for_the_missed_year_is_back_payments(years, tmp_path):
    """``--year`` of the missed year: rows paid after it are back-payments of it."""
    who = years["村民2"]
    number = Person.get_by_id(who).id_number
    path = _payments_file(tmp_path / "补缴.xlsx", [("村民2", number, "400", "2026-05-01", "", 0)], year_column=False)
    plan = importing.plan("payments", path, year=2025)
    importing.apply(plan)
    assert continuity.repaired_years([who]) == {who: {2025}}
    assert Enrollment.get((Enrollment.person == who) & (Enrollment.year == 2025)).paid_fen == 0
    wrong = _payments_file(tmp_path / "错.xlsx", [("村民3", Person.get_by_id(years["村民3"]).id_number, "350",
                                                   "2026-05-01", "", 0)], year_column=False)
    refused = importing.plan("payments", wrong, year=2025)
    assert not refused.new and "400.00元" in refused.rejected[0].reason


def test_backpay_command(years, ledger_path, capsys):
    who = Person.get_by_id(years["村民0"])
    close_database()
    try:
        args = ["--db", str(ledger_path), "backpay", who.id_number, "--year", "2025", "--amount", "400",
                "--date", "2026-03-01", "--voucher", "C-1"]
        assert main(args) == 0
        assert "2025年度 400.00元" in capsys.readouterr().out
        assert main(args) == 1
        assert "已经补缴过了" in capsys.readouterr().err
        assert main(["--db", str(ledger_path), "backpay", who.id_number, "--year", "2026", "--amount", "400",
                     "--date", "2026-03-01"]) == 1
        assert "还没有过完" in capsys.readouterr().err
    finally:
        open_database(ledger_path)
    assert continuity.repaired_years([who.id]) == {who.id: {2025}}


def test_unknown_person_and_year_without_policy(years):
    with pytest.raises(ServiceError, match="没有身份证号"):
        backpay.person_by_id_number(make_id_number("431199", dt.date(1999, 1, 1), 5))
    refusal = backpay.check_backpay(BackPaymentInput(years["村民0"], 2032, STANDARD, dt.date(2033, 1, 5)))
    assert refusal is not None and "还没有载入政策" in refusal
