"""At the desk: an overpayment is refused beside the amount, an impossible date beside the date,
and nothing is written (issue 16, item 3)."""

from pathlib import Path

from PySide6.QtCore import QDate

from desktop_app.services import households
from desktop_app.store.models import Enrollment, Payment, PolicyYear
from desktop_app.ui.app import make_application
from desktop_app.ui.payment_dialog import PaymentDialog

YEAR = 2025


def _unpaid_at_standard() -> Enrollment:
    """A person who owes the whole standard (400 yuan in the shipped 2025 policy)."""
    standard = PolicyYear.get_by_id(YEAR).standard_fen
    return Enrollment.select().where((Enrollment.year == YEAR) & (Enrollment.status == "unpaid")
                                     & (Enrollment.due_fen == standard) & (Enrollment.paid_fen == 0)).first()


def _dialog(qtbot, enrollment: Enrollment, *, whole_household: bool = False) -> PaymentDialog:
    make_application()  # in Chinese, as at the desk
    household = households.find_household_by_number(enrollment.person.household.number)
    member = next(m for m in households.household_members(household.id, YEAR) if m.person_id == enrollment.person_id)
    dialog = PaymentDialog(household, YEAR, None if whole_household else member)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _payments(enrollment: Enrollment) -> int:
    return Payment.select().where((Payment.person == enrollment.person_id) & (Payment.year == YEAR)).count()


def test_9999_where_400_is_owed_is_refused_and_no_refund_appears(qtbot, demo_ledger):
    owes = _unpaid_at_standard()
    assert (owes.standard_fen, owes.due_fen) == (40000, 40000)
    dialog = _dialog(qtbot, owes)
    dialog.amount.setText("9999")
    assert not dialog.submit(confirm=True)
    assert "请核对金额" in dialog.amount_error.text()
    after = Enrollment.get_by_id(owes.id)
    assert _payments(owes) == 0 and (after.paid_fen, after.status) == (0, "unpaid")


def test_a_date_in_the_future_or_before_the_collection_is_refused_beside_the_date(qtbot, demo_ledger):
    owes = _unpaid_at_standard()
    dialog = _dialog(qtbot, owes)
    dialog.date.setDate(QDate(2031, 10, 2))
    assert not dialog.submit()
    assert "2031-10-02" in dialog.date_error.text() and "今天" in dialog.date_error.text()
    assert dialog.amount_error.text() == "" and dialog.error.text() == ""
    dialog.date.setDate(QDate(2019, 10, 2))
    assert not dialog.submit()
    assert "集中征缴期2024-09-01才开始" in dialog.date_error.text()
    Path("/tmp/desk-safety").mkdir(parents=True, exist_ok=True)
    dialog.grab().save("/tmp/desk-safety/payment-date-refused.png")
    line = dialog.date_error
    assert line.height() >= line.heightForWidth(line.width())  # the whole reason shows, not cut
    assert _payments(owes) == 0
    dialog.date.setDate(QDate(2024, 10, 2))
    assert dialog.submit()
    assert _payments(owes) == 1 and dialog.date_error.text() == ""


def test_a_household_payment_with_an_impossible_date_writes_nothing(qtbot, demo_ledger):
    owes = _unpaid_at_standard()
    dialog = _dialog(qtbot, owes, whole_household=True)
    dialog.date.setDate(QDate.currentDate().addDays(1))
    assert not dialog.submit()
    assert "之后" in dialog.date_error.text()
    assert _payments(owes) == 0
