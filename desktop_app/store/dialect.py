"""The few places where SQLite and PostgreSQL need different SQL, in one module.

The services write their hand-made SQL once, in SQLite's style (``?`` placeholders, dates as
``'YYYY-MM-DD'`` text), and it runs on both engines with the same results:

- :class:`QmarkCursor` / :class:`QmarkConnection` (PostgreSQL only, through psycopg 3) turn
  ``?`` into ``%s`` (``%`` into ``%%``) outside quoted text, bind values on the client like
  psycopg2 did (a ``'2025-01-01'`` compared with a date column, an int compared with an int column,
  as SQLite accepts them), read dates and timestamps back as the same ISO text SQLite stores, and
  give the raw connection the ``execute`` / ``executemany`` the services call on sqlite3's;
- small functions (:func:`glob_prefix`, :func:`like`, :func:`now_local`, :func:`order_term`,
  :func:`text_key`…) return the SQL fragment each engine needs, where one spelling does not
  exist for both (elsewhere the services use the spelling both understand: ``CASE`` for SQLite's
  two-argument MIN/MAX and for a SUM of a comparison, ``ON CONFLICT`` upserts, ``RETURNING``).

Ordering: ``ORDER BY name`` compares bytes on SQLite (``BINARY``); a PostgreSQL database made with
a Chinese or English locale compares by that locale. :func:`c_collate` (``COLLATE "C"`` on
PostgreSQL, nothing on SQLite) after a text key gives the byte order on both (UTF-8 bytes sort
as code points). PostgreSQL puts NULL last ascending where SQLite puts it first:
:func:`order_term` / :func:`text_key` where a NULL may be sorted.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

import peewee

from desktop_app.store.models import db

try:  # psycopg 3 is needed only for a PostgreSQL ledger
    import psycopg
    from psycopg.types.string import TextLoader
except ImportError:  # pragma: no cover - a laptop install without the server driver
    psycopg = None  # type: ignore[assignment]
    TextLoader = None  # type: ignore[assignment,misc]


def is_postgres(database: peewee.Database | None = None) -> bool:
    """True when ``database`` (default: the ledger's bound database) is PostgreSQL."""
    target = database if database is not None else db
    if isinstance(target, peewee.DatabaseProxy):
        target = target.obj
    return isinstance(target, peewee.PostgresqlDatabase)


def qmark_to_pyformat(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s``, a literal ``%`` doubled; quoted text untouched
    but for its ``%``. SQL already in psycopg's style (``%s``, ``%%``) passes through unchanged,
    so that statements written for psycopg (the store's own) run on the same connection."""
    return _translate(sql)[0]


def _translate(sql: str) -> tuple[str, list[int] | None]:
    """:func:`qmark_to_pyformat`, and for SQLite's numbered ``?N`` the 0-based parameter each
    ``%s`` takes, in order (None when the statement has plain ``?`` only)."""
    if "?" not in sql and "%" not in sql:
        return sql, None
    out: list[str] = []
    numbered: list[int] = []
    quote = ""
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch == "%" and sql[i + 1 : i + 2] == "%":  # already escaped (psycopg's own style)
            out.append("%%")
            i += 2
            continue
        if ch == "%" and not quote and sql[i + 1 : i + 2] == "s":  # already a psycopg placeholder
            out.append("%s")
            i += 2
            continue
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            j = i + 1
            while j < n and sql[j].isdigit():
                j += 1
            if j > i + 1:
                numbered.append(int(sql[i + 1 : j]) - 1)
                i = j - 1
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
        i += 1
    return "".join(out), (numbered or None)


def _bind(query: object, params: object) -> tuple[object, object]:
    if not isinstance(query, str):
        return query, () if params is None else params
    sql, numbered = _translate(query)
    if numbered is not None and params is not None:
        values = list(params)  # type: ignore[call-overload]
        params = [values[k] for k in numbered]
    return sql, () if params is None else params


if psycopg is not None:

    class QmarkCursor(psycopg.ClientCursor):
        """A client-side binding cursor that takes SQLite's ``?`` placeholders."""

        def execute(self, query, params=None, **kwargs):  # type: ignore[override]
            query, params = _bind(query, params)
            return super().execute(query, params, **kwargs)

        def executemany(self, query, params_seq, **kwargs):  # type: ignore[override]
            if isinstance(query, str):
                query = qmark_to_pyformat(query)
            return super().executemany(query, params_seq, **kwargs)

    class QmarkConnection(psycopg.Connection):
        """psycopg's connection with ``executemany`` like sqlite3's, cursors from :class:`QmarkCursor`."""

        def executemany(self, query: str, params_seq: Iterable[Sequence[object]]) -> psycopg.Cursor:
            cursor = self.cursor()
            cursor.executemany(query, list(params_seq))
            return cursor

    def configure_connection(conn: psycopg.Connection) -> None:
        """Dates and timestamps read back as the ISO text SQLite returns (peewee's fields parse it)."""
        for name in ("date", "timestamp", "timestamptz"):
            conn.adapters.register_loader(name, TextLoader)

    def connect(conninfo: str = "", **kwargs: object) -> QmarkConnection:
        """A psycopg connection ready for the services' SQL (for a ``PostgresqlDatabase._connect``)."""
        kwargs.setdefault("cursor_factory", QmarkCursor)
        conn = QmarkConnection.connect(conninfo, **kwargs)
        configure_connection(conn)
        return conn


class PortablePostgresqlDatabase(peewee.PostgresqlDatabase):
    """peewee's PostgreSQL database speaking ``?`` like SQLite (its own SQL included), so that a
    query is written once for both engines."""

    param = "?"

    def init(self, database: str, **kwargs: object) -> None:
        kwargs.setdefault("prefer_psycopg3", True)
        super().init(database, **kwargs)

    def _connect(self) -> object:
        params = dict(self.connect_params)
        if self.database.startswith(("postgresql://", "postgres://")) or "=" in self.database:
            params.setdefault("conninfo", self.database)
        else:
            params.setdefault("dbname", self.database)
        conn = connect(**params)
        conn.autocommit = True  # peewee sends BEGIN itself
        return conn


#: Server-side cursors of this process, numbered (each needs its own name on the connection).
_STREAMS = itertools.count(1)


def stream_rows(sql: str, params: Sequence[object] = (), chunk: int = 2000) -> Iterator[tuple]:
    """The rows of a long read (an export's million rows) as they come, never all held at once.

    SQLite's cursor already steps row by row. psycopg's ordinary cursor takes the whole result
    into the client first (a county roster: over 500 MB), so on PostgreSQL the rows come through a
    server-side cursor ``chunk`` at a time. The cursor is a holdable one (``WITH HOLD``), outside
    peewee's transactions: the server computes the result once, in one snapshot (an export does
    not mix rows from before and after a clerk's payment), and keeps it past any commit. A cursor
    inside ``db.atomic()`` held that transaction open for as long as the generator lived: a write
    made after a consumer stopped reading (an export cancelled) went into it and was rolled back
    when the generator was collected, and two streams ended out of order corrupted peewee's stack
    of transactions."""
    if not is_postgres():
        yield from db.execute_sql(sql, params)
        return
    name = f"ledger_stream_{next(_STREAMS)}"
    with db.connection().cursor(name=name, withhold=True) as cursor:
        query, values = _bind(sql, params)
        cursor.execute(query, values)
        while rows := cursor.fetchmany(chunk):
            yield from rows


# --- SQL fragments that differ ------------------------------------------------------------


def glob_prefix(column: str) -> str:
    """A case-sensitive prefix match of ``column`` for one ``?`` made by :func:`prefix_pattern`,
    served by an index on both engines: GLOB on SQLite (case-sensitive, unlike its LIKE), LIKE on
    PostgreSQL (case-sensitive there; migration 9 adds a ``text_pattern_ops`` index for it)."""
    return f"{column} LIKE ?" if is_postgres() else f"{column} GLOB ?"


def prefix_pattern(prefix: str) -> str:
    """The parameter :func:`glob_prefix` takes for ``prefix``, its special characters escaped."""
    if is_postgres():
        return "".join("\\" + c if c in "%_\\" else c for c in prefix) + "%"
    return "".join(f"[{c}]" if c in "*?[]" else c for c in prefix) + "*"


def now_local() -> str:
    """The current local time as a timestamp value for a DATETIME column."""
    if is_postgres():
        return "LOCALTIMESTAMP(0)"
    return "datetime('now', 'localtime')"


#: After an ORDER BY text key: byte (code point) order on both engines.
def c_collate() -> str:
    return ' COLLATE "C"' if is_postgres() else ""


def like() -> str:
    """SQLite's LIKE, which ignores the case of ASCII letters: ILIKE on PostgreSQL."""
    return "ILIKE" if is_postgres() else "LIKE"


#: text columns a list is sorted by: byte order on both engines (see the module's text)
TEXT_KEYS = frozenset({"p.name", "p.id_number", "p.relation", "p.phone", "h.number", "v.name",
                       "e.status", "m.category", "h.head_name", "h.address"})


def order_term(term: str, descending: bool = False, nullable: bool = False) -> str:
    """One ORDER BY term sorted as SQLite sorts it: text by bytes, NULL first ascending and last
    descending (PostgreSQL's defaults are the other way round; ``nullable`` terms only, so that a
    NOT NULL key keeps its index order)."""
    if is_postgres():
        if term in TEXT_KEYS:
            term = f'{term} COLLATE "C"'
        if nullable:
            term += " DESC NULLS LAST" if descending else " NULLS FIRST"
            return term
    return f"{term} DESC" if descending else term


def no_limit(limit: int) -> int | None:
    """A ``LIMIT ?`` value: SQLite's -1 for "all rows" is NULL on PostgreSQL."""
    return None if limit < 0 and is_postgres() else limit


def text_key(term: str, nullable: bool = False) -> str:
    """An ascending ORDER BY term of text sorted as SQLite sorts it (bytes; NULL first)."""
    if not is_postgres():
        return term
    return f'{term} COLLATE "C"' + (" NULLS FIRST" if nullable else "")


#: The advisory lock that orders appends to the audit chain (see :func:`hold_write_turn`).
WRITE_TURN_LOCK = 0x4C45_4441  # "LEDA" (the migrations take "LEDG")


def hold_write_turn() -> None:
    """PostgreSQL: wait for this transaction's turn to write, held until it ends.

    Every change appends to the 操作日志, whose entries are a hash chain (each names the one
    before): two transactions appending at once would both chain to the same entry. So the
    append waits for the others (an advisory transaction lock). The audit keeps its entries
    until the commit and takes the turn then, as the transaction's last statements
    (:mod:`desktop_app.store.before_commit`): it covers those inserts and the commit only, and,
    taken after every row lock the transaction will ask for, it waits for nobody holding the
    turn who waits in turn (no deadlock). Nothing on SQLite: one writer at a time already.
    Call inside a transaction."""
    if is_postgres():
        db.execute_sql("SELECT pg_advisory_xact_lock(?)", (WRITE_TURN_LOCK,))
