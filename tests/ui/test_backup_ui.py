"""Backup and restore from the window: an encrypted copy to a 'stick', then back."""

import datetime as dt

from desktop_app.services import payments
from desktop_app.store.models import Enrollment, Payment
from desktop_app.ui.app import make_application
from desktop_app.ui.backup_dialog import BackupDialog, RestoreDialog
from desktop_app.ui.main_window import MainWindow


def test_encrypted_backup_to_a_stick_then_restore(qtbot, demo_ledger, ledger_path, tmp_path):
    make_application()
    window = MainWindow(ledger_path)
    qtbot.addWidget(window)
    window.show()
    stick = tmp_path / "usb"
    stick.mkdir()
    dialog = BackupDialog(window)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(stick))
    assert dialog.start() is None and "密码" in dialog.status.text()  # a stick needs a password
    dialog.password.setText("stick-pass")
    dialog.repeat.setText("stick-pass")
    with qtbot.waitSignal(dialog.done, timeout=30000) as done:
        dialog.start()
    copy = done.args[0].path
    assert copy.parent == stick and done.args[0].encrypted
    payments_before = Payment.select().count()
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    payments.record_payment(payments.PaymentInput(unpaid.person_id, 2025, unpaid.due_fen, dt.date(2024, 10, 1)))
    assert Payment.select().count() == payments_before + 1

    restore = RestoreDialog(window)
    qtbot.addWidget(restore)
    restore.file.setText(str(copy))
    restore.password.setText("wrong")
    assert not restore.check() and "密码" in restore.facts.text()
    restore.password.setText("stick-pass")
    assert restore.check() and "500" in restore.facts.text()
    with qtbot.waitSignal(restore.restored, timeout=30000):
        restore.start(confirm=False)
    assert Payment.select().count() == payments_before
    assert window.isEnabled() and window.person_model.rowCount() > 0
