"""Killing the program (SIGKILL) in the middle of an operation leaves a healthy ledger holding
all of that operation or none of it.

Each run copies a real demo ledger, starts a child process that opens it and runs one
operation (a policy load that recomputes every row, a series of payments, a demo generation
standing in for an import, a backup, a restore, a village return merged), and kills it at a random moment after it said
READY. The parent then checks the file (``check``: integrity and foreign keys) and the
operation's all-or-nothing invariant. The figure "survived N of N" is printed. The child marks
in a file when the operation started and when it committed; each series must have at least one
kill that landed between the two, or it proved nothing.

What this does not test: a power cut. SIGKILL loses the process, not the operating system's
write cache; surviving a power cut rests on ``synchronous=FULL`` and the fsync-then-rename of
backups and restores, which only a VM or a fault-injecting block device can test.

``CRASH_RUNS`` (default 5) sets the kills per operation; ``CRASH_RUNS=40`` makes a longer soak.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.resources import resource
from desktop_app.services.backup import create_backup, list_backups
from desktop_app.services.backup_format import decrypt_file
from desktop_app.services.charges import verify
from desktop_app.services.ledger import check_file
from desktop_app.store.db import close_database, open_database
from tests.reliability.helpers import DEMO_TODAY, dump_file

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

ROOT = Path(__file__).resolve().parents[2]
PERSONS = 20_000
RUNS = int(os.environ.get("CRASH_RUNS", "5"))
PASSWORD = "crash-test-password"
SEED = int(os.environ.get("CRASH_SEED", str(int(time.time()))))


def fingerprint(path: Path) -> str:
    """A hash of every row of every table: equal fingerprints, equal ledgers."""
    digest = hashlib.sha256()
    for table, rows in sorted(dump_file(path).items()):
        digest.update(table.encode())
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _without_entries(path: Path, action: str) -> str:
    """The fingerprint but the 操作日志 entries of ``action`` (a backup's or a restore's own)."""
    digest = hashlib.sha256()
    for table, rows in sorted(dump_file(path).items()):
        digest.update(table.encode())
        for row in rows:
            if not (table == "audit_entry" and row[3] == action):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def scalar(path: Path, sql: str, *params: object) -> object:
    import sqlite3

    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 20,000-person demo ledger, an empty one, a changed 2025 policy, an encrypted backup."""
    from desktop_app.services.demo import DemoOptions, generate_demo

    folder = tmp_path_factory.mktemp("crash-templates")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ENROLLMENT_LEDGER_DATA_DIR", str(folder / "data"))
        ledger = folder / "demo.sqlite"
        open_database(ledger)
        generate_demo(DemoOptions(persons=PERSONS, seed=3, today=DEMO_TODAY))
        close_database()
        empty = folder / "empty.sqlite"
        open_database(empty)
        close_database()
        policy = folder / "2025-changed.toml"
        text = resource("policies", "2025.toml").read_text(encoding="utf-8")
        policy.write_text(
            text.replace("standard = 400", "standard = 420", 1).replace(
                "amount = 200", "amount = 260", 1
            ),
            encoding="utf-8",
        )
        backup = create_backup(
            "manual", ledger=ledger, folder=folder / "usb", password=PASSWORD
        ).path
    return {"demo": ledger, "empty": empty, "policy": policy, "backup": backup}


class Run:
    """One child process killed at a random moment; what it printed before it died."""

    def __init__(self, op: str, ledger: Path, arg: str, delay: float, progress: Path) -> None:
        self.child = subprocess.Popen(
            [sys.executable, "-u", "-m", "tests.reliability.crash_worker", op, str(ledger), arg],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "CRASH_PROGRESS": str(progress)},
        )
        assert self.child.stdout is not None
        first = self.child.stdout.readline()
        if first.strip() != "READY":
            self.child.kill()
            raise AssertionError(f"worker did not start: {first!r} {self.child.stderr.read()}")
        time.sleep(delay)
        self.child.send_signal(signal.SIGKILL)
        out, self.stderr = self.child.communicate(timeout=60)
        self.lines = out.splitlines()
        self.killed = self.child.returncode == -signal.SIGKILL
        self.finished = any(line.startswith("DONE") for line in self.lines)
        markers = progress.read_text(encoding="utf-8").split("\n") if progress.exists() else []
        committed = [float(m.split()[1]) for m in markers if m.startswith("committed")]
        #: how long the operation took when it committed before the kill, else None
        self.took = committed[0] if committed else None
        #: the kill landed after the operation started and before it committed
        self.mid = self.killed and "started" in markers and not committed


