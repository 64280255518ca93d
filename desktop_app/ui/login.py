"""Logging in: the first administrator, staff log-in, the idle lock, and managing operators."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import access, operators
from desktop_app.services.households import village_names
from desktop_app.errors import UserError
from desktop_app.services.ledger import close_ledger, get_setting, open_ledger
from desktop_app.ui.forms import FormDialog, close_button, error_label, password_edit, push_button
from desktop_app.ui.server_dialog import server_buttons
from desktop_app.ui.tables import table_view
from desktop_app.ui.text import fill

DEFAULT_IDLE_MINUTES = 10
OPENED_PACKAGE = 2  # the start screen's answer when a village doctor opened a work package there


class FirstAdministratorDialog(FormDialog):
    """At first start: the administrator's account, then logged in."""

    def __init__(self, parent: QWidget | None = None, *, ledger: object = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstAdminDialog")
        self.setWindowTitle(self.tr("Create the administrator"))
        intro = QLabel(self.tr("This ledger has no operators yet. Create the administrator's account: the "
                               "administrator loads policies, imports files, restores backups and adds staff."))
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("adminName")
        self.password = password_edit("adminPassword")
        self.repeat = password_edit("adminRepeat")
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.repeat)
        # a village doctor's laptop starts from the township's package instead (ui/work_copy.py)
        self.work_copy = None
        package = QLabel(self.tr("On a village doctor's laptop: open the work package the township gave you."))
        package.setWordWrap(True)
        self.open_package_button = push_button(self.tr("Open a &work package…"), "openWorkPackage",
                                               self.open_package)
        parts = (intro, form, package, self.open_package_button)
        if ledger is not None:  # the start screen: or a ledger on the office's server (ui/server_dialog)
            parts += (server_buttons(self, ledger),)
        self.finish_layout(*parts, ok=QDialogButtonBox.StandardButton.Ok)

    def open_package(self):  # noqa: ANN201
        """打开工作包 beside creating the administrator: the dialog ends, its ``work_copy`` made."""
        # lazy: work_copy imports the package dialogs, which need only this one button at start
        from desktop_app.ui.work_copy import OpenPackageDialog

        dialog = OpenPackageDialog(self)
        dialog.saved.connect(self._package_opened)
        dialog.open()
        return dialog

    def _package_opened(self, info) -> None:  # noqa: ANN001
        self.work_copy = info
        self.done(OPENED_PACKAGE)

    def check(self) -> str | None:
        if self.password.text() != self.repeat.text():
            return self.tr("The two passwords differ.")
        return None

    def save(self) -> None:
        operators.create_operator(self.name.text(), self.password.text(), access.ADMIN)
        operators.log_in(self.name.text(), self.password.text())


class LoginDialog(QDialog):
    """Name and password; five wrong passwords in a row make the next try wait."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "", locked: bool = False,
                 ledger: object = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        title = self.tr("Locked — enter your password") if locked else self.tr("Log in")
        self.setWindowTitle(title)
        # wide enough for the whole title: a window manager cuts a title longer than the dialog
        self.setMinimumWidth(max(360, self.fontMetrics().horizontalAdvance(title) + 160))
        self.name = QComboBox()
        self.name.setObjectName("loginName")
        self.name.setEditable(True)
        self.name.addItems([o.name for o in operators.operators() if o.active])
        if name:
            self.name.setCurrentText(name)
            self.name.setEnabled(not locked)
        self.password = password_edit("loginPassword")
        self.error = error_label("loginError")
        form = QFormLayout()
        form.addRow(self.tr("Operator"), self.name)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_log_in)
        self.buttons.rejected.connect(self.reject)
        if locked:  # the window stays locked until the password is given
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit the program"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        if ledger is not None and not locked:  # the start screen: or a ledger on the office's server
            layout.addWidget(server_buttons(self, ledger))
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def try_log_in(self) -> bool:
        try:
            operators.log_in(self.name.currentText(), self.password.text())
        except operators.LoginRefused as exc:
            self.error.setText(str(exc))
            self.password.clear()
            if exc.wait_seconds:
                ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
                ok.setEnabled(False)
                QTimer.singleShot(exc.wait_seconds * 1000, lambda: ok.setEnabled(True))
            return False
        self.accept()
        return True


def start_screen(path, parent: QWidget | None = None):  # noqa: ANN001, ANN201
    """The ledger to show after the start screen, None when the person gave up: ``path`` after
    a log-in (or its first administrator), the work copy a village doctor opened there
    (closing ``path``, opening the work copy, and logging in to it with the village's account),
    or the ledger on the office's server connected to there (ui/server_dialog.py), logged in to
    (from a server's ledger, this computer's file again)."""
    while True:
        if operators.needs_first_administrator():
            dialog = FirstAdministratorDialog(parent, ledger=path)
        else:
            dialog = LoginDialog(parent, ledger=path)
        answer = dialog.exec()
        if getattr(dialog, "switched_to", None) is not None:  # a server's ledger (or back to the file): its log-in
            path = dialog.switched_to
            continue
        if not isinstance(dialog, FirstAdministratorDialog) or dialog.work_copy is None:
            return path if answer == QDialog.DialogCode.Accepted else None
        work_copy = dialog.work_copy.path
        close_ledger()
        open_ledger(work_copy, program="window")
        return work_copy if LoginDialog(parent).exec() == QDialog.DialogCode.Accepted else None


def log_in_at_start(parent: QWidget | None = None) -> bool:
    """The first administrator on a new ledger, else a log-in; False when the person gave up."""
    dialog = FirstAdministratorDialog(parent) if operators.needs_first_administrator() else LoginDialog(parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


class LockCover(QWidget):
    """An opaque cover over the whole locked window: no name or ID number shows behind the
    password box."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Window).darker(115))
        palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText,  # readable, in a disabled window
                         palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText))
        self.setPalette(palette)
        label = QLabel(self.tr("The ledger is locked. Enter your password to go on."))
        label.setObjectName("lockCoverText")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(label)  # above the password box, which sits in the middle
        layout.addStretch(3)
        self.setGeometry(window.rect())
        self.raise_()


