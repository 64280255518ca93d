"""``enrollment-ledger``: the ledger from the command line; with no sub-command, the window.

Exit status: 0 when the work was done; 1 when it could not be done (the reason on stderr, the
ledger unchanged); 2 on a usage error (argparse's own convention).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop_app import __version__
from desktop_app.services import audit
from desktop_app.services.ledger import ServiceError
from desktop_app.store.db import LedgerOpenError, close_database, open_database
from desktop_app.store.migrations import LedgerTooNewError
from desktop_app.store.paths import default_ledger_path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

#: Errors that mean "the work could not be done"; anything else is a bug and shows a traceback.
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (
    ServiceError,
    LedgerOpenError,
    LedgerTooNewError,
)

Handler = Callable[[argparse.Namespace], int]


def _ledger_path(args: argparse.Namespace) -> Path:
    return Path(args.db).expanduser() if args.db else default_ledger_path()


def _cmd_init(args: argparse.Namespace) -> int:
    from desktop_app.services.ledger import init_ledger, summary

    path = _ledger_path(args)
    created = init_ledger(path, args.township, args.township_code)
    info = summary()
    what = "created an empty ledger" if created else "ledger already existed"
    town = f"{info.township_name} {info.township_code}".strip() or "(township not set yet)"
    print(f"{what}: {path} — township: {town}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from desktop_app.services.demo import DemoOptions, generate_demo

    path = _ledger_path(args)
    open_database(path)
    result = generate_demo(DemoOptions(persons=args.persons, seed=args.seed, year=args.year))
    print(
        f"demo: {result.persons} persons in {result.households} households, "
        f"{result.villages} villages, year {result.year} "
        f"({result.seconds:.1f} s, {result.persons / max(result.seconds, 1e-9):,.0f} persons/s) -> {path}"
    )
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from desktop_app.services.ledger import check_file

    path = _ledger_path(args)
    report = check_file(path)
    if not report.ok:
        print(f"check: {path} has problems:", file=sys.stderr)
        for problem in report.problems[:50]:
            print(f"  - {problem}", file=sys.stderr)
        if len(report.problems) > 50:
            print(f"  … and {len(report.problems) - 50} more", file=sys.stderr)
        return EXIT_FAILED
    print(f"check: {path} is healthy (integrity ok, foreign keys ok, schema v{report.schema_version})")
    return EXIT_OK


def _not_yet(name: str) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        print(f"{name}: not yet available in this version (该功能尚未提供)", file=sys.stderr)
        return EXIT_FAILED

    return handler


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="enrollment-ledger",
        description=(
            "参保台账 — the township ledger of subsidised enrollment in resident medical "
            "insurance. With no command, opens the window."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=f"the ledger file to work on (default: {default_ledger_path()})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser(
        "init",
        help="create an empty ledger (or set the township of an existing one)",
        description="Create an empty ledger file. The township name and code are optional "
        "and can be set later by running init again with them.",
    )
    p.add_argument("--township", metavar="NAME", help="township name, e.g. 青山镇")
    p.add_argument("--township-code", metavar="CODE", help="9-digit township code (统计用区划代码)")
    p.set_defaults(handler=_cmd_init)

    p = commands.add_parser(
        "demo",
        help="fill the ledger with a made-up township to try the program",
        description="Fill the ledger with a realistic made-up township: villages, households, "
        "persons with valid ID numbers, categories, enrollments and payments. For trying the "
        "program, training and tests; never use it on a real ledger.",
    )
    p.add_argument("--persons", type=int, default=2000, metavar="N", help="how many persons (default 2000)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same township")
    p.add_argument("--year", type=int, default=None, help="enrollment year (default: newest shipped policy)")
    p.set_defaults(handler=_cmd_demo)

    p = commands.add_parser(
        "check",
        help="check that the ledger file is healthy",
        description="Run SQLite's integrity and foreign-key checks on the ledger file and report "
        "any damage. Changes nothing. Exit status 1 when a problem is found.",
    )
    p.set_defaults(handler=_cmd_check)

    for name, text in (
        ("import", "read a roster, category list or payment file from the county"),
        ("export", "write a roster or summary workbook for the county"),
        ("policy", "load or show a year's contribution and subsidy policy"),
        ("backup", "write a backup copy of the ledger"),
        ("restore", "replace the ledger with a backup copy"),
    ):
        p = commands.add_parser(name, help=f"{text} (not yet available)", description=text)
        p.set_defaults(handler=_not_yet(name))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    audit.set_current_operator(_os_user())
    if args.command is None:
        from desktop_app.ui.app import run_gui

        return run_gui(_ledger_path(args) if args.db else None)
    try:
        return args.handler(args)
    except EXPECTED_ERRORS as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        close_database()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some service accounts
        return ""
