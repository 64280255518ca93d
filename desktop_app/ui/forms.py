"""The small pieces every form of the window shares: an error line, Save/Cancel, colours."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

BAD_STYLE = "color: #b00020"  # a refusal, in a red that stays readable on grey
OK_STYLE = "color: #1b5e20"


def error_label(name: str = "") -> QLabel:
    """An empty, word-wrapped red line under a form, where a refusal is explained."""
    label = QLabel()
    if name:
        label.setObjectName(name)
    label.setStyleSheet(BAD_STYLE)
    label.setWordWrap(True)
    return label


def save_cancel(dialog: QDialog, save: Callable[[], object]) -> QDialogButtonBox:
    """Save runs ``save`` (which accepts the dialog itself when it succeeds); Cancel rejects."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons
