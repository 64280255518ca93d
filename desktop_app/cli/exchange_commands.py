"""``import`` and ``export``: the county's Excel/CSV files in and out."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli.common import (
    EXIT_OK,
    add_action,
    add_command,
    open_ledger,
    terminal_progress,
    year_arg,
)
from desktop_app.errors import ServiceError

SHOWN_ISSUES = 20


def _cmd_import(args: argparse.Namespace) -> int:
    # lazy: the import service and its readers load only when an import runs (start-up time)
    from desktop_app.services import importing

    open_ledger(args)
    plan = importing.plan(
        args.kind, Path(args.file), year=args.year, category=args.category, full_list=args.full_list,
        township=args.township,
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
    result = exports.export(args.kind, Path(args.out), year, village_name=args.village,
                            township_code=args.township, mask=args.mask, progress=terminal_progress("行"))
    print(result.summary_line())
    return EXIT_OK


#: The kinds an import reads, each with its own sub-command and options (``import KIND --help``).
IMPORT_KINDS = {
    "roster": (
        "花名册：户和人员 / a roster of households and persons",
        ("花名册：新的人加入，已有身份证号的更新，不删除任何人；可带资助类别、参保状态（及其备注）和已缴金额。 / "
         "Households and persons: new ones added, known ID numbers updated, nothing deleted; a roster may "
         "carry categories, recorded statuses (with 备注 as the reason) and payments."),
    ),
    "categories": (
        "资助身份名单（民政、乡村振兴等）/ a category list from civil affairs or rural revitalisation",
        ("资助身份名单：为名单里的每个人登记本年度的资助类别；--full-list 表示这是这些类别的全量名单，"
         "名单里没有的人取消该类别。 / Sets each listed person's category for the year; with --full-list the "
         "file is the whole list of its categories and persons absent from it lose them."),
    ),
    "payments": (
        "税务缴费信息回传 / the tax bureau's payment feedback",
        ("税务缴费信息回传：按身份证号登记缴费；与窗口相同的规则，不合常理的金额不登记，同一凭证号不重复登记。 / "
         "Records each row's payment by ID number, with the desk's rules: absurd amounts refused, a voucher "
         "already recorded skipped."),
    ),
}


def register(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands, "import", _cmd_import,
        help="导入县里的花名册、资助名单或缴费回传 / read a roster, category list or payment file from the county",
        description=(
            "读入县里的 Excel（.xlsx、.xls、.ods）或 CSV 文件，自动找表头。先逐行检查，再把所有通过的行一次写入，"
            "或者一行都不写；没通过的行列出工作表、行号和原因。每种文件的选项见 import KIND --help。 / "
            "Read an Excel (.xlsx, .xls, .ods) or CSV file from the county. The header row is found by "
            "itself. Every row is checked first; all accepted rows are written in one transaction, or "
            "none. Refused rows are listed with their sheet, row and reason. The columns each kind reads "
            "are in the README; each kind's options: import KIND --help."
        ),
    )
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, (help_text, description) in IMPORT_KINDS.items():
        q = add_action(kinds, kind, help=help_text, description=description)
        q.set_defaults(category=None, full_list=False)
        q.add_argument("file", metavar="FILE")
        q.add_argument("--year", type=year_arg,
                       help="年度，默认台账里最新的政策年度 / enrollment year (default: the newest policy year in the ledger)")
        q.add_argument("--dry-run", action="store_true", help="只检查和报告，什么都不写 / check and report only; write nothing")
        q.add_argument("--errors", metavar="OUT.xlsx",
                       help="把没通过和对不上的行连同原因写到这个文件，改好后可再导入 / write the rejected and "
                            "unmatched rows with their reasons, to fix and re-import")
        q.add_argument("--township", metavar="CODE",
                       help="县级数据库（几个乡镇在一起）导入花名册时必填：这是哪个乡镇的表（9位乡镇代码），"
                            "村只在这个乡镇里找和新建 / in a county database, the township a roster is of (its "
                            "9-digit code; required for a roster there): its villages are found and made in it only")
        if kind == "categories":
            q.add_argument("--category", metavar="NAME",
                           help="文件没有类别列时，整个文件都是这一类（如 低保）/ the whole file is this category "
                                "(e.g. 低保) when it has no category column")
            q.add_argument("--full-list", action="store_true",
                           help="这是这些类别的全量名单：名单里没有的人取消该类别 / the file is the full list of its "
                                "categories; end them for persons not in it")

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
    p.add_argument("--township", metavar="CODE",
                   help="县级数据库里只导出这个乡镇（9位乡镇代码）；不给时汇总表按乡镇分列并有全县合计，名单的乡镇(街道)列写每人所在乡镇 / "
                        "in a county database, only this township (its 9-digit code); without it the summary has a "
                        "乡镇 column, each township's 合计 and a 全县合计, and the person lists name each person's township")
    p.add_argument("--mask", action="store_true",
                   help="for sharing outside the office: every ID number and mobile in any cell (户编号 and "
                        "备注 too) keeps only its ends, dates keep only the year, a newborn's deadline is hidden")
