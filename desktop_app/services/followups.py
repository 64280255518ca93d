"""Follow-up lists: newborns before their 90-day deadline, waiting periods (late or after a break,
before and after 补缴), and statuses carried from last year still to be confirmed (:data:`LISTS`).

(Who is still unpaid is the person table filtered to 未缴费, by village and household, with
phones; see :mod:`desktop_app.services.persons`.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.domain.newborn import days_to_deadline, enrollment_deadline
from desktop_app.domain.statuses import TO_CONFIRM
from desktop_app.domain.vocabulary import INSURED
from desktop_app.domain.waiting import (
    BREAKS_COUNTED_FROM,
    WaitingReason,
    benefit_start,
    repaid_years,
    waiting_period,
)
from desktop_app.services.continuity import long_runs_at_risk, repaired_years
from desktop_app.services.policy import policy_for_year, policy_years
from desktop_app.store import dialect
from desktop_app.store.models import db

#: Newborns this close to their deadline, still unpaid, are highlighted (issue 5).
DEADLINE_WARNING_DAYS = 15


@dataclass(frozen=True)
class NewbornRow:
    person_id: int
    name: str
    id_number: str
    village: str
    birth_date: dt.date
    deadline: dt.date
    days_left: int
    status: str
    paid_on: dt.date | None
    guardian: str
    phone: str

    @property
    def urgent(self) -> bool:
        """Unpaid and the deadline is within 15 days or already passed (:attr:`near_deadline`
        or :attr:`overdue`): to call first."""
        return self.status == "unpaid" and self.days_left <= DEADLINE_WARNING_DAYS

    @property
    def overdue(self) -> bool:
        """已逾期: unpaid and the deadline has passed (not 临近截止, however long ago)."""
        return self.status == "unpaid" and self.days_left < 0

    @property
    def near_deadline(self) -> bool:
        """临近截止: unpaid, the deadline today or within the next 15 days."""
        return self.status == "unpaid" and 0 <= self.days_left <= DEADLINE_WARNING_DAYS

    @property
    def deadline_words(self) -> str:
        """已逾期N天, 临近截止 or nothing: what the deadline means for this child today."""
        if self.overdue:
            return f"已逾期{-self.days_left}天"
        return "临近截止" if self.near_deadline else ""


def newborns(year: int, today: dt.date | None = None) -> list[NewbornRow]:
    """新生儿 of ``year`` with their deadline (birth + 90 days), nearest deadline first."""
    today = today or dt.date.today()
    rows = db.execute_sql(
        """SELECT p.id, p.name, p.id_number, v.name, p.birth_date, e.status, e.paid_on, h.head_name,
                  COALESCE(NULLIF(p.phone, ''), (SELECT hp.phone FROM person hp WHERE hp.household_id = h.id
                                                  AND hp.relation = '户主' LIMIT 1), '')
           FROM person p JOIN household h ON h.id = p.household_id JOIN region v ON v.id = h.village_id
           JOIN enrollment e ON e.person_id = p.id AND e.year = ?
           WHERE p.birth_date BETWEEN ? AND ?""",
        (year, f"{year}-01-01", f"{year}-12-31"),
    ).fetchall()
    out = []
    for pid, name, number, village_name, birth, status, paid_on, head, phone in rows:
        born = birth if isinstance(birth, dt.date) else dt.date.fromisoformat(birth)
        paid = dt.date.fromisoformat(paid_on) if isinstance(paid_on, str) else paid_on
        out.append(NewbornRow(pid, name, number, village_name, born, enrollment_deadline(born),
                              days_to_deadline(born, today), status, paid, head if head != name else "", phone))
    out.sort(key=lambda r: (r.status != "unpaid", r.days_left))
    return out


@dataclass(frozen=True)
class LateEnroller:
    person_id: int
    name: str
    id_number: str
    village: str
    paid_on: dt.date
    break_years: int
    waiting_months: int  # after repair (补缴): what applies
    benefits_from: dt.date
    repaid_years: int = 0  # P: years of the break paid back
    waiting_before: int = 0  # the waiting period without the repair
    reason: WaitingReason = WaitingReason.PAID_LATE  # paid late, or after a break (even on time)


def late_enrollers(year: int) -> list[LateEnroller]:
    """Persons who paid for ``year`` and have a waiting period: paid outside the collection
    period, or after a break (DOMAIN.md §10: also when they paid inside it), newest start first.

    :func:`desktop_app.domain.waiting.waiting_period` decides for each, from the years the
    ledger shows them insured (its loaded policy years only: of a year never loaded nothing is
    known), their categories that year and their birth date (a newborn waits for nothing, a
    child that missed its birth year does). The years of a break paid back (补缴,
    :mod:`desktop_app.services.backpay`) repair the variable part (P, counted once: a repaired
    year stays a year of break for B): each row shows the waiting period before and after repair.

    One query finds the candidates: paid outside the period, or not insured the year before
    (the only way to a break); the domain function decides among them.
    """
    policy = policy_for_year(year)
    if policy is None:
        return []
    kept = set(policy_years())
    insured = tuple(s.value for s in INSURED)
    in_list = ",".join("?" * len(insured))
    # a break needs the year before to count (from 2025 on, a loaded year) and be uninsured
    may_break = year - 1 >= BREAKS_COUNTED_FROM and year - 1 in kept
    candidates = f"""SELECT e.person_id FROM enrollment e WHERE e.year = ? AND e.status = 'paid'
                       AND e.paid_on IS NOT NULL AND (e.paid_on < ? OR e.paid_on > ?
                       OR (? AND NOT EXISTS (SELECT 1 FROM enrollment b WHERE b.person_id = e.person_id
                                             AND b.year = ? AND b.status IN ({in_list}))))"""
    chosen = (year, policy.collection_start.isoformat(), policy.collection_end.isoformat(),
              may_break, year - 1, *insured)
    rows = db.execute_sql(
        f"""SELECT p.id, p.name, p.id_number, v.name, e.paid_on, p.birth_date
           FROM enrollment e JOIN person p ON p.id = e.person_id JOIN region v ON v.id = e.village_id
           WHERE e.year = ? AND e.person_id IN ({candidates})""",
        (year, *chosen),
    ).fetchall()
    if not rows:
        return []
    insured_years: dict[int, set[int]] = {}
    for pid, y in db.execute_sql(
        f"SELECT person_id, year FROM enrollment WHERE year >= ? AND year < ? AND status IN ({in_list})"
        f" AND person_id IN ({candidates})",
        (BREAKS_COUNTED_FROM, year, *insured, *chosen),
    ):
        insured_years.setdefault(pid, set()).add(y)
    categories: dict[int, list[str]] = {}
    for pid, code in db.execute_sql(
        "SELECT person_id, category FROM category_membership WHERE year = ? AND ended_on IS NULL"
        f" AND person_id IN ({candidates})",
        (year, *chosen),
    ):
        categories.setdefault(pid, []).append(code)
    repaired = repaired_years([r[0] for r in rows], year - 1)
    out = []
    for pid, name, number, village_name, paid_on, birth in rows:
        paid = dt.date.fromisoformat(paid_on) if isinstance(paid_on, str) else paid_on
        born = dt.date.fromisoformat(birth) if isinstance(birth, str) else birth
        facts = (policy, paid, born, insured_years.get(pid, set()), categories.get(pid, ()))
        before = waiting_period(*facts, kept_years=kept)
        repaid = repaid_years(repaired.get(pid, set()), year, before.break_years)
        wait = waiting_period(*facts, repaid_years=repaid, kept_years=kept) if repaid else before
        if wait.months:
            out.append(LateEnroller(pid, name, number, village_name, paid, wait.break_years, wait.months,
                                    benefit_start(paid, wait.months), repaid, before.months, wait.reason))
    out.sort(key=lambda r: r.benefits_from, reverse=True)
    return out


# ------------------------------------------------------------------ statuses to confirm
#
# How "confirmed for this year" is known, without a column of its own: every status decided for
# a year by a person — marked, confirmed or cleared at the desk, set or cleared by a roster row —
# leaves an audit entry on that year's enrollment (action ``status`` or ``status-confirm``,
# record id the enrollment's id). A status carried into a new year (services.charges
# .ensure_enrollments) is written by no one: its enrollment has the same status as the year
# before and no such entry. The audit trail's (table, record_id) index makes the test cheap.

#: The audit actions that decide an enrollment's status for its year.
STATUS_ACTIONS = ("status", "status-confirm")

_TO_CONFIRM_CODES = tuple(sorted(s.value for s in TO_CONFIRM))
_DECIDED = (
    "EXISTS (SELECT 1 FROM audit_entry a WHERE a.\"table\" = 'enrollment' AND a.record_id = CAST(e.id AS TEXT)"
    f" AND a.action IN ({', '.join(repr(a) for a in STATUS_ACTIONS)}))"
)
_CARRIED_FROM = (
    "JOIN enrollment prev ON prev.person_id = e.person_id AND prev.year = e.year - 1 AND prev.status = e.status"
)
_CARRIED_WHERE = f"e.year = ? AND e.status IN ({','.join('?' * len(_TO_CONFIRM_CODES))}) AND NOT {_DECIDED}"


@dataclass(frozen=True)
class ToConfirmRow:
    """A status carried into ``year`` that nobody has confirmed or cleared for it yet."""

    person_id: int
    enrollment_id: int
    name: str
    id_number: str
    village: str
    household_number: str
    head_name: str
    phone: str
    status: str  # employee | elsewhere | military | other
    reason: str
    recorded_year: int  # the last year someone recorded or confirmed it


def to_confirm_person_ids(year: int) -> set[int]:
    """The persons whose status in ``year`` was carried from last year and awaits confirming."""
    return {pid for (pid,) in db.execute_sql(
        f"SELECT e.person_id FROM enrollment e {_CARRIED_FROM} WHERE {_CARRIED_WHERE}", (year, *_TO_CONFIRM_CODES)
    )}


def to_confirm(year: int, person_id: int | None = None) -> list[ToConfirmRow]:
    """待确认: 职工医保, 异地参保, 服兵役 and 其他 carried into ``year`` and not yet confirmed or
    cleared for it (DOMAIN.md section 10), by village and household; one person's row only when
    ``person_id`` is given. 死亡 and 迁出 carry silently and are never listed."""
    one = "" if person_id is None else " AND e.person_id = ?"
    rows = db.execute_sql(
        f"""SELECT e.person_id, e.id, p.name, p.id_number, v.name, h.number, h.head_name, p.phone,
                   e.status, e.status_reason
            FROM enrollment e {_CARRIED_FROM}
            JOIN person p ON p.id = e.person_id JOIN household h ON h.id = p.household_id
            JOIN region v ON v.id = e.village_id
            WHERE {_CARRIED_WHERE}{one}
            ORDER BY {dialect.text_key("v.name")}, {dialect.text_key("h.number")}, p.id""",
        (year, *_TO_CONFIRM_CODES, *(() if person_id is None else (person_id,))),
    ).fetchall()
    if not rows:
        return []
    recorded = _recorded_years(year, {r[0]: r[8] for r in rows}, person_id)
    return [ToConfirmRow(*r[:10], recorded[r[0]]) for r in rows]


def _recorded_years(year: int, statuses: dict[int, str], person_id: int | None) -> dict[int, int]:
    """For each person, the last year before ``year`` in which their status was recorded or
    confirmed: walking back through the years it was carried unconfirmed."""
    one = "" if person_id is None else " AND e.person_id = ?"
    earlier: dict[tuple[int, int], tuple[str, bool]] = {
        (pid, y): (status, bool(decided))
        for pid, y, status, decided in db.execute_sql(
            f"""SELECT e.person_id, e.year, e.status, {_DECIDED} FROM enrollment e
                WHERE e.year < ? AND e.status IN ({','.join('?' * len(_TO_CONFIRM_CODES))}){one}""",
            (year, *_TO_CONFIRM_CODES, *(() if person_id is None else (person_id,))),
        )
    }
    found: dict[int, int] = {}
    for pid, status in statuses.items():
        y = year - 1
        while True:
            _status, decided = earlier[(pid, y)]
            before = earlier.get((pid, y - 1))
            if decided or before is None or before[0] != status:
                break
            y -= 1
        found[pid] = y
    return found


#: Every follow-up list by the one name the window and the command line know it by, each a
#: function of the year giving the list's rows (``long_run``:
#: :func:`desktop_app.services.continuity.long_runs_at_risk`).
LISTS: dict[str, Callable[[int], list]] = {
    "newborns": newborns,
    "late": late_enrollers,
    "confirm": to_confirm,
    "long_run": long_runs_at_risk,
}
