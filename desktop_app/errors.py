"""The one base for errors a user should read: work that could not be done, and why.

Every layer raises its own kind (a policy file with a bad line, a workbook that cannot be read,
a ledger locked by another computer, a payment refused…), each deriving from :class:`UserError`,
with a message in Chinese words a village doctor understands. The command line catches
``UserError`` once and prints the message; the window shows it in the dialog that asked. Anything
else that escapes is a bug and keeps its traceback.

This module imports nothing of the app, so that every layer (``domain`` included) may use it.
"""

from __future__ import annotations


class UserError(Exception):
    """Work that could not be done; ``str(error)`` is the reason in words staff understand."""


class ServiceError(UserError, RuntimeError):
    """A use case (``desktop_app.services``) that could not be done, with the reason.

    Also a ``RuntimeError``, as it has always been, so that older ``except RuntimeError`` still
    catches it.
    """
