"""Policy years, recompute and check --charges on real ledgers."""

import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.domain.policy import CategoryRule as RuleSpec
from desktop_app.domain.policy import Policy, PolicyError, WaitingRules
from desktop_app.domain.vocabulary import Status
from desktop_app.resources import resource
from desktop_app.services import categories, charges, payments, policy_load
from desktop_app.services import policy as policy_service
from desktop_app.services.ledger import ServiceError
from desktop_app.store.models import (
    AuditEntry,
    CategoryRule,
    Enrollment,
    Payment,
    PolicyYear,
    db,
)
from tests.policy_files import later_policy

POLICY_2025 = resource("policies", "2025.toml")


def _snapshot(year: int) -> list[tuple]:
    return db.execute_sql(
        "SELECT person_id, status, applied_category, standard_fen, subsidy_fen, due_fen, paid_fen,"
        " collection_mode FROM enrollment WHERE year = ? ORDER BY person_id",
        (year,),
    ).fetchall()


def _policy_rows(year: int) -> list[tuple]:
    return db.execute_sql(
        "SELECT p.standard_fen, r.code, r.mode, r.amount_fen, r.percent FROM policy_year p"
        " JOIN category_rule r ON r.year = p.year WHERE p.year = ? ORDER BY r.position",
        (year,),
    ).fetchall()


def _write_policy(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _variant_2025(dibao_yuan: int) -> str:
    return POLICY_2025.read_text(encoding="utf-8").replace("amount = 200", f"amount = {dibao_yuan}", 1)


def test_loading_another_year_leaves_the_earlier_year_untouched(demo_ledger, tmp_path):
    before_rows, before_policy = _snapshot(2025), _policy_rows(2025)
    result = policy_load.load_policy(resource("policies", "2024.toml"))
    assert result.year == 2024 and not result.replaced
    assert _snapshot(2025) == before_rows
    assert _policy_rows(2025) == before_policy
    # DOMAIN.md §10: a person belongs to the loaded years from the year they were added; the
    # demo's persons were added for 2025, so an earlier year loaded afterwards enrolls none
    assert result.enrollments_created == 0
    assert Enrollment.select().where(Enrollment.year == 2024).count() == 0


def test_reloading_a_year_replaces_it_and_recomputes(demo_ledger, tmp_path):
    dibao = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.applied_category == "dibao")).first()
    assert dibao.due_fen == 20000 and dibao.collection_mode == "difference"
    result = policy_load.load_policy(_write_policy(tmp_path, _variant_2025(320)))
    assert result.replaced and result.enrollments_changed > 0
    dibao = Enrollment.get_by_id(dibao.id)
    assert (dibao.subsidy_fen, dibao.due_fen) == (32000, 8000)
    entry = AuditEntry.select().where(AuditEntry.table == "policy_year").order_by(AuditEntry.id.desc()).first()
    assert entry.action == "replace" and "amount = 320" in entry.new_value
    assert charges.verify([2025]) == []


@pytest.mark.parametrize(
    ("change", "line_word"),
    [
        (lambda t: t.replace('mode = "fixed"', 'mode = "half"', 1), "第"),
        (lambda t: t.replace("amount = 200", "amount = -5", 1), "第"),
        (lambda t: t.replace("standard = 400", "standard = 400\nextra = 1", 1), "第"),
        (lambda t: t.replace("collection_start = 2024-09-01", "collection_start = 2024-13-01", 1), "第"),
    ],
)
def test_a_bad_policy_file_is_refused_and_changes_nothing(demo_ledger, tmp_path, change, line_word):
    before_rows, before_policy = _snapshot(2025), _policy_rows(2025)
    audits = AuditEntry.select().count()
    bad = _write_policy(tmp_path, change(_variant_2025(320)))
    with pytest.raises(PolicyError) as info:
        policy_load.load_policy(bad)
    assert info.value.line is not None and line_word in info.value.message
    assert _snapshot(2025) == before_rows and _policy_rows(2025) == before_policy
    assert AuditEntry.select().count() == audits


def test_a_category_change_recomputes_that_person(demo_ledger):
    ordinary = Enrollment.select().where(
        (Enrollment.year == 2025) & (Enrollment.status == "unpaid") & Enrollment.applied_category.is_null()
    ).first()
    assert ordinary.due_fen == 40000
    assert categories.set_category(ordinary.person_id, 2025, "dibao", "民政2025年1月低保名单")
    changed = Enrollment.get_by_id(ordinary.id)
    assert (changed.applied_category, changed.due_fen, changed.collection_mode) == ("dibao", 20000, "difference")
    assert categories.set_category(ordinary.person_id, 2025, "tekun", "民政特困名单")
    changed = Enrollment.get_by_id(ordinary.id)
    assert (changed.applied_category, changed.due_fen, changed.status) == ("tekun", 0, "exempt")
    assert categories.end_category(ordinary.person_id, 2025, "tekun", dt.date(2025, 3, 1))
    assert Enrollment.get_by_id(ordinary.id).applied_category == "dibao"
    with pytest.raises(ServiceError, match="没有“martian”"):
        categories.set_category(ordinary.person_id, 2025, "martian")
    assert charges.verify([2025]) == []


