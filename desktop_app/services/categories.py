"""资助身份: setting and ending a person's categories for a year, recomputing their charge."""

from __future__ import annotations

import datetime as dt

from desktop_app.domain.vocabulary import DEFAULT_CATEGORY_NAMES
from desktop_app.errors import ServiceError
from desktop_app.services import audit
from desktop_app.services.access import require_admin
from desktop_app.services.charges import recompute
from desktop_app.services.policy import policy_for_year
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import CategoryMembership, Person, db


def _person(person_id: int) -> Person:
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise ServiceError(f"找不到编号为{person_id}的人员")
    return person


@friendly_writes(ServiceError)
def set_category(
    person_id: int,
    year: int,
    code: str,
    source: str = "",
    identified_on: dt.date | None = None,
) -> bool:
    """Record that the person holds ``code`` in ``year``; True when it was new (or had ended).

    The category must be one the year's policy names or one of DOMAIN.md's defaults (a county
    list naming an unknown category is a mistake to report, not a category to invent); one the
    policy does not subsidise is recorded all the same and brings no subsidy. A category decides
    a subsidy and comes from the county's lists: an administrator's work, not a clerk's.
    """
    require_admin("登记资助类别", table="person", record_id=person_id)
    _person(person_id)
    policy = policy_for_year(year)
    if policy is None:
        raise ServiceError(f"{year}年度还没有载入政策，不能登记资助类别")
    if code not in policy.categories and code not in DEFAULT_CATEGORY_NAMES:
        known = "、".join(dict.fromkeys([*(r.name for r in policy.categories.values()), *DEFAULT_CATEGORY_NAMES.values()]))
        raise ServiceError(f"没有“{code}”这个资助类别（有：{known}）")
    with db.atomic():
        existing = CategoryMembership.get_or_none(
            (CategoryMembership.person == person_id)
            & (CategoryMembership.year == year)
            & (CategoryMembership.category == code)
        )
        if existing is not None and existing.ended_on is None:
            return False
        if existing is not None:
            old = {"ended_on": existing.ended_on}
            existing.ended_on = None
            existing.source = source or existing.source
            existing.identified_on = identified_on or existing.identified_on
            existing.save()
            audit.record("update", "category_membership", existing.id, old, {"ended_on": None, "source": source})
        else:
            created = CategoryMembership.create(
                person=person_id, year=year, category=code, source=source, identified_on=identified_on
            )
            audit.record(
                "create", "category_membership", created.id, None,
                {"person_id": person_id, "year": year, "category": code, "source": source,
                 "identified_on": identified_on},
            )
        recompute(year, [person_id])
    return True


@friendly_writes(ServiceError)
def end_category(person_id: int, year: int, code: str, ended_on: dt.date, source: str = "") -> bool:
    """取消: the person no longer holds ``code`` in ``year`` from ``ended_on``; True when it was held."""
    require_admin("取消资助类别", table="person", record_id=person_id)
    with db.atomic():
        existing = CategoryMembership.get_or_none(
            (CategoryMembership.person == person_id)
            & (CategoryMembership.year == year)
            & (CategoryMembership.category == code)
            & CategoryMembership.ended_on.is_null()
        )
        if existing is None:
            return False
        existing.ended_on = ended_on
        existing.save()
        audit.record(
            "end", "category_membership", existing.id, {"ended_on": None},
            {"ended_on": ended_on, "source": source},
        )
        recompute(year, [person_id])
    return True


def categories_of(person_id: int, year: int) -> list[str]:
    return [
        m.category
        for m in CategoryMembership.select(CategoryMembership.category)
        .where(
            (CategoryMembership.person == person_id)
            & (CategoryMembership.year == year)
            & CategoryMembership.ended_on.is_null()
        )
        .order_by(CategoryMembership.category)
    ]
