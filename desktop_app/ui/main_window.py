"""The main window: villages on the left, the households of the ledger in a lazy table."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QTableView,
    QToolBar,
)

from desktop_app import __version__
from desktop_app.services import households as household_service
from desktop_app.services import ledger as ledger_service
from desktop_app.ui.export_dialog import ExportDialog
from desktop_app.ui.household_panel import HouseholdPanel
from desktop_app.ui.import_wizard import ImportWizard
from desktop_app.ui.models import HouseholdTableModel
from desktop_app.ui.policy_page import PolicyDialog
from desktop_app.ui.worker import Worker


class MainWindow(QMainWindow):
    #: emitted on the UI thread when background demo generation has been written and shown
    demo_finished = Signal(object)

    def __init__(self, ledger_path: Path) -> None:
        super().__init__()
        self.ledger_path = ledger_path
        self._workers: list[Worker] = []
        self.setObjectName("MainWindow")
        self.resize(1180, 720)

        self.village_list = QListWidget()
        self.village_list.setObjectName("villageList")
        self.village_list.currentItemChanged.connect(self._village_chosen)

        self.household_model = HouseholdTableModel(self)
        self.household_table = QTableView()
        self.household_table.setObjectName("householdTable")
        self.household_table.setModel(self.household_model)
        self.household_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.household_table.setAlternatingRowColors(True)
        self.household_table.verticalHeader().setDefaultSectionSize(26)
        header = self.household_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 110, 110, 60)):
            self.household_table.setColumnWidth(column, width)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.household_panel = HouseholdPanel()
        self.household_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._household_chosen(current.row())
        )
        self.splitter.addWidget(self.village_list)
        self.splitter.addWidget(self.household_table)
        self.splitter.addWidget(self.household_panel)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 560, 420])
        self.setCentralWidget(self.splitter)

        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self.year_box = QComboBox()
        self.year_box.setObjectName("yearBox")
        self.year_box.setMinimumContentsLength(6)
        self.year_box.currentIndexChanged.connect(lambda _i: self._year_chosen())
        self._build_menus()
        self._restore_state()
        self.refresh()

    # --- building ---------------------------------------------------------------------
    def _build_menus(self) -> None:
        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(self.tr("Year ")))
        toolbar.addWidget(self.year_box)
        self.import_action = QAction(self.tr("&Import…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.show_import)
        self.export_action = QAction(self.tr("&Export…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.show_export)
        self.policy_action = QAction(self.tr("&Policy of the year…"), self)
        self.policy_action.triggered.connect(self.show_policy)
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.export_action)
        toolbar.addAction(self.policy_action)
        self.addToolBar(toolbar)
        ledger_menu = self.menuBar().addMenu(self.tr("&Ledger"))
        ledger_menu.addAction(self.import_action)
        ledger_menu.addAction(self.export_action)
        ledger_menu.addAction(self.policy_action)
        self.demo_action = QAction(self.tr("Fill with &demo data…"), self)
        self.demo_action.triggered.connect(self.offer_demo)
        ledger_menu.addAction(self.demo_action)
        ledger_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        ledger_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        settings = QSettings()
        if self.year is not None:
            settings.setValue("main/year", self.year)
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        super().closeEvent(event)

    # --- showing the ledger -------------------------------------------------------------
    def refresh(self) -> None:
        info = ledger_service.summary()
        town = info.township_name or self.tr("Township not set")
        self.setWindowTitle(self.tr("Enrollment Ledger — %1").replace("%1", town))
        self.counts_label.setText(
            self.tr("%1 villages · %2 households · %3 persons")
            .replace("%1", str(info.villages))
            .replace("%2", f"{info.households:,}")
            .replace("%3", f"{info.persons:,}")
        )
        self._fill_years(info.enrollment_years)
        current = self.village_list.currentItem()
        chosen = current.data(Qt.ItemDataRole.UserRole) if current else None
        self.village_list.blockSignals(True)
        self.village_list.clear()
        everyone = QListWidgetItem(self.tr("All villages (%1 households)").replace("%1", f"{info.households:,}"))
        everyone.setData(Qt.ItemDataRole.UserRole, None)
        self.village_list.addItem(everyone)
        for village in household_service.villages_with_counts():
            item = QListWidgetItem(
                self.tr("%1 (%2 households, %3 persons)")
                .replace("%1", village.name)
                .replace("%2", f"{village.households:,}")
                .replace("%3", f"{village.persons:,}")
            )
            item.setData(Qt.ItemDataRole.UserRole, village.id)
            self.village_list.addItem(item)
            if village.id == chosen:
                self.village_list.setCurrentItem(item)
        if self.village_list.currentItem() is None:
            self.village_list.setCurrentRow(0)
        self.village_list.blockSignals(False)
        self.household_model.set_village(chosen)

    @property
    def year(self) -> int | None:
        return self.year_box.currentData()

    def _fill_years(self, years: list[int]) -> None:
        wanted = self.year or _int(QSettings().value("main/year"))
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in years:
            self.year_box.addItem(self.tr("%1 year").replace("%1", str(year)), year)
        if years:
            self.year_box.setCurrentIndex(years.index(wanted) if wanted in years else len(years) - 1)
        self.year_box.blockSignals(False)

    def _year_chosen(self) -> None:
        self._household_chosen(self.household_table.currentIndex().row())

    def _household_chosen(self, row: int) -> None:
        household = self.household_model.row_at(row) if row >= 0 else None
        self.household_panel.show_household(household, self.year or 0)

    def show_import(self) -> ImportWizard:
        wizard = ImportWizard(self)
        wizard.imported.connect(lambda _result: self.refresh())
        wizard.show()
        return wizard

    def show_export(self) -> ExportDialog:
        dialog = ExportDialog(self.year, self)
        dialog.show()
        return dialog

    def show_policy(self) -> PolicyDialog:
        dialog = PolicyDialog(self.year, self)
        dialog.policy_loaded.connect(lambda _year: self.refresh())
        dialog.show()
        return dialog

    def _village_chosen(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        village_id = current.data(Qt.ItemDataRole.UserRole) if current else None
        self.household_model.set_village(village_id)
        self._household_chosen(-1)

    # --- actions ----------------------------------------------------------------------
    def offer_demo(self) -> bool:
        """Ask, then fill an empty ledger with a demo township off the UI thread."""
        if ledger_service.summary().persons:
            QMessageBox.information(
                self, self.tr("Demo data"), self.tr("Demo data can only go into an empty ledger.")
            )
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Empty ledger"),
            self.tr(
                "This ledger is empty. Fill it with a made-up township of 2,000 persons "
                "to try the program?"
            ),
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
            self.tr("Enrollment Ledger %1\n\nLedger file: %2")
            .replace("%1", __version__)
            .replace("%2", str(self.ledger_path)),
        )


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
