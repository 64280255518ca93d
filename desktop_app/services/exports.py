"""The tables counties ask for (DOMAIN.md section 9), written as workbooks clerks accept.

Column headers are fixed by DOMAIN.md so that counties can rely on them and re-import them.
Rows stream from SQL straight into the writer: a 100,000-person roster never sits in memory.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.domain.charges import refund_owed
from desktop_app.domain.money import format_yuan
from desktop_app.domain.newborn import enrollment_deadline
from desktop_app.domain.policy import Policy
from desktop_app.domain.vocabulary import CollectionMode, Status, Worded
from desktop_app.exchange.writing import Column, Kind, XlsxExport
from desktop_app.services.continuity import continuous_years_of_year
from desktop_app.services.ledger import ServiceError
from desktop_app.services.policy import policy_for_year
from desktop_app.services.statistics import VillageSummary, village_summaries
from desktop_app.services.townships import (
    Township,
    is_county,
    only_village,
    title_place,
    township_by_code,
    townships,
    village_of,
)
from desktop_app.store import dialect
from desktop_app.store.models import db

Progress = Callable[[int, int], None]
ShouldStop = Callable[[], bool]
PROGRESS_EVERY = 1000  # rows between progress reports and cancel checks


class ExportKind(Worded):
    ROSTER = "roster", "参保台账"
    SUBSIDISED = "subsidised", "资助参保人员名单"
    SUMMARY = "summary", "参保情况汇总表"
    UNPAID = "unpaid", "未缴费人员清单"
    NEWBORNS = "newborns", "新生儿参保台账"

M, I, T = Kind.MONEY_FEN, Kind.INT, Kind.TEXT
COLUMNS: dict[ExportKind, tuple[Column, ...]] = {
    ExportKind.ROSTER: (
        Column("序号", I, total=False), Column("乡镇(街道)"), Column("村(社区)"), Column("户编号", T),
        Column("户主姓名"), Column("与户主关系"), Column("姓名"), Column("公民身份号码", Kind.ID),
        Column("性别"), Column("出生日期", Kind.DATE), Column("联系电话", Kind.PHONE),
        Column("资助类别"), Column("参保状态"), Column("个人缴费标准", M, total=False),
        Column("资助金额", M), Column("个人应缴金额", M), Column("已缴金额", M), Column("征缴方式"),
        Column("缴费日期", Kind.DATE), Column("备注"),
        # DOMAIN.md section 10 (second season): after section 9's columns, so they keep their places
        Column("连续参保年数", I, total=False),
    ),
    ExportKind.SUBSIDISED: (
        Column("序号", I, total=False), Column("乡镇(街道)"), Column("村(社区)"), Column("姓名"),
        Column("公民身份号码", Kind.ID), Column("资助类别"), Column("个人缴费标准", M, total=False),
        Column("资助金额", M), Column("个人应缴金额", M), Column("征缴方式"), Column("参保状态"),
    ),
    ExportKind.SUMMARY: (
        Column("村(社区)"), Column("总人数", I), Column("应参保人数", I), Column("已参保人数", I),
        Column("参保率", Kind.PERCENT), Column("居民医保缴费人数", I), Column("资助人数", I),
        Column("资助金额", M), Column("个人应缴金额", M), Column("已缴金额", M), Column("未缴费人数", I),
    ),
    ExportKind.UNPAID: (
        Column("序号", I, total=False), Column("村(社区)"), Column("户编号", T), Column("户主姓名"),
        Column("姓名"), Column("公民身份号码", Kind.ID), Column("联系电话", Kind.PHONE),
        Column("资助类别"), Column("个人应缴金额", M), Column("备注"),
    ),
    ExportKind.NEWBORNS: (
        Column("序号", I, total=False), Column("村(社区)"), Column("姓名"), Column("公民身份号码", Kind.ID),
        Column("出生日期", Kind.DATE),
        # birth date + 90 days: even its year tells whether the child was born in October–December
        Column("参保截止日期", Kind.DATE, hidden_when_masked=True), Column("参保状态"),
        Column("缴费日期", Kind.DATE), Column("监护人姓名"), Column("联系电话", Kind.PHONE),
    ),
}

SEX_NAMES = {"M": "男", "F": "女"}
STATUS_NAMES = {s.value: s.chinese for s in Status}
MODE_NAMES = {m.value: m.chinese for m in CollectionMode}


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: one of the county's tables (``kind``) or the person list as shown
    (:func:`desktop_app.services.list_export.export_list`, ``kind`` None)."""

    path: Path
    rows: int
    totals: dict[str, int]
    seconds: float
    cancelled: bool = False  # stopped on request: nothing was written at ``path``
    kind: ExportKind | None = None

    def summary_line(self) -> str:
        name = self.kind.value if self.kind is not None else "list"
        if self.cancelled:
            return f"{name}: cancelled after {self.rows} rows, {self.path} not written"
        return f"{name}: {self.rows} rows -> {self.path} ({self.seconds:.1f} s)"


