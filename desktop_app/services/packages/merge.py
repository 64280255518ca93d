"""The township's side: a return file previewed (nothing written), then merged in one transaction.

Every change is judged against the township ledger as it is now and the base the village had:

- a value the township left as it was at the base takes the village's value;
- a value both sides changed, differently, is a conflict (``both_edited``);
- a person the township has since moved to a household of another village: the village's edits
  and status for them are a conflict (``moved_village``);
- the same new ID number added on both sides with different facts: ``same_newborn``;
- a payment for a person the township has since marked 死亡 or 迁出: ``paid_but_gone``. The
  payment itself is always recorded (money taken is never lost); the choice is whether the
  township's status stays (the money then shows as 应退) or the status follows the money;
- a payment already in the ledger (same uid) is skipped: merging a return twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from desktop_app.domain.audit_chain import first_break
from desktop_app.domain.money import format_yuan
from desktop_app.domain.vocabulary import STATUS_NAMES, Status
from desktop_app.services import access, audit
from desktop_app.services.packages import snapshot
from desktop_app.services.packages.files import read_document
from desktop_app.services.packages.handout import MERGED_PREFIX, ledger_id
from desktop_app.services.packages.model import (
    FIELD_NAMES,
    TOWNSHIP,
    VILLAGE,
    Conflict,
    MergeItem,
    MergePlan,
    MergeReceipt,
    PackageDamagedError,
    PackageError,
    PackageForeignError,
)
from desktop_app.services.packages.returns import manual_status
from desktop_app.services.packages.writer import Writer
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import Enrollment, Household, Payment, Person, Region, Setting, db

GONE = frozenset({Status.DECEASED.value, Status.MOVED.value})
WHAT = "合并村里交回的工作包"


def _status_words(value: list[str]) -> str:
    status, reason = value
    if not status:
        return "按缴费情况（未标记）"
    name = STATUS_NAMES.get(Status(status), status)
    return f"{name}（{reason}）" if reason and reason != name else name


def _shown(field: str, value: object) -> str:
    if field == "status":
        return _status_words(list(value))  # type: ignore[arg-type]
    return str(value) if value not in (None, "") else "（空）"


@dataclass
class _Decision:
    change: dict
    action: str  # "apply" | "same" | "conflict"
    item: MergeItem
    conflict: Conflict | None = None


class _Ledger:
    """The township's current facts about the persons and households a return touches."""

    def __init__(self, changes: list[dict], villages: tuple[str, ...], year: int) -> None:
        self.year = year
        ids = {c.get("key") if c["kind"] in ("edit", "status") and c.get("table", "person") == "person"
               else c.get("id_number") for c in changes}
        ids.discard(None)
        self.persons: dict[str, Person] = {}
        id_list = sorted(str(i) for i in ids)
        for start in range(0, len(id_list), 900):
            for p in Person.select().where(Person.id_number.in_(id_list[start:start + 900])):
                self.persons[p.id_number] = p
        self.households = {h.number: h for h in Household.select()}
        self.by_id = {h.id: h for h in self.households.values()}
        self.village_names = {r.id: r.name for r in Region.select().where(Region.level == "village")}
        self.package_villages = set(villages)
        self.enrollments: dict[str, Enrollment] = {}
        person_ids = [p.id for p in self.persons.values()]
        number_of = {p.id: p.id_number for p in self.persons.values()}
        for start in range(0, len(person_ids), 900):
            for e in Enrollment.select().where(Enrollment.person.in_(person_ids[start:start + 900])
                                               & (Enrollment.year == year)):
                self.enrollments[number_of[e.person_id]] = e
        self.uids = set()
        self.reversed_uids = set()
        pay_uids = [c["uid"] for c in changes if c["kind"] in ("payment", "reversal")]
        originals = [c["reverses"] for c in changes if c["kind"] == "reversal"]
        for start in range(0, len(pay_uids), 900):
            self.uids |= {p.uid for p in Payment.select(Payment.uid).where(Payment.uid.in_(pay_uids[start:start + 900]))}
        for start in range(0, len(originals), 900):
            part = originals[start:start + 900]
            original = Payment.alias()
            query = (Payment.select(original.uid).join(original, on=(Payment.reverses == original.id))
                     .where(original.uid.in_(part)))
            self.reversed_uids |= {row.uid for row in query.objects()}

    def match_households(self, changes: list[dict]) -> None:
        """A household made in the village is the township's household of that number when it has
        the same head in the same village, or the one its members are already in (a return merged
        before); otherwise it is new, and gets a number of its own when its number is taken."""
        self.same_household: dict[str, str] = {}
        members: dict[str, list[str]] = {}
        for c in changes:
            if c["kind"] == "person":
                members.setdefault(c["household"], []).append(c["id_number"])
        for c in changes:
            if c["kind"] != "household":
                continue
            taken = self.households.get(c["number"])
            if taken is not None and taken.head_name == c["head_name"] \
                    and self.village_names.get(taken.village_id) == c["village"]:
                self.same_household[c["number"]] = c["number"]
                continue
            for id_number in members.get(c["number"], []):
                person = self.persons.get(id_number)
                if person is not None and person.household_id in self.by_id:
                    self.same_household[c["number"]] = self.by_id[person.household_id].number
                    break

    def village_of(self, person: Person) -> str:
        household = self.by_id.get(person.household_id)
        return self.village_names.get(household.village_id, "") if household else ""

    def status(self, id_number: str) -> list[str]:
        e = self.enrollments.get(id_number)
        return manual_status({"status": e.status, "status_reason": e.status_reason}) if e else ["", ""]

    def person_value(self, person: Person, field: str) -> str:
        if field == "household":
            household = self.by_id.get(person.household_id)
            return household.number if household else ""
        return getattr(person, field)


