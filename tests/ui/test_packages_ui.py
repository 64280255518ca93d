"""Village work packages through the window, on two real ledgers in temporary folders: the
township hands a package out, the village laptop opens it from the start screen and works in a
marked window, returns it, and the township merges it through the preview, choosing per conflict."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFormLayout, QPushButton

from desktop_app.services import access, operators, packages, payments
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.services.household_work import update_person
from desktop_app.services.ledger import enrollment_years
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import Enrollment, Household, Payment, Person, Region
from desktop_app.ui.app import make_application
from desktop_app.ui.login import OPENED_PACKAGE, FirstAdministratorDialog, LoginDialog, start_screen
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.package_merge import MergeDialog
from desktop_app.ui.work_copy import REFUSED_ACTIONS, OpenPackageDialog, refusal, remembered_work_copy

ADMIN, ADMIN_PASSWORD = "王站长", "zhanzhang-2026"
CLERK, CLERK_PASSWORD = "李村医", "cunyi-2026"
PACKAGE_PASSWORD = "dongshan-2026"


def _switch_to(path: Path) -> None:
    close_database()
    open_database(path)


@pytest.fixture
def township(tmp_path: Path):
    """A township ledger with a demo township, an administrator and a clerk of its first village,
    the administrator logged in; yields (path, village, year)."""
    path = tmp_path / "township" / "ledger.sqlite"
    path.parent.mkdir()
    open_database(path)
    generate_demo(DemoOptions(persons=300, seed=11, today=dt.date(2026, 11, 23)))
    village = Region.select().where(Region.level == "village").order_by(Region.code).first().name
    operators.create_operator(ADMIN, ADMIN_PASSWORD, access.ADMIN)
    operators.log_in(ADMIN, ADMIN_PASSWORD)
    operators.create_operator(CLERK, CLERK_PASSWORD, access.CLERK, villages=[village])
    yield path, village, max(enrollment_years())
    access.end_session()
    close_database()


def _window(qtbot, path: Path) -> MainWindow:
    make_application()
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _hand_out(qtbot, window: MainWindow, village: str, year: int, target: Path, *, code: bool = False):
    dialog = window.show_hand_out()
    qtbot.addWidget(dialog)
    dialog.choose_villages([village])
    dialog.year_box.set_value(year)
    dialog.file.setText(str(target))
    if code:
        dialog.by_code.setChecked(True)
    else:
        dialog.password.setText(PACKAGE_PASSWORD)
        dialog.repeat.setText(PACKAGE_PASSWORD)
    with qtbot.waitSignal(dialog.finished, timeout=60000) as done:
        assert dialog.start() is not None
    return dialog, done.args[0]


def _person_of(village: str) -> Person:
    return (Person.select().join(Household).join(Region, on=(Household.village == Region.id))
            .where(Region.name == village).order_by(Person.id).first())


def test_hand_out_writes_a_package_and_refuses_an_unfinished_form(qtbot, township, tmp_path):
    path, village, year = township
    window = _window(qtbot, path)
    assert window.hand_out_action.isVisible() and window.hand_out_action.isEnabled()
    assert not window.return_action.isVisible()  # a township ledger has nothing to return
    dialog = window.show_hand_out()
    qtbot.addWidget(dialog)
    assert dialog.start() is None and dialog.status.text()  # no village ticked: said, nothing written
    dialog.choose_villages([village])
    assert Path(dialog.file.text()).name == f"{village}-{dialog.year_box.value()}.ledgerpack"  # suggested
    target = tmp_path / "out" / "东山.ledgerpack"
    target.parent.mkdir()
    dialog.file.setText(str(target))
    dialog.password.setText(PACKAGE_PASSWORD)
    dialog.repeat.setText("something else")
    assert dialog.start() is None and not target.exists()
    dialog.close()

    _dialog, receipt = _hand_out(qtbot, window, village, year, target)
    assert target.is_file() and receipt.path == target and receipt.villages == (village,)
    assert receipt.persons == (Person.select().join(Household).join(Region, on=(Household.village == Region.id))
                               .where(Region.name == village).count())
    assert str(receipt.persons) in _dialog.status.text()


def test_a_pairing_code_is_shown_big_and_opens_the_package(qtbot, township, tmp_path):
    path, village, year = township
    window = _window(qtbot, path)
    target = tmp_path / "coded.ledgerpack"
    dialog, receipt = _hand_out(qtbot, window, village, year, target, code=True)
    shown = dialog.code_dialog.code
    assert receipt.pairing_code and shown.text() == receipt.pairing_code
    assert shown.font().pointSize() >= 28  # to be copied onto paper
    assert shown.fontMetrics().horizontalAdvance(shown.text()) <= shown.width()  # not clipped
    info = packages.open_package(target, shown.text().lower(), tmp_path / "coded-copy.sqlite")
    assert info.villages == (village,)


def _village_laptop(qtbot, package: Path, tmp_path: Path):
    """The start screen of a fresh village laptop: 打开工作包, the file and password → the work copy."""
    laptop = tmp_path / "laptop" / "ledger.sqlite"
    laptop.parent.mkdir()
    open_database(laptop)
    make_application()
    start = FirstAdministratorDialog()
    qtbot.addWidget(start)
    start.show()
    assert start.open_package_button.isVisible()  # beside creating the administrator
    opener = start.open_package()
    qtbot.addWidget(opener)
    opener.file.setText(str(package))
    opener.password.setText("wrong password")
    assert not opener.submit() and opener.error.text()  # the services' reason, the form still open
    assert start.work_copy is None
    opener.password.setText(PACKAGE_PASSWORD)
    assert opener.submit()
    assert start.result() == OPENED_PACKAGE and start.work_copy is not None
    work_copy = start.work_copy.path
    assert work_copy.is_file() and remembered_work_copy() == work_copy  # opened again at the next start
    _switch_to(work_copy)
    operators.log_in(CLERK, CLERK_PASSWORD)  # the village's account came with the package
    return work_copy, start.work_copy


@pytest.fixture
def handed_out(qtbot, township, tmp_path):
    path, village, year = township
    window = _window(qtbot, path)
    package = tmp_path / "package.ledgerpack"
    _hand_out(qtbot, window, village, year, package)
    window.close()
    access.end_session()
    return path, village, year, package


def test_opening_a_package_at_the_start_screen_gives_a_marked_window(qtbot, handed_out, tmp_path):
    _township, village, year, package = handed_out
    work_copy, info = _village_laptop(qtbot, package, tmp_path)
    window = _window(qtbot, work_copy)
    banner = window.work_copy_banner
    assert banner is not None and banner.isVisible()
    assert banner.text() == info.banner() and village in banner.text() and str(year) in banner.text()
    assert info.banner() in window.windowTitle()
    for attribute, what in REFUSED_ACTIONS.items():
        action = getattr(window, attribute)
        reason = refusal(what)
        assert reason and what in reason and not action.isEnabled() and action.toolTip() == reason
        with pytest.raises(access.AccessDenied):  # the services refuse it, whatever the window shows
            access.require_admin(what)
    assert window.return_action.isVisible() and window.return_action.isEnabled()
    assert window.pay_action.isEnabled()  # the village's own work goes on
    window.person_table.setCurrentIndex(window.person_model.index(0, 0))  # a member on the panel
    qtbot.waitUntil(lambda: window.household_panel.selected_member() is not None)
    fix = window.household_panel.fix_menu
    fix.update_for(window.household_panel.selected_member())
    assert not fix.correct_id_action.isEnabled() and "更正身份证号" in fix.correct_id_action.toolTip()
    settings = window.show_settings()
    qtbot.addWidget(settings)
    assert not settings.township.isEnabled() and not settings.code.isEnabled()
    assert "修改乡镇名称和代码" in settings.township.toolTip()


def test_township_ledger_keeps_its_actions(qtbot, township):
    path, _village, _year = township
    window = _window(qtbot, path)
    assert window.work_copy_banner is None
    for attribute in REFUSED_ACTIONS:
        assert getattr(window, attribute).isEnabled()


def _work_in_the_village(village: str, year: int) -> tuple[int, str]:
    """A payment and a phone corrected in the work copy; returns (person id number, phone)."""
    enrollment = (Enrollment.select().join(Person).join(Household).join(Region, on=(Household.village == Region.id))
                  .where((Region.name == village) & (Enrollment.year == year) & (Enrollment.status == "unpaid")
                         & (Enrollment.due_fen > 0)).first())
    payments.record_payment(payments.PaymentInput(enrollment.person_id, year, enrollment.due_fen,
                                                  dt.date(2026, 11, 20), "现金代收"))
    person = _person_of(village)
    update_person(person.id, name=person.name, phone="13900009999", relation=person.relation)
    return person.id_number, "13900009999"


def _asks_file_and_password_in_chinese(dialog, file_label: str) -> None:
    """The file-and-password form the return and refresh dialogs share, in zh_CN."""
    form = dialog.findChild(QFormLayout)
    assert form.labelForField(dialog.password).text() == "密码"
    assert form.itemAt(0, QFormLayout.ItemRole.LabelRole).widget().text() == file_label
    assert "选择(&C)…" in [button.text() for button in dialog.findChildren(QPushButton)]


def _return(qtbot, window: MainWindow, target: Path):
    dialog = window.show_return()
    qtbot.addWidget(dialog)
    _asks_file_and_password_in_chinese(dialog, "保存为")
    dialog.file.setText(str(target))
    dialog.password.setText(PACKAGE_PASSWORD)
    with qtbot.waitSignal(dialog.finished, timeout=60000) as done:
        dialog.start()
    return dialog, done.args[0]


def test_return_writes_the_changes_made_in_the_village(qtbot, handed_out, tmp_path):
    _township, village, year, package = handed_out
    work_copy, _info = _village_laptop(qtbot, package, tmp_path)
    window = _window(qtbot, work_copy)
    _work_in_the_village(village, year)
    target = tmp_path / "back.ledgerreturn"
    dialog, receipt = _return(qtbot, window, target)
    assert target.is_file() and receipt.path == target and receipt.changes >= 2
    assert str(receipt.changes) in dialog.status.text()


@pytest.fixture
def returned(qtbot, handed_out, tmp_path):
    """The village paid someone and changed a phone; the township changed the same phone its own
    way meanwhile: one conflict at least. Yields (township, return file, id number, village phone)."""
    township, village, year, package = handed_out
    work_copy, _info = _village_laptop(qtbot, package, tmp_path)
    window = _window(qtbot, work_copy)
    id_number, phone = _work_in_the_village(village, year)
    back = tmp_path / "back.ledgerreturn"
    _return(qtbot, window, back)
    window.close()
    access.end_session()
    _switch_to(township)
    operators.log_in(ADMIN, ADMIN_PASSWORD)
    person = Person.get(Person.id_number == id_number)
    update_person(person.id, name=person.name, phone="13700001111", relation=person.relation)
    return township, back, id_number, phone


def _preview(qtbot, window: MainWindow, back: Path) -> MergeDialog:
    dialog = window.show_merge()
    qtbot.addWidget(dialog)
    dialog.choose_page.file.setText(str(back))
    dialog.choose_page.password.setText(PACKAGE_PASSWORD)
    with qtbot.waitSignal(dialog.planned, timeout=60000):
        dialog.next()
    return dialog


def test_merge_preview_lists_conflicts_and_applies_the_village_side(qtbot, returned):
    township, back, id_number, village_phone = returned
    window = _window(qtbot, township)
    payments_before = Payment.select().count()
    dialog = _preview(qtbot, window, back)
    page, plan = dialog.preview_page, dialog.plan
    table = page.conflicts
    assert plan.conflicts and table.rowCount() == len(plan.conflicts)
    rows = {table.item(r, table.ID_NUMBER).text(): r for r in range(table.rowCount())}
    row = rows[id_number]
    assert table.item(row, table.TOWNSHIP_VALUE).text() == "13700001111"
    assert table.item(row, table.VILLAGE_VALUE).text() == village_phone
    assert page.changes_model.rowCount() == len(plan.items) and str(plan.counts["payment"]) in page.counts.text()
    # nothing chosen: refused before anything is written
    assert dialog.next() is None and dialog.status.text()
    assert Person.get(Person.id_number == id_number).phone == "13700001111"
    assert Payment.select().count() == payments_before
    page.all_township.click()
    table.choose(row, "village")  # then this one the village's way
    assert table.choices()[plan.conflicts[row].id] == "village"
    with qtbot.waitSignal(dialog.merged, timeout=60000) as merged:
        dialog.next()
    assert Person.get(Person.id_number == id_number).phone == village_phone
    assert Payment.select().count() == payments_before + plan.counts["payment"]
    assert dialog.stack.currentWidget() is dialog.result_text and merged.args[0].package_id[:8] in dialog.result_text.text()


def test_all_township_keeps_the_township_value(qtbot, returned):
    township, back, id_number, _village_phone = returned
    window = _window(qtbot, township)
    dialog = _preview(qtbot, window, back)
    dialog.preview_page.all_township.click()
    assert dialog.preview_page.conflicts.unchosen() == 0
    with qtbot.waitSignal(dialog.merged, timeout=60000):
        dialog.next()
    assert Person.get(Person.id_number == id_number).phone == "13700001111"


def test_merge_with_a_wrong_password_is_refused_in_the_dialog(qtbot, returned):
    township, back, _id_number, _phone = returned
    window = _window(qtbot, township)
    dialog = window.show_merge()
    qtbot.addWidget(dialog)
    dialog.choose_page.file.setText(str(back))
    dialog.choose_page.password.setText("not the password")
    dialog.next()
    qtbot.waitUntil(lambda: dialog.operation is None, timeout=30000)
    assert "密码" in dialog.status.text()  # the services' reason
    assert dialog.plan is None and dialog.stack.currentIndex() == dialog.CHOOSE
    assert dialog.next_button.isEnabled()


def test_a_newer_package_updates_the_work_copy_and_keeps_the_village_work(qtbot, handed_out, tmp_path):
    township, village, year, package = handed_out
    work_copy, _info = _village_laptop(qtbot, package, tmp_path)
    id_number, phone = _work_in_the_village(village, year)
    village_payments = Payment.select().count()
    access.end_session()
    _switch_to(township)  # meanwhile the township corrects another person and cuts a newer package
    operators.log_in(ADMIN, ADMIN_PASSWORD)
    other = (Person.select().join(Household).join(Region, on=(Household.village == Region.id))
             .where((Region.name == village) & (Person.id_number != id_number)).order_by(Person.id.desc()).first())
    update_person(other.id, name=other.name, phone="13600006666", relation=other.relation)
    newer = tmp_path / "newer.ledgerpack"
    packages.create_package([village], year, newer, password=PACKAGE_PASSWORD)
    access.end_session()
    _switch_to(work_copy)
    operators.log_in(CLERK, CLERK_PASSWORD)
    window = _window(qtbot, work_copy)
    assert window.refresh_package_action.isVisible()
    dialog = window.show_refresh()
    qtbot.addWidget(dialog)
    _asks_file_and_password_in_chinese(dialog, "工作包文件")
    dialog.file.setText(str(newer))
    dialog.password.setText(PACKAGE_PASSWORD)
    with qtbot.waitSignal(dialog.finished, timeout=60000) as done:
        dialog.start()
    assert window.work_copy_banner.text() == done.args[0].banner()
    assert Person.get(Person.id_number == other.id_number).phone == "13600006666"  # the township's news
    assert Person.get(Person.id_number == id_number).phone == phone  # the village's own, kept
    assert Payment.select().count() == village_payments


def test_the_start_screen_opens_a_package_and_logs_in_to_the_work_copy(qtbot, handed_out, tmp_path):
    """run_gui's path on a fresh village laptop: 打开工作包 on the first-start screen, then the
    village's log-in, and the ledger shown is the work copy (remembered for the next start)."""
    _township, village, _year, package = handed_out
    laptop = tmp_path / "laptop" / "ledger.sqlite"
    laptop.parent.mkdir()
    open_database(laptop)
    make_application()
    seen: list[str] = []

    def drive() -> None:  # plays the person at each modal window in turn
        modal = QApplication.activeModalWidget()
        if isinstance(modal, OpenPackageDialog):
            modal.file.setText(str(package))
            modal.password.setText(PACKAGE_PASSWORD)
            seen.append("package")
            modal.submit()
        elif isinstance(modal, FirstAdministratorDialog) and "start" not in seen:
            seen.append("start")
            modal.open_package_button.click()
        elif isinstance(modal, LoginDialog) and "login" not in seen:
            seen.append("login")
            modal.name.setCurrentText(CLERK)
            modal.password.setText(CLERK_PASSWORD)
            modal.try_log_in()

    timer = QTimer()
    timer.timeout.connect(drive)
    timer.start(50)
    shown = start_screen(laptop)
    timer.stop()
    assert seen == ["start", "package", "login"]
    assert shown is not None and shown != laptop and shown == remembered_work_copy()
    assert access.current().name == CLERK and access.is_work_copy()
    assert packages.work_copy_info().villages == (village,)
