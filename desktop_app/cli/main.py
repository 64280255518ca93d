"""``enrollment-ledger``: the ledger from the command line; with no sub-command, the window.

Exit status: 0 when the work was done; 1 when it could not be done (the reason on stderr, the
ledger unchanged); 2 on a usage error (argparse's own convention).
"""

from __future__ import annotations

import argparse
import getpass
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop_app import __version__
from desktop_app.domain.policy import PolicyError
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
    PolicyError,
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
    if args.charges:
        return _check_charges(path, args.year)
    return EXIT_OK


def _check_charges(path: Path, year: int | None) -> int:
    import time

    from desktop_app.services.charges import verify

    open_database(path)
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


def _pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where a Chinese character takes two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - shown)


def db_count(sql: str, *params: object) -> int:
    from desktop_app.store.models import db

    return int(db.execute_sql(sql, tuple(p for p in params if p is not None)).fetchone()[0])


def _cmd_policy(args: argparse.Namespace) -> int:
    from desktop_app.domain.money import format_yuan
    from desktop_app.services import policy as policy_service

    path = _ledger_path(args)
    if args.action == "load":
        open_database(path)
        result = policy_service.load_policy(Path(args.file))
        policy = policy_service.policy_for_year(result.year)
        assert policy is not None
        print(
            f"policy {result.year} {'replaced' if result.replaced else 'loaded'}: standard "
            f"{format_yuan(policy.standard_fen)} yuan, {len(policy.categories)} categories; "
            f"{result.enrollments_created} enrollments created, {result.enrollments_changed} recomputed"
        )
        return EXIT_OK
    open_database(path, create=False)
    years = policy_service.policy_years()
    if args.year is None:
        print("policy years in this ledger: " + (", ".join(map(str, years)) or "none"))
        return EXIT_OK
    policy = policy_service.policy_for_year(args.year)
    if policy is None:
        raise ServiceError(f"{args.year}年度还没有载入政策（已有：{'、'.join(map(str, years)) or '无'}）")
    print(f"# {policy.year}年度政策  个人缴费标准 {format_yuan(policy.standard_fen)}元  "
          f"集中征缴期 {policy.collection_start:%Y-%m-%d} 至 {policy.collection_end:%Y-%m-%d}")
    print(f"{_pad('类别', 28)}{_pad('资助规则', 20)}{'资助金额':>8}{'个人应缴':>8}  征缴方式")
    for _code, name, words, charge in policy_service.charge_table(policy):
        print(f"{_pad(name, 28)}{_pad(words, 20)}{format_yuan(charge.subsidy_fen):>12}"
              f"{format_yuan(charge.due_fen):>12}  {charge.mode.chinese}")
    if args.toml:
        print()
        print(policy_service.policy_source(policy.year))
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
        "any damage. With --charges, also recompute every stored charge from the policy, "
        "categories and payments and report any difference. Changes nothing. Exit status 1 when "
        "a problem is found.",
    )
    p.add_argument("--charges", action="store_true", help="also recompute and compare every charge")
    p.add_argument("--year", type=int, help="with --charges: only this year")
    p.set_defaults(handler=_cmd_check)

    p = commands.add_parser(
        "policy",
        help="load or show a year's contribution and subsidy policy",
        description="A year's policy (standard contribution, collection period, subsidy per "
        "category, waiting periods) comes from a TOML file; shipped defaults are in "
        "resources/policies. Loading a year replaces only that year and recomputes its charges.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = actions.add_parser("load", help="check a policy file and store its year", description=(
        "Check FILE.toml and store its year's policy, then make and recompute that year's "
        "enrollments, in one transaction. A file with a mistake is refused with its line number "
        "and the ledger is unchanged."))
    q.add_argument("file", metavar="FILE.toml")
    q = actions.add_parser("show", help="print a stored year's policy", description=(
        "Print a stored year's standard, collection period and each category's subsidy beside "
        "what it leaves to pay. Without --year, list the stored years."))
    q.add_argument("--year", type=int)
    q.add_argument("--toml", action="store_true", help="also print the policy file as stored")
    p.set_defaults(handler=_cmd_policy)

    for name, text in (
        ("import", "read a roster, category list or payment file from the county"),
        ("export", "write a roster or summary workbook for the county"),
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
