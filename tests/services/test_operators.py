"""Operators: scrypt hashes, log-in, slowing guesses, and what clerks may do."""

import datetime as dt

import pytest

from desktop_app.services import access, operators, payments
from desktop_app.services.household_work import set_status
from desktop_app.services.ledger import ServiceError
from desktop_app.services.policy_load import load_policy
from desktop_app.resources import resource
from desktop_app.store.models import AuditEntry, Enrollment, Operator, Region


def test_passwords_are_stored_as_scrypt_hashes_only(ledger):
    operators.create_operator("王站长", "secret-123", access.ADMIN)
    stored = Operator.get(Operator.name == "王站长").password_hash
    assert stored.startswith("scrypt$") and "secret-123" not in stored
    assert operators.verify_password("secret-123", stored) and not operators.verify_password("secret-124", stored)
    assert operators.hash_password("x" * 8) != operators.hash_password("x" * 8)  # salted


def test_first_operator_must_be_admin_and_later_ones_need_one(demo_ledger):
    with pytest.raises(ServiceError, match="管理员"):
        operators.create_operator("小李", "123456", access.CLERK)
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    clerk_village = Region.select().where(Region.level == "village").first()
    operators.log_in("王站长", "admin-pass")
    operators.create_operator("小李", "clerk-pass", access.CLERK, [clerk_village.name])
    session = operators.log_in("小李", "clerk-pass")
    assert session.role == access.CLERK and session.village_ids == {clerk_village.id}
    with pytest.raises(access.AccessDenied):
        operators.create_operator("小张", "123456", access.CLERK)


def test_five_wrong_passwords_slow_the_next_tries(ledger):
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    now = dt.datetime(2026, 11, 23, 9, 0)
    for attempt in range(4):
        with pytest.raises(operators.LoginRefused) as refused:
            operators.log_in("王站长", "wrong", now=now)
        assert refused.value.wait_seconds == 0
    with pytest.raises(operators.LoginRefused) as refused:
        operators.log_in("王站长", "wrong", now=now)
    assert refused.value.wait_seconds == operators.LOCK_SECONDS
    with pytest.raises(operators.LoginRefused, match="秒后再试"):
        operators.log_in("王站长", "admin-pass", now=now + dt.timedelta(seconds=5))  # even the right one waits
    assert operators.log_in("王站长", "admin-pass", now=now + dt.timedelta(seconds=31)).name == "王站长"
    assert AuditEntry.select().where(AuditEntry.action == "login-failed").count() == 5


def test_clerks_work_only_in_their_villages_and_cannot_load_policy(demo_ledger):
    villages = list(Region.select().where(Region.level == "village").order_by(Region.id))
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")
    operators.create_operator("小李", "clerk-pass", access.CLERK, [villages[0].name])
    operators.log_in("小李", "clerk-pass")
    mine = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")
                                     & (Enrollment.village == villages[0])).first()
    other = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")
                                      & (Enrollment.village == villages[1])).first()
    payments.record_payment(payments.PaymentInput(mine.person_id, 2025, mine.due_fen, dt.date(2024, 10, 1)))
    with pytest.raises(access.AccessDenied, match="其他村"):
        payments.record_payment(payments.PaymentInput(other.person_id, 2025, other.due_fen, dt.date(2024, 10, 1)))
    with pytest.raises(access.AccessDenied):
        set_status(other.person_id, 2025, "employee", "x")
    with pytest.raises(access.AccessDenied, match="管理员"):
        load_policy(resource("policies", "2024.toml"))
    assert Enrollment.get_by_id(other.id).status == "unpaid"
