"""The township's figures for a year: enrollment rates, collection, newborns, categories.

One definition of the rates (DOMAIN.md section 5), used by the dashboard and by the summary
export (:func:`desktop_app.services.exports.summary_rows` reads :func:`village_summaries`):

- 应参保人数 = status not in ``NOT_EXPECTED``; 已参保人数 = status in ``INSURED``;
  参保率 = insured / expected (target ≥ 95%).
- 居民医保缴费人数 = ``CONTRIBUTING``; 资助人数 / 资助金额 = those of them with a subsidy.
- 个人应缴金额 = amounts due of ``unpaid`` and ``paid``; 已缴金额 = all amounts paid;
  未缴费人数 = ``unpaid``.

Definitions of ours where DOMAIN.md leaves a choice, spelled out so that a clerk can check them:

- 未缴金额 (outstanding) = what ``unpaid`` persons still owe: amount due − amount paid (a part
  payment counts). Collected towards what is due = 个人应缴金额 − 未缴金额, so collection progress
  never exceeds 100% even when late-identified persons paid the whole standard; what they are
  owed back is 应退金额 (事后资助, DOMAIN.md section 4 rule 5), reported beside it.
- Newborns of year *y* are the persons born in *y* registered for *y*; those whose status takes
  them out of 应参保人数 (死亡, 迁出…) are not counted. A newborn counts as enrolled in its birth
  year by :func:`desktop_app.domain.newborn.counts_as_enrolled_in_birth_year`, with the date its
  contribution was paid: for ``paid``, the enrollment's ``paid_on`` (the latest payment, kept by
  the payments service) or else the latest payment row not reversed; for ``exempt`` (全额资助代缴,
  the fund pays) its payment date when there is one, else the day it was registered, and never
  earlier than the birth date (a registration date before birth is the year's default date).
- Categories: a person holding several categories counts under each (as the roster's 资助类别
  lists each); 资助人数 and 资助金额 go to the one category applied (就高不重复), so they add up to
  the summary's totals. 普通居民 are the persons holding no category that year.

Counts are integers, money is integer fen, rates are fractions (0.0 when there is nobody to
divide by). Everything is a handful of SQL aggregates: no row-by-row Python on a whole township.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from desktop_app.domain.charges import PAYING_STATUSES, REFUND_STATUSES
from desktop_app.domain.newborn import counts_as_enrolled_in_birth_year
from desktop_app.domain.policy import NO_CATEGORY, NO_CATEGORY_NAME
from desktop_app.domain.vocabulary import (
    CONTRIBUTING,
    DEFAULT_CATEGORY_NAMES,
    INSURED,
    NOT_EXPECTED,
    Status,
)
from desktop_app.services.policy import policy_for_year
from desktop_app.store import dialect
from desktop_app.store.models import db

#: 参保率 target, in percent: ≥ 95% overall (policy).
ENROLLMENT_TARGET_PERCENT = 95
#: Newborns enrolled in their birth year, target in percent: ≥ 80% (policy).
NEWBORN_TARGET_PERCENT = 80


def _sql_set(statuses: frozenset[Status]) -> str:
    return ",".join(f"'{s.value}'" for s in sorted(statuses, key=lambda s: s.value))


_CONTRIBUTING = _sql_set(CONTRIBUTING)


def fraction(numerator: int, denominator: int) -> float:
    """A rate as a fraction; 0.0 when the denominator is 0 (nobody to count)."""
    return numerator / denominator if denominator else 0.0


def meets(numerator: int, denominator: int, target_percent: int) -> bool:
    """numerator / denominator ≥ target, in integers (no float at the boundary: 95/100 meets 95%)."""
    return denominator > 0 and numerator * 100 >= target_percent * denominator


class _AgainstTarget:
    """A count of persons against a target percentage: the rate and whether it meets it."""

    target_percent: ClassVar[int]

    def _part_and_whole(self) -> tuple[int, int]:
        raise NotImplementedError

    @property
    def rate(self) -> float:
        return fraction(*self._part_and_whole())

    @property
    def meets_target(self) -> bool:
        return meets(*self._part_and_whole(), self.target_percent)


# --------------------------------------------------------------------------- villages


@dataclass(frozen=True)
class VillageSummary(_AgainstTarget):
    """One village's line of 参保情况汇总表, plus what collection progress needs."""

    village_id: int | None  # None for a total
    name: str
    total: int  # 总人数
    expected: int  # 应参保人数
    insured: int  # 已参保人数
    contributing: int  # 居民医保缴费人数
    subsidised: int  # 资助人数
    subsidy_fen: int  # 资助金额
    due_fen: int  # 个人应缴金额
    paid_fen: int  # 已缴金额
    unpaid: int  # 未缴费人数
    outstanding_fen: int  # 未缴金额: still owed by the unpaid
    refund_fen: int  # 应退金额 (事后资助)

    target_percent: ClassVar[int] = ENROLLMENT_TARGET_PERCENT

    def _part_and_whole(self) -> tuple[int, int]:
        return self.insured, self.expected  # 参保率 = 已参保人数 / 应参保人数

    @property
    def collected_fen(self) -> int:
        """Collected towards what is due: 个人应缴金额 − 未缴金额."""
        return self.due_fen - self.outstanding_fen

    @classmethod
    def total_of(cls, rows: list[VillageSummary], name: str = "合计") -> VillageSummary:
        """The 合计 line over ``rows``."""
        sums = {
            f.name: sum(getattr(r, f.name) for r in rows)
            for f in fields(cls)
            if f.name not in ("village_id", "name")
        }
        return cls(village_id=None, name=name, **sums)


