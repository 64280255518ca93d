"""``db copy``: a township's ledger file into the county's PostgreSQL database and back out.
Prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_db_copy.py                       # a throwaway cluster, 100,000 persons
    .venv/bin/python benchmarks/bench_db_copy.py --db postgresql://ledger@%2Ftmp%2Fpg/county
    .venv/bin/python benchmarks/bench_db_copy.py --persons 20000 --townships 3

Without ``--db`` a throwaway cluster is started in a temporary folder (``initdb`` needed, as
the tests' ``tests/postgres_cluster.py``); with it, the database must exist and hold none of the
demo townships. Each township is a demo ledger file of ``--persons`` persons (a different seed
and township code each, and its persons' ID numbers moved to another area code: the demo draws
every township's from one county's, and the copy rightly refuses a person twice); copied in one after the other (the second and later into a database
that already holds the others), the first copied again (the identical-rerun check), then the
first taken out again as a new file. One run each (a copy is long enough not to need a median).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.domain.idnumber import check_character  # noqa: E402
from desktop_app.services import ledger  # noqa: E402
from desktop_app.services.db_copy import copy_township  # noqa: E402
from desktop_app.services.demo import DemoOptions, generate_demo  # noqa: E402
from desktop_app.store.db import close_database, open_database  # noqa: E402
from tests.postgres_cluster import start_cluster  # noqa: E402

from _common import peak_mb, row  # noqa: E402  (benchmarks/ is on the path when run)


def township_file(path: Path, index: int, persons: int) -> str:
    code = f"43119910{index + 1}"
    open_database(path)
    ledger.set_township(f"演示{index + 1}镇", code)
    generate_demo(DemoOptions(persons=persons, seed=11 + index, year=2025, today=dt.date(2026, 11, 23)))
    close_database()
    if index:  # the demo draws every township's ID numbers in one county: born elsewhere instead
        area = f"{431199 - index:06d}"
        with sqlite3.connect(path) as conn:
            for table, column in (("person", "id_number"), ("household", "head_id_number")):
                moved = [(area + n[6:17] + check_character(area + n[6:17]), n) for (n,) in conn.execute(
                    f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")]
                conn.executemany(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", moved)
    return code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an empty postgresql:// database (default: a throwaway cluster's)")
    parser.add_argument("--persons", type=int, default=100_000, help="persons per township")
    parser.add_argument("--townships", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ledger-bench-copy-"))
    server = None
    url = args.db
    if url is None:
        server = start_cluster()
        url = server.url_for("county")
        with server.admin() as conn:
            conn.execute('CREATE DATABASE "county"')
    try:
        files = []
        for index in range(args.townships):
            started = time.perf_counter()
            path = folder / f"town{index + 1}.sqlite"
            files.append((path, township_file(path, index, args.persons)))
            print(f"(township file {index + 1} written in {time.perf_counter() - started:.1f} s)")
        print(f"{args.townships} townships of {args.persons:,} persons; county database {url}")
        print("| what | s |\n|---|---:|")
        for index, (path, _code) in enumerate(files):
            result = copy_township(path, url)
            f = result.figures
            held = f"{index} other township{'s' if index != 1 else ''}" if index else "an empty database"
            row(f"copy in, township {index + 1} ({f.persons:,} persons, {f.payments:,} payments) into {held}",
                f"{result.seconds:.1f}", (72, 8))
        result = copy_township(files[0][0], url)
        row(f"copy in again, township 1 (identical: {result.already_there}, nothing written)",
            f"{result.seconds:.1f}", (72, 8))
        result = copy_township(url, folder / "out.sqlite", files[0][1])
        row(f"copy out, township 1 to a new file ({result.figures.persons:,} persons)",
            f"{result.seconds:.1f}", (72, 8))
        print(f"peak memory {peak_mb():.0f} MB")
    finally:
        close_database()
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
