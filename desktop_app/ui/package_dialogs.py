"""Village work packages at the window: handing one out (township), the pairing code to copy
onto paper, and on the village laptop returning the work and taking a newer package.

What a package holds, how it is encrypted and what a work copy may do are the services'
(:mod:`desktop_app.services.packages`); these forms only ask and show. Every file is written off
the UI thread through :class:`~desktop_app.ui.operations.Operation`, with progress.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import packages
from desktop_app.services.households import village_names
from desktop_app.ui.backup_dialog import path_field, show_with_path
from desktop_app.ui.forms import BAD_STYLE, browse_row, close_button, password_edit, push_button
from desktop_app.ui.operations import Operation
from desktop_app.ui.pickers import YearPicker
from desktop_app.ui.text import fill

PACKAGE_FILTER = f"*{packages.PACKAGE_SUFFIX}"
RETURN_FILTER = f"*{packages.RETURN_SUFFIX}"


def return_file_name(info) -> str:  # noqa: ANN001
    """东山村-2026-交回.ledgerreturn: which villages and year, as the township sees it arrive."""
    return f"{'、'.join(info.villages)}-{info.year}-交回{packages.RETURN_SUFFIX}"


class _FileJobDialog(QDialog):
    """A file, a password (or a pairing code) and a button that runs the job in the background;
    the outcome, or the services' refusal, in the status line under them."""

    finished = Signal(object)  # what the job returned

    def __init__(self, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.status = QLabel()
        self.status.setObjectName(name + "Status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def finish(self, *parts) -> None:  # noqa: ANN002
        """``parts`` top to bottom, the status line, then the job's button beside Close."""
        layout = QVBoxLayout(self)
        for part in parts:
            layout.addLayout(part) if isinstance(part, QLayout) else layout.addWidget(part)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.go_button)
        buttons.addWidget(close_button(self))
        layout.addLayout(buttons)

    def finish_file_form(self, intro: str, file_label: str, password_hint: str, go: QPushButton) -> None:
        """The dialogs that ask only for a file and its password: a word-wrapped ``intro``, then
        ``file_label`` (``self.file``, Choose… beside it running ``self._choose``) and Password
        (``self.password``, showing ``password_hint``), then ``go`` beside Close."""
        text = QLabel(intro)
        text.setWordWrap(True)
        self.password.setPlaceholderText(password_hint)
        form = QFormLayout()
        form.addRow(file_label, browse_row(self.file, self._choose, self.tr("&Choose…")))
        form.addRow(self.tr("Password"), self.password)
        self.go_button = go
        self.finish(text, form)

    def _refuse(self, text: str) -> None:
        """``text`` in the status line as a refusal (what is missing, or why the job failed)."""
        self.status.setStyleSheet(BAD_STYLE)
        self.status.setText(text)

    def _file_and_password(self, missing: str) -> tuple[Path, str] | None:
        """The file and the password typed in ``self.file`` and ``self.password``, or None (and
        ``missing`` said in the status line) when either is empty."""
        name, password = self.file.text().strip(), self.password.text()
        if not name or not password:
            self._refuse(missing)
            return None
        return Path(name), password

    def _run_on_file(self, missing: str, label: str, job: Callable[[Path, str], object], done) -> Operation | None:  # noqa: ANN001
        """``job(file, password)`` in the background once both are typed (else ``missing`` is said)."""
        chosen = self._file_and_password(missing)
        if chosen is None:
            return None
        path, password = chosen
        return self._run(label, lambda _job: job(path, password), done)

    def _refused(self, exc: Exception) -> None:
        self._refuse(str(exc))  # the services' reason, in Chinese
        self.go_button.setEnabled(True)

    def _run(self, label: str, op, done) -> Operation:  # noqa: ANN001
        self.status.setStyleSheet("")
        self.status.setText(label)
        self.go_button.setEnabled(False)

        def succeeded(result: object) -> None:
            self.go_button.setEnabled(True)
            done(result)
            self.finished.emit(result)

        return Operation(self, op=op, success=succeeded, failure=self._refused).with_progress(label).run_in_background()


class HandOutDialog(_FileJobDialog):
    """派发村级工作包: villages and a year → one encrypted file for a village doctor's laptop."""

    def __init__(self, year: int | None, parent: QWidget | None = None) -> None:
        super().__init__("handOutDialog", parent)
        self.setWindowTitle(self.tr("Hand out a village work package"))
        self.villages = QListWidget()
        self.villages.setObjectName("handOutVillages")
        self.villages.setMaximumHeight(self.fontMetrics().height() * 10)
        for name in village_names():
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.villages.addItem(item)
        self.villages.itemChanged.connect(lambda _item: self._suggest_file())
        self.year_box = YearPicker("handOutYear")
        self.year_box.reload(year)
        self.year_box.value_changed.connect(lambda _year: self._suggest_file())
        self.file = path_field("handOutFile")
        self._suggested = ""
        self.by_password = QRadioButton(self.tr("A password I give the village doctor"))
        self.by_password.setObjectName("handOutByPassword")
        self.by_code = QRadioButton(self.tr("Print a pairing code"))
        self.by_code.setObjectName("handOutByCode")
        group = QButtonGroup(self)
        for button in (self.by_password, self.by_code):
            group.addButton(button)
        self.by_password.setChecked(True)
        self.password = password_edit("handOutPassword")
        self.repeat = password_edit("handOutRepeat")
        self.by_password.toggled.connect(self._method_changed)
        form = QFormLayout()
        form.addRow(self.tr("Villages"), self.villages)
        form.addRow(self.tr("Year"), self.year_box)
        form.addRow(self.tr("Save as"), browse_row(self.file, self._choose, self.tr("&Choose…")))
        form.addRow(self.tr("Protect with"), self.by_password)
        form.addRow("", self.by_code)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.repeat)
        self.go_button = push_button(self.tr("&Write the package"), "handOutWrite", lambda: self.start())
        self.finish(form)
        self.code_dialog: PairingCodeDialog | None = None

    def chosen_villages(self) -> list[str]:
        return [self.villages.item(i).text() for i in range(self.villages.count())
                if self.villages.item(i).checkState() == Qt.CheckState.Checked]

    def choose_villages(self, names: list[str]) -> None:
        for i in range(self.villages.count()):
            item = self.villages.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)

    def _method_changed(self, by_password: bool) -> None:
        self.password.setEnabled(by_password)
        self.repeat.setEnabled(by_password)

    def _suggest_file(self) -> None:
        """东山村-2026.ledgerpack beside the last one, until the person types a name of their own."""
        if self.file.text() and self.file.text() != self._suggested:
            return
        names, year = self.chosen_villages(), self.year_box.value()
        if not names or year is None:
            return
        folder = Path(self._suggested).parent if self._suggested else Path.home()
        self._suggested = str(folder / f"{'、'.join(names)}-{year}{packages.PACKAGE_SUFFIX}")
        self.file.setText(self._suggested)

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save the package as"), self.file.text(), PACKAGE_FILTER)
        if name:
            self.file.setText(name)

    def start(self) -> Operation | None:
        names, year, target = self.chosen_villages(), self.year_box.value(), self.file.text().strip()
        refusal = None
        if not names:
            refusal = self.tr("Tick the villages the package is for.")
        elif year is None:
            refusal = self.tr("Choose the year.")
        elif not target:
            refusal = self.tr("Choose where to save the package.")
        elif self.by_password.isChecked() and not self.password.text():
            refusal = self.tr("Enter the password, or choose a pairing code.")
        elif self.by_password.isChecked() and self.password.text() != self.repeat.text():
            refusal = self.tr("The two passwords differ.")
        if refusal is not None:
            self._refuse(refusal)
            return None
        password = self.password.text() if self.by_password.isChecked() else None
        return self._run(self.tr("Writing the package…"),
                         lambda _job: packages.create_package(names, year, Path(target), password=password),
                         self._written)

    def _written(self, result) -> None:  # noqa: ANN001
        show_with_path(self.status, fill(self.tr("Package written: %1 (%2 households, %3 persons)."),
                                         str(result.path), f"{result.households:,}", f"{result.persons:,}"),
                       result.path)
        if result.pairing_code:
            self.code_dialog = PairingCodeDialog(result.pairing_code, result.path, self)
            self.code_dialog.open()


