"""The person list behaving like the spreadsheets clerks know: the header's menu (sort, filter any
column, choose the columns), several rows selected with their count and sums in the status bar,
and Ctrl+C copying them as a table that pastes into WPS and Excel, and the count of a list
longer than the model counts at first ("at least 1,000"), counted off the UI thread when asked.

**Ctrl+A on a list not all counted** selects every row the list shows, and the selection keeps
being "all" as the list grows (a block more as it scrolls, or every row once the exact count,
which starts by itself, lands): a clerk's Ctrl+A means the whole list. Until then the sums and a
copy say that they are of the rows shown so far and that the list has more.

Nothing here loads the list into Qt: a filter or a sort is a new query run by the service, the
sums of a selection are summed by the service over the selection's row ranges (however far
beyond the rows the table has read), and a copy reads its rows from the service too.

**IDs that stay whole when pasted.** Pasted as plain text, WPS and Excel turn an 18-digit ID
into a number (4.31199E+17, its last digits lost). So the clipboard holds the rows twice: as
tab-separated text with a header row (for a text editor, WeChat, or WPS's 选择性粘贴 → 文本), and
as an HTML table whose ID, phone and household-number cells carry
``mso-number-format:"\\@"`` ("text"), which both WPS and Excel prefer and honour when pasting
with a plain Ctrl+V: the IDs land as text, whole.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QTableView

from desktop_app.domain.money import format_yuan
from desktop_app.services.person_filters import AMOUNT_COLUMNS
from desktop_app.services.persons import (
    PersonRow,
    Totals,
    column_values,
    count_persons,
    iter_person_rows,
    selection_totals,
)
from desktop_app.services.policy import policy_for_year
from desktop_app.ui.column_filter import ColumnFilters
from desktop_app.ui.labels import status_label, yuan
from desktop_app.ui.models import PersonTableModel
from desktop_app.ui.operations import Operation, show_failure
from desktop_app.ui.text import fill

COPY_LIMIT = 10_000  # rows one Ctrl+C copies; a longer list is exported, not pasted
LOADED_SUM_LIMIT = 5000  # beyond this many rows the service sums faster than Python
SUMS_DELAY_MS = 120  # a drag selects row after row: sum once it rests
LINK_STYLE = "QPushButton { color: palette(link); text-decoration: underline; border: none; padding: 0 6px; }"
TEXT_COLUMNS_IN_WPS = frozenset({"id_number", "phone", "household_number"})  # long digits: text, not numbers

#: the person list's default layout: the columns a clerk reads first (name, ID, status, what is
#: still owed, phone) fit a 1366-pixel screen beside the village list and the household panel
PERSON_ORDER = ("name", "id_number", "status", "owed", "phone", "village", "household_number", "categories",
                "relation", "due", "paid")
PERSON_WIDTHS = {"name": 72, "id_number": 158, "status": 88, "owed": 78, "phone": 104, "village": 80,
                 "household_number": 140, "categories": 100, "relation": 72, "due": 78, "paid": 78}
PERSON_HIDDEN = ("due", "paid")


class PersonList(ColumnFilters):
    """The tools of ``view`` (over ``model``); ``changed()`` runs after a column filter changed."""

    #: Count a capped list exactly in the background after each new query (tests of the capped
    #: state turn it off to look at "至少…人" before the count lands)
    count_by_itself = True

    def __init__(self, view: QTableView, model: PersonTableModel, label: QLabel, changed, status) -> None:  # noqa: ANN001
        super().__init__(view, model, "lists/persons/header", PERSON_ORDER, PERSON_WIDTHS, PERSON_HIDDEN,
                         values=lambda query, column: column_values(query, column) if query.year else [],
                         changed=changed)
        self.label, self.status = label, status
        self.totals: Totals | None = None
        self.copy_action = QAction(self.tr("&Copy rows"), view)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy)
        view.addAction(self.copy_action)
        view.installEventFilter(self)  # the table's own Ctrl+C copies one cell: ours comes first
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SUMS_DELAY_MS)
        self._timer.timeout.connect(self.update_totals)
        view.selectionModel().selectionChanged.connect(lambda *_a: self._timer.start())
        model.modelReset.connect(self.update_totals)
        self.update_totals()
        # "at least 1,000": the exact count, on request (a second at a million persons)
        self.count_button = QPushButton(self.tr("Count all"))
        self.count_button.setObjectName("countAllButton")
        self.count_button.setFlat(True)
        self.count_button.setStyleSheet(LINK_STYLE)  # reads as a link beside the counts, not as a label
        self.count_button.setCursor(Qt.CursorShape.PointingHandCursor)
        # no taller than a line of the status bar: it leaves without the window's layout jumping
        self.count_button.setFixedHeight(self.count_button.fontMetrics().height() + 4)
        self.count_button.setToolTip(self.tr("Count every person this list finds; the window stays usable meanwhile"))
        self.count_button.clicked.connect(self.count_all)
        self.count_button.hide()
        self._counting = None  # (query, model generation) being counted, if any
        self.on_screen = lambda: True  # whether the list is the tab shown (the window says)
        model.count_changed.connect(self._count_changed)
        # a township's ledger of 30,000 persons still reads "显示30,000人" a moment after the capped
        # "至少1,000人": the exact count starts by itself, off the UI thread, after each new query
        model.modelReset.connect(self._count_by_itself)
        # Ctrl+A (every row shown selected) stays "all" as the list grows
        self._all_selected = False
        model.rowsAboutToBeInserted.connect(lambda *_a: self._remember_all_selected())
        model.rowsInserted.connect(lambda *_a: self._keep_all_selected())

    # --- the count --------------------------------------------------------------------------------
    def count_text(self) -> str:
        """How many persons the list shows: "显示1,234人", or "至少1,000人" while not all are counted."""
        shown = f"{self.model.rowCount():,}"
        if self.model.count_known:
            return fill(self.tr("%1 persons shown"), shown)
        return fill(self.tr("At least %1 persons"), shown)

    def count_all(self) -> Operation | None:
        """Count every person of the list off the UI thread; the list then holds them all."""
        if self.model.count_known:
            return None
        query, generation = self._counting = (self.model.query, self.model.generation)
        self._count_changed()

        def failed(exc: Exception) -> None:
            self._counting = None
            self._count_changed()
            show_failure(self.view, exc)

        return Operation(self.view, op=lambda _job: count_persons(query),
                         success=lambda count: self._counted(query, generation, count),
                         failure=failed).run_in_background()

    def _count_by_itself(self) -> None:
        # a count of the same query begun before the list was read again counted the rows of before
        if self.count_by_itself and not self.model.count_known and self._counting != self._now():
            self.count_all()

    def _now(self) -> tuple:
        return self.model.query, self.model.generation

    def _counted(self, query, generation: int, count: int) -> None:  # noqa: ANN001
        if self._counting == (query, generation):
            self._counting = None
        self.model.set_exact_count(query, count, generation)  # ignored when the list was read again
        self._count_changed()  # also when the list moved on to another query meanwhile

    def refresh_count_button(self) -> None:
        """Show "Count all" while the list is not all counted and is on screen."""
        self._count_changed()

    def _count_changed(self) -> None:
        counting = self._counting is not None and self._counting == self._now()
        self.count_button.setVisible(not self.model.count_known and self.on_screen())
        self.count_button.setEnabled(not counting)
        self.count_button.setText(self.tr("Counting…") if counting else self.tr("Count all"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.view and event.type() == QEvent.Type.KeyPress and event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return True
        return super().eventFilter(watched, event)

    # --- selection ------------------------------------------------------------------------------
    def _remember_all_selected(self) -> None:
        rows = self.model.rowCount()
        self._all_selected = rows > 0 and self.selected_ranges() == [(0, rows - 1)]

    def _keep_all_selected(self) -> None:
        if self._all_selected:
            self._all_selected = False
            self.view.selectAll()

    def _beyond_shown(self, ranges: list[tuple[int, int]]) -> bool:
        """Whether the selection runs to the last row shown of a list that has more rows."""
        return bool(ranges) and not self.model.count_known and ranges[-1][1] >= self.model.rowCount() - 1

    def selected_ranges(self) -> list[tuple[int, int]]:
        """The selected rows as (first, last) ranges, merged, in order."""
        spans = sorted((r.top(), r.bottom()) for r in self.view.selectionModel().selection())
        merged: list[tuple[int, int]] = []
        for first, last in spans:
            if merged and first <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], last))
            else:
                merged.append((first, last))
        return merged

    def update_totals(self) -> None:
        self._timer.stop()
        ranges = self.selected_ranges()
        if not ranges or not self.model.query.year:
            self.totals = None
            self.label.setText("")
            return
        self.totals = self._loaded_totals(ranges) or selection_totals(self.model.query, ranges)
        t = self.totals
        words = (self.tr("Selected %1 of the rows shown so far (the list has more) · due %2 · paid %3 · owed %4")
                 if self._beyond_shown(ranges) else self.tr("Selected %1 · due %2 · paid %3 · owed %4"))
        self.label.setText(fill(words, f"{t.persons:,}", yuan(t.due_fen), yuan(t.paid_fen), yuan(t.owed_fen)))

    def _loaded_totals(self, ranges: list[tuple[int, int]]) -> Totals | None:
        """The totals from rows the table has read already (a click or a drag over what is on
        screen: no query); None when some selected row was never read."""
        rows: list[PersonRow] = []
        for first, last in ranges:
            if len(rows) > LOADED_SUM_LIMIT or (part := self.model.loaded_rows(first, last)) is None:
                return None
            rows += part
        return Totals(len(rows), sum(r.due_fen for r in rows), sum(r.paid_fen for r in rows),
                      sum(r.owed_fen for r in rows))

    # --- copy -------------------------------------------------------------------------------------
    def visible_keys(self) -> list[tuple[str, str]]:
        """(column, header) of the columns shown, in the order shown."""
        return [(self.model.COLUMNS[c], self.model.header_text(c)) for c in self.header.visible_columns()]

    def rows(self, ranges: list[tuple[int, int]] | None = None) -> Iterator[PersonRow]:
        return iter_person_rows(self.model.query, ranges)

    def copy(self) -> int:
        """Copy the selected rows (at most :data:`COPY_LIMIT`) with a header row; returns the rows copied."""
        ranges = self.selected_ranges()
        if not ranges:
            return 0
        keys = self.visible_keys()
        lines = [[header for _key, header in keys]]
        cells = []
        for row in self.rows(ranges):
            if len(cells) >= COPY_LIMIT:
                break
            cells.append([_copied(self.model, row, key) for key, _header in keys])
        lines += cells
        text = "\r\n".join("\t".join(_plain(v) for v in line) for line in lines) + "\r\n"
        mime = QMimeData()
        mime.setText(text)
        mime.setHtml(_html_table(keys, cells))
        QGuiApplication.clipboard().setMimeData(mime)
        selected = sum(b - a + 1 for a, b in ranges)
        if selected > len(cells):
            self.status(fill(self.tr("Copied the first %1 of %2 rows; export the list to have them all."),
                             f"{len(cells):,}", f"{selected:,}"))
        elif self._beyond_shown(ranges):
            self.status(fill(self.tr("Copied %1 rows, those shown so far: the list has more; export the list "
                                     "to have them all."), f"{len(cells):,}"))
        else:
            self.status(fill(self.tr("Copied %1 rows: paste them into WPS or Excel."), f"{len(cells):,}"))
        return len(cells)

    # --- column filters: ColumnFilters ----------------------------------------------------------
    def value_label(self, column: str, value: str) -> str:
        if column == "status":
            return status_label(value or None)
        if column == "categories":
            policy = policy_for_year(self.model.query.year)
            return policy.category_name(value) if policy else value
        return value


def _copied(model: PersonTableModel, row: PersonRow, key: str) -> str:
    """A cell as copied: as shown, but an amount as a bare number (180.00) that a sheet can sum."""
    shown = model.cell_text(row, key)
    if key in AMOUNT_COLUMNS and shown:
        return format_yuan({"owed": row.owed_fen, "due": row.due_fen, "paid": row.paid_fen}[key])
    return shown


def _plain(text: str) -> str:
    """A cell of tab-separated text: no tab or line break inside it."""
    return " ".join(text.replace("\t", " ").splitlines())


def _html_table(keys: list[tuple[str, str]], cells: list[list[str]]) -> str:
    as_text = [key in TEXT_COLUMNS_IN_WPS for key, _header in keys]
    text_style = ' style="mso-number-format:\'\\@\'"'
    head = "".join(f"<th>{html.escape(header)}</th>" for _key, header in keys)
    body = "".join(
        "<tr>" + "".join(f"<td{text_style if text else ''}>{html.escape(value)}</td>"
                         for value, text in zip(row, as_text)) + "</tr>"
        for row in cells
    )
    return ('<html><head><meta charset="utf-8"></head><body><table border="1">'
            f"<tr>{head}</tr>{body}</table></body></html>")
