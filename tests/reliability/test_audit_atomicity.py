"""Each service operation writes its 操作日志 entry in the same transaction as the change.

An audit insert that fails (a temporary trigger makes SQLite refuse it) must take the change
down with it: the ledger afterwards is equal, row for row, to the ledger before. And an
operation that succeeds leaves exactly one new audit entry, naming the record it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import peewee
import pytest

from desktop_app.resources import resource
from desktop_app.services import categories, ledger, payments
from desktop_app.services import policy_load
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import AuditEntry, CategoryMembership, Enrollment, db
from tests.reliability.helpers import dump, unpaid_inputs

REFUSE_AUDIT = """CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON main.audit_entry
BEGIN SELECT RAISE(ABORT, 'audit entry refused by the test'); END"""


def _policy_variant(tmp_path: Path) -> Path:
    text = resource("policies", "2025.toml").read_text(encoding="utf-8")
    path = tmp_path / "2025-variant.toml"
    path.write_text(text.replace("amount = 200", "amount = 260", 1), encoding="utf-8")
    return path


def _person_without(code: str, year: int = 2025) -> int:
    holders = CategoryMembership.select(CategoryMembership.person).where(
        (CategoryMembership.year == year) & (CategoryMembership.category == code)
    )
    row = (
        Enrollment.select()
        .where(
            (Enrollment.year == year)
            & ~Enrollment.person.in_(holders)
            & (Enrollment.status == "unpaid")
        )
        .first()
    )
    return row.person_id


def _person_with(code: str, year: int = 2025) -> int:
    row = (
        CategoryMembership.select()
        .where(
            (CategoryMembership.year == year)
            & (CategoryMembership.category == code)
            & CategoryMembership.ended_on.is_null()
        )
        .first()
    )
    return row.person_id


def _op_record_payment(
    tmp_path: Path,
) -> tuple[Callable[[], object], Callable[[object], tuple[str, str]]]:
    payment = unpaid_inputs(1)[0]
    return (lambda: payments.record_payment(payment)), (lambda made: ("payment", str(made.id)))


def _op_reverse_payment(tmp_path: Path):
    made = payments.record_payment(unpaid_inputs(1)[0])
    return (lambda: payments.reverse_payment(made.id, "录错了金额", dt.date(2024, 10, 9))), (
        lambda _reversal: ("payment", str(made.id))
    )


def _op_set_category(tmp_path: Path):
    person = _person_without("dibao")

    def run():
        assert categories.set_category(
            person, 2025, "dibao", "民政2024年10月名单", dt.date(2024, 10, 1)
        )
        return CategoryMembership.get(
            (CategoryMembership.person == person)
            & (CategoryMembership.year == 2025)
            & (CategoryMembership.category == "dibao")
        )

    return run, (lambda membership: ("category_membership", str(membership.id)))


def _op_end_category(tmp_path: Path):
    person = _person_with("dibao")
    membership = CategoryMembership.get(
        (CategoryMembership.person == person)
        & (CategoryMembership.year == 2025)
        & (CategoryMembership.category == "dibao")
    )

    def run():
        assert categories.end_category(person, 2025, "dibao", dt.date(2024, 11, 1), "民政取消名单")

    return run, (lambda _none: ("category_membership", str(membership.id)))


def _op_load_policy(tmp_path: Path):
    path = _policy_variant(tmp_path)
    return (lambda: policy_load.load_policy(path)), (
        lambda result: ("policy_year", str(result.year))
    )


def _op_set_township(tmp_path: Path):
    return (lambda: ledger.set_township("青山镇（新名）", "431199102")), (
        lambda town: ("region", str(town.id))
    )


OPERATIONS = {
    "record_payment": _op_record_payment,
    "reverse_payment": _op_reverse_payment,
    "set_category": _op_set_category,
    "end_category": _op_end_category,
    "load_policy": _op_load_policy,
    "set_township": _op_set_township,
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_a_refused_audit_entry_rolls_the_change_back(demo_ledger, tmp_path, name):
    run, _names = OPERATIONS[name](tmp_path)
    conn = db.connection()
    before = dump(conn)
    conn.execute(REFUSE_AUDIT)
    try:
        with pytest.raises((peewee.IntegrityError, peewee.DatabaseError)) as caught:
            run()
        assert "audit entry refused" in str(caught.value)
    finally:
        conn.execute("DROP TRIGGER refuse_audit")
    assert not db.in_transaction()
    assert dump(conn) == before, f"{name} kept part of its change without its audit entry"


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_a_successful_operation_writes_exactly_one_entry_naming_its_record(
    demo_ledger, tmp_path, name
):
    run, names = OPERATIONS[name](tmp_path)
    conn = db.connection()
    before = dump(conn)
    last = AuditEntry.select(peewee.fn.MAX(AuditEntry.id)).scalar() or 0
    result = run()
    # the copy made before a policy load is an operation of its own, recorded on its own
    new = list(AuditEntry.select().where((AuditEntry.id > last) & (AuditEntry.action != "backup")))
    assert len(new) == 1, [(e.action, e.table, e.record_id) for e in new]
    assert (new[0].table, new[0].record_id) == names(result)
    after = dump(conn)
    changed = {table for table in after if after[table] != before.get(table)}
    assert changed - {"audit_entry"}, f"{name} changed nothing but the log"


def test_naming_the_township_for_the_first_time_is_atomic_too(ledger_path):
    """set_township on a ledger without one creates it and moves the villages under it."""
    open_database(ledger_path)  # (the ``ledger`` fixture's name is taken by the module here)
    try:
        ledger.village("东坪村")
        conn = db.connection()
        before = dump(conn)
        conn.execute(REFUSE_AUDIT)
        try:
            with pytest.raises(peewee.DatabaseError, match="audit entry refused"):
                ledger.set_township("青山镇", "431199101")
        finally:
            conn.execute("DROP TRIGGER refuse_audit")
        assert dump(conn) == before
        last = AuditEntry.select(peewee.fn.MAX(AuditEntry.id)).scalar() or 0
        town = ledger.set_township("青山镇", "431199101")
        new = list(AuditEntry.select().where(AuditEntry.id > last))
        assert [(e.table, e.record_id) for e in new] == [("region", str(town.id))]
    finally:
        close_database()
