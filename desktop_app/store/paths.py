"""Where the ledger lives: the user's data folder per platform, overridable.

- ``--db PATH`` on the command line (or the GUI's settings) names a ledger file directly;
- otherwise ``ledger.sqlite`` in the data folder (:func:`desktop_app.places.data_dir`, moved by
  the environment variable ``ENROLLMENT_LEDGER_DATA_DIR``);
- temporary files go to the data folder's scratch folder ``tmp/``
  (:func:`desktop_app.places.scratch_root`, managed by :mod:`desktop_app.scratch`).
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.places import DATA_DIR_ENV, data_dir, scratch_root

__all__ = ["DATA_DIR_ENV", "LEDGER_FILE_NAME", "data_dir", "default_ledger_path", "scratch_root"]

LEDGER_FILE_NAME = "ledger.sqlite"


def default_ledger_path() -> Path:
    return data_dir() / LEDGER_FILE_NAME
