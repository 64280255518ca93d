"""Where the shipped resources are (policies, translations, icons), from source or frozen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

RESOURCES_ENV = "ENROLLMENT_LEDGER_RESOURCES"


def resources_dir() -> Path:
    """``resources/`` beside the package in a checkout; inside the bundle when frozen."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
