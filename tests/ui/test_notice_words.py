"""Issue 16 on the payment notice: its 咨询电话 is a ledger setting an administrator fills in
设置 (checked as a phone number), and the members table's headers stay on their lines."""

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QTextTable

from desktop_app.services import access, operators
from desktop_app.services.notices import consult_phone, notice_for
from desktop_app.store.models import AuditEntry, Household, Region
from desktop_app.ui import printing
from desktop_app.ui.app import make_application
from desktop_app.ui.printing.notices import notice_document
from desktop_app.ui.settings_dialog import SettingsDialog
from tests.ui.test_printing import flat, pdf_pages


def _admin() -> None:
    operators.create_operator("王站长", "admin-pass", access.ADMIN)
    operators.log_in("王站长", "admin-pass")


def test_the_phone_set_in_settings_is_printed_on_the_notice(qtbot, demo_ledger, ledger_path, tmp_path):
    make_application()
    _admin()
    dialog = SettingsDialog(ledger_path)
    qtbot.addWidget(dialog)
    assert dialog.phone.text() == ""
    dialog.phone.setText("(0731) 84123456")
    assert dialog.submit()
    assert consult_phone() == "0731-84123456"  # stored as the cells' phone parser writes it
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.table, entry.record_id, entry.new_value) == ("setting", "notice.phone", "0731-84123456")
    notice = notice_for(Household.select().first().id, 2025)
    [text] = pdf_pages(printing.print_notices_to_pdf([notice], tmp_path / "n.pdf").path)
    assert "咨询电话：0731-84123456" in flat(text)
    again = SettingsDialog(ledger_path)
    qtbot.addWidget(again)
    assert again.phone.text() == "0731-84123456"


def test_a_wrong_phone_is_refused_before_anything_is_written(qtbot, demo_ledger, ledger_path):
    make_application()
    _admin()
    dialog = SettingsDialog(ledger_path)
    qtbot.addWidget(dialog)
    dialog.phone.setText("84123456")  # a fixed line without its area code
    dialog.township.setText("别的镇")
    assert not dialog.submit()
    assert "咨询电话" in dialog.error.text() and "区号" in dialog.error.text()
    assert consult_phone() == "" and Region.get(Region.level == "township").name != "别的镇"


def test_a_clerk_cannot_change_the_phone(qtbot, demo_ledger, ledger_path):
    make_application()
    _admin()
    village = Region.select().where(Region.level == "village").first()
    operators.create_operator("小李", "clerk-pass", access.CLERK, [village.name])
    operators.log_in("小李", "clerk-pass")
    dialog = SettingsDialog(ledger_path)
    qtbot.addWidget(dialog)
    assert not dialog.phone.isEnabled()
    dialog.phone.setText("13812345678")  # were the field ever editable, the service refuses
    assert not dialog.submit() and "管理员" in dialog.error.text()
    assert consult_phone() == ""


def _header_lines(doc) -> list[int]:
    table = next(f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable))
    counts = []
    for column in range(table.columns()):
        cell, lines = table.cellAt(0, column), 0
        block = cell.begin()
        while not block.atEnd():
            lines += block.currentBlock().layout().lineCount()
            block += 1
        counts.append(lines)
    return counts


def test_the_id_header_keeps_to_two_lines(qtbot, demo_ledger):
    """"身份证号后四位" wrapped onto three lines; on A4's 180 mm text width (680 px) and on a
    printer with wider margins (640 px) every header keeps to the lines it is written in."""
    make_application()
    notice = notice_for(Household.select().first().id, 2025)
    for width in (680, 640):
        lines = _header_lines(notice_document(notice, QSizeF(width, 1100)))
        assert max(lines) <= 2, (width, lines)
        assert lines[3] == 2  # 身份证 / 尾号
