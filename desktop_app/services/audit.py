"""The 操作日志: writing entries inside the caller's transaction, reading, checking, exporting.

Who: in the window, the operator logged in (:func:`desktop_app.services.access.start_session`
is the only thing that sets it), source ``gui``; with nobody logged in (creating the first
administrator, a backup on opening) the operator is empty, which the trail shows as “未登录”.
On the command line, the OS user, source ``cli``. Nothing the user types in a setting changes it.

Tamper evidence: every entry carries ``entry_hash``, the SHA-256 of its canonical fields and of
the previous entry's hash (``prev_hash``); the recipe, exactly, is in
:mod:`desktop_app.domain.audit_chain` and in the README. :func:`verify_chain` walks the whole
chain and names the first broken entry; an exported trail ends with the head hash (the newest
entry's hash), which proves later that the ledger still holds every entry up to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop_app.domain.audit_chain import CANONICAL_COLUMNS, GENESIS, ChainBreak, entry_hash, first_break
from desktop_app.exchange.writing import Column, Kind, write_xlsx
from desktop_app.pathnames import shown
from desktop_app.store import bulk, dialect
from desktop_app.store.models import AuditEntry, db

GUI = "gui"
CLI = "cli"

#: (operator, source) of the entries written from now on.
_actor: tuple[str, str] = ("", GUI)


def set_current_operator(name: str) -> None:
    """The window's logged-in operator (from the session only); "" when nobody is logged in."""
    global _actor
    _actor = (name, GUI)


def set_command_line_user(name: str) -> None:
    """The command line: entries name the OS user and say they came from the command line."""
    global _actor
    _actor = (name, CLI)


def current_operator() -> str:
    return _actor[0]


def current_source() -> str:
    return _actor[1]


def _as_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return shown(value)
    # shown: a file name the OS gave undecodable (GBK) would not go into SQLite
    return shown(json.dumps(value, ensure_ascii=False, default=str, sort_keys=True))


