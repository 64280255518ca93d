"""``followups LIST``: the window's follow-up lists (跟进名单, 未缴费) as a table, CSV or JSON.

Each list is one entry of :data:`LISTS`: where its rows come from (the service the window's
follow-up dialog and unpaid filter call) and its columns. A new list (persons whose carried
status is to be confirmed, persons with a break) is one more entry.

Formats, for people and for scripts:

- ``table`` (default): aligned columns for a terminal, Chinese characters counted two wide.
- ``csv``: a header row of the Chinese column names, then one row per person; UTF-8 **with a
  BOM**, written as bytes whatever the terminal's encoding. Excel on Chinese Windows reads a
  CSV without a BOM in the ANSI code page (GBK) and garbles UTF-8 Chinese; with the BOM it opens
  it rightly by double-click, as WPS does, and Python reads it with ``encoding="utf-8-sig"``.
- ``json``: a list of objects with stable English keys (the ``key`` of each column); amounts as
  yuan strings with two decimals ("400.00", exact, as in every export: never a float), dates
  as "2025-01-02" or null, statuses as their codes (``unpaid``…), counts as integers. UTF-8,
  no BOM (JSON forbids one).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.cli.common import EXIT_OK, add_action, add_command, display_width, open_ledger, pad
from desktop_app.cli.desk_lookup import add_year, village_by_name, year_of
from desktop_app.domain.money import format_yuan
from desktop_app.domain.vocabulary import STATUS_NAMES, Status
from desktop_app.services import followups, payments
from desktop_app.services.continuity import RunAtRisk, long_runs_at_risk
from desktop_app.services.persons import PersonQuery, count_persons, person_rows
from desktop_app.services.townships import (
    Township,
    is_county,
    township_by_code,
    townships_of_persons,
)
from desktop_app.store.models import Region

TEXT, INT, FEN, DATE, STATUS, FLAG = "text", "int", "fen", "date", "status", "flag"


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key
    header: str  # the table and CSV header
    value: Callable[[Any], Any]  # the row's value: text, int, fen, date or status code
    kind: str = TEXT

    def data(self, row: Any) -> Any:
        """For JSON."""
        value = self.value(row)
        if value is None:
            return None
        if self.kind == FEN:
            return format_yuan(value)
        if self.kind == DATE:
            return value.isoformat()
        if self.kind == FLAG:
            return bool(value)
        return value

    def text(self, row: Any) -> str:
        """For people: the table and CSV."""
        value = self.value(row)
        if value is None:
            return ""
        if self.kind == FEN:
            return format_yuan(value)
        if self.kind == DATE:
            return value.isoformat()
        if self.kind == STATUS:
            return STATUS_NAMES[Status(value)]
        if self.kind == FLAG:
            return "是" if value else ""
        return str(value)


@dataclass(frozen=True)
class FollowupList:
    help: str
    description: str
    rows: Callable[[int, Region | None], Sequence[Any]]  # (year, village or None) → rows
    columns: tuple[Column, ...]
    person: Callable[[Any], int] = lambda row: row.person_id  # the row's person id


def _in_village(rows: Sequence[Any], village: Region | None, name_of: Callable[[Any], str]) -> list[Any]:
    return list(rows) if village is None else [r for r in rows if name_of(r) == village.name]


def _newborns(year: int, village: Region | None) -> list[followups.NewbornRow]:
    return _in_village(followups.newborns(year), village, lambda r: r.village)


def _late(year: int, village: Region | None) -> list[followups.LateEnroller]:
    return _in_village(followups.late_enrollers(year), village, lambda r: r.village)


def _refunds(year: int, village: Region | None) -> list[tuple]:
    return _in_village(payments.refunds_owed(year), village, lambda r: r[3])


def _to_confirm(year: int, village: Region | None) -> list[followups.ToConfirmRow]:
    return _in_village(followups.to_confirm(year), village, lambda r: r.village)


def _breaks(year: int, village: Region | None) -> list[RunAtRisk]:
    return _in_village(long_runs_at_risk(year), village, lambda r: r.village)


def _unpaid(year: int, village: Region | None) -> list[Any]:
    query = PersonQuery(year, village_id=village.id if village else None, unpaid=True, sort="household")
    return person_rows(query, 0, count_persons(query))


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda row: getattr(row, name)


def _item(index: int) -> Callable[[Any], Any]:
    return lambda row: row[index]


def _col(key: str, header: str, kind: str = TEXT) -> Column:
    """A column of the row's attribute ``key``."""
    return Column(key, header, _attr(key), kind)


