"""``backup`` and ``restore``: copies of the ledger, on this computer or on a USB stick.

Passwords never go on the command line (other users can read it in the process list, and it
stays in the shell's history): ``--password`` asks for it on the terminal, or takes it from the
environment variable ``ENROLLMENT_LEDGER_BACKUP_PASSWORD`` for scripts; ``--password-file FILE``
reads it from the first line of a file (``-`` for standard input).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.cli.common import EXIT_OK, EXIT_USAGE, add_command, ledger_path
from desktop_app.services.backup_format import BackupError, check_password_strength, is_encrypted
from desktop_app.store.db import LedgerOpenError, open_database
from desktop_app.store.lock import LedgerLockError
from desktop_app.store.postgres import is_server_url

if TYPE_CHECKING:
    from desktop_app.services.backup import BackupResult

PASSWORD_ENV = "ENROLLMENT_LEDGER_BACKUP_PASSWORD"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.0f} kB"


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise BackupError(
            f"需要密码，但这里没有可以输入密码的终端：请用 --password-file 文件，"
            f"或设置环境变量 {PASSWORD_ENV}"
        )
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        raise BackupError("没有输入密码，已取消（台账没有改动）") from None


def _read_password_file(name: str) -> str:
    try:
        text = sys.stdin.readline() if name == "-" else Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"读不出密码文件“{name}”：{exc}") from exc
    password = text.splitlines()[0] if text.splitlines() else ""
    if not password:
        raise BackupError(f"密码文件“{name}”的第一行是空的")
    return password


def _password(args: argparse.Namespace, *, confirm: bool) -> str | None:
    """The password the options ask for, or None when none was asked for."""
    if args.password_file:
        return _read_password_file(args.password_file)
    if not args.password:
        return None
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    first = _ask("备份密码：")
    if confirm:
        check_password_strength(first)
        if _ask("再输入一次密码：") != first:
            raise BackupError("两次输入的密码不一样，备份没有做")
    return first


def _cmd_backup(args: argparse.Namespace) -> int:
    # lazy: the backup service loads only when a backup command runs (start-up time)
    from desktop_app.services import backup

    path = ledger_path(args)
    if args.to and not (args.password or args.password_file or args.no_password):
        print(
            "backup: 备份到其他位置（如U盘）时请加 --password 设密码加密"
            "（U盘丢了，别人也看不到身份证号）；"
            "确实不要加密时请明确加 --no-password",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not is_server_url(path) and not path.is_file():
        raise BackupError(f"台账文件“{path}”不存在，没有可备份的")
    if args.keep is not None:
        open_database(path, create=False)  # the only part that writes: the setting, audited
        backup.set_keep_count(args.keep)
        print(f"backup: 以后每种自动备份保留最新的{args.keep}份")
    if args.list:
        return _list(path)
    password = _password(args, confirm=True)
    folder = Path(args.to).expanduser() if args.to else None
    # read-only: works while the window has the ledger open (the copy holds what is committed)
    result = backup.create_backup("manual", ledger=path, folder=folder, password=password)
    state = "已加密" if result.encrypted else "未加密"
    print(f"backup: {result.path} ({_size(result.size)}, {state}, {result.seconds:.1f} s)")
    if result.removed:
        print(f"backup: 按保留份数删除了{len(result.removed)}份较早的手动备份")
    if result.encrypted:
        print("backup: 请记住密码：忘了密码，这份备份谁也打不开")
    else:
        print(f"backup: 校验值（SHA-256）写在 {backup.digest_path(result.path).name}，恢复时先核对它")
    _record(result, path)
    return EXIT_OK


def _record(result: BackupResult, path: Path) -> None:
    """Write the copy into the ledger's 操作日志; say so when the ledger cannot be opened for it."""
    # lazy: the backup service loads only when a backup command runs (start-up time)
    from desktop_app.services import backup

    if result.audited:
        return
    try:  # the copy was made read-only; only the audit entry needs the ledger open for writing
        open_database(path, create=False, program="backup")
        if backup.record_backup(result, path):
            return
        reason = "写入失败"
    except (LedgerOpenError, LedgerLockError) as exc:
        reason = str(exc)
    print(f"backup: 备份已做好，但没能记入台账的操作记录：{reason}", file=sys.stderr)


