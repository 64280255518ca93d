"""Persons and years (DOMAIN.md section 10): which loaded policy years each person belongs to.

"A person belongs to every loaded policy year from the year they were added (or born, if
later); adding a person or loading a year creates the missing enrollments, and ``check``
reports any person missing one."

**The year a person was added** is the first year the ledger records them in: the earliest year
of any enrollment, payment or category membership they have. Why not ``Person.created_at``'s
year: people are added *for* a year, and the calendar says little about which one: a roster
for 2024 imported in 2026 adds its persons for 2024 (it gives them a 2024 enrollment), and
during the collection period (September to December) staff add people for next year. The data
model keeps the year a person was added for in the rows made for them then (an import writes
its year's enrollment, categories and payments; the desk enrolls the person at once), so the
earliest of those years is that year, with no new column. A payment or category recorded for an
earlier year (a county list of 2024 brought in later) also shows the person was there in 2024.

Only a person the ledger records in no year yet (added at the desk before any policy year was
loaded, or born after every loaded year) falls back on the calendar: the year of
``Person.created_at``, or the newest loaded year when that is earlier (the desk at work in
January before the new year's policy arrives still enrolls the person in the year it is
collecting for). "Or born, if later": nobody belongs to a year that ended before their birth.

:data:`FIRST_YEAR_SQL` is that rule as SQL over a person row aliased ``p``, so that making
enrollments (:func:`desktop_app.services.charges.ensure_enrollments`) and ``check``
(:func:`missing_enrollments`) cannot disagree about it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from desktop_app.store import dialect


def first_year_sql(postgres: bool = False) -> str:
    """The first year person ``p`` belongs to, as an SQL expression (module docstring); the
    smaller of two values is ``MIN(a, b)`` on SQLite, ``LEAST(a, b)`` on PostgreSQL."""
    if postgres:
        created, smaller = "CAST(EXTRACT(YEAR FROM p.created_at) AS INTEGER)", "LEAST"
    else:
        created, smaller = "CAST(strftime('%Y', p.created_at) AS INTEGER)", "MIN"
    return f"""COALESCE(
    (SELECT MIN(y) FROM (SELECT MIN(year) AS y FROM enrollment WHERE person_id = p.id
                         UNION ALL SELECT MIN(year) FROM payment WHERE person_id = p.id
                         UNION ALL SELECT MIN(year) FROM category_membership WHERE person_id = p.id) AS firsts),
    {smaller}({created}, (SELECT MAX(year) FROM policy_year)))"""


#: The rule on SQLite, as :func:`first_year_sql` writes it there.
FIRST_YEAR_SQL = first_year_sql()


def belongs_sql(year_param: str = "?", postgres: bool | None = None) -> str:
    """The SQL condition "person ``p`` belongs to the year given by ``year_param``": born by the
    end of that year, and that year not before the first year they belong to. ``year_param``
    is bound twice as an integer (``?`` twice, or a column such as ``y.year``). ``postgres``:
    the engine (default: the ledger's)."""
    postgres = dialect.is_postgres() if postgres is None else postgres
    year_end = (f"make_date(CAST({year_param} AS INTEGER), 12, 31)" if postgres
                else f"printf('%04d-12-31', {year_param})")
    return f"p.birth_date <= {year_end} AND {first_year_sql(postgres)} <= {year_param}"


@dataclass(frozen=True)
class MissingEnrollments:
    """Persons lacking an enrollment for a loaded year they belong to: how many rows are missing,
    and the first few (name, ID number, year)."""

    count: int
    first: tuple[tuple[str, str, int], ...]

    def message(self) -> str:
        """One line in plain Chinese for ``check``: counted, the first few named."""
        named = "、".join(f"{name}（{number[:6]}…{number[-4:]}）缺{year}年度" for name, number, year in self.first)
        more = "等" if self.count > len(self.first) else ""
        return (f"有{self.count}条参保登记缺失：这些人属于已载入的年度，却没有该年度的参保登记"
                f"（不在该年度的名单和总人数里）：{named}{more}。重新载入该年度的政策文件即可补齐")


def missing_enrollments(conn: sqlite3.Connection, first: int = 5) -> MissingEnrollments:
    """Every person × loaded policy year the person belongs to without an enrollment, in one
    query on ``conn`` (a plain connection: ``check`` reads the file so): the count and the first
    ``first`` of them, oldest year first. 0.3 s on 100,000 persons × 3 years here (one index probe
    per person and year; the rule's subqueries only for the rows missing). On PostgreSQL ``conn``
    is psycopg's own connection (``%s`` placeholders)."""
    postgres = not isinstance(conn, sqlite3.Connection)
    rows = conn.execute(
        f"""SELECT name, id_number, year, COUNT(*) OVER () FROM (
                SELECT p.name AS name, p.id_number AS id_number, y.year AS year, p.id AS pid
                FROM person p CROSS JOIN policy_year y  -- the cheap index probe first, then the rule
                WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = p.id AND e.year = y.year)
                  AND {belongs_sql('y.year', postgres=postgres)}) AS missing
            ORDER BY year, pid LIMIT {'%s' if postgres else '?'}""",
        (first,),
    ).fetchall()
    count = rows[0][3] if rows else 0
    return MissingEnrollments(count, tuple((name, number, year) for name, number, year, _ in rows))