# Grouped by village and status along the (year, village_id, status) index; the statuses are then
# sorted into the section 5 figures with the vocabulary's sets (twice as fast as evaluating a
# dozen CASE expressions on every row of a 100,000-person year). Each aggregate is paid on every
# row (a million on a county database), so none is computed that the others give: what was paid
# over what was due, Σ max(paid − due, 0), is Σ max(due − paid, 0) − Σ due + Σ paid of the same rows.
_VILLAGE_STATUS_SQL = """
    SELECT e.village_id, e.status, COUNT(*), COUNT(CASE WHEN e.subsidy_fen > 0 THEN 1 END),
           SUM(e.subsidy_fen), SUM(e.due_fen), SUM(e.paid_fen),
           SUM(CASE WHEN e.due_fen > e.paid_fen THEN e.due_fen - e.paid_fen ELSE 0 END)
    FROM enrollment e
    WHERE e.year = ? {where}
    GROUP BY e.village_id, e.status"""

_NOT_EXPECTED_CODES = frozenset(s.value for s in NOT_EXPECTED)
_INSURED_CODES = frozenset(s.value for s in INSURED)
_CONTRIBUTING_CODES = frozenset(s.value for s in CONTRIBUTING)
_DUE_CODES = PAYING_STATUSES  # 个人应缴金额 counts these
_REFUND_CODES = REFUND_STATUSES  # 事后资助 is owed to these


#: Enrollments of one township only (a county database), appended to a WHERE on ``e``.
_OF_TOWNSHIP = " AND e.village_id IN (SELECT id FROM region WHERE parent_id = ?)"