class _Cancelled(Exception):
    """Raised inside the row stream when the user asked to stop; ends the ``with`` that discards."""


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _categories_by_person(year: int, policy: Policy, village_id: int | None,
                          township_id: int | None = None) -> dict[int, str]:
    """资助类别 of each person: the year's category names, several joined by 、."""
    sql = """SELECT m.person_id, m.category FROM category_membership m
             JOIN enrollment e ON e.person_id = m.person_id AND e.year = m.year
             WHERE m.year = ? AND m.ended_on IS NULL"""
    params: list[Any] = [year]
    if village_id is not None:
        sql += " AND e.village_id = ?"
        params.append(village_id)
    if township_id is not None:
        sql += " AND e.village_id IN (SELECT id FROM region WHERE parent_id = ?)"
        params.append(township_id)
    order = {code: i for i, code in enumerate(policy.categories)}
    held: dict[int, list[str]] = {}
    for person_id, code in db.execute_sql(sql, params):
        held.setdefault(person_id, []).append(code)
    return {
        pid: "、".join(policy.category_name(c) for c in sorted(codes, key=lambda c: (order.get(c, 99), c)))
        for pid, codes in held.items()
    }


_PERSON_FROM = """
    FROM enrollment e
    JOIN person p ON p.id = e.person_id
    JOIN household h ON h.id = p.household_id
    JOIN region v ON v.id = e.village_id
    LEFT JOIN region t ON t.id = v.parent_id
    WHERE e.year = ? {where}"""

_PERSON_SQL = """
    SELECT p.id, v.name, h.number, h.head_name, p.relation, p.name, p.id_number, p.sex,
           p.birth_date, p.phone, e.status, e.status_reason, e.standard_fen, e.subsidy_fen,
           e.due_fen, e.paid_fen, e.collection_mode, e.paid_on,
           (SELECT hp.phone FROM person hp WHERE hp.household_id = h.id AND hp.relation = '户主'
             AND hp.phone != '' LIMIT 1),
           t.name
    {from_}
    ORDER BY {order}, CASE p.relation WHEN '户主' THEN 0 ELSE 1 END, p.birth_date, p.id
"""


def _person_filter(kind: ExportKind, year: int) -> tuple[str, tuple]:
    """Which enrollments of ``year`` a per-person table lists: its rows and its count agree."""
    if kind is ExportKind.SUBSIDISED:
        return " AND e.subsidy_fen > 0 AND e.status IN ('unpaid', 'paid', 'exempt')", ()
    if kind is ExportKind.UNPAID:
        return " AND e.status = 'unpaid'", ()
    if kind is ExportKind.NEWBORNS:
        return " AND p.birth_date BETWEEN ? AND ?", (f"{year}-01-01", f"{year}-12-31")
    return "", ()


