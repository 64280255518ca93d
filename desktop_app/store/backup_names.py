"""Where automatic backups go and how they are named — shared by the store (the copy made before
a schema upgrade) and :mod:`desktop_app.services.backup` (every other automatic copy).

Every automatic copy of any ledger goes to the data folder's ``backups/`` (owner only), named by
:func:`ledger_key` so that copies of two ledgers never mix: a ``--db`` ledger elsewhere has its
copies there too, never in a folder of its own beside it.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from desktop_app.store.paths import data_dir, default_ledger_path


def backups_dir() -> Path:
    """``<data folder>/backups``: where every automatic copy lives (made owner-only on use)."""
    return data_dir() / "backups"


def ledger_key(ledger: Path | str) -> str:
    """How copies of ``ledger`` are named: its stem, plus a path tag unless it is the default."""
    if isinstance(ledger, str) and ledger.lower().startswith(("postgresql://", "postgres://")):
        # a server ledger (store/postgres.py): its database name, tagged by the whole URL
        name = ledger.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        stem = re.sub(r"[^\w.-]+", "_", name).strip("_") or "server"
        return f"{stem}~{hashlib.sha256(ledger.encode()).hexdigest()[:6]}"
    ledger = Path(ledger)
    stem = re.sub(r"[^\w.-]+", "_", ledger.stem).strip("_") or "ledger"
    real = os.path.realpath(ledger)
    if real == os.path.realpath(default_ledger_path()):
        return stem
    return f"{stem}~{hashlib.sha256(os.fsencode(real)).hexdigest()[:6]}"  # any name the OS gives