_VILLAGE, _NAME, _ID = ("village", "村(社区)"), ("name", "姓名"), ("id_number", "公民身份号码")
#: Who, first in the lists whose rows name them so.
_WHO = (_col(*_VILLAGE), _col(*_NAME), _col(*_ID))
#: Columns several lists show, each said once.
_PHONE, _STATUS, _PAID_ON = _col("phone", "联系电话"), _col("status", "参保状态", STATUS), _col("paid_on", "缴费日期", DATE)
_HOUSEHOLD_NUMBER = _col("household_number", "户编号")

#: Every list ``followups`` prints, by its name on the command line.
LISTS: dict[str, FollowupList] = {
    "newborns": FollowupList(
        "新生儿及其90天参保截止日期 / newborns and their 90-day deadline",
        "新生儿（本年度出生的孩子）及其参保截止日期（出生后90天），未缴费的在前、截止日期近的在前；未缴费且离截止不到15天（或已过）的标为临近，已过截止日的另标为已逾期。 / "
        "Children born in the year, unpaid first, nearest deadline first; unpaid within 15 days of it "
        "(or past) is marked urgent, and past it also overdue.",
        _newborns,
        (*_WHO, _col("birth_date", "出生日期", DATE), _col("deadline", "参保截止日期", DATE),
         _col("days_left", "剩余天数", INT), _col("urgent", "临近截止", FLAG),
         _col("overdue", "已逾期", FLAG), _STATUS,
         _PAID_ON, _col("guardian", "监护人姓名"), _PHONE),
    ),
    "late": FollowupList(
        "集中征缴期外缴费的人及其等待期 / late enrollers and their waiting period",
        "在集中征缴期外缴费的人（新生儿和政策规定的特殊人群除外），断缴年数、等待期和待遇起始日。 / "
        "Persons who paid outside the collection period (newborns and exempt groups left out): years of "
        "break, waiting months, the day benefits start.",
        _late,
        (*_WHO, _PAID_ON, _col("break_years", "断缴年数", INT),
         _col("repaid_years", "补缴年数", INT), _col("waiting_before", "补缴前等待期(月)", INT),
         _col("waiting_months", "等待期(月)", INT), _col("benefits_from", "待遇起始日", DATE)),
    ),
    "confirm": FollowupList(
        "从上年沿用、本年度待确认的参保状态 / statuses carried from last year, to confirm",
        "上年登记为参加职工医保、异地参保、服兵役或其他不需参保，沿用到本年度但还没有人确认或清除的人（死亡、迁出直接沿用，不列出）。"
        "用 status set 确认，status clear 清除。 / Persons whose 职工医保, 异地参保, 服兵役 or 其他 status was carried "
        "into the year and nobody has confirmed or cleared it yet (死亡 and 迁出 carry silently); confirm with "
        "status set, clear with status clear.",
        _to_confirm,
        (*_WHO, _HOUSEHOLD_NUMBER, _col("head_name", "户主姓名"), _PHONE,
         _STATUS, _col("reason", "原因"), _col("recorded_year", "登记年度", INT)),
    ),
    "breaks": FollowupList(
        "连续参保将中断的人（先打电话）/ long runs of insured years this year's break would reset",
        "到上年为止已连续参保4年及以上、本年度还未缴费的人：不缴费，连续参保年数和大病保险激励就会中断。 / "
        "Persons insured 4 or more years in a row up to last year who have not paid this year: a break "
        "resets the run and its 大病保险 incentive. Call them first.",
        _breaks,
        (*_WHO, _col("household", "户编号"), _PHONE, _col("run_years", "连续参保年数", INT),
         Column("owed", "还需缴纳", _attr("due_fen"), FEN)),
    ),
    "refunds": FollowupList(
        "应退金额（事后资助）/ refunds owed after a late identification",
        "缴费后才认定为困难人员、已缴多于应缴的人，及应退金额。 / Persons who paid more than they owe after "
        "being identified as hard-pressed, and what is owed back.",
        _refunds,
        (Column(*_VILLAGE, _item(3)), Column(*_NAME, _item(1)), Column(*_ID, _item(2)),
         Column("paid", "已缴金额", _item(4), FEN), Column("refund", "应退金额", _item(5), FEN)),
        _item(0),
    ),
    "unpaid": FollowupList(
        "未缴费的人，按户，带电话 / persons still unpaid, by household, with phones",
        "本年度参保状态为未缴费的人，按户编号排列，带电话和还需缴纳的金额。 / Persons whose status is unpaid, "
        "household by household, with phones and what they still owe.",
        _unpaid,
        (_col(*_VILLAGE), _HOUSEHOLD_NUMBER, _col(*_NAME), _col(*_ID),
         _col("relation", "与户主关系"), _PHONE, _col("categories", "资助类别"),
         Column("owed", "还需缴纳", _attr("owed_fen"), FEN)),
        _attr("id"),
    ),
}


