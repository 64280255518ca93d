"""Working from the keyboard: keys caught before a field handles them, and shortcuts shown where
the person looks for them (a button's tooltip)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class KeyCatcher(QObject):
    """An event filter: a key press of one of ``keys`` (with no modifier but the keypad's) in a
    watched widget calls ``handle(widget)`` instead of reaching the widget, when ``handle`` returns
    True; any other key goes on as usual."""

    def __init__(self, parent: QObject, keys: Iterable[Qt.Key], handle: Callable[[QWidget], bool]) -> None:
        super().__init__(parent)
        self._keys = frozenset(keys)
        self._handle = handle

    def watch(self, *widgets: QWidget) -> None:
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier
            if plain and event.key() in self._keys and isinstance(watched, QWidget):
                return bool(self._handle(watched))
        return False


def shortcut_text(shortcut: QKeySequence | str) -> str:
    """A shortcut as the person reads it on this system (``Ctrl+Shift+P``)."""
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)


def with_shortcut(text: str, shortcut: QKeySequence | str) -> str:
    """A tooltip naming its shortcut: ``"Household pays… (Ctrl+Shift+P)"``."""
    return f"{text} ({shortcut_text(shortcut)})"
