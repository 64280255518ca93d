"""Keeping stored charges equal to the rule functions: recompute and verify.

Every enrollment row stores its year's standard, applied category, subsidy, amount due, amount
paid, collection mode and status. They are never typed in: this module computes them from the
policy year, the person's categories for that year and the person's payments, with
``desktop_app.domain.charges``. Services that change any of those inputs call :func:`recompute`
inside their own transaction; ``check --charges`` calls :func:`verify`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from desktop_app.domain.charges import Charge, compute_charge, enrollment_status
from desktop_app.domain.policy import Policy
from desktop_app.domain.statuses import carried_status
from desktop_app.domain.vocabulary import RECORDED_STATUSES
from desktop_app.services.ledger import ServiceError, enrollment_years
from desktop_app.services.policy import policy_for_year, policy_years
from desktop_app.services.policy_years import belongs_sql
from desktop_app.store import bulk, dialect
from desktop_app.store.models import db

Progress = Callable[[int, int], None]

_FIELDS = ("status", "applied_category", "standard_fen", "subsidy_fen", "due_fen", "paid_fen", "collection_mode")


@dataclass(frozen=True)
class Difference:
    """A stored enrollment that does not equal what the rules give."""

    enrollment_id: int
    person_id: int
    year: int
    field: str
    stored: object
    computed: object


def _by_person(select: str, year: int, person_ids: list[int] | None, suffix: str = "") -> list[tuple]:
    """``SELECT … WHERE year = ?`` for the year, for some persons (in chunks) or for all."""
    if person_ids is None:
        return db.execute_sql(f"{select} WHERE year = ? {suffix}", (year,)).fetchall()
    rows: list[tuple] = []
    for chunk in bulk.chunks(person_ids):
        marks = ",".join("?" * len(chunk))
        rows.extend(
            db.execute_sql(
                f"{select} WHERE year = ? AND person_id IN ({marks}) {suffix}", (year, *chunk)
            ).fetchall()
        )
    return rows


_RECORDED = {status.value: status for status in RECORDED_STATUSES}
#: Above this many persons, read the whole year's inputs at once instead of in IN (...) chunks.
_WHOLE_YEAR = 20_000


class _Rules:
    """The rules of one policy year, with the charge of each set of categories computed once
    (a township has a handful of such sets)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._charges: dict[frozenset[str], Charge] = {}

    def values(self, held: frozenset[str], amount_paid: int, stored_status: str | None) -> tuple:
        """The stored values the rules give, in ``_FIELDS`` order, for a person holding the
        categories ``held`` who paid ``amount_paid`` in all (their payments' sum)."""
        charge = self._charges.get(held)
        if charge is None:
            charge = self._charges[held] = compute_charge(self.policy, held)
        status = enrollment_status(charge, _RECORDED.get(stored_status or ""), max(amount_paid, 0))
        return (status.value, charge.applied_category, charge.standard_fen, charge.subsidy_fen,
                charge.due_fen, amount_paid, charge.mode.value)


class _Inputs(_Rules):
    """Everything the rules need for some persons' year: categories and payments, read once."""

    def __init__(self, policy: Policy, person_ids: list[int] | None) -> None:
        super().__init__(policy)
        year = policy.year
        ids = None if person_ids is None or len(person_ids) > _WHOLE_YEAR else person_ids
        self.categories: dict[int, list[str]] = {}
        for person_id, code in _by_person(
            "SELECT person_id, category FROM category_membership", year, ids, "AND ended_on IS NULL"
        ):
            self.categories.setdefault(person_id, []).append(code)
        self.paid: dict[int, int] = {}
        self.paid_on: dict[int, str | None] = {}
        for person_id, total, last in _by_person(
            "SELECT person_id, SUM(amount_fen), MAX(CASE WHEN amount_fen > 0 THEN paid_on END) FROM payment",
            # a back-payment (补缴) repairs a missed year but is not its enrollment (DOMAIN.md §10)
            year, ids, "AND kind = 'normal' GROUP BY person_id",
        ):
            self.paid[person_id] = total
            self.paid_on[person_id] = last

    def expected(self, person_id: int, stored_status: str | None) -> tuple:
        """The stored values the rules give for the person, in ``_FIELDS`` order."""
        return self.values(
            frozenset(self.categories.get(person_id, ())), self.paid.get(person_id, 0), stored_status
        )