class PairingCodeDialog(QDialog):
    """The pairing code, big, to copy onto paper for the village doctor (it opens the package)."""

    def __init__(self, code: str, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pairingCodeDialog")
        self.setWindowTitle(self.tr("Pairing code"))
        self.setMinimumWidth(480)
        intro = QLabel(fill(self.tr("Copy this code onto paper and give it to the village doctor with the "
                                    "package %1. Without it the package cannot be opened; it is not shown again."),
                            Path(path).name))
        intro.setWordWrap(True)
        self.code = QLabel(code)
        self.code.setObjectName("pairingCode")
        font = QFont("Noto Sans Mono CJK SC")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(36)
        font.setBold(True)
        self.code.setFont(font)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.code)
        layout.addWidget(close_button(self))


class ReturnDialog(_FileJobDialog):
    """交回工作包: the work copy's changes since its package, to one file for the township."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("returnDialog", parent)
        self.setWindowTitle(self.tr("Return the work package"))
        info = packages.work_copy_info()
        self.file = path_field("returnFile", str(Path.home() / return_file_name(info)))
        self.password = password_edit("returnPassword")
        self.finish_file_form(
            fill(self.tr("The changes made here since the package (%1) are written to one file "
                         "for the township. Nothing here is changed."), info.banner()),
            self.tr("Save as"), self.tr("the township enters it to merge (the package's own is simplest)"),
            push_button(self.tr("&Write the return file"), "returnWrite", lambda: self.start()),
        )

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save the return file as"), self.file.text(),
                                              RETURN_FILTER)
        if name:
            self.file.setText(name)

    def start(self) -> Operation | None:
        return self._run_on_file(self.tr("Choose where to save the file and enter the password."),
                                 self.tr("Writing the return file…"),
                                 lambda target, password: packages.write_return(target, password=password),
                                 self._written)

    def _written(self, result) -> None:  # noqa: ANN001
        show_with_path(self.status, fill(self.tr("Return file written: %1 (%2 changes). Take it to the township."),
                                         str(result.path), f"{result.changes:,}"), result.path)


class RefreshDialog(_FileJobDialog):
    """用新工作包更新: a newer package for the same villages; the changes not yet returned stay on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("refreshDialog", parent)
        self.setWindowTitle(self.tr("Update from a newer package"))
        self.file = path_field("refreshFile")
        self.password = password_edit("refreshPassword")
        self.finish_file_form(
            self.tr("The township's newer package replaces what this copy was based on; what was "
                    "typed here and not yet returned is kept on top of it."),
            self.tr("Package file"), self.tr("the new package's password or pairing code"),
            push_button(self.tr("&Update"), "refreshGo", lambda: self.start()),
        )

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Package file"), str(Path.home()), PACKAGE_FILTER)
        if name:
            self.file.setText(name)

    def start(self) -> Operation | None:
        return self._run_on_file(self.tr("Choose the package file and enter its password."),
                                 self.tr("Updating the work copy…"), packages.refresh_work_copy, self._updated)

    def _updated(self, info) -> None:  # noqa: ANN001
        self.status.setText(fill(self.tr("Updated. What was typed here and not yet returned is kept. Now: %1"),
                                 info.banner()))
