"""Two real ledgers in a temp folder for the work-package tests: the township's and a work copy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.services import backup_format
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import Enrollment, Household, Payment, Person, Region

YEAR = 2025
PAID_ON = dt.date(2026, 11, 2)
PASSWORD = "村医的密码12345"


@pytest.fixture
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheap key derivation (the file's header records it, so reading follows): many round trips."""
    monkeypatch.setattr(backup_format, "SCRYPT_LOG2_N", 10)


def switch(path: Path) -> None:
    """Make ``path`` the open ledger (one ledger is bound at a time, as in the program)."""
    close_database()
    open_database(path)


def make_township(path: Path, persons: int = 300, seed: int = 7) -> Path:
    close_database()
    open_database(path)
    generate_demo(DemoOptions(persons=persons, seed=seed, today=dt.date(2026, 11, 23)))
    return path


def village_names() -> list[str]:
    return [r.name for r in Region.select().where(Region.level == "village").order_by(Region.name)]


def persons_of(village: str) -> list[Person]:
    return list(Person.select().join(Household).join(Region)
                .where(Region.name == village).order_by(Person.id_number))


def owing(village: str) -> list[Person]:
    """Persons of the village who still owe for the year, oldest ID numbers first."""
    return [p for p in persons_of(village)
            if (e := Enrollment.get((Enrollment.person == p.id) & (Enrollment.year == YEAR))).status == "unpaid"
            and e.due_fen > e.paid_fen]


def content() -> dict:
    """The ledger's facts by keys that are the same in every ledger (never row numbers)."""
    villages = {r.id: r.name for r in Region.select()}
    households = {h.id: h.number for h in Household.select()}
    uids = {p.id: p.uid for p in Payment.select()}
    ids = {p.id: p.id_number for p in Person.select()}
    return {
        "households": sorted((h.number, villages[h.village_id], h.head_name, h.address) for h in Household.select()),
        "persons": sorted((p.id_number, p.name, p.relation, p.phone, households[p.household_id])
                          for p in Person.select()),
        "enrollments": sorted((ids[e.person_id], e.year, villages[e.village_id], e.status, e.status_reason,
                               e.due_fen, e.paid_fen, str(e.paid_on)) for e in Enrollment.select()),
        "payments": sorted((p.uid, ids[p.person_id], p.year, p.amount_fen, uids.get(p.reverses_id), str(p.paid_on))
                           for p in Payment.select()),
    }
