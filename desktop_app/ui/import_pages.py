"""The import wizard's four pages, one class each, on the wizard's stack: what each shows and
what it asks; the wizard (:mod:`.import_wizard`) moves between them and runs the work."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.money import format_yuan
from desktop_app.errors import UserError
from desktop_app.services import importing
from desktop_app.services.importing import ImportKind, ImportPlan, RowIssue
from desktop_app.services.policy import policy_years
from desktop_app.services.townships import townships
from desktop_app.ui.forms import browse_row
from desktop_app.ui.pickers import TownshipPicker, YearPicker
from desktop_app.ui.tables import table_view
from desktop_app.ui.text import fill

PREVIEW_ROWS = 50
SAMPLE_ROWS = 5  # the data rows the column-mapping page shows under the file's headers
FILE_FILTER = "*.xlsx *.xls *.ods *.csv"


class ImportChoosePage(QWidget):
    """Step 1: what the file holds, the file, the year, and a category for the whole file; on a
    county database (several townships) also the township a roster is of, whose villages its
    rows are matched to (every township may have a 东山村): no picker on a township's ledger."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_group = QButtonGroup(self)
        kinds = (
            ("roster", self.tr("Roster (households and persons)")),
            ("categories", self.tr("Category list (低保, 特困, 监测对象…)")),
            ("payments", self.tr("Payment feedback from the tax bureau")),
        )
        kind_box = QVBoxLayout()
        for index, (value, text) in enumerate(kinds):
            button = QRadioButton(text)
            button.setProperty("kind", value)
            button.setObjectName(f"kind_{value}")
            self.kind_group.addButton(button, index)
            kind_box.addWidget(button)
        self.kind_group.button(0).setChecked(True)
        self.kind_group.idToggled.connect(lambda _id, _on: self._kind_changed())
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("importFile")
        self.file_edit.setPlaceholderText(self.tr("Excel or CSV file sent by the county"))
        file_row = browse_row(self.file_edit, self.choose_file, self.tr("&Choose…"))
        self.year_box = YearPicker("importYear")
        self.year_box.reload(years=policy_years() or [importing.default_year()])  # the newest chosen
        self.category_edit = QLineEdit()
        self.category_edit.setPlaceholderText(self.tr("e.g. 低保 — only when the file has no category column"))
        self.full_list = QCheckBox(self.tr("This is the full list: end the category for persons not in it"))
        self._towns = townships()
        self.township_box = TownshipPicker("importTownship")
        self.township_box.reload(towns=self._towns)
        if self.township_box.is_county():  # a roster is of one township: no "whole county" here
            self.township_box.removeItem(0)
        form = QFormLayout(self)
        form.addRow(self.tr("What is in the file"), kind_box)
        if len(self._towns) >= 2:
            form.addRow(self.tr("Township the roster is of"), self.township_box)
        else:
            self.township_box.setVisible(False)
        form.addRow(self.tr("File"), file_row)
        form.addRow(self.tr("Year"), self.year_box)
        form.addRow(self.tr("Whole file is category"), self.category_edit)
        form.addRow("", self.full_list)
        self._kind_changed()

    def kind(self) -> str:
        return str(self.kind_group.checkedButton().property("kind"))

    def _kind_changed(self) -> None:
        categories = self.kind() == "categories"
        self.category_edit.setEnabled(categories)
        self.full_list.setEnabled(categories)
        self.township_box.setEnabled(self.kind() == "roster")  # categories and payments go by ID number

    def township(self) -> str | None:
        """The code of the township chosen for a roster on a county database, else None."""
        if len(self._towns) < 2 or self.kind() != "roster":
            return None
        chosen = self.township_box.value()
        return next((t.code for t in self._towns if t.id == chosen), None)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("File to import"), "", fill(self.tr("Spreadsheets (%1)"), FILE_FILTER)
        )
        if name:
            self.file_edit.setText(name)

    def path(self) -> Path:
        return Path(self.file_edit.text().strip())