def test_a_payment_recomputes_and_is_never_taken_twice(demo_ledger):
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    money = payments.PaymentInput(unpaid.person_id, 2025, unpaid.due_fen, dt.date(2024, 11, 2), "银行", "YH001")
    first = payments.record_payment(money)
    paid = Enrollment.get_by_id(unpaid.id)
    assert (paid.status, paid.paid_fen, paid.paid_on) == ("paid", unpaid.due_fen, dt.date(2024, 11, 2))
    with pytest.raises(ServiceError, match="不能重复缴费"):
        payments.record_payment(money)
    payments.reverse_payment(first.id, "录错了人")
    back = Enrollment.get_by_id(unpaid.id)
    assert (back.status, back.paid_fen, back.paid_on) == ("unpaid", 0, None)
    history = payments.payments_of(unpaid.person_id, 2025)
    assert [p.amount_fen for p in history] == [unpaid.due_fen, -unpaid.due_fen]
    with pytest.raises(ServiceError, match="已经冲正"):
        payments.reverse_payment(first.id, "again")
    assert charges.verify([2025]) == []


def test_recorded_statuses_survive_recompute_and_carry_into_a_new_year(demo_ledger, tmp_path):
    employee = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "employee")).first()
    policy_load.load_policy(later_policy(tmp_path, 2026))
    next_year = Enrollment.get((Enrollment.person == employee.person_id) & (Enrollment.year == 2026))
    assert next_year.status == Status.EMPLOYEE.value and next_year.status_reason == employee.status_reason
    assert charges.recompute(2025) == 0


def test_verify_finds_a_tampered_amount(demo_ledger):
    row = Enrollment.select().where(Enrollment.year == 2025).first()
    db.execute_sql("UPDATE enrollment SET due_fen = due_fen + 1 WHERE id = ?", (row.id,))
    found = charges.verify()
    assert [(d.enrollment_id, d.field) for d in found] == [(row.id, "due_fen")]
    assert charges.recompute(2025) == 1
    assert charges.verify() == []


def test_cli_policy_load_show_and_check_charges(tmp_path):
    db_path = str(tmp_path / "x.sqlite")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "desktop_app", "--db", db_path, *args],
                              capture_output=True, text=True, timeout=120)

    assert run("demo", "--persons", "300").returncode == 0
    loaded = run("policy", "load", str(resource("policies", "2024.toml")))
    assert loaded.returncode == 0, loaded.stderr
    assert "policy 2024 loaded" in loaded.stdout
    shown = run("policy", "show", "--year", "2025")
    assert shown.returncode == 0 and "低保对象" in shown.stdout and "差额征缴" in shown.stdout
    assert "200.00" in shown.stdout
    assert run("check", "--charges").returncode == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('year = 2026\nstandard = 400\ncollection_start = 2025-09-01\n'
                   'collection_end = 2025-12-31\n[categories.dibao]\nname = "低保对象"\nmode = "half"\n',
                   encoding="utf-8")
    refused = run("policy", "load", str(bad))
    assert refused.returncode == 1 and "第7行" in refused.stderr
    assert "2026" not in run("policy", "show").stdout
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE enrollment SET subsidy_fen = 1 WHERE id = 1")
    conn.commit()
    conn.close()
    tampered = run("check", "--charges")
    assert tampered.returncode == 1 and "subsidy_fen" in tampered.stderr


def test_payment_for_a_person_without_enrollment_is_refused(ledger):
    with pytest.raises(ServiceError, match="找不到"):
        payments.record_payment(payments.PaymentInput(42, 2025, 100, dt.date(2025, 1, 1)))
    assert Payment.select().count() == 0 and PolicyYear.select().count() == 0 and CategoryRule.select().count() == 0


def test_a_stored_policy_reads_back_whole_with_every_field_mapped(ledger):
    """store_policy and policy_for_year share one column table: a policy with no default left
    (waiting numbers, exempt groups, each subsidy mode) comes back equal, and every field of the
    domain's dataclasses and every column of the two tables is in the table, so a field added to
    one side and not the other fails here instead of being dropped silently."""
    stored = Policy(
        year=2031, standard_fen=41_000, collection_start=dt.date(2030, 9, 15), collection_end=dt.date(2031, 2, 28),
        categories={
            "tekun": RuleSpec("tekun", "特困人员", "full"),
            "dibao": RuleSpec("dibao", "低保对象", "fixed", amount_fen=23_000),
            "jiance": RuleSpec("jiance", "监测对象", "ratio", percent=55),
        },
        waiting=WaitingRules(fixed_months=4, months_per_break_year=2, months_repaid_per_year=3,
                             floor_after_years=5, floor_months=7, exempt_categories=("tekun", "jiance")),
    )
    with db.atomic():
        policy_service.store_policy(stored)
    assert policy_service.policy_for_year(2031) == stored
    assert list(policy_service.policy_for_year(2031).categories) == ["tekun", "dibao", "jiance"]

    # warnings are the file check's words at load time, never stored
    policy_fields = {f.name for f in dataclasses.fields(Policy)} - {"categories", "waiting", "warnings"}
    assert set(policy_service._POLICY_COLUMNS) == policy_fields
    assert set(policy_service._WAITING_COLUMNS) == {f.name for f in dataclasses.fields(WaitingRules)} - {
        "exempt_categories"}
    assert set(policy_service._RULE_COLUMNS) == {f.name for f in dataclasses.fields(RuleSpec)}
    year_columns = {f.name for f in PolicyYear._meta.sorted_fields} - {"source_text", "loaded_at",
                                                                        "waiting_exempt_categories"}
    assert year_columns == set(policy_service._POLICY_COLUMNS) | {
        f"waiting_{name}" for name in policy_service._WAITING_COLUMNS}
    rule_columns = {f.name for f in CategoryRule._meta.sorted_fields} - {"id", "policy", "position"}
    assert rule_columns == set(policy_service._RULE_COLUMNS)