def _expected_rows(policy: Policy, person_ids: list[int] | None) -> Iterable[tuple[int, int, tuple, tuple]]:
    """(enrollment id, person id, stored values, expected values) for the year's enrollments."""
    inputs = _Inputs(policy, person_ids)
    enrollments = _by_person(
        f"SELECT id, person_id, {', '.join(_FIELDS)} FROM enrollment", policy.year, person_ids
    )
    for enrollment_id, person_id, *stored in enrollments:
        yield enrollment_id, person_id, tuple(stored), inputs.expected(person_id, stored[0])


_INSERT_ENROLLMENT = (
    f"INSERT INTO enrollment (person_id, year, village_id, status_reason, {', '.join(_FIELDS)}, paid_on,"
    " enrolled_on, updated_at)"
)


def _enrollment_row(updated_at: str) -> str:
    return f"(?, ?, ?, ?, {', '.join('?' * len(_FIELDS))}, ?, NULL, {updated_at})"


def ensure_enrollments(year: int, *, persons_before: int | None = None,
                       for_persons: Sequence[int] | None = None) -> int:
    """Give every person who belongs to ``year`` an enrollment row for it, charges computed;
    return how many were made.

    Who belongs to a year (DOMAIN.md §10): everyone from the first year the ledger records them
    in (the year they were added for), or their birth year if later; see
    :mod:`desktop_app.services.policy_years`. A person added for 2025 gets no row when 2024 is
    loaded afterwards; one added for 2024 gets a row when 2025 is loaded, whenever that is.

    A status recorded with a reason last year (职工医保, 死亡, 迁出…) carries over with its reason
    (:func:`_new_year_row`); 职工医保, 异地参保, 服兵役 and 其他 then wait on the "to confirm"
    follow-up list until confirmed or cleared for the year. Everything else follows from the
    rules: the person's categories and payments already in the ledger give subsidy, amount due,
    amount paid, status and the date paid, written in the same insert. The village is the
    person's household's village now.

    ``persons_before``: only persons whose id is below it (an import that has just made the
    enrollments of the persons it created, ids from there up, with :func:`insert_enrollments`).

    ``for_persons``: only these persons, each given the year when born by its end, whatever year
    the ledger first recorded them in: a payment for the year is itself the record that they
    belong to it (a baby born 2024-12-15, registered in January, paying for 2024).
    """
    below = "" if persons_before is None else "AND p.id < ?"
    before = () if persons_before is None else (persons_before,)
    if for_persons is None:
        if not _anyone_without(year, below, before):
            return 0
        who, who_params = belongs_sql(), (year, year)
    else:
        ids = list(for_persons)
        if not ids:
            return 0
        who = f"p.birth_date <= ? AND p.id IN ({','.join('?' * len(ids))})"
        who_params = (f"{year}-12-31", *ids)
    missing = db.execute_sql(
        f"""SELECT p.id, h.village_id, prev.status, prev.status_reason
           FROM person p
           JOIN household h ON h.id = p.household_id
           LEFT JOIN enrollment prev ON prev.person_id = p.id AND prev.year = ?
           WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = p.id AND e.year = ?)
             AND {who} {below}""",
        (year - 1, year, *who_params, *before),
    ).fetchall()
    if not missing:
        return 0
    policy = policy_for_year(year)
    if policy is None:
        raise ServiceError(f"{year}年度还没有载入政策，无法登记参保")
    inputs = _Inputs(policy, [row[0] for row in missing])
    return bulk.insert_rows(
        db.connection(), _INSERT_ENROLLMENT, _enrollment_row(dialect.now_local()),
        (_new_year_row(inputs, person_id, year, village_id, *carried_status(previous, previous_reason))
         for person_id, village_id, previous, previous_reason in missing),
    )


def _anyone_without(year: int, below: str, before: tuple) -> bool:
    """Whether any person born by the end of ``year`` lacks an enrollment for it: when none does
    (a year every person has, as after each import's own), :func:`ensure_enrollments` looks no
    further. Its own query tests the first year a person belongs to, three lookups per person,
    before PostgreSQL's planner gets to the anti-join: 0.48 s of server time over 100,000 enrolled
    persons where this takes one pass of the anti-join (SQLite's planner already ran it first)."""
    return db.execute_sql(
        f"""SELECT EXISTS (SELECT 1 FROM person p
               WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = p.id AND e.year = ?)
                 AND p.birth_date <= ? {below})""",
        (year, f"{year}-12-31", *before),
    ).fetchone()[0]