class ImportColumnsPage(QWidget):
    """Step 2: what each column holds, as read or corrected, over the first data rows under the
    file's own headers; for a file without a recognised header, the first rows and which of
    them is the header."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mapping_boxes: list[tuple[str, int, QComboBox]] = []
        self.no_header = False  # the file had no header row the ledger recognised
        self._path: Path | None = None
        self._raw_sheet = ""
        self.columns_intro = QLabel()
        self.columns_intro.setWordWrap(True)
        self.header_row = QSpinBox()
        self.header_row.setMinimum(1)
        self.header_row.setMaximum(20)
        self.header_row.valueChanged.connect(lambda _v: self._fill_manual_mapping())
        self.header_row_label = QLabel(self.tr("Header is in row"))
        self.raw_model = QStandardItemModel(self)
        self.raw_view = table_view(self.raw_model, rows=False)
        self.mapping_grid = QGridLayout()
        mapping_holder = QWidget()
        mapping_holder.setLayout(self.mapping_grid)
        row = QHBoxLayout()
        row.addWidget(self.header_row_label)
        row.addWidget(self.header_row)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.columns_intro)
        layout.addLayout(row)
        layout.addWidget(self.raw_view, 1)
        layout.addWidget(mapping_holder)

    def _clear_mapping(self) -> None:
        while self.mapping_grid.count():
            item = self.mapping_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.mapping_boxes = []

    def _field_box(self, current: str | None) -> QComboBox:
        box = QComboBox()
        box.addItem(self.tr("(ignore)"), None)
        for value, label in importing.field_choices():
            box.addItem(label, value)
        index = box.findData(current)
        box.setCurrentIndex(max(index, 0))
        return box

    def _add_mapping_row(self, signature: str, column: int, header: str, current: str | None) -> None:
        row = len(self.mapping_boxes)
        box = self._field_box(current)
        box.setObjectName(f"mapping_{column}")
        self.mapping_grid.addWidget(QLabel(header or fill(self.tr("column %1"), str(column + 1))),
                                    row // 3, (row % 3) * 2)
        self.mapping_grid.addWidget(box, row // 3, (row % 3) * 2 + 1)
        self.mapping_boxes.append((signature, column, box))

    def show_mapping(self, plan: ImportPlan) -> None:
        self._clear_mapping()
        self.header_row.setVisible(False)
        self.header_row_label.setVisible(False)
        self._show_sample(plan)
        table = plan.tables[0] if plan.tables else None
        self.columns_intro.setText(
            fill(self.tr("Sheet “%1”: the header was found in row %2 (%3 sheets read). Correct any column "
                         "read wrongly; the correction is remembered for files laid out the same way."),
                 table.sheet if table else "",
                 str(table.header_row_number if table else ""),
                 str(len(plan.tables)))
        )
        if table is None:
            return
        for column, header in enumerate(table.headers):
            if header:
                self._add_mapping_row(table.layout_signature, column, header, table.mapping.get(column))

    def _show_sample(self, plan: ImportPlan) -> None:
        """The first data rows under the file's headers, so a clerk sees what each column holds."""
        headers, rows = importing.first_data_rows(plan, SAMPLE_ROWS)
        self.raw_model.clear()
        width = max([len(headers), *(len(row) for row in rows)], default=0)
        self.raw_model.setColumnCount(width)
        self.raw_model.setHorizontalHeaderLabels(
            [(headers[c] if c < len(headers) else "") or fill(self.tr("column %1"), str(c + 1)) for c in range(width)]
        )
        for values in rows:
            self.raw_model.appendRow([QStandardItem(v) for v in values])
        self.raw_view.horizontalHeader().show()
        self.raw_view.verticalHeader().hide()
        self.raw_view.setVisible(bool(rows))

    def show_raw(self, path: Path) -> None:
        self._path = path
        self.header_row.setVisible(True)
        self.header_row_label.setVisible(True)
        self.raw_view.setVisible(True)
        self.columns_intro.setText(
            self.tr("No header was recognised. Say which row holds the column names and what each "
                    "column holds; at least the ID number column is needed.")
        )
        sheets = importing.preview_sheets(self._path)
        self._raw_sheet = sheets[0][0] if sheets else ""
        rows = sheets[0][1] if sheets else []
        self.raw_model.clear()
        self.raw_view.horizontalHeader().hide()  # the rows themselves hold the header somewhere
        for number, values in enumerate(rows, start=1):
            self.raw_model.appendRow([QStandardItem(v) for v in values])
            self.raw_model.setVerticalHeaderItem(number - 1, QStandardItem(str(number)))
        self.raw_view.verticalHeader().show()
        self._fill_manual_mapping()

    def _fill_manual_mapping(self) -> None:
        if not self.no_header:
            return
        self._clear_mapping()
        try:
            signature, headers, mapping = importing.header_for(
                self._path, self._raw_sheet, self.header_row.value() - 1
            )
        except (ValueError, UserError):
            return
        for column, header in enumerate(headers):
            if header:
                self._add_mapping_row(signature, column, header, mapping.get(column))

    def mapping_changed(self, plan: ImportPlan | None) -> bool:
        if plan is None or not plan.tables:
            return bool(self.mapping_boxes)
        automatic = plan.tables[0].mapping
        return any(box.currentData() != automatic.get(column) for _sig, column, box in self.mapping_boxes)

    def remember_corrections(self) -> None:
        by_signature: dict[str, dict[int, str | None]] = {}
        for signature, column, box in self.mapping_boxes:
            by_signature.setdefault(signature, {})[column] = box.currentData()
        for signature, mapping in by_signature.items():
            importing.remember_mapping(signature, mapping)


