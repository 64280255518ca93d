"""Writing many rows at once inside the caller's transaction (a roster import of a township).

- :func:`next_id`: ids counted on from the highest, so that rows can be inserted with their ids
  known beforehand (no ``lastrowid`` one row at a time, nothing read back). Safe because a ledger
  has one writer (``store.lock``) and the caller is inside its transaction: a WAL snapshot that
  another connection had overtaken would make SQLite refuse the first write (SQLITE_BUSY), and an
  id taken twice would fail the PRIMARY KEY; either way the caller rolls back.
- :func:`insert_rows`: a couple of hundred rows to an INSERT statement instead of one;
  :func:`insert_households`, :func:`insert_persons`, :func:`insert_payments` name each table's
  columns once, for every module that writes those rows in bulk (imports, the demo township).
- :func:`chunks`: a long list of keys in slices small enough for ``WHERE x IN (?, …)``;
  :func:`persons_with` finds which of many persons have a row of a year in a table.
- :func:`indexes_set_aside`: SQLite keeps every secondary index up to date row by row, a B-tree
  descent per index per row in the index's own (for an ID number or a name: random) key order.
  Building an index afterwards sorts the keys once and writes its pages in order. Measured for
  100,000 persons into an empty ledger (two shared cores, best of several): person insert with
  its four indexes kept ~0.8 s more in all; enrollment 0.71 s kept → 0.50 s with the rebuild;
  payment and household a little less, category_membership the same. Into a table that already
  holds more rows than are coming, the rebuild would re-sort the old rows too and cost more than
  it saves, so there the indexes stay.

On PostgreSQL (several writers): :func:`next_id` first locks the table against other writers
(``LOCK TABLE … IN EXCLUSIVE MODE``: readers go on, a clerk's payment waits for the import's
commit instead of taking an id the import counted on), and :func:`insert_rows` moves the table's
id sequence past the ids it wrote, so that the next ordinary insert gets a free id. Indexes are
never set aside there (PostgreSQL builds them well enough row by row; its DDL would lock readers).
There :func:`insert_rows` writes by ``COPY … FROM STDIN`` (:func:`copy_rows`) instead of INSERT
statements: one stream for all the rows, no statement parsed and planned per couple of hundred;
a bulk write turns JIT compiling off for the rest of its transaction (:func:`without_jit`), and
a table's statistics are refreshed once in a transaction, when the rows written there pass
:data:`ANALYZE_FROM` (:func:`rows_written_before`), so that an import may write its rows batch
by batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain, islice
from operator import itemgetter
from typing import TypeVar

T = TypeVar("T")


def _postgres(conn: object) -> bool:
    return not isinstance(conn, sqlite3.Connection)


def next_id(conn: sqlite3.Connection, table: str) -> int:
    """The id SQLite would give the next row of ``table`` (INTEGER PRIMARY KEY, no AUTOINCREMENT):
    one more than the highest. Rows inserted with ids counted up from here get exactly the ids an
    insert without ids would have given them, in the same order. On PostgreSQL the table is locked
    against other writers until the caller's transaction ends (module docstring)."""
    if _postgres(conn):  # locked, then the sequence set to give exactly these ids to rows without one
        without_jit(conn)
        conn.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
        sync_id_sequence(conn, table)
    return conn.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"').fetchone()[0]


