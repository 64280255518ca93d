"""The main window: villages on the left, persons and households in the middle, the household on the right.

Search as you type (name, pinyin initials, any part of an ID number, phone, household number),
filters for village, category, status, newborns and unpaid, and column sort all go to the
services as one query; the tables read only the rows on screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.services import access
from desktop_app.services import households as household_service
from desktop_app.services import ledger as ledger_service
from desktop_app.services.followups import DEADLINE_WARNING_DAYS
from desktop_app.services.persons import PersonQuery, PersonRow
from desktop_app.services.policy import policy_for_year
from desktop_app.services.statistics import ENROLLMENT_TARGET_PERCENT, village_rates
from desktop_app.store.db import close_database, open_database
from desktop_app.ui.dashboard import DashboardWidget
from desktop_app.ui.export_dialog import ExportDialog
from desktop_app.ui.household_panel import HouseholdPanel
from desktop_app.ui.import_wizard import ImportWizard
from desktop_app.ui.labels import status_label
from desktop_app.ui.models import HouseholdTableModel, PersonTableModel
from desktop_app.ui.pickers import YearPicker
from desktop_app.ui.policy_page import PolicyDialog
from desktop_app.ui.text import fill
from desktop_app.ui.worker import Worker

SEARCH_DELAY_MS = 150  # wait this long after the last key before searching
VILLAGE_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
PRINT_LIST_LIMIT = 5000  # rows read on the UI thread to print a list; beyond, export instead
URGENT = QColor(255, 228, 196)  # newborn deadline near: a warm, readable highlight


def _table(model, name: str) -> QTableView:  # noqa: ANN001
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(26)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return view


class MainWindow(QMainWindow):
    #: emitted on the UI thread when background demo generation has been written and shown
    demo_finished = Signal(object)
    #: emitted after anything changed the ledger (payment, import, status…)
    ledger_changed = Signal()
    #: emitted when the villages' enrollment rates (read in the background) are on the list
    village_rates_shown = Signal(int)

    def __init__(self, ledger_path: Path) -> None:
        super().__init__()
        self.ledger_path = ledger_path
        self._workers: list[Worker] = []
        self.setObjectName("MainWindow")
        self.resize(1280, 760)

        self.year_box = YearPicker("yearBox")
        self.year_box.setMinimumContentsLength(6)
        self.year_box.value_changed.connect(lambda _year: self._year_chosen())

        self.village_list = QListWidget()
        self.village_list.setObjectName("villageList")
        self.village_list.currentItemChanged.connect(lambda _c, _p: self._filters_changed())

        self.person_model = PersonTableModel(PersonQuery(year=0), self)
        self.person_model.highlight = self._highlight
        self.person_table = _table(self.person_model, "personTable")
        self.person_table.setSortingEnabled(True)
        for column, width in enumerate((72, 160, 78, 140, 80, 110, 90, 80)):
            self.person_table.setColumnWidth(column, width)
        self.person_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.person_table.selectionModel().currentRowChanged.connect(
            lambda current, _p: self._person_chosen(current.row())
        )
        self.household_model = HouseholdTableModel(self)
        self.household_table = _table(self.household_model, "householdTable")
        for column, width in enumerate((140, 90, 90, 50)):
            self.household_table.setColumnWidth(column, width)
        self.household_table.selectionModel().currentRowChanged.connect(
            lambda current, _p: self._household_chosen(current.row())
        )

        self.tabs = QTabWidget()
        self.tabs.setObjectName("middleTabs")
        self.tabs.addTab(self.person_table, self.tr("Persons"))
        self.tabs.addTab(self.household_table, self.tr("Households"))
        self.dashboard = DashboardWidget()
        self.tabs.addTab(self.dashboard, self.tr("Figures"))
        self._dashboard_stale = True
        self.tabs.currentChanged.connect(lambda _i: self._refresh_dashboard_if_shown())
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addLayout(self._filter_bar())
        middle_layout.addWidget(self.tabs, 1)

        self.household_panel = HouseholdPanel(self)
        self.household_panel.changed.connect(self.data_changed)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.village_list)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.household_panel)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([190, 680, 410])
        self.setCentralWidget(self.splitter)

        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._filters_changed)
        self._build_actions()
        self._restore_state()
        self.refresh()

    # --- building ---------------------------------------------------------------------------
    def _filter_bar(self) -> QHBoxLayout:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("Name, initials (zs), ID, phone, household no."))
        self.search_edit.setToolTip(self.tr("Search as you type: part of a name, pinyin initials (zs finds 张三), "
                                            "any part of an ID number, a phone or a household number. Ctrl+F"))
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("All statuses"), None)
        for code in ("unpaid", "paid", "exempt", "employee", "elsewhere", "deceased", "moved", "military", "other"):
            self.status_filter.addItem(status_label(code), code)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("categoryFilter")
        self.category_filter.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self.newborn_check = QCheckBox(self.tr("Newborns"))
        self.newborn_check.setObjectName("newbornFilter")
        self.newborn_check.toggled.connect(lambda _on: self._filters_changed())
        self.unpaid_check = QCheckBox(self.tr("Unpaid"))
        self.unpaid_check.setObjectName("unpaidFilter")
        self.unpaid_check.toggled.connect(lambda _on: self._filters_changed())
        bar = QHBoxLayout()
        bar.addWidget(self.search_edit, 3)
        bar.addWidget(self.status_filter, 1)
        bar.addWidget(self.category_filter, 1)
        bar.addWidget(self.newborn_check)
        bar.addWidget(self.unpaid_check)
        return bar

    def _action(self, text: str, slot, shortcut: str | QKeySequence.StandardKey | None = None) -> QAction:  # noqa: ANN001
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.search_action = self._action(self.tr("&Find"), self.focus_search, QKeySequence.StandardKey.Find)
        self.new_household_action = self._action(self.tr("&New household…"), self.new_household, QKeySequence.StandardKey.New)
        self.pay_action = self._action(self.tr("Record &payment…"), self.household_panel.pay_household, "Ctrl+Shift+P")
        self.print_action = self._action(self.tr("&Print notice…"), self.household_panel.print_notice, QKeySequence.StandardKey.Print)
        self.import_action = self._action(self.tr("&Import…"), self.show_import, "Ctrl+I")
        self.export_action = self._action(self.tr("&Export…"), self.show_export, "Ctrl+E")
        self.policy_action = self._action(self.tr("&Policy of the year…"), self.show_policy)
        self.followup_action = self._action(self.tr("&Follow-up lists…"), self.show_followups, "Ctrl+L")
        self.village_notices_action = self._action(self.tr("Print a village's &notices…"), self.print_village_notices)
        self.print_list_action = self._action(self.tr("Print the &list shown…"), self.print_list)
        self.settings_action = self._action(self.tr("&Settings…"), self.show_settings)
        self.operators_action = self._action(self.tr("&Operators…"), self.show_operators)
        self.audit_action = self._action(self.tr("Audit &trail…"), self.show_audit)
        self.backup_action = self._action(self.tr("&Back up…"), self.show_backup)
        self.restore_action = self._action(self.tr("&Restore a backup…"), self.show_restore)
        session = access.current()
        self.restore_action.setEnabled(session is None or session.is_admin)
        self.operators_action.setEnabled(session is None or session.is_admin)
        self.import_action.setEnabled(session is None or session.is_admin)  # imports are an administrator's
        self.demo_action = self._action(self.tr("Fill with &demo data…"), self.offer_demo)
        for action in (self.search_action, self.new_household_action, self.pay_action, self.print_action):
            self.addAction(action)  # shortcuts work wherever the focus is

        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addWidget(QLabel(self.tr("Year ")))
        toolbar.addWidget(self.year_box)
        toolbar.addSeparator()
        for action in (self.new_household_action, self.pay_action, self.print_action, None, self.import_action,
                       self.export_action, self.followup_action, self.policy_action):
            if action is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(action)
        self.addToolBar(toolbar)

        ledger_menu = self.menuBar().addMenu(self.tr("&Ledger"))
        for action in (self.import_action, self.export_action, self.policy_action, self.settings_action,
                       self.operators_action, self.audit_action, None, self.backup_action,
                       self.restore_action, None,
                       self.demo_action, None):
            ledger_menu.addSeparator() if action is None else ledger_menu.addAction(action)
        ledger_menu.addAction(self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit))
        work_menu = self.menuBar().addMenu(self.tr("&Work"))
        for action in (self.search_action, self.new_household_action, self.pay_action, self.print_action,
                       self.village_notices_action, self.print_list_action, self.followup_action):
            work_menu.addAction(action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&About"), self.show_about))

    def _restore_state(self) -> None:
        settings = QSettings()
        for key, restore in (("main/geometry", self.restoreGeometry), ("main/splitter", self.splitter.restoreState),
                             ("main/personColumns", self.person_table.horizontalHeader().restoreState),
                             ("main/householdColumns", self.household_table.horizontalHeader().restoreState)):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name), ANN001
        settings = QSettings()
        if self.year is not None:
            settings.setValue("main/year", self.year)
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        settings.setValue("main/personColumns", self.person_table.horizontalHeader().saveState())
        settings.setValue("main/householdColumns", self.household_table.horizontalHeader().saveState())
        super().closeEvent(event)

    # --- showing the ledger -------------------------------------------------------------------
    @property
    def year(self) -> int | None:
        return self.year_box.value()

    def refresh(self) -> None:
        """Read everything shown again (after an import, a payment, a policy load…)."""
        info = ledger_service.summary()
        self._update_title(info.township_name)
        self.counts_label.setText(
            fill(self.tr("%1 villages · %2 households · %3 persons"),
                 str(info.villages), f"{info.households:,}", f"{info.persons:,}")
        )
        self._fill_years(info.enrollment_years)
        self._fill_categories()
        self._fill_villages(info.households)
        self._filters_changed()
        self.household_model.set_village(self._village_id())
        self._show_selected_household()
        self._dashboard_stale = True
        self._refresh_dashboard_if_shown()

    def _refresh_dashboard_if_shown(self) -> None:
        """The figures cost a quarter second on a big ledger: read them when the tab is looked at."""
        if self.tabs.currentWidget() is self.dashboard and self._dashboard_stale:
            self._dashboard_stale = False
            self.dashboard.refresh(self.year)

    def show_figures(self) -> None:
        self.tabs.setCurrentWidget(self.dashboard)
        self._refresh_dashboard_if_shown()

    def data_changed(self) -> None:
        self.refresh()
        self.ledger_changed.emit()

    def _update_title(self, township_name: str) -> None:
        town = township_name or self.tr("Township not set")
        title = fill(self.tr("Enrollment Ledger — %1"), town)
        session = access.current()
        if session is not None:  # the logged-in operator, never a typed-in name
            title += fill(self.tr(" — operator: %1"), session.name)
        self.setWindowTitle(title)

    def _fill_years(self, years: list[int]) -> None:
        wanted = self.year or _int(QSettings().value("main/year")) or _int(ledger_service.get_setting("default_year"))
        self.year_box.reload(wanted, years)

    def _fill_categories(self) -> None:
        chosen = self.category_filter.currentData()
        policy = policy_for_year(self.year) if self.year else None
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItem(self.tr("All categories"), None)
        self.category_filter.addItem(self.tr("Ordinary residents"), "none")
        codes = list(policy.categories) if policy else []
        for code in ("tekun", "guer", "dibao", "jiance", "tuopin", "canji"):
            if code not in codes:
                codes.append(code)
        for code in codes:
            self.category_filter.addItem(policy.category_name(code) if policy else code, code)
        index = self.category_filter.findData(chosen)
        self.category_filter.setCurrentIndex(max(index, 0))
        self.category_filter.blockSignals(False)

    def _fill_villages(self, households: int) -> None:
        chosen = self._village_id()
        self.village_list.blockSignals(True)
        self.village_list.clear()
        everyone = QListWidgetItem(fill(self.tr("All villages (%1 households)"), f"{households:,}"))
        everyone.setData(Qt.ItemDataRole.UserRole, None)
        self.village_list.addItem(everyone)
        for village in household_service.villages_with_counts():
            item = QListWidgetItem(
                fill(self.tr("%1 (%2 households, %3 persons)"),
                     village.name, f"{village.households:,}", f"{village.persons:,}")
            )
            item.setData(Qt.ItemDataRole.UserRole, village.id)
            item.setData(VILLAGE_NAME_ROLE, village.name)
            self.village_list.addItem(item)
            if village.id == chosen:
                self.village_list.setCurrentItem(item)
        if self.village_list.currentItem() is None:
            self.village_list.setCurrentRow(0)
        self.village_list.blockSignals(False)
        self._start_village_rates()

    def _start_village_rates(self) -> None:
        """Each village's enrollment rate, read off the UI thread (a second at a million persons)."""
        year = self.year
        if not year:
            return
        worker = Worker(lambda: village_rates(year), self)
        worker.finished.connect(lambda rates: (self._show_village_rates(year, rates), self._forget(worker)))
        worker.failed.connect(lambda _exc, _trace: self._forget(worker))
        self._workers.append(worker)
        worker.start()

    def _show_village_rates(self, year: int, rates: list) -> None:  # noqa: ANN001
        if year != self.year:
            return  # the year changed meanwhile; its own rates are on the way
        by_name = {r.name: r for r in rates}
        for row in range(1, self.village_list.count()):
            item = self.village_list.item(row)
            rate = by_name.get(item.data(VILLAGE_NAME_ROLE))
            if rate is None or not rate.expected:
                continue
            base = item.text().split("\n")[0]
            item.setText(base + "\n" + fill(self.tr("enrolled %1"), f"{rate.rate:.1%}"))
            if not rate.meets_target:
                item.setToolTip(fill(self.tr("Below the %1% target"), str(ENROLLMENT_TARGET_PERCENT)))
        self.village_rates_shown.emit(year)

    def _village_id(self) -> int | None:
        item = self.village_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def current_query(self) -> PersonQuery:
        return PersonQuery(
            year=self.year or 0,
            village_id=self._village_id(),
            category=self.category_filter.currentData(),
            status=self.status_filter.currentData(),
            newborns=self.newborn_check.isChecked(),
            unpaid=self.unpaid_check.isChecked(),
            search=self.search_edit.text(),
            sort=self.person_model.query.sort,
            descending=self.person_model.query.descending,
        )

    def _filters_changed(self) -> None:
        self._search_timer.stop()
        self.person_model.set_query(self.current_query())
        village = self._village_id()
        if self.household_model._village_id != village:  # noqa: SLF001
            self.household_model.set_village(village)
        shown = self.person_model.rowCount()
        self.statusBar().showMessage(fill(self.tr("%1 persons shown"), f"{shown:,}"))

    def _year_chosen(self) -> None:
        self._start_village_rates()
        self._fill_categories()
        self._filters_changed()
        self._show_selected_household()
        self._dashboard_stale = True
        self._refresh_dashboard_if_shown()

    def _highlight(self, row: PersonRow) -> QColor | None:
        """Newborns close to their 90-day deadline and still unpaid stand out."""
        if row.status != "unpaid" or not self.year or not row.birth_date.startswith(str(self.year)):
            return None
        import datetime as dt

        from desktop_app.domain.newborn import days_to_deadline

        birth = dt.date.fromisoformat(row.birth_date)
        return URGENT if days_to_deadline(birth, dt.date.today()) <= DEADLINE_WARNING_DAYS else None

    def _person_chosen(self, row: int) -> None:
        person = self.person_model.row_at(row) if row >= 0 else None
        if person is None:
            return
        household = household_service.find_household_by_number(person.household_number)
        self.household_panel.show_household(household, self.year or 0, select_person=person.id)

    def _household_chosen(self, row: int) -> None:
        household = self.household_model.row_at(row) if row >= 0 else None
        if household is not None:
            self.household_panel.show_household(household, self.year or 0)

    def _show_selected_household(self) -> None:
        shown = self.household_panel.household
        if shown is not None:
            fresh = household_service.find_household_by_number(shown.number)
            self.household_panel.show_household(fresh, self.year or 0, select_person=self.household_panel.selected_person_id())
        else:
            self.household_panel.show_household(None, self.year or 0)

    # --- actions ------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.person_table)
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def new_household(self):  # noqa: ANN201
        from desktop_app.ui.household_dialog import HouseholdDialog

        dialog = HouseholdDialog(self._village_name(), self)
        dialog.saved.connect(lambda _id: self.data_changed())
        dialog.show()
        return dialog

    def _village_name(self) -> str:
        item = self.village_list.currentItem()
        return (item.data(VILLAGE_NAME_ROLE) or "") if item else ""

    def show_import(self) -> ImportWizard:
        from desktop_app.services.backup import backup_before

        wizard = ImportWizard(self, backup=backup_before)
        wizard.imported.connect(lambda _result: self.data_changed())
        wizard.show()
        return wizard

    def show_export(self) -> ExportDialog:
        dialog = ExportDialog(self.year, self)
        dialog.show()
        return dialog

    def show_policy(self) -> PolicyDialog:
        dialog = PolicyDialog(self.year, self)
        dialog.policy_loaded.connect(lambda _year: self.data_changed())
        dialog.show()
        return dialog

    def print_village_notices(self):  # noqa: ANN201
        from desktop_app.ui.printing import NoticeBatchDialog

        dialog = NoticeBatchDialog(self.year or 0, self._village_name() or None, self)
        dialog.open()
        return dialog

    def print_list(self):  # noqa: ANN201
        """Print the persons or households table as filtered on screen (every row, not just the visible)."""
        from desktop_app.ui.printing import table_from_model, table_preview

        view = self.household_table if self.tabs.currentWidget() is self.household_table else self.person_table
        if view.model().rowCount() > PRINT_LIST_LIMIT:
            QMessageBox.information(
                self, self.tr("Print the list"),
                fill(self.tr("The list has %1 rows. Narrow it with the search and filters first, or export it "
                             "and print the workbook."), f"{view.model().rowCount():,}"),
            )
            return None
        headers, rows = table_from_model(view.model())
        title = fill(self.tr("%1 year — %2"), str(self.year or ""),
                     self.tabs.tabText(self.tabs.indexOf(view)))
        dialog = table_preview(self, title, headers, rows)
        dialog.open()
        return dialog

    def show_followups(self):  # noqa: ANN201
        from desktop_app.ui.followup_dialog import FollowUpDialog

        dialog = FollowUpDialog(self.year or 0, self)
        dialog.show()
        return dialog

    def show_settings(self):  # noqa: ANN201
        from desktop_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ledger_path, self)
        dialog.saved.connect(self.data_changed)
        dialog.show()
        return dialog

    def show_backup(self):  # noqa: ANN201
        from desktop_app.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self)
        dialog.show()
        return dialog

    def show_restore(self):  # noqa: ANN201
        from desktop_app.ui.backup_dialog import RestoreDialog

        dialog = RestoreDialog(self)
        dialog.show()
        return dialog

    def before_ledger_replaced(self) -> None:
        """Let go of the ledger file: no table may read it while a restore replaces it."""
        self.setEnabled(False)
        for model in (self.person_model, self.household_model):
            model.clear()
        self.household_panel.show_household(None, 0)
        close_database()

    def after_ledger_replaced(self) -> None:
        open_database(self.ledger_path, program="window")
        self.setEnabled(True)
        self.data_changed()
        for model in (self.person_model, self.household_model):
            model.reload()  # cleared above, with the same query as before

    def show_audit(self):  # noqa: ANN201
        from desktop_app.ui.audit_dialog import AuditDialog

        dialog = AuditDialog(self)
        dialog.show()
        return dialog

    def show_operators(self):  # noqa: ANN201
        from desktop_app.ui.login import OperatorsDialog

        dialog = OperatorsDialog(self)
        dialog.show()
        return dialog

    def offer_demo(self) -> bool:
        """Ask, then fill an empty ledger with a demo township off the UI thread."""
        if ledger_service.summary().persons:
            QMessageBox.information(self, self.tr("Demo data"), self.tr("Demo data can only go into an empty ledger."))
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Empty ledger"),
            self.tr("This ledger is empty. Fill it with a made-up township of 2,000 persons to try the program?"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.start_demo(2000)
        return True

    def start_demo(self, persons: int) -> Worker:
        from desktop_app.services.demo import DemoOptions, generate_demo

        dialog = QProgressDialog(self.tr("Making the demo township…"), "", 0, persons, self)
        dialog.setCancelButton(None)  # one short transaction: all or nothing, nothing to cancel
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        worker = Worker(lambda progress: generate_demo(DemoOptions(persons=persons), progress), self)
        worker.progress.connect(lambda done, total: dialog.setValue(done))
        worker.finished.connect(
            lambda result: (dialog.close(), self.refresh(), self._forget(worker), self.demo_finished.emit(result))
        )
        worker.failed.connect(lambda exc, _tb: (dialog.close(), self._show_error(exc), self._forget(worker)))
        self._workers.append(worker)
        worker.start()
        return worker

    def _forget(self, worker: Worker) -> None:
        if worker in self._workers:
            self._workers.remove(worker)

    def _show_error(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.tr("Could not finish"), str(exc))

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Enrollment Ledger"),
            fill(self.tr("Enrollment Ledger %1\n\nLedger file: %2"), __version__, str(self.ledger_path)),
        )


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