def calibrate(op: str, ledger: Path, arg: str) -> float:
    """How long the operation takes when left alone (seconds), so kills land inside it."""
    out = subprocess.run(
        [sys.executable, "-u", "-m", "tests.reliability.crash_worker", op, str(ledger), arg],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert out.returncode == 0, out.stderr
    done = [line for line in out.stdout.splitlines() if line.startswith("DONE")]
    return float(done[0].split()[1])


def assert_healthy(path: Path) -> None:
    report = check_file(path)
    assert report.ok, report.problems


#: (operation, kills, survived, killed between its start and its commit, all of it, none of it),
#: printed at the end of the session by tests/reliability/conftest.py
RESULTS: list[tuple[str, int, int, int, int, int]] = []


def _report(op: str, outcomes: Counter, kills: int, mid: int) -> None:
    survived = outcomes["all"] + outcomes["none"]
    RESULTS.append((op, kills, survived, mid, outcomes["all"], outcomes["none"]))


def _kill_series(
    tmp_path: Path,
    op: str,
    source: Path,
    arg: str,
    judge: Callable[[Path, Run], str],
) -> None:
    rng = random.Random(f"{SEED}-{op}")
    scratch = tmp_path / "calibrate.sqlite"
    scratch.write_bytes(source.read_bytes())
    duration = calibrate(op, scratch, arg)
    progress = tmp_path / "progress"
    progress.mkdir()
    outcomes: Counter = Counter()
    kills = mid = 0
    for index in range(RUNS):
        ledger = tmp_path / f"run{index}.sqlite"
        ledger.write_bytes(source.read_bytes())
        run = Run(op, ledger, arg, rng.uniform(0.0, duration * 1.25), progress / f"run{index}.txt")
        if not run.killed:  # it finished and exited before the kill came: checked, not counted
            assert run.child.returncode == 0 and run.finished, run.stderr[-2000:]
        if run.took is not None:  # the calibration may have been slower (a cold cache)
            duration = min(duration, run.took)
        kills += run.killed
        mid += run.mid
        assert_healthy(ledger)
        outcome = judge(ledger, run)
        if run.killed:
            outcomes[outcome] += 1
        for leftover in tmp_path.glob(f"run{index}.sqlite*"):
            leftover.unlink()
    _report(op, outcomes, kills, mid)
    assert outcomes["all"] + outcomes["none"] == kills
    assert mid > 0, f"{op}: none of {RUNS} kills landed between the start and the commit"


def test_kill_during_policy_load(templates, tmp_path):
    # the copy taken before the load is recorded in the trail on its own (committed before the
    # load starts): a kill after it and before the load's commit leaves only that entry
    before = _without_entries(templates["demo"], "backup")
    new_text = templates["policy"].read_text(encoding="utf-8")
    not_backups = "SELECT COUNT(*) FROM audit_entry WHERE action != 'backup'"
    audits = scalar(templates["demo"], not_backups)

    def judge(ledger: Path, run: Run) -> str:
        stored = scalar(ledger, "SELECT source_text FROM policy_year WHERE year = 2025")
        if stored != new_text:
            assert _without_entries(ledger, "backup") == before, "old policy but the ledger changed"
            return "none"
        open_database(ledger)
        try:
            assert verify([2025]) == []
        finally:
            close_database()
        assert (
            scalar(
                ledger,
                "SELECT COUNT(*) FROM enrollment WHERE year = 2025 AND standard_fen != 42000",
            )
            == 0
        )
        assert scalar(ledger, not_backups) == audits + 1  # the load's one entry
        return "all"

    _kill_series(tmp_path, "policy", templates["demo"], str(templates["policy"]), judge)


def test_kill_during_payments(templates, tmp_path):
    planned = 400
    base_payments = scalar(templates["demo"], "SELECT COUNT(*) FROM payment")
    base_audits = scalar(templates["demo"], "SELECT COUNT(*) FROM audit_entry")

    def judge(ledger: Path, run: Run) -> str:
        printed = [line for line in run.lines if line.startswith("PAID")]
        stored = scalar(ledger, "SELECT COUNT(*) FROM payment") - base_payments
        # every payment reported as committed is there; at most one more committed unreported
        assert len(printed) <= stored <= len(printed) + 1
        for line in printed:
            assert (
                scalar(ledger, "SELECT COUNT(*) FROM payment WHERE id = ?", int(line.split()[1]))
                == 1
            )
        logged = scalar(
            ledger,
            "SELECT COUNT(*) FROM audit_entry WHERE \"table\" = 'payment' AND action = 'create'",
        )
        assert scalar(ledger, "SELECT COUNT(*) FROM audit_entry") - base_audits == stored
        assert logged >= stored
        open_database(ledger)
        try:
            assert verify([2025]) == []  # each enrollment agrees with its payments
        finally:
            close_database()
        # the payment in flight when the process died: all of it (committed) or none of it
        return "all" if run.finished or stored == len(printed) + 1 else "none"

    _kill_series(tmp_path, "payments", templates["demo"], str(planned), judge)


def test_kill_during_merge(templates, tmp_path):
    """A village's return of 600 payments merged (issue 17): all of it, or none of it."""
    from desktop_app.services import packages
    from desktop_app.services.payments import record_payment
    from tests.reliability.helpers import unpaid_inputs

    town, work, back = tmp_path / "town.sqlite", tmp_path / "work.sqlite", tmp_path / "r.ledgerreturn"
    town.write_bytes(templates["demo"].read_bytes())
    open_database(town)
    village = scalar(town, "SELECT name FROM region WHERE level = 'village' ORDER BY id LIMIT 1")
    packages.create_package([village], 2025, tmp_path / "p.ledgerpack", password=PASSWORD)
    packages.open_package(tmp_path / "p.ledgerpack", PASSWORD, work)
    planned = unpaid_inputs(600)
    for payment in planned:
        record_payment(payment)
    packages.write_return(back, password=PASSWORD)
    close_database()
    fresh = len(planned)
    assert fresh >= 100
    base_payments = scalar(town, "SELECT COUNT(*) FROM payment")

    def judge(ledger: Path, run: Run) -> str:
        added = scalar(ledger, "SELECT COUNT(*) FROM payment") - base_payments
        marked = scalar(ledger, "SELECT COUNT(*) FROM setting WHERE key LIKE 'merged.%'")
        audited = scalar(ledger, "SELECT COUNT(*) FROM audit_entry WHERE action = 'merge'")
        assert (added, marked, audited) in ((0, 0, 0), (fresh, 1, 1))
        open_database(ledger)
        try:
            assert verify([2025]) == []
        finally:
            close_database()
        return "all" if added else "none"

    _kill_series(tmp_path, "merge", town, str(back), judge)


def test_kill_during_demo_generation(templates, tmp_path):
    persons = 15_000
    empty = fingerprint(templates["empty"])

    def judge(ledger: Path, run: Run) -> str:
        count = scalar(ledger, "SELECT COUNT(*) FROM person")
        if count == 0:
            assert fingerprint(ledger) == empty, "no persons but the ledger changed"
            return "none"
        assert count == persons
        assert scalar(ledger, "SELECT COUNT(*) FROM audit_entry WHERE action = 'demo'") == 1
        open_database(ledger)
        try:
            assert verify() == []
        finally:
            close_database()
        return "all"

    _kill_series(tmp_path, "demo", templates["empty"], str(persons), judge)


@pytest.mark.parametrize("kind", ["backup", "backup-encrypted"])
def test_kill_during_backup(templates, tmp_path, kind):
    before = fingerprint(templates["demo"])
    usb = tmp_path / "usb"
    persons = scalar(templates["demo"], "SELECT COUNT(*) FROM person")

    def judge(ledger: Path, run: Run) -> str:
        # a backup writes only its own 操作日志 entry, after the copy is whole
        assert _without_entries(ledger, "backup") == before, "a backup changed the ledger"
        recorded = scalar(ledger, "SELECT COUNT(*) FROM audit_entry WHERE action = 'backup'")
        folder = usb if kind == "backup-encrypted" else None
        made = [info for info in list_backups(ledger, folder)]
        assert recorded <= len(made) <= 1, "a backup was recorded that is not there"
        for info in made:  # whatever carries a backup's name is a whole, readable copy
            plain = info.path
            if info.encrypted:
                plain = tmp_path / "decrypted.sqlite"
                decrypt_file(info.path, plain, PASSWORD)
            assert_healthy(plain)
            assert scalar(plain, "SELECT COUNT(*) FROM person") == persons
            info.path.unlink()
        # and the next backup works despite any leftovers of the killed one
        again = create_backup(
            "manual", ledger=ledger, folder=folder, password=PASSWORD if folder else None
        )
        again.path.unlink()
        return "all" if made else "none"

    _kill_series(tmp_path, kind, templates["demo"], str(usb), judge)




def test_kill_during_restore(templates, tmp_path):
    restored = fingerprint(templates["demo"])

    def judge(ledger: Path, run: Run) -> str:
        if _without_entries(ledger, "restore") == restored:  # killed before or after its audit entry
            return "all"
        # the ledger being replaced: the demo plus the one payment the worker made first
        assert (
            scalar(ledger, "SELECT COUNT(*) FROM payment")
            == scalar(templates["demo"], "SELECT COUNT(*) FROM payment") + 1
        )
        return "none"

    _kill_series(tmp_path, "restore", templates["demo"], str(templates["backup"]), judge)