def _new_year_row(inputs: _Inputs, person_id: int, year: int, village_id: int, carried: str | None,
                  reason: str) -> tuple:
    """A new year's enrollment row: the status carried from last year (``carried_status``:
    死亡 and 迁出 silently, the other four to be confirmed, see services.followups.to_confirm)
    with its reason, the rest by the rules."""
    return (person_id, year, village_id, reason, *inputs.expected(person_id, carried), inputs.paid_on.get(person_id))


def ensure_every_year() -> int:
    """:func:`ensure_enrollments` for every loaded policy year, oldest first: after persons were
    added (at the desk, by a roster of any year), each has a row for every year they belong to.
    Returns how many rows were made."""
    return sum(ensure_enrollments(year) for year in policy_years())


#: (person id, village id, categories held, sum of payments, date of the last positive payment,
#: recorded status or None, its reason)
KnownInputs = tuple[int, int, Iterable[str], int, str | None, str | None, str]


def insert_enrollments(policy: Policy, persons: Iterable[KnownInputs], updated_at: str) -> int:
    """Enrollment rows for the policy's year for persons whose inputs the caller has in hand and
    who have none for the year yet (an import's new persons, whose categories and payments it
    has just written): the same rows :func:`ensure_enrollments` would make, without reading those
    inputs back from the ledger or searching for who lacks a row. ``categories`` are those the
    person holds this year, not ended; a recorded status (one of ``RECORDED_STATUSES``) comes with
    its reason, and any other status is left to the rules, as it is when a status is carried over.
    The caller leaves out persons born after the year. Returns how many rows were made.
    """
    rules = _Rules(policy)
    year = policy.year
    # one computation per distinct input: a roster of 100,000 persons has a few dozen
    # (categories, amount paid, recorded status) combinations
    memo: dict[tuple, tuple] = {}

    def rows():  # noqa: ANN202
        for person_id, village_id, categories, amount_paid, paid_on, recorded, reason in persons:
            key = (tuple(categories), amount_paid, recorded)
            values = memo.get(key)
            if values is None:
                values = memo[key] = rules.values(frozenset(key[0]), amount_paid, recorded)
            reason = reason if recorded in _RECORDED else ""
            yield (person_id, year, village_id, reason, *values, paid_on, updated_at)

    return bulk.insert_rows(db.connection(), _INSERT_ENROLLMENT, _enrollment_row("?"), rows())


def recompute(year: int, person_ids: Iterable[int] | None = None) -> int:
    """Bring the year's stored charges in line with the rules; return how many rows changed.

    Runs inside the caller's transaction when there is one (``db.atomic`` nests as a savepoint).
    A year without a policy has nothing to compute from and is refused.
    """
    policy = policy_for_year(year)
    if policy is None:
        raise ServiceError(f"{year}年度还没有载入政策，无法计算应缴金额")
    ids = None if person_ids is None else sorted(set(person_ids))
    updates = [
        (*expected, enrollment_id)
        for enrollment_id, _person, stored, expected in _expected_rows(policy, ids)
        if stored != expected
    ]
    if updates:
        assignments = ", ".join(f"{name} = ?" for name in _FIELDS)
        with db.atomic():
            db.connection().executemany(
                f"UPDATE enrollment SET {assignments}, updated_at = {dialect.now_local()} WHERE id = ?",
                updates,
            )
    return len(updates)


def verify(years: Iterable[int] | None = None, progress: Progress | None = None) -> list[Difference]:
    """Recompute every stored charge without writing, and list each field that differs."""
    chosen = list(years) if years is not None else enrollment_years()
    known = set(policy_years())
    differences: list[Difference] = []
    for done, year in enumerate(chosen):
        if year not in known:
            count = db.execute_sql("SELECT COUNT(*) FROM enrollment WHERE year = ?", (year,)).fetchone()[0]
            if count:
                differences.append(Difference(0, 0, year, "policy", f"{count}条登记", "该年度没有政策"))
            continue
        policy = policy_for_year(year)
        assert policy is not None
        for enrollment_id, person_id, stored, expected in _expected_rows(policy, None):
            for name, was, should in zip(_FIELDS, stored, expected):
                if was != should:
                    differences.append(Difference(enrollment_id, person_id, year, name, was, should))
        if progress is not None:
            progress(done + 1, len(chosen))
    return differences