def _name(change: dict, ledger: _Ledger) -> str:
    key = change.get("key") or change.get("id_number") or ""
    person = ledger.persons.get(key)
    return person.name if person else str(change.get("name") or change.get("head_name") or "")


def _three_way(change: dict, current: object, ledger: _Ledger, who: str, what: str) -> _Decision:
    field, base, value = change["field"], change["base"], change["value"]
    words = f"{what}{FIELD_NAMES.get(field, field)}：{_shown(field, base)} → {_shown(field, value)}"
    item = MergeItem("status" if field == "status" else "edit", change.get("key", ""), who, words)
    if current == value:
        return _Decision(change, "same", item)
    if current == base:
        return _Decision(change, "apply", item)
    conflict = Conflict(change["id"], "both_edited", change["key"], who, field, FIELD_NAMES.get(field, field),
                        _shown(field, current), _shown(field, value),
                        f"{who}的{FIELD_NAMES.get(field, field)}两边都改了：乡镇现在是“{_shown(field, current)}”，"
                        f"村里改成了“{_shown(field, value)}”（派发时是“{_shown(field, base)}”）")
    return _Decision(change, "conflict", MergeItem(item.kind, item.id_number, who, words, conflict.id), conflict)


def _moved(change: dict, person: Person, ledger: _Ledger, item: MergeItem) -> _Decision:
    now = ledger.village_of(person)
    conflict = Conflict(f"moved:{person.id_number}", "moved_village", person.id_number, person.name, "household",
                        FIELD_NAMES["household"], now, "、".join(sorted(ledger.package_villages)),
                        f"{person.name}已被乡镇迁到{now}，村里对此人的修改要不要采用？")
    return _Decision(change, "conflict", MergeItem(item.kind, item.id_number, item.person, item.words, conflict.id),
                     conflict)


