"""Village work packages (issue 17): hand out → village work → return → merge, on two real ledgers."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import access, audit, household_work, packages, payments
from desktop_app.services.charges import verify
from desktop_app.services.packages import PackageError
from desktop_app.store.models import AuditEntry, Enrollment, Household, Payment, Person, Region, db
from tests.services.package_helpers import (
    PAID_ON,
    PASSWORD,
    YEAR,
    content,
    fast_scrypt,  # noqa: F401 (a fixture)
    make_township,
    owing,
    persons_of,
    switch,
    village_names,
)

pytestmark = pytest.mark.usefixtures("fast_scrypt")


def _pay(person: Person) -> Payment:
    e = Enrollment.get((Enrollment.person == person.id) & (Enrollment.year == YEAR))
    return payments.record_payment(payments.PaymentInput(person.id, YEAR, e.due_fen - e.paid_fen, PAID_ON,
                                                         "现金代收", ""))


def _hand_out(tmp_path, villages, password=PASSWORD):
    receipt = packages.create_package(villages, YEAR, tmp_path / "p.ledgerpack", password=password)
    packages.open_package(tmp_path / "p.ledgerpack", password if password else receipt.pairing_code,
                          tmp_path / "work.sqlite")
    return receipt


def _phone(id_number: str) -> str:
    return Person.get(Person.id_number == id_number).phone


def test_round_trip_with_every_kind_of_conflict(tmp_path):
    town = make_township(tmp_path / "town.sqlite")
    east, west = village_names()[0], village_names()[-1]
    people = owing(east)
    both, gone, moved, paid, marked = people[:5]
    receipt = _hand_out(tmp_path, [east])
    info = packages.work_copy_info()
    assert info.banner().startswith(f"村级工作副本：{east} · {YEAR}年度 · 基于")
    assert Region.select().where(Region.level == "village").count() == 1

    # the village's work
    def person(p):
        return Person.get(Person.id_number == p.id_number)
    household_work.update_person(person(both).id, name=both.name, phone="13900000001", relation=both.relation)
    household_work.update_person(person(moved).id, name=moved.name, phone="13900000003", relation=moved.relation)
    _pay(person(gone))
    _pay(person(paid))
    household_work.set_status(person(marked).id, YEAR, "employee", "县医院")
    baby = make_id_number("431199", dt.date(2025, 3, 3), 5)
    household_work.add_member(person(paid).household_id, household_work.NewMember("小宝", baby, "孙子"))
    reversed_one = Payment.select().where(Payment.amount_fen > 0, Payment.reverses.is_null()).first()
    payments.reverse_payment(reversed_one.id, "录错了人", on=PAID_ON)
    back = packages.write_return(tmp_path / "r.ledgerreturn", password=PASSWORD)
    assert back.counts == {"edit": 2, "payment": 2, "status": 1, "person": 1, "reversal": 1}
    village_chain = audit.verify_chain(db.connection())
    assert village_chain is None

    # the township's work meanwhile
    switch(town)
    household_work.update_person(both.id, name=both.name, phone="13800000001", relation=both.relation)
    household_work.set_status(gone.id, YEAR, "deceased")
    other = Household.select().join(Region).where(Region.name == west).first()
    household_work.move_member(moved.id, other.id)
    household_work.add_member(other.id, household_work.NewMember("小宝宝", baby, "孙女"))
    before = content()

    plan = packages.plan_merge(tmp_path / "r.ledgerreturn", PASSWORD)
    assert content() == before  # a preview writes nothing
    kinds = {c.kind: c for c in plan.conflicts}
    assert set(kinds) == {"both_edited", "paid_but_gone", "moved_village", "same_newborn"}
    assert kinds["both_edited"].township_value == "13800000001" and kinds["both_edited"].village_value == "13900000001"
    assert "电话两边都改了" in kinds["both_edited"].words
    with pytest.raises(PackageError, match="4处冲突"):
        packages.apply_merge(plan)
    assert content() == before
    choices = {kinds["both_edited"].id: "village", kinds["paid_but_gone"].id: "township",
               kinds["moved_village"].id: "township", kinds["same_newborn"].id: "township"}
    merged = packages.apply_merge(plan, choices)
    assert merged.applied["payment"] == 2 and merged.applied["reversal"] == 1
    assert _phone(both.id_number) == "13900000001"
    assert _phone(moved.id_number) == moved.phone  # the township's move wins: the village's edit is not taken
    assert Person.get(Person.id_number == baby).name == "小宝宝"
    gone_e = Enrollment.get((Enrollment.person == gone.id) & (Enrollment.year == YEAR))
    assert gone_e.status == "deceased" and gone_e.paid_fen > 0  # the money is kept, shown as owed back
    assert Enrollment.get((Enrollment.person == paid.id) & (Enrollment.year == YEAR)).status == "paid"
    assert Enrollment.get((Enrollment.person == marked.id) & (Enrollment.year == YEAR)).status == "employee"
    original = Payment.get(Payment.uid == reversed_one.uid)  # row numbers differ between the ledgers
    assert Payment.select().where(Payment.reverses == original.id).count() == 1
    assert verify([YEAR]) == []  # charges equal a fresh recompute
    assert audit.verify_chain(db.connection()) is None
    entry = AuditEntry.select().where(AuditEntry.action == "merge").get()
    assert receipt.package_id == entry.record_id and "village_operator" in entry.new_value


def test_merging_the_same_return_twice_changes_nothing(tmp_path):
    town = make_township(tmp_path / "town.sqlite")
    east = village_names()[0]
    _hand_out(tmp_path, [east])
    target = owing(east)[0]
    _pay(target)
    household_work.update_person(target.id, name=target.name, phone="13700000000", relation=target.relation)
    packages.write_return(tmp_path / "r1.ledgerreturn", password=PASSWORD)
    packages.write_return(tmp_path / "r2.ledgerreturn", password=PASSWORD)  # the same changes, written again
    switch(town)
    packages.apply_merge(packages.plan_merge(tmp_path / "r1.ledgerreturn", PASSWORD))
    once = content()
    again = packages.plan_merge(tmp_path / "r1.ledgerreturn", PASSWORD)
    assert again.already_merged and packages.apply_merge(again).applied == {}
    other_file = packages.plan_merge(tmp_path / "r2.ledgerreturn", PASSWORD)
    assert not other_file.already_merged and other_file.items == [] and other_file.conflicts == []
    packages.apply_merge(other_file)
    assert content() == once
    assert sum(1 for p in content()["payments"] if p[1] == target.id_number) == \
        Payment.select().where(Payment.person == Person.get(Person.id_number == target.id_number).id).count()


def test_two_villages_merge_in_either_order_to_the_same_ledger(tmp_path):
    town = make_township(tmp_path / "town.sqlite")
    east, west = village_names()[0], village_names()[-1]
    returns = {}
    for name in (east, west):
        switch(town)
        receipt = packages.create_package([name], YEAR, tmp_path / f"{name}.ledgerpack", password=PASSWORD)
        packages.open_package(receipt.path, PASSWORD, tmp_path / f"{name}.sqlite")
        for person in owing(name)[:3]:
            _pay(person)
        first = persons_of(name)[0]
        household_work.update_person(first.id, name=first.name, phone="13600000000", relation=first.relation)
        returns[name] = packages.write_return(tmp_path / f"{name}.ledgerreturn", password=PASSWORD).path
    results = []
    for order in ((east, west), (west, east)):
        copy = tmp_path / f"town-{order[0]}.sqlite"
        switch(town)
        db.close()
        shutil.copy(town, copy)
        switch(copy)
        for name in order:
            packages.apply_merge(packages.plan_merge(returns[name], PASSWORD))
        assert verify([YEAR]) == []
        results.append(content())
    assert results[0] == results[1]


def test_refused_files_leave_the_ledger_unchanged(tmp_path):
    town = make_township(tmp_path / "town.sqlite")
    east = village_names()[0]
    _hand_out(tmp_path, [east])
    _pay(owing(east)[0])
    good = packages.write_return(tmp_path / "r.ledgerreturn", password=PASSWORD).path
    data = good.read_bytes()
    altered = tmp_path / "altered.ledgerreturn"
    altered.write_bytes(data[:200] + bytes([data[200] ^ 1]) + data[201:])
    cut = tmp_path / "cut.ledgerreturn"
    cut.write_bytes(data[: len(data) - 40])
    switch(town)
    before, entries = content(), AuditEntry.select().count()
    cases = [
        (altered, PASSWORD, packages.PackageDamagedError, "损坏"),
        (cut, PASSWORD, packages.PackageDamagedError, "截断"),
        (good, "别的密码123456", packages.PackagePasswordError, "密码"),
        (tmp_path / "p.ledgerpack", PASSWORD, packages.PackageDamagedError, "不是交回文件"),
    ]
    for path, password, error, words in cases:
        with pytest.raises(error, match=words):
            packages.plan_merge(path, password)
    other = make_township(tmp_path / "other.sqlite", seed=8)
    packages.create_package([village_names()[0]], YEAR, tmp_path / "x.ledgerpack", password=PASSWORD)  # its own id
    with pytest.raises(packages.PackageForeignError, match="另一个乡镇"):
        packages.plan_merge(good, PASSWORD)
    assert other.exists()
    switch(town)
    assert content() == before and AuditEntry.select().count() == entries


def test_a_work_copy_refuses_the_townships_own_work(tmp_path):
    from desktop_app.services import operators
    from desktop_app.services.backup_restore import restore
    from desktop_app.services.policy_load import load_policy_text

    make_township(tmp_path / "town.sqlite")
    operators.create_operator("站长", "admin-pass-123", role="admin")  # comes with the package
    _hand_out(tmp_path, [village_names()[0]])
    for attempt in (lambda: load_policy_text("year = 2027"),
                    lambda: operators.create_operator("新人", "12345678abc"),
                    lambda: restore(tmp_path / "town.sqlite"),
                    lambda: packages.create_package(village_names(), YEAR, tmp_path / "again.ledgerpack",
                                                    password=PASSWORD)):
        with pytest.raises(access.AccessDenied, match="村级工作副本"):
            attempt()
    assert AuditEntry.select().where(AuditEntry.action == "denied").count() == 4


def test_a_village_operator_changes_only_their_own_village_in_the_work_copy(tmp_path):
    from desktop_app.services import operators

    town = make_township(tmp_path / "town.sqlite")
    east, west = village_names()[0], village_names()[-1]
    operators.create_operator("站长", "admin-pass-123", role="admin")
    operators.create_operator("东山村医", "doctor-pass-1", villages=[east])
    switch(town)
    _hand_out(tmp_path, [east, west])
    session = operators.log_in("东山村医", "doctor-pass-1")
    assert session.role == "clerk"
    mine, theirs = persons_of(east)[0], persons_of(west)[0]
    household_work.update_person(mine.id, name=mine.name, phone="13500000000", relation=mine.relation)
    with pytest.raises(access.AccessDenied, match="只负责"):
        household_work.update_person(theirs.id, name=theirs.name, phone="13500000000", relation=theirs.relation)


def test_refresh_takes_a_newer_package_and_keeps_unreturned_village_changes(tmp_path):
    town = make_township(tmp_path / "town.sqlite")
    east = village_names()[0]
    receipt = _hand_out(tmp_path, [east], password=None)
    work = tmp_path / "work.sqlite"
    first, second = owing(east)[:2]
    _pay(first)
    household_work.update_person(second.id, name=second.name, phone="13400000000", relation=second.relation)
    switch(town)
    third = persons_of(east)[-1]
    household_work.update_person(third.id, name=third.name, phone="13300000000", relation=third.relation)
    newer = packages.create_package([east], YEAR, tmp_path / "newer.ledgerpack", password=PASSWORD)
    switch(work)
    info = packages.refresh_work_copy(newer.path, PASSWORD)
    assert info.package_id == newer.package_id != receipt.package_id
    assert _phone(third.id_number) == "13300000000"  # the township's change came in
    assert _phone(second.id_number) == "13400000000"  # the village's change stayed
    assert Payment.select().join(Person).where(Person.id_number == first.id_number,
                                               Payment.paid_on == PAID_ON).count() == 1
    back = packages.write_return(tmp_path / "r.ledgerreturn", password=PASSWORD)
    assert back.counts == {"payment": 1, "edit": 1}  # still to be returned
    assert verify([YEAR]) == []


def test_a_pairing_code_opens_the_package_whatever_its_case_and_dashes(tmp_path):
    make_township(tmp_path / "town.sqlite")
    receipt = packages.create_package([village_names()[0]], YEAR, tmp_path / "p.ledgerpack")
    code = receipt.pairing_code
    assert len(code.replace("-", "")) == 10 and not set(code) & set("01OIL")
    with pytest.raises(packages.PackagePasswordError):
        packages.open_package(receipt.path, "WRONGCODE1", tmp_path / "w0.sqlite")
    assert not (tmp_path / "w0.sqlite").exists()
    info = packages.open_package(receipt.path, code.lower().replace("-", " "), tmp_path / "w.sqlite")
    assert info.package_id == receipt.package_id and packages.work_copy_info().package_id == receipt.package_id


def test_a_payment_reversed_on_both_sides_is_reversed_once(tmp_path):
    town = make_township(tmp_path / "town.sqlite")
    east = village_names()[0]
    paid = Payment.select().join(Person).join(Household).join(Region).where(
        Region.name == east, Payment.amount_fen > 0, Payment.reverses.is_null()).first()
    _hand_out(tmp_path, [east])
    switch(town)
    uid = Payment.get_by_id(paid.id).uid  # given when the package was cut (the demo's bulk rows had none)
    switch(tmp_path / "work.sqlite")
    payments.reverse_payment(Payment.get(Payment.uid == uid).id, "村里发现录错了", on=PAID_ON)
    packages.write_return(tmp_path / "r.ledgerreturn", password=PASSWORD)
    switch(town)
    payments.reverse_payment(paid.id, "乡镇发现录错了", on=PAID_ON)
    plan = packages.plan_merge(tmp_path / "r.ledgerreturn", PASSWORD)
    assert plan.conflicts == [] and plan.counts.get("reversal", 0) == 0
    packages.apply_merge(plan)
    assert Payment.select().where(Payment.reverses == paid.id).count() == 1
    assert verify([YEAR]) == []


def test_a_household_number_taken_meanwhile_at_the_township_gets_a_new_one(tmp_path):
    town = make_township(tmp_path / "town.sqlite")
    east = village_names()[0]
    _hand_out(tmp_path, [east])
    theirs = [household_work.NewMember("村甲", make_id_number("431199", dt.date(1980, 1, 1), 31), "户主")]
    ours = [household_work.NewMember("镇乙", make_id_number("431199", dt.date(1981, 1, 1), 41), "户主")]
    made_there = Household.get_by_id(household_work.add_household(east, theirs)).number
    packages.write_return(tmp_path / "r1.ledgerreturn", password=PASSWORD)
    packages.write_return(tmp_path / "r2.ledgerreturn", password=PASSWORD)
    switch(town)
    made_here = Household.get_by_id(household_work.add_household(east, ours)).number
    assert made_here == made_there  # both laptops gave the village's next number
    packages.apply_merge(packages.plan_merge(tmp_path / "r1.ledgerreturn", PASSWORD))
    village_head = Person.get(Person.id_number == theirs[0].id_number)
    assert village_head.household.number != made_here and village_head.household.head_name == "村甲"
    assert Person.get(Person.id_number == ours[0].id_number).household.number == made_here
    once = content()
    packages.apply_merge(packages.plan_merge(tmp_path / "r2.ledgerreturn", PASSWORD))  # the same changes again
    assert content() == once
    assert verify([YEAR]) == []


def test_a_conflict_born_after_the_preview_stops_the_merge(tmp_path):
    town = make_township(tmp_path / "town.sqlite")
    east = village_names()[0]
    _hand_out(tmp_path, [east])
    who = persons_of(east)[0]
    household_work.update_person(who.id, name=who.name, phone="13900000009", relation=who.relation)
    packages.write_return(tmp_path / "r.ledgerreturn", password=PASSWORD)
    switch(town)
    plan = packages.plan_merge(tmp_path / "r.ledgerreturn", PASSWORD)
    assert plan.conflicts == []
    here = Person.get(Person.id_number == who.id_number)  # row numbers differ between the ledgers
    household_work.update_person(here.id, name=here.name, phone="13800000009", relation=here.relation)
    before = content()
    with pytest.raises(PackageError, match="请重新预览"):
        packages.apply_merge(plan)
    assert content() == before and _phone(who.id_number) == "13800000009"
