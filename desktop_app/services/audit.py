"""Writing 操作日志 entries, always inside the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from desktop_app.pathnames import shown
from desktop_app.store.models import AuditEntry

#: Who is working; set by the GUI's login or the CLI (the OS user name) once per session.
_current_operator = ""


def set_current_operator(name: str) -> None:
    global _current_operator
    _current_operator = name


def current_operator() -> str:
    return _current_operator


def _as_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return shown(value)
    # shown: a file name the OS gave undecodable (GBK) would not go into SQLite
    return shown(json.dumps(value, ensure_ascii=False, default=str, sort_keys=True))


def record(action: str, table: str, record_id: object = "", old: Any = None, new: Any = None) -> None:
    AuditEntry.create(
        operator=_current_operator,
        action=action,
        table=table,
        record_id=shown(str(record_id)),
        old_value=_as_text(old),
        new_value=_as_text(new),
    )


# --- reading the trail (never editing it) ---------------------------------------------------------

def count_entries() -> int:
    return AuditEntry.select().count()


def entries(offset: int, limit: int) -> list[tuple]:
    """The whole ledger's trail, newest first, a page at a time."""
    from desktop_app.store.models import db

    return db.execute_sql(
        'SELECT at, operator, action, "table", record_id, old_value, new_value FROM audit_entry'
        " ORDER BY id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()


def person_history(person_id: int) -> list[tuple]:
    """Every entry about a person: the person, their enrollments, payments and categories."""
    from desktop_app.store.models import db

    return db.execute_sql(
        """SELECT at, operator, action, "table", record_id, old_value, new_value FROM audit_entry
           WHERE ("table" = 'person' AND record_id = :pid)
              OR ("table" = 'enrollment' AND record_id IN (SELECT CAST(id AS TEXT) FROM enrollment WHERE person_id = :id))
              OR ("table" = 'payment' AND record_id IN (SELECT CAST(id AS TEXT) FROM payment WHERE person_id = :id))
              OR ("table" = 'category_membership' AND (record_id LIKE :prefix
                   OR record_id IN (SELECT CAST(id AS TEXT) FROM category_membership WHERE person_id = :id)))
           ORDER BY id DESC""".replace(":pid", "?1").replace(":id", "?2").replace(":prefix", "?3"),
        (str(person_id), person_id, f"{person_id}/%"),
    ).fetchall()


def export_trail(path: object) -> int:
    """The whole trail to an .xlsx workbook, for the county or an inspection."""
    from pathlib import Path

    from desktop_app.exchange.writing import Column, write_xlsx

    headers = ("时间", "操作员", "操作", "表", "记录", "原值", "新值")
    total = count_entries()

    def rows():  # noqa: ANN202
        for offset in range(0, total, 5000):
            for at, *rest in entries(offset, 5000):
                yield [str(at), *rest]

    summary = write_xlsx(Path(str(path)), "操作日志", [Column(h) for h in headers], rows(), sheet_name="操作日志")
    return summary.rows
