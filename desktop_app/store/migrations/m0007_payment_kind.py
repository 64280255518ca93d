"""Schema version 7: a payment says whether it is this year's contribution or a back-payment (补缴).

Why: DOMAIN.md section 10 records a back-payment against a missed year (断保年度) at that year's
standard; it turns that year into a repaired year — it counts towards 连续参保年数 and repairs one
month of the variable waiting period — but it is *not* a new enrollment: the missed year stays
未缴费 in that year's figures, and the back-payment must not count once as an enrollment (ending the
break) and again as a repair. So the money is kept in ``payment`` like any other (same history,
same reversal 冲正, same audit), marked by a kind, and every sum that makes an enrollment's amount
paid counts only ``normal`` payments.

How: ``payment.kind`` is added, ``'normal'`` for every payment already recorded (the default),
``'backpay'`` for a back-payment; a CHECK allows only those two (the ledger's other value checks
are written the same way). A reversal carries the kind of the payment it reverses. Written
against the table as it is at version 6 (unchanged since version 1), never against the models.
"""

from __future__ import annotations

import sqlite3

DESCRIPTION = "payment.kind: normal, or backpay (补缴 of a missed year, not an enrollment)"

KINDS = ("normal", "backpay")


def apply(conn: sqlite3.Connection) -> None:
    conn.execute(
        "ALTER TABLE payment ADD COLUMN kind VARCHAR(255) NOT NULL DEFAULT 'normal'"
        " CHECK (kind = 'normal' OR kind = 'backpay')"
    )
