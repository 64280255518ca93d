"""Fewer full garbage collections while a bulk job builds hundreds of thousands of objects.

CPython's cycle collector runs a full (oldest-generation) pass whenever the objects that
survived younger passes grow by a quarter: an import that keeps 100,000 rows alive until it
writes them pays for several passes over everything it has built. Measured on the 100,000-row
roster (benchmarks/bench_exchange.py): the dry run's row checks took 2.0 s with the default
thresholds and 1.5 s with full passes held off. Young passes still run, so the short-lived
cycles an import makes (a refused row's exception and its frame) are still freed as it goes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_full_collections() -> Iterator[None]:
    """Hold off full collections for the duration (nested and concurrent uses are fine: the
    thresholds are the process's, restored when the last one ends)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            young, middle, _oldest = _saved
            gc.set_threshold(young, middle, 1 << 30)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