class StandardLabel(QLabel):
    """Which standard the import computes charges with: the year's policy in the ledger, or the
    shipped national default of a year whose policy was never loaded (DOMAIN.md section 10)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importStandard")
        self.setWordWrap(True)

    def show_plan(self, plan: ImportPlan) -> None:
        yuan = format_yuan(plan.standard_fen)
        if plan.standard_shipped:
            self.setText(fill(self.tr("No %1 policy was loaded: charges use the program's national default "
                                      "for %1 (personal contribution %2 yuan). Load the county's policy file "
                                      "for its own amounts."), str(plan.year), yuan))
            self.setStyleSheet("color: #a15c00; font-weight: bold;")
        else:
            self.setText(fill(self.tr("Charges use the %1 policy loaded in the ledger (personal contribution "
                                      "%2 yuan)."), str(plan.year), yuan))
            self.setStyleSheet("")


class ImportTabs(QTabWidget):
    """The tabs of the preview and the result; :meth:`add_changes` gives a categories import's
    report: who joined (新增), changed (变更) and left (取消), categories by their Chinese names."""

    def changes_line(self, plan: ImportPlan) -> str:
        """A categories import's counts in the report's words; those listed and already holding
        what the list gives are 未变."""
        joined, changed, left = (plan.changes_count(c) for c in ("新增", "变更", "取消"))
        return fill(self.tr("%1 joined · %2 changed · %3 left · %4 unchanged · %5 rejected · %6 unmatched"),
                    str(joined), str(changed), str(left), str(plan.accepted - joined - changed),
                    str(len(plan.rejected)), str(len(plan.unmatched)))

    def save_text(self, plan: ImportPlan | None) -> str:
        if plan is not None and plan.list_changes:
            return self.tr("Save the list changes and the rejected rows…")
        return self.tr("Save the rejected rows…")

    def add_changes(self, plan: ImportPlan, rows: int | None = None) -> None:
        """A tab for each kind of change, with at most ``rows`` persons (all when None)."""
        titles = (("新增", self.tr("Joined (%1)")), ("变更", self.tr("Changed (%1)")), ("取消", self.tr("Left (%1)")))
        for change, title in titles:
            if change == "取消" and not plan.full_list:
                continue  # only a full list ends categories
            self.addTab(self.changes_view(plan, change, rows), fill(title, str(plan.changes_count(change))))

    def changes_view(self, plan: ImportPlan, change: str, rows: int | None) -> QTableView:
        model = QStandardItemModel(0, 4, self)
        model.setHorizontalHeaderLabels([self.tr("Name"), self.tr("ID number"), self.tr("Category before"),
                                         self.tr("Category now")])
        named = [entry for entry in plan.list_changes if entry.change == change]
        for entry in named[:rows]:
            model.appendRow([QStandardItem(entry.name), QStandardItem(entry.id_number),
                             QStandardItem(entry.before), QStandardItem(entry.after)])
        return table_view(model, rows=False)


class _ReportPage(QWidget):
    """The preview and the result alike: a headline, the standard used, tabs, and the button
    that saves the rejected rows (and a list's changes)."""

    def __init__(self, headline: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel()
        self.headline.setObjectName(headline)
        self.headline.setWordWrap(True)
        self.standard = StandardLabel()
        self.tabs = ImportTabs()
        self.save_button = QPushButton(self.tabs.save_text(None))
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.standard)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)

    def show_saving(self, plan: ImportPlan) -> None:
        self.save_button.setEnabled(bool(plan.rejected or plan.unmatched or plan.list_changes))
        self.save_button.setText(self.tabs.save_text(plan))


