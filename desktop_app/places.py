"""Where the program keeps its own files: the data folder, and the scratch folder inside it.

A module of its own, below every layer, because ``exchange`` (which must not import ``store``)
writes its temporary files into the scratch folder too. :mod:`desktop_app.store.paths` adds the
ledger's default path on top.

- the environment variable ``ENROLLMENT_LEDGER_DATA_DIR`` moves the whole data folder
  (ledger, backups, settings, scratch), which is how tests keep away from the real home folder;
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
SCRATCH_FOLDER_NAME = "tmp"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def scratch_root() -> Path:
    """``<data folder>/tmp``: the only place the program writes temporary files (see
    :mod:`desktop_app.scratch`)."""
    return data_dir() / SCRATCH_FOLDER_NAME
