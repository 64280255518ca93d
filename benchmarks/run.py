"""Benchmarks of the ledger: prints figures, asserts nothing. Quote them in the README.

    .venv/bin/python benchmarks/run.py                   # 100,000 persons
    .venv/bin/python benchmarks/run.py --persons 1000000 # a big county's worth

Each figure is measured on a demo ledger built in a temp folder by the same generator the
tests use. Timings are medians over repeated calls where a single call is short.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.services.demo import DemoOptions, generate_demo  # noqa: E402
from desktop_app.services.households import find_household_by_number, household_rows  # noqa: E402
from desktop_app.services.ledger import check_file  # noqa: E402
from desktop_app.store.db import close_database, open_database  # noqa: E402
from desktop_app.store.models import db  # noqa: E402

from _common import median_ms, peak_mb, row  # noqa: E402  (benchmarks/ is on the path when run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    path = folder / "bench.sqlite"

    print(f"benchmark: {args.persons:,} persons, ledger in {folder}")
    print(f"| {'what':<44} | {'figure':>26} |")
    print(f"|{'-' * 46}|{'-' * 28}|")

    open_database(path)
    result = generate_demo(DemoOptions(persons=args.persons, seed=args.seed))
    close_database()
    row("demo generation", f"{result.persons / result.seconds:,.0f} persons/s ({result.seconds:.1f} s)")
    row("ledger file size", f"{path.stat().st_size / 1e6:,.1f} MB")
    row("peak memory after generation", f"{peak_mb():,.0f} MB")

    started = time.perf_counter()
    open_database(path)
    row("open the ledger (pragmas, schema check)", f"{(time.perf_counter() - started) * 1000:,.1f} ms")

    rng = random.Random(1)
    ids = [r[0] for r in db.execute_sql("SELECT id_number FROM person").fetchall()]
    numbers = [r[0] for r in db.execute_sql("SELECT number FROM household").fetchall()]
    sample_ids = rng.sample(ids, min(1000, len(ids)))
    sample_numbers = rng.sample(numbers, min(1000, len(numbers)))

    def by_id() -> None:
        for number in sample_ids:
            db.execute_sql(
                "SELECT p.id, p.name, e.status, e.due_fen FROM person p"
                " JOIN enrollment e ON e.person_id = p.id AND e.year = ? WHERE p.id_number = ?",
                (result.year, number),
            ).fetchone()

    ms = median_ms(by_id, 5) / len(sample_ids)
    row("lookup by ID number (with enrollment)", f"{ms * 1000:,.0f} µs each")

    def by_household() -> None:
        for number in sample_numbers:
            household = find_household_by_number(number)
            assert household is not None
            db.execute_sql("SELECT * FROM person WHERE household_id = ?", (household.id,)).fetchall()

    ms = median_ms(by_household, 5) / len(sample_numbers)
    row("lookup household by number, with members", f"{ms * 1000:,.0f} µs each")

    count_sql = (
        "SELECT village_id, status, COUNT(*) FROM enrollment WHERE year = ? GROUP BY village_id, status"
    )
    ms = median_ms(lambda: db.execute_sql(count_sql, (result.year,)).fetchall(), 5)
    row("count by village and status (whole year)", f"{ms:,.1f} ms")
    ms = median_ms(
        lambda: db.execute_sql(
            "SELECT COUNT(*) FROM enrollment WHERE village_id = ? AND year = ? AND status = 'unpaid'",
            (3, result.year),
        ).fetchone(),
        20,
    )
    row("count unpaid in one village", f"{ms:,.2f} ms")
    from desktop_app.services.charges import recompute, verify

    started = time.perf_counter()
    differences = verify([result.year])
    seconds = time.perf_counter() - started
    assert not differences, differences[:5]
    row("check --charges (recompute all, compare)", f"{seconds:,.2f} s ({args.persons / seconds:,.0f} rows/s)")
    started = time.perf_counter()
    with db.atomic():
        db.execute_sql("UPDATE enrollment SET due_fen = due_fen + 1 WHERE year = ?", (result.year,))
        changed = recompute(result.year)
    row("recompute a whole year (every row changed)", f"{time.perf_counter() - started:,.2f} s ({changed:,} rows)")
    last_page = max(0, len(numbers) - 256)
    ms = median_ms(lambda: household_rows(last_page, 256), 5)
    row("household table: last page of 256 rows", f"{ms:,.1f} ms")
    ms = median_ms(lambda: household_rows(0, 256), 5)
    row("household table: first page of 256 rows", f"{ms:,.1f} ms")
    close_database()

    started = time.perf_counter()
    report = check_file(path)
    assert report.ok, report.problems
    row("check (integrity + foreign keys)", f"{(time.perf_counter() - started) * 1000:,.0f} ms")
    row("peak memory overall", f"{peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
