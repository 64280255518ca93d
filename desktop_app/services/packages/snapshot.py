"""A village's rows as plain data, keyed by what is the same in every ledger.

Households by number, persons by ID number, enrollments by (ID number, year), payments by their
uid (schema version 8), villages by name. A package carries such a snapshot; the work copy keeps
the one it was made from (its base) and diffs itself against it to write a return.
Peewee expressions only: the same queries run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from peewee import Case

from desktop_app.domain.pinyin import name_initials
from desktop_app.store.models import (
    CategoryMembership,
    CategoryRule,
    Enrollment,
    Household,
    Operator,
    Payment,
    Person,
    PolicyYear,
    Region,
    new_uid,
)

PERSON_FIELDS = ("name", "relation", "phone", "note")
HOUSEHOLD_FIELDS = ("head_name", "address")


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _day(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


def _stamp(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(" ")
    return str(value or "")


def assign_missing_uids() -> int:
    """Give a uid to payments written without one (the bulk importers); returns how many.

    One ``UPDATE … SET uid = CASE id WHEN … END`` per 300 rows (portable SQL): a township's
    50,000 imported payments take a second, not one statement each."""
    ids = [row[0] for row in Payment.select(Payment.id).where(Payment.uid.is_null()).tuples()]
    for start in range(0, len(ids), 300):
        part = ids[start:start + 300]
        Payment.update(uid=Case(Payment.id, [(i, new_uid()) for i in part])).where(Payment.id.in_(part)).execute()
    return len(ids)


def village_regions(names: Sequence[str]) -> list[Region]:
    return list(Region.select().where((Region.level == "village") & Region.name.in_(list(names)))
                .order_by(Region.name))


def cut(village_ids: Sequence[int], year: int) -> dict:
    """The households, persons, categories, enrollments and payments of these villages for ``year``.

    Rows are read as plain dicts (no model objects: a 50,000-person township is cut in seconds),
    each table by one join on the household's village."""
    ids_list = list(village_ids)
    villages = {r.id: r.name for r in Region.select().where(Region.id.in_(ids_list))}
    in_villages = Household.village.in_(ids_list)
    households = list(Household.select().where(in_villages).order_by(Household.number).dicts())
    by_household = {h["id"]: h["number"] for h in households}
    persons = list(Person.select().join(Household).where(in_villages).order_by(Person.id_number).dicts())
    ids = {p["id"]: p["id_number"] for p in persons}

    def of_persons(model, *where):
        return (model.select().join(Person, on=(model.person == Person.id)).join(Household)
                .where(in_villages, *where).dicts())

    categories = [
        {"id_number": ids[c["person"]], "year": c["year"], "category": c["category"], "source": c["source"],
         "identified_on": _day(c["identified_on"]), "ended_on": _day(c["ended_on"])}
        for c in of_persons(CategoryMembership, CategoryMembership.year == year)]
    enrollments = [
        {"id_number": ids[e["person"]], "year": e["year"], "village": villages.get(e["village"], ""),
         "status": e["status"], "status_reason": e["status_reason"], "enrolled_on": _day(e["enrolled_on"]),
         "paid_on": _day(e["paid_on"])}
        for e in of_persons(Enrollment, Enrollment.year == year)]
    payments = list(of_persons(Payment, Payment.year == year))
    uids = {p["id"]: p["uid"] for p in payments}
    operators = {o.id: o.name for o in Operator.select(Operator.id, Operator.name)}
    return {
        "households": [
            {"number": h["number"], "head_id_number": h["head_id_number"], "village": villages[h["village"]],
             "head_name": h["head_name"], "address": h["address"], "created_at": _stamp(h["created_at"])}
            for h in households],
        "persons": [
            {"id_number": p["id_number"], "name": p["name"], "sex": p["sex"], "birth_date": _day(p["birth_date"]),
             "relation": p["relation"], "phone": p["phone"], "household": by_household[p["household"]],
             "note": p["note"], "created_at": _stamp(p["created_at"])}
            for p in persons],
        "categories": categories,
        "enrollments": enrollments,
        "payments": [payment_json(p, ids[p["person"]], uids, operators) for p in payments],
    }


def payment_json(p: dict, id_number: str, uids: dict[int, str], operators: dict[int, str]) -> dict:
    """A payment row (as a dict) in the form packages and returns carry it."""
    return {"uid": p["uid"], "id_number": id_number, "year": p["year"], "amount_fen": p["amount_fen"],
            "paid_on": _day(p["paid_on"]), "channel": p["channel"], "voucher": p["voucher"],
            "reverses": uids.get(p["reverses"]) if p["reverses"] else None, "reason": p["reason"],
            "kind": p["kind"], "operator": operators.get(p["operator"], "") if p["operator"] else "",
            "created_at": _stamp(p["created_at"])}


