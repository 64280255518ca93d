"""The village's side: what changed in the work copy since its base, written as a return file.

Each change has a stable id (the same change gets the same id in every return written from this
work copy), the values before (the base) and after, and who made it and when (from the work
copy's audit trail). The return also carries the whole audit trail of the work copy, whose hash
chain the township checks before merging.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from desktop_app.domain.vocabulary import RECORDED_STATUSES
from desktop_app.services import audit
from desktop_app.services.packages import snapshot
from desktop_app.services.packages.files import write_document
from desktop_app.services.packages.handout import base_snapshot, work_copy_info
from desktop_app.services.packages.model import PackageError, ReturnReceipt, WorkCopyInfo
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import AuditEntry, Enrollment, Household, Person, Region, db

MANUAL = frozenset(s.value for s in RECORDED_STATUSES)
AUDIT_COLUMNS = ("id", "at", "operator", "source", "action", "table", "record_id", "old_value", "new_value",
                 "prev_hash", "entry_hash")


def manual_status(row: dict | None) -> list[str]:
    """A status marked by hand with its reason, or ["", ""] (the status follows the money)."""
    if row is None or row["status"] not in MANUAL:
        return ["", ""]
    return [row["status"], row["status_reason"]]


def _who(info: WorkCopyInfo) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, key) -> (operator, when) of the newest audit entry about it in the work copy."""
    persons = {str(p.id): p.id_number for p in Person.select(Person.id, Person.id_number)}
    households = {str(h.id): h.number for h in Household.select(Household.id, Household.number)}
    enrollments = {str(e.id): persons.get(str(e.person_id), "") for e in
                   Enrollment.select(Enrollment.id, Enrollment.person).where(Enrollment.year == info.year)}
    keys = {"person": persons, "household": households, "enrollment": enrollments}
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for entry in AuditEntry.select().where(AuditEntry.table.in_(list(keys))).order_by(AuditEntry.id):
        key = keys[entry.table].get(entry.record_id)
        if key:
            found[(entry.table, key)] = (entry.operator, str(entry.at))
    return found


def collect_changes(info: WorkCopyInfo) -> list[dict]:
    """Every change in the work copy since its base, oldest kinds first (households, persons,
    edits, statuses, payments, reversals): the order they are applied in."""
    base = base_snapshot()
    village_ids = [r.id for r in Region.select().where(Region.level == "village")]
    now = snapshot.cut(village_ids, info.year)
    who = _who(info)
    changes: list[dict] = []

    def stamp(table: str, key: str) -> dict:
        by, at = who.get((table, key), ("", ""))
        return {"by": by, "at": at}

    base_households = {h["number"]: h for h in base["households"]}
    for h in now["households"]:
        old = base_households.get(h["number"])
        if old is None:
            changes.append({"id": f"household:{h['number']}", "kind": "household", **h,
                            **stamp("household", h["number"])})
            continue
        for name in snapshot.HOUSEHOLD_FIELDS:
            if h[name] != old[name]:
                changes.append({"id": f"edit:household:{h['number']}:{name}", "kind": "edit", "table": "household",
                                "key": h["number"], "field": name, "base": old[name], "value": h[name],
                                **stamp("household", h["number"])})
    base_persons = {p["id_number"]: p for p in base["persons"]}
    for p in now["persons"]:
        old = base_persons.get(p["id_number"])
        if old is None:
            changes.append({"id": f"person:{p['id_number']}", "kind": "person", **p, **stamp("person", p["id_number"])})
            continue
        for name in (*snapshot.PERSON_FIELDS, "household"):
            if p[name] != old[name]:
                changes.append({"id": f"edit:person:{p['id_number']}:{name}", "kind": "edit", "table": "person",
                                "key": p["id_number"], "field": name, "base": old[name], "value": p[name],
                                **stamp("person", p["id_number"])})
    base_enrollments = {e["id_number"]: e for e in base["enrollments"]}
    for e in now["enrollments"]:
        before, after = manual_status(base_enrollments.get(e["id_number"])), manual_status(e)
        if before != after:
            changes.append({"id": f"status:{e['id_number']}:{e['year']}", "kind": "status", "key": e["id_number"],
                            "year": e["year"], "field": "status", "base": before, "value": after,
                            **stamp("enrollment", e["id_number"])})
    base_uids = {p["uid"] for p in base["payments"]}
    statuses = {e["id_number"]: manual_status(e)[0] for e in base["enrollments"]}
    fresh = [p for p in now["payments"] if p["uid"] not in base_uids]
    for p in sorted(fresh, key=lambda r: r["reverses"] is not None):
        kind = "reversal" if p["reverses"] else "payment"
        changes.append({**p, "id": f"payment:{p['uid']}", "kind": kind, "payment_kind": p["kind"],
                        "base_status": statuses.get(p["id_number"], ""), "by": p["operator"], "at": p["created_at"]})
    return changes


def audit_rows() -> list[list]:
    cursor = db.execute_sql(
        'SELECT id, at, operator, source, action, "table", record_id, old_value, new_value, prev_hash, entry_hash'
        " FROM audit_entry ORDER BY id")
    return [[str(v) if i == 1 else v for i, v in enumerate(row)] for row in cursor.fetchall()]


@friendly_writes(PackageError)
def write_return(to: Path, *, password: str) -> ReturnReceipt:
    """Write what changed in this work copy since its base to ``to``, encrypted with ``password``
    (the package's pairing code or password will do). The work copy itself is not changed
    (one audit entry says a return was written)."""
    info = work_copy_info()
    if info is None:
        raise PackageError("这不是村级工作副本：交回工作包只能在村里打开的工作副本上做")
    changes = collect_changes(info)
    counts: dict[str, int] = {}
    for change in changes:
        counts[change["kind"]] = counts.get(change["kind"], 0) + 1
    return_id = uuid.uuid4().hex
    rows = audit_rows()
    document = {
        "format": "ledgerreturn", "version": 1, "return_id": return_id, "package_id": info.package_id,
        "ledger_id": info.base.ledger_id, "villages": list(info.villages), "year": info.year,
        "base": info.base.as_json(), "written_at": snapshot.now().isoformat(" "),
        "operator": audit.current_operator() or _last_operator(rows), "changes": changes,
        "audit": rows,
    }
    with db.atomic():
        write_document(document, Path(to), password)
        audit.record("return", "package", info.package_id, None,
                     {"return_id": return_id, "changes": len(changes), "file": Path(to).name})
    return ReturnReceipt(info.package_id, return_id, Path(to), len(changes), counts)


def _last_operator(rows: list[list]) -> str:
    for row in reversed(rows):
        if row[2]:
            return str(row[2])
    return ""
