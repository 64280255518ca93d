"""The desk's side of DOMAIN.md section 10 and of roles: the payment dialog's verdicts, 设置 for a clerk."""

from desktop_app.services import access, households, ledger, operators
from desktop_app.store.models import Enrollment, Payment, Region
from desktop_app.ui.payment_dialog import PaymentDialog
from desktop_app.ui.settings_dialog import SettingsDialog


def _dialog(qtbot, enrollment: Enrollment) -> PaymentDialog:
    household = households.find_household_by_number(enrollment.person.household.number)
    member = next(m for m in households.household_members(household.id, 2025) if m.person_id == enrollment.person_id)
    dialog = PaymentDialog(household, 2025, member)
    qtbot.addWidget(dialog)
    return dialog


def _payments_of(enrollment: Enrollment) -> int:
    return Payment.select().where((Payment.person == enrollment.person_id) & (Payment.year == 2025)).count()


def test_an_absurd_amount_is_refused_beside_the_field(qtbot, demo_ledger):
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    dialog = _dialog(qtbot, unpaid)
    dialog.amount.setText("40000")  # 400 typed with two zeros too many
    assert not dialog.submit()
    assert "10倍" in dialog.amount_error.text() and dialog.error.text() == ""
    assert _payments_of(unpaid) == 0
    dialog.amount.setText(f"{unpaid.due_fen / 100:.2f}")
    assert dialog.submit()
    assert Enrollment.get_by_id(unpaid.id).status == "paid"


def test_a_payment_from_an_exempt_person_is_recorded_only_when_confirmed(qtbot, demo_ledger):
    exempt = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "exempt")
                                       & (Enrollment.paid_fen == 0)).first()
    dialog = _dialog(qtbot, exempt)
    dialog.amount.setText(f"{exempt.standard_fen // 100}")
    assert not dialog.submit(confirm=False)  # the clerk answered No
    assert _payments_of(exempt) == 0
    assert dialog.submit(confirm=True)
    after = Enrollment.get_by_id(exempt.id)
    assert (after.status, after.paid_fen - after.due_fen) == ("exempt", exempt.standard_fen)  # 应退


def test_settings_for_a_clerk_change_nothing_in_the_ledger(qtbot, demo_ledger, ledger_path):
    village = Region.select().where(Region.level == "village").first()
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")
    operators.create_operator("小李", "clerk-pass", access.CLERK, [village.name])
    operators.log_in("小李", "clerk-pass")
    town = ledger.township()
    dialog = SettingsDialog(ledger_path)
    qtbot.addWidget(dialog)
    assert not dialog.township.isEnabled() and not dialog.code.isEnabled() and not dialog.year.isEnabled()
    assert not dialog.admin_only.isHidden()
    assert dialog.submit()  # the language alone: nothing in the ledger to refuse
    dialog = SettingsDialog(ledger_path)
    qtbot.addWidget(dialog)
    dialog.township.setText("别的镇")  # were the field ever editable, the service still refuses
    assert not dialog.submit() and "管理员" in dialog.error.text()
    assert ledger.township().name == town.name


def test_a_clerk_is_not_offered_the_import(qtbot, demo_ledger, ledger_path, open_window):
    """Imports are an administrator's (and a corrected column mapping is a ledger setting that
    later imports of that layout follow): a clerk's window does not offer them."""
    village = Region.select().where(Region.level == "village").first()
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")
    operators.create_operator("小李", "clerk-pass", access.CLERK, [village.name])
    operators.log_in("小李", "clerk-pass")
    window = open_window(ledger_path)
    assert not window.import_action.isEnabled()
    assert window.settings_action.isEnabled()  # their language is theirs to choose
