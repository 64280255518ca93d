"""The main window: villages on the left, the households of the ledger in a lazy table."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QTableView,
)

from desktop_app import __version__
from desktop_app.services import households as household_service
from desktop_app.services import ledger as ledger_service
from desktop_app.ui.models import HouseholdTableModel
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
        self.splitter.addWidget(self.village_list)
        self.splitter.addWidget(self.household_table)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 960])
        self.setCentralWidget(self.splitter)

        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self._build_menus()
        self._restore_state()
        self.refresh()

    # --- building ---------------------------------------------------------------------
    def _build_menus(self) -> None:
        ledger_menu = self.menuBar().addMenu(self.tr("&Ledger"))
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

    def _village_chosen(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        village_id = current.data(Qt.ItemDataRole.UserRole) if current else None
        self.household_model.set_village(village_id)

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
