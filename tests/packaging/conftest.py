"""Shared by the packaging tests: packaging/bundle_layout.py, loaded from its file."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load_layout() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_layout", PACKAGING / "bundle_layout.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def layout() -> ModuleType:
    return load_layout()
