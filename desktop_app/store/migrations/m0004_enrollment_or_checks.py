"""Schema version 4: the enrollment table's value checks as OR chains, for fast inserts.

Why: ``CHECK (status IN ('unpaid', 'paid', …))`` makes SQLite build an ephemeral index for the
IN list every time the INSERT statement runs, and ``executemany`` runs it once per row, so those
two checks (status, 9 values; collection_mode, 3 values) cost more than half of a bulk insert into
``enrollment`` (100,000 rows: ~1.25 s with the IN lists, ~0.54 s with the same checks written as
``status = 'unpaid' OR status = 'paid' OR …``). The OR chain means exactly the same: for a NULL
value both yield NULL, which a CHECK lets pass (the columns are NOT NULL anyway); comparison
uses the column's TEXT affinity in both forms; the set of allowed values is unchanged.

How: SQLite cannot alter a CHECK, so the table is rebuilt by the documented 12-step procedure
(https://www.sqlite.org/lang_altertable.html#otheralter): create ``enrollment_new`` with the
same columns, types, defaults, NOT NULLs and foreign keys in the same order; copy every row with
its id; drop ``enrollment``; rename ``enrollment_new``; recreate the old table's indexes (and
triggers, though version 3 has none) from the SQL ``sqlite_master`` held for them, so names and
definitions are exactly as before; then ``PRAGMA foreign_key_check``. Written against the table
as it is at version 3 (unchanged since version 1), never against the model classes.

Foreign keys stay ON (the runner's transaction cannot switch them off: the pragma is a no-op
inside a transaction). That is safe here because no table references ``enrollment`` (checked at
run time below): dropping a table that is only a child does no foreign-key work, and the copied
rows are checked against ``person`` and ``region`` as they are inserted.

Other tables: ``region.level`` (3 values), ``category_rule.mode`` (3 values) and ``operator.role``
(2 values) keep their IN lists. Regions, policy rules and operators are written a handful of rows
at a time (a village added, a policy year loaded, an operator created), never in bulk, so the
per-statement cost does not matter there and a rebuild of those tables (region is the parent of
household, person's villages and enrollment) would be risk for no gain. ``person.sex`` is a
two-value list, measured not to be slow.
"""

from __future__ import annotations

import sqlite3

DESCRIPTION = "enrollment rebuilt: status and collection_mode checks as OR chains (faster inserts)"

STATUSES = (
    "unpaid", "paid", "exempt", "employee", "elsewhere", "deceased", "moved", "military", "other",
)
COLLECTION_MODES = ("exempt", "difference", "ordinary")

COLUMNS = (
    "id", "person_id", "year", "village_id", "status", "status_reason", "applied_category",
    "standard_fen", "subsidy_fen", "due_fen", "paid_fen", "collection_mode", "enrolled_on",
    "paid_on", "updated_at",
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """``column = 'a' OR column = 'b' OR …``, one value a line in the stored SQL."""
    return "\n            OR ".join(f"{column} = '{value}'" for value in values)


CREATE_NEW = f"""CREATE TABLE enrollment_new (
        id INTEGER NOT NULL PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        year INTEGER NOT NULL,
        village_id INTEGER NOT NULL REFERENCES region (id) ON DELETE RESTRICT,
        status VARCHAR(255) NOT NULL DEFAULT 'unpaid' CHECK ({_one_of("status", STATUSES)}),
        status_reason VARCHAR(255) NOT NULL DEFAULT '',
        applied_category VARCHAR(255),
        standard_fen INTEGER NOT NULL DEFAULT 0 CHECK (standard_fen >= 0),
        subsidy_fen INTEGER NOT NULL DEFAULT 0 CHECK (subsidy_fen >= 0),
        due_fen INTEGER NOT NULL DEFAULT 0 CHECK (due_fen >= 0),
        paid_fen INTEGER NOT NULL DEFAULT 0,
        collection_mode VARCHAR(255) NOT NULL DEFAULT 'ordinary'
            CHECK ({_one_of("collection_mode", COLLECTION_MODES)}),
        enrolled_on DATE,
        paid_on DATE,
        updated_at DATETIME NOT NULL)"""


def _tables_referencing_enrollment(conn: sqlite3.Connection) -> list[str]:
    tables = [
        name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return [
        table for table in tables
        if any(fk[2] == "enrollment" for fk in conn.execute(f'PRAGMA foreign_key_list("{table}")'))
    ]


def _orphans(conn: sqlite3.Connection) -> list[tuple]:
    """Enrollment rows whose person or village does not exist (``PRAGMA foreign_key_check``)."""
    return conn.execute("PRAGMA foreign_key_check(enrollment)").fetchall()


def apply(conn: sqlite3.Connection) -> None:
    referencing = _tables_referencing_enrollment(conn)
    if referencing:  # none at version 3; dropping a parent with foreign keys ON would cascade or be refused
        raise sqlite3.DatabaseError(
            f"升级数据结构第4版时发现有表引用参保登记表（{', '.join(referencing)}），"
            "台账不是预期的第3版结构，没有做任何修改"
        )
    # The copy below is checked against person and region row by row (foreign keys are ON), so
    # rows orphaned by some other tool would stop it with a bare "FOREIGN KEY constraint failed";
    # say which rows instead. The transaction is rolled back and the ledger stays at version 3.
    orphans = _orphans(conn)
    if orphans:
        ids = ", ".join(str(row[1]) for row in orphans[:10])
        raise sqlite3.IntegrityError(
            f"参保登记表有{len(orphans)}条记录指向不存在的人员或村（记录号 {ids}），"
            "升级数据结构第4版前请先修复，台账没有做任何修改"
        )
    # Indexes and triggers of the old table, recreated afterwards with the same names and SQL,
    # indexes first and each in the order it was made, so the planner sees the same list
    # (automatic indexes have NULL sql and come back with the table's own constraints).
    dependents = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'enrollment'"
        " AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type = 'trigger', rowid"
    ).fetchall()
    columns = ", ".join(COLUMNS)
    conn.execute(CREATE_NEW)
    conn.execute(
        f"INSERT INTO enrollment_new ({columns}) SELECT {columns} FROM enrollment ORDER BY id"
    )
    # No table references enrollment (checked above), so with foreign keys ON this drop does no
    # foreign-key work at all: enrollment is only a child (of person and region).
    conn.execute("DROP TABLE enrollment")  # also drops its indexes and triggers
    conn.execute("ALTER TABLE enrollment_new RENAME TO enrollment")
    for _type, _name, sql in dependents:
        conn.execute(sql)
    problems = _orphans(conn)
    if problems:  # cannot happen after a checked copy; the documented procedure's last safeguard
        raise sqlite3.IntegrityError(f"重建参保登记表后外键检查不通过：{problems[:5]}")


def apply_postgresql(conn: object) -> None:
    """Nothing to do on PostgreSQL: the two checks made by version 1 allow exactly the same
    values, and PostgreSQL evaluates an ``IN`` list per row without SQLite's per-statement
    ephemeral index, so the reason for this rebuild does not exist there (and its means, a table
    rebuild read from ``sqlite_master``, are SQLite's)."""
