"""What the reliability tests share: whole-ledger fingerprints and small demo ledgers."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from desktop_app.services.payments import PaymentInput
from desktop_app.store.models import Enrollment

DEMO_TODAY = dt.date(2026, 11, 23)


def table_names(conn: sqlite3.Connection) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]


def dump(conn: sqlite3.Connection, skip: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table, in rowid order: two equal dumps mean two equal ledgers."""
    return {
        name: conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
        for name in table_names(conn)
        if name not in skip
    }


def dump_file(path: Path, skip: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(str(path))
    try:
        return dump(conn, skip)
    finally:
        conn.close()


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
        for name in table_names(conn)
    }


def unpaid_inputs(limit: int, year: int = 2025) -> list[PaymentInput]:
    """Payments that the open ledger will accept: unpaid persons who owe something."""
    rows = (
        Enrollment.select()
        .where(
            (Enrollment.year == year) & (Enrollment.status == "unpaid") & (Enrollment.due_fen > 0)
        )
        .order_by(Enrollment.person)
        .limit(limit)
    )
    return [
        PaymentInput(
            person_id=row.person_id,
            year=year,
            amount_fen=row.due_fen,
            paid_on=dt.date(2024, 10, 8),
            channel="银行",
            voucher=f"T{row.person_id}",
        )
        for row in rows
    ]
