"""A roster's 参保状态 column: what each row's value does to the person's year (DOMAIN.md §10).

:func:`desktop_app.domain.statuses.roster_status` decides; this module gives it what the ledger
holds for the year (the status recorded for each person, whether it was carried and waits to be
confirmed) and checks a stated computed status (未缴费, 已缴费, 全额资助代缴) against what the rules
will give after the import: a value that cannot be applied is a warning on its row, never silent.
:func:`write` records the statuses the rows set or clear, one audit entry per enrollment.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from desktop_app.domain.charges import Charge, compute_charge, enrollment_status
from desktop_app.domain.policy import Policy
from desktop_app.domain.statuses import (
    COMPUTED,
    RosterStatus,
    StatusCell,
    computed_mismatch,
    roster_status,
)
from desktop_app.domain.vocabulary import RECORDED_STATUSES, Status
from desktop_app.exchange import Field
from desktop_app.services import audit
from desktop_app.services.followups import to_confirm_person_ids
from desktop_app.store import bulk

if TYPE_CHECKING:  # roster imports this module
    from desktop_app.services.importing.roster import RosterRow

_RECORDED = frozenset(s.value for s in RECORDED_STATUSES)
_COMPUTED = frozenset(s.value for s in COMPUTED)
_NONE: frozenset[str] = frozenset()


class RosterStatuses:
    """The year's statuses as the ledger holds them, and the rules to compute the rest with.

    ``enrolled``: person id → (status in the year, has a payment in the year, amount paid);
    ``held``: person id → categories held in the year.
    """

    def __init__(self, policy: Policy, enrolled: dict[int, tuple[str, bool, int]], held: dict[int, set[str]]) -> None:
        self.policy = policy
        self.enrolled = enrolled
        self.held = held
        self.carried = to_confirm_person_ids(policy.year)
        self._charges: dict[frozenset[str], Charge] = {}
        self._statuses: dict[tuple, Status] = {}
        # a roster repeats a handful of (cell, remark, recorded, carried): each decided once
        self._decisions: dict[tuple, RosterStatus] = {}

    def _computed(self, categories: frozenset[str], paid_fen: int) -> Status:
        key = (categories, paid_fen)
        status = self._statuses.get(key)
        if status is None:
            charge = self._charges.get(categories)
            if charge is None:
                charge = self._charges[categories] = compute_charge(self.policy, categories)
            status = self._statuses[key] = enrollment_status(charge, None, max(paid_fen, 0))
        return status

    def _decide(self, cell: StatusCell, remark: str, recorded: str | None, carried: bool) -> RosterStatus:
        key = (cell, remark, recorded, carried)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decisions[key] = roster_status(cell, remark, recorded, carried)
        return decision

    def apply(self, row: RosterRow, cell: StatusCell | None, remark: str,
              warn: Callable[[Field, str, str], None]) -> RosterRow:
        """``row`` (a roster row) with the status its cell records or clears; warnings through
        ``warn(field, reason, id number)``."""
        if cell is None:
            return row
        pid = row.person_id
        status, has_payment, paid = self.enrolled.get(pid, ("", False, 0)) if pid is not None else ("", False, 0)
        if (status in _COMPUTED and cell.status is not None and status == cell.status.value
                and (has_payment or not row.paid_fen)
                and (not row.categories or self.held.get(pid, _NONE).issuperset(row.categories))):
            return row  # the ledger has the stated computed status and the row brings nothing new (our re-import)
        recorded = status if status in _RECORDED else None
        decision = self._decide(cell, remark, recorded, pid in self.carried)
        if decision.warning:
            warn(Field.STATUS, decision.warning, row.id_number)
            return row
        if decision.record is not None:
            return row._replace(recorded_status=decision.record.value, status_reason=decision.reason)
        if decision.expect is not None and row.birth_date.year <= self.policy.year:
            categories = frozenset(row.categories).union(self.held.get(pid, ()) if pid is not None else ())
            # a roster's payment is taken only for a person with none this year (roster._write_extras)
            amount = paid if has_payment else ((row.paid_fen or 0) if row.paid_on else 0)
            mismatch = computed_mismatch(cell.text, decision.expect, self._computed(categories, amount))
            if mismatch:
                warn(Field.STATUS, mismatch, row.id_number)
        return row._replace(clear_status=decision.clear) if decision.clear else row

    def changes(self, row: RosterRow) -> bool:
        """Whether a known person's row changes their status for the year: a status recorded
        that differs or confirms a carried one, or a carried one cleared."""
        if row.clear_status:
            return True
        if not row.recorded_status:
            return False
        status = self.enrolled.get(row.person_id, ("", False, 0))[0]
        return row.recorded_status != status or row.person_id in self.carried


def write(conn: sqlite3.Connection, year: int, source: str, rows: Iterable[RosterRow]) -> int:
    """Record (or clear) the statuses of known persons' rows for ``year``, each with its audit
    entry on the enrollment (which takes a carried status off the "to confirm" list); return
    how many. Charges are recomputed by the caller (cleared statuses follow the rules again)."""
    # person → (clear, status, reason): not the rows (a plan's rows are read from its spool, a batch at a time)
    wanted = {r.person_id: (r.clear_status, r.recorded_status, r.status_reason)
              for r in rows if r.recorded_status or r.clear_status}
    if not wanted:
        return 0
    before: dict[int, tuple[int, str, str]] = {}
    for chunk in bulk.chunks(sorted(wanted)):
        marks = ",".join("?" * len(chunk))
        for enrollment_id, pid, status, reason in conn.execute(
            f"SELECT id, person_id, status, status_reason FROM enrollment WHERE year = ? AND person_id IN ({marks})",
            (year, *chunk),
        ):
            before[pid] = (enrollment_id, status, reason)
    updates = []
    for pid, (clear, recorded, recorded_reason) in wanted.items():
        if pid not in before:
            continue
        enrollment_id, status, reason = before[pid]
        new_status, new_reason = (Status.UNPAID.value, "") if clear else (recorded, recorded_reason)
        updates.append((new_status, new_reason, enrollment_id))
        audit.record("status", "enrollment", enrollment_id, {"status": status, "reason": reason},
                     {"status": None if clear else new_status, "reason": new_reason, "file": source})
    conn.executemany("UPDATE enrollment SET status = ?, status_reason = ? WHERE id = ?", updates)
    return len(updates)

