"""下一年度政策: last year's policy copied into a form for editing, then loaded like a policy file.

The form checks nothing of its own but the national document it must name: its values become a
policy file's text (:mod:`desktop_app.services.policy_draft`) that the loader checks as it checks
any file, and a refusal shows the loader's reason.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from desktop_app.domain.policy import POLICY_YEARS, PolicyError
from desktop_app.errors import UserError
from desktop_app.services import policy as policy_service
from desktop_app.services import policy_draft, policy_load
from desktop_app.services.policy_draft import CategoryDraft, PolicyDraft
from desktop_app.ui.forms import FormDialog, date_edit, line_edit
from desktop_app.ui.text import fill


class PolicyRefused(UserError):
    """The loader's reason, without the line numbers of a text the clerk never saw."""


class _CategoryRow:
    """One category's line of the form: its name, how it is subsidised, the amount or share."""

    def __init__(self, draft: CategoryDraft) -> None:
        self.code = draft.code
        self.name = QLineEdit(draft.name)
        self.name.setObjectName(f"categoryName_{draft.code}")
        self.mode = QComboBox()
        self.mode.setObjectName(f"categoryMode_{draft.code}")
        for code, words in (("full", QCoreApplication.translate("NextYearPolicyDialog", "Full subsidy")),
                            ("fixed", QCoreApplication.translate("NextYearPolicyDialog", "Fixed amount")),
                            ("ratio", QCoreApplication.translate("NextYearPolicyDialog", "Share of the standard"))):
            self.mode.addItem(words, code)
        self.mode.setCurrentIndex(max(self.mode.findData(draft.mode), 0))
        self.value = QLineEdit()
        self.value.setObjectName(f"categoryValue_{draft.code}")
        self.unit = QLabel()
        self._amount, self._percent = draft.amount, draft.percent
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self._mode_changed()

    def _mode_changed(self) -> None:
        mode = self.mode.currentData()
        self.value.setEnabled(mode != "full")
        self.value.setText(self._amount if mode == "fixed" else self._percent if mode == "ratio" else "")
        yuan = QCoreApplication.translate("NextYearPolicyDialog", "yuan")
        self.unit.setText(yuan if mode == "fixed" else "%" if mode == "ratio" else "")

    def draft(self) -> CategoryDraft:
        mode = self.mode.currentData()
        value = self.value.text()
        return CategoryDraft(self.code, self.name.text(), mode, value if mode == "fixed" else "",
                             value if mode == "ratio" else "")


class NextYearPolicyDialog(FormDialog):
    """The newest year's policy copied for the year after; Save loads it as that year's policy."""

    def __init__(self, parent: QWidget | None = None, draft: PolicyDraft | None = None) -> None:
        super().__init__(parent, "nextYearError")
        self.setObjectName("nextYearPolicyDialog")
        self.draft = draft or policy_draft.next_year_draft()
        self.setWindowTitle(self.tr("Next year's policy"))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("国") * 44)  # a category's full name shows
        self.year = QSpinBox()
        self.year.setObjectName("nextYear")
        self.year.setRange(POLICY_YEARS.start, POLICY_YEARS.stop - 1)
        self.document = line_edit("policyDocument", self.tr("the national notice and its number, e.g. 医保发〔2025〕…号"))
        self.standard = line_edit("policyStandardEdit")
        self.start, self.end = date_edit("collectionStart"), date_edit("collectionEnd")
        top = QFormLayout()
        top.addRow(self.tr("Year"), self.year)
        top.addRow(self.tr("Policy document"), self.document)
        top.addRow(self.tr("Personal contribution (yuan)"), self.standard)
        top.addRow(self.tr("Collection period from"), self.start)
        top.addRow(self.tr("to"), self.end)

        self.rows = [_CategoryRow(c) for c in self.draft.categories]
        grid = QGridLayout()
        for column, title in enumerate((self.tr("Category"), self.tr("Subsidy"), self.tr("Amount or share"))):
            grid.addWidget(QLabel(title), 0, column)
        for index, row in enumerate(self.rows, start=1):
            grid.addWidget(row.name, index, 0)
            grid.addWidget(row.mode, index, 1)
            grid.addWidget(row.value, index, 2)
            grid.addWidget(row.unit, index, 3)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 1)
        categories = QGroupBox(self.tr("Categories and their subsidy"))
        categories.setLayout(grid)

        self.waiting = {key: QLineEdit() for key in policy_draft.WAITING_KEYS}
        labels = {
            "fixed_months": self.tr("Fixed waiting period (months)"),
            "months_per_break_year": self.tr("Extra months per year of break beyond the first"),
            "months_repaid_per_year": self.tr("Months repaired per year paid back"),
            "floor_after_years": self.tr("After a break of this many years…"),
            "floor_months": self.tr("…the waiting period stays at least (months)"),
        }
        waiting_form = QFormLayout()
        for key, edit in self.waiting.items():
            edit.setObjectName(f"waiting_{key}")
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            waiting_form.addRow(labels[key], edit)
        waiting = QGroupBox(self.tr("Waiting periods"))
        waiting.setLayout(waiting_form)
        copied = QLabel(fill(self.tr("Copied from the policy of %1; change what the new year's notice changes."),
                             str(self.draft.copied_from or "")))
        copied.setWordWrap(True)
        self.finish_layout(copied, top, categories, waiting)

    def load(self) -> None:
        draft = self.draft
        self.year.setValue(draft.year)
        self.document.setText(draft.document)
        self.standard.setText(draft.standard)
        self.start.setDate(QDate(draft.collection_start))
        self.end.setDate(QDate(draft.collection_end))
        for key, edit in self.waiting.items():
            edit.setText(draft.waiting.get(key, ""))

    def filled(self) -> PolicyDraft:
        """The form as a draft."""
        return PolicyDraft(
            self.year.value(), self.standard.text(), self.start.date().toPython(), self.end.date().toPython(),
            [row.draft() for row in self.rows], {key: edit.text() for key, edit in self.waiting.items()},
            self.draft.exempt_categories, self.document.text(), self.draft.copied_from,
        )

    def check(self) -> str | None:
        if not self.document.text().strip():
            return self.tr("Name the national document this year's policy follows (the notice and its number).")
        return None

    def confirm(self, answer: bool | None) -> bool:
        year = self.year.value()
        if year not in policy_service.policy_years():
            return True
        if answer is not None:
            return answer
        return QMessageBox.question(
            self, self.windowTitle(),
            fill(self.tr("The policy of %1 is loaded already. Replace it with this one?"), str(year)),
        ) == QMessageBox.StandardButton.Yes

    def save(self) -> policy_load.PolicyLoadResult:
        draft = self.filled()
        try:
            return policy_draft.load_draft(draft)
        except PolicyError as exc:
            raise PolicyRefused(exc.problem) from exc
