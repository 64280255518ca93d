"""``import KIND FILE``: the county's rosters, category lists and payment feedback into the ledger.

Every import is a dry run first (:func:`plan`): the file is read, every row checked and matched,
and nothing written. :func:`apply` then writes all accepted rows in one transaction, or none:
persons, households and villages, the year's enrollments, categories, recorded statuses and
payments, the recomputed charges, and the audit entries. A file that cannot be read raises
``UnreadableFileError`` before anything happens.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.domain.pinyin import name_initials
from desktop_app.domain.policy import Policy
from desktop_app.exchange.writing import Column, Kind, XlsxExport
from desktop_app.services import audit
from desktop_app.services.access import require_admin
from desktop_app.services.charges import ensure_enrollments, recompute
from desktop_app.services.import_plan import (
    CategoryRow,
    ImportCancelled,
    ImportKind,
    ImportPlan,
    ImportResult,
    PaymentRow,
    PersonRow,
    RowIssue,
)
from desktop_app.services.import_read import Overrides, Progress, ShouldStop, plan_import
from desktop_app.services.ledger import ServiceError, get_setting, set_setting, township
from desktop_app.services.policy import (
    load_shipped_policy,
    newest_shipped_year,
    policy_for_year,
    policy_years,
    store_policy,
)
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import db

__all__ = [
    "ImportCancelled",
    "ImportKind",
    "ImportPlan",
    "ImportResult",
    "RowIssue",
    "apply",
    "default_year",
    "plan",
    "remember_mapping",
    "remembered_mapping",
    "write_rejects",
]

_MAPPING_KEY = "import.mapping."


def default_year() -> int:
    """The newest policy year in the ledger, else the newest shipped policy."""
    years = policy_years()
    return years[-1] if years else newest_shipped_year()


def _policy(year: int) -> tuple[Policy, bool]:
    """The year's policy, and whether it must be stored from the shipped default first."""
    stored = policy_for_year(year)
    if stored is not None:
        return stored, False
    return load_shipped_policy(year), True


def remember_mapping(signature: str, mapping: dict[int, str | None]) -> None:
    """Keep a person's column mapping for files of this layout (the same header texts)."""
    set_setting(_MAPPING_KEY + signature, json.dumps({str(k): v for k, v in mapping.items()}, ensure_ascii=False))


def remembered_mapping(signature: str) -> dict[int, str] | None:
    text = get_setting(_MAPPING_KEY + signature, "")
    if not text:
        return None
    return {int(k): v for k, v in json.loads(text).items()}


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
) -> ImportPlan:
    """The dry run: what importing ``path`` would do. Reads the ledger, writes nothing."""
    year = year or default_year()
    policy, _shipped = _policy(year)
    return plan_import(
        kind, Path(path), year=year, policy=policy, category=category, full_list=full_list,
        overrides=overrides or remembered_mapping, progress=progress, should_stop=should_stop,
    )


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
    started = time.perf_counter()
    backup_path = backup(f"import-{plan.kind.value}") if backup is not None else None
    with db.atomic() as transaction:
        policy, shipped = _policy(plan.year)
        if shipped:
            store_policy(policy)
        if plan.kind is ImportKind.ROSTER:
            affected = _write_roster(plan)
        elif plan.kind is ImportKind.CATEGORIES:
            affected = _write_categories(plan)
        else:
            affected = _write_payments(plan)
        if should_stop is not None and should_stop():
            transaction.rollback()
            raise ImportCancelled()
        if progress is not None:
            progress(1, 2)
        ensure_enrollments(plan.year)
        changed = recompute(plan.year, affected)
        audit.record(
            "import", plan.kind.value, plan.source, None,
            {"file": str(plan.path), "year": plan.year, "new": len(plan.new), "updated": len(plan.updated),
             "unchanged": plan.unchanged, "rejected": len(plan.rejected), "unmatched": len(plan.unmatched),
             "ended": len(plan.ended), "policy_from_shipped_default": shipped},
        )
    if progress is not None:
        progress(2, 2)
    return ImportResult(plan, True, changed, backup_path, time.perf_counter() - started)


# ------------------------------------------------------------------------------ writing


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat(" ")


def _village_ids(names: set[str]) -> dict[str, int]:
    conn = db.connection()
    found = {name: vid for vid, name in conn.execute("SELECT id, name FROM region WHERE level = 'village'")}
    town = township()
    for name in sorted(names - found.keys()):
        cursor = conn.execute(
            "INSERT INTO region (name, level, parent_id) VALUES (?, 'village', ?)",
            (name, town.id if town else None),
        )
        found[name] = cursor.lastrowid
        audit.record("create", "region", cursor.lastrowid, None, {"name": name, "level": "village"})
    return found


