"""Child processes for the fuzz tests, limited in CPU time and memory instead of timed by a clock.

A wall-clock assertion fails a correct parser on a machine busy with other work. A child process
with ``RLIMIT_CPU`` cannot: a loaded machine gives it fewer seconds of CPU per second, not more
work. A parser that loops or takes more than linear time still uses up its CPU seconds and is
killed (SIGXCPU), and the test says so. A child blocked without using CPU (a read that waits
forever) is stopped by a wall-clock backstop several times longer than its CPU allowance.
"""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence

from tests.fuzz.corpus import ROOT

MEMORY_CAP = 1536 * 1024 * 1024  # bytes of address space (RLIMIT_AS) for a child
BACKSTOP_FACTOR = 4  # wall-clock seconds per CPU second before a child that waits is stopped
BACKSTOP_EXTRA = 60


def limits(cpu_seconds: int) -> Callable[[], None]:
    """The ``preexec_fn`` of a child: memory capped, no core file, at most ``cpu_seconds`` of CPU."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort must not leave a core file
        # past the soft limit SIGXCPU ends it; the hard limit (SIGKILL) if it ignores that
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))

    return apply


def run_limited(args: Sequence[str], cpu_seconds: int) -> subprocess.CompletedProcess[str] | None:
    """``python ARGS…`` from the project root under :func:`limits`; None when the backstop stopped it."""
    try:
        return subprocess.run(
            [sys.executable, *args], check=False, cwd=ROOT, capture_output=True, text=True,
            timeout=cpu_seconds * BACKSTOP_FACTOR + BACKSTOP_EXTRA, preexec_fn=limits(cpu_seconds),
        )
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child
        return None


def how_it_ended(proc: subprocess.CompletedProcess[str] | None, cpu_seconds: int) -> str | None:
    """None when the child exited normally; else what went wrong, for the failure message."""
    if proc is None:
        return f"still running after {cpu_seconds * BACKSTOP_FACTOR + BACKSTOP_EXTRA} s without using its CPU time: it waits forever"
    if proc.returncode == 0:
        return None
    if proc.returncode == -signal.SIGXCPU:
        how = f"used up its {cpu_seconds} s of CPU (SIGXCPU)"
    elif proc.returncode < 0:
        how = f"killed by {signal.Signals(-proc.returncode).name}"
    else:
        how = f"exit status {proc.returncode}"
    return f"{how}:\n{proc.stderr[-3000:]}"