def village_summaries(
    year: int, village_id: int | None = None, township_id: int | None = None
) -> list[VillageSummary]:
    """参保情况汇总表, one line per village with enrollments in ``year`` (no 合计 line), in
    village-code order; only one village's, or only the villages of one township (a county
    database holds several), when asked."""
    where, params = "", [year]
    if village_id is not None:
        where, params = where + " AND e.village_id = ?", [*params, village_id]
    if township_id is not None:
        where += _OF_TOWNSHIP
        params.append(township_id)
    cursor = db.execute_sql(_VILLAGE_STATUS_SQL.format(where=where), tuple(params))
    sums: dict[int, list[int]] = {}
    for vid, status, n, with_subsidy, subsidy, due, paid, owed in cursor.fetchall():
        v = sums.setdefault(vid, [0] * 11)
        v[0] += n
        if status not in _NOT_EXPECTED_CODES:
            v[1] += n
        if status in _INSURED_CODES:
            v[2] += n
        if status in _CONTRIBUTING_CODES:
            v[3] += n
            v[4] += with_subsidy
            v[5] += subsidy
        if status in _DUE_CODES:
            v[6] += due
        v[7] += paid
        if status == Status.UNPAID.value:
            v[8] += n
            v[9] += owed
        if status in _REFUND_CODES:
            v[10] += owed - due + paid  # paid over what was due (the SQL's comment)
    if not sums:
        return []
    marks = ",".join("?" * len(sums))
    villages = db.execute_sql(
        f"SELECT id, name, code FROM region WHERE id IN ({marks})", tuple(sums)
    ).fetchall()
    villages.sort(key=lambda r: (r[2] is not None, r[2] or "", r[1]))  # NULL codes first, as SQL
    return [VillageSummary(vid, name, *sums[vid]) for vid, name, _code in villages]


@dataclass(frozen=True)
class VillageRate:
    name: str
    expected: int
    insured: int
    rate: float
    meets_target: bool
    village_id: int | None  # a county's townships may each have a village of the same name


def village_rates(year: int) -> list[VillageRate]:
    """参保率 of each village (target ``ENROLLMENT_TARGET_PERCENT``)."""
    return [_rate(s) for s in village_summaries(year)]


def _rate(s: VillageSummary) -> VillageRate:
    return VillageRate(s.name, s.expected, s.insured, s.rate, s.meets_target, s.village_id)


# --------------------------------------------------------------------------- collection


@dataclass(frozen=True)
class VillageCollection:
    name: str
    due_fen: int
    collected_fen: int
    outstanding_fen: int
    unpaid: int


@dataclass(frozen=True)
class CollectionProgress:
    """征缴进度: 个人应缴金额 against what has come in, for the township and each village."""

    due_fen: int  # 个人应缴金额
    collected_fen: int  # collected towards it = due − outstanding
    outstanding_fen: int  # 未缴金额
    unpaid: int  # 未缴费人数
    paid_fen: int  # 已缴金额 (all money received, as the summary export shows it)
    refund_fen: int  # 应退金额 (事后资助), part of paid_fen
    villages: tuple[VillageCollection, ...]

    @property
    def rate(self) -> float:
        return fraction(self.collected_fen, self.due_fen)


def collection_progress(year: int) -> CollectionProgress:
    return _collection(village_summaries(year))


def _collection(rows: list[VillageSummary]) -> CollectionProgress:
    total = VillageSummary.total_of(rows)
    return CollectionProgress(
        due_fen=total.due_fen,
        collected_fen=total.collected_fen,
        outstanding_fen=total.outstanding_fen,
        unpaid=total.unpaid,
        paid_fen=total.paid_fen,
        refund_fen=total.refund_fen,
        villages=tuple(
            VillageCollection(r.name, r.due_fen, r.collected_fen, r.outstanding_fen, r.unpaid)
            for r in rows
        ),
    )


# --------------------------------------------------------------------------- newborns


@dataclass(frozen=True)
class NewbornCount(_AgainstTarget):
    name: str  # a village, or 合计
    born: int  # born in the year and expected to enrol
    enrolled: int  # enrolled in the birth year
    village_id: int | None = None  # None for a total or a township's line

    target_percent: ClassVar[int] = NEWBORN_TARGET_PERCENT

    def _part_and_whole(self) -> tuple[int, int]:
        return self.enrolled, self.born


@dataclass(frozen=True)
class NewbornEnrollment:
    """新生儿 of the year: how many were enrolled in their birth year (target ≥ 80%)."""

    born: int
    enrolled: int
    not_expected: int  # born in the year, but 死亡/迁出/… : left out of ``born``
    villages: tuple[NewbornCount, ...]  # villages with newborns, in village order
    townships: tuple[NewbornCount, ...] = ()  # a county's 全县 view: a line per township (county_figures)

    @property
    def rate(self) -> float:
        return fraction(self.enrolled, self.born)

    @property
    def meets_target(self) -> bool:
        return meets(self.enrolled, self.born, NEWBORN_TARGET_PERCENT)


