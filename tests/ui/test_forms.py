"""The form base every editing dialog stands on: load fills, check refuses before anything is
written, save's refusal shows in the same line, success closes; and the real forms on it."""

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit

from desktop_app.services import households, operators
from desktop_app.services.ledger import ServiceError
from desktop_app.store.models import Enrollment
from desktop_app.ui.app import make_application
from desktop_app.ui.forms import FormDialog
from desktop_app.ui.household_dialog import MoveDialog
from desktop_app.ui.login import FirstAdministratorDialog


class _Form(FormDialog):
    def __init__(self) -> None:
        super().__init__(None, "formError")
        self.field = QLineEdit()
        self.refusal: str | None = None
        self.failure: Exception | None = None
        self.saves = 0
        self.finish_layout(self.field)

    def load(self) -> None:
        self.field.setText("as loaded")

    def check(self) -> str | None:
        return self.refusal

    def save(self) -> object:
        self.saves += 1
        if self.failure is not None:
            raise self.failure
        return self.field.text()


@pytest.fixture
def form(qtbot):
    make_application()
    dialog = _Form()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_fields_are_loaded_when_the_form_is_laid_out(form):
    assert form.field.text() == "as loaded"
    assert form.error.objectName() == "formError" and form.error.text() == ""


def test_a_refusal_from_check_shows_in_the_error_line_and_nothing_is_saved(qtbot, form):
    form.refusal = "请先填写姓名。"
    saved = []
    form.saved.connect(saved.append)
    assert not form.submit()
    assert form.error.text() == "请先填写姓名。"
    assert form.saves == 0 and saved == [] and form.isVisible()


def test_a_refusal_from_save_shows_in_the_same_line(form):
    form.failure = ServiceError("此村不归你管理。")
    assert not form.submit()
    assert form.error.text() == "此村不归你管理。"
    assert form.saves == 1 and form.isVisible()


def test_success_clears_the_refusal_sends_what_was_saved_and_closes(qtbot, form):
    form.refusal = "不行"
    form.submit()
    form.refusal = None
    form.field.setText("张三")
    with qtbot.waitSignal(form.saved) as saved:
        assert form.submit()
    assert saved.args == ["张三"]
    assert form.error.text() == "" and form.result() == QDialog.DialogCode.Accepted and not form.isVisible()


def test_the_save_button_runs_the_same_steps(form):
    form.refusal = "不行"
    buttons = form.findChild(QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert form.error.text() == "不行" and form.saves == 0 and form.isVisible()


def test_an_error_not_meant_for_the_person_is_not_hidden_in_the_line(form):
    form.failure = KeyError("a bug")
    with pytest.raises(KeyError):
        form.submit()


def test_moving_without_a_household_chosen_is_refused_by_check(qtbot, demo_ledger):
    make_application()
    enrollment = Enrollment.select().where(Enrollment.year == 2025).first()
    household = households.find_household_by_number(enrollment.person.household.number)
    member = next(m for m in households.household_members(household.id, 2025) if m.person_id == enrollment.person_id)
    dialog = MoveDialog(member)
    qtbot.addWidget(dialog)
    assert not dialog.submit()
    assert dialog.error.text() == "请先查找并选中要迁入的户。"
    assert Enrollment.get_by_id(enrollment.id).person.household_id == household.id


def test_first_administrator_refuses_two_different_passwords_before_creating_anyone(qtbot, ledger):
    make_application()
    dialog = FirstAdministratorDialog()
    qtbot.addWidget(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons.button(QDialogButtonBox.StandardButton.Ok) is not None  # OK, not Save, as before
    dialog.name.setText("王站长")
    dialog.password.setText("secret-1")
    dialog.repeat.setText("secret-2")
    assert not dialog.submit() and dialog.error.text() == "两次输入的密码不一样。"
    assert operators.needs_first_administrator()