def policies(year: int) -> list[dict]:
    found = PolicyYear.get_or_none(PolicyYear.year == year)
    if found is None:
        return []
    row = {name: getattr(found, name) for name in (
        "year", "standard_fen", "waiting_fixed_months", "waiting_months_per_break_year",
        "waiting_months_repaid_per_year", "waiting_floor_after_years", "waiting_floor_months",
        "waiting_exempt_categories", "source_text")}
    row["collection_start"] = _day(found.collection_start)
    row["collection_end"] = _day(found.collection_end)
    row["rules"] = [{"code": r.code, "name": r.name, "mode": r.mode, "amount_fen": r.amount_fen,
                     "percent": r.percent, "position": r.position}
                    for r in CategoryRule.select().where(CategoryRule.policy == year).order_by(CategoryRule.position)]
    return [row]


def load_policies(rows: list[dict]) -> None:
    for row in rows:
        fields = {k: v for k, v in row.items() if k != "rules"}
        PolicyYear.insert(**fields).execute()
        for rule in row["rules"]:
            CategoryRule.insert(policy=row["year"], **rule).execute()


def load(snapshot: dict, township: Region) -> None:
    """Write a snapshot's rows into a ledger that has none of them (a new work copy), in the
    caller's transaction. Villages are made under ``township``; enrollments come with charges
    recomputed by the caller."""
    villages = {}
    for household in snapshot["households"]:
        name = household["village"]
        if name not in villages:
            villages[name] = Region.get_or_none((Region.level == "village") & (Region.name == name)) \
                or Region.create(name=name, level="village", parent=township, code=None)
    numbers = {}
    for h in snapshot["households"]:
        numbers[h["number"]] = Household.insert(
            number=h["number"], head_id_number=h["head_id_number"], village=villages[h["village"]],
            head_name=h["head_name"], address=h["address"], created_at=h["created_at"] or now()).execute()
    persons = {}
    for p in snapshot["persons"]:
        persons[p["id_number"]] = Person.insert(
            id_number=p["id_number"], name=p["name"], sex=p["sex"], birth_date=p["birth_date"],
            relation=p["relation"], phone=p["phone"], household=numbers[p["household"]], note=p["note"],
            created_at=p["created_at"] or now(), updated_at=p["created_at"] or now(),
            name_initials=name_initials(p["name"])).execute()
    for c in snapshot["categories"]:
        CategoryMembership.insert(person=persons[c["id_number"]], year=c["year"], category=c["category"],
                                  source=c["source"], identified_on=c["identified_on"],
                                  ended_on=c["ended_on"]).execute()
    village_of = {h["number"]: villages[h["village"]].id for h in snapshot["households"]}
    household_of = {p["id_number"]: p["household"] for p in snapshot["persons"]}
    for e in snapshot["enrollments"]:
        Enrollment.insert(person=persons[e["id_number"]], year=e["year"],
                          village=village_of[household_of[e["id_number"]]], status=e["status"],
                          status_reason=e["status_reason"], enrolled_on=e["enrolled_on"],
                          paid_on=e.get("paid_on")).execute()
    load_payments(snapshot["payments"], persons)


def payment_id_of(uid: str, local: dict[str, int]) -> int | None:
    if uid in local:
        return local[uid]
    found = Payment.get_or_none(Payment.uid == uid)
    return found.id if found else None


def insert_payment(p: dict, person_id: int, local: dict[str, int], operators: dict[str, int]) -> int:
    """One payment row from its JSON (a reversal names its original by uid, found here or in ``local``)."""
    local[p["uid"]] = Payment.insert(
        uid=p["uid"], person=person_id, year=p["year"], amount_fen=p["amount_fen"],
        paid_on=p["paid_on"], channel=p["channel"], voucher=p["voucher"],
        reverses=payment_id_of(p["reverses"], local) if p["reverses"] else None, reason=p["reason"],
        kind=p.get("payment_kind") or p["kind"], operator=operators.get(p["operator"]), created_at=p["created_at"] or now()).execute()
    return local[p["uid"]]


def operator_ids() -> dict[str, int]:
    return {o.name: o.id for o in Operator.select(Operator.id, Operator.name)}


def load_payments(rows: list[dict], persons: dict[str, int]) -> None:
    local: dict[str, int] = {}
    operators = operator_ids()
    for p in sorted(rows, key=lambda r: r["reverses"] is not None):  # originals before reversals
        insert_payment(p, persons[p["id_number"]], local, operators)
