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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from desktop_app.domain.pinyin import name_initials
from desktop_app.domain.policy import Policy
from desktop_app.exchange.writing import Column, Kind, XlsxExport
from desktop_app.services import audit
from desktop_app.services.access import require_admin
from desktop_app.services.charges import ensure_enrollments, ensure_every_year, insert_enrollments, recompute
from desktop_app.services.import_households import Households, write_households
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
from desktop_app.store import bulk
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
    made = plan_import(
        kind, Path(path), year=year, policy=policy, category=category, full_list=full_list,
        overrides=overrides or remembered_mapping, progress=progress, should_stop=should_stop,
    )
    made.sha256 = audit.file_sha256(made.path)  # the file just read; the trail names it by this
    return made


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
        ensure_every_year()  # the year's rows (a roster's writing made most), and every later year's
        changed = recompute(plan.year, affected)
        audit.record(
            "import", plan.kind.value, plan.source, None,
            {"kind": plan.kind.value, "file": str(plan.path), "sha256": plan.sha256, "year": plan.year,
             "new": len(plan.new), "updated": len(plan.updated), "unchanged": plan.unchanged,
             "rejected": len(plan.rejected), "unmatched": len(plan.unmatched), "ended": len(plan.ended),
             "policy_from_shipped_default": shipped},
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


# A roster may bring a whole township at once (100,000 persons into an empty ledger) or a few
# changes into a full one; both go through the same steps, which cost little for a few rows and
# are what makes the big case fast:
# - ids are counted on from the highest (store.bulk.next_id), which gives each row the id SQLite
#   would have given it: households go in with one statement instead of one INSERT each for its
#   lastrowid, and the persons' ids need no ``SELECT id_number, id FROM person`` over the table;
# - rows go in a couple of hundred to a statement (store.bulk.insert_rows);
# - a table receiving more rows than it holds has its secondary indexes set aside and rebuilt
#   (store.bulk.indexes_set_aside); a small import into a big ledger keeps them;
# - the new persons' enrollments are computed from the rows in hand (charges.insert_enrollments,
#   one computation per set of categories) instead of being found by ensure_enrollments'
#   anti-join over the whole ledger and their categories and payments read back; ensure_enrollments
#   still runs, for the persons already in the ledger only.
# Every row, value and audit entry is the same as writing them one at a time gave.


class _NewPersons:
    """What the roster's new persons bring, as rows for each table, built in one pass."""

    def __init__(self, plan: ImportPlan, first_id: int, households: Households, now: str) -> None:
        year, source = plan.year, plan.source
        reason = f"导入自{source}"
        last_day = dt.date(year, 12, 31)
        initials = _initials_table(p.name for p in plan.new)
        self.persons: list[tuple] = []
        self.categories: list[tuple] = []
        self.payments: list[tuple] = []
        self.enrollments: list[tuple] = []  # charges.KnownInputs
        for person_id, p in enumerate(plan.new, first_id):
            household_id, village_id, _head = households[p.household_number]
            self.persons.append((person_id, p.id_number, p.name, p.sex, p.birth_date.isoformat(), p.relation,
                                 p.phone, household_id, now, now, p.name.translate(initials)))
            for code in dict.fromkeys(p.categories):  # once each, as the upsert for known persons does
                self.categories.append((person_id, year, code, source))
            paid, paid_on = 0, None
            if p.paid_fen and p.paid_on:
                day = p.paid_on.isoformat()
                self.payments.append((person_id, year, p.paid_fen, day, "", "", reason, now))
                paid, paid_on = p.paid_fen, (day if p.paid_fen > 0 else None)
            if p.birth_date <= last_day:  # born after the year: not enrolled in it
                self.enrollments.append(
                    (person_id, village_id, p.categories, paid, paid_on, p.recorded_status, p.status_reason)
                )


def _initials_table(names: Iterable[str]) -> dict[int, str]:
    """``str.translate`` table giving a name's 拼音首字母, for every character of ``names``.

    ``name_initials`` takes each character on its own, so a name's initials are its characters'
    initials in a row; a township's names use a few hundred distinct characters. Looking each up
    once and translating in C halves the time (100,000 names: 0.07–0.18 s → 0.04–0.09 s). Checked
    against ``name_initials`` in tests/services/test_import_writes.py.
    """
    return {ord(char): name_initials(char) for char in set("".join(names))}


def _write_roster(plan: ImportPlan) -> list[int]:
    conn = db.connection()
    now = _now()
    rows: list[PersonRow] = [*plan.new, *plan.updated]
    villages = _village_ids({p.village for p in rows})
    households = write_households(rows, villages, now)
    first_new = bulk.next_id(conn, "person")
    new = _NewPersons(plan, first_new, households, now)
    with bulk.indexes_set_aside(conn, "person", len(new.persons)):
        bulk.insert_rows(
            conn,
            "INSERT INTO person (id, id_number, name, sex, birth_date, relation, phone, household_id, note,"
            " created_at, updated_at, name_initials)",
            "(?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)",
            new.persons,
        )
    if plan.new:
        audit.record("import-create", "person", plan.source, None,
                     {"count": len(plan.new), "first": plan.new[0].id_number, "last": plan.new[-1].id_number})
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
    _write_roster_extras(plan, new, first_new, now)
    # new persons' enrollments were computed as they were made; only persons already in the
    # ledger can have charges that no longer match
    return [p.person_id for p in plan.updated if p.person_id is not None]


_CHUNK = 900  # below SQLite's bound-parameter limit for IN (...)


def _chunks(values: list) -> Iterable[list]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _persons_with(table: str, year: int, person_ids: list[int]) -> set[int]:
    """Which of ``person_ids`` have a row in ``table`` (payment, enrollment) for ``year``."""
    if not person_ids:
        return set()
    conn = db.connection()
    if len(person_ids) > 20_000:  # much of the ledger: one pass beats thousands of lookups
        wanted = set(person_ids)
        every = conn.execute(f"SELECT DISTINCT person_id FROM {table} WHERE year = ?", (year,))
        return {pid for (pid,) in every if pid in wanted}
    found: set[int] = set()
    for chunk in _chunks(sorted(set(person_ids))):
        marks = ",".join("?" * len(chunk))
        found.update(pid for (pid,) in conn.execute(
            f"SELECT DISTINCT person_id FROM {table} WHERE year = ? AND person_id IN ({marks})", (year, *chunk)))
    return found


def _write_roster_extras(plan: ImportPlan, new: _NewPersons, first_new: int, now: str) -> None:
    """Categories, recorded statuses and payments that a roster (our own export) carries, and
    the year's enrollments of everyone who lacks one."""
    conn = db.connection()
    year = plan.year
    # a new person holds no category yet: a plain insert, which needs no unique index (so the
    # indexes can be set aside); one already in the ledger may hold it, ended: an upsert
    with bulk.indexes_set_aside(conn, "category_membership", len(new.categories)):
        bulk.insert_rows(
            conn, "INSERT INTO category_membership (person_id, year, category, source)", "(?, ?, ?, ?)",
            new.categories,
        )
    held = [(p.person_id, year, code, plan.source) for p in plan.updated for code in p.categories]
    conn.executemany(
        "INSERT INTO category_membership (person_id, year, category, source) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (person_id, year, category) DO UPDATE SET ended_on = NULL",
        held,
    )
    # a payment is taken from the roster only for a person with none this year (new persons have none)
    paying = [p for p in plan.updated if p.paid_fen and p.paid_on]
    already_paid = _persons_with("payment", year, [p.person_id for p in paying])
    payments = new.payments + [
        (p.person_id, year, p.paid_fen, p.paid_on.isoformat(), "", "", f"导入自{plan.source}", now)
        for p in paying
        if p.person_id not in already_paid
    ]
    with bulk.indexes_set_aside(conn, "payment", len(payments)):
        bulk.insert_rows(
            conn,
            "INSERT INTO payment (person_id, year, amount_fen, paid_on, channel, voucher, reason, created_at)",
            "(?, ?, ?, ?, ?, ?, ?, ?)",
            payments,
        )
    # enrollments: persons already in the ledger who lack one (in the file or not) the generic way,
    # from what the ledger now holds; those who had one get their date paid below
    had_enrollment = _persons_with("enrollment", year, [row[0] for row in payments[len(new.payments):]])
    ensure_enrollments(year, persons_before=first_new)
    if new.enrollments:
        policy = policy_for_year(year)
        if policy is None:  # apply() stores it first; worded as ensure_enrollments words it
            raise ServiceError(f"{year}年度还没有载入政策，无法登记参保")
        with bulk.indexes_set_aside(conn, "enrollment", len(new.enrollments)):
            insert_enrollments(policy, new.enrollments, now)
    # the statements below find rows by (person_id, year): the indexes are back by now
    conn.executemany(
        "UPDATE enrollment SET paid_on = ? WHERE person_id = ? AND year = ?",
        [(paid_on, pid, year) for pid, _y, _a, paid_on, *_rest in payments if pid in had_enrollment],
    )
    # the new persons' recorded statuses went in with their rows
    statuses = [
        (p.recorded_status, p.status_reason, p.person_id, year) for p in plan.updated if p.recorded_status
    ]
    conn.executemany(
        "UPDATE enrollment SET status = ?, status_reason = ? WHERE person_id = ? AND year = ?", statuses
    )
    recorded = sum(1 for p in plan.new if p.recorded_status) + len(statuses)
    categories = len(new.categories) + len(held)
    if categories or recorded or payments:
        audit.record("import-extras", "enrollment", plan.source, None,
                     {"categories": categories, "statuses": recorded, "payments": len(payments)})


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
