"""The follow-up lists (跟进名单) as workbooks: one sheet per list, its title naming the list, the
year and the township; ID numbers and phones written as text; masked on request (DOMAIN.md
section 10). The window's follow-up dialog exports each tab through :func:`export_followup`,
and a command line could do the same.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app import clock
from desktop_app.domain.vocabulary import STATUS_NAMES, Status
from desktop_app.exchange.writing import Column, Kind, TableSummary, write_xlsx
from desktop_app.services import followups, payments
from desktop_app.services.continuity import long_runs_at_risk
from desktop_app.services.townships import title_place


def _status(code: str | None) -> str:
    return STATUS_NAMES[Status(code)] if code else ""


@dataclass(frozen=True)
class FollowupSheet:
    """One list: its name in a title, its columns and each row's values in column order."""

    name: str
    columns: tuple[Column, ...]
    rows: Callable[[int, dt.date], list]  # (year, today) → the service's rows
    values: Callable[[Any], tuple]


_BORN = Column("出生日期", Kind.DATE, hidden_when_masked=True)
SHEETS: dict[str, FollowupSheet] = {
    "newborns": FollowupSheet(
        "新生儿参保跟进名单",
        (Column("姓名"), Column("身份证号", Kind.ID), Column("村(社区)"), _BORN, Column("参保截止日期", Kind.DATE),
         Column("剩余天数", Kind.INT, total=False), Column("截止提醒"), Column("参保状态"),
         Column("缴费日期", Kind.DATE), Column("监护人"), Column("联系电话", Kind.PHONE)),
        lambda year, today: followups.newborns(year, today),
        lambda r: (r.name, r.id_number, r.village, r.birth_date, r.deadline, r.days_left, r.deadline_words,
                   _status(r.status), r.paid_on, r.guardian, r.phone),
    ),
    "late": FollowupSheet(
        "集中征缴期外缴费人员等待期名单",
        (Column("姓名"), Column("身份证号", Kind.ID), Column("村(社区)"), Column("缴费日期", Kind.DATE),
         Column("断缴年数", Kind.INT, total=False), Column("补缴年数", Kind.INT, total=False),
         Column("补缴前等待期(月)", Kind.INT, total=False), Column("等待期(月)", Kind.INT, total=False),
         Column("待遇起始日", Kind.DATE)),
        lambda year, _today: followups.late_enrollers(year),
        lambda r: (r.name, r.id_number, r.village, r.paid_on, r.break_years, r.repaid_years, r.waiting_before,
                   r.waiting_months, r.benefits_from),
    ),
    "refunds": FollowupSheet(
        "应退金额（事后资助）名单",
        (Column("姓名"), Column("身份证号", Kind.ID), Column("村(社区)"), Column("已缴金额", Kind.MONEY_FEN),
         Column("应退金额", Kind.MONEY_FEN)),
        lambda year, _today: payments.refunds_owed(year),
        lambda r: (r[1], r[2], r[3], r[4], r[5]),
    ),
    "confirm": FollowupSheet(
        "参保状态待确认名单",
        (Column("姓名"), Column("身份证号", Kind.ID), Column("村(社区)"), Column("户编号"), Column("户主姓名"),
         Column("联系电话", Kind.PHONE), Column("参保状态"), Column("原因"), Column("登记年度", Kind.INT, total=False)),
        lambda year, _today: followups.to_confirm(year),
        lambda r: (r.name, r.id_number, r.village, r.household_number, r.head_name, r.phone, _status(r.status),
                   r.reason, r.recorded_year),
    ),
    "long_run": FollowupSheet(
        "连续参保年数将中断人员名单",
        (Column("姓名"), Column("身份证号", Kind.ID), Column("村(社区)"), Column("户主"), Column("联系电话", Kind.PHONE),
         Column("连续参保年数", Kind.INT, total=False), Column("尚欠金额", Kind.MONEY_FEN)),
        lambda year, _today: long_runs_at_risk(year),
        lambda r: (r.name, r.id_number, r.village, r.household, r.phone, r.run_years, r.due_fen),
    ),
}


def sheet_title(name: str, year: int) -> str:
    """“东山镇2025年度新生儿参保跟进名单”: the township (a county database: the county), the
    year and the list."""
    return f"{title_place()}{year}年度{SHEETS[name].name}"


def sheet_rows(name: str, year: int, today: dt.date | None = None, rows: Sequence[Any] | None = None) -> list[tuple]:
    """The list's rows as the workbook's values (dates as dates, money in fen); ``rows``: the
    service's rows already read (the dialog's), else read now."""
    sheet = SHEETS[name]
    found = sheet.rows(year, today or clock.today()) if rows is None else rows
    return [sheet.values(r) for r in found]


def export_followup(path: str | os.PathLike[str], name: str, year: int, *, mask: bool = False,
                    today: dt.date | None = None, rows: Sequence[Any] | None = None) -> TableSummary:
    """Write the follow-up list ``name`` (a key of :data:`SHEETS`) of ``year`` to the workbook at ``path``."""
    today = today or clock.today()
    subtitle = f"导出日期：{today:%Y-%m-%d}"
    if mask:
        subtitle += "　（身份证号、电话已部分隐藏，日期只保留年份）"
    return write_xlsx(path, sheet_title(name, year), SHEETS[name].columns, sheet_rows(name, year, today, rows),
                      subtitle=subtitle, mask=mask, totals=name in ("refunds", "long_run"))