def row_count(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


def secondary_indexes(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's own indexes, in the order they were made.

    Indexes SQLite made for a UNIQUE or PRIMARY KEY clause (``sqlite_autoindex_*``, no SQL) are
    part of the table and are left alone."""
    return conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL"
        " ORDER BY rowid",
        (table,),
    ).fetchall()


def worth_setting_aside(inserting: int, existing: int) -> bool:
    """Rebuilding pays only when the new rows outnumber those already there (and there are
    enough of them for the difference to matter)."""
    return inserting >= 1_000 and inserting > existing


@contextmanager
def indexes_set_aside(conn: sqlite3.Connection, table: str, inserting: int) -> Iterator[bool]:
    """Drop ``table``'s secondary indexes for the block if ``inserting`` rows outnumber those in
    it, and build them again, from the very SQL ``sqlite_master`` held and in the same order, when
    the block ends normally; yields whether they were dropped.

    Must run inside the caller's transaction. The block must not run statements that need those
    indexes (an ``UPDATE … WHERE person_id = ?`` without its index scans the whole table for each
    row, and an upsert's ``ON CONFLICT`` needs its unique index to exist). While a UNIQUE index is
    away its constraint is checked only when it is built again: a duplicate then fails the
    ``CREATE UNIQUE INDEX`` with the same ``UNIQUE constraint failed`` IntegrityError the insert
    would have raised. On any error nothing is rebuilt here: the caller's rollback restores the
    dropped indexes along with everything else (SQLite's schema changes are transactional).
    """
    if _postgres(conn):
        yield False
        return
    if not conn.in_transaction:
        raise RuntimeError("indexes may be set aside only inside a transaction")
    if not worth_setting_aside(inserting, row_count(conn, table)):
        yield False
        return
    indexes = secondary_indexes(conn, table)
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield True
    # in the order they were made, so that the table's indexes list (PRAGMA index_list, which
    # follows their order in sqlite_master) reads as before
    for _name, sql in indexes:
        conn.execute(sql)


#: Rows written into a table in one transaction from which :func:`insert_rows` on PostgreSQL refreshes
#: the table's statistics (:func:`rows_written_before`).
ANALYZE_FROM = 1_000

#: Rows per INSERT statement in :func:`insert_rows`; measured best between 200 and 1,000.
ROWS_PER_STATEMENT = 200


def insert_rows(conn: sqlite3.Connection, head: str, row: str, rows: Iterable[Sequence[object]]) -> int:
    """``head VALUES row, row, …``: insert ``rows`` a couple of hundred to a statement; return how many.

    ``head`` is ``INSERT INTO table (columns)``, ``row`` the parenthesised placeholders of one row
    (literals allowed, e.g. ``(?, ?, '', NULL)``). ``executemany`` of a one-row INSERT runs the
    statement once per row, and each run starts over: opens the table's and the foreign keys'
    parent cursors, seeks, checks. One statement for many rows does that once for all of them:
    100,000 persons and 100,000 enrollments go in ~35 % faster (0.9–1.2 s → 0.55–0.65 s measured
    on two shared cores). The rows go in in the order given and get the ids an insert per row would
    give them; a constraint failure aborts the statement like any other (the caller rolls back).
    """
    if _postgres(conn):
        without_jit(conn)
        done = copy_rows(conn, head, row, rows)
        table = head.split()[2].strip('"')
        if done and head.replace(" ", "").split("(", 1)[1].startswith("id,"):
            sync_id_sequence(conn, table)
        before = rows_written_before(conn, table, done) if done else 0
        if before < ANALYZE_FROM <= before + done:
            refresh_statistics(conn, table)
        return done
    width = row.count("?")
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if hasattr(conn, "getlimit") else 999
    per = max(1, min(ROWS_PER_STATEMENT, limit // max(width, 1)))
    source = iter(rows)
    chunk = list(islice(source, per))
    done = 0
    if len(chunk) == per:  # full statements: the same one, run as often as needed

        def full_statements() -> Iterator[list[object]]:
            nonlocal chunk, done
            while len(chunk) == per:
                yield list(chain.from_iterable(chunk))
                done += per
                chunk = list(islice(source, per))

        conn.executemany(f"{head} VALUES {', '.join([row] * per)}", full_statements())
    if chunk:  # what is left (fewer than ``per`` rows): one statement of its own size
        conn.execute(f"{head} VALUES {', '.join([row] * len(chunk))}", list(chain.from_iterable(chunk)))
        done += len(chunk)
    return done


def _row_items(row: str) -> list[str]:
    """The comma-separated items of ``(a, b, f(c, d))`` (commas inside parentheses or quotes kept)."""
    items, depth, quoted, current = [], 0, False, ""
    for char in row.strip()[1:-1]:
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and depth == 0 and char == ",":
            items.append(current.strip())
            current = ""
            continue
        current += char
    items.append(current.strip())
    return items


def copy_rows(conn: object, head: str, row: str, rows: Iterable[Sequence[object]]) -> int:
    """PostgreSQL: what :func:`insert_rows` writes, by ``COPY table (columns) FROM STDIN``.

    The items of ``row`` that are not ``?`` (``NULL``, ``''``, ``LOCALTIMESTAMP(0)``…) depend on
    no row: they are evaluated once (one ``SELECT`` in the caller's transaction, where the clock
    stands still) and the same values sent with every row.

    Where the server's time goes (CPU time of its process, read from ``/proc``: the wall clock
    of a shared machine says more about the neighbours than about the statement), 100,000-row
    roster into an empty server ledger: the person COPY ~4.4 s of the import's ~8 s, nearly all
    of it its ten indexes kept row by row, the four GIN ones (migration 9's search indexes) ~3.3 s,
    ``ledger_grams(name)`` alone ~1.6 s (an SQL function run as a query per row); enrollment
    ~1.4 s, of which its two foreign keys ~0.9 s (each row's check is a locked lookup of its
    person and village); payment ~0.9 s; household ~0.7 s. Tried and left: COPY into a temporary
    table, then one ``INSERT … SELECT … ORDER BY`` (by id, ID number or name): as slow or slower
    (the indexes are kept row by row either way; only ``CREATE INDEX`` builds in bulk, and
    dropping an index would lock the clerks' searches out until the commit); ``work_mem`` and
    ``gin_pending_list_limit`` raised to 64 MB, with the pending lists cleaned at the end: no
    faster."""
    table_and_columns = head.split(None, 2)[2]  # INSERT INTO <table (columns)>
    items = _row_items(row)
    constants = [item for item in items if item != "?"]
    width = len(items) - len(constants)
    values = tuple(conn.execute(f"SELECT {', '.join(constants)}").fetchone()) if constants else ()
    # each column's place in ``record + values``: the row's own values first, then the constants
    given, fixed = iter(range(width)), iter(range(width, width + len(values)))
    places = [next(fixed) if item != "?" else next(given) for item in items]
    arrange = itemgetter(*places) if len(places) > 1 else lambda record: (record[places[0]],)
    done = 0
    with conn.cursor().copy(f"COPY {table_and_columns} FROM STDIN") as copy:
        write = copy.write_row
        for record in rows:
            if len(record) != width:
                raise ValueError(f"a row of {len(record)} values for {width} placeholders")
            write(arrange((*record, *values)) if values else record)
            done += 1
    return done


#: Rows from which :func:`update_rows` goes through a temporary table on PostgreSQL.
UPDATE_VIA_COPY = 200


def update_rows(conn: object, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
    """``UPDATE table SET column = … WHERE id = …`` for each of ``rows`` (the columns' values, then
    the id); returns how many rows were given.

    SQLite (a local file, no round trip): one prepared statement run per row. PostgreSQL, from
    :data:`UPDATE_VIA_COPY` rows on: the rows COPYed into a temporary table shaped like ``table``
    and one ``UPDATE … FROM`` (one round trip and one plan instead of one per row)."""
    if not rows:
        return 0
    if not _postgres(conn) or len(rows) < UPDATE_VIA_COPY:
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        conn.executemany(f'UPDATE "{table}" SET {sets} WHERE id = ?', rows)
        return len(rows)
    listed = ", ".join(f'"{c}"' for c in columns)
    conn.execute(f'CREATE TEMPORARY TABLE bulk_update ON COMMIT DROP AS SELECT {listed}, id FROM "{table}" WITH NO DATA')
    with conn.cursor().copy(f"COPY bulk_update ({listed}, id) FROM STDIN") as copy:
        for record in rows:
            copy.write_row(record)
    sets = ", ".join(f'"{c}" = u."{c}"' for c in columns)
    conn.execute(f'UPDATE "{table}" t SET {sets} FROM bulk_update u WHERE t.id = u.id')
    conn.execute("DROP TABLE bulk_update")
    return len(rows)


def without_jit(conn: object) -> None:
    """PostgreSQL: no JIT compiling for the rest of the caller's transaction (``SET LOCAL``).

    The server compiles a statement whose estimated cost passes ``jit_above_cost`` (100,000 by
    default) to machine code first. Every whole-ledger statement of an import passes it:
    ensure_enrollments' anti-join over 100,000 persons spent 0.38 s compiling (``EXPLAIN
    ANALYZE``: inlining 0.13 s, optimisation 0.10 s, emission 0.14 s) of its 1.47 s, each time.
    What the statement does is the same either way; only the time differs. The setting ends with
    the transaction (commit or rollback): the clerks' sessions keep the server's own."""
    conn.execute("SET LOCAL jit = off")


def rows_written_before(conn: object, table: str, adding: int) -> int:
    """PostgreSQL: how many rows :func:`insert_rows` wrote into ``table`` earlier in the caller's
    transaction; ``adding`` more are counted for the next call.

    Kept by the server in a setting of the transaction (``set_config(…, true)``: gone at its end,
    taken back with a savepoint rolled back, one per connection), so that an import writing its
    rows batch by batch gets its statistics refreshed once, when the rows written cross
    :data:`ANALYZE_FROM`, rather than after every batch (each ANALYZE samples 30,000 rows again)
    or never (batches each smaller than that); after it the planner scales the row counts it was
    given by the table's size on disk."""
    key = f"ledger_bulk.rows_{table}"
    so_far = "CAST(COALESCE(NULLIF(current_setting(?, true), ''), '0') AS integer)"
    return conn.execute(f"SELECT {so_far}, set_config(?, CAST({so_far} + ? AS text), true)",
                        (key, key, key, adding)).fetchone()[0]


def refresh_statistics(conn: object, table: str) -> None:
    """PostgreSQL: ``ANALYZE`` of the table's columns inside the caller's transaction, after many
    rows went in.

    Without it the planner's row counts for the table are those of before (none, for a first
    import): the next statement of the import (ensure_enrollments' join of person, household and
    enrollment) was planned as nested loops over 'empty' tables and ran for minutes on 100,000
    persons. The columns are named, which leaves out the statistics of expression indexes:
    ``ledger_grams(name)`` (migration 9) would be computed again for each of the 30,000 rows
    sampled (0.4 s of the person table's 1 s ANALYZE measured on 100,000 persons); nothing the
    import runs next looks at them, and the server's autovacuum gathers them after the commit
    (the table changed by more than ``autovacuum_analyze_scale_factor``), while those of before
    stay until then."""
    columns = [name for (name,) in conn.execute(
        "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = CAST(? AS regclass) AND attnum > 0"
        " AND NOT attisdropped ORDER BY attnum", (f'"{table}"',))]
    conn.execute(f'ANALYZE "{table}" ({", ".join(columns)})')


def sync_id_sequence(conn: object, table: str) -> None:
    """PostgreSQL: the table's id sequence past the highest id (rows were written with their ids)."""
    conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                 f' (SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)')


#: The columns of a household row, in the order :func:`insert_households` takes them.
HOUSEHOLD_COLUMNS = ("id", "number", "head_id_number", "village_id", "head_name", "address", "created_at")
#: The columns of a person row, in the order :func:`insert_persons` takes them.
PERSON_COLUMNS = ("id", "id_number", "name", "sex", "birth_date", "relation", "phone", "household_id", "note",
                  "created_at", "updated_at", "name_initials")
#: The columns of a payment row (its id is SQLite's next), in the order :func:`insert_payments` takes them.
PAYMENT_COLUMNS = ("person_id", "year", "amount_fen", "paid_on", "channel", "voucher", "reason", "created_at")


def _insert_into(conn: sqlite3.Connection, table: str, columns: tuple[str, ...],
                 rows: Iterable[Sequence[object]]) -> int:
    return insert_rows(conn, f"INSERT INTO {table} ({', '.join(columns)})", f"({', '.join('?' * len(columns))})",
                       rows)


def insert_households(conn: sqlite3.Connection, rows: Iterable[Sequence[object]]) -> int:
    """Households, each a tuple of :data:`HOUSEHOLD_COLUMNS` values; returns how many."""
    return _insert_into(conn, "household", HOUSEHOLD_COLUMNS, rows)


def insert_persons(conn: sqlite3.Connection, rows: Iterable[Sequence[object]]) -> int:
    """Persons, each a tuple of :data:`PERSON_COLUMNS` values; returns how many."""
    return _insert_into(conn, "person", PERSON_COLUMNS, rows)


def insert_payments(conn: sqlite3.Connection, rows: Iterable[Sequence[object]]) -> int:
    """Payments, each a tuple of :data:`PAYMENT_COLUMNS` values, with the ids SQLite gives them in
    order (the first is :func:`next_id` read just before); returns how many."""
    return _insert_into(conn, "payment", PAYMENT_COLUMNS, rows)


#: Keys per ``IN (?, …)`` list: below SQLite's bound-parameter limit (999 in older builds).
IN_LIST = 900


def chunks(values: Sequence[T], size: int = IN_LIST) -> Iterator[Sequence[T]]:
    """``values`` in slices of at most ``size``, in order: for ``WHERE x IN (?, …)`` lookups."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def persons_with(conn: sqlite3.Connection, table: str, year: int, person_ids: Sequence[int]) -> set[int]:
    """Which of ``person_ids`` have a row in ``table`` (payment, enrollment…) for ``year``."""
    if not person_ids:
        return set()
    if len(person_ids) > 20_000:  # much of the ledger: one pass beats thousands of lookups
        wanted = set(person_ids)
        every = conn.execute(f'SELECT DISTINCT person_id FROM "{table}" WHERE year = ?', (year,))
        return {pid for (pid,) in every if pid in wanted}
    found: set[int] = set()
    for chunk in chunks(sorted(set(person_ids))):
        marks = ",".join("?" * len(chunk))
        found.update(pid for (pid,) in conn.execute(
            f'SELECT DISTINCT person_id FROM "{table}" WHERE year = ? AND person_id IN ({marks})', (year, *chunk)))
    return found