def _person_query(kind: ExportKind, year: int, village_id: int | None,
                  township_id: int | None = None) -> tuple[str, list[Any]]:
    where, params = _person_filter(kind, year)
    values: list[Any] = [year, *params]  # in the order of the placeholders: the kind's, then the village's
    if village_id is not None:
        where += " AND e.village_id = ?"
        values.append(village_id)
    if township_id is not None:  # one township of a county database: its villages' enrollments
        where += " AND v.parent_id = ?"
        values.append(township_id)
    return _PERSON_FROM.format(where=where), values


def _person_rows(kind: ExportKind, year: int, village_id: int | None,
                 township_id: int | None = None) -> Iterator[tuple]:
    """Each enrollment's row; its last item the name of the township its village is under."""
    from_, values = _person_query(kind, year, village_id, township_id)
    order = f"{dialect.text_key('v.code', nullable=True)}, {dialect.text_key('v.name')}, {dialect.text_key('h.number')}"
    yield from dialect.stream_rows(_PERSON_SQL.format(from_=from_, order=order), values)


def _person_count(kind: ExportKind, year: int, village_id: int | None, township_id: int | None = None) -> int:
    from_, values = _person_query(kind, year, village_id, township_id)
    return db.execute_sql(f"SELECT COUNT(*) {from_}", values).fetchone()[0]


def _remark(status: str, reason: str, paid: int, due: int) -> str:
    parts = [reason] if reason else []
    refund = refund_owed(paid, due) if status in ("paid", "exempt") else 0
    if refund:
        parts.append(f"应退{format_yuan(refund)}元（事后资助）")
    return "；".join(parts)


def _roster(year: int, policy: Policy, village_id: int | None, town: str | None,
            township_id: int | None = None) -> Iterator[list[Any]]:
    """``town``: the 乡镇(街道) of every row; None in a county database: each person's own township."""
    names = _categories_by_person(year, policy, village_id, township_id)
    runs = continuous_years_of_year(year, village_id)
    for seq, r in enumerate(_person_rows(ExportKind.ROSTER, year, village_id, township_id), start=1):
        (pid, vname, hh, head, relation, name, number, sex, birth, phone, status, reason,
         standard, subsidy, due, paid, mode, paid_on, _head_phone, own_town) = r
        yield [seq, (own_town or "") if town is None else town, vname, hh, head, relation, name, number,
               SEX_NAMES.get(sex, sex), _date(birth), phone, names.get(pid, ""), STATUS_NAMES.get(status, status), standard, subsidy, due, paid,
               MODE_NAMES.get(mode, mode), _date(paid_on), _remark(status, reason, paid, due), runs.get(pid, 0)]


def _subsidised(year: int, policy: Policy, village_id: int | None, town: str | None,
                township_id: int | None = None) -> Iterator[list[Any]]:
    names = _categories_by_person(year, policy, village_id, township_id)
    rows = _person_rows(ExportKind.SUBSIDISED, year, village_id, township_id)
    for seq, r in enumerate(rows, start=1):
        pid, vname, _hh, _head, _rel, name, number = r[:7]
        status, standard, subsidy, due, mode = r[10], r[12], r[13], r[14], r[16]
        yield [seq, (r[19] or "") if town is None else town, vname, name, number, names.get(pid, ""),
               standard, subsidy, due, MODE_NAMES.get(mode, mode), STATUS_NAMES.get(status, status)]


def _own_town(town: str | None, row: tuple) -> tuple[str, ...]:
    """The 乡镇(街道) cell the tables without that column get in a county database (``town`` None:
    each person's own township, as the roster's); none on a township's own ledger."""
    return (row[19] or "",) if town is None else ()


