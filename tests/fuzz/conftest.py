"""Prints the fuzz figures at the end of the session: cases run, the largest hostile file handled."""

from __future__ import annotations

import json
import os

import pytest


def _mb(n: float) -> str:
    return f"{n / (1 << 20):,.1f} MB" if n < (1 << 30) else f"{n / (1 << 30):,.2f} GiB"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.fuzz import test_cell_fuzz, test_hostile_files, test_limits

    figures = test_hostile_files.FIGURES
    if os.environ.get("FUZZ_FIGURES"):  # every case's figures, for a closer look
        with open(os.environ["FUZZ_FIGURES"], "w", encoding="utf-8") as out:
            json.dump({"corpus": figures, "limits": test_limits.FIGURES}, out, ensure_ascii=False, indent=1)
    examples = test_cell_fuzz.EXAMPLES
    if not figures and not sum(examples.values()) and not test_limits.FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("hostile files (fuzz)")
    for figure in test_limits.FIGURES:
        write(f"largest file accepted: {figure['name']}: {_mb(int(figure['bytes']))}, {figure['rows']:,} rows "
              f"read and walked in {figure['seconds']} s, peak {figure['peak_mb']} MB")
    if sum(examples.values()):
        write(f"hypothesis examples: {sum(examples.values()):,} "
              f"({', '.join(f'{k} {v:,}' for k, v in sorted(examples.items()))})")
    if not figures:
        return
    refused = sum(1 for f in figures if f["outcome"] == "refused")
    write(f"corpus files imported: {len(figures)} ({refused} refused, {len(figures) - refused} read); "
          f"imports run (plan + apply, roster/categories/payments): {sum(f['kinds'] for f in figures)}")
    largest = max(figures, key=lambda f: (f["content_bytes"], f["bytes"]))
    write(f"largest hostile file: {largest['name']}: {_mb(largest['bytes'])} on disk, "
          f"{_mb(largest['content_bytes'])} of content; {largest['outcome']} in {largest['seconds']} s, "
          f"peak {largest['peak_mb']} MB")
    most_rows = max(figures, key=lambda f: f["rows_read"])
    if most_rows["rows_read"]:
        write(f"most rows read: {most_rows['name']}: {most_rows['rows_read']:,} rows in "
              f"{most_rows['seconds']} s, peak {most_rows['peak_mb']} MB")
    slowest = max(figures, key=lambda f: f["seconds"])
    write(f"slowest: {slowest['name']} {slowest['seconds']} s; "
          f"most memory: {max(figures, key=lambda f: f['peak_mb'])['name']} "
          f"{max(f['peak_mb'] for f in figures)} MB")