def _cmd_followups(args: argparse.Namespace) -> int:
    open_ledger(args, read_only=True)  # a list only reads
    year = year_of(args)
    chosen = LISTS[args.list]
    town = township_by_code(args.township) if args.township else None
    village = village_by_name(args.village, town) if args.village else None
    rows, columns = chosen.rows(year, village), chosen.columns
    if town is not None or is_county():
        # a county database: villages of several townships share names (东山村), so the list
        # says each person's township, or keeps only the township asked for
        own = townships_of_persons(chosen.person(r) for r in rows)
        if town is not None:
            rows = [r for r in rows if own.get(chosen.person(r)) == town]
        else:
            columns = (Column("township", "乡镇(街道)", lambda r: _town_name(own, chosen.person(r))), *columns)
    place = f"{town.name if town else ''}{village.name}" if village else town.name if town else "全部村"
    write = {"table": _table, "csv": _csv, "json": _json}[args.format]
    try:
        write(columns, rows)
        if args.format == "table":
            print(f"（{year}年度，{place}，共{len(rows)}人）")
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` read what it wanted and left: no traceback for that
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def _town_name(own: dict[int, Township], person_id: int) -> str:
    town = own.get(person_id)
    return town.name if town else ""


def _table(columns: Sequence[Column], rows: Sequence[Any]) -> None:
    texts = [[c.text(row) for c in columns] for row in rows]
    widths = [max([display_width(c.header), *(display_width(t[i]) for t in texts)]) + 2
              for i, c in enumerate(columns)]
    for line in ([c.header for c in columns], *texts):
        print("".join(pad(text, width) for text, width in zip(line, widths)).rstrip())


def _csv(columns: Sequence[Column], rows: Sequence[Any]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    writer.writerows([c.text(row) for c in columns] for row in rows)
    _write_bytes(out.getvalue().encode("utf-8-sig"))


def _json(columns: Sequence[Column], rows: Sequence[Any]) -> None:
    data = [{c.key: c.data(row) for c in columns} for row in rows]
    _write_bytes((json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _write_bytes(data: bytes) -> None:
    """UTF-8 bytes to stdout, whatever encoding the terminal would give text (GBK on a Chinese
    Windows console)."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


HELP = "跟进名单：新生儿、征缴期外缴费、应退、未缴费 / follow-up lists"
DESCRIPTION = ("打印一份跟进名单（与窗口里的跟进名单和未缴费筛选相同），表格、CSV 或 JSON。 / Print a follow-up "
               "list, the same as the window's, as a table, CSV (UTF-8 with BOM, for Excel) or JSON.")


def register(commands: argparse._SubParsersAction) -> None:
    p = add_command(commands, "followups", _cmd_followups, help=HELP, description=DESCRIPTION)
    lists = p.add_subparsers(dest="list", metavar="LIST", required=True)
    for name, chosen in LISTS.items():
        q = add_action(lists, name, help=chosen.help, description=chosen.description)
        q.add_argument("--village", metavar="NAME", help="只列这个村（社区）/ only this village")
        q.add_argument("--township", metavar="CODE",
                       help="县级数据库里只列这个乡镇（9位乡镇代码）；不给时每行带乡镇(街道) / in a county database, only "
                            "this township (its 9-digit code); without it each row names its township")
        q.add_argument("--format", choices=("table", "csv", "json"), default="table",
                       help="table（默认）、csv（带BOM，Excel可直接打开）或 json / table (default), csv or json")
        add_year(q)

