"""连接单位服务器 in the window: the dialog builds the server's URL, never keeps the password
(the settings read back), opens the window on the real throwaway server of the test fixture, and
says in Chinese why the server refused (a wrong password, no such database, nobody there)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import household_work
from desktop_app.services.ledger import close_ledger, open_ledger, summary
from desktop_app.store.db import close_database
from desktop_app.store.postgres import is_server_url
from desktop_app.ui.app import make_application
from desktop_app.ui.server_dialog import (
    PASSWORD_ENV,
    SERVER_KEY,
    ServerDialog,
    remembered_server,
    server_label,
)

PASSWORD = "Never-Stored-7f3"


@pytest.fixture(autouse=True)
def _no_password_left():
    """What a test put in PGPASSWORD does not reach the next one."""
    before = os.environ.pop(PASSWORD_ENV, None)
    yield
    os.environ.pop(PASSWORD_ENV, None)
    if before is not None:
        os.environ[PASSWORD_ENV] = before


def _settings_text(home: Path) -> str:
    QSettings().sync()
    return "".join(p.read_text(errors="replace") for p in (home / "qt-settings").rglob("*") if p.is_file())


def _fill(dialog: ServerDialog, url: str, password: str = "") -> None:
    parts = urlsplit(url)
    dialog.host.setText(unquote(parts.hostname or ""))
    dialog.port.setText(str(parts.port or ""))
    dialog.database.setText(parts.path.lstrip("/"))
    dialog.user.setText(parts.username or "")
    dialog.password.setText(password)


def test_the_fields_make_the_url(qtbot):
    make_application()
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText("10.0.0.5")
    dialog.port.setText("5432")
    dialog.database.setText("county")
    dialog.user.setText("ledger")
    assert dialog.url() == "postgresql://ledger@10.0.0.5:5432/county"
    dialog.host.setText("/var/run/postgresql")  # a socket folder, as libpq takes it
    dialog.port.clear()
    assert dialog.url() == "postgresql://ledger@%2Fvar%2Frun%2Fpostgresql/county"
    assert server_label("postgresql://ledger@10.0.0.5:5432/county") == "ledger@10.0.0.5/county"
    dialog.url_edit.setText("postgresql://ledger:secret@10.0.0.5/county")  # a URL with a password: refused
    assert not dialog.submit()
    assert "不能写密码" in dialog.error.text()
    dialog.url_edit.clear()
    dialog.host.clear()
    assert not dialog.submit()
    assert "数据库" in dialog.error.text() or "服务器" in dialog.error.text()


def test_connecting_opens_the_window_on_the_server_and_keeps_no_password(
        qtbot, open_window, postgres_url, tmp_path, _isolated_home):
    make_application()
    file_ledger = tmp_path / "own.sqlite"
    open_ledger(file_ledger, program="window")
    dialog = ServerDialog(previous=file_ledger)
    qtbot.addWidget(dialog)
    _fill(dialog, postgres_url, PASSWORD)  # the test server trusts its socket: any password passes
    assert dialog.submit(), dialog.error.text()
    assert summary().households == 0  # the server's ledger is the one open now
    household_work.add_household("东山村", [household_work.NewMember(
        "王大伟", make_id_number("431199", dt.date(1980, 1, 1), 11), "户主")])
    assert QSettings().value(SERVER_KEY) == postgres_url == remembered_server()
    assert dialog.password.text() == ""
    assert PASSWORD not in _settings_text(_isolated_home)
    assert ":" + PASSWORD not in str(QSettings().value(SERVER_KEY))

    window = open_window(postgres_url)
    label = server_label(postgres_url)
    assert f"单位服务器：{label}" in window.windowTitle()
    assert window.server_label.text() == f"单位服务器：{label}"
    assert window.household_model.rowCount() == 1
    close_ledger()


def test_a_database_the_server_has_not_is_said_in_chinese(qtbot, postgres_url, tmp_path):
    make_application()
    file_ledger = tmp_path / "own.sqlite"
    open_ledger(file_ledger, program="window")
    dialog = ServerDialog(previous=file_ledger)
    qtbot.addWidget(dialog)
    _fill(dialog, postgres_url)
    dialog.database.setText("no_such_county")
    assert not dialog.submit()
    assert "没有名为 no_such_county 的数据库" in dialog.error.text()
    assert QSettings().value(SERVER_KEY) is None
    assert summary().households == 0  # this computer's file is open again
    close_database()


def test_a_server_nobody_answers_is_said_in_chinese(qtbot, tmp_path):
    make_application()
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText(str(tmp_path / "no-server-here"))
    dialog.database.setText("county")
    dialog.user.setText("ledger")
    assert not dialog.submit()
    assert "连不上服务器" in dialog.error.text()


@pytest.fixture
def clerk_with_password(postgres_server, postgres_url):
    """A role ``clerk`` whose password the server checks (the throwaway cluster trusts everyone
    else on its socket): a line for it alone in pg_hba.conf, removed again afterwards."""
    if postgres_server.folder is None:
        pytest.skip("a server of one's own is needed to change how it checks passwords")
    hba = postgres_server.folder / "data" / "pg_hba.conf"
    before = hba.read_text()
    with postgres_server.admin() as conn:
        conn.execute("CREATE ROLE clerk LOGIN PASSWORD 'right-one'")
    hba.write_text("local all clerk scram-sha-256\n" + before)
    with postgres_server.admin() as conn:
        conn.execute("SELECT pg_reload_conf()")
    yield postgres_url.replace("postgresql://ledger@", "postgresql://clerk@", 1)
    hba.write_text(before)
    with postgres_server.admin() as conn:
        conn.execute("SELECT pg_reload_conf()")
        conn.execute("DROP ROLE clerk")


def test_a_wrong_password_is_said_in_chinese(qtbot, clerk_with_password, tmp_path, _isolated_home):
    make_application()
    file_ledger = tmp_path / "own.sqlite"
    open_ledger(file_ledger, program="window")
    dialog = ServerDialog(previous=file_ledger)
    qtbot.addWidget(dialog)
    _fill(dialog, clerk_with_password, "wrong-one")
    assert not dialog.submit()
    assert "服务器不接受用户 clerk 的密码" in dialog.error.text()
    assert dialog.password.text() == ""  # cleared: typed again
    assert PASSWORD_ENV not in os.environ  # the wrong one is not kept for the session
    assert QSettings().value(SERVER_KEY) is None
    assert "wrong-one" not in _settings_text(_isolated_home)
    assert summary().households == 0  # this computer's file is open again
    close_database()


def test_the_start_screen_connects_to_the_server(qtbot, postgres_url, tmp_path):
    """连接单位服务器 beside logging in to this computer's ledger: the start screen's dialog ends
    with the server's ledger open, and start_screen goes on to log in there."""
    from desktop_app.ui.login import LoginDialog  # lazy: only this test needs the start screen
    from desktop_app.ui.server_dialog import SWITCHED_LEDGER

    make_application()
    file_ledger = tmp_path / "own.sqlite"
    open_ledger(file_ledger, program="window")
    login = LoginDialog(ledger=file_ledger)
    qtbot.addWidget(login)
    assert login.findChild(QPushButton, "connectServer") is not None
    server = login.connect_server()
    server.url_edit.setText(postgres_url)
    assert server.submit(), server.error.text()
    assert login.result() == SWITCHED_LEDGER and login.switched_to == postgres_url
    locked = LoginDialog(name="x", locked=True, ledger=file_ledger)  # the idle lock: no way out to a server
    qtbot.addWidget(locked)
    assert locked.findChild(QPushButton, "connectServer") is None
    assert login.findChild(QPushButton, "ownLedgerFile") is None  # on this computer's file already
    again = LoginDialog(ledger=postgres_url)  # the next start, on the server: back to the file
    qtbot.addWidget(again)
    assert again.findChild(QPushButton, "ownLedgerFile") is not None
    own = again.open_own_file()
    assert again.result() == SWITCHED_LEDGER and again.switched_to == own and not is_server_url(own)
    assert remembered_server() is None and summary().households == 0
    close_database()


