"""The village laptop's side of a work package: opening one from the start screen, and a window
that shows plainly it works on a village's work copy.

Opening makes the work copy (:func:`desktop_app.services.packages.open_package`) in the data
folder's 工作副本 folder and remembers it, so that the program opens it again at the next start.
In a work copy the window says so in a banner above its lists and in its title, and the actions
the services refuse there are disabled with the services' reason as their tooltip: the window
asks the rule (:data:`desktop_app.services.access.TOWNSHIP_ONLY` in a work copy), it never decides it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QSizePolicy, QWidget

from desktop_app.services import access, packages
from desktop_app.store.paths import data_dir
from desktop_app.ui.backup_dialog import path_field
from desktop_app.ui.forms import FormDialog, browse_row, password_edit
from desktop_app.ui.package_dialogs import PACKAGE_FILTER
from desktop_app.ui.text import fill

WORK_COPY_KEY = "packages/work_copy"  # the work copy opened on this laptop, opened again at start
WORK_COPY_FOLDER = "工作副本"
BANNER_STYLE = ("background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a; padding: 4px 8px; "
                "font-weight: bold;")

#: The window's actions and the services' name of each (as :func:`access.require_admin` is asked):
#: those the services keep to the township's ledger are disabled in a work copy.
REFUSED_ACTIONS = {"import_action": "导入县里的表格", "policy_action": "载入年度政策",
                   "operators_action": "添加操作员", "restore_action": "恢复备份",
                   "hand_out_action": "派发村级工作包", "merge_action": "合并村里交回的工作包"}


def work_copy_path(package: Path) -> Path:
    """A new file in the data folder's 工作副本 folder, named after the package."""
    folder = data_dir() / WORK_COPY_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    candidate, n = folder / f"{package.stem}.sqlite", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{package.stem}-{n}.sqlite"
    return candidate


def remembered_work_copy() -> Path | None:
    """The work copy this laptop opened last, when it is still there."""
    value = QSettings().value(WORK_COPY_KEY)
    path = Path(str(value)) if value else None
    return path if path is not None and path.is_file() else None


class OpenPackageDialog(FormDialog):
    """打开工作包: the package file and its password (or pairing code) → the work copy, made."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, "openPackageError")
        self.setObjectName("openPackageDialog")
        self.setWindowTitle(self.tr("Open a work package"))
        intro = QLabel(self.tr("The township gave you a work package file (….ledgerpack) and a password or a "
                               "pairing code on paper. Opening it makes this laptop's work copy of your villages."))
        intro.setWordWrap(True)
        self.file = path_field("openPackageFile")
        self.password = password_edit("openPackagePassword")
        self.password.setPlaceholderText(self.tr("password or pairing code"))
        form = QFormLayout()
        form.addRow(self.tr("Package file"), browse_row(self.file, self._choose, self.tr("&Choose…")))
        form.addRow(self.tr("Password"), self.password)
        self.opened: packages.WorkCopyInfo | None = None
        self.finish_layout(intro, form, ok=QDialogButtonBox.StandardButton.Open)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Package file"), str(Path.home()),
                                              f"{PACKAGE_FILTER} (*)")
        if name:
            self.file.setText(name)

    def check(self) -> str | None:
        if not self.file.text().strip() or not self.password.text():
            return self.tr("Choose the package file and enter its password or pairing code.")
        return None

    def save(self) -> packages.WorkCopyInfo:
        package = Path(self.file.text().strip())
        target = work_copy_path(package)
        info = packages.open_package(package, self.password.text(), target)
        self.opened = info
        QSettings().setValue(WORK_COPY_KEY, str(info.path or target))
        return info


def refusal(what: str) -> str | None:
    """Why ``what`` is not available here, when the services refuse it in this work copy."""
    if what in access.TOWNSHIP_ONLY and access.is_work_copy():
        return fill(QCoreApplication.translate("WorkCopy", "Not in a village work copy: %1 is done on the "
                                                           "township's ledger."), what)
    return None


def banner(parent: QWidget | None = None) -> QLabel | None:
    """The work copy's banner ("村级工作副本：东山村 · 2026年度 · 基于12月1日的台账"), or None on a
    township ledger."""
    info = packages.work_copy_info()
    if info is None:
        return None
    label = QLabel(info.banner(), parent)
    label.setObjectName("workCopyBanner")
    label.setStyleSheet(BANNER_STYLE)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # a line, not a block
    label.setToolTip(QCoreApplication.translate(
        "WorkCopy", "What is changed here goes back to the township as a return file (Ledger → Return the work package…)."))
    return label


def mark_window(window) -> QLabel | None:  # noqa: ANN001
    """Mark ``window`` when its ledger is a work copy: the banner, the title, and each refused
    action disabled with the services' reason as its tooltip. Returns the banner (None: a
    township ledger, nothing changed)."""
    label = banner(window)
    if label is None:
        return None
    for attribute, what in REFUSED_ACTIONS.items():
        reason = refusal(what)
        action = getattr(window, attribute)
        if reason:
            action.setEnabled(False)
            action.setToolTip(reason)
            action.setStatusTip(reason)
    window.statusBar().insertPermanentWidget(0, QLabel(label.text()))
    return label


def open_package_at_start(parent: QWidget | None = None) -> packages.WorkCopyInfo | None:
    dialog = OpenPackageDialog(parent)
    return dialog.opened if dialog.exec() == QDialog.DialogCode.Accepted else None