def _write_roster(plan: ImportPlan) -> list[int]:
    conn = db.connection()
    now = _now()
    rows: list[PersonRow] = [*plan.new, *plan.updated]
    villages = _village_ids({p.village for p in rows})
    households = {
        number: (hid, vid, head)
        for hid, number, vid, head in conn.execute("SELECT id, number, village_id, head_name FROM household")
    }
    # households: create the new ones, move or rename the ones whose village or head changed
    for person in rows:
        vid = villages[person.village]
        known = households.get(person.household_number)
        if known is None:
            cursor = conn.execute(
                "INSERT INTO household (number, village_id, head_name, address, created_at) VALUES (?, ?, ?, ?, ?)",
                (person.household_number, vid, person.head_name, person.address, now),
            )
            households[person.household_number] = (cursor.lastrowid, vid, person.head_name)
        elif known[1] != vid or (person.head_name and known[2] != person.head_name):
            conn.execute(
                "UPDATE household SET village_id = ?, head_name = ? WHERE id = ?",
                (vid, person.head_name or known[2], known[0]),
            )
            audit.record("update", "household", known[0], {"village_id": known[1], "head_name": known[2]},
                         {"village_id": vid, "head_name": person.head_name or known[2]})
            households[person.household_number] = (known[0], vid, person.head_name or known[2])
    conn.executemany(
        "INSERT INTO person (id_number, name, sex, birth_date, relation, phone, household_id, note,"
        " created_at, updated_at, name_initials) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)",
        [
            (p.id_number, p.name, p.sex, p.birth_date.isoformat(), p.relation, p.phone,
             households[p.household_number][0], now, now, name_initials(p.name))
            for p in plan.new
        ],
    )
    if plan.new:
        audit.record("import-create", "person", plan.source, None,
                     {"count": len(plan.new), "first": plan.new[0].id_number, "last": plan.new[-1].id_number})
    ids = dict(conn.execute("SELECT id_number, id FROM person"))
    for person in plan.updated:
        if not person.changes:
            continue
        conn.execute(
            "UPDATE person SET name = ?, phone = ?, relation = ?, household_id = ?, name_initials = ?,"
            " updated_at = ? WHERE id = ?",
            (person.name, person.phone, person.relation, households[person.household_number][0],
             name_initials(person.name), now, person.person_id),
        )
        audit.record("update", "person", person.person_id,
                     {k: v[0] for k, v in person.changes.items()}, {k: v[1] for k, v in person.changes.items()})
        if "village" in person.changes:  # counted this year where they live now
            conn.execute("UPDATE enrollment SET village_id = ? WHERE person_id = ? AND year = ?",
                         (villages[person.village], person.person_id, plan.year))
    _write_roster_extras(plan, rows, ids, now)
    # new persons' enrollments were computed as they were made (ensure_enrollments); only
    # persons already in the ledger can have charges that no longer match
    return [p.person_id for p in plan.updated if p.person_id is not None]


def _write_roster_extras(plan: ImportPlan, rows: list[PersonRow], ids: dict[str, int], now: str) -> None:
    """Categories, recorded statuses and payments that a roster (our own export) carries."""
    conn = db.connection()
    memberships = [
        (ids[p.id_number], plan.year, code, plan.source) for p in rows for code in p.categories
    ]
    conn.executemany(
        "INSERT INTO category_membership (person_id, year, category, source) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (person_id, year, category) DO UPDATE SET ended_on = NULL",
        memberships,
    )
    already_paid = {pid for (pid,) in conn.execute("SELECT DISTINCT person_id FROM payment WHERE year = ?", (plan.year,))}
    payments = [
        (ids[p.id_number], plan.year, p.paid_fen, p.paid_on.isoformat(), "", "", f"导入自{plan.source}", now)
        for p in rows
        if p.paid_fen and p.paid_on and ids[p.id_number] not in already_paid
    ]
    conn.executemany(
        "INSERT INTO payment (person_id, year, amount_fen, paid_on, channel, voucher, reason, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        payments,
    )
    # enrollments of persons new to this year are made here, their charges computed from the
    # categories and payments just written; those that existed get their date paid
    had_enrollment = {pid for (pid,) in conn.execute("SELECT person_id FROM enrollment WHERE year = ?", (plan.year,))}
    ensure_enrollments(plan.year)
    conn.executemany(
        "UPDATE enrollment SET paid_on = ? WHERE person_id = ? AND year = ?",
        [(paid_on, pid, year) for pid, year, _a, paid_on, *_rest in payments if pid in had_enrollment],
    )
    statuses = [(p.recorded_status, p.status_reason, ids[p.id_number], plan.year) for p in rows if p.recorded_status]
    conn.executemany(
        "UPDATE enrollment SET status = ?, status_reason = ? WHERE person_id = ? AND year = ?", statuses
    )
    if memberships or statuses or payments:
        audit.record("import-extras", "enrollment", plan.source, None,
                     {"categories": len(memberships), "statuses": len(statuses), "payments": len(payments)})


