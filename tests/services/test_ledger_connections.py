"""The window and its background jobs let go of the ledger through services, not the store."""

from __future__ import annotations

import threading

import pytest

from desktop_app.services import ledger
from desktop_app.store.models import Person, db


def test_close_thread_connection_closes_only_the_calling_threads_connection(ledger_path):
    ledger.init_ledger(ledger_path, "青山镇", "431199101")
    try:
        Person.select().count()  # the main thread's connection is open
        seen = {}

        def job() -> None:
            Person.select().count()
            seen["open in the job"] = not db.obj.is_closed()
            ledger.close_thread_connection()
            seen["closed in the job"] = db.obj.is_closed()
            ledger.close_thread_connection()  # twice is harmless

        worker = threading.Thread(target=job)
        worker.start()
        worker.join()
        assert seen == {"open in the job": True, "closed in the job": True}
        assert not db.obj.is_closed()
        assert ledger.summary().township_name == "青山镇"
    finally:
        ledger.close_ledger()


@pytest.mark.sqlite_only  # the -wal file and the lock file
def test_close_ledger_lets_go_of_the_file_and_open_ledger_takes_it_back(ledger_path):
    ledger.init_ledger(ledger_path, "青山镇", "431199101")
    ledger.close_ledger()
    assert db.obj.is_closed()
    assert not (ledger_path.parent / f"{ledger_path.name}-wal").exists()  # checkpointed on closing
    ledger.open_ledger(ledger_path, program="test")
    try:
        assert ledger.summary().township_name == "青山镇"
    finally:
        ledger.close_ledger()
