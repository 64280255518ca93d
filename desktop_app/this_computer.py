"""This computer as the program names it: its host name, the operating-system user, whether a
process of it still runs.

A module of its own, below every layer: the ledger's lock (``store``) records the user and
computer and checks a holder's process, the scratch folder's sweep checks the processes that made
its folders, and the command line names the user in the audit trail.
"""

from __future__ import annotations

import getpass
import os
import socket


def host_name() -> str:
    """The computer's network name; "" when the system will not say."""
    try:
        return socket.gethostname()
    except OSError:  # pragma: no cover
        return ""


def user_name() -> str:
    """The operating-system user running the program; "" when there is none to name."""
    try:
        return getpass.getuser()
    except Exception:  # no user name on some service accounts
        return ""


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` of this computer still runs. On Windows always True: there signal
    0 is ``CTRL_C_EVENT``, so ``os.kill(pid, 0)`` would interrupt the process, not ask about it."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - without OS locks on Windows, assume the holder lives
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True
