"""One base for the errors a user should read: every layer's kind derives from UserError, so the
command line and the window catch it once, and keeps the base it had before (older ``except``
clauses still catch it)."""

from __future__ import annotations

import pytest

from desktop_app.domain.policy import PolicyError
from desktop_app.errors import ServiceError, UserError
from desktop_app.exchange import ExportError, UnreadableFileError
from desktop_app.services import ledger
from desktop_app.services.access import AccessDenied
from desktop_app.services.backup_format import BackupError
from desktop_app.services.operators import LoginRefused
from desktop_app.services.payments import ConfirmationNeeded, PaymentRefused
from desktop_app.store.db import LedgerFileReadOnlyError, LedgerOpenError
from desktop_app.store.errors import LedgerWriteError
from desktop_app.store.lock import LedgerBusyError, LedgerLockError
from desktop_app.store.migrations import LedgerTooNewError


@pytest.mark.parametrize("kind, old_base", [
    (ServiceError, RuntimeError), (LedgerOpenError, RuntimeError), (LedgerFileReadOnlyError, RuntimeError),
    (LedgerTooNewError, RuntimeError), (PolicyError, ValueError), (UnreadableFileError, Exception),
    (ExportError, OSError), (LedgerWriteError, RuntimeError), (LedgerLockError, RuntimeError),
    (LedgerBusyError, RuntimeError), (BackupError, RuntimeError), (PaymentRefused, RuntimeError),
    (ConfirmationNeeded, RuntimeError), (AccessDenied, RuntimeError), (LoginRefused, RuntimeError),
])
def test_each_error_for_the_user_is_a_user_error_and_keeps_its_old_base(kind, old_base):
    assert issubclass(kind, UserError)
    assert issubclass(kind, old_base)


def test_service_error_is_still_where_other_code_imports_it_from():
    assert ledger.ServiceError is ServiceError


def test_an_export_error_still_carries_its_message_and_path():
    error = ExportError("磁盘已满", "/tmp/汇总表.xlsx")
    assert (str(error), error.message, error.path) == ("磁盘已满", "磁盘已满", "/tmp/汇总表.xlsx")
