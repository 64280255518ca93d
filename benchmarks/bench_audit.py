"""What the 操作日志's hash chain costs: prints figures, asserts nothing. Quote them in the README.

    .venv/bin/python benchmarks/bench_audit.py              # 10,000 entries, best of 3
    .venv/bin/python benchmarks/bench_audit.py --entries 100000

- ``audit.record`` N times in one transaction (as an import writes its per-row entries), against
  the plain insert it replaced (``AuditEntry.create``, no chain), both on an empty ledger;
- ``verify_chain`` over the whole trail (what ``check`` adds);
- migration 5 chaining N entries written by an older version.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.services import audit  # noqa: E402
from desktop_app.store.db import close_database, open_database  # noqa: E402
from desktop_app.store.migrations import m0005_audit_chain  # noqa: E402
from desktop_app.store.models import AuditEntry, db  # noqa: E402

from _common import row  # noqa: E402  (benchmarks/ is on the path when run)

VALUE = {"phone": ["13800000001", "13900000002"], "name": ["张三", "张三丰"]}


def _records(n: int) -> None:
    with db.atomic():
        for i in range(n):
            audit.record("update", "person", i, VALUE, VALUE)


def _plain_creates(n: int) -> None:  # what record() did before the chain
    with db.atomic():
        for i in range(n):
            AuditEntry.create(operator="", action="update", table="person", record_id=str(i),
                              old_value=audit._as_text(VALUE), new_value=audit._as_text(VALUE))


def _timed(folder: Path, name: str, work, n: int) -> float:
    path = folder / f"{name}.sqlite"
    open_database(path)
    try:
        started = time.perf_counter()
        work(n)
        return time.perf_counter() - started
    finally:
        close_database()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.entries
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chained = min(_timed(folder, f"chained{r}", _records, n) for r in range(args.repeat))
        plain = min(_timed(folder, f"plain{r}", _plain_creates, n) for r in range(args.repeat))
        row(f"audit.record x{n:,} in one transaction (chained)", f"{chained:.3f} s, {chained / n * 1e6:.1f} µs/entry")
        row(f"AuditEntry.create x{n:,} (before: no chain)", f"{plain:.3f} s, {plain / n * 1e6:.1f} µs/entry")

        conn = sqlite3.connect(folder / "chained0.sqlite")
        started = time.perf_counter()
        assert audit.verify_chain(conn) is None
        seconds = time.perf_counter() - started
        row(f"verify_chain over {n:,} entries", f"{seconds:.3f} s, {n / seconds:,.0f} entries/s")
        conn.close()

        old = folder / "old.sqlite"  # the plain trail, its chain columns dropped: a version-4 ledger
        shutil.copy(folder / "plain0.sqlite", old)
        conn = sqlite3.connect(old)
        for column in ("entry_hash", "prev_hash", "source"):
            conn.execute(f"ALTER TABLE audit_entry DROP COLUMN {column}")
        conn.execute("DELETE FROM schema_version WHERE version = 5")
        conn.commit()
        started = time.perf_counter()
        with conn:
            m0005_audit_chain.apply(conn)
        seconds = time.perf_counter() - started
        row(f"migration 5 chaining {n:,} old entries", f"{seconds:.3f} s, {n / seconds:,.0f} entries/s")
        conn.close()


if __name__ == "__main__":
    main()
