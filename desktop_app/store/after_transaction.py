"""``after_transaction``: work done once the outermost transaction is over, committed or not.

Shared by both engines' ledger databases (:class:`desktop_app.store.db.LedgerDatabase` for a
file, :class:`desktop_app.store.postgres.LedgerPostgresDatabase` for a server): an access
refusal's audit entry must survive the rollback of the work it refused, on either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class AfterTransactionMixin:
    """Put before a peewee ``Database`` class: adds :meth:`after_transaction` beside peewee's
    ``after_commit``. The callbacks are kept per thread, like peewee's own connection state."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._after = threading.local()

    def _after_callbacks(self) -> list[Callable[[], None]]:
        if not hasattr(self._after, "callbacks"):
            self._after.callbacks = []
        return self._after.callbacks

    def after_transaction(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` once the outermost transaction ends (at once when there is none)."""
        if not self.in_transaction():
            fn()
        else:
            self._after_callbacks().append(fn)

    def _run_after_callbacks(self) -> None:
        callbacks = self._after_callbacks()
        if callbacks and not self.in_transaction():
            todo, callbacks[:] = list(callbacks), []
            for fn in todo:
                fn()

    def commit(self) -> object:
        done = super().commit()  # a failed COMMIT is followed by a rollback, which runs them
        self._run_after_callbacks()
        return done

    def rollback(self) -> object:
        try:
            return super().rollback()
        finally:
            self._run_after_callbacks()
