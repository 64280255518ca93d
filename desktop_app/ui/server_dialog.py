"""连接单位服务器: the window's way to a ledger on the township office's or county's PostgreSQL
server, beside the ledger file of this computer.

The dialog takes the server's address, port, database and user (or a ``postgresql://`` URL with
no password in it) and a password. The password is never written anywhere: it is handed to libpq
through this process's ``PGPASSWORD`` for this session only (or left empty, when the user's
``.pgpass`` file has it). What is remembered for the next start (:data:`SERVER_KEY`) is the URL
without a password. Opening goes through the same service as a file,
:func:`desktop_app.services.ledger.open_ledger`; what the server says when it refuses (a wrong
password, no such database, not reachable) is put in words a clerk understands.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from desktop_app.errors import UserError
from desktop_app.services.ledger import close_ledger, open_ledger
from desktop_app.store.errors import LedgerOpenError
from desktop_app.store.paths import default_ledger_path
from desktop_app.store.postgres import check_url, is_server_url
from desktop_app.ui.forms import FormDialog, line_edit, password_edit, push_button
from desktop_app.ui.text import fill

SERVER_KEY = "ledger/server_url"  # the server ledger opened last (a URL, never a password)
PASSWORD_ENV = "PGPASSWORD"  # libpq reads it at each connection; set for this process only
SWITCHED_LEDGER = 3  # a start-screen dialog's answer when the person opened another ledger there


class ServerRefused(UserError):
    """The server did not open the ledger; the message says why in Chinese."""


def server_url(host: str, port: str, database: str, user: str) -> str:
    """``postgresql://USER@HOST[:PORT]/DBNAME``; a socket folder as host is percent-encoded."""
    host = host.strip()
    where = quote(host, safe="") if host.startswith("/") else host
    who = quote(user.strip(), safe="") + "@" if user.strip() else ""
    port = f":{port.strip()}" if port.strip() else ""
    return f"postgresql://{who}{where}{port}/{quote(database.strip(), safe='')}"


def server_label(url: str) -> str:
    """``ledger@10.0.0.5/county``: who, on which server, which database (never a password)."""
    parts = urlsplit(url)
    host = unquote(parts.hostname or "") or "localhost"
    who = unquote(parts.username) + "@" if parts.username else ""
    return f"{who}{host}/{unquote(parts.path.lstrip('/'))}"


def remembered_server() -> str | None:
    """The server ledger this computer opened last, or None."""
    value = QSettings().value(SERVER_KEY)
    return str(value) if value and is_server_url(str(value)) else None


def forget_server() -> None:
    QSettings().remove(SERVER_KEY)


