"""A roster's writing half (:func:`write`): the households, persons, categories, statuses,
payments and enrollments of a checked roster (:mod:`.roster`), in the apply's transaction.

A roster may bring a whole township at once (100,000 persons into an empty ledger), a county
(1,000,000) or a few changes into a full one; all go through the same steps, which cost little
for a few rows and are what makes the big case fast:

- ids are counted on from the highest (store.bulk.next_id), which gives each row the id SQLite
  would have given it: households go in with one statement instead of one INSERT each for its
  lastrowid, and the persons' ids need no ``SELECT id_number, id FROM person`` over the table;
- rows go in a couple of hundred to a statement (store.bulk.insert_persons and the like);
- a table receiving more rows than it holds has its secondary indexes set aside and rebuilt
  (store.bulk.indexes_set_aside); a small import into a big ledger keeps them;
- the new persons' enrollments are computed from the rows in hand (charges.insert_enrollments,
  one computation per set of categories) instead of being found by ensure_enrollments'
  anti-join over the whole ledger and their categories and payments read back; ensure_enrollments
  still runs, for the persons already in the ledger only;
- the plan's rows are read in order, a batch at a time (its :class:`~.spool.RowSpool`), once per
  table they feed: no table's rows are all built in memory before they go in (a million new
  persons built as rows for four tables at once grew the apply by hundreds of MB).

Every row, value and audit entry is the same as writing them one at a time gave, in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import chain

from desktop_app.domain.pinyin import name_initials
from desktop_app.services import audit
from desktop_app.services.charges import ensure_enrollments, insert_enrollments
from desktop_app.services.importing import statuses
from desktop_app.services.importing.common import ImportPlan, now
from desktop_app.services.importing.households import Households, village_ids, write_households
from desktop_app.services.importing.spool import batches, fields
from desktop_app.services.ledger import ServiceError
from desktop_app.services.policy import policy_for_year
from desktop_app.store import bulk
from desktop_app.store.models import db


class Initials(dict[int, str]):
    """``str.translate`` table giving a name's 拼音首字母, filled as characters are met.

    ``name_initials`` takes each character on its own, so a name's initials are its characters'
    initials in a row; a township's names use a few hundred distinct characters. Looking each up
    once and translating in C halves the time (100,000 names: 0.07–0.18 s → 0.04–0.09 s). Checked
    against ``name_initials`` in tests/services/test_import_writes.py.
    """

    def __missing__(self, code: int) -> str:
        initials = self[code] = name_initials(chr(code))
        return initials


class _NewPersons:
    """What the roster's new persons bring, as rows for each table, each read from the plan as it
    is written; :meth:`persons` also counts what the others will bring."""

    def __init__(self, plan: ImportPlan, first_id: int, households: Households, at: str) -> None:
        self.plan, self.first_id, self.households, self.at = plan, first_id, households, at
        self.reason = f"导入自{plan.source}"
        self.count = self.categories_count = self.payments_count = self.enrollments_count = self.recorded = 0
        self.first_number = self.last_number = ""

    def persons(self) -> Iterator[tuple]:  # bulk.PERSON_COLUMNS
        households, at, initials = self.households, self.at, Initials()
        last_day = dt.date(self.plan.year, 12, 31)
        person_id = self.first_id - 1
        number = ""
        for person_id, (number, name, sex, born, relation, phone, household, codes, paid_fen, paid_on,
                        recorded) in enumerate(fields(self.plan.new, "id_number", "name", "sex", "birth_date",
                                                      "relation", "phone", "household_number", "categories",
                                                      "paid_fen", "paid_on", "recorded_status"), self.first_id):
            if person_id == self.first_id:
                self.first_number = number
            if codes:
                self.categories_count += len(dict.fromkeys(codes))
            self.payments_count += bool(paid_fen and paid_on)
            self.enrollments_count += born <= last_day
            self.recorded += bool(recorded)
            yield (person_id, number, name, sex, born.isoformat(), relation, phone, households[household][0], "",
                   at, at, name.translate(initials))
        self.count = person_id - self.first_id + 1
        self.last_number = number

    def categories(self) -> Iterator[tuple]:
        year, source = self.plan.year, self.plan.source
        for person_id, (codes,) in enumerate(fields(self.plan.new, "categories"), self.first_id):
            for code in dict.fromkeys(codes):  # once each, as the upsert for known persons does
                yield (person_id, year, code, source)

    def payments(self) -> Iterator[tuple]:  # bulk.PAYMENT_COLUMNS
        year, reason, at = self.plan.year, self.reason, self.at
        for person_id, (paid_fen, paid_on) in enumerate(fields(self.plan.new, "paid_fen", "paid_on"), self.first_id):
            if paid_fen and paid_on:
                yield (person_id, year, paid_fen, paid_on.isoformat(), "", "", reason, at)

    def enrollments(self) -> Iterator[tuple]:  # charges.KnownInputs
        households = self.households
        last_day = dt.date(self.plan.year, 12, 31)
        for person_id, (born, household, codes, paid_fen, paid_on, recorded, reason) in enumerate(
                fields(self.plan.new, "birth_date", "household_number", "categories", "paid_fen", "paid_on",
                       "recorded_status", "status_reason"), self.first_id):
            if born <= last_day:  # born after the year: not enrolled in it
                paid, paid_day = 0, None
                if paid_fen and paid_on:
                    paid, paid_day = paid_fen, (paid_on.isoformat() if paid_fen > 0 else None)
                yield (person_id, households[household][1], codes, paid, paid_day, recorded, reason)


def write(plan: ImportPlan) -> list[int]:
    """Write the plan's new and updated persons, their households, villages, categories,
    statuses, payments and the year's enrollments; return the persons whose charges must be
    recomputed (the new persons' were computed as they were made)."""
    conn = db.connection()
    at = now()
    names: set[str] = set()
    keys: set[str] = set()
    for village, key in chain(fields(plan.new, "village", "household_number"),
                              fields(plan.updated, "village", "household_number")):
        names.add(village)
        keys.add(key)
    villages = village_ids(names, plan.township_id)
    members = ("village", "household_number", "head_name", "address")
    households = write_households(chain(fields(plan.new, *members), fields(plan.updated, *members)), keys,
                                  villages, at)
    del names, keys
    first_new = bulk.next_id(conn, "person")
    new = _NewPersons(plan, first_new, households, at)
    with bulk.indexes_set_aside(conn, "person", len(plan.new)):
        bulk.insert_persons(conn, new.persons())
    if new.count:
        audit.record("import-create", "person", plan.source, None,
                     {"count": new.count, "first": new.first_number, "last": new.last_number})
    for batch in batches(plan.updated):
        changed = [person for person in batch if person.changes]
        bulk.update_rows(conn, "person", ("name", "phone", "relation", "household_id", "name_initials", "updated_at"),
                         [(person.name, person.phone, person.relation, households[person.household_number][0],
                           name_initials(person.name), at, person.person_id) for person in changed])
        for person in changed:
            audit.record("update", "person", person.person_id,
                         {k: v[0] for k, v in person.changes.items()}, {k: v[1] for k, v in person.changes.items()})
            if "village" in person.changes:  # counted this year where they live now
                conn.execute("UPDATE enrollment SET village_id = ? WHERE person_id = ? AND year = ?",
                             (villages[person.village], person.person_id, plan.year))
    _write_extras(plan, new, first_new)
    return [person_id for (person_id,) in fields(plan.updated, "person_id") if person_id is not None]


def _write_extras(plan: ImportPlan, new: _NewPersons, first_new: int) -> None:
    """Categories, recorded statuses and payments that a roster (our own export) carries, and
    the year's enrollments of everyone who lacks one."""
    conn = db.connection()
    year, at = plan.year, new.at
    # a new person holds no category yet: a plain insert, which needs no unique index (so the
    # indexes can be set aside); one already in the ledger may hold it, ended: an upsert
    if new.categories_count:
        with bulk.indexes_set_aside(conn, "category_membership", new.categories_count):
            bulk.insert_rows(conn, "INSERT INTO category_membership (person_id, year, category, source)",
                             "(?, ?, ?, ?)", new.categories())
    held = payers = 0
    paying: list[int] = []  # the updated persons who bring a payment
    for batch in batches(plan.updated):
        upserts = [(p.person_id, year, code, plan.source) for p in batch for code in p.categories]
        conn.executemany(
            "INSERT INTO category_membership (person_id, year, category, source) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (person_id, year, category) DO UPDATE SET ended_on = NULL",
            upserts,
        )
        held += len(upserts)
        paying.extend(p.person_id for p in batch if p.paid_fen and p.paid_on)
    # a payment is taken from the roster only for a person with none this year (new persons have none)
    to_pay = set(paying) - bulk.persons_with(conn, "payment", year, paying)
    del paying
    known_payments = _known_payments(plan, to_pay, f"导入自{plan.source}", at)
    with bulk.indexes_set_aside(conn, "payment", new.payments_count + len(to_pay)):
        payers = bulk.insert_payments(conn, chain(new.payments() if new.payments_count else (), known_payments))
    # enrollments: persons already in the ledger who lack one (in the file or not) the generic way,
    # from what the ledger now holds; those who had one get their date paid below
    had_enrollment = bulk.persons_with(conn, "enrollment", year, sorted(to_pay))
    ensure_enrollments(year, persons_before=first_new)
    if new.enrollments_count:
        policy = policy_for_year(year)
        if policy is None:  # apply() stores it first; worded as ensure_enrollments words it
            raise ServiceError(f"{year}年度还没有载入政策，无法登记参保")
        with bulk.indexes_set_aside(conn, "enrollment", new.enrollments_count):
            insert_enrollments(policy, new.enrollments(), at)
    # the statements below find rows by (person_id, year): the indexes are back by now
    if had_enrollment:
        for batch in batches(plan.updated):
            conn.executemany("UPDATE enrollment SET paid_on = ? WHERE person_id = ? AND year = ?",
                             [(p.paid_on.isoformat(), p.person_id, year) for p in batch
                              if p.person_id in had_enrollment and p.paid_fen and p.paid_on])
    # the new persons' recorded statuses went in with their rows; known persons' are set or cleared
    recorded = new.recorded + statuses.write(conn, year, plan.source, plan.updated)
    categories = new.categories_count + held
    if categories or recorded or payers:
        audit.record("import-extras", "enrollment", plan.source, None,
                     {"categories": categories, "statuses": recorded, "payments": payers})


def _known_payments(plan: ImportPlan, to_pay: set[int], reason: str, at: str) -> Iterable[tuple]:
    """The payments of the updated persons in ``to_pay``, in the plan's order."""
    if not to_pay:
        return ()
    return ((p.person_id, plan.year, p.paid_fen, p.paid_on.isoformat(), "", "", reason, at)
            for p in plan.updated if p.person_id in to_pay and p.paid_fen and p.paid_on)

