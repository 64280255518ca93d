"""``db copy``: a township's ledger into the county's database, or a township back out as a file.

``--from`` and ``--to`` each name a ledger file or a ``postgresql://USER@HOST[:PORT]/DBNAME``
server database (password from ``PGPASSWORD`` or ``.pgpass``, never on the command line); the
global ``--db`` is not used. What is copied, refused and checked: :mod:`services.db_copy`.
"""

from __future__ import annotations

import argparse

from desktop_app.cli.common import EXIT_OK, add_action, add_command
from desktop_app.domain.money import format_yuan
from desktop_app.services.db_copy import copy_township, where


def _cmd_copy(args: argparse.Namespace) -> int:
    result = copy_township(args.source, args.target, args.township, replace=args.replace, force=args.force)
    f = result.figures
    counts = (f"{f.households}户 {f.persons}人 参保登记{f.enrollments}条 缴费{f.payments}笔"
              f"（应缴{format_yuan(f.due_fen)}元，已缴{format_yuan(f.paid_fen)}元）")
    town = f"{result.township_name}（{result.township_code}）"
    if result.already_there:
        print(f"“{where(args.target)}”里已经有{town}，内容完全相同：{counts}；没有写入。")
        return EXIT_OK
    extra = "".join((
        f"，新增{result.policies_added}个年度政策" if result.policies_added else "",
        f"，新增{result.operators_added}个操作员（未启用）" if result.operators_added else "",
    ))
    if result.replaced is not None:
        gone = result.replaced
        dropped = f"，丢弃了服务器上登记的{result.payments_dropped}笔缴费（已记入操作日志）" if result.payments_dropped else ""
        print(f"已删除“{where(args.target)}”里原来的{town}：{gone.get('household', 0)}户 {gone.get('person', 0)}人 "
              f"缴费{gone.get('payment', 0)}笔{dropped}。")
    print(f"已把{town}从“{where(args.source)}”迁到“{where(args.target)}”：{counts}{extra}；"
          f"人数、户数和金额已核对一致（{result.seconds:.1f} 秒）。")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands, "db", _cmd_db,
        help="move a township's ledger between a file and a county database",
        description="Work on whole ledgers: copy a township's ledger file into the county's "
        "PostgreSQL database, or a township out of it as a file for offline work.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = add_action(actions, "copy", help="copy one township from one ledger into another", description=(
        "Copy a township (its villages, households, persons, categories, enrollments and payments, "
        "and the policy years it needs) from --from into --to. Into a county database several "
        "townships sit side by side, keyed by township code; a township already there and "
        "identical is left as it is, a different one is refused (--replace: replaced by this one). A person, household number or "
        "payment that the target holds under another township is refused with the numbers "
        "listed; nothing is written then. Out of a county database: --township CODE, and --to a "
        "new file. The source's audit chain is verified first; counts and charges are verified "
        "after the copy, which writes one audit entry on the target."))
    q.add_argument("--from", dest="source", required=True, metavar="LEDGER",
                   help="the ledger file or postgresql:// database to copy from")
    q.add_argument("--to", dest="target", required=True, metavar="LEDGER",
                   help="a postgresql:// database, or a new ledger file")
    q.add_argument("--township", metavar="CODE", help="the township's 9-digit code (needed when --from holds several)")
    q.add_argument("--replace", action="store_true",
                   help="--to already holds a different version of the township: delete it and copy this one in "
                        "its place, in one transaction (refused if payments recorded on the server would be lost)")
    q.add_argument("--force", action="store_true",
                   help="with --replace: drop the payments recorded on the server that --from lacks (each is "
                        "written to the audit trail)")


def _cmd_db(args: argparse.Namespace) -> int:
    return _cmd_copy(args)
