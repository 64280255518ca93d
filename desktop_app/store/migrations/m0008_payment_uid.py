"""Schema version 8: every payment has a globally unique id (``payment.uid``).

Why: a village work package (issue 17) takes a village's payments out to a village doctor's
laptop, where new payments and reversals are recorded in a work copy, and brings them back. The
row number (``payment.id``) is only unique inside one ledger file: two laptops give out the same
numbers. A payment that travels needs a name of its own, so that merging a return file twice
never counts a payment twice, and a reversal can name the payment it reverses in the other file.

How: ``payment.uid`` (text, a UUID's 32 hex digits) is added, every payment already recorded gets
one here, and a UNIQUE index holds them apart. The column stays NULL-able: rows written by the
bulk importers before they learn of it get theirs when a package is cut (a NULL is never taken for
another payment). Written against the table as it is at version 7, never against the models.
"""

from __future__ import annotations

import sqlite3
import uuid

DESCRIPTION = "payment.uid: a globally unique id for every payment (village work packages)"


def apply(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE payment ADD COLUMN uid VARCHAR(255)")
    ids = [row[0] for row in conn.execute("SELECT id FROM payment WHERE uid IS NULL")]
    conn.executemany("UPDATE payment SET uid = ? WHERE id = ?", ((uuid.uuid4().hex, i) for i in ids))
    conn.execute('CREATE UNIQUE INDEX "payment_uid" ON "payment" ("uid")')