# Persons first (SQLite's CROSS JOIN keeps that order; PostgreSQL's planner chooses, and takes no
# ON after CROSS JOIN, so it gets a plain JOIN): scanning birth dates and looking up the year's
# enrollment of the few newborns is three times faster than visiting every enrollment. The latest
# payment is looked up only where :func:`enrolled_in_birth_year` reads it (paid or exempt without a
# paid_on: 31 of 16,000 newborns at a million persons, each lookup two index probes).
_NEWBORN_SQL = """
    SELECT v.id, v.name, v.code, p.birth_date, e.status, e.paid_on, e.enrolled_on,
           CASE WHEN e.paid_on IS NULL AND e.status IN (""" + _sql_set(frozenset({Status.PAID, Status.EXEMPT})) + """) THEN
           (SELECT MAX(pay.paid_on) FROM payment pay
             WHERE pay.person_id = e.person_id AND pay.year = e.year AND pay.amount_fen > 0
               AND NOT EXISTS (SELECT 1 FROM payment r WHERE r.reverses_id = pay.id)) END
    FROM person p
    {join} enrollment e ON e.person_id = p.id AND e.year = ?
    JOIN region v ON v.id = e.village_id
    WHERE p.birth_date BETWEEN ? AND ?"""


def _day(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def enrolled_in_birth_year(
    year: int,
    birth: dt.date,
    status: str,
    paid_on: dt.date | None,
    enrolled_on: dt.date | None,
    last_payment: dt.date | None,
) -> bool:
    """Whether a newborn of ``year`` counts as enrolled in its birth year (module docstring)."""
    if status == Status.PAID.value:
        day = paid_on or last_payment
    elif status == Status.EXEMPT.value:
        day = paid_on or last_payment or enrolled_on or birth
        day = max(day, birth)
    else:
        return False
    return day is not None and counts_as_enrolled_in_birth_year(birth, year, day)


def newborn_enrollment(year: int, township_id: int | None = None) -> NewbornEnrollment:
    per_village: dict[int, list[Any]] = {}
    excluded = 0
    join = "JOIN" if dialect.is_postgres() else "CROSS JOIN"
    params: tuple = (year, f"{year}-01-01", f"{year}-12-31")
    sql = _NEWBORN_SQL.format(join=join)
    if township_id is not None:
        sql, params = sql + " AND v.parent_id = ?", (*params, township_id)
    rows = db.execute_sql(sql, params).fetchall()
    rows.sort(key=lambda r: (r[2] is not None, r[2] or "", r[1]))  # village order, as the summary
    for village_id, name, _code, birth, status, paid_on, enrolled_on, last_payment in rows:
        if status in _NOT_EXPECTED_CODES:
            excluded += 1
            continue
        counts = per_village.setdefault(village_id, [name, 0, 0])
        counts[1] += 1
        born = _day(birth)
        assert born is not None
        if enrolled_in_birth_year(
            year, born, status, _day(paid_on), _day(enrolled_on), _day(last_payment)
        ):
            counts[2] += 1
    villages = tuple(
        NewbornCount(name, born, enrolled, village_id)
        for village_id, (name, born, enrolled) in per_village.items()
    )
    return NewbornEnrollment(
        born=sum(v.born for v in villages),
        enrolled=sum(v.enrolled for v in villages),
        not_expected=excluded,
        villages=villages,
    )


# --------------------------------------------------------------------------- categories


@dataclass(frozen=True)
class CategoryFigure:
    code: str  # "none" for 普通居民
    name: str  # as the year's policy names it
    persons: int  # registered in the year holding the category
    subsidised: int  # 资助人数 with this category applied
    subsidy_fen: int  # 资助金额 with this category applied


def categories(year: int, township_id: int | None = None, registered: int | None = None) -> list[CategoryFigure]:
    """Persons and subsidy per category: the policy's categories in its order (also those nobody
    holds), then categories held but not in the policy, then 普通居民 (of one township only when
    ``township_id`` is given). ``registered``: the year's enrollments (of that township), when
    the caller has counted them already (the dashboard, from its village lines)."""
    policy = policy_for_year(year)
    town, one = ("", ()) if township_id is None else (_OF_TOWNSHIP, (township_id,))
    # each category's holders and the persons holding any, from one join of the memberships with
    # the year's enrollments (a million on a county database; joined twice before), NULL marking
    # the second figure
    held: dict[str, int] = {}
    holding_any = 0
    for code, persons in db.execute_sql(
        f"""WITH held AS (SELECT m.person_id, m.category FROM category_membership m
                 JOIN enrollment e ON e.person_id = m.person_id AND e.year = m.year
                 WHERE m.year = ? AND m.ended_on IS NULL{town})
            SELECT category, COUNT(*) FROM held GROUP BY category
            UNION ALL SELECT NULL, COUNT(DISTINCT person_id) FROM held""",
        (year, *one),
    ).fetchall():
        if code is None:
            holding_any = persons
        else:
            held[code] = persons
    if registered is None:
        registered = db.execute_sql(f"SELECT COUNT(*) FROM enrollment e WHERE e.year = ?{town}",
                                    (year, *one)).fetchone()[0]
    without = registered - holding_any
    applied = {
        code: (subsidised, subsidy)
        for code, subsidised, subsidy in db.execute_sql(
            f"""SELECT e.applied_category,
                       SUM(CASE WHEN e.status IN ({_CONTRIBUTING}) AND e.subsidy_fen > 0 THEN 1 ELSE 0 END),
                       SUM(CASE WHEN e.status IN ({_CONTRIBUTING}) THEN e.subsidy_fen ELSE 0 END)
                FROM enrollment e WHERE e.year = ? AND e.applied_category IS NOT NULL{town}
                GROUP BY e.applied_category""",
            (year, *one),
        ).fetchall()
    }
    order = list(policy.categories) if policy else []
    defaults = list(DEFAULT_CATEGORY_NAMES)
    extra = sorted(
        (set(held) | set(applied)) - set(order) - {NO_CATEGORY},
        key=lambda c: (defaults.index(c) if c in defaults else len(defaults), c),
    )

    def name(code: str) -> str:
        if policy is not None:
            return policy.category_name(code)
        return DEFAULT_CATEGORY_NAMES.get(code, code)

    out = [
        CategoryFigure(code, name(code), held.get(code, 0), *applied.get(code, (0, 0)))
        for code in order + extra
    ]
    out.append(CategoryFigure(NO_CATEGORY, NO_CATEGORY_NAME, without, 0, 0))
    return out


# --------------------------------------------------------------------------- all at once


@dataclass(frozen=True)
class Dashboard:
    """Every figure of the dashboard for one year, read in one go (one village query)."""

    year: int
    villages: tuple[VillageSummary, ...]
    total: VillageSummary
    collection: CollectionProgress
    newborns: NewbornEnrollment
    categories: tuple[CategoryFigure, ...]
    #: a county's 全县 view: a line per township, its villages added up (county_figures)
    townships: tuple[VillageSummary, ...] = ()

    @property
    def rates(self) -> list[VillageRate]:
        return [_rate(s) for s in self.villages]


def dashboard(year: int, township_id: int | None = None) -> Dashboard:
    """The dashboard's figures: the whole ledger's (a county database: 全县), or one township's."""
    rows = village_summaries(year, township_id=township_id)
    total = VillageSummary.total_of(rows)
    return Dashboard(
        year=year,
        villages=tuple(rows),
        total=total,
        collection=_collection(rows),
        newborns=newborn_enrollment(year, township_id),
        categories=tuple(categories(year, township_id, registered=total.total)),  # 总人数: every enrollment
    )
