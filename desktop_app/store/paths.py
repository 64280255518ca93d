"""Where the ledger lives: the user's data folder per platform, overridable.

- ``--db PATH`` on the command line (or the GUI's settings) names a ledger file directly;
- the environment variable ``ENROLLMENT_LEDGER_DATA_DIR`` moves the whole data folder
  (ledger, backups, settings), which is how tests keep away from the real home folder;
- otherwise platformdirs' user data folder: ``%LOCALAPPDATA%\\enrollment-ledger`` on Windows,
  ``~/.local/share/enrollment-ledger`` on Linux (UOS, Kylin), ``~/Library/Application Support``
  on macOS.

Every automatic copy of any ledger — daily, before an import, a policy load, a restore or a
schema upgrade — goes to the data folder's ``backups/`` (owner only), named by
:func:`ledger_key` so that copies of two ledgers never mix; a ``--db`` ledger elsewhere has its
copies there too, never in a folder of its own beside it.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import platformdirs

from desktop_app import APP_NAME

DATA_DIR_ENV = "ENROLLMENT_LEDGER_DATA_DIR"
LEDGER_FILE_NAME = "ledger.sqlite"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def default_ledger_path() -> Path:
    return data_dir() / LEDGER_FILE_NAME


def backups_dir() -> Path:
    """``<data folder>/backups``: where every automatic copy lives (made owner-only on use)."""
    return data_dir() / "backups"


def ledger_key(ledger: Path | str) -> str:
    """How copies of ``ledger`` are named: its stem, plus a path tag unless it is the default."""
    ledger = Path(ledger)
    stem = re.sub(r"[^\w.-]+", "_", ledger.stem).strip("_") or "ledger"
    real = os.path.realpath(ledger)
    if real == os.path.realpath(default_ledger_path()):
        return stem
    return f"{stem}~{hashlib.sha256(real.encode('utf-8')).hexdigest()[:6]}"
