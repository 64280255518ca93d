"""Hostile files through the real importers: no crash, no hang, bounded memory, a clear message.

Each case of :mod:`tests.fuzz.corpus` (and :mod:`tests.fuzz.corpus_web`, web platforms' ".xls") is
written into a temp folder and imported as a roster, a category list and a payment file
(``importing.plan`` then ``importing.apply``) into its own copy of a
demo ledger (the ``demo_ledger`` township of tests/conftest.py: 500 persons, seed 7), in a child
process limited to :data:`MEMORY_CAP` bytes of address space and to :data:`TIME_LIMIT` seconds
of CPU for each import it runs (tests/fuzz/child.py: CPU time, not the clock, so a busy machine cannot fail a
case), so that a hang or a blow-up fails the test instead of the machine. The child must end
normally; every refusal must be an ``UnreadableFileError``/``ServiceError`` in Chinese and leave
the ledger byte for byte as it was; every plan must give each rejected row a Chinese reason.

The children run two at a time (this machine has two cores): the first case asks a session
fixture for its result, and the fixture runs every selected case, longest first, each still in
its own process with its own ledger copy. Each case stays its own test with its own verdict.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fuzz.child import how_it_ended, run_limited
from tests.fuzz.corpus import CASES, Case
from tests.fuzz.corpus_web import WEB_CASES

TIME_LIMIT = 30  # CPU seconds for one import (plan and apply) of one kind
_CHINESE = re.compile(r"[\u4e00-\u9fff]")

#: Figures for the end-of-session summary (see conftest.py): one dict per case run.
FIGURES: list[dict[str, object]] = []


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the ledger file, in rowid order."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall() for name in names}
    finally:
        conn.close()


def content_size(path: Path) -> int:
    """Bytes the file stands for: a zip's declared uncompressed total, else its size."""
    if not path.is_file():
        return 0
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return path.stat().st_size


@dataclass
class Outcome:
    case: Case
    path: Path
    proc: subprocess.CompletedProcess[str] | None  # None: stopped by the wall-clock backstop
    cpu_limit: int
    seconds: float
    before: dict[str, list[tuple]]
    after: dict[str, list[tuple]]


def run_case(case: Case, folder: Path, template: Path) -> Outcome:
    folder.mkdir(parents=True)
    path = folder / case.name
    case.build(path)
    ledger = folder / "copy.sqlite"
    shutil.copyfile(template, ledger)
    before = dump(ledger)
    limit = len(case.kinds) * TIME_LIMIT + 15  # the child's start-up on top
    started = time.perf_counter()  # for the summary's figures only, never asserted
    proc = run_limited(["-m", "tests.fuzz.worker", str(ledger), str(path), ",".join(case.kinds)], limit)
    seconds = time.perf_counter() - started
    return Outcome(case, path, proc, limit, seconds, before, dump(ledger))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``demo_ledger`` township of tests/conftest.py, made once and closed, to be copied."""
    from desktop_app.services.demo import DemoOptions, generate_demo
    from desktop_app.store.db import close_database, open_database
    from desktop_app.store.paths import DATA_DIR_ENV
    from tests.conftest import DEMO_TODAY

    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(folder / "data"))
        open_database(folder / "demo.sqlite")
        try:
            generate_demo(DemoOptions(persons=500, seed=7, today=DEMO_TODAY))
        finally:
            close_database()
    return folder / "demo.sqlite"


@pytest.fixture(scope="session")
def outcomes(request: pytest.FixtureRequest, demo_template: Path,
             tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every selected case run, two children at a time, longest first."""
    selected = [item.callspec.params["case"] for item in request.session.items
                if getattr(item, "originalname", "") == "test_hostile_file"]
    selected.sort(key=lambda case: not case.slow)
    root = tmp_path_factory.mktemp("hostile")
    workers = max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {case.name: pool.submit(run_case, case, root / f"{n:03d}", demo_template)
                   for n, case in enumerate(selected)}
        return {name: future.result() for name, future in futures.items()}


def _params() -> list[object]:
    return [
        pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.slow else [])
        for case in [*CASES, *WEB_CASES]
    ]


@pytest.mark.parametrize("case", _params())
def test_hostile_file(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.name]
    proc = outcome.proc
    trouble = how_it_ended(proc, outcome.cpu_limit)
    if trouble:
        pytest.fail(f"{case.name}: the import process ended badly: {trouble}")
    assert proc is not None
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    kinds: dict[str, dict[str, object]] = report["kinds"]
    outcomes_by_kind = {kind: entry["outcome"] for kind, entry in kinds.items()}
    for kind, entry in kinds.items():
        if entry["outcome"] == "refused":
            assert _CHINESE.search(str(entry["message"])), f"{kind}: message not in Chinese: {entry}"
            assert int(entry["message_chars"]) <= 1000, f"{kind}: a message of {entry['message_chars']} characters"
            assert not entry["ledger_changed"], f"{kind}: refused, yet the ledger changed"
        else:
            assert entry["reasonless"] == 0, f"{kind}: rejected rows without a Chinese reason: {entry}"
            assert int(entry["longest_reason"]) <= 1000, f"{kind}: a reason of {entry['longest_reason']} characters"
    if case.expect == "refused":
        assert set(outcomes_by_kind.values()) == {"refused"}, f"expected every import refused: {kinds}"
    elif case.expect == "read":
        assert set(outcomes_by_kind.values()) == {"read"}, f"expected every import read: {kinds}"
    if set(outcomes_by_kind.values()) == {"refused"}:
        assert outcome.after == outcome.before, "the file could not be read, yet the ledger changed"

    path = outcome.path
    FIGURES.append({
        "name": case.name, "bytes": path.stat().st_size if path.is_file() else 0,
        "content_bytes": content_size(path), "seconds": round(outcome.seconds, 2),
        "peak_mb": report["peak_mb"], "outcome": "/".join(sorted(set(outcomes_by_kind.values()))),
        "kinds": len(kinds),
        "code": next((e.get("code") for e in kinds.values() if e.get("code")), None),
        "rows_read": max(int(e.get("rows_read", 0) or 0) for e in kinds.values()),
    })
