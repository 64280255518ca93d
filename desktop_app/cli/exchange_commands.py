"""``import`` and ``export``: the county's Excel/CSV files in and out."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.common import EXIT_OK, add_command, open_ledger, terminal_progress, year_arg
from desktop_app.errors import ServiceError

SHOWN_ISSUES = 20


def _cmd_import(args: argparse.Namespace) -> int:
    # lazy: the import service and its readers load only when an import runs (start-up time)
    from desktop_app.services import importing

    open_ledger(args)
    plan = importing.plan(
        args.kind, Path(args.file), year=args.year, category=args.category, full_list=args.full_list
    )
    if plan.no_data_rows:
        raise ServiceError(plan.no_data_rows)  # nothing to import is not "0 accepted": exit 1
    for title, issues in (("rejected", plan.rejected), ("unmatched", plan.unmatched), ("warning", plan.warnings)):
        for issue in issues[:SHOWN_ISSUES]:
            print(f"  {title}: {issue}")
        if len(issues) > SHOWN_ISSUES:
            print(f"  … {len(issues) - SHOWN_ISSUES} more {title}")
    for change in ("新增", "变更", "取消"):
        named = [entry for entry in plan.list_changes if entry.change == change]
        for entry in named[:SHOWN_ISSUES]:
            print(f"  {change}: {entry.name} {entry.id_number} {entry.categories}")
        if len(named) > SHOWN_ISSUES:
            print(f"  … {len(named) - SHOWN_ISSUES} more {change} (every one: --errors OUT.xlsx)")
    if plan.sheets_without_header:
        print(f"  sheets without a recognisable header, not read: {'、'.join(plan.sheets_without_header)}")
    if args.errors and (plan.rejected or plan.unmatched or plan.list_changes):
        count = importing.write_rejects(plan, Path(args.errors))
        changes = f", and the {len(plan.list_changes)} 新增/变更/取消" if plan.list_changes else ""
        print(f"  {count} rejected and unmatched rows{changes} written to {args.errors}")
    if not args.dry_run:
        # lazy: the backup service loads only when an import writes (start-up time)
        from desktop_app.services.backup import backup_before

        importing.apply(plan, backup=backup_before)
    print(plan.summary_line() + (" (dry run: nothing written)" if args.dry_run else ""))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    # lazy: the export service loads only when an export runs (start-up time)
    from desktop_app.services import exports, importing

    open_ledger(args, read_only=True)  # an export only reads
    year = args.year or importing.default_year()
    result = exports.export(args.kind, Path(args.out), year, village_name=args.village, mask=args.mask,
                            progress=terminal_progress("行"))
    print(result.summary_line())
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands, "import", _cmd_import,
        help="read a roster, category list or payment file from the county",
        description=(
            "Read an Excel (.xlsx, .xls, .ods) or CSV file from the county. KIND is roster "
            "(households and persons: new ones added, known ID numbers updated, nothing deleted), "
            "categories (a civil-affairs or rural-revitalisation list: sets each listed person's "
            "category for the year) or payments (the tax bureau's payment feedback). The header row "
            "is found by itself. Every row is checked first; all accepted rows are written in one "
            "transaction, or none. Refused rows are listed with their sheet, row and reason."
        ),
    )
    p.add_argument("kind", choices=["roster", "categories", "payments"], metavar="KIND",
                   help="roster, categories or payments")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--year", type=year_arg, help="enrollment year (default: the newest policy year in the ledger)")
    p.add_argument("--dry-run", action="store_true", help="check and report only; write nothing")
    p.add_argument("--errors", metavar="OUT.xlsx",
                   help="write the rejected and unmatched rows with their reasons, to fix and re-import")
    p.add_argument("--category", metavar="NAME",
                   help="categories: the whole file is this category (e.g. 低保) when it has no category column")
    p.add_argument("--full-list", action="store_true",
                   help="categories: the file is the full list of its categories; end them for persons not in it")

    p = add_command(
        commands, "export", _cmd_export,
        help="write a roster or summary workbook for the county",
        description=(
            "Write one of the county's tables as an .xlsx workbook, with the column headers fixed "
            "by the county's format: roster (参保台账, everyone), subsidised (资助参保人员名单), "
            "summary (参保情况汇总表, one row per village and 合计), unpaid (未缴费人员清单, with "
            "household head and phone) or newborns (新生儿参保台账, with the 90-day deadline)."
        ),
    )
    p.add_argument("kind", choices=["roster", "subsidised", "summary", "unpaid", "newborns"], metavar="KIND",
                   help="roster, subsidised, summary, unpaid or newborns")
    p.add_argument("out", metavar="OUT.xlsx")
    p.add_argument("--year", type=year_arg, help="enrollment year (default: the newest policy year)")
    p.add_argument("--village", metavar="NAME", help="only this village (村/社区)")
    p.add_argument("--mask", action="store_true",
                   help="for sharing outside the office: every ID number and mobile in any cell (户编号 and "
                        "备注 too) keeps only its ends, dates keep only the year, a newborn's deadline is hidden")
