"""Reading the years that make 连续参保年数 and the waiting period's repair: insured years,
repaired years (补缴), and the follow-up list of long runs a break would reset.

A year is *insured* when its enrollment's status is one of DOMAIN.md section 5's insured
statuses (paid, exempt, employee, elsewhere); it is *repaired* when a back-payment for it is
recorded and not reversed (``payment.kind = 'backpay'``, the year's back-payments sum above 0).
A repaired year's enrollment stays 未缴费: the two sets never overlap. The rules themselves are
in :mod:`desktop_app.domain.continuity` and :mod:`desktop_app.domain.waiting`.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.domain.continuity import INCENTIVE_AFTER_YEARS, Continuity, continuity, run_at_risk
from desktop_app.domain.vocabulary import INSURED
from desktop_app.store import bulk
from desktop_app.store.models import db

_INSURED_SQL = "(" + ", ".join(f"'{status.value}'" for status in sorted(INSURED)) + ")"

YearsByPerson = dict[int, set[int]]


def _collect(sql: str, params: Sequence[object], person_ids: Sequence[int] | None) -> YearsByPerson:
    """(person id, year) rows of ``sql`` (whose last condition is left open with ``{persons}``)
    by person, for some persons (in IN-list chunks) or for all."""
    out: YearsByPerson = {}
    if person_ids is None:
        batches: list[tuple[str, Sequence[object]]] = [(sql.format(persons=""), params)]
    else:
        batches = [
            (sql.format(persons=f"AND person_id IN ({','.join('?' * len(chunk))})"), (*params, *chunk))
            for chunk in bulk.chunks(list(person_ids))
        ]
    for text, values in batches:
        for person_id, year in db.execute_sql(text, values):
            out.setdefault(person_id, set()).add(year)
    return out


def insured_years(person_ids: Sequence[int] | None, up_to: int) -> YearsByPerson:
    """The years up to ``up_to`` in which each person was insured (section 5), by person."""
    return _collect(
        f"SELECT person_id, year FROM enrollment WHERE year <= ? AND status IN {_INSURED_SQL} {{persons}}",
        (up_to,), person_ids,
    )


def repaired_years(person_ids: Sequence[int] | None, up_to: int | None = None) -> YearsByPerson:
    """The years each person paid back (补缴), not reversed, by person."""
    return _collect(
        "SELECT person_id, year FROM payment WHERE kind = 'backpay' AND year <= ? {persons}"
        " GROUP BY person_id, year HAVING SUM(amount_fen) > 0",
        (up_to if up_to is not None else 9999,), person_ids,
    )


def continuity_of(person_ids: Sequence[int], year: int) -> dict[int, Continuity]:
    """连续参保年数 ending with ``year`` and whether the incentive applies, for each person."""
    insured = insured_years(person_ids, year)
    repaired = repaired_years(person_ids, year)
    return {pid: continuity(insured.get(pid, ()), repaired.get(pid, ()), year) for pid in person_ids}


class YearRuns:
    """连续参保年数 by person id, one small integer each in an array indexed by the id (a
    million persons: 2 MB, where a dict of sets of years took 400 MB); ``get`` as a dict's."""

    def __init__(self, runs: array) -> None:
        self._runs = runs

    def get(self, person_id: int, default: int = 0) -> int:
        if 0 <= person_id < len(self._runs):
            return self._runs[person_id] or default
        return default


def continuous_years_of_year(year: int, village_id: int | None = None) -> YearRuns:
    """连续参保年数 ending with ``year`` of every person enrolled that year (in one village): what
    the roster's last column shows (0 for the others).

    Read in one pass over the rows without holding them: each person's insured and repaired
    years as bits of one integer (bit k: ``year - k``), the run the number of its low bits set,
    as :func:`~desktop_app.domain.waiting.continuous_years` counts them (``year``, then the
    year before, … while each is held). A run longer than :data:`_RUN_BITS` years is counted
    as that many (insurance in this form began in 2003)."""
    persons = ""
    params: tuple[object, ...] = (year, year - _RUN_BITS)
    if village_id is not None:
        persons = "AND person_id IN (SELECT person_id FROM enrollment WHERE year = ? AND village_id = ?)"
        params = (*params, year, village_id)
    size = (db.execute_sql("SELECT MAX(id) FROM person").fetchone()[0] or 0) + 1
    bits = array("Q", bytes(8 * size))
    for sql in (f"SELECT person_id, year FROM enrollment WHERE year <= ? AND year > ? AND status IN {_INSURED_SQL}"
                f" {persons}",
                f"SELECT person_id, year FROM payment WHERE kind = 'backpay' AND year <= ? AND year > ? {persons}"
                " GROUP BY person_id, year HAVING SUM(amount_fen) > 0"):
        for person_id, held in db.execute_sql(sql, params):
            if person_id < size:
                bits[person_id] |= 1 << (year - held)
    runs = array("H", bytes(2 * size))
    for person_id, mask in enumerate(bits):
        if mask & 1:
            runs[person_id] = (mask ^ (mask + 1)).bit_length() - 1  # the low bits set, in a row
    return YearRuns(runs)


#: The longest run :func:`continuous_years_of_year` counts (a bit per year in a 64-bit word).
_RUN_BITS = 63


@dataclass(frozen=True)
class RunAtRisk:
    """A person whose long run of insured years a break this year would reset: call them first."""

    person_id: int
    name: str
    id_number: str
    village: str
    household: str
    phone: str
    run_years: int  # consecutive insured (or repaired) years up to last year
    due_fen: int  # what they still owe this year


def long_runs_at_risk(year: int, at_least: int = INCENTIVE_AFTER_YEARS) -> list[RunAtRisk]:
    """Persons still 未缴费 for ``year`` whose consecutive insured years up to ``year - 1`` are
    ``at_least`` (4) or more: unpaid, the break resets the run and its 大病保险 incentive.
    Longest run first, then by village and name."""
    rows = db.execute_sql(
        """SELECT p.id, p.name, p.id_number, v.name, h.number,
                  COALESCE(NULLIF(p.phone, ''), (SELECT hp.phone FROM person hp WHERE hp.household_id = h.id
                                                  AND hp.relation = '户主' AND hp.phone != '' LIMIT 1), ''),
                  CASE WHEN e.due_fen > e.paid_fen THEN e.due_fen - e.paid_fen ELSE 0 END
           FROM enrollment e JOIN person p ON p.id = e.person_id
           JOIN household h ON h.id = p.household_id JOIN region v ON v.id = e.village_id
           WHERE e.year = ? AND e.status = 'unpaid'""",
        (year,),
    ).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    insured = insured_years(ids, year - 1)
    repaired = repaired_years(ids, year)
    out = []
    for pid, name, number, village, household, phone, owed in rows:
        run = run_at_risk(insured.get(pid, ()), repaired.get(pid, ()), year, at_least=at_least)
        if run:
            out.append(RunAtRisk(pid, name, number, village, household, phone, run, owed))
    out.sort(key=lambda r: (-r.run_years, r.village, r.household, r.name))
    return out
