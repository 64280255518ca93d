"""Prints the crash-safety figures ("survived N of N kills") at the end of the test session."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.reliability import test_crash_safety

    results = test_crash_safety.RESULTS
    if not results:
        return
    write = terminalreporter.write_line
    terminalreporter.section("crash safety (SIGKILL at random moments)")
    for op, kills, survived, mid, whole, none in results:
        write(
            f"{op:>17}: survived {survived} of {kills} kills ({mid} mid-operation; "
            f"all of it {whole}, none of it {none})"
        )
    total = sum(r[1] for r in results)
    write(
        f"{'total':>17}: survived {sum(r[2] for r in results)} of {total} kills "
        f"(CRASH_SEED={test_crash_safety.SEED})"
    )
