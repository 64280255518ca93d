"""What every command module shares: exit codes, the ledger path, terminal helpers."""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Callable
from pathlib import Path

from desktop_app.store.paths import default_ledger_path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]


def ledger_path(args: argparse.Namespace) -> Path:
    return Path(args.db).expanduser() if args.db else default_ledger_path()


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where a Chinese character takes two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - shown)
