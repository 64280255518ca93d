"""``policy load`` and ``policy show``: a year's contribution and subsidy policy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, add_command, open_ledger, pad, year_arg
from desktop_app.domain.money import format_yuan
from desktop_app.errors import ServiceError


def _cmd_policy(args: argparse.Namespace) -> int:
    # lazy: the policy services (and the backup a load makes) load only for policy (start-up time)
    from desktop_app.services import policy as policy_service
    from desktop_app.services.policy_load import load_policy

    if args.action == "load":
        open_ledger(args)
        result = load_policy(Path(args.file))
        policy = policy_service.policy_for_year(result.year)
        assert policy is not None
        print(
            f"policy {result.year} {'replaced' if result.replaced else 'loaded'}: standard "
            f"{format_yuan(policy.standard_fen)} yuan, {len(policy.categories)} categories; "
            f"{result.enrollments_created} enrollments created, {result.enrollments_changed} recomputed"
        )
        for warning in result.warnings:
            print(f"policy load: 注意：{warning}", file=sys.stderr)
        return EXIT_OK
    open_ledger(args, read_only=True)  # show only reads
    years = policy_service.policy_years()
    if args.year is None:
        print("policy years in this ledger: " + (", ".join(map(str, years)) or "none"))
        return EXIT_OK
    policy = policy_service.policy_for_year(args.year)
    if policy is None:
        raise ServiceError(f"{args.year}年度还没有载入政策（已有：{'、'.join(map(str, years)) or '无'}）")
    print(f"# {policy.year}年度政策  个人缴费标准 {format_yuan(policy.standard_fen)}元  "
          f"集中征缴期 {policy.collection_start:%Y-%m-%d} 至 {policy.collection_end:%Y-%m-%d}")
    print(f"{pad('类别', 28)}{pad('资助规则', 20)}{'资助金额':>8}{'个人应缴':>8}  征缴方式")
    for _code, name, words, charge in policy_service.charge_table(policy):
        print(f"{pad(name, 28)}{pad(words, 20)}{format_yuan(charge.subsidy_fen):>12}"
              f"{format_yuan(charge.due_fen):>12}  {charge.mode.chinese}")
    if args.toml:
        print()
        print(policy_service.policy_source(policy.year))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands, "policy", _cmd_policy,
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
    q.add_argument("--year", type=year_arg)
    q.add_argument("--toml", action="store_true", help="also print the policy file as stored")