class ImportPreviewPage(_ReportPage):
    """Step 3: how many rows are new, updated, rejected and unmatched, with the first
    :data:`PREVIEW_ROWS` of each (a county file's million are counted, not listed: the dry run
    keeps its accepted rows on disk), and under the tabs how many the one on screen shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("previewCounts", parent)
        self.counts = self.headline
        font = self.counts.font()
        font.setBold(True)
        self.counts.setFont(font)
        self.save_rejects_button = self.save_button
        self.shown = QLabel()  # "the first 50 rows of 1,234 are shown", for the tab on screen
        self.shown.setObjectName("previewShown")
        self.layout().insertWidget(self.layout().indexOf(self.tabs) + 1, self.shown)
        self.totals: dict[QWidget, int] = {}  # a tab's table → how many rows its kind has
        self.tabs.currentChanged.connect(self._show_shown)

    def _show_shown(self) -> None:
        total = self.totals.get(self.tabs.currentWidget(), 0)
        self.shown.setText(fill(self.tr("Only the first %1 rows of %2 are shown."), str(PREVIEW_ROWS), str(total)))
        self.shown.setVisible(total > PREVIEW_ROWS)

    def _add_tab(self, view: QTableView, title: str, total: int) -> None:
        self.totals[view] = total
        self.tabs.addTab(view, fill(title, str(total)))

    def show_plan(self, plan: ImportPlan) -> None:
        listed = plan.kind is ImportKind.CATEGORIES
        self.counts.setText(
            plan.no_data_rows  # said plainly, and nothing to import
            or (self.tabs.changes_line(plan) + fill(self.tr(" · %1 warnings"), str(len(plan.warnings))) if listed
                else fill(self.tr("%1 new · %2 updated · %3 unchanged · %4 rejected · %5 unmatched · %6 warnings"),
                          str(len(plan.new)), str(len(plan.updated)),
                          str(plan.unchanged), str(len(plan.rejected)),
                          str(len(plan.unmatched)), str(len(plan.warnings))))
        )
        self.standard.show_plan(plan)
        self.tabs.blockSignals(True)  # _show_shown once the tabs are there
        self.tabs.clear()
        self.totals.clear()
        if listed:  # who joined, changed and left, by category name
            self.tabs.add_changes(plan, PREVIEW_ROWS)
            for n in range(self.tabs.count()):
                self.totals[self.tabs.widget(n)] = plan.changes_count(("新增", "变更", "取消")[n])
        else:
            self._add_tab(self._people_tab(plan.new), self.tr("New (%1)"), len(plan.new))
        if plan.updated:
            self._add_tab(self._people_tab(plan.updated), self.tr("Updated (%1)"), len(plan.updated))
        for title, issues in ((self.tr("Rejected (%1)"), plan.rejected), (self.tr("Unmatched (%1)"), plan.unmatched),
                              (self.tr("Warnings (%1)"), plan.warnings)):
            if issues:
                self._add_tab(self._issues_tab(plan, issues), title, len(issues))
        self.tabs.blockSignals(False)
        self._show_shown()
        self.show_saving(plan)

    def _people_tab(self, rows: Iterable[Any]) -> QTableView:
        """The first :data:`PREVIEW_ROWS` of ``rows`` (read in order: a plan's rows are spooled)."""
        model = QStandardItemModel(0, 3, self)
        model.setHorizontalHeaderLabels([self.tr("Name"), self.tr("ID number"), self.tr("Details")])
        for row in islice(rows, PREVIEW_ROWS):
            name = getattr(row, "name", "")
            number = getattr(row, "id_number", "")
            if hasattr(row, "village"):
                details = f"{row.village} {row.household_number}"
                if row.changes:
                    details += "；" + "，".join(f"{k}: {a} → {b}" for k, (a, b) in row.changes.items())
            elif hasattr(row, "amount_fen"):
                details = f"{row.amount_fen / 100:.2f} {row.paid_on:%Y-%m-%d}"
            else:
                details = "、".join(getattr(row, "new_codes", ()))
            model.appendRow([QStandardItem(name), QStandardItem(number), QStandardItem(details)])
        return table_view(model, rows=False)

    def _issues_tab(self, plan: ImportPlan, issues: list[RowIssue]) -> QTableView:
        """Where, the name and the ID number cell as the file has them (a damaged one as it was
        written), and why."""
        model = QStandardItemModel(0, 4, self)
        model.setHorizontalHeaderLabels([self.tr("Where"), self.tr("Name"), self.tr("ID number as in the file"),
                                         self.tr("Reason")])
        for issue in issues[:PREVIEW_ROWS]:
            name, id_cell = importing.issue_name_and_id(plan, issue)
            model.appendRow([QStandardItem(issue.location), QStandardItem(name), QStandardItem(id_cell),
                             QStandardItem(issue.reason)])
        return table_view(model, rows=False)


class ImportResultPage(_ReportPage):
    """Step 4: what was imported, and a list's changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("importResult", parent)
        self.result_text, self.changes, self.result_save = self.headline, self.tabs, self.save_button
        self.stretch = QWidget()  # takes the room the changes leave, for other kinds
        self.layout().addWidget(self.stretch, 1)

    def show_result(self, result: importing.ImportResult) -> None:
        plan = result.plan
        listed = plan.kind is ImportKind.CATEGORIES
        if listed:
            text = fill(self.tr("Imported the list: %1 joined, %2 changed, %3 left; %4 rejected and %5 unmatched "
                                "rows were not imported."),
                        str(plan.changes_count("新增")), str(plan.changes_count("变更")),
                        str(plan.changes_count("取消")), str(len(plan.rejected)), str(len(plan.unmatched)))
        else:
            text = fill(self.tr("Imported: %1 new, %2 updated; %3 rejected and %4 unmatched rows were not imported."),
                        str(len(plan.new)), str(len(plan.updated)),
                        str(len(plan.rejected)), str(len(plan.unmatched)))
        self.result_text.setText(text + "\n" + fill(self.tr("%1 charges recomputed."), str(result.recomputed)))
        self.standard.show_plan(plan)
        self.changes.clear()
        if listed:
            self.changes.add_changes(plan)
        self.changes.setVisible(listed)
        self.stretch.setVisible(not listed)
        self.show_saving(plan)
