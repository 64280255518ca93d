"""Operators at the window: the first administrator, log-in, the idle lock, the audit trail."""

import datetime as dt

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop_app.services import access, operators, payments
from desktop_app.store.models import AuditEntry, Enrollment, Person
from desktop_app.ui.app import make_application
from desktop_app.ui.audit_dialog import AuditDialog
from desktop_app.ui.login import FirstAdministratorDialog, IdleLock, LoginDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings_dialog import SettingsDialog


def test_first_start_creates_the_administrator_and_logs_in(qtbot, ledger):
    make_application()
    assert operators.needs_first_administrator()
    dialog = FirstAdministratorDialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("王站长")
    dialog.password.setText("admin-pass")
    dialog.repeat.setText("admin-pas")
    assert not dialog.submit() and dialog.error.text()
    dialog.repeat.setText("admin-pass")
    assert dialog.submit()
    assert access.current().name == "王站长" and access.current().is_admin
    assert not operators.needs_first_administrator()


def test_log_in_refuses_a_wrong_password(qtbot, ledger):
    make_application()
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    dialog.name.setCurrentText("王站长")
    dialog.password.setText("nope")
    assert not dialog.try_log_in() and "不对" in dialog.error.text()
    dialog.password.setText("admin-pass")
    assert dialog.try_log_in() and access.current().name == "王站长"


def test_idle_window_locks_and_asks_for_the_password(qtbot, demo_ledger, ledger_path):
    make_application()
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")
    window = MainWindow(ledger_path)
    qtbot.addWidget(window)
    window.show()
    assert "王站长" in window.windowTitle()
    lock = IdleLock(window, minutes=0.002)  # 120 ms for the test
    with qtbot.waitSignal(lock.locked, timeout=5000):
        pass
    assert not window.isEnabled() and lock.dialog is not None
    lock.dialog.password.setText("wrong-one")
    assert not lock.dialog.try_log_in()
    assert not window.isEnabled()
    lock.dialog.password.setText("admin-pass")
    with qtbot.waitSignal(lock.unlocked, timeout=5000):
        lock.dialog.try_log_in()
    assert window.isEnabled()


def test_audit_trail_per_person_and_exported(qtbot, demo_ledger, tmp_path):
    make_application()
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    paid = payments.record_payment(payments.PaymentInput(unpaid.person_id, 2025, unpaid.due_fen, dt.date(2024, 10, 1)))
    payments.reverse_payment(paid.id, "录错")
    mine = AuditDialog(person_id=unpaid.person_id)
    qtbot.addWidget(mine)
    action = mine.model.COLUMNS.index("what")
    actions = [mine.model.index(r, action).data() for r in range(mine.model.rowCount())]
    assert actions == ["冲正缴费", "登记缴费"]
    assert not (mine.model.flags(mine.model.index(0, 0)) & mine.model.flags(mine.model.index(0, 0)).ItemIsEditable)
    whole = AuditDialog()
    qtbot.addWidget(whole)
    assert whole.model.rowCount() == AuditEntry.select().count()
    out = tmp_path / "trail.xlsx"
    with qtbot.waitSignal(whole.exported, timeout=20000):
        whole.export(out)
    sheet = load_workbook(out).worksheets[0]
    assert sheet.max_row >= AuditEntry.select().count() + 2


def test_settings_cannot_rename_the_operator_the_trail_records(qtbot, demo_ledger, ledger_path):
    """设置 used to hold an operator name that replaced the logged-in operator in the trail."""
    make_application()
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")
    before = AuditEntry.select().count()
    dialog = SettingsDialog(ledger_path)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLineEdit, "settingsOperator") is None
    dialog.township.setText("青山镇（改）")
    assert dialog.submit()
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    payments.record_payment(payments.PaymentInput(unpaid.person_id, 2025, unpaid.due_fen, dt.date(2024, 10, 1)))
    newest = list(AuditEntry.select().order_by(AuditEntry.id).offset(before))
    assert [e.table for e in newest] == ["region", "payment"]  # the township renamed, the payment
    assert {(e.operator, e.source) for e in newest} == {("王站长", "gui")}
    window = MainWindow(ledger_path)
    qtbot.addWidget(window)
    assert window.windowTitle().endswith("王站长")


def test_the_trail_shows_where_an_entry_came_from_and_who_was_logged_in(qtbot, ledger):
    make_application()
    operators.create_operator("王站长", "admin-pass", access.ADMIN)  # nobody logged in yet
    dialog = AuditDialog()
    qtbot.addWidget(dialog)
    columns = dialog.model.COLUMNS
    row = [dialog.model.index(0, c).data() for c in range(len(columns))]
    assert row[columns.index("source")] == "窗口"
    assert row[columns.index("who")] == "（未登录）"


def test_the_trail_dialog_speaks_chinese(qtbot, demo_ledger, tmp_path):
    """Issue 16: 时间、操作员、来源、操作、对象、内容, the person by name and household, no JSON."""
    make_application()
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    payments.record_payment(payments.PaymentInput(unpaid.person_id, 2025, 40000, dt.date(2024, 10, 1)))
    person = Person.get_by_id(unpaid.person_id)
    dialog = AuditDialog()
    qtbot.addWidget(dialog)
    model = dialog.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["时间", "操作员", "来源", "操作", "对象", "内容"]
    newest = [model.index(0, c).data() for c in range(model.columnCount())]
    assert newest[1:5] == ["王站长", "窗口", "登记缴费", f"{person.name}（户号 {person.household.number}）"]
    assert "金额：400.00元" in newest[5] and "{" not in newest[5]
    dialog.resize(1100, 520)
    dialog.show()
    assert dialog.grab().save(str(tmp_path / "audit_dialog.png"))  # to look at: the columns fit
