"""Numbered schema migrations.

Each step is a module ``mNNNN_<what>.py`` with a ``DESCRIPTION`` and an ``apply(conn)`` that
receives the raw ``sqlite3.Connection``. Steps are written against table and column names as
they were at that version, never against today's model classes, so that a ledger made years ago
still upgrades (Vorta's step 11 broke by using a live model). The runner applies each step in its
own transaction and records it in ``schema_version``.
"""

from desktop_app.store.migrations.runner import (
    LATEST_VERSION,
    MIGRATIONS,
    LedgerTooNewError,
    Migration,
    current_version,
    migrate,
)

__all__ = [
    "LATEST_VERSION",
    "MIGRATIONS",
    "LedgerTooNewError",
    "Migration",
    "current_version",
    "migrate",
]
