"""设置: township name and code, default year, language, the ledger file.

There is no operator name here: the audit trail names the operator logged in, never a setting.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.errors import UserError
from desktop_app.services import access
from desktop_app.services import ledger as ledger_service
from desktop_app.services.policy import policy_years
from desktop_app.ui.forms import error_label, save_cancel


class SettingsDialog(QDialog):
    saved = Signal()

    def __init__(self, ledger_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.resize(560, 280)
        town = ledger_service.township()
        self.township = QLineEdit(town.name if town else "")
        self.township.setObjectName("settingsTownship")
        self.code = QLineEdit((town.code or "") if town else "")
        self.code.setObjectName("settingsCode")
        self.code.setPlaceholderText(self.tr("9 digits, e.g. 431199101"))
        self.year = QComboBox()
        self.year.setObjectName("settingsYear")
        self.year.addItem(self.tr("The newest year"), "")
        for year in policy_years():
            self.year.addItem(str(year), str(year))
        self.year.setCurrentIndex(max(self.year.findData(ledger_service.get_setting("default_year")), 0))
        settings = QSettings()
        self.language = QComboBox()
        self.language.setObjectName("settingsLanguage")
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(settings.value("ui/language", "zh_CN")), 0))
        ledger = QLabel(str(ledger_path))
        ledger.setWordWrap(True)
        self.error = error_label()
        session = access.current()
        self.admin_only = QLabel(self.tr("Only an administrator can change the township, its code and the default year."))
        self.admin_only.setObjectName("settingsAdminOnly")
        self.admin_only.setWordWrap(True)
        clerk = session is not None and not session.is_admin
        self.admin_only.setVisible(clerk)
        for field in (self.township, self.code, self.year):
            field.setEnabled(not clerk)  # the services refuse a clerk anyway; this says so first
        form = QFormLayout()
        form.addRow(self.tr("Township"), self.township)
        form.addRow(self.tr("Township code"), self.code)
        form.addRow(self.tr("Default year"), self.year)
        form.addRow(self.tr("Language (after restart)"), self.language)
        form.addRow(self.tr("Ledger file"), ledger)
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.admin_only)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> bool:
        try:
            ledger_service.set_township(self.township.text().strip() or None, self.code.text().strip() or None)
            ledger_service.set_setting("default_year", self.year.currentData())
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        settings = QSettings()
        settings.setValue("ui/language", self.language.currentData())
        self.saved.emit()
        self.accept()
        return True