def test_the_server_opened_last_is_opened_at_start(postgres_url):
    from desktop_app.ui.server_dialog import open_server_at_start  # lazy: only this test

    make_application()
    QSettings().setValue(SERVER_KEY, postgres_url)
    assert open_server_at_start(remembered_server()) == postgres_url
    assert summary().households == 0
    close_database()


def test_the_start_screen_goes_on_to_the_servers_first_administrator(qtbot, postgres_url, tmp_path):
    """run_gui's path: 连接单位服务器 on this computer's first-start screen, then the server's own
    start (its first administrator here, a new database), and the ledger shown is the server's."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.services import access, operators
    from desktop_app.ui.login import FirstAdministratorDialog, start_screen

    make_application()
    file_ledger = tmp_path / "own.sqlite"
    open_ledger(file_ledger, program="window")
    seen: list[str] = []

    def drive() -> None:  # plays the person at each modal window in turn
        modal = QApplication.activeModalWidget()
        if isinstance(modal, ServerDialog) and "server" not in seen:
            seen.append("server")
            modal.url_edit.setText(postgres_url)
            modal.submit()
        elif isinstance(modal, FirstAdministratorDialog) and "file" not in seen:
            seen.append("file")
            modal.connect_server()
        elif isinstance(modal, FirstAdministratorDialog) and "server" in seen and "admin" not in seen:
            seen.append("admin")
            modal.name.setText("县管理员")
            modal.password.setText("Adm1n-pass")
            modal.repeat.setText("Adm1n-pass")
            modal.submit()

    timer = QTimer()
    timer.timeout.connect(drive)
    timer.start(50)
    shown = start_screen(file_ledger)
    timer.stop()
    assert seen == ["file", "server", "admin"]
    assert shown == postgres_url
    assert access.current().name == "县管理员"
    assert [o.name for o in operators.operators()] == ["县管理员"]  # on the server, not in the file
    close_database()
    open_ledger(file_ledger)
    assert operators.needs_first_administrator()
    close_database()
