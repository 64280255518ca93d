"""The main window's actions: the menus and toolbar, and what each action opens.

A mixin of :class:`~desktop_app.ui.main_window.MainWindow` (it uses the window's tables, panel,
year and ``data_changed``); its strings are in the ``MainWindowActions`` translation context,
which PySide's ``tr`` searches as one of the window's classes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMessageBox, QToolBar

from desktop_app import __version__
from desktop_app.domain.masking import mask_text
from desktop_app.services import access, packages
from desktop_app.services import ledger as ledger_service
from desktop_app.services.backup import backup_before
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.services.list_export import list_title
from desktop_app.ui.export_dialog import ExportDialog
from desktop_app.ui.import_wizard import ImportWizard
from desktop_app.ui.operations import Operation
from desktop_app.ui.package_dialogs import HandOutDialog, RefreshDialog, ReturnDialog
from desktop_app.ui.package_merge import MergeDialog
from desktop_app.ui.work_copy import mark_window
from desktop_app.ui.policy_page import PolicyDialog
from desktop_app.ui.text import fill

PRINT_LIST_LIMIT = 5000  # rows read on the UI thread to print a list; beyond, export instead


class MainWindowActions:
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
        self.print_action = self._action(self.tr("P&rint notice…"), self.household_panel.print_notice, QKeySequence.StandardKey.Print)
        self.import_action = self._action(self.tr("&Import…"), self.show_import, "Ctrl+I")
        self.export_action = self._action(self.tr("&Export…"), self.show_export, "Ctrl+E")
        self.policy_action = self._action(self.tr("&Policy of the year…"), self.show_policy)
        self.followup_action = self._action(self.tr("Follow-&up lists…"), self.show_followups, "Ctrl+L")
        self.village_notices_action = self._action(self.tr("Print a &village's notices…"), self.print_village_notices)
        self.print_list_action = self._action(self.tr("Print the &list shown…"), self.print_list)
        self.print_masked_list_action = self._action(self.tr("Print the list shown, IDs and phones &hidden…"),
                                                     lambda: self.print_list(mask=True))
        self.export_list_action = self._action(self.tr("Export the list &shown…"), self.export_list)
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
        self.hand_out_action = self._action(self.tr("&Hand out village work packages…"), self.show_hand_out)
        self.merge_action = self._action(self.tr("&Merge a package returned by a village…"), self.show_merge)
        self.return_action = self._action(self.tr("Return the &work package…"), self.show_return)
        self.refresh_package_action = self._action(self.tr("&Update from a new work package…"), self.show_refresh)
        self.work_copy = packages.work_copy_info()  # None: a township ledger
        for action in (self.hand_out_action, self.merge_action):  # an administrator's (a work copy: ui/work_copy)
            action.setEnabled(session is None or session.is_admin)
        for action in (self.return_action, self.refresh_package_action):  # the village laptop's
            action.setVisible(self.work_copy is not None)
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
                       self.operators_action, self.audit_action, None, self.hand_out_action,
                       self.merge_action, self.return_action, self.refresh_package_action, None,
                       self.backup_action, self.restore_action, None,
                       self.demo_action, None):
            ledger_menu.addSeparator() if action is None else ledger_menu.addAction(action)
        ledger_menu.addAction(self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit))
        work_menu = self.menuBar().addMenu(self.tr("&Work"))
        for action in (self.search_action, self.new_household_action, self.pay_action, self.print_action,
                       self.village_notices_action, self.print_list_action, self.print_masked_list_action,
                       self.export_list_action, self.followup_action):
            work_menu.addAction(action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&About"), self.show_about))

    def _mark_work_copy(self) -> None:
        """In a work copy: the banner above the lists, and the refused actions disabled (ui/work_copy)."""
        self.work_copy_banner = mark_window(self)
        if self.work_copy_banner is not None:
            self.centralWidget().layout().insertWidget(0, self.work_copy_banner)

    def _open(self, dialog, *changes):  # noqa: ANN001, ANN202
        """Show ``dialog`` beside the window; the ledger shown is read again after each of its
        ``changes`` signals (whatever they carry)."""
        for changed in changes:
            changed.connect(lambda *_args: self.data_changed())
        dialog.show()
        return dialog

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.person_table)
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def new_household(self):  # noqa: ANN201
        # lazy: a dialog's module loads when first opened (the dialogs cost ~30 ms of the window's start)
        from desktop_app.ui.household_dialog import HouseholdDialog

        dialog = HouseholdDialog(self._village_name(), self)
        return self._open(dialog, dialog.saved)

    def show_import(self) -> ImportWizard:
        wizard = ImportWizard(self, backup=backup_before)
        return self._open(wizard, wizard.imported)

    def show_export(self) -> ExportDialog:
        return self._open(ExportDialog(self.year, self))

    def show_policy(self) -> PolicyDialog:
        dialog = PolicyDialog(self.year, self)
        return self._open(dialog, dialog.policy_loaded)

    def print_village_notices(self):  # noqa: ANN201
        # lazy: printing loads QtPrintSupport when first used (~40 ms of the window's start)
        from desktop_app.ui.printing import NoticeBatchDialog

        dialog = NoticeBatchDialog(self.year or 0, self._village_name() or None, self)
        dialog.open()
        return dialog

    def print_list(self, mask: bool = False):  # noqa: ANN201
        """Print the persons or households table as filtered on screen: every row, not just the
        visible, the columns shown in their order, the filters in the title; ``mask`` hides IDs
        and phones as a masked export does."""
        # lazy: printing loads QtPrintSupport when first used (~40 ms of the window's start)
        from desktop_app.ui.printing import table_preview

        view = self.household_table if self.tabs.currentWidget() is self.household_table else self.person_table
        shown, words = view.model().rowCount(), ""
        if shown > PRINT_LIST_LIMIT:
            words = fill(self.tr("The list has %1 rows. Narrow it with the search and filters first, or export it "
                                 "and print the workbook."), f"{shown:,}")
        elif view.model().count_up_to(PRINT_LIST_LIMIT + 1) > PRINT_LIST_LIMIT:
            # the list shows fewer rows than it finds ("at least 1,000"): counted past the limit
            words = fill(self.tr("The list has more than %1 rows. Narrow it with the search and filters first, "
                                 "or export it and print the workbook."), f"{PRINT_LIST_LIMIT:,}")
        if words:
            QMessageBox.information(self, self.tr("Print the list"), words)
            return None
        if view is self.person_table:
            keys = self.person_list.visible_keys()
            headers = [header for _key, header in keys]
            rows = [[self.person_model.cell_text(row, key) for key, _header in keys] for row in self.person_list.rows()]
            title = list_title(self.person_model.query)
        else:
            model, columns = self.household_model, self.household_header.visible_columns()
            if not model.count_known:  # "at least 1,000", yet within the limit: counted above, all printed
                model.set_exact_count(model.query, model.count_up_to(PRINT_LIST_LIMIT + 1))
            headers = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns]
            rows = [[str(model.index(r, c).data() or "") for c in columns] for r in range(model.rowCount())]
            title = fill(self.tr("%1 year — %2"), str(self.year or ""), self.tabs.tabText(self.tabs.indexOf(view)))
            if model.search:
                title += fill(self.tr(" (search “%1”)"), model.search)
        subtitle = ""
        if mask:
            title, rows = mask_text(title), [[mask_text(v) for v in row] for row in rows]
            subtitle = self.tr("ID numbers and phones partly hidden")
        dialog = table_preview(self, title, headers, rows, subtitle)
        dialog.open()
        return dialog

    def export_list(self):  # noqa: ANN201
        """Export the person list as filtered on screen, its columns as shown, to a workbook."""
        # lazy: a dialog's module loads when first opened (the dialogs cost ~30 ms of the window's start)
        from desktop_app.ui.list_export_dialog import ListExportDialog

        model = self.person_model
        return self._open(ListExportDialog(model.query, self.person_list.visible_keys(), self,
                                           counted=(model.rowCount(), model.count_known)))

    def show_followups(self):  # noqa: ANN201
        # lazy: a dialog's module loads when first opened (the dialogs cost ~30 ms of the window's start)
        from desktop_app.ui.followup_dialog import FollowUpDialog

        dialog = FollowUpDialog(self.year or 0, self)
        return self._open(dialog, dialog.to_confirm.changed)

    def show_settings(self):  # noqa: ANN201
        # lazy: a dialog's module loads when first opened (the dialogs cost ~30 ms of the window's start)
        from desktop_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ledger_path, self)
        return self._open(dialog, dialog.saved)

    def show_backup(self):  # noqa: ANN201
        # lazy: a dialog's module loads when first opened (the dialogs cost ~30 ms of the window's start)
        from desktop_app.ui.backup_dialog import BackupDialog

        return self._open(BackupDialog(self))

    def show_restore(self):  # noqa: ANN201
        # lazy: a dialog's module loads when first opened (the dialogs cost ~30 ms of the window's start)
        from desktop_app.ui.backup_dialog import RestoreDialog

        return self._open(RestoreDialog(self))

    def show_audit(self):  # noqa: ANN201
        # lazy: a dialog's module loads when first opened (the dialogs cost ~30 ms of the window's start)
        from desktop_app.ui.audit_dialog import AuditDialog

        return self._open(AuditDialog(self))

    def show_operators(self):  # noqa: ANN201
        # lazy: a dialog's module loads when first opened (the dialogs cost ~30 ms of the window's start)
        from desktop_app.ui.login import OperatorsDialog

        return self._open(OperatorsDialog(self))

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

    def start_demo(self, persons: int) -> Operation:
        # one short transaction: all or nothing, nothing to cancel
        return Operation(self, op=lambda job: generate_demo(DemoOptions(persons=persons), job.progress),
                         success=lambda result: (self.refresh(), self.demo_finished.emit(result)),
                         ).with_progress(self.tr("Making the demo township…")).run_in_background()

    def show_hand_out(self):  # noqa: ANN201
        return self._open(HandOutDialog(self.year, self))

    def show_merge(self):  # noqa: ANN201
        dialog = MergeDialog(self)
        return self._open(dialog, dialog.merged)

    def show_return(self):  # noqa: ANN201
        return self._open(ReturnDialog(self))

    def show_refresh(self):  # noqa: ANN201
        dialog = RefreshDialog(self)
        dialog.finished.connect(self._work_copy_refreshed)
        return self._open(dialog, dialog.finished)

    def _work_copy_refreshed(self, info) -> None:  # noqa: ANN001
        self.work_copy = info
        if self.work_copy_banner is not None:
            self.work_copy_banner.setText(info.banner())

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Enrollment Ledger"),
            fill(self.tr("Enrollment Ledger %1\n\nLedger file: %2"), __version__, str(self.ledger_path)),
        )
