"""The last active administrator can be neither stopped nor made a clerk; whoever holds the
ledger file gets an administrator back with ``reset_admin`` (issue 16, item 2)."""

import datetime as dt

import pytest

from desktop_app.services import access, operators
from desktop_app.services.ledger import ServiceError
from desktop_app.store.models import AuditEntry, Operator


def _admin(ledger_name="王站长", password="admin-pass") -> int:
    operator_id = operators.create_operator(ledger_name, password, access.ADMIN)
    operators.log_in(ledger_name, password)
    return operator_id


def test_the_only_administrator_cannot_stop_his_own_account(ledger):
    admin = _admin()
    with pytest.raises(ServiceError, match="唯一在用的管理员"):
        operators.set_active(admin, False)
    assert Operator.get_by_id(admin).active
    assert AuditEntry.select().where(AuditEntry.action == "denied").count() == 1
    operators.log_in("王站长", "admin-pass")  # he still gets in


def test_the_only_administrator_cannot_be_made_a_clerk(ledger):
    admin = _admin()
    with pytest.raises(ServiceError, match="唯一在用的管理员"):
        operators.set_role(admin, access.CLERK)
    assert Operator.get_by_id(admin).role == access.ADMIN


def test_with_a_second_administrator_either_may_go(ledger):
    first = _admin()
    second = operators.create_operator("李会计", "second-pass", access.ADMIN)
    clerk = operators.create_operator("小李", "clerk-pass", access.CLERK)
    operators.set_active(clerk, False)  # a clerk is never the last administrator
    operators.set_active(first, False)
    with pytest.raises(ServiceError, match="李会计"):  # now the second is the last one
        operators.set_role(second, access.CLERK)
    with pytest.raises(ServiceError):
        operators.set_active(second, False)
    operators.set_active(first, True)
    operators.set_role(second, access.CLERK)
    changes = [e.new_value for e in AuditEntry.select().where((AuditEntry.action == "update")
                                                                & (AuditEntry.table == "operator"))]
    assert any('"role"' in value for value in changes) and any('"active"' in value for value in changes)


def test_reset_admin_restarts_unlocks_and_sets_the_password(ledger):
    admin = _admin()
    second = operators.create_operator("李会计", "second-pass", access.ADMIN)
    operators.set_active(admin, False)
    access.end_session()
    now = dt.datetime.now()
    for _ in range(operators.FREE_ATTEMPTS):
        with pytest.raises(operators.LoginRefused):
            operators.log_in("李会计", "wrong", now=now)
    with pytest.raises(ServiceError, match="2个管理员"):
        operators.reset_admin("new-pass-1")  # which one?
    done = operators.reset_admin("new-pass-1", "王站长")
    assert (done.created, done.reactivated) == (False, True)
    assert operators.log_in("王站长", "new-pass-1").is_admin
    access.end_session()
    assert operators.reset_admin("new-pass-2", "李会计").unlocked
    assert operators.log_in("李会计", "new-pass-2", now=now).operator_id == second
    entries = AuditEntry.select().where(AuditEntry.action == "reset-admin")
    assert entries.count() == 2 and all("new-pass" not in e.new_value for e in entries)


def test_reset_admin_makes_a_new_administrator_but_never_promotes_a_clerk(ledger):
    _admin()
    operators.create_operator("小李", "clerk-pass", access.CLERK)
    access.end_session()
    with pytest.raises(ServiceError, match="经办员"):
        operators.reset_admin("new-pass-1", "小李")
    with pytest.raises(ServiceError, match="至少"):
        operators.reset_admin("short", "赵主任")
    assert operators.reset_admin("new-pass-1", "赵主任").created
    assert operators.log_in("赵主任", "new-pass-1").is_admin


def test_a_clerk_at_the_window_cannot_reset_an_administrator(ledger):
    _admin()
    operators.create_operator("小李", "clerk-pass", access.CLERK)
    operators.log_in("小李", "clerk-pass")
    with pytest.raises(access.AccessDenied):
        operators.reset_admin("new-pass-1", "小李的管理员")