def _unpaid(year: int, policy: Policy, village_id: int | None, town: str | None,
            township_id: int | None = None) -> Iterator[list[Any]]:
    names = _categories_by_person(year, policy, village_id, township_id)
    for seq, r in enumerate(_person_rows(ExportKind.UNPAID, year, village_id, township_id), start=1):
        pid, vname, hh, head, _relation, name, number, _sex, _birth, phone = r[:10]
        due, paid, head_phone = r[14], r[15], r[18]
        remark = []
        if not phone and head_phone:
            remark.append("电话为户主电话")
        if paid:
            remark.append(f"已缴{format_yuan(paid)}元，尚差{format_yuan(due - paid)}元")
        yield [seq, *_own_town(town, r), vname, hh, head, name, number, phone or head_phone or "",
               names.get(pid, ""), max(due - paid, 0), "；".join(remark)]


def _newborns(year: int, policy: Policy, village_id: int | None, town: str | None,
              township_id: int | None = None) -> Iterator[list[Any]]:
    rows = _person_rows(ExportKind.NEWBORNS, year, village_id, township_id)
    for seq, r in enumerate(rows, start=1):
        _pid, vname, _hh, head, relation, name, number, _sex, birth, phone, status = r[:11]
        paid_on, head_phone = r[17], r[18]
        born = _date(birth)
        assert born is not None
        guardian = head if relation != "户主" else ""
        yield [seq, *_own_town(town, r), vname, name, number, born, enrollment_deadline(born),
               STATUS_NAMES.get(status, status), _date(paid_on), guardian, phone or head_phone or ""]


def _summary_line(s: VillageSummary) -> list[Any]:
    return [s.name, s.total, s.expected, s.insured, s.rate, s.contributing, s.subsidised, s.subsidy_fen,
            s.due_fen, s.paid_fen, s.unpaid]


def summary_rows(year: int, village_id: int | None = None, township_id: int | None = None) -> list[list[Any]]:
    """参保情况汇总表 rows, one per village, by DOMAIN.md section 5's definitions (no 合计 row).

    The definitions live in :func:`desktop_app.services.statistics.village_summaries`, which the
    dashboard reads too: one definition of the rates."""
    return [_summary_line(s) for s in village_summaries(year, village_id, township_id)]


#: The county summary's first column: which township a line belongs to.
TOWNSHIP_COLUMN = Column("乡镇(街道)")


def county_summary_rows(year: int, village_id: int | None = None) -> list[list[Any]]:
    """The summary of a county database: each township's villages with the township named in a
    first 乡镇(街道) column, then that township's 合计 line, and last the county's 全县合计
    (the writer's own 合计 would add the townships' 合计 lines twice)."""
    out: list[list[Any]] = []
    every: list[VillageSummary] = []
    for town in townships():
        lines = village_summaries(year, village_id, town.id)
        if not lines:
            continue
        every += lines
        out += [[town.name, *_summary_line(s)] for s in lines]
        out.append([town.name, *_summary_line(VillageSummary.total_of(lines, "合计"))])
    if out:
        out.append(["全县", *_summary_line(VillageSummary.total_of(every, "合计"))])
    return out


