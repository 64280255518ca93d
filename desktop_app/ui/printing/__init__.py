"""Printing on A4: household payment notices (缴费告知单) and any table, to a printer or to PDF.

Two renderers, both drawing in a 96-dpi "CSS pixel" coordinate system scaled onto the printer:

- a notice is an HTML page laid out by ``QTextDocument`` (Chinese text, a members table, wrapping),
  one notice per A4 portrait page (a very large household continues on the next page);
- a table is drawn with ``QPainter`` row by row: columns sized from their contents, portrait or
  landscape by width, the header row repeated on every page, "page i of n" at the foot. It never
  builds a document of the whole table, so a long roster prints in linear time.

One module each: :mod:`.pages` (the A4 printer, pagination, the PDF written beside its target),
:mod:`.pdf_textmap` (searchable Chinese in the PDF), :mod:`.notice_html` and :mod:`.notices`
(the notice and its rendering), :mod:`.tables` (any table), :mod:`.dialogs`; fonts come from
:mod:`desktop_app.ui.fonts`.

Nothing here touches a widget except the dialogs, so :func:`print_notices_to_pdf`,
:func:`print_village_notices_to_pdf` and :func:`print_table_to_pdf` run in a
:class:`~desktop_app.ui.operations.Operation` (Qt supports painting on a QPrinter off the GUI thread;
``tests/ui/test_printing.py`` prints from a pool thread with Qt warnings failing the test). A PDF is
written to a temporary file beside the target and renamed at the end: a cancelled or failed
print leaves no half file and never clobbers an earlier one.
"""

from desktop_app.ui.fonts import CJK_FAMILIES
from desktop_app.ui.printing.dialogs import (
    NoticeBatchDialog,
    choose_printer_and_print,
    choose_printer_and_print_notice,
    notice_preview,
    preview_dialog,
    print_dialog,
    table_preview,
)
from desktop_app.ui.printing.notice_html import notice_html
from desktop_app.ui.printing.notices import (
    notice_document,
    print_notices_to_pdf,
    print_village_notices_to_pdf,
    render_notices,
)
from desktop_app.ui.printing.pages import PrintResult, make_printer, page_text
from desktop_app.ui.printing.pdf_textmap import fix_pdf_text
from desktop_app.ui.printing.tables import (
    print_table_to_pdf,
    render_table,
    table_from_model,
)
from desktop_app.ui.qt_guard import keep_none_alive

keep_none_alive()  # printing a village makes thousands of void calls

__all__ = [
    "CJK_FAMILIES", "NoticeBatchDialog", "PrintResult", "choose_printer_and_print",
    "choose_printer_and_print_notice", "fix_pdf_text", "keep_none_alive", "make_printer",
    "notice_document", "notice_html", "notice_preview", "page_text", "preview_dialog",
    "print_dialog", "print_notices_to_pdf", "print_table_to_pdf", "print_village_notices_to_pdf", "render_notices",
    "render_table", "table_from_model", "table_preview",
]