class ServerDialog(FormDialog):
    """连接单位服务器: address, port, database, user (or a URL) and password → the server's
    ledger opened (``saved`` carries its URL). ``previous``: the ledger open now, opened again
    when the server refuses."""

    def __init__(self, parent: QWidget | None = None, *, previous: object = None, url: str = "") -> None:
        super().__init__(parent, "serverError")
        self.setObjectName("serverDialog")
        self.setWindowTitle(self.tr("Connect to the office server"))
        self.previous = previous
        intro = QLabel(self.tr("Several clerks of a township office or a county work in one ledger on a "
                               "server. Its administrator gives you the address, the database, your user "
                               "name and password."))
        intro.setWordWrap(True)
        self.host = line_edit("serverHost", self.tr("e.g. 10.0.0.5"))
        self.port = line_edit("serverPort", "5432")
        self.port.setValidator(QIntValidator(1, 65535, self))
        self.database = line_edit("serverDatabase", self.tr("e.g. county"))
        self.user = line_edit("serverUser", self.tr("e.g. ledger"))
        self.url_edit = line_edit("serverUrl", fill(self.tr("e.g. %1"), "postgresql://ledger@10.0.0.5/county"))
        self.password = password_edit("serverPassword")
        self.password.setPlaceholderText(self.tr("not saved; empty when it is in your .pgpass file"))
        form = QFormLayout()
        form.addRow(self.tr("Server address"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Database"), self.database)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("or the address as a URL"), self.url_edit)
        form.addRow(self.tr("Password"), self.password)
        self.finish_layout(intro, form, ok=QDialogButtonBox.StandardButton.Open)
        self.setMinimumWidth(520)
        if url:
            self.url_edit.setText(url)

    def url(self) -> str:
        """The URL the fields name (never with a password)."""
        typed = self.url_edit.text().strip()
        if typed:
            return typed
        return server_url(self.host.text(), self.port.text(), self.database.text(), self.user.text())

    def check(self) -> str | None:
        typed = self.url_edit.text().strip()
        if typed and not is_server_url(typed):
            return self.tr("A server address as a URL begins with postgresql://")
        if not typed and not (self.host.text().strip() and self.database.text().strip()):
            return self.tr("Enter the server's address and the database (or the whole address as a URL).")
        try:
            check_url(self.url())
        except LedgerOpenError as exc:
            return str(exc)
        return None

    def save(self) -> str:
        url = self.url()
        before = os.environ.get(PASSWORD_ENV)
        if self.password.text():
            os.environ[PASSWORD_ENV] = self.password.text()  # this process only; libpq reads it
        close_ledger()
        try:
            open_ledger(url, program="window")
        except LedgerOpenError as exc:
            _restore_env(before)
            self._reopen_previous()
            self.password.clear()
            raise ServerRefused(str(exc)) from exc  # in Chinese already (store.postgres.refusal_words)
        except BaseException:
            _restore_env(before)
            self._reopen_previous()
            raise
        self.password.clear()
        QSettings().setValue(SERVER_KEY, url)
        return url

    def _reopen_previous(self) -> None:
        if self.previous is not None:
            open_ledger(self.previous, program="window")


def _restore_env(before: str | None) -> None:
    if before is None:
        os.environ.pop(PASSWORD_ENV, None)
    else:
        os.environ[PASSWORD_ENV] = before


def server_buttons(dialog: QDialog, previous: object) -> QWidget:
    """连接单位服务器… on a start-screen dialog (and, when ``previous`` is a server's ledger, a
    way back to this computer's file): when the other ledger is open, ``dialog`` ends with
    :data:`SWITCHED_LEDGER` and its ``switched_to`` set to it."""
    dialog.switched_to = None

    def switched(target: object) -> None:
        dialog.switched_to = target
        dialog.done(SWITCHED_LEDGER)

    def connect() -> ServerDialog:
        server = ServerDialog(dialog, previous=previous)
        server.saved.connect(switched)
        server.open()
        return server

    def own_file() -> Path:
        forget_server()
        close_ledger()
        path = own_ledger_file()
        open_ledger(path, program="window")
        switched(path)
        return path

    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(push_button(QCoreApplication.translate("ServerDialog", "Connect to the office &server…"),
                                 "connectServer", connect))
    if is_server_url(previous):
        layout.addWidget(push_button(QCoreApplication.translate("ServerDialog", "This computer's ledger &file"),
                                     "ownLedgerFile", own_file))
    dialog.connect_server, dialog.open_own_file = connect, own_file
    return row


def own_ledger_file() -> Path:
    """This computer's ledger file: the village work copy opened last, else the data folder's."""
    # lazy: work_copy imports the package dialogs, which the start screen needs only for this
    from desktop_app.ui.work_copy import remembered_work_copy

    return remembered_work_copy() or default_ledger_path()


def open_server_at_start(url: str) -> str | None:
    """At start, the server ledger opened last: opened as it is (the password from the
    environment or .pgpass), else the dialog with the server's refusal; None: not opened
    (the person cancelled), the computer's own ledger file is opened instead."""
    try:
        open_ledger(url, program="window")
        return url
    except LedgerOpenError as exc:
        dialog = ServerDialog(url=url)
        dialog.error.setText(str(exc))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.url()
        return None
