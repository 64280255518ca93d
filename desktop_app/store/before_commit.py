"""``defer_until_commit``: rows kept in memory until the outermost transaction commits, then
written by their writer just before the ``COMMIT`` (PostgreSQL's ledger database).

What it is for: the 操作日志 is one hash chain, so appends to it take turns (an advisory lock held
to the end of the transaction, :func:`desktop_app.store.dialect.hold_write_turn`). Taken at the
first append, that turn serialised the whole of every clerk's transaction; with the entries kept
here and appended as the transaction's last statements, it covers only those few inserts and the
commit. What the entries say is exactly what they said before: a rollback forgets them, and so
does a rollback to a savepoint taken before them (as it would have taken their inserts away).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

Writer = Callable[[list[Any]], None]


class BeforeCommitMixin:
    """Put before a peewee ``Database`` class. Deferred rows are kept per thread, like peewee's
    own connection state."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._deferred = threading.local()

    def _queues(self) -> dict[Writer, list[Any]]:
        if not hasattr(self._deferred, "queues"):
            self._deferred.queues = {}
        return self._deferred.queues

    def defer_until_commit(self, writer: Writer, row: Any) -> None:
        """Keep ``row`` for ``writer`` (called once with every row kept, in order, just before
        the outermost ``COMMIT``). Call inside a transaction."""
        if not self.in_transaction():
            raise RuntimeError("defer_until_commit outside a transaction")
        self._queues().setdefault(writer, []).append(row)

    def _deferred_lengths(self) -> dict[Writer, int]:
        return {writer: len(rows) for writer, rows in self._queues().items()}

    def _truncate_deferred(self, lengths: dict[Writer, int]) -> None:
        for writer, rows in self._queues().items():
            del rows[lengths.get(writer, 0):]

    def execute_sql(self, sql: object, params: object = None, *args: object, **kwargs: object) -> object:
        # peewee's savepoints are made by the models' DatabaseProxy, not by this class: they are
        # seen here, by their statements (each savepoint's name is unique)
        if isinstance(sql, str) and sql.startswith(("SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")):
            name = sql.rstrip(";").rsplit(" ", 1)[-1]
            marks = self._savepoint_marks()
            if sql.startswith("SAVEPOINT "):
                marks[name] = self._deferred_lengths()
            elif name in marks:
                self._truncate_deferred(marks[name])
        return super().execute_sql(sql, params, *args, **kwargs)

    def _savepoint_marks(self) -> dict[str, dict[Writer, int]]:
        if not hasattr(self._deferred, "marks"):
            self._deferred.marks = {}
        return self._deferred.marks

    def write_deferred(self) -> None:
        """Write the rows kept so far now, inside the transaction still open (for a reader
        that must see them before the commit). A savepoint rolled back later takes the rows
        written away itself; of those kept, it forgets every one kept after this."""
        queues = self._queues()
        marks = self._savepoint_marks()
        for name in marks:
            marks[name] = {}
        while queues:  # a writer's own statements run inside the transaction still open
            writer, rows = next(iter(queues.items()))
            del queues[writer]
            if rows:
                try:
                    writer(rows)
                except BaseException:
                    queues.clear()
                    raise

    def commit(self) -> object:
        self.write_deferred()
        self._savepoint_marks().clear()
        return super().commit()

    def rollback(self) -> object:
        self._queues().clear()
        self._savepoint_marks().clear()
        return super().rollback()
