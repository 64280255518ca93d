"""Passwords for a command without putting them on the command line: the first line of
``--password-file FILE`` (``-``: standard input), else an environment variable, else asked on the
terminal (twice when a new one is set). One way for ``operators reset-admin`` and ``package``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from desktop_app.errors import UserError


def ask(prompt: str, *, need: str, env: str, error: type[UserError]) -> str:
    """The password typed on the terminal; ``need`` says what is wanted when there is none."""
    if not sys.stdin.isatty():
        raise error(f"{need}，但这里没有可以输入密码的终端：请用 --password-file 文件，或设置环境变量 {env}")
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        raise error("没有输入密码，已取消（台账没有改动）") from None


def read_password(args: argparse.Namespace, prompt: str, *, need: str, env: str, error: type[UserError],
                  again: str | None = None, mismatch: str = "") -> str:
    """From ``--password-file``, else ``env``, else the terminal; ``again`` asks a second time
    and raises ``error(mismatch)`` when the two differ."""
    if getattr(args, "password_file", None):
        name = args.password_file
        try:
            text = sys.stdin.readline() if name == "-" else Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise error(f"读不出密码文件“{name}”：{exc}") from exc
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise error(f"密码文件“{name}”的第一行是空的")
        return lines[0]
    if os.environ.get(env):
        return os.environ[env]
    first = ask(prompt, need=need, env=env, error=error)
    if again is not None and ask(again, need=need, env=env, error=error) != first:
        raise error(mismatch)
    return first
