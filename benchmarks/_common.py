"""What the benchmark scripts share: medians of short timings, peak memory, a table row."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """This process's resident memory now, in MB (a growth is the difference of two readings)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def median_ms(fn: Callable[[], object], repeat: int = 5) -> float:
    """The median of ``repeat`` calls of ``fn``, in milliseconds: one slow call on a shared laptop
    does not move it."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def row(what: str, figure: str, widths: tuple[int, int] = (44, 26)) -> None:
    """One row of the Markdown table a benchmark prints (paste it into the README)."""
    print(f"| {what:<{widths[0]}} | {figure:>{widths[1]}} |")
