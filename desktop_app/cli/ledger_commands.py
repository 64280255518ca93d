"""``init``, ``demo`` and ``check``: the ledger file itself."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from desktop_app.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_command,
    ledger_path,
    open_for_reading,
    open_ledger,
    year_arg,
)
from desktop_app.services.charges import verify
from desktop_app.services.ledger import check_file, init_ledger, summary
from desktop_app.store.models import db
from desktop_app.store.postgres import display_name


def _cmd_init(args: argparse.Namespace) -> int:
    path = ledger_path(args)
    created = init_ledger(path, args.township, args.township_code)
    info = summary()
    what = "created an empty ledger" if created else "ledger already existed"
    town = f"{info.township_name} {info.township_code}".strip() or "(township not set yet)"
    print(f"{what}: {path} — township: {town}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    # lazy: the demo generator and its name lists load only for demo (start-up time)
    from desktop_app.services.demo import DemoOptions, generate_demo

    if args.townships:
        return _demo_county(args)
    path = open_ledger(args)
    result = generate_demo(DemoOptions(persons=args.persons, seed=args.seed, year=args.year))
    print(
        f"demo: {result.persons} persons in {result.households} households, "
        f"{result.villages} villages, year {result.year} "
        f"({result.seconds:.1f} s, {result.persons / max(result.seconds, 1e-9):,.0f} persons/s) -> {path}"
    )
    return EXIT_OK


def _demo_county(args: argparse.Namespace) -> int:
    # lazy: the demo generator and db copy load only for demo --townships (start-up time)
    from desktop_app.services.demo_county import generate_demo_county

    target = ledger_path(args)
    for result in generate_demo_county(str(target), args.townships, persons=args.persons, seed=args.seed,
                                       year=args.year):
        print(f"demo: {result.township_name} {result.township_code}: {result.figures.persons} persons "
              f"copied in ({result.seconds:.1f} s)")
    print(f"demo: {args.townships} townships -> {display_name(str(target))}")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    path = ledger_path(args)
    report = check_file(path)
    if not report.ok:
        print(f"check: {path} has problems:", file=sys.stderr)
        for problem in report.problems[:50]:
            print(f"  - {problem}", file=sys.stderr)
        if len(report.problems) > 50:
            print(f"  … and {len(report.problems) - 50} more", file=sys.stderr)
        return EXIT_FAILED
    print(f"check: {path} is healthy (integrity ok, foreign keys ok, schema v{report.schema_version}, "
          "every person enrolled in each loaded year they belong to)")
    if args.charges:
        return _check_charges(path, args.year)
    return EXIT_OK


def _check_charges(path: Path, year: int | None) -> int:
    open_for_reading(path)  # compares only, writes nothing
    started = time.perf_counter()
    rows = db_count("SELECT COUNT(*) FROM enrollment" + (" WHERE year = ?" if year else ""), year)
    differences = verify([year] if year else None)
    seconds = time.perf_counter() - started
    if differences:
        print(f"check --charges: {len(differences)} stored values differ from the rules:", file=sys.stderr)
        for d in differences[:50]:
            print(
                f"  - {d.year} enrollment {d.enrollment_id} (person {d.person_id}): "
                f"{d.field} stored {d.stored!r}, rules give {d.computed!r}",
                file=sys.stderr,
            )
        return EXIT_FAILED
    print(f"check --charges: {rows:,} enrollments recomputed in {seconds:.2f} s, no difference")
    return EXIT_OK


def db_count(sql: str, *params: object) -> int:
    return int(db.execute_sql(sql, tuple(p for p in params if p is not None)).fetchone()[0])


def register(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands, "init", _cmd_init,
        help="create an empty ledger (or set the township of an existing one)",
        description="Create an empty ledger file. The township name and code are optional "
        "and can be set later by running init again with them.",
    )
    p.add_argument("--township", metavar="NAME", help="township name, e.g. 青山镇")
    p.add_argument("--township-code", metavar="CODE", help="9-digit township code (统计用区划代码)")

    p = add_command(
        commands, "demo", _cmd_demo,
        help="fill the ledger with a made-up township to try the program",
        description="Fill the ledger with a realistic made-up township: villages, households, "
        "persons with valid ID numbers, categories, enrollments and payments. For trying the "
        "program, training and tests; never use it on a real ledger.",
    )
    p.add_argument("--persons", type=int, default=2000, metavar="N", help="how many persons (default 2000)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same township")
    p.add_argument("--year", type=year_arg, default=None, help="enrollment year (default: newest shipped policy)")
    p.add_argument("--townships", type=int, default=0, metavar="N",
                   help="a demo county on a server database (--db postgresql://…): N townships of --persons "
                        "each, every one with its own codes, brought in by db copy")

    p = add_command(
        commands, "check", _cmd_check,
        help="check that the ledger file is healthy",
        description="Run SQLite's integrity and foreign-key checks on the ledger file and report "
        "any damage, and any person missing an enrollment for a loaded year they belong to. With --charges, also recompute every stored charge from the policy, "
        "categories and payments and report any difference. Changes nothing. Exit status 1 when "
        "a problem is found.",
    )
    p.add_argument("--charges", action="store_true", help="also recompute and compare every charge")
    p.add_argument("--year", type=year_arg, help="with --charges: only this year")
