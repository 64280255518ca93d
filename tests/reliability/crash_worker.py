"""A child process for the crash tests: opens a ledger, says READY, does one operation, says DONE.

Run as ``python -u -m tests.reliability.crash_worker OP LEDGER [ARG]``; the test kills it with
SIGKILL at a random moment after READY. Each committed step is printed as it happens, so the
test knows what must have survived. When ``CRASH_PROGRESS`` names a file, the worker appends
"started" to it just before the operation and "committed SECONDS" just after it returns, so the
test knows whether its kill landed in the middle of the operation.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from desktop_app.store.db import close_database, open_database


def mark(word: str) -> None:
    """Append one progress marker to $CRASH_PROGRESS (a killed process keeps what it wrote)."""
    progress = os.environ.get("CRASH_PROGRESS")
    if progress:
        with open(progress, "a", encoding="utf-8") as out:
            out.write(word + "\n")


def main(op: str, ledger: Path, arg: str = "") -> None:
    open_database(ledger)
    if op == "policy":
        from desktop_app.services.policy_load import load_policy

        print("READY", flush=True)
        started = time.perf_counter()
        mark("started")
        load_policy(Path(arg))
    elif op == "payments":
        from desktop_app.services.payments import record_payment
        from tests.reliability.helpers import unpaid_inputs

        planned = unpaid_inputs(int(arg))
        print("READY", flush=True)
        started = time.perf_counter()
        mark("started")
        for payment in planned:
            made = record_payment(payment)
            print(f"PAID {made.id} {payment.person_id}", flush=True)
    elif op == "demo":
        from desktop_app.services.demo import DemoOptions, generate_demo
        from tests.reliability.helpers import DEMO_TODAY

        print("READY", flush=True)
        started = time.perf_counter()
        mark("started")
        generate_demo(DemoOptions(persons=int(arg), seed=11, today=DEMO_TODAY))
    elif op in ("backup", "backup-encrypted"):
        from desktop_app.services.backup import create_backup

        print("READY", flush=True)
        started = time.perf_counter()
        mark("started")
        if op == "backup":
            create_backup("manual")
        else:
            create_backup("manual", folder=Path(arg), password="crash-test-password")
    elif op == "restore":
        from desktop_app.services.backup_restore import restore
        from desktop_app.services.payments import record_payment
        from tests.reliability.helpers import unpaid_inputs

        record_payment(unpaid_inputs(1)[0])  # the ledger being replaced has a live -wal
        print("READY", flush=True)
        started = time.perf_counter()
        mark("started")
        restore(Path(arg), ledger, password="crash-test-password")
    elif op == "merge":
        from desktop_app.services import packages

        plan = packages.plan_merge(Path(arg), "crash-test-password")
        print("READY", flush=True)
        started = time.perf_counter()
        mark("started")
        packages.apply_merge(plan, prefer="village")
    else:
        raise SystemExit(f"unknown operation {op}")
    elapsed = time.perf_counter() - started
    mark(f"committed {elapsed:.3f}")
    print(f"DONE {elapsed:.3f}", flush=True)
    close_database()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:])
