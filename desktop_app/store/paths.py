"""Where the ledger lives: the user's data folder per platform, overridable.

- ``--db PATH`` on the command line (or the GUI's settings) names a ledger file directly;
- the environment variable ``ENROLLMENT_LEDGER_DATA_DIR`` moves the whole data folder
  (ledger, backups, settings), which is how tests keep away from the real home folder;
- otherwise platformdirs' user data folder: ``%LOCALAPPDATA%\\enrollment-ledger`` on Windows,
  ``~/.local/share/enrollment-ledger`` on Linux (UOS, Kylin), ``~/Library/Application Support``
  on macOS.
"""

from __future__ import annotations

import os
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