class IdleLock(QObject):
    """Locks the window after some minutes without a key or a click, and asks for the password again.

    While locked, an opaque cover hides the whole window and the other windows of the program
    (a payment history, a follow-up list) are hidden, until the password is given again.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QWidget, minutes: float | None = None) -> None:
        super().__init__(window)
        self.window = window
        if minutes is None:
            minutes = float(get_setting("idle_lock_minutes", str(DEFAULT_IDLE_MINUTES)) or DEFAULT_IDLE_MINUTES)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(minutes * 60_000))
        self.timer.timeout.connect(self.lock)
        self.dialog: LoginDialog | None = None
        self.cover: LockCover | None = None
        self._hidden: list[QWidget] = []  # the program's other windows, hidden while locked
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self.dialog is None and event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                                                    QEvent.Type.Wheel):
            self.timer.start()
        if watched is self.window and self.cover is not None and event.type() == QEvent.Type.Resize:
            self.cover.setGeometry(self.window.rect())
        return False

    def lock(self) -> None:
        session = access.current()
        if session is None or self.dialog is not None:
            return
        self.window.setEnabled(False)
        self.cover = LockCover(self.window)
        self.cover.show()
        central = self.window.centralWidget() if isinstance(self.window, QMainWindow) else None
        if central is not None:
            central.hide()  # the cover first; the tables not even drawn beneath it
        self._hidden = [w for w in QApplication.topLevelWidgets()
                        if w.isVisible() and w is not self.window and not isinstance(w, QMenu)]
        for widget in self._hidden:
            widget.hide()
        self.dialog = LoginDialog(self.window, name=session.name, locked=True)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.rejected.connect(self.window.close)
        self.locked.emit()
        self.dialog.show()

    def _unlocked(self) -> None:
        central = self.window.centralWidget() if isinstance(self.window, QMainWindow) else None
        if central is not None:
            central.show()
        if self.cover is not None:
            self.cover.deleteLater()
            self.cover = None
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.window.setEnabled(True)
        self.dialog = None
        self.timer.start()
        self.unlocked.emit()


class OperatorsDialog(QDialog):
    """操作员管理 (administrators only): add staff with their villages, reset a password, stop an account."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("operatorsDialog")
        self.setWindowTitle(self.tr("Operators"))
        self.resize(640, 420)
        self.model = QStandardItemModel(self)
        self.table = table_view(self.model)
        self.name = QLineEdit()
        self.name.setObjectName("newOperatorName")
        self.password = password_edit("newOperatorPassword")
        self.role = QComboBox()
        self.role.setObjectName("newOperatorRole")
        self.role.addItem(self.tr("Clerk (payments and edits in their villages)"), access.CLERK)
        self.role.addItem(self.tr("Administrator"), access.ADMIN)
        self.village_checks: list[QCheckBox] = []
        villages = QHBoxLayout()
        for name in village_names():
            check = QCheckBox(name)
            self.village_checks.append(check)
            villages.addWidget(check)
        villages.addStretch(1)
        add = QPushButton(self.tr("Add operator"))
        add.clicked.connect(self.add)
        reset = QPushButton(self.tr("Reset password…"))
        reset.clicked.connect(lambda: self.reset_password())
        toggle = QPushButton(self.tr("Stop / restart account"))
        toggle.clicked.connect(lambda: self.toggle_active())
        self.error = error_label()
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Villages"), villages)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(reset)
        row.addWidget(toggle)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(close_button(self))
        self.reload()

    def reload(self) -> None:
        self._rows = operators.operators()
        self.model.clear()
        self.model.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Villages"), self.tr("Status")])
        for o in self._rows:
            self.model.appendRow([QStandardItem(o.name), QStandardItem(access.ROLE_NAMES.get(o.role, o.role)),
                                  QStandardItem("、".join(o.villages) or self.tr("all")),
                                  QStandardItem(self.tr("in use") if o.active else self.tr("stopped"))])

    def add(self) -> bool:
        villages = [c.text() for c in self.village_checks if c.isChecked()]
        try:
            operators.create_operator(self.name.text(), self.password.text(), self.role.currentData(), villages)
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self.name.clear()
        self.password.clear()
        self.reload()
        return True

    def _selected(self) -> operators.OperatorInfo | None:
        row = self.table.currentIndex().row()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def reset_password(self, password: str | None = None) -> bool:
        chosen = self._selected()
        if chosen is None:
            return False
        if password is None:
            password, ok = QInputDialog.getText(self, self.tr("Reset password"), fill(self.tr("New password for %1"),
                                                chosen.name), QLineEdit.EchoMode.Password)
            if not ok:
                return False
        try:
            operators.set_password(chosen.id, password)
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        return True

    def toggle_active(self, confirm: bool | None = None) -> bool:
        """Stop the chosen account (after asking: ``confirm`` answers for the person) or start it
        again; the service refuses to stop the last active administrator, with its reason."""
        chosen = self._selected()
        if chosen is None:
            return False
        if chosen.active:
            if confirm is None:
                confirm = QMessageBox.question(
                    self, self.tr("Stop account"),
                    fill(self.tr("Stop the account of %1? %1 can no longer log in until an administrator "
                                 "restarts the account."), chosen.name),
                ) == QMessageBox.StandardButton.Yes
            if not confirm:
                return False
        try:
            operators.set_active(chosen.id, not chosen.active)
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self.reload()
        return True
