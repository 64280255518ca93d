"""参保状态 across years and in county files (DOMAIN.md sections 5 and 10).

- A status staff recorded carries into the next year with its reason: ``deceased`` and
  ``moved`` silently; ``employee``, ``elsewhere``, ``military`` and ``other`` carry too but must
  be confirmed for the new year (or cleared) — they are on the "to confirm" follow-up list until
  then. :func:`carried_status` is the rule a new year's enrollment follows.
- A roster's 参保状态 column may set a status or clear a carried one (:func:`roster_status`);
  every value it cannot apply is a warning on its row, naming the value.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.vocabulary import RECORDED_STATUSES, STATUS_NAMES, Status

#: Carried into later years without asking anyone again.
CARRIED_SILENTLY = frozenset({Status.DECEASED, Status.MOVED})
#: Carried into later years, then "to confirm for this year" until confirmed or cleared.
TO_CONFIRM = frozenset({Status.EMPLOYEE, Status.ELSEWHERE, Status.MILITARY, Status.OTHER})
#: Statuses the ledger computes from subsidy and payments: a file can state them, never set them.
COMPUTED = frozenset({Status.UNPAID, Status.PAID, Status.EXEMPT})


def carried_status(previous_status: str | None, previous_reason: str) -> tuple[str | None, str]:
    """The recorded status (and its reason) a new year's enrollment takes from the year before:
    every recorded status carries (:data:`CARRIED_SILENTLY` and :data:`TO_CONFIRM`); a computed
    one (未缴费, 已缴费, 全额资助代缴) or none gives ``(None, "")``, the year's rules decide."""
    if previous_status in {s.value for s in RECORDED_STATUSES}:
        return previous_status, previous_reason or ""
    return None, ""


def needs_confirming(status: str | None) -> bool:
    """Whether a status carried from last year waits to be confirmed for the new year."""
    return status in {s.value for s in TO_CONFIRM}


#: How county files and our own roster write 参保状态 (section 5's names and usual shortenings).
STATUS_SPELLINGS: dict[str, Status] = {
    **{name: status for status, name in STATUS_NAMES.items()},
    "职工医保": Status.EMPLOYEE,
    "参加职工医保": Status.EMPLOYEE,
    "已死亡": Status.DECEASED,
    "已迁出": Status.MOVED,
    "其他": Status.OTHER,
}


@dataclass(frozen=True)
class StatusCell:
    """A 参保状态 cell as written, and the status it names (None: a value nobody recognised)."""

    text: str
    status: Status | None


def read_status_cell(text: str) -> StatusCell | None:
    """A cleaned 参保状态 cell; None when it is empty."""
    text = text.strip()
    if not text:
        return None
    return StatusCell(text, STATUS_SPELLINGS.get(text))


@dataclass(frozen=True)
class RosterStatus:
    """What a roster row's 参保状态 does to the person's year.

    ``record``: a status to record (with ``reason``); ``clear``: clear the carried status, so the
    year's rules decide again; ``expect``: a computed status the cell states, which the rules must
    give after the import, or the row is warned; ``warning``: why the value was not applied.
    """

    record: Status | None = None
    reason: str = ""
    clear: bool = False
    expect: Status | None = None
    warning: str = ""


def roster_status(cell: StatusCell, remark: str, recorded: str | None, carried: bool) -> RosterStatus:
    """The decision for one roster row.

    ``recorded``: the status recorded for the person in the import's year (one of
    ``RECORDED_STATUSES``), None when nothing is recorded or the person is new; ``carried``: that
    status was carried from last year and is still to be confirmed.

    - a recorded status by any spelling in :data:`STATUS_SPELLINGS` is recorded (confirming a
      carried one), its reason from 备注 or its name; 其他 without 备注 is not;
    - 未缴费 clears a carried status still to be confirmed; a status recorded for this year, or
      死亡 / 迁出, is not cleared by a file (the desk clears it);
    - 已缴费 and 全额资助代缴 follow from payments and subsidy: never set, only checked;
    - anything else is not recognised.
    """
    text, status = cell.text, cell.status
    if status is None:
        names = "、".join(dict.fromkeys(STATUS_NAMES.values()))
        return RosterStatus(warning=f"参保状态“{text}”不认识，未登记（可填：{names}）")
    if status in RECORDED_STATUSES:
        if status is Status.OTHER and not remark.strip():
            return RosterStatus(warning=f"参保状态“{text}”要在备注里写明原因，未登记")
        return RosterStatus(record=status, reason=remark.strip() or STATUS_NAMES[status])
    if recorded is not None and not (status is Status.UNPAID and carried):
        kept = STATUS_NAMES[Status(recorded)]
        how = "由缴费和资助决定，" if status is not Status.UNPAID else ""
        return RosterStatus(warning=f"参保状态“{text}”{how}未采用：台账本年已标记为“{kept}”，"
                                    "如需清除请在“标记参保状态”里清除")
    return RosterStatus(clear=recorded is not None, expect=status)


def computed_mismatch(cell_text: str, expected: Status, computed: Status) -> str:
    """The warning when a cell states a computed status the rules do not give ("" when they do)."""
    if expected is computed:
        return ""
    return (f"参保状态“{cell_text}”由缴费和资助决定，花名册不能设定；"
            f"按台账的资助和缴费为“{STATUS_NAMES[computed]}”")
