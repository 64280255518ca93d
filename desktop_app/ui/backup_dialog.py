"""备份与恢复 at the window: a copy now (to the backups folder or a USB stick, with a password),
and restoring a copy after it has been checked and shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.errors import UserError
from desktop_app.services import backup, backup_restore
from desktop_app.ui.forms import BAD_STYLE, browse_row, close_button, password_edit
from desktop_app.ui.screen_fit import available, room_for
from desktop_app.ui.text import breakable, fill
from desktop_app.ui.operations import Operation


PATH_CHARS = 56  # a backup folder on a USB stick, or a copy's name, fits without scrolling
PATH_SHARE = 0.6  # a long path widens its field up to this share of the screen, then scrolls


def path_field(name: str, text: str = "") -> QLineEdit:
    """A file or folder field as wide as its path (at least :data:`PATH_CHARS` characters, at
    most :data:`PATH_SHARE` of the screen), the whole path in its tooltip."""
    edit = QLineEdit(text)
    edit.setObjectName(name)
    edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * PATH_CHARS)
    edit.textChanged.connect(lambda path: _widen(edit, path))
    _widen(edit, text)
    return edit


def _widen(edit: QLineEdit, path: str) -> None:
    edit.setToolTip(path)
    wanted = room_for(edit, path)
    widest = int(available(edit).width() * PATH_SHARE)
    if wanted > edit.minimumWidth():  # grows with a longer path chosen, never shrinks under the person
        edit.setMinimumWidth(min(wanted, widest))


def show_with_path(label: QLabel, text: str, path: object) -> None:
    """``text`` (naming ``path``) in a word-wrapped ``label``, the path breakable at its separators
    rather than cut at the edge; the whole path in the tooltip."""
    label.setText(text.replace(str(path), breakable(path)) if str(path) else text)
    label.setToolTip(str(path))


class BackupDialog(QDialog):
    """A copy now: into the backups folder, or to a chosen folder, encrypted with a password."""

    done = Signal(object)  # BackupResult

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupDialog")
        self.setWindowTitle(self.tr("Back up the ledger"))
        self.folder = path_field("backupFolder", str(backup.backup_dir()))
        row = browse_row(self.folder, self._choose, self.tr("&Choose…"))
        self.password = password_edit("backupPassword")
        self.password.setPlaceholderText(self.tr("required for a USB stick: a lost stick must not leak ID numbers"))
        self.repeat = password_edit("backupRepeat")
        self.status = QLabel()
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Folder"), row)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.repeat)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(lambda: self.start())
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _choose(self) -> None:
        name = QFileDialog.getExistingDirectory(self, self.tr("Back up to"), self.folder.text())
        if name:
            self.folder.setText(name)

    def start(self) -> Operation | None:
        folder = Path(self.folder.text().strip())
        default = folder == backup.backup_dir()
        password = self.password.text() or None
        if password != (self.repeat.text() or None):
            self.status.setText(self.tr("The two passwords differ."))
            self.status.setStyleSheet(BAD_STYLE)
            return None
        if not default and password is None:
            self.status.setText(self.tr("A copy outside the backups folder needs a password."))
            self.status.setStyleSheet(BAD_STYLE)
            return None
        target = None if default else folder
        operation = Operation(self, op=lambda job: backup.create_backup("manual", folder=target, password=password,
                                                                        progress=job.progress),
                              success=self._finished,
                              failure=lambda exc: (self.status.setText(str(exc)), self.status.setStyleSheet(BAD_STYLE)))
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Copying…"))
        return operation.run_in_background()

    def _finished(self, result: backup.BackupResult) -> None:
        show_with_path(self.status, fill(self.tr("Copy written: %1 (%2 MB%3)"), str(result.path),
                                         f"{result.size / 1e6:.1f}",
                                         self.tr(", encrypted") if result.encrypted else ""), result.path)
        self.done.emit(result)


class RestoreDialog(QDialog):
    """Pick a copy, see what it holds (checked first), then replace the ledger with it."""

    restored = Signal(object)  # RestoreResult

    def __init__(self, window, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent or window)
        self.setObjectName("restoreDialog")
        self.window_ = window
        self.setWindowTitle(self.tr("Restore a backup"))
        self.file = path_field("restoreFile")
        row = browse_row(self.file, self._choose, self.tr("&Choose…"))
        self.password = password_edit("restorePassword")
        self.facts = QLabel()
        self.facts.setObjectName("restoreFacts")
        self.facts.setWordWrap(True)
        self.check_button = QPushButton(self.tr("Check the copy"))
        self.check_button.clicked.connect(self.check)
        self.restore_button = QPushButton(self.tr("Replace the ledger with it"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(lambda: self.start())
        form = QFormLayout()
        form.addRow(self.tr("Backup file"), row)
        form.addRow(self.tr("Password (if encrypted)"), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.facts)
        layout.addLayout(buttons)
        layout.addWidget(close_button(self))

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Backup file"), str(backup.backup_dir()),
                                              "*.sqlite *.ledgerbackup")
        if name:
            self.file.setText(name)

    def check(self) -> bool:
        try:
            facts = backup_restore.inspect_backup(Path(self.file.text().strip()), self.password.text() or None)
        except UserError as exc:
            self.facts.setText(str(exc))
            self.facts.setStyleSheet(BAD_STYLE)
            self.restore_button.setEnabled(False)
            return False
        self.facts.setStyleSheet("")
        self.facts.setText(
            fill(self.tr("The copy is sound: %1, %2 persons in %3 households, years %4; last change %5."),
                 facts.township or "—", f"{facts.persons:,}",
                 f"{facts.households:,}", "、".join(map(str, facts.years)) or "—",
                 facts.last_change or "—")
            + "".join(f"\n{warning}" for warning in facts.warnings)  # Chinese, from the service
        )
        self.restore_button.setEnabled(True)
        return True

    def start(self, confirm: bool = True) -> Operation | None:
        if confirm and QMessageBox.question(
            self, self.tr("Restore"), self.tr("Replace the ledger with this copy? The ledger now in use is kept as a backup.")
        ) != QMessageBox.StandardButton.Yes:
            return None
        source, password = Path(self.file.text().strip()), self.password.text() or None
        window = self.window_
        window.before_ledger_replaced()
        operation = Operation(
            self, op=lambda job: backup_restore.restore(source, window.ledger_path, password, job.progress),
            success=lambda result: (window.after_ledger_replaced(), self.restored.emit(result),
                                    show_with_path(self.facts, fill(self.tr("Restored. The replaced ledger was kept as %1"),
                                                                    str(result.previous_kept or "—")),
                                                   result.previous_kept or "")),
            failure=lambda exc: (window.after_ledger_replaced(), self.facts.setText(str(exc)),
                                 self.facts.setStyleSheet(BAD_STYLE)))
        self.restore_button.setEnabled(False)
        return operation.run_in_background()