def _list(path: Path) -> int:
    # lazy: the backup service loads only when a backup command runs (start-up time)
    from desktop_app.services import backup

    found = backup.list_backups(path)
    if not found:
        print(f"backup: {backup.backup_dir()} 里还没有这个台账的备份")
        return EXIT_OK
    print(f"backups of {path} in {backup.backup_dir()} (newest first):")
    for info in found:
        lock = " 加密" if info.encrypted else ""
        print(f"  {info.made_at:%Y-%m-%d %H:%M:%S}  {info.reason:<16} {_size(info.size):>9}{lock}  "
              f"{info.path.name}")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    # lazy: the restore service loads only when restore runs (start-up time)
    from desktop_app.services.backup_restore import restore

    path = ledger_path(args)
    source = Path(args.file).expanduser()
    if not source.is_file():
        raise BackupError(f"备份文件“{source}”不存在")
    password = _password(args, confirm=False)
    if password is None and is_encrypted(source):
        if not sys.stdin.isatty():
            raise BackupError(
                "这个备份文件是加密的：请加 --password（输入密码）或 --password-file 文件")
        password = _ask("这个备份是加密的，请输入备份密码：")
    result = restore(source, path, password)
    facts = result.facts
    town = facts.township or "（未设乡镇）"
    years = "、".join(map(str, facts.years)) or "无"
    print(f"restore: {path} 已换成备份 {source.name}：{town}，{facts.persons:,}人，"
          f"{facts.households:,}户，年度 {years}，最后修改于 {facts.last_change or '未知'}")
    if result.previous_kept is not None:
        print(f"restore: 换下来的台账保存在 {result.previous_kept}")
    print(f"restore: 备份文件的 SHA-256：{facts.sha256}"
          + ("（已记入台账的操作记录）" if result.audited else ""))
    for warning in result.warnings:
        print(f"restore: 注意：{warning}", file=sys.stderr)
    open_database(path, create=False)  # an older schema is upgraded now, with its own backup
    return EXIT_OK


def _password_options(p: argparse.ArgumentParser, *, backup: bool) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--password", action="store_true",
        help=("encrypt the copy with a password, asked for twice on the terminal "
              if backup else "the backup is encrypted: ask for its password on the terminal ")
        + f"(or taken from the environment variable {PASSWORD_ENV}); never typed on the "
        "command line",
    )
    group.add_argument(
        "--password-file", metavar="FILE",
        help="read the password from the first line of FILE ('-' for standard input), for scripts",
    )
    if backup:
        group.add_argument(
            "--no-password", action="store_true",
            help="with --to: write the copy unencrypted (anyone holding the stick can read "
            "every ID number in it)",
        )


def register(commands: argparse._SubParsersAction) -> None:
    p = add_command(
        commands, "backup", _cmd_backup,
        help="make a copy of the ledger (rotated in the data folder, or encrypted to a USB stick)",
        description="Make a consistent copy of the ledger while it may be in use. Without --to "
        "the copy goes to the backups folder in your data folder, where the newest copies of "
        "each kind are kept (30 unless --keep says otherwise) and older ones deleted; the program "
        "also makes one there every day and before each import, policy load and restore. With "
        "--to FOLDER (a USB stick) the copy is written there, encrypted with a password (AES-256, "
        "the key made from the password with scrypt); --no-password must be given to write it "
        "unencrypted. Exit status 1 when no copy could be made (the ledger is never changed).",
    )
    p.add_argument("--to", metavar="FOLDER", help="write the copy into FOLDER, e.g. a USB stick")
    _password_options(p, backup=True)
    p.add_argument("--keep", type=int, metavar="N",
                   help="from now on keep the newest N automatic copies of each kind (stored in "
                   "the ledger)")
    p.add_argument("--list", action="store_true",
                   help="list this ledger's copies in the backups folder instead of making one")

    p = add_command(
        commands, "restore", _cmd_restore,
        help="replace the ledger with a backup copy, after checking the copy",
        description="Replace the ledger with the backup FILE. The copy is checked completely "
        "first: the SHA-256 written beside a plain copy (FILE.sha256; a copy without one is "
        "restored with a warning), its password, that it is a whole, undamaged ledger, that it "
        "was not made by a newer version of the program, and that its whole schema (tables, "
        "indexes, checks, triggers, views) is exactly what this program makes; when a check "
        "fails nothing is replaced. The restore is recorded in the restored ledger's audit trail. The ledger "
        "being replaced is kept in the backups folder first. The ledger must not be open in the "
        "window or in another command. An encrypted copy asks for its password.",
    )
    p.add_argument("file", metavar="FILE", help="the backup file (.sqlite or .ledgerbackup)")
    _password_options(p, backup=False)