_LAST = "SELECT id, entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1"
_INSERT = (
    'INSERT INTO audit_entry (id, at, operator, source, action, "table", record_id, old_value, new_value,'
    " prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def record(action: str, table: str, record_id: object = "", old: Any = None, new: Any = None) -> None:
    """Append one entry, chained to the newest one, in the caller's transaction (or its own).

    The id is the newest id plus one, given explicitly so that it can be hashed: the same id
    SQLite would choose. Inside a transaction nobody else can write between the read and the
    insert; should another connection have, the insert fails (duplicate id or a stale
    snapshot) rather than fork the chain.

    PostgreSQL (several clerks at once): the entry is kept until the transaction commits and
    appended then, as its last statements (:mod:`desktop_app.store.before_commit`), so that the
    turn the chain's appends take covers those inserts only, not the clerk's whole payment.
    """
    operator, source = _actor
    # shown: a file name the OS gave undecodable (GBK) would not go into SQLite
    entry = (operator, source, action, table, shown(str(record_id)), _as_text(old), _as_text(new))
    if not db.in_transaction():
        with db.atomic():
            _keep(entry)
    else:
        _keep(entry)


def _keep(entry: tuple) -> None:
    if dialect.is_postgres():
        db.defer_until_commit(_append_all, entry)
    else:
        _append_all([entry])


def _kept_written(conn: object = None) -> None:
    """Before reading the trail inside a transaction on PostgreSQL: this transaction's own
    entries, kept for its commit, written now (as they were before they were kept)."""
    if dialect.is_postgres() and db.in_transaction() and (conn is None or conn is db.connection()):
        db.write_deferred()


#: Entries from which :func:`_append_all` writes them with one bulk insert (COPY on PostgreSQL).
APPEND_IN_BULK = 50


def _append_all(entries: list[tuple]) -> None:
    """Append ``entries`` to the chain, in order. Many at once (an import's entry per changed
    person, kept for the commit on PostgreSQL) go in by one bulk insert instead of a statement
    each: 10,000 entries were 10,000 round trips to the server."""
    dialect.hold_write_turn()  # PostgreSQL: one chain, one append at a time (several clerks)
    last = db.execute_sql(_LAST).fetchone()
    entry_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = dt.datetime.now().replace(microsecond=0).isoformat(" ")
    rows = []
    for entry in entries:
        fields = (entry_id, at, *entry, prev)
        prev = entry_hash(fields)
        rows.append((*fields, prev))
        entry_id += 1
    if len(rows) < APPEND_IN_BULK:
        for row in rows:
            db.execute_sql(_INSERT, row)
    else:
        into, _values, placeholders = _INSERT.partition(" VALUES ")
        bulk.insert_rows(db.connection(), into, placeholders, rows)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file (hex), for entries about an imported or loaded file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- checking the chain (plain sqlite3, so that ``check`` examines a file without migrating it) ---

_COLUMNS_SQL = ", ".join(f'"{c}"' for c in CANONICAL_COLUMNS)


def _is_chained(conn: sqlite3.Connection) -> bool:
    if isinstance(conn, sqlite3.Connection):
        columns = {row[1] for row in conn.execute("PRAGMA table_info(audit_entry)")}
    else:  # PostgreSQL
        columns = {row[0] for row in conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = 'audit_entry'")}
    return "entry_hash" in columns  # before schema version 5 there is no chain to check


def verify_chain(conn: sqlite3.Connection) -> ChainBreak | None:
    """The first entry where the chain breaks (altered, unhashed, deleted or inserted), or None."""
    if not _is_chained(conn):
        return None
    _kept_written(conn)
    rows = conn.execute(f"SELECT {_COLUMNS_SQL}, entry_hash FROM audit_entry ORDER BY id")
    return first_break(rows)


def chain_problems(conn: sqlite3.Connection) -> list[str]:
    """For ``check``: the first break of the chain as a sentence, or nothing."""
    found = verify_chain(conn)
    return [] if found is None else [str(found)]


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(number of the newest entry, its hash); (0, 64 zeros) for an empty trail."""
    _kept_written(conn)
    row = conn.execute(_LAST).fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


# --- reading the trail (never editing it) ---------------------------------------------------------

#: The columns :func:`entries` and :func:`person_history` return, in order.
ENTRY_COLUMNS = ("at", "operator", "source", "action", "table", "record_id", "old_value", "new_value")
_SELECT = 'SELECT at, operator, source, action, "table", record_id, old_value, new_value FROM audit_entry'


def count_entries() -> int:
    _kept_written()
    return AuditEntry.select().count()


def entries(offset: int, limit: int) -> list[tuple]:
    """The whole ledger's trail, newest first, a page at a time."""
    _kept_written()
    return db.execute_sql(f"{_SELECT} ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)).fetchall()


def person_history(person_id: int) -> list[tuple]:
    """Every entry about a person: the person, their enrollments, payments and categories."""
    _kept_written()
    return db.execute_sql(
        f"""{_SELECT}
           WHERE ("table" = 'person' AND record_id = ?1)
              OR ("table" = 'enrollment' AND record_id IN (SELECT CAST(id AS TEXT) FROM enrollment WHERE person_id = ?2))
              OR ("table" = 'payment' AND record_id IN (SELECT CAST(id AS TEXT) FROM payment WHERE person_id = ?2))
              OR ("table" = 'category_membership' AND (record_id LIKE ?3
                   OR record_id IN (SELECT CAST(id AS TEXT) FROM category_membership WHERE person_id = ?2)))
           ORDER BY id DESC""",
        (str(person_id), person_id, f"{person_id}/%"),
    ).fetchall()


EXPORT_HEADERS = ("序号", "时间", "操作员", "来源", "操作", "表", "记录", "原值", "新值", "前一条校验值", "本条校验值")
HEAD_LABEL = "链尾校验值"
_PAGE = 5000


def export_trail(path: object) -> int:
    """The whole trail, oldest first, to an .xlsx workbook for the county or an inspection.

    Every canonical field is written as stored (an empty cell is the empty string), so that
    the chain can be re-verified from the workbook alone; the last row carries the head hash.
    Returns the number of entries written.
    """
    conn = db.connection()
    head_id, head_hash = head(conn)
    columns = [Column("序号", Kind.INT), *(Column(h) for h in EXPORT_HEADERS[1:])]

    def rows() -> Iterator[list]:
        last = 0
        while last < head_id:
            page = conn.execute(
                f"SELECT {_COLUMNS_SQL}, entry_hash FROM audit_entry WHERE id > ? AND id <= ? ORDER BY id LIMIT ?",
                (last, head_id, _PAGE),
            ).fetchall()
            if not page:
                break
            for entry_id, at, *rest in page:
                yield [entry_id, str(at), *rest]
            last = page[-1][0]
        yield [None, f"{HEAD_LABEL}（截至第{head_id}条）", *([None] * (len(columns) - 3)), head_hash]

    subtitle = (
        "来源：gui＝窗口（操作员为空表示当时无人登录），cli＝命令行（操作员为电脑用户名），空＝第5版之前的记录。"
        "每条的校验值＝SHA-256(JSON[序号,时间,操作员,来源,操作,表,记录,原值,新值,前一条校验值])，算法见程序说明。"
    )
    summary = write_xlsx(Path(str(path)), "操作日志", columns, rows(), sheet_name="操作日志", subtitle=subtitle)
    return summary.rows - 1
