"""The small pieces every form of the window shares: an error line, Save/Cancel, colours, and
:class:`FormDialog`, the one way a form is filled, checked, saved and refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.vocabulary import PAYMENT_CHANNELS
from desktop_app.errors import UserError

BAD_STYLE = "color: #b00020"  # a refusal, in a red that stays readable on grey
OK_STYLE = "color: #1b5e20"

#: What a form shows in its error line instead of failing: the errors whose message is written
#: for the person at the desk.
USER_ERRORS: tuple[type[Exception], ...] = (UserError,)


def error_label(name: str = "") -> QLabel:
    """An empty, word-wrapped red line under a form, where a refusal is explained."""
    label = QLabel()
    if name:
        label.setObjectName(name)
    label.setStyleSheet(BAD_STYLE)
    label.setWordWrap(True)
    return label


def save_cancel(dialog: QDialog, save: Callable[[], object],
                ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Save) -> QDialogButtonBox:
    """Save (or ``ok``) runs ``save`` (which accepts the dialog itself when it succeeds); Cancel rejects."""
    buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def close_button(dialog: QDialog) -> QDialogButtonBox:
    """A lone Close button, for a dialog that shows rather than edits."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    return buttons


def line_edit(name: str, placeholder: str = "") -> QLineEdit:
    """A one-line field found by tests as ``name``, showing ``placeholder`` while empty."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def date_edit(name: str, day: dt.date | None = None) -> QDateEdit:
    """A day (``day``, else today) written 2025-09-01 as everywhere in the ledger, with a calendar."""
    edit = QDateEdit(QDate(day.year, day.month, day.day) if day else QDate.currentDate())
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def channel_box(name: str) -> QComboBox:
    """How money was paid (or paid out): the ledger's channels, each its own value."""
    box = QComboBox()
    box.setObjectName(name)
    for channel in PAYMENT_CHANNELS.values():
        box.addItem(channel, channel)
    return box


def password_edit(name: str) -> QLineEdit:
    """A field whose text is dots."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def push_button(text: str, name: str, clicked: Callable[[], object]) -> QPushButton:
    """A button saying ``text``, found by tests as ``name``, that runs ``clicked``."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(clicked)
    return button


def browse_row(edit: QLineEdit, choose: Callable[[], object], text: str) -> QHBoxLayout:
    """``edit`` (a file or folder) with a button saying ``text`` beside it that runs ``choose``."""
    browse = QPushButton(text)
    browse.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


def steps_layout(dialog: QDialog, stack: QStackedWidget, status: QLabel, buttons: Sequence[QPushButton],
                 progress: QProgressBar | None = None) -> None:
    """A dialog of steps (the import wizard, the merge): the pages on ``stack`` taking the height,
    the status line under them, then ``buttons`` on the right, ``progress`` (if any) on the left."""
    row = QHBoxLayout()
    if progress is not None:
        row.addWidget(progress, 1)
    row.addStretch(1)  # keeps the buttons their natural size while a bar is hidden
    for button in buttons:
        row.addWidget(button)
    layout = QVBoxLayout(dialog)
    layout.addWidget(stack, 1)
    layout.addWidget(status)
    layout.addLayout(row)


class FormDialog(QDialog):
    """A form in the shape of Picard's options pages.

    A subclass builds its fields, then calls :meth:`finish_layout`, which lays out the fields,
    the error line and Save/Cancel, and calls :meth:`load` to fill the fields. Save runs
    :meth:`submit`: :meth:`check` (a refusal in words, before anything is written), then
    :meth:`confirm` (a question, when the form has one), then :meth:`save` (the work; the
    services raise a user error when they refuse). A refusal, from ``check`` or from ``save``, is
    shown in one place: :meth:`refusal_line`, the error line unless the form has a line nearer the
    field concerned. On success ``saved`` carries what ``save`` returned and the dialog closes.
    """

    saved = Signal(object)  # what save() returned

    def __init__(self, parent: QWidget | None = None, error_name: str = "") -> None:
        super().__init__(parent)
        self.error = error_label(error_name)

    # --- what a form implements -----------------------------------------------------------------
    def load(self) -> None:
        """Fill the fields from the ledger or the record being edited."""

    def check(self) -> str | None:
        """The reason the form cannot be saved as filled in, or None."""
        return None

    def confirm(self, answer: bool | None) -> bool:
        """Whether to go on, when the form must ask first; ``answer`` is given instead of asking."""
        return True

    def save(self) -> object:
        """Do the work; raise one of :data:`USER_ERRORS` to refuse. The result goes out on ``saved``."""
        raise NotImplementedError

    def refusal_line(self, error: Exception | None) -> QLabel:
        """Where a refusal is shown: ``error`` raised by check or save, None for check's text."""
        return self.error

    def refusal_lines(self) -> tuple[QLabel, ...]:
        """Every line a refusal may be shown in, cleared before each try."""
        return (self.error,)

    # --- what the base does ----------------------------------------------------------------------
    def finish_layout(self, *parts: QWidget | QLayout,
                      ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Save) -> None:
        """Lay out ``parts`` top to bottom, then the error line and the buttons; then :meth:`load`."""
        layout = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        layout.addWidget(self.error)
        layout.addWidget(save_cancel(self, self.submit, ok))
        self.load()

    def submit(self, confirm: bool | None = None) -> bool:
        """Check, confirm, save; True (and the dialog accepted) when saved, False when refused,
        with the reason on the form, or when the person did not confirm."""
        for line in self.refusal_lines():
            line.clear()
        error: Exception | None = None
        try:
            refusal = self.check()
            if refusal is None:
                if not self.confirm(confirm):
                    return False
                result = self.save()
        except USER_ERRORS as exc:
            refusal, error = str(exc), exc
        if refusal is not None:
            self.refusal_line(error).setText(refusal)
            return False
        self.saved.emit(result)
        self.accept()
        return True
