"""``operators reset-admin``: the way back when no administrator can log in at the window (the
only one stopped, locked out, or his password forgotten).

Whoever can run this can read the ledger file anyway (the command line has no log-in), so it is
no new door: it gives the administrator ``--name`` (or the only one) a new password, starts the
account again and unlocks it, or makes a new administrator of a name no operator has. The audit
trail records it, naming the computer's user.

The password never goes on the command line: it is asked twice on the terminal, or taken from
the environment variable ``ENROLLMENT_LEDGER_ADMIN_PASSWORD``, or from the first line of
``--password-file FILE`` (``-`` for standard input).
"""

from __future__ import annotations

import argparse

from desktop_app.cli.common import EXIT_OK, add_action, add_command, open_ledger
from desktop_app.cli.passwords import read_password
from desktop_app.errors import ServiceError

PASSWORD_ENV = "ENROLLMENT_LEDGER_ADMIN_PASSWORD"


def _new_password(args: argparse.Namespace) -> str:
    return read_password(args, "管理员的新密码：", need="需要新密码", env=PASSWORD_ENV, error=ServiceError,
                         again="再输入一次新密码：", mismatch="两次输入的密码不一样，台账没有改动")


def _cmd_reset_admin(args: argparse.Namespace) -> int:
    # lazy: the operators service (scrypt) loads only for this command (start-up time)
    from desktop_app.services import operators

    open_ledger(args)
    password = _new_password(args)
    done = operators.reset_admin(password, args.name)
    what = ("made a new administrator" if done.created else
            "administrator " + ", ".join(["password set"] + (["account restarted"] if done.reactivated else [])
                                         + (["unlocked"] if done.unlocked else [])))
    print(f"{done.name}: {what}; log in at the window with the new password")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    group = add_command(
        commands, "operators", _cmd_reset_admin,  # its one action so far
        help="the window's operators: get an administrator back",
        description="The window's operator accounts, from the command line.",
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = add_action(
        actions, "reset-admin",
        help="give the administrator a new password, start and unlock the account (or make one)",
        description=(
            "When no administrator can log in at the window (the only one stopped, locked out, or "
            "the password forgotten): the administrator --name (default: the only administrator) "
            "gets a new password, the account is started again and unlocked; a --name no operator "
            "has becomes a new administrator. A clerk is never made an administrator here. Written "
            "to the audit trail. The password is asked twice on the terminal, or taken from the "
            f"environment variable {PASSWORD_ENV}, or from --password-file; never typed on the "
            "command line."
        ),
    )
    p.add_argument("--name", help="the administrator's name (needed when there are several, or none)")
    p.add_argument("--password-file", metavar="FILE",
                   help="read the new password from the first line of FILE ('-' for standard input), for scripts")
