"""Today's date, asked in one place by the rules that depend on it (a payment dated after today
is refused; an import's rows are judged as of today). Any layer may use it; a test of a later
season sets it with ``monkeypatch.setattr(clock, "today", …)``."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.date.today()
