"""``package create|open|return|merge``: village work packages (issue 17) from the command line.

Passwords never go on the command line: they are asked on the terminal, or taken from the
environment variable ``ENROLLMENT_LEDGER_PACKAGE_PASSWORD``, or from the first line of
``--password-file FILE`` (``-``: standard input). ``package create`` without ``--password`` prints
a pairing code instead, which is the package's password (give it to the doctor on paper).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from desktop_app.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    add_action,
    add_command,
    ledger_path,
    year_arg,
)
from desktop_app.cli.passwords import read_password
from desktop_app.services import packages
from desktop_app.services.packages.model import PackageError
from desktop_app.store.db import open_database

PASSWORD_ENV = "ENROLLMENT_LEDGER_PACKAGE_PASSWORD"


def _password(args: argparse.Namespace, prompt: str, *, confirm: bool = False) -> str:
    return read_password(args, prompt, need="需要密码（配对码）", env=PASSWORD_ENV, error=PackageError,
                         again="再输入一次：" if confirm else None, mismatch="两次输入的密码不一样，没有做")


def _open_and_ask(args: argparse.Namespace, prompt: str, *, confirm: bool = False) -> str:
    """Open the ledger at --db (it must exist), then ask for the password: the order every
    package command but ``open`` follows, so a wrong --db fails before a password is typed."""
    open_database(ledger_path(args), create=False)
    return _password(args, prompt, confirm=confirm)


def _cmd_create(args: argparse.Namespace) -> int:
    open_database(ledger_path(args), create=False)
    password = _password(args, "工作包密码：", confirm=True) if (args.password or args.password_file) else None
    receipt = packages.create_package(args.village, args.year, Path(args.to).expanduser(), password=password)
    print(receipt.summary())
    print(f"package: {receipt.path}（编号 {receipt.package_id[:8]}，基于{receipt.base.cut_at:%Y-%m-%d %H:%M}的台账）")
    if receipt.pairing_code:
        print(f"package: 配对码 {receipt.pairing_code}  （抄给村医：打开工作包时要输入它；程序不保存它）")
    return EXIT_OK


def _cmd_open(args: argparse.Namespace) -> int:
    target = ledger_path(args)
    password = _password(args, "工作包的密码或配对码：")
    info = packages.open_package(Path(args.file).expanduser(), password, target)
    print(f"package: {info.banner()}")
    print(f"package: 工作副本在 {target}（用 --db {target} 打开它）")
    return EXIT_OK


def _cmd_return(args: argparse.Namespace) -> int:
    password = _open_and_ask(args, "交回文件的密码（可用工作包的配对码）：", confirm=True)
    receipt = packages.write_return(Path(args.to).expanduser(), password=password)
    print(receipt.summary())
    print(f"package: {receipt.path}")
    return EXIT_OK


def _cmd_refresh(args: argparse.Namespace) -> int:
    password = _open_and_ask(args, "新工作包的密码或配对码：")
    info = packages.refresh_work_copy(Path(args.file).expanduser(), password)
    print(f"package: {info.banner()}（换用了新的工作包，村里还没交回的修改都保留着）")
    return EXIT_OK


def _cmd_merge(args: argparse.Namespace) -> int:
    password = _open_and_ask(args, "交回文件的密码或配对码：")
    plan = packages.plan_merge(Path(args.file).expanduser(), password)
    print(plan.summary())
    if plan.already_merged:
        return EXIT_OK
    print(f"package: {'、'.join(plan.villages)} {plan.year}年度，村里交回人：{plan.operator or '未登录'}，"
          f"写于{plan.returned_at:%Y-%m-%d %H:%M}")
    for conflict in plan.conflicts:
        print(f"  冲突 {conflict.id}: {conflict.words}")
    if args.dry_run:
        print("merge: --dry-run，台账没有改动")
        return EXIT_FAILED if plan.conflicts and not args.prefer else EXIT_OK
    if plan.conflicts and not args.prefer:
        print(f"merge: 有{len(plan.conflicts)}处冲突，没有合并：加 --prefer township（用乡镇的）"
              "或 --prefer village（用村里的），或在窗口里逐条选择", file=sys.stderr)
        return EXIT_FAILED
    receipt = packages.apply_merge(plan, prefer=args.prefer)
    print(receipt.summary())
    return EXIT_OK


def _password_file(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password-file", metavar="FILE",
                   help=f"read the password or pairing code from the first line of FILE ('-' for standard input); "
                   f"otherwise it is asked on the terminal or taken from {PASSWORD_ENV}")


def _package_action(actions: argparse._SubParsersAction, name: str, handler: Callable[[argparse.Namespace], int],
                    **words: str) -> argparse.ArgumentParser:
    """A ``package`` action: every one reads a password (``--password-file``) and runs ``handler``."""
    action = add_action(actions, name, **words)
    _password_file(action)
    action.set_defaults(action_handler=handler)
    return action


def register(commands: argparse._SubParsersAction) -> None:
    p = add_command(commands, "package", lambda a: a.action_handler(a),
                    help="village work packages: hand villages out, open them on a village laptop, return, merge",
                    description="Village work packages (村级工作包): the township hands out villages for a year; "
                    "the village laptop works in a local work copy and returns what changed; the township merges it.")
    actions = p.add_subparsers(dest="package_action", metavar="ACTION", required=True)
    c = _package_action(actions, "create", _cmd_create, help="cut a package of villages for a year (administrator)",
                        description="Write the villages' households, persons, payments and the year's policy to one "
                        "encrypted file. Without --password a pairing code is printed: it is the password.")
    c.add_argument("--village", action="append", required=True, metavar="V", help="a village (repeat for more)")
    c.add_argument("--year", type=year_arg, required=True)
    c.add_argument("--to", required=True, metavar="FILE", help="the package file, e.g. 东山村-2026.ledgerpack")
    c.add_argument("--password", action="store_true", help="ask for a password (twice) instead of a pairing code")
    o = _package_action(actions, "open", _cmd_open, help="open a package as a new work copy at --db",
                        description="Make a new work copy ledger at --db from the package (the file must not exist).")
    o.add_argument("file", metavar="FILE")
    r = _package_action(actions, "return", _cmd_return, help="write what changed in this work copy to a return file",
                        description="Write every change made in this work copy since its package was cut, with who "
                        "and when, and the work copy's audit trail, encrypted.")
    r.add_argument("--to", required=True, metavar="FILE")
    f = _package_action(actions, "refresh", _cmd_refresh, help="take a newer package of the same villages into this work copy",
                        description="Replace the work copy's rows by a newer package of the same villages and year, "
                        "keeping every change made here that is not yet returned.")
    f.add_argument("file", metavar="FILE")
    m = _package_action(actions, "merge", _cmd_merge, help="merge a village's return file (administrator)",
                        description="Preview a return file and merge it in one transaction. Exit 1 when conflicts are "
                        "left unresolved (no --prefer).")
    m.add_argument("file", metavar="FILE")
    m.add_argument("--dry-run", action="store_true", help="only show what would be merged")
    m.add_argument("--prefer", choices=("township", "village"), help="how every conflict is settled")
