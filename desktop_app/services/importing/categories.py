"""A category list (低保、特困… from civil affairs or rural revitalisation): checked and written.

Persons are matched by ID number and never invented: one the ledger lacks is unmatched. A full
list (``--full-list``) also ends, for the categories it lists, every membership it leaves out
(DOMAIN.md section 10: 新增, 变更 and 取消 named in the report).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from desktop_app.domain.policy import Policy
from desktop_app.domain.vocabulary import DEFAULT_CATEGORY_NAMES
from desktop_app.exchange import CellError, DataRow, Field, clean_name, parse_date, split_multi
from desktop_app.services import audit
from desktop_app.services.importing.common import (
    ImportPlan,
    Reader,
    Reject,
    category_resolver,
    held_categories,
    ledger_persons,
)
from desktop_app.services.ledger import ServiceError
from desktop_app.store.models import db


class CategoryRow(NamedTuple):
    """A listed person and the categories the list gives them."""

    person_id: int
    id_number: str
    name: str
    codes: tuple[str, ...]
    identified_on: dt.date | None
    new_codes: tuple[str, ...] = ()  # those the person does not hold yet


class EndedCategory(NamedTuple):
    """取消: held this year, absent from a full list of that category."""

    person_id: int
    id_number: str
    name: str
    code: str


class ListChange(NamedTuple):
    """One person in a categories import's report (DOMAIN.md section 10), categories by their
    Chinese names, "、" between two: 新增 (holds none of the list's categories and is listed),
    变更 (holds others of them than listed), 取消 (left: absent from a full list)."""

    change: str  # 新增, 变更 or 取消
    person_id: int
    id_number: str
    name: str
    before: str  # the list's categories the person held ("" for 新增)
    after: str  # … and holds once imported ("" for 取消)

    @property
    def categories(self) -> str:
        """What changed, in words: "低保对象", "低保对象 → 特困人员", "低保对象（全量名单中已无此人）"."""
        if self.change == "新增":
            return self.after
        if self.change == "取消":
            return f"{self.before}（全量名单中已无此人）"
        return f"{self.before} → {self.after}"


def check(reader: Reader, policy: Policy, category: str | None) -> None:
    """Every row of a category list checked and matched, into ``reader.plan``; ``category`` is
    the category of a file that has no category column."""
    plan = reader.plan
    resolve = category_resolver(policy)
    whole_file = None
    if category:
        whole_file = resolve(category.strip())
        if whole_file is None:
            names = "、".join(rule.name for rule in policy.categories.values())
            raise ServiceError(f"“{category}”不是{plan.year}年度政策里的资助类别（有：{names}）")
    known = ledger_persons()
    held = held_categories(plan.year)
    seen: dict[str, str] = {}
    listed: set[tuple[int, str]] = set()
    codes_in_file: set[str] = set()
    for row in reader.rows():
        try:
            number = reader.id_of(row, seen).number
            codes = _row_categories(row, resolve, whole_file, plan.year)
            identified = parse_date(row.get(Field.IDENTIFIED_DATE, None), Field.IDENTIFIED_DATE)
        except (Reject, CellError) as exc:  # both name the field and the reason
            reader.reject(row, exc.field, exc.reason)
            continue
        codes_in_file.update(codes)
        person = known.get(number)
        if person is None:
            plan.unmatched.append(reader.issue(row, Field.ID_NUMBER, "台账里没有这个人（请先导入花名册或新增此人）", number))
            continue
        name = clean_name(row.get(Field.NAME))
        if name and name != person[1]:
            reader.warn(row, Field.NAME, f"姓名“{name}”与台账里的“{person[1]}”不一致，按身份证号登记", number)
        for code in codes:
            listed.add((person[0], code))
        new_codes = tuple(c for c in codes if c not in held.get(person[0], set()))
        entry = CategoryRow(person[0], number, person[1], codes, identified, new_codes)
        if new_codes:
            plan.new.append(entry)
        else:
            plan.unchanged += 1
    if plan.full_list:
        names = {pid: (number, name) for number, (pid, name, *_rest) in known.items()}
        for person_id, codes in held.items():
            for code in sorted(codes & codes_in_file):
                if (person_id, code) not in listed:
                    number, name = names.get(person_id, ("", ""))
                    plan.ended.append(EndedCategory(person_id, number, name, code))
    plan.list_changes = _report(plan, held, codes_in_file, policy)


def _report(plan: ImportPlan, held: dict[int, set[str]], codes_in_file: set[str], policy: Policy) -> list[ListChange]:
    """新增, 变更 and 取消, person by person, in the file's order (those left, after): what the
    list's categories (those the file names) were for each person and will be."""
    position = {code: n for n, code in enumerate(policy.categories)}

    def names(codes: set[str]) -> str:
        return "、".join(category_name(policy, code) for code in sorted(codes, key=lambda c: (position.get(c, 99), c)))

    ended: dict[int, set[str]] = {}
    for entry in plan.ended:
        ended.setdefault(entry.person_id, set()).add(entry.code)
    report: list[ListChange] = []
    for entry in plan.new:
        before = held.get(entry.person_id, set()) & codes_in_file
        after = (before - ended.pop(entry.person_id, set())) | set(entry.new_codes)
        change = "变更" if before else "新增"
        report.append(ListChange(change, entry.person_id, entry.id_number, entry.name, names(before), names(after)))
    for left in plan.ended:
        gone = ended.pop(left.person_id, None)
        if gone is None:  # reported already (变更) or with another of its categories
            continue
        before = held.get(left.person_id, set()) & codes_in_file
        after = before - gone
        change = "变更" if after else "取消"
        report.append(ListChange(change, left.person_id, left.id_number, left.name, names(before), names(after)))
    return report


def category_name(policy: Policy, code: str) -> str:
    """A category's Chinese name: the policy's, else the one DOMAIN.md gives it."""
    rule = policy.categories.get(code)
    return rule.name if rule is not None else DEFAULT_CATEGORY_NAMES.get(code, code)


def _row_categories(row: DataRow, resolve: Callable[[str], str | None], whole_file: str | None, year: int) -> tuple[str, ...]:
    texts = split_multi(row.get(Field.CATEGORY))
    if not texts:
        if whole_file is None:
            raise Reject(Field.CATEGORY, "没有资助类别：请在表中加“人员类别”列，或导入时指明整个文件是哪一类")
        return (whole_file,)
    codes: list[str] = []
    for text in texts:
        code = resolve(text)
        if code is None:
            raise Reject(Field.CATEGORY, f"资助类别“{text}”不认识（不在{year}年度政策里）")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def write(plan: ImportPlan) -> list[int]:
    """The listed persons' new categories and a full list's ended ones; returns the persons
    whose charges must be recomputed."""
    conn = db.connection()
    entries: list[CategoryRow] = plan.new
    for entry in entries:
        for code in entry.new_codes:
            identified = entry.identified_on.isoformat() if entry.identified_on else dt.date.today().isoformat()
            conn.execute(
                "INSERT INTO category_membership (person_id, year, category, source, identified_on)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_id, year, category)"
                " DO UPDATE SET ended_on = NULL, source = excluded.source, identified_on = excluded.identified_on",
                (entry.person_id, plan.year, code, plan.source, identified),
            )
            audit.record("create", "category_membership", f"{entry.person_id}/{plan.year}/{code}", None,
                         {"person": entry.id_number, "category": code, "source": plan.source, "identified_on": identified})
    today = dt.date.today().isoformat()
    for ended in plan.ended:
        conn.execute(
            "UPDATE category_membership SET ended_on = ? WHERE person_id = ? AND year = ? AND category = ?"
            " AND ended_on IS NULL",
            (today, ended.person_id, plan.year, ended.code),
        )
        audit.record("end", "category_membership", f"{ended.person_id}/{plan.year}/{ended.code}",
                     {"ended_on": None}, {"ended_on": today, "source": plan.source, "reason": "全量名单中已无此人"})
    return [e.person_id for e in entries] + [e.person_id for e in plan.ended]
