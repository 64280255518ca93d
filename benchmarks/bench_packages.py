"""Village work packages (issue 17): prints figures, asserts nothing. Quote them in the README.

    .venv/bin/python benchmarks/bench_packages.py                 # the issue's three figures
    .venv/bin/python benchmarks/bench_packages.py --township 20000 # a smaller township

- cutting the package of a 5,000-person village (the file encrypted, scrypt included);
- writing the return of 1,000 changes (500 payments, 500 phone numbers) and merging it
  (preview, then apply in one transaction);
- a 50,000-person township handing out every village, one package each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import row

from desktop_app.services import household_work, packages
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.services.payments import PaymentInput, record_payment
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import Enrollment, Household, Person, Region

PASSWORD = "benchmark-password"
YEAR = 2025


def _demo(path: Path, persons: int) -> None:
    open_database(path)
    generate_demo(DemoOptions(persons=persons, seed=3, today=dt.date(2026, 11, 23)))


def _village_sizes() -> list[tuple[str, int]]:
    return [(r.name, Person.select().join(Household).where(Household.village == r.id).count())
            for r in Region.select().where(Region.level == "village")]


def _timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--village", type=int, default=5_000, help="persons in the village packaged")
    parser.add_argument("--changes", type=int, default=1_000)
    parser.add_argument("--township", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print("| village work packages | |")
        print("|---|---|")

        # one village of about --village persons: a demo township of that size, all its villages
        _demo(folder / "small.sqlite", args.village)
        names = [n for n, _ in _village_sizes()]
        seconds, receipt = _timed(lambda: packages.create_package(names, YEAR, folder / "v.ledgerpack",
                                                                    password=PASSWORD))
        row(f"package of {receipt.persons:,} persons ({receipt.households:,} households)", f"{seconds:.2f} s")

        packages.open_package(folder / "v.ledgerpack", PASSWORD, folder / "work.sqlite")
        half = args.changes // 2
        owing = list(Enrollment.select().where((Enrollment.year == YEAR) & (Enrollment.status == "unpaid")
                                               & (Enrollment.due_fen > 0)).limit(half))
        for e in owing:
            record_payment(PaymentInput(e.person_id, YEAR, e.due_fen, dt.date(2026, 11, 2), "现金代收", ""))
        for i, person in enumerate(Person.select().order_by(Person.id).limit(args.changes - len(owing))):
            household_work.update_person(person.id, name=person.name, phone=f"139{i:08d}", relation=person.relation)
        seconds, back = _timed(lambda: packages.write_return(folder / "r.ledgerreturn", password=PASSWORD))
        row(f"return of {back.changes:,} changes", f"{seconds:.2f} s")
        close_database()
        open_database(folder / "small.sqlite")
        plan_s, plan = _timed(lambda: packages.plan_merge(folder / "r.ledgerreturn", PASSWORD))
        apply_s, _ = _timed(lambda: packages.apply_merge(plan, prefer="village"))
        row(f"merge of {back.changes:,} changes (preview + apply)", f"{plan_s:.2f} + {apply_s:.2f} s")
        close_database()

        _demo(folder / "town.sqlite", args.township)
        sizes = _village_sizes()

        def hand_out_all() -> int:
            for village, _ in sizes:
                packages.create_package([village], YEAR, folder / f"{village}.ledgerpack", password=PASSWORD)
            return len(sizes)

        seconds, count = _timed(hand_out_all)
        row(f"{args.township:,}-person township, {count} villages handed out", f"{seconds:.2f} s")
        close_database()


if __name__ == "__main__":
    main()
