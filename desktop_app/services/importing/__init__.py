"""``import KIND FILE``: the county's rosters, category lists and payment feedback into the ledger.

Every import is a dry run first (:func:`plan`): the file is read, every row checked and matched,
and nothing written. :func:`apply` then writes all accepted rows in one transaction, or none:
persons, households and villages, the year's enrollments, categories, recorded statuses and
payments, the recomputed charges, and the audit entries. A file that cannot be read raises
``UnreadableFileError`` before anything happens.

One module per kind keeps its check and its write side by side (:mod:`.categories`,
:mod:`.payments`; a roster's in :mod:`.roster` and :mod:`.roster_write`); :mod:`.common` holds the
plan and the reader they share, :mod:`.spool` the temporary file a plan's accepted rows and
warnings are kept in (a county file's million rows are not held in memory), :mod:`.households`
the households a roster names, :mod:`.files` the wizard's look at a file and the rejects file. An imported row goes
file → :class:`~.common.Reader` → the kind's ``check`` → (the plan) → the kind's ``write`` →
charges, in that order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.pathnames import shown
from desktop_app.services import audit
from desktop_app.services.access import require_admin, require_township_ledger
from desktop_app.services.charges import ensure_enrollments, ensure_every_year, recompute
from desktop_app.services.collector import fewer_full_collections
from desktop_app.services.importing import categories, payments, roster, roster_write
from desktop_app.services.importing.common import (
    ImportCancelled,
    ImportKind,
    ImportPlan,
    Overrides,
    Progress,
    Reader,
    RowIssue,
    ShouldStop,
)
from desktop_app.services.importing.files import (
    field_choices,
    first_data_rows,
    header_for,
    issue_name_and_id,
    preview_sheets,
    remember_mapping,
    remembered_mapping,
    write_rejects,
)
from desktop_app.services.importing.households import county_needs_township
from desktop_app.services.ledger import ServiceError
from desktop_app.services.policy import (
    newest_shipped_year,
    policy_years,
    use_year_standard,
    year_standard,
)
from desktop_app.services.townships import is_county, township_by_code
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import db

__all__ = [
    "ImportCancelled",
    "ImportKind",
    "ImportPlan",
    "ImportResult",
    "RowIssue",
    "ServiceError",
    "apply",
    "default_year",
    "field_choices",
    "first_data_rows",
    "header_for",
    "issue_name_and_id",
    "plan",
    "preview_sheets",
    "remember_mapping",
    "remembered_mapping",
    "write_rejects",
]

@dataclass(frozen=True)
class ImportResult:
    """What :func:`apply` did: the plan written, how many charges changed, the backup taken."""

    plan: ImportPlan
    written: bool
    recomputed: int = 0
    backup: Path | None = None
    seconds: float = 0.0


def default_year() -> int:
    """The newest policy year in the ledger, else the newest shipped policy."""
    years = policy_years()
    return years[-1] if years else newest_shipped_year()


def plan(
    kind: ImportKind | str,
    path: Path,
    *,
    year: int | None = None,
    category: str | None = None,
    full_list: bool = False,
    overrides: Overrides | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
    township: str | None = None,
) -> ImportPlan:
    """The dry run: read ``path`` and decide, row by row, what importing it would do. Reads the
    ledger, writes nothing. ``overrides`` gives a sheet's column mapping by its layout signature
    (the mappings a person saved, by default); ``category`` names the category of a categories
    file without a category column; ``full_list`` ends the memberships such a list leaves out.

    ``township``: the code of the township a roster is of. A county database (several townships)
    needs it, and matches and makes the roster's villages in that township only; without it the
    roster is refused here, before the file is read. Categories and payments match persons by ID
    number wherever they live and need none; a given code must still be one the ledger holds."""
    require_township_ledger("导入县里的表格")  # a village work copy: before the file is read
    town = township_by_code(township) if township is not None and township.strip() else None
    if town is None and ImportKind(kind) is ImportKind.ROSTER and is_county():
        raise ServiceError(county_needs_township())
    year = year or default_year()
    standard = year_standard(year)  # a year without a policy: the shipped default, said so
    policy = standard.policy
    # the name as stored and shown: a GBK name from a Windows stick cannot go into the ledger raw
    made = ImportPlan(ImportKind(kind), Path(path), year, full_list=full_list, source=shown(Path(path).name),
                      standard_fen=policy.standard_fen, standard_shipped=standard.shipped,
                      township_id=town.id if town is not None else None)
    with fewer_full_collections():  # a dry run keeps a few objects a row (its ID, its household) to the end
        reader = Reader(made, progress, should_stop, overrides or remembered_mapping)
        if made.kind is ImportKind.ROSTER:
            roster.check(reader, policy)
        elif made.kind is ImportKind.CATEGORIES:
            categories.check(reader, policy, category)
        else:
            payments.check(reader)
    made.sha256 = audit.file_sha256(made.path)  # the file just read; the trail names it by this
    return made


def _refuse_a_changed_file(plan: ImportPlan) -> None:
    """The file must still be the one the dry run read: what the person saw checked is what is
    written (and what a streaming apply will read again)."""
    if not plan.sha256:
        return
    try:
        same = audit.file_sha256(plan.path) == plan.sha256
    except OSError:
        same = False
    if not same:
        raise ServiceError(f"文件“{plan.source or plan.path.name}”在检查之后被改动、替换或移走了，"
                           "没有导入任何内容。请重新选择这个文件，再检查一遍后导入")


@friendly_writes(ServiceError)
def apply(
    plan: ImportPlan,
    *,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
    backup: Callable[[str], Path | None] | None = None,
) -> ImportResult:
    """Write every accepted row of ``plan`` in one transaction (all or nothing)."""
    require_admin("导入县里的表格")
    if plan.no_data_rows:
        raise ServiceError(plan.no_data_rows)
    _refuse_a_changed_file(plan)
    started = time.perf_counter()
    backup_path = backup(f"import-{plan.kind.value}") if backup is not None else None
    with db.atomic() as transaction:
        shipped = use_year_standard(plan.year).shipped
        if plan.kind is not ImportKind.ROSTER:  # a roster's writing makes the year's rows itself
            ensure_enrollments(plan.year)  # the enrollments a payment or a category needs
        if plan.kind is ImportKind.PAYMENTS:
            payments.payers_enrollments(plan)  # the payers' own years (a December baby's)
        if plan.kind is ImportKind.ROSTER:
            affected = roster_write.write(plan)
        elif plan.kind is ImportKind.CATEGORIES:
            affected = categories.write(plan)
        else:
            affected = payments.write(plan)
        if should_stop is not None and should_stop():
            transaction.rollback()
            raise ImportCancelled()
        if progress is not None:
            progress(1, 2)
        ensure_every_year()  # persons the file added belong to every later loaded year too (DOMAIN §10)
        changed = recompute(plan.year, affected)
        audit.record(
            "import", plan.kind.value, plan.source, None,
            {"kind": plan.kind.value, "file": str(plan.path), "sha256": plan.sha256, "year": plan.year,
             "new": len(plan.new), "updated": len(plan.updated), "unchanged": plan.unchanged,
             "rejected": len(plan.rejected), "unmatched": len(plan.unmatched), "ended": len(plan.ended),
             "policy_from_shipped_default": shipped},
        )
    plan.close()  # written: the rows' temporary file goes now, not when the plan is dropped
    if progress is not None:
        progress(2, 2)
    return ImportResult(plan, True, changed, backup_path, time.perf_counter() - started)
