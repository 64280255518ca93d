"""``enrollment-ledger``: the ledger from the command line; with no sub-command, the window.

Exit status: 0 when the work was done; 1 when it could not be done (the reason on stderr, the
ledger unchanged); 2 on a usage error (argparse's own convention); 130 after Ctrl-C and 143
after SIGTERM (one line on stderr saying whether the ledger was changed; see ``interrupts``).

Each group of commands lives in its own module with a ``register(commands)`` function.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop_app import __version__, pathnames, scratch, this_computer
from desktop_app.cli import (
    backpay_commands,
    backup_commands,
    db_commands,
    desk_commands,
    exchange_commands,
    followup_commands,
    interrupts,
    ledger_commands,
    operator_commands,
    package_commands,
    policy_commands,
)
from desktop_app.cli.common import EXIT_FAILED, ledger_path, refuse_special_files, take_over_lock
from desktop_app.errors import UserError
from desktop_app.services import audit
from desktop_app.store.db import close_database
from desktop_app.store.lock import LedgerBusyError
from desktop_app.store.marks import change_mark
from desktop_app.store.paths import default_ledger_path

REGISTRARS = (
    ledger_commands.register,
    policy_commands.register,
    exchange_commands.register,
    desk_commands.register,
    followup_commands.register,
    backup_commands.register,
    backpay_commands.register,
    operator_commands.register,
    package_commands.register,
    db_commands.register,
)


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
        help=f"the ledger file to work on (default: {default_ledger_path()}), or a ledger on a "
        "PostgreSQL server: postgresql://USER@HOST[:PORT]/DBNAME (password from PGPASSWORD or ~/.pgpass)",
    )
    parser.add_argument(
        "--take-over-lock",
        action="store_true",
        help="the ledger's lock names another computer whose program cannot be checked from "
        "here (a network share; a crash there): take it over (written to the audit trail). "
        "Only after making sure the program on that computer is closed",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    for register in REGISTRARS:
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    pathnames.install_on_streams()  # a GBK file name in a message never ends in a traceback
    scratch.sweep()  # temporary files a killed run left behind (window and commands alike)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        # lazy: Qt and the window load only when no command is given (start-up time)
        from desktop_app.ui.app import run_gui

        return run_gui(ledger_path(args) if args.db else None)  # the operator comes from the log-in
    audit.set_command_line_user(this_computer.user_name())
    before, handlers = None, None
    try:
        handlers = interrupts.install()
        refuse_special_files(args)  # first: reading a pipe's "change mark" would wait forever
        before = change_mark(ledger_path(args))
        if args.take_over_lock and (args.command != "check" or args.charges):
            take_over_lock(ledger_path(args))
        return args.handler(args)
    except UserError as exc:  # the work could not be done; anything else is a bug: a traceback
        print(f"{args.command}: {exc}{_take_over_hint(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM: rolled back and cleaned up on the way here
        exc.__traceback__ = None  # the interrupted work's frames go now, while the ledger is open
        close_database()
        changed = change_mark(ledger_path(args)) != before
        print(interrupts.message(args.command, changed), file=sys.stderr)
        return interrupts.exit_status(exc)
    finally:
        close_database()
        scratch.cleanup()
        if handlers is not None:
            interrupts.restore(handlers)


def _take_over_hint(exc: BaseException) -> str:
    if isinstance(exc, LedgerBusyError) and exc.can_take_over:
        return "确认对方已经关闭后，命令里加 --take-over-lock 接管。"
    return ""