def _write_categories(plan: ImportPlan) -> list[int]:
    conn = db.connection()
    entries: list[CategoryRow] = plan.new
    for entry in entries:
        for code in entry.new_codes:
            identified = entry.identified_on.isoformat() if entry.identified_on else dt.date.today().isoformat()
            conn.execute(
                "INSERT INTO category_membership (person_id, year, category, source, identified_on)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_id, year, category)"
                " DO UPDATE SET ended_on = NULL, source = excluded.source, identified_on = excluded.identified_on",
                (entry.person_id, plan.year, code, plan.source, identified),
            )
            audit.record("create", "category_membership", f"{entry.person_id}/{plan.year}/{code}", None,
                         {"person": entry.id_number, "category": code, "source": plan.source, "identified_on": identified})
    today = dt.date.today().isoformat()
    for ended in plan.ended:
        conn.execute(
            "UPDATE category_membership SET ended_on = ? WHERE person_id = ? AND year = ? AND category = ?"
            " AND ended_on IS NULL",
            (today, ended.person_id, plan.year, ended.code),
        )
        audit.record("end", "category_membership", f"{ended.person_id}/{plan.year}/{ended.code}",
                     {"ended_on": None}, {"ended_on": today, "source": plan.source, "reason": "全量名单中已无此人"})
    return [e.person_id for e in entries] + [e.person_id for e in plan.ended]


def _write_payments(plan: ImportPlan) -> list[int]:
    conn = db.connection()
    now = _now()
    entries: list[PaymentRow] = plan.new
    for entry in entries:
        cursor = conn.execute(
            "INSERT INTO payment (person_id, year, amount_fen, paid_on, channel, voucher, reason, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.person_id, plan.year, entry.amount_fen, entry.paid_on.isoformat(), entry.channel,
             entry.voucher, f"导入自{plan.source}", now),
        )
        audit.record("create", "payment", cursor.lastrowid, None,
                     {"person": entry.id_number, "year": plan.year, "amount_fen": entry.amount_fen,
                      "paid_on": entry.paid_on, "channel": entry.channel, "voucher": entry.voucher})
        conn.execute(
            "UPDATE enrollment SET paid_on = ? WHERE person_id = ? AND year = ?",
            (entry.paid_on.isoformat(), entry.person_id, plan.year),
        )
    return [e.person_id for e in entries]


# ----------------------------------------------------------------------- the rejects file


def write_rejects(plan: ImportPlan, out: Path) -> int:
    """The rejected and unmatched rows, in the file's own columns plus the reason, to fix and re-import.

    One sheet per sheet of the file that had such rows; returns how many rows were written.
    """
    issues = [*plan.rejected, *plan.unmatched]
    if not issues:
        raise ServiceError("没有被拒绝或未匹配的行，无需保存")
    by_sheet: dict[str, list[RowIssue]] = {}
    for issue in issues:
        by_sheet.setdefault(issue.sheet, []).append(issue)
    headers = {t.sheet: t.headers for t in plan.tables}
    written = 0
    with XlsxExport(out) as book:
        for sheet, sheet_issues in by_sheet.items():
            sheet_issues.sort(key=lambda i: i.row_number)
            own = list(headers.get(sheet, ()))
            width = max([len(own), *(len(i.raw) for i in sheet_issues)])
            own += [f"第{n + 1}列" for n in range(len(own), width)]
            columns = [Column("原因"), Column("原表位置"), *(Column(h or f"第{n + 1}列", Kind.TEXT) for n, h in enumerate(own))]
            rows = (
                [issue.reason + (f"（“{issue.column}”列）" if issue.column else ""), f"第{issue.row_number}行",
                 *(_as_text(cell) for cell in issue.raw), *([""] * (width - len(issue.raw)))]
                for issue in sheet_issues
            )
            book.add_table(
                f"{plan.source} 未导入的行（改正后可重新导入）", columns, rows, sheet_name=sheet,
                subtitle=f"共{len(sheet_issues)}行；导入类型：{plan.kind.value}；年度：{plan.year}",
            )
            written += len(sheet_issues)
    return written


def _as_text(cell: Any) -> str:
    """A raw cell as the text a clerk saw (an ID stored as a number stays visibly damaged)."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return format(cell, ".15g") if not cell.is_integer() or abs(cell) >= 1e15 else str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.strftime("%Y-%m-%d") if cell.time() == dt.time() else cell.isoformat(" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def preview_sheets(path: Path, rows: int = 20) -> list[tuple[str, list[list[str]]]]:
    """The first rows of each visible sheet as text, for a person to point at the header row."""
    from desktop_app.exchange import read_tables

    return [
        (sheet.name, [[_as_text(cell) for cell in row] for row in sheet.head(rows)])
        for sheet in read_tables(path)
    ]


def header_for(path: Path, sheet_name: str, header_row: int) -> tuple[str, tuple[str, ...], dict[int, str]]:
    """The layout signature, header texts and automatic mapping if row ``header_row`` (0-based)
    of ``sheet_name`` is taken as the header: for mapping a file nobody's header matched."""
    from desktop_app.exchange import read_tables
    from desktop_app.exchange.headers import header_at

    for sheet in read_tables(path):
        if sheet.name == sheet_name:
            match = header_at(sheet.head(max(header_row + 1, 20)), header_row, merged=sheet.merged)
            return match.layout_signature, match.headers, {c: f.value for c, f in match.columns.items()}
    raise ServiceError(f"文件里没有名为“{sheet_name}”的工作表")


def field_choices() -> list[tuple[str, str]]:
    """(field value, Chinese label) of every field a column can be mapped to."""
    from desktop_app.exchange.fields import Field

    return [(f.value, f.label) for f in Field]
