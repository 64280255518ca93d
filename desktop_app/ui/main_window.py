"""The main window: villages on the left, persons and households in the middle, the household on the right.

Search as you type (name, pinyin initials, any part of an ID number, phone, household number),
filters for village, category, status, newborns and unpaid, and column sort all go to the
services as one query; the tables read only the rows on screen. The menus, toolbar and what
each action opens are in :mod:`.main_actions`; the village list is in :mod:`.village_list`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.newborn import days_to_deadline
from desktop_app.services import access
from desktop_app.services import ledger as ledger_service
from desktop_app.services.followups import DEADLINE_WARNING_DAYS
from desktop_app.services.households import household_column_values
from desktop_app.services.person_filters import describe_filter
from desktop_app.services.persons import PersonQuery, PersonRow, count_persons, search_text_for
from desktop_app.services.policy import policy_for_year
from desktop_app.services.townships import title_place
from desktop_app.ui.column_filter import ColumnFilters
from desktop_app.ui.dashboard import DashboardWidget
from desktop_app.ui.household_count import HouseholdCount
from desktop_app.ui.household_panel import HouseholdPanel
from desktop_app.ui.keyboard import ENTER_KEYS, KeyCatcher
from desktop_app.ui.labels import status_label
from desktop_app.ui.main_actions import MainWindowActions
from desktop_app.ui.models import COUNT_CAP, HouseholdTableModel, PersonTableModel, capped_count
from desktop_app.ui.panel_follower import PanelFollower
from desktop_app.ui.person_list import PersonList
from desktop_app.ui.pickers import TownshipPicker, YearPicker
from desktop_app.ui.screen_fit import clamp_to_screen, fit_to_screen, scrolling
from desktop_app.ui.server_dialog import is_server_url, server_label
from desktop_app.ui.text import fill
from desktop_app.ui.village_list import VillageList

SEARCH_DELAY_MS = 150  # wait this long after the last key before searching
URGENT = QColor(255, 228, 196)  # newborn deadline near: a warm, readable highlight
HOUSEHOLD_WIDTHS = {"number": 140, "village": 90, "head_name": 90, "members": 50, "address": 200}
WANTED_SIZE = QSize(1280, 760)  # on a smaller screen (a laptop, 150 % scaling): the screen's room


def _table(model, name: str) -> QTableView:  # noqa: ANN001
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)  # Tab leaves the table (for the panel's buttons); arrows move in it
    view.verticalHeader().setDefaultSectionSize(26)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return view


class MainWindow(MainWindowActions, VillageList, QMainWindow):
    #: emitted on the UI thread when background demo generation has been written and shown
    demo_finished = Signal(object)
    #: emitted after anything changed the ledger (payment, import, status…)
    ledger_changed = Signal()
    #: emitted when the villages' enrollment rates (read in the background) are on the list
    village_rates_shown = Signal(int)

    def __init__(self, ledger_path: Path) -> None:
        super().__init__()
        self.ledger_path = ledger_path
        self.setObjectName("MainWindow")
        fit_to_screen(self, WANTED_SIZE)

        self.year_box = YearPicker("yearBox")
        self.year_box.setMinimumContentsLength(6)
        self.year_box.value_changed.connect(lambda _year: self._year_chosen())

        self.village_list = QListWidget()
        self.village_list.setObjectName("villageList")
        self.village_list.currentItemChanged.connect(lambda _c, _p: self._filters_changed())
        # a county database: the whole county or one township, above its villages; else hidden
        self.township_box = TownshipPicker("townshipBox")
        self.township_box.setAccessibleName(self.tr("Township"))
        self.township_box.setVisible(False)
        self.township_box.value_changed.connect(lambda _id: self._township_chosen())

        self.person_model = PersonTableModel(PersonQuery(year=0), self)
        self.person_model.highlight = self._highlight
        self.person_table = _table(self.person_model, "personTable")
        self.person_table.setSortingEnabled(True)
        self.person_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.person_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.selection_label = QLabel()
        self.selection_label.setObjectName("selectionTotals")
        self.person_list = PersonList(self.person_table, self.person_model, self.selection_label,
                                      changed=self._filters_changed, status=self.statusBar().showMessage)
        self.person_model.count_changed.connect(self._show_count)
        self.household_model = HouseholdTableModel(self)
        self.household_table = _table(self.household_model, "householdTable")
        self.household_table.setSortingEnabled(True)
        self.household_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.household_list = ColumnFilters(self.household_table, self.household_model, "lists/households/header",
                                            HouseholdTableModel.COLUMNS, HOUSEHOLD_WIDTHS,
                                            values=household_column_values, changed=lambda: self.panel_follower.sync())
        self.household_header = self.household_list.header
        self.household_count = HouseholdCount(self.household_model, self.household_table)
        self.household_model.count_changed.connect(self._show_count)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("middleTabs")
        self.tabs.addTab(self.person_table, self.tr("Persons"))
        self.tabs.addTab(self.household_table, self.tr("Households"))
        self.dashboard = DashboardWidget()
        self.tabs.addTab(self.dashboard, self.tr("Figures"))
        self._dashboard_stale = True
        self.household_model.set_shown(False)  # the persons' tab comes first: read households when shown
        # "Count all" counts persons: beside the persons' count only
        self.person_list.on_screen = lambda: self.tabs.currentWidget() is self.person_table
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addLayout(self._filter_bar())
        middle_layout.addLayout(self._elsewhere_bar())
        middle_layout.addWidget(self.tabs, 1)

        self.household_panel = HouseholdPanel(self)
        self.household_panel.changed.connect(self.data_changed)
        # the panel shows the highlighted row's household, whatever changed the row (tab, reload…)
        self.panel_follower = PanelFollower(self.tabs, self.household_panel, self.person_table,
                                            self.household_table, lambda: self.year)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.township_box)
        left_layout.addWidget(self.village_list, 1)
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(scrolling(self.household_panel, "householdPanelScroll"))  # a short screen scrolls it
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([190, 680, 410])
        central = QWidget()  # a work copy's banner goes above the splitter (ui/work_copy.py)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.person_list.count_button)
        self.statusBar().addPermanentWidget(self.selection_label)
        self.statusBar().addPermanentWidget(self.counts_label)
        if is_server_url(ledger_path):  # 单位服务器：ledger@10.0.0.5/county
            self.server_label = QLabel(fill(self.tr("Office server: %1"), server_label(ledger_path)))
            self.server_label.setObjectName("serverLabel")
            self.statusBar().insertPermanentWidget(0, self.server_label)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._filters_changed)
        self._build_actions()
        self._mark_work_copy()
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
        KeyCatcher(self, (*ENTER_KEYS, Qt.Key.Key_Down), lambda _edit: self.into_results()).watch(self.search_edit)
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

    def _elsewhere_bar(self) -> QHBoxLayout:
        """"Nobody here; N in all villages": shown when a search finds nobody in the chosen village."""
        self.elsewhere_button = QPushButton()
        self.elsewhere_button.setObjectName("elsewhereButton")
        self.elsewhere_button.clicked.connect(lambda: self.village_list.setCurrentRow(0))
        self.elsewhere_button.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.elsewhere_button)
        bar.addStretch(1)
        return bar

    def _restore_state(self) -> None:
        settings = QSettings()
        for key, restore in (("main/geometry", self.restoreGeometry), ("main/splitter", self.splitter.restoreState)):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        clamp_to_screen(self)  # saved on a bigger screen, or with another scaling

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name), ANN001
        settings = QSettings()
        if self.year is not None:
            settings.setValue("main/year", self.year)
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        self.person_list.header.save()
        self.household_header.save()
        super().closeEvent(event)

    # --- showing the ledger -------------------------------------------------------------------
    @property
    def year(self) -> int | None:
        return self.year_box.value()

    def refresh(self) -> None:
        """Read everything shown again (after an import, a payment, a policy load…)."""
        info = ledger_service.summary()
        self._update_title(title_place())  # a county database: the county, never its first township
        self.counts_label.setText(
            fill(self.tr("%1 villages · %2 households · %3 persons"),
                 str(info.villages), f"{info.households:,}", f"{info.persons:,}")
        )
        self._fill_years(info.enrollment_years)
        self._fill_categories()
        self.township_box.reload(self.township_box.value())
        self.township_box.setVisible(self.township_box.is_county())
        self._fill_villages(info.households)
        self._filters_changed()
        self.household_model.set_village(self._village_id())
        self.panel_follower.sync()
        self._dashboard_stale = True
        self._refresh_dashboard_if_shown()

    def _tab_shown(self) -> None:
        # the households read again only when looked at: a keystroke in the search box costs them nothing
        self.household_model.set_shown(self.tabs.currentWidget() is self.household_table)
        self._refresh_dashboard_if_shown()
        self.person_list.refresh_count_button()
        self._show_count()

    def _refresh_dashboard_if_shown(self) -> None:
        """The figures cost a quarter second on a big ledger: read them when the tab is looked at."""
        if self.tabs.currentWidget() is self.dashboard and self._dashboard_stale:
            self._dashboard_stale = False
            self.dashboard.refresh(self.year)

    def show_figures(self) -> None:
        self.tabs.setCurrentWidget(self.dashboard)
        self._refresh_dashboard_if_shown()

    def data_changed(self) -> None:
        listed = self.person_model.query
        self.refresh()
        if self.person_model.query == listed:  # the same list, its rows changed (a payment): read them again
            self.person_model.reload()
        self.ledger_changed.emit()

    def _update_title(self, township_name: str) -> None:
        town = township_name or self.tr("Township not set")
        title = fill(self.tr("Enrollment Ledger — %1"), town)
        session = access.current()
        if session is not None:  # the logged-in operator, never a typed-in name
            title += fill(self.tr(" — operator: %1"), session.name)
        if self.work_copy is not None:
            title += " — " + self.work_copy.banner()
        if is_server_url(self.ledger_path):
            title += " — " + fill(self.tr("Office server: %1"), server_label(self.ledger_path))
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
            columns=self.person_model.query.columns,
            township_id=self.township_box.value(),
        )

    def _filters_changed(self) -> None:
        self._search_timer.stop()
        self.person_model.set_query(self.current_query())
        query = self.person_model.query
        self.household_model.set_filter(query.village_id, query.search, query.township_id)
        self._offer_all_villages(query, self.person_model.rowCount())
        self._show_count()

    def _show_count(self) -> None:
        """"显示1,234人" (or "至少1,000人" while the list is not all counted) and its column filters;
        on the households tab "显示1,234户" (or "至少1,000户")."""
        if self.tabs.currentWidget() is self.household_table:
            self.statusBar().showMessage(self.household_count.text())
            return
        query = self.person_model.query
        message = self.person_list.count_text()
        if query.columns:
            message += fill(self.tr(" · filtered: %1"), "；".join(describe_filter(f, policy_for_year(query.year)) for f in query.columns))
        self.statusBar().showMessage(message)

    def _offer_all_villages(self, query: PersonQuery, shown: int) -> None:
        """A search that finds nobody in the chosen village says how many it finds in all of them
        (counting no further than the person list would)."""
        elsewhere, known = 0, True
        if not shown and query.village_id is not None and query.search.strip() and query.year:
            everywhere = query.with_(village_id=None)
            elsewhere, known = capped_count(lambda cap: count_persons(everywhere, cap=cap), COUNT_CAP)
        text = (self.tr("Nobody found in this village: %1 found in all villages, show them") if known
                else self.tr("Nobody found in this village: at least %1 found in all villages, show them"))
        self.elsewhere_button.setText(fill(text, f"{elsewhere:,}"))
        self.elsewhere_button.setVisible(elsewhere > 0)

    def _township_chosen(self) -> None:
        """Another township (or the whole county): its villages on the left, its persons listed."""
        self._fill_villages()
        self._filters_changed()
        self.panel_follower.sync()

    def into_results(self) -> bool:
        """Enter or ↓ in the search box: search now, then move into the persons found, the first
        one chosen (its household on the panel)."""
        self._filters_changed()
        self.tabs.setCurrentWidget(self.person_table)
        table = self.person_table
        table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.person_model.rowCount() and not table.currentIndex().isValid():
            table.setCurrentIndex(self.person_model.index(0, 0))
        return True

    def show_person(self, person_id: int) -> bool:
        """Show one person: every filter that could hide them cleared, what finds them in the
        search box, their row chosen in the person table (so the panel shows their household) and
        the window raised. False when no row of the year shown is theirs."""
        typed = search_text_for(person_id)
        if typed is None:
            return False
        self.person_model.set_query(self.person_model.query.without_column_filter())
        if self.township_box.value() is not None:
            self.township_box.set_value(None)  # the whole county: the person may be in another township
        self.village_list.setCurrentRow(0)
        for box in (self.status_filter, self.category_filter):
            box.setCurrentIndex(0)
        for check in (self.newborn_check, self.unpaid_check):
            check.setChecked(False)
        self.search_edit.setText(typed)
        self.into_results()
        model = self.person_model
        for row in range(model.rowCount()):
            if (item := model.row_at(row)) is not None and item.id == person_id:
                self.person_table.clearSelection()
                self.person_table.selectRow(row)
                self.raise_()
                return True
        return False

    def _year_chosen(self) -> None:
        self._start_village_rates()
        self._fill_categories()
        self._filters_changed()
        self.panel_follower.sync()
        self._dashboard_stale = True
        self._refresh_dashboard_if_shown()

    def _highlight(self, row: PersonRow) -> QColor | None:
        """Newborns close to their 90-day deadline and still unpaid stand out."""
        if row.status != "unpaid" or not self.year or not row.birth_date.startswith(str(self.year)):
            return None
        birth = dt.date.fromisoformat(row.birth_date)
        return URGENT if days_to_deadline(birth, dt.date.today()) <= DEADLINE_WARNING_DAYS else None

    # --- a restore replaces the ledger file ---------------------------------------------------------
    def before_ledger_replaced(self) -> None:
        """Let go of the ledger file: no table may read it while a restore replaces it."""
        self.setEnabled(False)
        for model in (self.person_model, self.household_model):
            model.clear()
        self.household_panel.show_household(None, 0)
        ledger_service.close_ledger()

    def after_ledger_replaced(self) -> None:
        ledger_service.open_ledger(self.ledger_path, program="window")
        self.setEnabled(True)
        self.data_changed()
        for model in (self.person_model, self.household_model):
            model.reload()  # cleared above, with the same query as before (the households: when shown)


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
