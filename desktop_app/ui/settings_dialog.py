"""设置: township name and code, default year, the notices' 咨询电话, language, the ledger file.

There is no operator name here: the audit trail names the operator logged in, never a setting.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from desktop_app.services import access, notices
from desktop_app.services import ledger as ledger_service
from desktop_app.ui.forms import FormDialog, line_edit
from desktop_app.ui.pickers import YearPicker
from desktop_app.ui.work_copy import refusal


class SettingsDialog(FormDialog):
    def __init__(self, ledger_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.resize(560, 280)
        self.township = line_edit("settingsTownship")
        self.code = line_edit("settingsCode", self.tr("9 digits, e.g. 431199101"))
        self.year = YearPicker("settingsYear", none_text=self.tr("The newest year"))
        self.phone = line_edit("settingsPhone", self.tr("e.g. 0731-84123456 or 13812345678"))
        self.language = QComboBox()
        self.language.setObjectName("settingsLanguage")
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        ledger = QLabel(str(ledger_path))
        ledger.setWordWrap(True)
        session = access.current()
        self.admin_only = QLabel(self.tr("Only an administrator can change the township, its code, the default year and the phone on the notices."))
        self.admin_only.setObjectName("settingsAdminOnly")
        self.admin_only.setWordWrap(True)
        clerk = session is not None and not session.is_admin
        self.admin_only.setVisible(clerk)
        for field in (self.township, self.code, self.year, self.phone):
            field.setEnabled(not clerk)  # the services refuse a clerk anyway; this says so first
        refused = refusal("修改乡镇名称和代码")  # a work copy's township is the township's (ui/work_copy)
        if refused:
            for field in (self.township, self.code):
                field.setEnabled(False)
                field.setToolTip(refused)
        form = QFormLayout()
        form.addRow(self.tr("Township"), self.township)
        form.addRow(self.tr("Township code"), self.code)
        form.addRow(self.tr("Default year"), self.year)
        form.addRow(self.tr("Phone on payment notices (咨询电话)"), self.phone)
        form.addRow(self.tr("Language (after restart)"), self.language)
        form.addRow(self.tr("Ledger file"), ledger)
        self.finish_layout(form, self.admin_only)

    def load(self) -> None:
        town = ledger_service.township()
        self.township.setText(town.name if town else "")
        self.code.setText((town.code or "") if town else "")
        default_year = ledger_service.get_setting("default_year") or ""
        self.year.reload(int(default_year) if default_year.isdigit() else None)
        self.phone.setText(notices.consult_phone())
        language = QSettings().value("ui/language", "zh_CN")
        self.language.setCurrentIndex(max(self.language.findData(language), 0))

    def save(self) -> None:
        notices.set_consult_phone(self.phone.text())  # first: a wrong number refuses before anything is written
        ledger_service.set_township(self.township.text().strip() or None, self.code.text().strip() or None)
        year = self.year.value()
        ledger_service.set_setting("default_year", "" if year is None else str(year))
        QSettings().setValue("ui/language", self.language.currentData())
