"""The idle lock hides everything personal; the operators dialog asks before stopping an account
and never stops the last administrator (issue 16, item 2 and the idle lock)."""

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter

from desktop_app.services import access, operators
from desktop_app.store.models import Operator
from desktop_app.ui.app import make_application
from desktop_app.ui.login import IdleLock, LoginDialog, OperatorsDialog
from desktop_app.ui.payment_dialog import PaymentHistoryDialog

SHOTS = Path("/tmp/desk-safety")


def _shot(widget, name: str, pixmap=None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    (pixmap or widget.grab()).save(str(SHOTS / name))


def test_the_lock_covers_the_window_and_hides_the_other_windows(qtbot, demo_ledger, ledger_path, open_window):
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")
    window = open_window(ledger_path)
    window.person_table.selectRow(0)
    member = window.household_panel.selected_member()
    history = PaymentHistoryDialog(member, window.year)  # a window of its own, showing a name
    qtbot.addWidget(history)
    history.show()
    lock = IdleLock(window, minutes=60)
    lock.lock()
    assert lock.dialog is not None and lock.cover is not None
    assert not window.person_table.isVisible() and not window.household_panel.isVisible()
    assert not history.isVisible()
    assert lock.cover.geometry() == window.rect()
    # what is on screen: the grabbed window holds no table text, only the cover's one colour
    image = window.grab().toImage()
    ratio = image.devicePixelRatio()
    background = lock.cover.palette().color(lock.cover.backgroundRole()).rgb()
    text = lock.cover.findChild(type(lock.dialog.error), "lockCoverText").geometry()
    for x in range(5, window.width() - 5, 23):
        for y in range(5, window.height() - 5, 17):
            if not text.contains(QPoint(x, y)):
                assert image.pixel(int(x * ratio), int(y * ratio)) == background, (x, y)
    shot = window.grab()
    painter = QPainter(shot)
    dialog = lock.dialog.grab()
    painter.drawPixmap((shot.width() - dialog.width()) // 2, (shot.height() - dialog.height()) // 2, dialog)
    painter.end()
    _shot(window, "lock-over-window.png", shot)
    lock.dialog.password.setText("admin-pass")
    with qtbot.waitSignal(lock.unlocked, timeout=5000):
        lock.dialog.try_log_in()
    assert window.person_table.isVisible() and history.isVisible() and lock.cover is None


def test_the_lock_title_fits_the_dialog(qtbot, ledger):
    make_application()
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    dialog = LoginDialog(name="王站长", locked=True)
    qtbot.addWidget(dialog)
    dialog.show()
    title_width = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
    assert dialog.width() >= title_width + 120  # room for the window manager's buttons


def _dialog(qtbot) -> OperatorsDialog:
    make_application()
    dialog = OperatorsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _choose(dialog: OperatorsDialog, name: str) -> None:
    dialog.table.selectRow(next(i for i, o in enumerate(dialog._rows) if o.name == name))


def test_the_only_administrator_cannot_stop_his_account_from_the_dialog(qtbot, ledger):
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")
    operators.create_operator("小李", "clerk-pass", access.CLERK)
    dialog = _dialog(qtbot)
    assert [dialog.model.item(r, 3).text() for r in range(2)] == ["启用", "启用"]
    assert dialog.model.horizontalHeaderItem(3).text() == "状态"
    _choose(dialog, "王站长")
    assert not dialog.toggle_active(confirm=True)
    assert "唯一在用的管理员" in dialog.error.text()
    assert Operator.get(Operator.name == "王站长").active
    _choose(dialog, "小李")
    assert not dialog.toggle_active(confirm=False)  # asked, and the answer was No
    assert Operator.get(Operator.name == "小李").active
    _choose(dialog, "小李")
    assert dialog.toggle_active(confirm=True)
    assert not Operator.get(Operator.name == "小李").active
    assert [dialog.model.item(r, 3).text() for r in range(2)] == ["启用", "停用"]
    _choose(dialog, "小李")
    assert dialog.toggle_active()  # starting again asks nothing
    _choose(dialog, "王站长")
    _shot(dialog, "operators-dialog.png")
