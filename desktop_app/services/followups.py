"""Follow-up lists: newborns before their 90-day deadline, and late enrollers' waiting periods.

(Who is still unpaid is the person table filtered to 未缴费, by village and household, with
phones; see :mod:`desktop_app.services.persons`.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.domain.newborn import days_to_deadline, enrollment_deadline
from desktop_app.domain.vocabulary import INSURED
from desktop_app.domain.waiting import (
    benefit_start,
    break_years,
    exempt_from_waiting,
    repaid_years,
    waiting_period_months,
)
from desktop_app.services.continuity import long_runs_at_risk, repaired_years
from desktop_app.services.policy import policy_for_year
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
        """Unpaid and the deadline is within 15 days (or already passed)."""
        return self.status == "unpaid" and self.days_left <= DEADLINE_WARNING_DAYS


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


def late_enrollers(year: int) -> list[LateEnroller]:
    """Persons who paid for ``year`` outside its collection period, with their waiting period.

    Newborns and the policy's exempt groups have none and are left out. Breaks count the years
    from 2025 on in which the ledger shows the person not insured (DOMAIN.md section 6); the
    years of that break paid back (补缴, :mod:`desktop_app.services.backpay`) repair the variable
    part: each row shows the waiting period before and after repair.
    """
    policy = policy_for_year(year)
    if policy is None:
        return []
    rows = db.execute_sql(
        """SELECT p.id, p.name, p.id_number, v.name, e.paid_on, p.birth_date
           FROM enrollment e JOIN person p ON p.id = e.person_id JOIN region v ON v.id = e.village_id
           WHERE e.year = ? AND e.status = 'paid' AND e.paid_on IS NOT NULL
             AND (e.paid_on < ? OR e.paid_on > ?)""",
        (year, policy.collection_start.isoformat(), policy.collection_end.isoformat()),
    ).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    marks = ",".join("?" * len(ids))
    insured_years: dict[int, set[int]] = {}
    insured = tuple(s.value for s in INSURED)
    for pid, y in db.execute_sql(
        f"SELECT person_id, year FROM enrollment WHERE person_id IN ({marks}) AND year < ?"
        f" AND status IN ({','.join('?' * len(insured))})",
        [*ids, year, *insured],
    ):
        insured_years.setdefault(pid, set()).add(y)
    categories: dict[int, list[str]] = {}
    for pid, code in db.execute_sql(
        f"SELECT person_id, category FROM category_membership WHERE year = ? AND ended_on IS NULL"
        f" AND person_id IN ({marks})",
        [year, *ids],
    ):
        categories.setdefault(pid, []).append(code)
    repaired = repaired_years(ids, year - 1)
    out = []
    for pid, name, number, village_name, paid_on, birth in rows:
        paid = dt.date.fromisoformat(paid_on) if isinstance(paid_on, str) else paid_on
        born = dt.date.fromisoformat(birth) if isinstance(birth, str) else birth
        if born.year >= year - 1 or exempt_from_waiting(policy.waiting, categories.get(pid, ())):
            continue  # newborns and the special groups wait for nothing
        breaks = break_years(insured_years.get(pid, set()), year)
        repaid = repaid_years(repaired.get(pid, set()), year, breaks)
        before = waiting_period_months(breaks, 0, policy.waiting, exempt=False, in_collection_period=False)
        months = waiting_period_months(breaks, repaid, policy.waiting, exempt=False, in_collection_period=False)
        out.append(LateEnroller(pid, name, number, village_name, paid, breaks, months, benefit_start(paid, months),
                                repaid, before))
    out.sort(key=lambda r: r.benefits_from, reverse=True)
    return out


#: Every follow-up list by its key, each a function of the year: what the window's tabs and a
#: command line can list (``long_run``: :func:`desktop_app.services.continuity.long_runs_at_risk`).
LISTS: dict[str, Callable[[int], list]] = {
    "newborns": newborns,
    "late": late_enrollers,
    "long_run": long_runs_at_risk,
}