def _decide(change: dict, ledger: _Ledger) -> _Decision:
    kind = change["kind"]
    who = _name(change, ledger)
    if kind == "household":
        item = MergeItem("household", "", change["head_name"], f"新增户{change['number']}（{change['village']}）")
        return _Decision(change, "same" if change["number"] in ledger.same_household else "apply", item)
    if kind == "person":
        item = MergeItem("person", change["id_number"], change["name"],
                         f"新增人员{change['name']}，在户{change['household']}")
        found = ledger.persons.get(change["id_number"])
        if found is None:
            return _Decision(change, "apply", item)
        here = ledger.person_value(found, "household")
        if found.name == change["name"] and here == ledger.same_household.get(change["household"], change["household"]):
            return _Decision(change, "same", item)
        conflict = Conflict(change["id"], "same_newborn", change["id_number"], change["name"], "",
                            "身份证号", f"{found.name}，户{here}", f"{change['name']}，户{change['household']}",
                            f"身份证号{change['id_number']}两边都新增了：乡镇是{found.name}（户{here}），"
                            f"村里是{change['name']}（户{change['household']}）")
        return _Decision(change, "conflict", MergeItem("person", item.id_number, item.person, item.words,
                                                       conflict.id), conflict)
    if kind == "edit" and change["table"] == "household":
        household = ledger.households.get(change["key"])
        if household is None:
            return _Decision(change, "same", MergeItem("edit", "", change["key"], f"乡镇台账已没有户{change['key']}，未改"))
        return _three_way(change, getattr(household, change["field"]), ledger, change["key"], f"户{change['key']}的")
    if kind in ("edit", "status"):
        person = ledger.persons.get(change["key"])
        if person is None:  # edits are of persons in the base: the township has removed this one since
            return _Decision(change, "same", MergeItem(kind, change["key"], who, "乡镇台账已没有此人，未改"))
        current = ledger.status(person.id_number) if kind == "status" else ledger.person_value(person, change["field"])
        decision = _three_way(change, current, ledger, person.name, "")
        if decision.action != "same" and ledger.village_of(person) not in ledger.package_villages:
            return _moved(change, person, ledger, decision.item)
        return decision
    # payments and reversals
    amount = format_yuan(abs(change["amount_fen"]))
    words = (f"冲正 {amount}元（{change['reason']}）" if kind == "reversal"
             else f"缴费 {amount}元 {change['paid_on']} {change['channel']}")
    item = MergeItem(kind, change["id_number"], who, words)
    if change["uid"] in ledger.uids:
        return _Decision(change, "same", item)
    if change["id_number"] not in ledger.persons and not change.get("_new_person"):
        return _Decision(change, "same", MergeItem(kind, item.id_number, who, words + "（乡镇台账没有此人，未记）"))
    if kind == "reversal" and change["reverses"] in ledger.reversed_uids:
        return _Decision(change, "same", MergeItem(kind, item.id_number, who, words + "（乡镇已冲正过这笔缴费）"))
    township = ledger.status(change["id_number"])[0]
    if kind == "payment" and township in GONE and township != change.get("base_status", ""):
        conflict = Conflict(f"gone:{change['id_number']}:{change['year']}", "paid_but_gone", change["id_number"], who,
                            "status", FIELD_NAMES["status"], STATUS_NAMES[Status(township)], "已缴费",
                            f"{who}已被乡镇标记为{STATUS_NAMES[Status(township)]}，村里却收了{amount}元：缴费照记，"
                            "选“乡镇”则保留标记（这笔钱要退），选“村里”则按缴费算")
        return _Decision(change, "conflict", MergeItem(kind, item.id_number, who, words, conflict.id), conflict)
    return _Decision(change, "apply", item)


def decide_all(changes: list[dict], villages: tuple[str, ...], year: int) -> tuple[list[_Decision], dict[str, str]]:
    """Each change judged, and the village's new household numbers that are households already here."""
    ledger = _Ledger(changes, villages, year)
    ledger.match_households(changes)
    new_people = {c["id_number"] for c in changes if c["kind"] == "person"}
    decisions = []
    for change in changes:
        if change["kind"] in ("payment", "reversal") and change["id_number"] in new_people:
            change = {**change, "_new_person": True}
        decisions.append(_decide(change, ledger))
    return decisions, ledger.same_household


def _verify_return(document: dict) -> str:
    rows = document.get("audit") or []
    broken = first_break(rows)
    if broken is not None:
        raise PackageDamagedError(f"交回文件里村里的操作日志对不上（{broken}），可能被改动过，不能合并")
    return str(rows[-1][-1]) if rows else ""


