"""Writing a return's changes into the open ledger (a merge at the township, a refresh in the
village), inside the caller's transaction, each write audited with the package id.
Peewee expressions only (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import datetime as dt

from desktop_app.domain.pinyin import name_initials
from desktop_app.domain.vocabulary import Status
from desktop_app.services import audit
from desktop_app.services.charges import ensure_enrollments, recompute
from desktop_app.services.household_numbers import NumberMaker
from desktop_app.services.packages import snapshot
from desktop_app.services.policy import policy_for_year
from desktop_app.store.models import Enrollment, Household, Payment, Person, Region, db


class Writer:
    def __init__(self, year: int, package_id: str) -> None:
        self.year = year
        self.package_id = package_id
        self.touched: set[int] = set()
        self.new_persons: list[int] = []
        self.local: dict[str, int] = {}
        self.operators = snapshot.operator_ids()
        self.persons: dict[str, Person] = {}
        self.paid: set[tuple[int, int]] = set()  # (person, year) whose date paid follows new payments
        #: the village's household number -> the township's (a number taken here by another household)
        self.numbers: dict[str, str] = {}

    def prefetch(self, changes: list[dict]) -> None:
        """The persons the changes name, in one query per 900 (not one per change)."""
        wanted = sorted({str(c.get("id_number") or c.get("key")) for c in changes
                         if c["kind"] != "household" and c.get("table", "person") == "person"})
        for start in range(0, len(wanted), 900):
            for person in Person.select().where(Person.id_number.in_(wanted[start:start + 900])):
                self.persons[person.id_number] = person

    def _person(self, id_number: str) -> Person:
        found = self.persons.get(id_number)
        if found is None:
            found = self.persons[id_number] = Person.get(Person.id_number == id_number)
        return found

    def _household(self, number: str) -> Household:
        return Household.get(Household.number == self.numbers.get(number, number))

    def _note(self, values: dict) -> dict:
        return {**values, "package": self.package_id}

    def apply(self, change: dict) -> None:
        kind = change["kind"]
        if kind == "household":
            village = Region.get((Region.level == "village") & (Region.name == change["village"]))
            if change["number"] in self.numbers:
                return  # the township's household already
            number = change["number"]
            if Household.select().where(Household.number == number).exists():  # taken by another household
                number = NumberMaker(db.connection()).next(village.id)
                self.numbers[change["number"]] = number
            head_key = change["head_id_number"]
            if head_key and Household.select().where(Household.head_id_number == head_key).exists():
                head_key = None
            created = Household.create(number=number, head_id_number=head_key, village=village,
                                       head_name=change["head_name"], address=change["address"])
            audit.record("create", "household", created.id, None,
                         self._note({"number": created.number, "village": village.name,
                                     "village_number": change["number"]}))
        elif kind == "person":
            self._add_or_update_person(change)
        elif kind == "edit" and change["table"] == "household":
            household = self._household(change["key"])
            Household.update(**{change["field"]: change["value"]}).where(Household.id == household.id).execute()
            audit.record("update", "household", household.id, {change["field"]: change["base"]},
                         self._note({change["field"]: change["value"]}))
        elif kind == "edit":
            self._edit_person(change)
        elif kind == "status":
            person = self._person(change["key"])
            status, reason = change["value"]
            enrollment = Enrollment.get_or_none((Enrollment.person == person.id) & (Enrollment.year == change["year"]))
            if enrollment is not None:
                Enrollment.update(status=status or Status.UNPAID.value, status_reason=reason).where(
                    Enrollment.id == enrollment.id).execute()
                audit.record("status", "enrollment", enrollment.id, {"status": enrollment.status},
                             self._note({"status": status or Status.UNPAID.value, "reason": reason}))
                self.touched.add(person.id)
        else:
            self.payment(change)

    def _add_or_update_person(self, change: dict) -> None:
        household = self._household(change["household"])
        found = Person.get_or_none(Person.id_number == change["id_number"])
        fields = {"name": change["name"], "relation": change["relation"], "phone": change["phone"],
                  "note": change["note"], "household": household.id, "name_initials": name_initials(change["name"])}
        if found is None:
            created = Person.create(id_number=change["id_number"], sex=change["sex"],
                                    birth_date=dt.date.fromisoformat(change["birth_date"]), **fields)
            audit.record("create", "person", created.id, None,
                         self._note({"name": created.name, "id_number": created.id_number,
                                     "household": household.number}))
            self.new_persons.append(created.id)
            return
        Person.update(**fields, updated_at=snapshot.now()).where(Person.id == found.id).execute()
        audit.record("update", "person", found.id, {"name": found.name}, self._note({"name": change["name"],
                                                                                     "household": household.number}))
        self._follow_household(found.id, household)

    def _edit_person(self, change: dict) -> None:
        person = self._person(change["key"])
        field, value = change["field"], change["value"]
        if field == "household":
            household = self._household(value)
            Person.update(household=household.id).where(Person.id == person.id).execute()
            self._follow_household(person.id, household)
        else:
            extra = {"name_initials": name_initials(value)} if field == "name" else {}
            Person.update(**{field: value}, **extra, updated_at=snapshot.now()).where(Person.id == person.id).execute()
        audit.record("update", "person", person.id, {field: change["base"]}, self._note({field: value}))
        self.persons.pop(person.id_number, None)  # read again when next needed

    def _follow_household(self, person_id: int, household: Household) -> None:
        Enrollment.update(village=household.village_id).where(
            (Enrollment.person == person_id) & (Enrollment.year == self.year)).execute()
        self.touched.add(person_id)

    def payment(self, change: dict) -> None:
        """A payment the decisions found missing here (by its uid)."""
        person = self._person(change["id_number"])
        payment_id = snapshot.insert_payment(change, person.id, self.local, self.operators)
        action = "reverse" if change["reverses"] else "create"
        audit.record(action, "payment", payment_id, None,
                     self._note({"uid": change["uid"], "person_id": person.id, "year": change["year"],
                                 "amount_fen": change["amount_fen"], "paid_on": change["paid_on"],
                                 "by": change.get("by", "")}))
        self.touched.add(person.id)
        self.paid.add((person.id, change["year"]))

    def clear_status(self, id_number: str) -> None:
        person = self._person(id_number)
        Enrollment.update(status=Status.UNPAID.value, status_reason="").where(
            (Enrollment.person == person.id) & (Enrollment.year == self.year)).execute()
        audit.record("status", "enrollment", person.id, None, self._note({"status": "", "why": "合并时按缴费算"}))
        self.touched.add(person.id)

    def _paid_on(self, pairs: list[tuple[int, int]]) -> None:
        """Each enrollment's date paid: its newest payment not reversed (read in one query per 900)."""
        for year in sorted({y for _p, y in pairs}):
            persons = sorted({p for p, y in pairs if y == year})
            for start in range(0, len(persons), 900):
                part = persons[start:start + 900]
                rows = list(Payment.select(Payment.id, Payment.person, Payment.paid_on, Payment.reverses,
                                           Payment.amount_fen)
                            .where(Payment.person.in_(part) & (Payment.year == year) & (Payment.kind == "normal"))
                            .tuples())
                reversed_ids = {r[3] for r in rows if r[3]}
                latest: dict[int, dt.date] = {}
                for payment_id, person_id, paid_on, reverses, amount in rows:
                    if amount > 0 and reverses is None and payment_id not in reversed_ids:
                        day = paid_on if isinstance(paid_on, dt.date) else dt.date.fromisoformat(str(paid_on))
                        latest[person_id] = max(latest.get(person_id, day), day)
                for person_id in part:
                    Enrollment.update(paid_on=latest.get(person_id)).where(
                        (Enrollment.person == person_id) & (Enrollment.year == year)).execute()

    def finish(self) -> None:
        self._paid_on(sorted(self.paid))
        if policy_for_year(self.year) is None:
            return
        if self.new_persons:
            ensure_enrollments(self.year, for_persons=self.new_persons)
        if self.touched or self.new_persons:
            recompute(self.year, self.touched | set(self.new_persons))
