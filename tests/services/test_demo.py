import datetime as dt
from collections import Counter

import pytest

from desktop_app.domain.charges import compute_charge
from desktop_app.domain.idnumber import parse_id_number
from desktop_app.domain.vocabulary import Status
from desktop_app.services import policy as policy_service
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.services.ledger import ServiceError
from desktop_app.store.models import (
    AuditEntry,
    CategoryMembership,
    Enrollment,
    Household,
    Payment,
    Person,
    Region,
    db,
)
from tests.conftest import DEMO_TODAY


def test_every_id_is_valid_and_agrees_with_sex_and_birth_date(demo_ledger):
    persons = list(Person.select())
    assert len(persons) == 500
    for person in persons:
        parsed = parse_id_number(person.id_number, today=DEMO_TODAY)
        assert parsed.number == person.id_number
        assert parsed.sex == person.sex
        assert parsed.birth_date == person.birth_date
        assert person.name and 2 <= len(person.name) <= 4
    assert len({p.id_number for p in persons}) == len(persons)


def test_households_villages_and_heads(demo_ledger):
    sizes = Counter(p.household_id for p in Person.select(Person.household))
    assert set(sizes.values()) <= set(range(1, 7))
    assert len(set(sizes.values())) >= 4  # a real mix of sizes
    for household in Household.select():
        heads = [p for p in household.members if p.relation == "户主"]
        assert len(heads) == 1 and heads[0].name == household.head_name
    assert 3 <= Region.select().where(Region.level == "village").count() <= 12


def test_categories_statuses_and_payments_are_a_realistic_mix(demo_ledger):
    categories = Counter(m.category for m in CategoryMembership.select())
    assert {"dibao", "tuopin", "jiance"} <= set(categories)
    statuses = Counter(e.status for e in Enrollment.select())
    assert statuses[Status.PAID.value] > statuses[Status.UNPAID.value] > 0
    assert statuses[Status.EMPLOYEE.value] > 0
    assert 0.75 < statuses[Status.PAID.value] / 500 < 0.95
    newborns = [p for p in Person.select() if p.birth_date.year == 2025]
    assert newborns, "the demo year has newborns"
    paid = {(p.person_id, p.year): p.amount_fen for p in Payment.select()}
    for enrollment in Enrollment.select():
        assert enrollment.paid_fen == paid.get((enrollment.person_id, enrollment.year), 0)


def test_stored_charges_equal_the_rule_functions(demo_ledger):
    policy = policy_service.policy_for_year(2025)
    assert policy is not None
    codes: dict[int, list[str]] = {}
    for m in CategoryMembership.select():
        codes.setdefault(m.person_id, []).append(m.category)
    for e in Enrollment.select():
        charge = compute_charge(policy, codes.get(e.person_id, []))
        assert (e.standard_fen, e.subsidy_fen, e.due_fen, e.collection_mode, e.applied_category) == (
            charge.standard_fen, charge.subsidy_fen, charge.due_fen, charge.mode.value,
            charge.applied_category,
        )


def test_same_seed_same_township(ledger_path, tmp_path):
    from desktop_app.store.db import close_database, open_database

    names = []
    for name in ("a.sqlite", "b.sqlite"):
        open_database(tmp_path / name)
        generate_demo(DemoOptions(persons=120, seed=3, today=DEMO_TODAY))
        names.append([(p.name, p.id_number) for p in Person.select().order_by(Person.id)])
        close_database()
    assert names[0] == names[1]


def test_demo_refuses_a_ledger_that_holds_persons(demo_ledger):
    before = Person.select().count()
    with pytest.raises(ServiceError, match="空台账"):
        generate_demo(DemoOptions(persons=10))
    assert Person.select().count() == before


def test_demo_writes_one_audit_entry(demo_ledger):
    entry = AuditEntry.get(AuditEntry.action == "demo")
    assert '"persons": 500' in entry.new_value


def test_no_birth_after_today(ledger):
    generate_demo(DemoOptions(persons=300, seed=5, year=2025, today=dt.date(2025, 3, 1)))
    latest = db.execute_sql("SELECT MAX(birth_date) FROM person").fetchone()[0]
    assert latest <= "2025-03-01"
