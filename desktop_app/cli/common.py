"""What every command module shares: exit codes, declaring a command, the ledger path, opening it,
terminal helpers."""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from peewee import SqliteDatabase

from desktop_app.domain.policy import POLICY_YEARS
from desktop_app.services.lock_takeover import open_taking_over
from desktop_app.store.db import (
    LedgerFileReadOnlyError,
    LedgerOpenError,
    open_database,
    special_file_kind,
)
from desktop_app.store.paths import default_ledger_path
from desktop_app.store.postgres import is_server_url

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]


def ledger_path(args: argparse.Namespace) -> Path | str:
    """``--db`` as a file path (default: the ledger in the data folder), or as given when it is a
    ``postgresql://`` URL (a ledger on a server; ``Path`` would fold its ``//``)."""
    if args.db and is_server_url(args.db):
        return args.db
    return Path(args.db).expanduser() if args.db else default_ledger_path()


def add_command(
    commands: argparse._SubParsersAction, name: str, handler: Handler, *, help: str, description: str
) -> argparse.ArgumentParser:
    """The sub-command ``name``, run by ``handler``; the caller adds its own arguments."""
    parser = add_action(commands, name, help=help, description=description)
    parser.set_defaults(handler=handler)
    return parser


def add_action(
    actions: argparse._SubParsersAction, name: str, *, help: str, description: str
) -> argparse.ArgumentParser:
    """A sub-command's own sub-command (``status set``, ``import roster``), its help wrapped as
    :class:`HelpFormatter` does."""
    return actions.add_parser(name, help=help, description=description, formatter_class=HelpFormatter)


#: One token when wrapping help: a run of spaces, a run of non-CJK text, or one CJK character.
_HELP_TOKEN = re.compile(r"\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|.")


#: Chinese punctuation that never starts a line (it stays at the end of the line before).
_NO_BREAK_BEFORE = frozenset("，。、；：？！）》」』】")


def wrap_columns(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns: Chinese, which has no spaces,
    may break between any two characters, and takes two columns each (argparse's textwrap
    counts one, and keeps a Chinese sentence as one word)."""
    lines: list[str] = []
    line, used = "", 0
    for token in _HELP_TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        shown = display_width(token)
        if line.strip() and used + shown > width and token not in _NO_BREAK_BEFORE:
            lines.append(line.rstrip())
            line, used = "", 0
        line, used = line + token, used + shown
    if line.strip():
        lines.append(line.rstrip())
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """``--help`` in Chinese and English: wrapped by terminal columns (:func:`wrap_columns`); a
    description written "中文。 / English." shows as two paragraphs, the Chinese first."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_columns(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = text.split(" / ", 1) if " / " in text else [text]
        return "\n\n".join("\n".join(indent + line for line in wrap_columns(part, width - len(indent)))
                           for part in paragraphs)


def open_ledger(args: argparse.Namespace, *, read_only: bool = False) -> Path:
    """Open the command's ledger (``--db``, or the default one) and return its path: made when
    missing, for a command that writes; with ``read_only``, see :func:`open_for_reading`."""
    path = ledger_path(args)
    if read_only:
        open_for_reading(path)
    else:
        open_database(path)
    return path


def year_arg(text: str) -> int:
    """The argparse type of every ``--year``: a plausible policy year, 2000 to 2100 (the years a
    policy file may name). ``--year 0`` used to mean "the newest year" without a word; now it is
    a usage error, like any other year no policy can have."""
    try:
        year = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度应为四位数字的年份，例如 2025，这里是“{text}”") from None
    if year not in POLICY_YEARS:
        raise argparse.ArgumentTypeError(
            f"年度 {year} 不合理，应在 {POLICY_YEARS[0]} 到 {POLICY_YEARS[-1]} 之间（不写 --year 则用最新的年度）"
        )
    return year


#: the arguments that name a file the command reads or writes (``--password-file`` may be a pipe)
FILE_ARGUMENTS = ("db", "file", "out", "errors")


def refuse_special_files(args: argparse.Namespace) -> None:
    """LedgerOpenError, before any work, when ``--db`` or a file argument is a pipe, socket or
    device: opening one would wait forever or write into nothing."""
    for name in FILE_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str) and value:
            kind = special_file_kind(Path(value).expanduser())
            if kind is not None:
                raise LedgerOpenError(f"“{value}”是{kind}，不是普通文件，没有做任何事")


def open_for_reading(path: Path) -> SqliteDatabase:
    """Open the ledger for a command that only reads: a write-protected file is opened read-only
    (and left write-protected), with one line on stderr saying so."""
    try:
        return open_database(path, create=False)
    except LedgerFileReadOnlyError:
        print(f"注意：台账文件“{path.name}”是只读的，以只读方式打开（只查看，不修改）", file=sys.stderr)
        return open_database(path, read_only=True)


def take_over_lock(path: Path) -> None:
    """``--take-over-lock``: replace a lock another computer left on ``path``, audited, and say
    whose it was. The ledger is opened once for that and closed again (this process keeps the
    lock); the command then opens it as usual."""
    if is_server_url(path) or not path.is_file():
        return  # no ledger file, no lock to take over (a server ledger has none)
    database, previous = open_taking_over(path, create=False, program="命令行")
    database.close()
    if previous is not None:
        print(f"已接管台账的锁：原来{previous.describe()}使用（已记入操作日志）", file=sys.stderr)


def display_width(text: str) -> int:
    """The columns ``text`` takes on a terminal, where a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where a Chinese character takes two columns."""
    return text + " " * max(1, width - display_width(text))


def terminal_progress(unit: str, stream: TextIO | None = None) -> Callable[[int, int], None] | None:
    """A ``progress(done, total)`` that keeps one line on a terminal up to date ("12,000 / 100,000
    行"), ended when the count reaches the total; None when ``stream`` (stderr) is a pipe or file,
    so scripts and logs see only the summary line."""
    out = stream if stream is not None else sys.stderr
    try:
        if not out.isatty():
            return None
    except (AttributeError, ValueError):  # closed or not a real stream
        return None

    def show(done: int, total: int) -> None:
        figure = f"{done:,} / {total:,}" if total else f"{done:,}"
        out.write(f"\r  {figure} {unit}")
        if total and done >= total:
            out.write("\n")
        out.flush()

    return show
