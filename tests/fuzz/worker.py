"""The child process of the hostile-file tests: one file, every kind of import, a JSON report.

Run as ``python -m tests.fuzz.worker LEDGER FILE [KIND,KIND…]``. For each kind (by default
roster, categories, payments)
it runs ``importing.plan`` and, when the file could be read, ``importing.apply``; the expected domain
errors (``UnreadableFileError``, ``ServiceError``) are reported, anything else escapes as a
traceback and a non-zero exit, which fails the test. The last line of stdout is the JSON report:
per kind the outcome, the message or the counts, whether the ledger changed; the peak memory.
"""

from __future__ import annotations

import hashlib
import json
import re
import resource
import sys
import time
from pathlib import Path

KINDS = ("roster", "categories", "payments")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def ledger_digest() -> str:
    """A hash of every row of every table, through the program's own connection."""
    from desktop_app.store.models import db

    digest = hashlib.sha256()
    tables = [row[0] for row in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for table in tables:
        digest.update(table.encode())
        for row in db.execute_sql(f'SELECT * FROM "{table}" ORDER BY rowid'):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def peak_mb() -> float:
    """This process's peak resident memory since it started its program. (ru_maxrss would do on
    its own, but Linux carries it over from the parent across fork and exec: a child of a big
    pytest process would report pytest's size.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(ledger: str, file: str, kinds_wanted: tuple[str, ...] = KINDS) -> None:
    from desktop_app.exchange import UnreadableFileError
    from desktop_app.services import importing
    from desktop_app.services.ledger import ServiceError
    from desktop_app.store.db import close_database, open_database

    open_database(Path(ledger))
    report: dict[str, object] = {"kinds": {}}
    kinds: dict[str, dict[str, object]] = report["kinds"]  # type: ignore[assignment]
    for kind in kinds_wanted:
        before = ledger_digest()
        started = time.perf_counter()
        entry: dict[str, object] = {}
        kinds[kind] = entry
        try:
            plan = importing.plan(kind, Path(file))
        except (UnreadableFileError, ServiceError) as exc:
            entry.update(outcome="refused", error=type(exc).__name__, code=getattr(exc, "code", None),
                         message=str(exc)[:500], message_chars=len(str(exc)))
        else:
            issues = [*plan.rejected, *plan.unmatched]
            reasons = sorted({issue.reason[:200] for issue in issues[:2000]})
            entry.update(
                outcome="read", accepted=plan.accepted, rejected=len(plan.rejected),
                unmatched=len(plan.unmatched), rows_read=plan.rows_read,
                reasons=reasons[:5],
                reasonless=sum(1 for issue in issues if not _CHINESE.search(issue.reason)),
                longest_reason=max((len(issue.reason) for issue in issues), default=0),
                plan_seconds=round(time.perf_counter() - started, 3),
            )
            try:
                importing.apply(plan)
                entry["applied"] = True
            except ServiceError as exc:
                entry.update(applied=False, apply_error=str(exc)[:500])
            del plan, issues
        entry["seconds"] = round(time.perf_counter() - started, 3)
        entry["ledger_changed"] = ledger_digest() != before
    close_database()
    report["peak_mb"] = round(peak_mb(), 1)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], tuple(sys.argv[3].split(",")) if len(sys.argv) > 3 else KINDS)