def export(
    kind: ExportKind | str,
    out: Path,
    year: int,
    *,
    village_name: str | None = None,
    township_code: str | None = None,
    mask: bool = False,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ExportResult:
    """Write one of the county's tables for ``year`` (optionally one village) to ``out``.

    ``progress(done, total)`` hears every :data:`PROGRESS_EVERY` rows and once after the last
    (then ``done == total``, and the file is being finished); when ``should_stop()`` turns true
    the export stops at the next such point, ``out`` is left as it was (no partial file) and the
    result says ``cancelled``. A stop asked for while the file is being finished (XlsxWriter
    assembling the zip, the last few percent of the time) comes too late: the file is written.

    A county database (several townships, :mod:`desktop_app.services.townships`): the summary gets
    a 乡镇(街道) column with each township's 合计 and a 全县合计; ``township_code`` exports one
    township's summary as a laptop would (no extra column). The per-person tables of a county
    database fill 乡镇(街道) with each person's own township (the unpaid and newborn lists get that
    column after 序号); ``township_code`` lists only the persons of that township's villages, as
    its laptop would. A village name several townships hold is refused without ``township_code``."""
    started = time.perf_counter()
    kind = ExportKind(kind)
    policy = policy_for_year(year)
    if policy is None:
        raise ServiceError(f"{year}年度还没有载入政策，没有可导出的数据")
    one_town: Township | None = township_by_code(township_code) if township_code else None
    village_id = None
    if village_name:
        found = (only_village(village_name) if one_town is None
                 else village_of(one_town, village_name))
        if found is None:
            raise ServiceError(f"台账里没有“{village_name}”这个村(社区)")
        village_id = found.id
    county = one_town is None and is_county()
    town = one_town.name if one_town is not None else title_place()  # a county's: its county's name
    title = f"{town}{year}年度{kind.chinese}"
    subtitle = f"村(社区)：{village_name}　" if village_name else ""
    subtitle += f"导出日期：{dt.date.today():%Y-%m-%d}"
    if mask:
        subtitle += "　（身份证号、电话已部分隐藏，日期只保留年份）"
    columns = COLUMNS[kind]
    total_values = None
    totals = True
    if kind in (ExportKind.UNPAID, ExportKind.NEWBORNS) and county:
        # villages of several townships share names (东山村): the county's list says whose
        columns = (columns[0], TOWNSHIP_COLUMN, *columns[1:])
    if kind is ExportKind.SUMMARY and county:
        columns = (TOWNSHIP_COLUMN, *columns)
        rows: Any = county_summary_rows(year, village_id)
        totals = False  # the 全县合计 line is the last row
    elif kind is ExportKind.SUMMARY:
        rows_list = summary_rows(year, village_id, one_town.id if one_town else None)
        expected = sum(r[2] for r in rows_list)
        insured = sum(r[3] for r in rows_list)
        total_values = {"参保率": insured / expected if expected else 0.0}
        rows = rows_list
    else:
        producer = {ExportKind.ROSTER: _roster, ExportKind.SUBSIDISED: _subsidised,
                    ExportKind.UNPAID: _unpaid, ExportKind.NEWBORNS: _newborns}[kind]
        town_id = one_town.id if one_town is not None and village_id is None else None
        total = _person_count(kind, year, village_id, town_id) if progress is not None else 0
        rows = _Watched(producer(year, policy, village_id, None if county else town, town_id),
                        total, progress, should_stop)
    try:
        with XlsxExport(out) as book:
            written = book.add_table(
                title, columns, rows, sheet_name=kind.chinese, subtitle=subtitle,
                totals=totals, total_values=total_values, mask=mask,
            )
    except _Cancelled:
        return ExportResult(out, rows.done, {}, time.perf_counter() - started, cancelled=True, kind=kind)
    return ExportResult(out, written.rows, written.totals, time.perf_counter() - started, kind=kind)


class _Watched:
    """The rows of a table, reporting progress and checking for cancel every PROGRESS_EVERY rows."""

    def __init__(self, rows: Iterator[list[Any]], total: int, progress: Progress | None,
                 should_stop: ShouldStop | None) -> None:
        self.rows, self.total, self.progress, self.should_stop = rows, total, progress, should_stop
        self.done = 0

    def __iter__(self) -> Iterator[list[Any]]:
        progress, should_stop = self.progress, self.should_stop
        if progress is None and should_stop is None:  # the command line: nothing to hear
            yield from self.rows
            return
        for row in self.rows:
            if self.done % PROGRESS_EVERY == 0:
                if progress is not None and self.done:
                    progress(self.done, self.total)
                if should_stop is not None and should_stop():
                    raise _Cancelled
            self.done += 1
            yield row
        if progress is not None:
            progress(self.done, max(self.total, self.done))
        if should_stop is not None and should_stop():  # before the file is finished, not after
            raise _Cancelled
