"""年度政策: a year's standard and category rules side by side with what each leaves to pay."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.resources import resource
from desktop_app.services import access
from desktop_app.services import policy as policy_service
from desktop_app.services import policy_load
from desktop_app.ui.forms import close_button
from desktop_app.ui.labels import mode_label, yuan
from desktop_app.ui.next_year_dialog import NextYearPolicyDialog
from desktop_app.ui.pickers import YearPicker
from desktop_app.ui.tables import table_view
from desktop_app.ui.text import fill
from desktop_app.ui.operations import Operation


class PolicyDialog(QDialog):
    policy_loaded = Signal(int)

    def __init__(self, year: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyDialog")
        self.setWindowTitle(self.tr("Policy of the year"))
        self.resize(760, 420)
        self.year_box = YearPicker("policyYear")
        self.year_box.value_changed.connect(self.show_year)
        self.load_button = QPushButton(self.tr("Load a policy file…"))
        self.load_button.clicked.connect(self.choose_file)
        self.next_year_button = QPushButton(self.tr("Next year's policy…"))
        self.next_year_button.setObjectName("nextYearButton")
        self.next_year_button.clicked.connect(self.start_next_year)
        session = access.current()
        self.next_year_button.setEnabled(session is None or session.is_admin)  # loading a policy is an administrator's
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Year")))
        top.addWidget(self.year_box)
        top.addStretch(1)
        top.addWidget(self.next_year_button)
        top.addWidget(self.load_button)
        self.standard = QLabel()
        self.standard.setObjectName("policyStandard")
        self.model = QStandardItemModel(0, 5, self)
        self.table = table_view(self.model, "policyTable", rows=False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.standard)
        layout.addWidget(self.table, 1)
        layout.addWidget(close_button(self))
        self.warning_box: QMessageBox | None = None  # the last load's warning, when it had one
        self.reload_years(year)

    def reload_years(self, year: int | None) -> None:
        self.year_box.reload(year)
        self.show_year(self.year_box.value())

    def show_year(self, year: int | None) -> None:
        self.model.clear()
        self.model.setHorizontalHeaderLabels(
            [self.tr("Category"), self.tr("Subsidy rule"), self.tr("Subsidy"), self.tr("Personal due"),
             self.tr("Collection mode")]
        )
        policy = policy_service.policy_for_year(year) if year is not None else None
        if policy is None:
            self.standard.setText(self.tr("No policy loaded yet. Load the year's policy file."))
            return
        self.standard.setText(
            fill(self.tr("Standard personal contribution %1 per person; collection period %2 to %3"),
                 yuan(policy.standard_fen),
                 policy.collection_start.isoformat(),
                 policy.collection_end.isoformat())
        )
        for _code, name, words, charge in policy_service.charge_table(policy):
            cells = [QStandardItem(name), QStandardItem(words), QStandardItem(yuan(charge.subsidy_fen)),
                     QStandardItem(yuan(charge.due_fen)), QStandardItem(mode_label(charge.mode.value))]
            for cell in cells[2:4]:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow(cells)

    def choose_file(self) -> None:
        start = str(resource("policies"))
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Policy file"), start, self.tr("Policy files (*.toml)")
        )
        if name:
            self.load_file(Path(name))

    def start_next_year(self) -> NextYearPolicyDialog:
        """下一年度政策 from the window: the newest year copied into a form, loaded on Save."""
        dialog = NextYearPolicyDialog(self)
        dialog.saved.connect(self._loaded)
        dialog.show()
        return dialog

    def load_file(self, path: Path) -> Operation:
        """Load off the UI thread (it recomputes the whole year), then show that year."""
        self.load_button.setEnabled(False)
        return Operation(self, op=lambda _job: policy_load.load_policy(path),
                         success=self._loaded, failure=self._failed).run_in_background()

    def _loaded(self, result: policy_load.PolicyLoadResult) -> None:
        self.load_button.setEnabled(True)
        self.reload_years(result.year)
        if result.warnings:  # loaded all the same; said once, here (DOMAIN.md §10)
            self.warning_box = QMessageBox(
                QMessageBox.Icon.Information, self.tr("Policy loaded with a warning"),
                "\n".join(result.warnings), QMessageBox.StandardButton.Ok, self,
            )
            self.warning_box.setObjectName("policyLoadWarning")
            self.warning_box.open()
        self.policy_loaded.emit(result.year)

    def _failed(self, exc: BaseException) -> None:
        self.load_button.setEnabled(True)
        QMessageBox.warning(self, self.tr("Policy file refused"), str(exc))