def plan_merge(path: Path, password: str) -> MergePlan:
    """Read a return file and say what merging it would do; nothing is written."""
    access.require_admin(WHAT, table="package")
    document = read_document(Path(path), password, "ledgerreturn")
    ours = ledger_id()
    if not ours or document["ledger_id"] != ours:
        raise PackageForeignError("这个交回文件不是本台账派发的工作包做的（来自另一个乡镇的台账），不能合并")
    missing = sorted(set(document["villages"]) - {r.name for r in snapshot.village_regions(document["villages"])})
    if missing:
        raise PackageForeignError(f"本台账没有交回文件里的村：{'、'.join(missing)}，不能合并")
    head = _verify_return(document)
    already = Setting.select().where(Setting.key == MERGED_PREFIX + document["return_id"]).exists()
    decisions = [] if already else decide_all(document["changes"], tuple(document["villages"]), document["year"])[0]
    counts: dict[str, int] = {}
    conflicts: dict[str, Conflict] = {}
    for d in decisions:
        if d.action != "same":
            counts[d.item.kind] = counts.get(d.item.kind, 0) + 1
        if d.conflict is not None:
            conflicts.setdefault(d.conflict.id, d.conflict)
    return MergePlan(document["package_id"], document["return_id"], tuple(document["villages"]), document["year"],
                     document.get("operator", ""), dt.datetime.fromisoformat(document["written_at"]), counts,
                     [d.item for d in decisions if d.action != "same"], list(conflicts.values()), already,
                     document["changes"], head)


@friendly_writes(PackageError)
def apply_merge(plan: MergePlan, choices: Mapping[str, str] | None = None, *, prefer: str | None = None) -> MergeReceipt:
    """Write the plan in one transaction; each conflict by ``choices`` (conflict id → ``"township"``
    or ``"village"``) or else ``prefer``. Refused while a conflict has no choice."""
    access.require_admin(WHAT, table="package", record_id=plan.package_id)
    if plan.already_merged:
        return MergeReceipt(plan.package_id, plan.return_id, {}, 0)
    choices = dict(choices or {})
    for value in [*choices.values(), prefer]:
        if value not in (None, TOWNSHIP, VILLAGE):
            raise PackageError(f"冲突只能选“乡镇”或“村里”（township / village），“{value}”不对")
    open_ones = [c for c in plan.conflicts if c.id not in choices and prefer is None]
    if open_ones:
        raise PackageError(f"还有{len(open_ones)}处冲突没有选择用乡镇的还是村里的，没有合并")
    with db.atomic():
        if Setting.select().where(Setting.key == MERGED_PREFIX + plan.return_id).exists():
            return MergeReceipt(plan.package_id, plan.return_id, {}, 0)
        applied, skipped = write_changes(plan.changes, plan.villages, plan.year, choices, prefer, plan.package_id)
        Setting.insert(key=MERGED_PREFIX + plan.return_id, value=snapshot.now().isoformat(" ")).execute()
        audit.record("merge", "package", plan.package_id, None,
                     {"return_id": plan.return_id, "village_operator": plan.operator, "villages": list(plan.villages),
                      "applied": applied, "skipped": skipped, "village_audit_head": plan.work_audit_head})
    return MergeReceipt(plan.package_id, plan.return_id, applied, skipped)


def write_changes(changes: list[dict], villages: tuple[str, ...], year: int, choices: Mapping[str, str],
                  prefer: str | None, package_id: str) -> tuple[dict[str, int], int]:
    """Apply the changes to the open ledger inside the caller's transaction (merge and refresh)."""
    writer = Writer(year, package_id)
    applied: dict[str, int] = {}
    skipped = 0
    decisions, same_households = decide_all(changes, villages, year)
    writer.numbers.update(same_households)
    writer.prefetch(changes)
    unsettled = [d.conflict.words for d in decisions
                 if d.conflict is not None and d.conflict.id not in choices and prefer is None]
    if unsettled:  # the ledger changed after the preview: a conflict nobody has seen
        raise PackageError(f"预览之后台账又有了改动，出现了新的冲突（{unsettled[0]}），请重新预览后再合并")
    for d in decisions:
        take = d.action == "apply" or (
            d.action == "conflict" and (choices.get(d.conflict.id) or prefer) == VILLAGE)
        if d.change["kind"] in ("payment", "reversal") and d.action == "conflict":
            writer.payment(d.change)  # money taken is recorded whichever side is chosen
            if take:
                writer.clear_status(d.change["id_number"])
            applied[d.item.kind] = applied.get(d.item.kind, 0) + 1
            continue
        if not take:
            skipped += 1
            continue
        writer.apply(d.change)
        applied[d.item.kind] = applied.get(d.item.kind, 0) + 1
    writer.finish()
    return applied, skipped
