"""Follow-up lists: newborns before their 90-day deadline, and waiting periods (late or after a break).

(Who is still unpaid is the person table filtered to 未缴费, by village and household, with
phones; see :mod:`desktop_app.services.persons`.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desktop_app.domain.newborn import days_to_deadline, enrollment_deadline
from desktop_app.domain.vocabulary import INSURED
from desktop_app.domain.waiting import BREAKS_COUNTED_FROM, WaitingReason, benefit_start, waiting_period
from desktop_app.services.policy import policy_for_year, policy_years
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
    waiting_months: int
    benefits_from: dt.date
    reason: WaitingReason = WaitingReason.PAID_LATE  # paid late, or after a break (even on time)


def late_enrollers(year: int) -> list[LateEnroller]:
    """Persons who paid for ``year`` and have a waiting period: paid outside the collection
    period, or after a break (DOMAIN.md §10: also when they paid inside it), newest start first.

    :func:`desktop_app.domain.waiting.waiting_period` decides for each, from the years the
    ledger shows them insured (its loaded policy years only: of a year never loaded nothing is
    known), their categories that year and their birth date (a newborn waits for nothing, a
    child that missed its birth year does). Back-payment is not recorded in the ledger yet, so
    no years are counted as repaid.

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
    out = []
    for pid, name, number, village_name, paid_on, birth in rows:
        paid = dt.date.fromisoformat(paid_on) if isinstance(paid_on, str) else paid_on
        born = dt.date.fromisoformat(birth) if isinstance(birth, str) else birth
        wait = waiting_period(policy, paid, born, insured_years.get(pid, set()), categories.get(pid, ()), kept_years=kept)
        if wait.months:
            out.append(LateEnroller(pid, name, number, village_name, paid, wait.break_years, wait.months,
                                    benefit_start(paid, wait.months), wait.reason))
    out.sort(key=lambda r: r.benefits_from, reverse=True)
    return out
