"""Correcting mistakes at the desk: a wrong ID number, one person entered twice, a person
entered by mistake. Nothing is lost: every change is one transaction whose audit entry keeps
what was there before (the old ID number, every field of a removed record).

Decisions (issue 16):

- **Correcting an ID number** is an administrator's work. The new number is checked like any
  entry (:func:`~desktop_app.services.household_work.check_id`: check character, birth date, nobody
  else holds it). Sex and birth date follow the new number. When the birth year moves later, the
  enrollments of the years before the new birth year go (refused when such a year has payments:
  reverse them first); when it moves earlier, the loaded years the person now belongs to get their
  enrollment. Every year is recomputed. A household keyed by the person's old ID (户主身份证号)
  is keyed by the new one. The old number is in the entry, so the person's history shows it.
- **Merging** two records of one person (``keep``, ``drop``): ``keep``'s ID number, name and
  household stay. ``drop``'s payments (reversals too) move to ``keep``; its categories move,
  except one ``keep`` already holds for that year (``keep``'s row stays). An enrollment of a year
  only ``drop`` has moves to ``keep`` as it is (its village is where the person was counted that
  year); for a year both have, ``keep``'s row stays, the payments of both count towards it (the
  amount paid is their sum) and the charge is recomputed; a status recorded with a reason (职工医保,
  死亡…) on ``keep`` wins, else ``drop``'s recorded status carries over. ``drop`` is then deleted
  with an entry holding all its fields, categories and enrollments.
- **Removing** a person entered by mistake needs a reason and is refused while the person has
  money in the ledger (a payment not reversed, or a refund): reverse it first, or merge when it is
  the same person entered twice. Reversed payments and their reversals go with the person; the
  entry keeps each of them, with every field of the person, their categories and enrollments.
- A household left with no members by a merge or a removal is deleted too, with its own entry.

Clerks may merge and remove in their own villages (both records' villages for a merge).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from desktop_app.domain.idnumber import normalize_id_text
from desktop_app.domain.money import format_yuan
from desktop_app.domain.vocabulary import RECORDED_STATUSES
from desktop_app.errors import ServiceError
from desktop_app.services import audit
from desktop_app.services.access import require_admin, require_person_village
from desktop_app.services.charges import ensure_enrollments, recompute
from desktop_app.services.household_work import check_id
from desktop_app.services.policy import policy_years
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import CategoryMembership, Enrollment, Household, Payment, Person, db

_RECORDED = frozenset(s.value for s in RECORDED_STATUSES)


@dataclass(frozen=True)
class IdCorrection:
    old_id_number: str
    new_id_number: str
    years_removed: tuple[int, ...]  # enrollments of years before the new birth year
    years_added: int  # enrollments made for years the person now belongs to


def _person(person_id: int) -> Person:
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise ServiceError("找不到这个人")
    return person


def _fields(person: Person) -> dict[str, Any]:
    """Every field of a person, for an entry that must let nothing be lost."""
    return {"name": person.name, "id_number": person.id_number, "sex": person.sex,
            "birth_date": str(person.birth_date), "relation": person.relation, "phone": person.phone,
            "household": person.household.number, "note": person.note,
            "created_at": str(person.created_at)}


def _categories(person_id: int) -> list[dict[str, Any]]:
    return [{"year": m.year, "category": m.category, "source": m.source,
             "identified_on": m.identified_on, "ended_on": m.ended_on}
            for m in CategoryMembership.select().where(CategoryMembership.person == person_id)
            .order_by(CategoryMembership.year, CategoryMembership.category)]


def _enrollments(person_id: int) -> list[dict[str, Any]]:
    return [{"year": e.year, "status": e.status, "status_reason": e.status_reason, "due_fen": e.due_fen,
             "paid_fen": e.paid_fen, "paid_on": e.paid_on, "village_id": e.village_id}
            for e in Enrollment.select().where(Enrollment.person == person_id).order_by(Enrollment.year)]


def _payments(person_id: int) -> list[dict[str, Any]]:
    return [{"id": p.id, "year": p.year, "amount_fen": p.amount_fen, "paid_on": p.paid_on, "channel": p.channel,
             "voucher": p.voucher, "reverses": p.reverses_id, "reason": p.reason, "operator_id": p.operator_id,
             "created_at": p.created_at}
            for p in Payment.select().where(Payment.person == person_id).order_by(Payment.id)]


def _recompute_years(person_id: int, years: set[int]) -> None:
    """Recompute the person's years that have a policy, and set each year's date paid again from
    the payments (the newest payment not reversed)."""
    loaded = set(policy_years())
    for year in sorted(years & loaded):
        last = db.execute_sql(
            """SELECT MAX(paid_on) FROM payment p WHERE person_id = ? AND year = ? AND amount_fen > 0
               AND NOT EXISTS (SELECT 1 FROM payment r WHERE r.reverses_id = p.id)""",
            (person_id, year),
        ).fetchone()[0]
        Enrollment.update(paid_on=last).where((Enrollment.person == person_id) & (Enrollment.year == year)).execute()
        recompute(year, [person_id])


def _drop_household_if_empty(household_id: int, reason: str) -> bool:
    if Person.select().where(Person.household == household_id).exists():
        return False
    household = Household.get_by_id(household_id)
    audit.record("delete", "household", household_id,
                 {"number": household.number, "village_id": household.village_id, "head_name": household.head_name,
                  "address": household.address, "head_id_number": household.head_id_number},
                 {"reason": f"户内已无成员（{reason}）"})
    household.delete_instance()
    return True


@friendly_writes(ServiceError)
def correct_id_number(person_id: int, new_text: str, reason: str = "") -> IdCorrection:
    """更正身份证号 (administrator only): the new number checked like any entry, sex and birth date
    following it, enrollments made or removed as the birth year requires, the old number audited."""
    require_admin("更正身份证号", table="person", record_id=person_id)
    person = _person(person_id)
    checked = check_id(new_text, ignore_person=person_id)
    if not checked.ok or checked.parsed is None:
        raise ServiceError(checked.message)
    new = checked.parsed
    if new.number == person.id_number:
        raise ServiceError("新身份证号与原来的相同，不用更正")
    old = {"id_number": person.id_number, "sex": person.sex, "birth_date": str(person.birth_date)}
    with db.atomic():
        too_early = [e.year for e in Enrollment.select().where(
            (Enrollment.person == person_id) & (Enrollment.year < new.birth_date.year)).order_by(Enrollment.year)]
        paid_years = sorted({p.year for p in Payment.select().where(
            (Payment.person == person_id) & (Payment.year < new.birth_date.year))})
        if paid_years:
            raise ServiceError(
                f"按新身份证号此人{new.birth_date.year}年才出生，但{'、'.join(map(str, paid_years))}年度有缴费记录，"
                "请先冲正这些缴费再更正")
        Enrollment.delete().where((Enrollment.person == person_id) & (Enrollment.year < new.birth_date.year)).execute()
        Person.update(id_number=new.number, sex=new.sex, birth_date=new.birth_date,
                      updated_at=dt.datetime.now()).where(Person.id == person_id).execute()
        Household.update(head_id_number=new.number).where(Household.head_id_number == person.id_number).execute()
        added = sum(ensure_enrollments(year) for year in policy_years())
        _recompute_years(person_id, {e.year for e in Enrollment.select().where(Enrollment.person == person_id)})
        audit.record("correct_id", "person", person_id, old,
                     {"id_number": new.number, "sex": new.sex, "birth_date": str(new.birth_date),
                      "reason": reason.strip(), "enrollments_removed": too_early, "enrollments_added": added})
    return IdCorrection(old["id_number"], new.number, tuple(too_early), added)


@dataclass(frozen=True)
class MergeResult:
    kept: int
    payments_moved: int
    years_moved: tuple[int, ...]  # enrollments only the dropped record had
    years_joined: tuple[int, ...]  # years both had: payments summed, charge recomputed
    household_deleted: bool


@friendly_writes(ServiceError)
def merge_persons(keep_id: int, drop_id: int, reason: str) -> MergeResult:
    """合并: one person entered twice becomes ``keep``; ``drop``'s payments, categories and
    enrollments are moved or joined (module docstring) and ``drop`` is deleted, audited in full."""
    if keep_id == drop_id:
        raise ServiceError("不能把一个人和自己合并")
    if not reason.strip():
        raise ServiceError("合并必须写明原因")
    keep, drop = _person(keep_id), _person(drop_id)
    require_person_village(keep_id, "合并")
    require_person_village(drop_id, "合并")
    with db.atomic():
        before = {**_fields(drop), "id": drop_id, "categories": _categories(drop_id),
                  "enrollments": _enrollments(drop_id)}
        held = {(m.year, m.category) for m in CategoryMembership.select().where(CategoryMembership.person == keep_id)}
        for membership in CategoryMembership.select().where(CategoryMembership.person == drop_id):
            if (membership.year, membership.category) in held:
                membership.delete_instance()
            else:
                CategoryMembership.update(person=keep_id).where(CategoryMembership.id == membership.id).execute()
        kept_years = {e.year: e for e in Enrollment.select().where(Enrollment.person == keep_id)}
        moved, joined = [], []
        for enrollment in Enrollment.select().where(Enrollment.person == drop_id).order_by(Enrollment.year):
            mine = kept_years.get(enrollment.year)
            if mine is None:
                Enrollment.update(person=keep_id).where(Enrollment.id == enrollment.id).execute()
                moved.append(enrollment.year)
                continue
            if mine.status not in _RECORDED and enrollment.status in _RECORDED:
                Enrollment.update(status=enrollment.status, status_reason=enrollment.status_reason).where(
                    Enrollment.id == mine.id).execute()
            enrollment.delete_instance()
            joined.append(enrollment.year)
        payments_moved = Payment.update(person=keep_id).where(Payment.person == drop_id).execute()
        household_id = drop.household_id
        audit.record("merge", "person", keep_id, before,
                     {"kept": keep.id_number, "reason": reason.strip(), "payments_moved": payments_moved,
                      "years_moved": moved, "years_joined": joined})
        audit.record("delete", "person", drop_id, before, {"merged_into": keep_id, "reason": reason.strip()})
        Person.delete().where(Person.id == drop_id).execute()
        emptied = _drop_household_if_empty(household_id, "合并")
        _recompute_years(keep_id, {e.year for e in Enrollment.select().where(Enrollment.person == keep_id)})
    return MergeResult(keep_id, payments_moved, tuple(moved), tuple(joined), emptied)


@friendly_writes(ServiceError)
def remove_person(person_id: int, reason: str) -> bool:
    """删除 a person entered by mistake, with a reason; refused while they have money in the
    ledger. Returns whether their household, left empty, was deleted too."""
    if not reason.strip():
        raise ServiceError("删除人员必须写明原因")
    person = _person(person_id)
    require_person_village(person_id, "删除")
    with db.atomic():
        payments = _payments(person_id)
        reversed_ids = {p["reverses"] for p in payments if p["reverses"] is not None}
        standing = [p for p in payments if p["reverses"] is None and p["id"] not in reversed_ids]
        if standing:
            money = "、".join(f"{p['paid_on']:%Y-%m-%d}的{format_yuan(p['amount_fen'])}元" for p in standing)
            raise ServiceError(
                f"{person.name}有缴费记录（{money}），不能删除：请先冲正；如果是同一个人登记了两次，请用“合并”")
        before = {**_fields(person), "categories": _categories(person_id), "enrollments": _enrollments(person_id),
                  "payments": payments}
        audit.record("delete", "person", person_id, before, {"reason": reason.strip()})
        # reversals first: each names the payment it reverses
        Payment.delete().where((Payment.person == person_id) & Payment.reverses.is_null(False)).execute()
        Payment.delete().where(Payment.person == person_id).execute()
        household_id = person.household_id
        Person.delete().where(Person.id == person_id).execute()  # categories and enrollments go with it
        return _drop_household_if_empty(household_id, "删除人员")


@dataclass(frozen=True)
class Holder:
    person_id: int
    name: str
    household_number: str
    village: str

    @property
    def words(self) -> str:
        return f"{self.name}（户编号{self.household_number}，{self.village}）"


def holder_of(id_text: str) -> Holder | None:
    """Who holds an ID number as typed (spaces, full-width digits and a small x allowed), for the
    merge form's other record; None when nobody does."""
    row = db.execute_sql(
        """SELECT p.id, p.name, h.number, v.name FROM person p JOIN household h ON h.id = p.household_id
           JOIN region v ON v.id = h.village_id WHERE p.id_number = ?""",
        (normalize_id_text(id_text),),
    ).fetchone()
    return Holder(*row) if row else None
