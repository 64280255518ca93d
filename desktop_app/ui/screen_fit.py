"""Windows that fit the screen they open on: a 1366×768 laptop, or 1920×1080 at 150 % scaling
(1280×720 of Qt's pixels), where a window sized for a desktop monitor lost its bottom buttons and
status bar below the screen's edge.

:func:`fit_to_screen` sizes a window to what it wants or to the screen's available area (the
screen less its task bar), whichever is smaller; :func:`clamp_to_screen` moves and shrinks one
whose geometry was restored from another screen; :func:`scrolling` puts a panel in a scroll area,
so that a short screen scrolls it rather than clipping it.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QLineEdit, QScrollArea, QWidget

#: What the window manager adds around a window (title bar and borders), not known before the
#: window is first shown: a generous guess, so that the title bar too stays on the screen.
FRAME_ALLOWANCE = QSize(16, 40)


def available(widget: QWidget | None = None) -> QRect:
    """The available area of the screen ``widget`` is on (else the primary screen's)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _room(widget: QWidget) -> QRect:
    area = available(widget)
    return QRect(area.topLeft(), area.size().shrunkBy(QMargins(0, 0, FRAME_ALLOWANCE.width(),
                                                               FRAME_ALLOWANCE.height())))


def fit_to_screen(widget: QWidget, wanted: QSize, *, centre: bool = True) -> QSize:
    """Resize ``widget`` to ``wanted``, shrunk to its screen's available area; centred on it."""
    room = _room(widget)
    size = wanted.boundedTo(room.size())
    widget.resize(size)
    if centre and widget.isWindow():
        left = room.left() + max(0, (room.width() - size.width()) // 2)
        top = room.top() + max(0, (room.height() - size.height()) // 2)
        widget.move(left, top)
    return size


def clamp_to_screen(widget: QWidget) -> None:
    """Shrink and move ``widget`` (a window whose geometry was restored) into its screen's area."""
    room = _room(widget)
    size = widget.size().boundedTo(room.size())
    if size != widget.size():
        widget.resize(size)
    frame = widget.frameGeometry()
    left = min(max(frame.left(), room.left()), room.right() + 1 - size.width())
    top = min(max(frame.top(), room.top()), room.bottom() + 1 - size.height())
    if (left, top) != (frame.left(), frame.top()):
        widget.move(left, top)


def scrolling(panel: QWidget, name: str = "") -> QScrollArea:
    """``panel`` in a frameless scroll area that gives it all the room there is, and scroll bars
    only when the room is less than the panel needs."""
    area = QScrollArea()
    if name:
        area.setObjectName(name)
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes into the panel, not to its frame
    return area


def room_for(edit: QLineEdit, text: str) -> int:
    """The width ``edit`` needs to show ``text`` whole: the text in its font, plus what its frame
    and margins take (a line edit's size hint is 17 "x" plus those), plus a character for the
    cursor."""
    metrics = edit.fontMetrics()
    margins = max(edit.sizeHint().width() - metrics.horizontalAdvance("x") * 17, 0)
    return metrics.horizontalAdvance(text) + margins + metrics.averageCharWidth()


def grow_to_fit(window: QWidget) -> None:
    """Make ``window`` taller when what it shows now needs more height than it has (a message
    that wrapped onto another line), never beyond its screen; a window is never made smaller."""
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    width = window.width()
    needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalMinimumSize().height()
    needed = min(needed, _room(window).height())
    if needed > window.height():
        window.resize(width, needed)
