"""Household work at the desk: add a household and its members, edit, move, mark a status.

Each operation is one transaction with its audit entries, and recomputes what it touches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desktop_app.domain.idnumber import IdNumber, IdNumberError, normalize_id_text, parse_id_number
from desktop_app.domain.pinyin import name_initials
from desktop_app.domain.statuses import needs_confirming
from desktop_app.domain.vocabulary import RECORDED_STATUSES, STATUS_NAMES, Status
from desktop_app.services import audit
from desktop_app.services.access import require_admin, require_person_village, require_village
from desktop_app.services.charges import ensure_every_year, recompute
from desktop_app.services.household_numbers import NumberMaker, head_id_key
from desktop_app.services.ledger import ServiceError, village
from desktop_app.services.policy import policy_years
from desktop_app.services.townships import is_county, only_village
from desktop_app.store import dialect
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import Enrollment, Household, Person, db

#: Reasons offered when marking a status (DOMAIN.md section 5; issue 5).
STATUS_REASONS: dict[str, str] = {
    Status.EMPLOYEE.value: "参加职工医保",
    Status.ELSEWHERE.value: "异地参保",
    Status.DECEASED.value: "死亡",
    Status.MOVED.value: "迁出",
    Status.MILITARY.value: "服兵役",
    Status.OTHER.value: "其他",
}


@dataclass(frozen=True)
class NewMember:
    name: str
    id_number: str
    relation: str = ""
    phone: str = ""


@dataclass(frozen=True)
class IdCheck:
    """What the desk shows beside an ID number as it is typed."""

    ok: bool
    message: str
    parsed: IdNumber | None = None


def check_id(text: str, *, ignore_person: int | None = None) -> IdCheck:
    """Check an ID number as typed: valid, and not already held by someone else in the ledger."""
    try:
        parsed = parse_id_number(text)
    except IdNumberError as exc:
        return IdCheck(False, exc.message)
    holder = (
        Person.select(Person, Household)
        .join(Household)
        .where(Person.id_number == parsed.number)
        .first()
    )
    if holder is not None and holder.id != ignore_person:
        return IdCheck(
            False,
            f"这个身份证号已登记为{holder.name}（户编号{holder.household.number}），不能重复登记",
            parsed,
        )
    sex = "男" if parsed.sex == "M" else "女"
    note = "；15位旧号已转为18位" if parsed.converted_from_15 else ""
    return IdCheck(True, f"{sex}，{parsed.birth_date:%Y-%m-%d}出生{note}", parsed)


def _next_household_number(village_id: int) -> str:
    return NumberMaker(db.connection()).next(village_id)


def _ensure_this_years_enrollments() -> None:
    ensure_every_year()  # every loaded year the new person belongs to (DOMAIN.md §10)


@friendly_writes(ServiceError)
def add_household(village_name: str, members: list[NewMember], *, number: str = "", address: str = "") -> int:
    """Add a household and its members (the first is the head unless one says 户主); return its id."""
    if not members:
        raise ServiceError("一户至少要有一个人")
    checked: list[tuple[NewMember, IdNumber]] = []
    seen: set[str] = set()
    for member in members:
        if not member.name.strip():
            raise ServiceError("有成员没有填姓名")
        result = check_id(member.id_number)
        if not result.ok or result.parsed is None:
            raise ServiceError(f"{member.name}：{result.message}")
        if result.parsed.number in seen:
            raise ServiceError(f"{member.name}：身份证号与本户另一成员重复")
        seen.add(result.parsed.number)
        checked.append((member, result.parsed))
    head = next((m for m, _ in checked if m.relation == "户主"), checked[0][0])
    known = only_village(village_name)  # a county database: a name several townships hold is refused
    if known is None and is_county():  # a new village would go under whichever township came first
        raise ServiceError(f"县级数据库里没有“{village_name.strip()}”这个村(社区)；新的村请在乡镇的台账里新建，"
                           "再用 db copy 迁入")
    if known is None:
        require_admin(f"新建村“{village_name.strip()}”", table="region")
    else:
        require_village(known.id, "新增", thing="户", table="region", record_id=known.id)
    with db.atomic():
        place = known or village(village_name)
        assert place is not None
        number = number.strip()
        head_id = head_id_key(normalize_id_text(number)) if number else None
        if head_id is not None:  # a county list numbering the household by its head's ID: a key only
            if Household.select().where(Household.head_id_number == head_id).exists():
                raise ServiceError(f"户主身份证号为{head_id}的户已经存在")
            number = ""
        number = number or _next_household_number(place.id)
        if Household.select().where(Household.number == number).exists():
            raise ServiceError(f"户编号{number}已经存在")
        household = Household.create(number=number, head_id_number=head_id, village=place,
                                     head_name=head.name.strip(), address=address)
        audit.record("create", "household", household.id, None,
                     {"number": number, "village": place.name, "head_name": head.name})
        for member, parsed in checked:
            relation = member.relation or ("户主" if member is head else "")
            person = Person.create(
                id_number=parsed.number, name=member.name.strip(), sex=parsed.sex, birth_date=parsed.birth_date,
                relation=relation, phone=member.phone.strip(), household=household,
                name_initials=name_initials(member.name.strip()),
            )
            audit.record("create", "person", person.id, None,
                         {"name": person.name, "id_number": person.id_number, "household": number})
        _ensure_this_years_enrollments()
    return household.id


@friendly_writes(ServiceError)
def add_member(household_id: int, member: NewMember) -> int:
    household = Household.get_or_none(Household.id == household_id)
    if household is None:
        raise ServiceError("找不到这一户")
    require_village(household.village_id, "给", thing="户添加成员", table="household", record_id=household_id)
    result = check_id(member.id_number)
    if not result.ok or result.parsed is None:
        raise ServiceError(f"{member.name}：{result.message}")
    with db.atomic():
        person = Person.create(
            id_number=result.parsed.number, name=member.name.strip(), sex=result.parsed.sex,
            birth_date=result.parsed.birth_date, relation=member.relation, phone=member.phone.strip(),
            household=household, name_initials=name_initials(member.name.strip()),
        )
        audit.record("create", "person", person.id, None,
                     {"name": person.name, "id_number": person.id_number, "household": household.number})
        _ensure_this_years_enrollments()
    return person.id


class StaleEdit(ServiceError):
    """An edit made on a person as they were before another operator's change: refused, nothing
    written (the row version it carried is not the row's any more)."""

    def __init__(self) -> None:
        super().__init__("这个人的信息刚被别的操作员改过，请刷新后再改")


def person_version(person_id: int) -> int:
    """The person's row version now: what a form that shows the person carries back to its edit."""
    row = Person.select(Person.row_version).where(Person.id == person_id).first()
    if row is None:
        raise ServiceError("找不到这个人")
    return row.row_version


@friendly_writes(ServiceError)
def update_person(person_id: int, *, name: str, phone: str, relation: str, row_version: int | None = None) -> None:
    """Change a person's name, phone and relation. ``row_version``: the version the clerk's form
    read (:func:`person_version`); when the person has changed since, :class:`StaleEdit` and
    nothing is written. The database bumps the version on every update (migration 9)."""
    require_person_village(person_id)
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise ServiceError("找不到这个人")
    if row_version is not None and person.row_version != row_version:
        raise StaleEdit()
    if not name.strip():
        raise ServiceError("姓名不能为空")
    old = {"name": person.name, "phone": person.phone, "relation": person.relation}
    new = {"name": name.strip(), "phone": phone.strip(), "relation": relation.strip()}
    if old == new:
        return
    with db.atomic():
        unchanged_since = Person.id == person_id
        if row_version is not None:  # checked again in the UPDATE itself: another clerk may commit in between
            unchanged_since &= Person.row_version == row_version
        written = Person.update(name=new["name"], phone=new["phone"], relation=new["relation"],
                                name_initials=name_initials(new["name"]), updated_at=dt.datetime.now()).where(
            unchanged_since
        ).execute()
        if not written:
            raise StaleEdit()
        if new["relation"] == "户主":
            Household.update(head_name=new["name"]).where(Household.id == person.household_id).execute()
        audit.record("update", "person", person_id, old, new)


@friendly_writes(ServiceError)
def move_member(person_id: int, household_id: int, *, relation: str = "") -> None:
    """Move a person to another household (a marriage, a split); this year's village follows.

    A clerk must be responsible for both villages: the one the person leaves and the one the
    household they join belongs to (a move into another village is for an administrator).
    """
    person = Person.get_or_none(Person.id == person_id)
    target = Household.get_or_none(Household.id == household_id)
    if person is None or target is None:
        raise ServiceError("找不到这个人或这一户")
    require_person_village(person_id, "迁出")
    require_village(target.village_id, "把人迁入", thing="户", table="household", record_id=household_id)
    if person.household_id == household_id:
        return
    with db.atomic():
        old = {"household": person.household.number, "relation": person.relation}
        Person.update(household=target, relation=relation or person.relation).where(Person.id == person_id).execute()
        years = policy_years()
        if years:
            Enrollment.update(village=target.village_id).where(
                (Enrollment.person == person_id) & (Enrollment.year == years[-1])
            ).execute()
        audit.record("move", "person", person_id, old, {"household": target.number, "relation": relation})


@friendly_writes(ServiceError)
def set_status(person_id: int, year: int, status: str | None, reason: str = "") -> None:
    """Mark a status with its reason (职工医保, 异地参保, 死亡, 迁出, 服兵役, 其他), or clear it
    (None) so the status follows the money again. Either decides the year's status: the audit
    entry (action ``status``) takes a carried status off the "to confirm" list."""
    require_person_village(person_id, "标记")
    if status is not None and status not in {s.value for s in RECORDED_STATUSES}:
        raise ServiceError(f"“{status}”不能手工标记：已缴费、未缴费和全额资助由金额决定")
    if status == Status.OTHER.value and not reason.strip():
        raise ServiceError("标记为“其他不需参保”时必须写明原因")
    enrollment = Enrollment.get_or_none((Enrollment.person == person_id) & (Enrollment.year == year))
    if enrollment is None:
        raise ServiceError(f"这个人没有{year}年度的参保登记")
    with db.atomic():
        old = {"status": enrollment.status, "reason": enrollment.status_reason}
        Enrollment.update(
            status=status or Status.UNPAID.value,
            status_reason=(reason.strip() or STATUS_REASONS.get(status or "", "")) if status else "",
        ).where(Enrollment.id == enrollment.id).execute()
        recompute(year, [person_id])
        fresh = Enrollment.get_by_id(enrollment.id)
        audit.record("status", "enrollment", enrollment.id, old, {"status": fresh.status, "reason": fresh.status_reason})


@friendly_writes(ServiceError)
def clear_status(person_id: int, year: int) -> None:
    """Clear the status recorded for the year (a soldier home again, a mistaken mark): the person
    is then unpaid, paid or fully subsidised by the charge rule, and leaves the "to confirm" list."""
    require_person_village(person_id, "清除")
    enrollment = Enrollment.get_or_none((Enrollment.person == person_id) & (Enrollment.year == year))
    if enrollment is not None and enrollment.status not in {s.value for s in RECORDED_STATUSES}:
        raise ServiceError(f"这个人{year}年度没有标记参保状态，不用清除")
    set_status(person_id, year, None)


@friendly_writes(ServiceError)
def confirm_status(person_id: int, year: int) -> None:
    """Confirm for ``year`` a status carried from last year (职工医保, 异地参保, 服兵役, 其他): it is
    kept with its reason and leaves the "to confirm" list (DOMAIN.md section 10)."""
    require_person_village(person_id, "确认")
    enrollment = Enrollment.get_or_none((Enrollment.person == person_id) & (Enrollment.year == year))
    if enrollment is None:
        raise ServiceError(f"这个人没有{year}年度的参保登记")
    if not needs_confirming(enrollment.status):
        raise ServiceError(f"这个人{year}年度的参保状态是“{STATUS_NAMES[Status(enrollment.status)]}”，不需要确认")
    with db.atomic():
        kept = {"status": enrollment.status, "reason": enrollment.status_reason}
        audit.record("status-confirm", "enrollment", enrollment.id, kept, {**kept, "year": year})


def households_like(text: str, limit: int = 20) -> list[tuple[int, str, str, str]]:
    """(id, number, head name, village) of households whose number or head matches, for pickers."""
    like = f"%{text.strip()}%"
    op = dialect.like()
    return db.execute_sql(
        f"""SELECT h.id, h.number, h.head_name, v.name FROM household h JOIN region v ON v.id = h.village_id
           WHERE h.number {op} ? OR h.head_name {op} ? ORDER BY h.number{dialect.c_collate()} LIMIT ?""",
        (like, like, limit),
    ).fetchall()
