"""Writing 操作日志 entries, always inside the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

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
        return value
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def record(action: str, table: str, record_id: object = "", old: Any = None, new: Any = None) -> None:
    AuditEntry.create(
        operator=_current_operator,
        action=action,
        table=table,
        record_id=str(record_id),
        old_value=_as_text(old),
        new_value=_as_text(new),
    )
