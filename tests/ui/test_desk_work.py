"""Daily desk work clicked through real widgets offscreen on a real temp ledger."""

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintPreviewDialog

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import exports
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import CategoryMembership, Enrollment, Household, Payment, Person
from desktop_app.ui import printing
from desktop_app.ui.app import make_application
from desktop_app.ui.followup_dialog import FollowUpDialog
from tests.conftest import DEMO_TODAY
from tests.ui.test_printing import flat, pdf_pages




def _show_household(window, household_id):
    household = Household.get_by_id(household_id)
    window.tabs.setCurrentWidget(window.person_table)  # the panel follows the table on screen
    window.search_edit.setText(household.number)
    window._filters_changed()
    window.person_table.selectRow(0)
    assert window.household_panel.household.number == household.number


def test_add_a_household_of_three_with_a_bad_id_refused(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    dialog = window.new_household()
    qtbot.addWidget(dialog)
    dialog.village.setCurrentText("东山村")
    head = dialog.rows[0]
    head.name.setText("马大山")  # QTest.keyClicks aborts on characters outside Latin-1
    qtbot.keyClicks(head.id_number, make_id_number("431199", dt.date(1975, 5, 5), 31))
    assert head.check.text() == "男，1975-05-05出生"
    second = dialog.add_row("配偶")
    second.name.setText("牛小花")
    bad = make_id_number("431199", dt.date(1977, 7, 7), 42)
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    qtbot.keyClicks(second.id_number, bad)
    assert "校验码" in second.check.text()
    third = dialog.add_row("子")
    third.name.setText("马小山")
    existing = Person.select().first()
    qtbot.keyClicks(third.id_number, existing.id_number)
    assert existing.name in third.check.text() and "不能重复登记" in third.check.text()
    assert not dialog.submit()
    assert "牛小花" in dialog.error.text() and "校验码" in dialog.error.text()
    second.id_number.setText(make_id_number("431199", dt.date(1977, 7, 7), 42))
    third.id_number.setText(make_id_number("431199", dt.date(2001, 1, 9), 51))
    with qtbot.waitSignal(dialog.saved):
        assert dialog.submit()
    household = Household.get(Household.head_name == "马大山")
    assert [p.name for p in household.members.order_by(Person.id)] == ["马大山", "牛小花", "马小山"]
    assert household.village.name == "东山村"
    assert Enrollment.select().where(Enrollment.person.in_([p.id for p in household.members])).count() == 3


def test_search_by_pinyin_initials_and_id_fragment(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    target = Person.select().order_by(Person.id).first()
    initials = target.name_initials
    qtbot.keyClicks(window.search_edit, initials)
    qtbot.waitUntil(lambda: window.person_model.query.search == initials, timeout=2000)
    names = {window.person_model.row_at(r).name for r in range(window.person_model.rowCount())}
    assert target.name in names
    assert all(Person.get(Person.name == n).name_initials.startswith(initials) for n in list(names)[:20])
    window.search_edit.setText(target.id_number[6:14])
    window._filters_changed()
    assert any(window.person_model.row_at(r).id == target.id for r in range(window.person_model.rowCount()))


def test_filters_count_what_the_ledger_holds(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    window.unpaid_check.setChecked(True)
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).count()
    assert window.person_model.rowCount() == unpaid
    window.unpaid_check.setChecked(False)
    window.category_filter.setCurrentIndex(window.category_filter.findData("dibao"))
    holders = CategoryMembership.select().where(
        (CategoryMembership.category == "dibao") & (CategoryMembership.year == 2025)).count()
    assert window.person_model.rowCount() == holders
    window.person_model.sort(7)  # by amount owed
    assert window.person_model.query.sort == "owed"


def test_household_payment_then_reverse_one(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    _show_household(window, unpaid.person.household_id)
    panel = window.household_panel
    dialog = panel.pay_household()
    qtbot.addWidget(dialog)
    owed = dialog.owed
    assert owed and unpaid.person.name in dialog.who.text()
    dialog.channel.setCurrentIndex(dialog.channel.findData("现金代收"))
    qtbot.keyClicks(dialog.voucher, "XJ-0001")
    with qtbot.waitSignal(window.ledger_changed, timeout=5000):
        assert dialog.submit()
    for person_id, _name, amount in owed:
        paid = Enrollment.get((Enrollment.person == person_id) & (Enrollment.year == 2025))
        assert (paid.status, paid.paid_fen) == ("paid", paid.due_fen)
    assert "尚欠0.00元" in panel.total.text()
    member_row = next(i for i, m in enumerate(panel._rows) if m.person_id == unpaid.person_id)
    panel.members.selectRow(member_row)
    history = panel.show_history()
    qtbot.addWidget(history)
    assert history.model.rowCount() == 1
    with qtbot.waitSignal(window.ledger_changed, timeout=5000):
        assert history.reverse("录错了户")
    assert history.model.rowCount() == 2
    back = Enrollment.get_by_id(unpaid.id)
    assert back.status == "unpaid" and back.paid_fen == 0
    assert Payment.select().where(Payment.person == unpaid.person_id).count() == 2


def test_mark_a_status_with_its_reason(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    _show_household(window, unpaid.person.household_id)
    panel = window.household_panel
    panel.members.selectRow(next(i for i, m in enumerate(panel._rows) if m.person_id == unpaid.person_id))
    dialog = panel.mark_status()
    qtbot.addWidget(dialog)
    dialog.status.setCurrentIndex(dialog.status.findData("employee"))
    dialog.reason.setText("县建筑公司")
    with qtbot.waitSignal(window.ledger_changed, timeout=5000):
        assert dialog.submit()
    marked = Enrollment.get_by_id(unpaid.id)
    assert (marked.status, marked.status_reason) == ("employee", "县建筑公司")
    assert "参加职工医保" in panel.explanation.text() or "县建筑公司" in panel.explanation.text()


def test_follow_up_lists_highlight_newborns_near_their_deadline(qtbot, demo_ledger):
    make_application()
    born = Person.select().where(Person.birth_date >= dt.date(2025, 1, 1)).order_by(Person.birth_date).first()
    Enrollment.update(status="unpaid", paid_fen=0).where(Enrollment.person == born.id).execute()
    today = born.birth_date + dt.timedelta(days=80)
    dialog = FollowUpDialog(2025, today=today)
    qtbot.addWidget(dialog)
    row = next(i for i, r in enumerate(dialog.newborns) if r.person_id == born.id)
    assert dialog.newborns[row].days_left == 10 and dialog.newborns[row].urgent
    assert dialog.newborn_model.item(row, 0).background().color().name() != "#000000"
    assert "临近截止" in dialog.tabs.tabText(0)


def test_settings_name_the_township(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    dialog = window.show_settings()
    qtbot.addWidget(dialog)
    dialog.township.setText("白云镇")
    with qtbot.waitSignal(window.ledger_changed, timeout=5000):
        assert dialog.submit()
    # the title names the township; an operator only when one is logged in (none is here)
    assert "白云镇" in window.windowTitle() and "操作员" not in window.windowTitle()
    dialog = window.show_settings()
    qtbot.addWidget(dialog)
    dialog.code.setText("123")
    assert not dialog.submit() and "9位" in dialog.error.text()


def test_the_window_keeps_answering_during_a_long_import(qtbot, ledger, ledger_path, tmp_path, open_window):
    # a 6,000-person roster from another ledger, imported into this empty one
    close_database()
    open_database(tmp_path / "elsewhere.sqlite")
    generate_demo(DemoOptions(persons=6000, seed=11, today=DEMO_TODAY))
    roster = tmp_path / "roster.xlsx"
    exports.export("roster", roster, 2025)
    close_database()
    open_database(ledger_path)
    window = open_window(ledger_path)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    wizard = window.show_import()
    qtbot.addWidget(wizard)
    wizard.choose_page.file_edit.setText(str(roster))
    planning = len(ticks)
    with qtbot.waitSignal(wizard.planned, timeout=60000):
        wizard.next()
    assert len(ticks) - planning >= 3, "the event loop turned while the file was read"
    wizard.next()
    before = len(ticks)
    with qtbot.waitSignal(wizard.imported, timeout=60000):
        wizard.next()
    timer.stop()
    assert len(ticks) - before >= 3, "the event loop turned while the import ran"
    assert Person.select().count() == 6000


def test_a_household_payment_moves_the_villages_rate_on_the_dashboard(qtbot, demo_ledger, ledger_path, open_window):
    window = open_window(ledger_path)
    with qtbot.waitSignal(window.dashboard.refreshed, timeout=20000):
        window.show_figures()
    unpaid = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    village = unpaid.village.name
    numbers = window.dashboard.findChild(type(window.counts_label), "villageRateNumbers")
    before = numbers.text()
    assert village in before
    _show_household(window, unpaid.person.household_id)
    window.tabs.setCurrentWidget(window.dashboard)
    dialog = window.household_panel.pay_household()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(window.dashboard.refreshed, timeout=20000):
        assert dialog.submit()
    assert numbers.text() != before


def _preview_text(preview, path) -> str:
    """What the preview would print, rendered into a PDF and read back (without whitespace)."""
    printer = printing.make_printer(pdf_path=path)
    preview.paintRequested.emit(printer)
    del printer  # the PDF is complete once its printer is gone
    return flat("".join(pdf_pages(path)))


def test_print_the_filtered_list_and_a_notice(qtbot, demo_ledger, ledger_path, open_window, tmp_path):
    window = open_window(ledger_path)
    window.tabs.setCurrentWidget(window.person_table)
    window.unpaid_check.setChecked(True)
    dialog = window.print_list()
    qtbot.addWidget(dialog)
    year = (Enrollment.year == 2025)
    unpaid = [e.person.id_number for e in Enrollment.select().where(year & (Enrollment.status == "unpaid"))]
    paid = [e.person.id_number for e in Enrollment.select().where(year & (Enrollment.status == "paid"))]
    assert unpaid and paid
    printed = _preview_text(dialog, tmp_path / "list.pdf")
    assert all(id_number in printed for id_number in unpaid), "every unpaid person is on the list"
    assert not any(id_number in printed for id_number in paid), "the list is the filtered one"

    enrollment = Enrollment.select().where(year & (Enrollment.status == "unpaid")).first()
    household = Household.get_by_id(enrollment.person.household_id)
    _show_household(window, household.id)
    window.household_panel.print_notice()
    preview = window.household_panel.findChild(QPrintPreviewDialog)
    assert preview is not None and preview.isVisible()
    notice = _preview_text(preview, tmp_path / "notice.pdf")
    assert "2025年度" in notice and household.number in notice
    assert enrollment.person.id_number[-4:] in notice and enrollment.person.id_number not in notice
