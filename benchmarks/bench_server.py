"""One script, both engines: what the search box, the dashboard and four clerks at once cost.
Prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_server.py                         # a SQLite file, 100,000 persons
    .venv/bin/python benchmarks/bench_server.py --db postgresql://ledger@%2Ftmp%2Fpg/bench
    .venv/bin/python benchmarks/bench_server.py --db postgresql://… --persons 1000000
    .venv/bin/python benchmarks/bench_server.py --db /tmp/demo1m.sqlite   # a ledger file made by `demo`

The PostgreSQL database must exist (``createdb bench``); an empty one is filled with the demo
township, slowly (70 s per 100,000 persons): for 1,000,000 make the demo as a file (``demo
--persons 1000000``, a minute) and ``db copy`` it in (2.5 minutes). Each search is the person
list's first page (50 rows) plus its count, exact and capped at 1,000, median of 5.
Four clerks: four threads, each its own connection, each paying ``--payments`` unpaid persons
one payment at a time. SQLite has one writer: its four threads take turns through one Python lock
(without it SQLite refuses a second writer's upgrade from reading at once: "busy"), which is
what one program's desk does; a slowest payment there includes the wait for the others.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop_app.services import persons as person_list  # noqa: E402
from desktop_app.services import statistics as figures  # noqa: E402
from desktop_app.services.demo import DemoOptions, generate_demo  # noqa: E402
from desktop_app.services.payments import PaymentInput, record_payment  # noqa: E402
from desktop_app.store.db import close_database, open_database  # noqa: E402
from desktop_app.store.models import Enrollment, Person, db  # noqa: E402
from desktop_app.store.postgres import is_server_url  # noqa: E402

from _common import median_ms, row  # noqa: E402  (benchmarks/ is on the path when run)

YEAR = 2025
PAID_ON = dt.date(2024, 11, 5)


def _fragments() -> dict[str, str]:
    """Fragments a clerk types, taken from the ledger itself so that they find someone."""
    person = Person.select().order_by(Person.id).offset(Person.select().count() // 2).first()
    surname = db.execute_sql("SELECT substr(name, 1, 1), COUNT(*) FROM person GROUP BY 1"
                             " ORDER BY 2 DESC LIMIT 1").fetchone()[0]
    return {
        "name, 1 character": person.name[-1],
        "name, the commonest surname": surname,
        "name, 2 characters": person.name[:2],
        "pinyin initials": person.name_initials[:2] or "zs",
        "ID number, 6 digits": person.id_number[8:14],
        "ID number, 2 digits": person.id_number[-3:-1],
        "phone, 4 digits": (person.phone or "13800001234")[-4:],
    }


#: a count that stops here ("1,000 or more"), beside the exact one
CAP = 1000


def search_ms(text: str, cap: int | None = None) -> float:
    query = person_list.PersonQuery(year=YEAR, search=text)
    return median_ms(lambda: (person_list.person_rows(query, 0, 50), person_list.count_persons(query, cap)))


def four_clerks(per_clerk: int, one_writer: bool) -> tuple[float, float, int]:
    """(payments per second, slowest payment in ms, payments made)."""
    turn = threading.Lock() if one_writer else contextlib.nullcontext()
    unpaid = [e.person_id for e in Enrollment.select(Enrollment.person_id).where(
        (Enrollment.year == YEAR) & (Enrollment.status == "unpaid") & (Enrollment.due_fen > 0)
    ).limit(4 * per_clerk)]
    due = {e.person_id: e.due_fen for e in Enrollment.select().where(
        (Enrollment.year == YEAR) & Enrollment.person_id.in_(unpaid))}
    slowest: list[float] = []
    done: list[int] = []

    def clerk(mine: list[int]) -> None:
        worst = 0.0
        try:
            for pid in mine:
                started = time.perf_counter()
                with turn:
                    record_payment(PaymentInput(pid, YEAR, due[pid], PAID_ON, "现金代收"))
                worst = max(worst, time.perf_counter() - started)
                done.append(pid)
        finally:
            slowest.append(worst * 1000)
            db.close()

    threads = [threading.Thread(target=clerk, args=(unpaid[i::4],)) for i in range(4)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return len(done) / elapsed, max(slowest), len(done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a postgresql:// URL or a ledger file, filled with the demo township when"
                                     " empty (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=25, help="payments per clerk")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    target = args.db or str(Path(folder.name) / "bench.sqlite")
    open_database(target)
    engine = "PostgreSQL" if is_server_url(target) else "SQLite"
    print(f"{engine}, {args.persons:,} persons")
    if Person.select().count() == 0:
        started = time.perf_counter()
        generate_demo(DemoOptions(persons=args.persons, seed=3, year=YEAR, today=dt.date(2026, 11, 23)))
        print(f"(demo township written in {time.perf_counter() - started:.1f} s)")
    if engine == "PostgreSQL":
        db.execute_sql("ANALYZE")
    print("| what | ms |\n|---|---:|")
    for what, text in _fragments().items():
        row(f"search {what} ({text}): first page + count", f"{search_ms(text):.1f}")
        row(f"search {what} ({text}): first page + count up to {CAP:,}", f"{search_ms(text, CAP):.1f}")
    row("dashboard: village/status counts", f"{median_ms(lambda: figures.village_summaries(YEAR)):.1f}")
    row("dashboard: every figure (+ newborns, categories)", f"{median_ms(lambda: figures.dashboard(YEAR)):.1f}")
    rate, slowest, made = four_clerks(args.payments, one_writer=engine == "SQLite")
    row(f"four clerks: payments per second ({made} made)", f"{rate:.1f}")
    row("four clerks: slowest payment", f"{slowest:.1f}")
    close_database()
    folder.cleanup()
    print("searches and dashboard: median of 5; four clerks: one run")


if __name__ == "__main__":
    main()
