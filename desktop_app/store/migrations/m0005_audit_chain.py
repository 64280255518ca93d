"""Schema version 5: the 操作日志 says where each entry came from and is hash-chained.

``source`` is ``gui`` (the window; the operator is the one logged in, or empty when nobody was)
or ``cli`` (the command line; the operator is the OS user). Entries written before this version
keep an empty source: where they came from was not recorded, and saying otherwise would be a guess.

``prev_hash`` and ``entry_hash`` chain the entries (recipe: :mod:`desktop_app.domain.audit_chain`).
The existing entries are chained here, in id order. The chain over them proves they were not
changed after this upgrade; it cannot vouch for what happened to them before it (the time of the
upgrade is in ``schema_version.applied_at``).

Written against the table as version 4 has it (unchanged since version 1). The entries are read
and updated a chunk at a time by id, so a ledger with a million entries needs no more memory than
one with ten.
"""

from __future__ import annotations

import sqlite3

from desktop_app.domain.audit_chain import GENESIS, entry_hash

DESCRIPTION = "audit_entry: source (gui/cli), hash chain (prev_hash, entry_hash) built over existing entries"

_CHUNK = 5000


def apply(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE audit_entry ADD COLUMN source VARCHAR(255) NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE audit_entry ADD COLUMN prev_hash VARCHAR(255) NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE audit_entry ADD COLUMN entry_hash VARCHAR(255) NOT NULL DEFAULT ''")
    prev, last_id = GENESIS, -1
    while True:
        rows = conn.execute(
            'SELECT id, at, operator, source, action, "table", record_id, old_value, new_value'
            " FROM audit_entry WHERE id > ? ORDER BY id LIMIT ?",
            (last_id, _CHUNK),
        ).fetchall()
        if not rows:
            return
        updates = []
        for row in rows:
            digest = entry_hash((*row, prev))
            updates.append((prev, digest, row[0]))
            prev = digest
        conn.executemany("UPDATE audit_entry SET prev_hash = ?, entry_hash = ? WHERE id = ?", updates)
        last_id = rows[-1][0]
