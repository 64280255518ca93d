"""A ledger on a PostgreSQL server (a township office, a county bureau), opened by URL.

``postgresql://USER@HOST[:PORT]/DBNAME`` names it (``HOST`` may be a socket folder, written
percent-encoded: ``postgresql://ledger@%2Fvar%2Frun%2Fpostgresql/ledger``). The password is never
part of it: libpq takes it from ``PGPASSWORD``, the user's ``~/.pgpass`` (``PGPASSFILE``) or a
service file, so it is never on a command line, in the settings or in a message; a URL carrying
one is refused.

Driver: psycopg 3 (``psycopg[binary]``, libpq inside the wheel), which peewee 4's own
``PostgresqlDatabase`` drives (``prefer_psycopg3``). Chosen over psycopg2-binary because psycopg 3
is the maintained line (psycopg2 gets fixes only), it has ``COPY … FROM STDIN`` as a Python API
for the bulk import, and server-side parameter binding.

What the file's SQLite-only parts become here: no lock file (many clerks write at once; who did
what is in the 操作日志 by operator; row locks and row versions keep them apart), no pragmas, no
file checks, no backup copy before an upgrade (the server's backups are the DBA's: pg_dump,
point-in-time recovery); the schema upgrade runs under an advisory lock, so two programs opening
an old database upgrade it once; and the whole-schema check compares the server's catalog
(:mod:`desktop_app.store.schema_check_pg`).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import peewee
import psycopg

from desktop_app.store.after_transaction import AfterTransactionMixin
from desktop_app.store.before_commit import BeforeCommitMixin
from desktop_app.store.dialect import PortablePostgresqlDatabase
from desktop_app.store.errors import LedgerOpenError, closed_unless_opened
from desktop_app.store.migrations import current_version, migrate
from desktop_app.store.migrations.runner import MIGRATION_LOCK, pending
from desktop_app.store.models import db
from desktop_app.store.schema_check import refuse_tampered
from desktop_app.store.schema_check_pg import schema_differences_pg

SCHEMES = ("postgresql://", "postgres://")


def is_server_url(target: object) -> bool:
    """``target`` names a ledger on a PostgreSQL server (a URL), not a file."""
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


def display_name(url: str) -> str:
    """``DBNAME@HOST`` for messages (never a password: a URL with one is refused anyway)."""
    parts = urlsplit(url)
    host = unquote(parts.hostname or "") or "本机"
    return f"{parts.path.lstrip('/') or '（未写数据库名）'}@{host}"


def check_url(url: str) -> None:
    """LedgerOpenError for a URL this program will not use: one carrying a password, or no
    database name."""
    parts = urlsplit(url)
    if parts.password is not None or "password=" in parts.query.lower():
        raise LedgerOpenError(
            "服务器地址里不能写密码（会留在命令记录和设置里）。请去掉密码，"
            "改用环境变量 PGPASSWORD 或 .pgpass 文件提供，没有连接"
        )
    if not parts.path.lstrip("/"):
        raise LedgerOpenError(f"服务器地址“{url}”没有写数据库名（postgresql://用户@服务器/数据库名），没有连接")


class LedgerPostgresDatabase(AfterTransactionMixin, BeforeCommitMixin, PortablePostgresqlDatabase):
    """peewee's PostgresqlDatabase with :meth:`after_transaction` (the same mixin as the file's),
    speaking the services' SQL (``?`` placeholders, dates as ISO text: :mod:`.dialect`), with
    :meth:`defer_until_commit` (:mod:`.before_commit`: the audit chain's appends, last).
    ``read_only``: every connection it opens refuses writes (the server's own
    ``default_transaction_read_only``)."""

    engine = "postgresql"

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.read_only = read_only
        options = {"options": "-c default_transaction_read_only=on"} if read_only else {}
        super().__init__(url, prefer_psycopg3=True, application_name="enrollment-ledger", **options)


def open_postgres(url: str, *, create: bool = True, read_only: bool = False) -> LedgerPostgresDatabase:
    """Connect to the ledger database at ``url``, check its schema, upgrade it, bind the models.

    The database itself is made by the server's administrator (``createdb``); an empty one gets
    the ledger's schema unless ``create`` is False. ``read_only``: no upgrade, every write refused.
    """
    check_url(url)
    name = display_name(url)
    database = LedgerPostgresDatabase(url, read_only=read_only)
    try:
        database.connect()
    except peewee.OperationalError as exc:
        raise LedgerOpenError(refusal_words(exc, url)) from exc
    # the check and the steps use psycopg itself, hence its errors beside peewee's
    with closed_unless_opened(database, (peewee.DatabaseError, psycopg.Error),
                              lambda exc: f"服务器上的台账“{name}”无法打开：{_first_line(exc)}"):
        conn = database.connection()
        if not read_only:
            conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            _refuse_changed_schema(database, name)  # before any step reads or changes it
            steps = pending(conn)  # LedgerTooNewError before anything is written
            if current_version(conn) == 0 and (read_only or not create):
                raise LedgerOpenError(f"服务器上的数据库“{name}”里还没有台账（请先用 init 建立）")
            if steps and read_only:
                raise LedgerOpenError("这个台账需要先升级数据结构，只读方式不能打开；请正常打开一次")
            if steps:
                migrate(database)
        finally:
            if not read_only:
                conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    db.initialize(database)
    return database


#: libpq's words for a server it cannot reach (the address, the port, the network, the server down)
UNREACHABLE = ("connection refused", "could not translate host name", "no such file", "timeout", "timed out",
               "unreachable", "no route to host", "name or service not known")


def refusal_words(exc: BaseException, url: str) -> str:
    """What the server's refusal to connect means, in Chinese, for the window and the command
    line alike; libpq's own first line (and where the password goes) when it is none of the usual."""
    said = str(exc).lower()
    parts = urlsplit(url)
    host = unquote(parts.hostname or "") or "localhost"
    user, database = unquote(parts.username or ""), unquote(parts.path.lstrip("/"))
    if "password authentication failed" in said or "no password supplied" in said:
        return f"服务器不接受用户 {user} 的密码。请检查密码（可以问服务器管理员，或请他设一个新密码）。"
    if "database" in said and "does not exist" in said:
        return f"服务器 {host} 上没有名为 {database} 的数据库。请检查数据库名。"
    if "role" in said and "does not exist" in said:
        return f"服务器 {host} 上没有名为 {user} 的用户。请检查用户名。"
    if any(word in said for word in UNREACHABLE):
        return f"连不上服务器 {host}。请检查地址和端口、网线，以及服务器是否开着（可以问服务器管理员）。"
    hint = "（密码请放在 .pgpass 文件或环境变量 PGPASSWORD 里）" if "password" in said else ""
    return f"连接单位服务器上的台账“{display_name(url)}”失败：{_first_line(exc)}{hint}"


def _refuse_changed_schema(database: LedgerPostgresDatabase, name: str) -> None:
    refuse_tampered(schema_differences_pg(database), f"服务器上的台账“{name}”没有打开（没有改动）",
                    "请数据库管理员检查", what="台账")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
