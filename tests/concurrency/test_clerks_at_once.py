"""Several clerks at once on a PostgreSQL ledger: real concurrent connections (one thread each;
peewee gives every thread its own connection), never a mock.

Where the order of two clerks matters, the test makes it happen for certain instead of hoping
for it: the first clerk's transaction is held open until the server shows the second clerk's
statement waiting on a lock (``pg_stat_activity``), and only then committed.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest

from desktop_app.errors import ServiceError
from desktop_app.services import audit, household_work, importing, payments
from desktop_app.services.payments import PaymentInput
from desktop_app.store.models import Enrollment, Household, Payment, Person, db
from tests.exchange.xch_builders import SheetSpec, build_xlsx

YEAR = 2025
PAID_ON = dt.date(2024, 11, 5)


@pytest.fixture
def server_ledger(demo_ledger, ledger_engine):
    if ledger_engine != "postgresql":
        pytest.skip("a ledger file has one writer at a time (the lock file): nothing runs at once")
    return demo_ledger


class Clerk(threading.Thread):
    """``work()`` on a thread of its own (its own connection); keeps the result or the error."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.error = exc
        finally:
            db.close()  # this thread's connection

    def finish(self) -> Any:
        self.join(60)
        assert not self.is_alive(), "a clerk never finished (a deadlock?)"
        return self.result


def wait_until_someone_waits_on_a_lock() -> None:
    """Until another connection of this database waits on a row or table lock (a sync point, not
    a timing check: it ends as soon as the server says so; 30 s at most)."""
    deadline = dt.datetime.now() + dt.timedelta(seconds=30)
    while dt.datetime.now() < deadline:
        (waiting,) = db.execute_sql(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()").fetchone()
        if waiting:
            return
        threading.Event().wait(0.02)
    raise AssertionError("the second clerk never waited for the first one's lock")


def household_owing(members: int = 2) -> int:
    for household in Household.select().order_by(Household.id):
        if len(payments.household_due(household.id, YEAR)) >= members:
            return household.id
    raise AssertionError("the demo township has no household with two members owing")


def normal_payments(person_id: int) -> list[Payment]:
    return list(Payment.select().where((Payment.person == person_id) & (Payment.year == YEAR)
                                       & (Payment.kind == "normal")))


def first_clerk_holding(work: Callable[[], Any], release: threading.Event) -> Clerk:
    """A clerk who does ``work`` in a transaction and commits only once ``release`` is set."""
    done = threading.Event()

    def held() -> Any:
        with db.atomic():
            result = work()
            done.set()
            assert release.wait(60)
        return result

    clerk = Clerk(held)
    clerk.start()
    assert done.wait(60) or clerk.error is None, clerk.error
    return clerk


def test_two_clerks_paying_one_household_at_once_pay_it_once(server_ledger):
    household_id = household_owing()
    owed = payments.household_due(household_id, YEAR)
    release = threading.Event()
    first = first_clerk_holding(lambda: payments.record_household_payment(household_id, YEAR, PAID_ON, "现金代收"),
                                release)
    second = Clerk(lambda: payments.record_household_payment(household_id, YEAR, PAID_ON, "现金代收"))
    second.start()
    wait_until_someone_waits_on_a_lock()  # the second clerk is at the household, uncommitted work ahead
    release.set()
    paid = first.finish()
    second.finish()
    assert first.error is None and paid.total_fen == sum(amount for *_x, amount in owed)
    assert isinstance(second.error, ServiceError) and "没有需要缴费的人" in str(second.error)
    for person_id, _name, amount in owed:
        assert [p.amount_fen for p in normal_payments(person_id)] == [amount]
        enrollment = Enrollment.get((Enrollment.person == person_id) & (Enrollment.year == YEAR))
        assert (enrollment.status, enrollment.paid_fen) == ("paid", amount)


def test_two_clerks_paying_one_person_at_once_are_not_both_taken(server_ledger):
    person_id, _name, amount = payments.household_due(household_owing(1), YEAR)[0]
    release = threading.Event()
    pay = PaymentInput(person_id, YEAR, amount, PAID_ON, "现金代收")
    first = first_clerk_holding(lambda: payments.record_payment(pay), release)
    second = Clerk(lambda: payments.record_payment(pay))
    second.start()
    wait_until_someone_waits_on_a_lock()
    release.set()
    first.finish()
    second.finish()
    assert first.error is None
    # the second clerk reads the payment the first one committed and is refused, not paid twice
    assert isinstance(second.error, payments.PaymentRefused) and "不能重复缴费" in str(second.error)
    assert [p.amount_fen for p in normal_payments(person_id)] == [amount]


def test_an_edit_from_before_another_clerks_change_is_refused_and_overwrites_nothing(demo_ledger):
    person = Person.select().order_by(Person.id).first()
    seen = household_work.person_version(person.id)  # clerk A opens the form
    household_work.update_person(person.id, name=person.name, phone="13900000001", relation=person.relation,
                                 row_version=household_work.person_version(person.id))  # clerk B saves
    with pytest.raises(household_work.StaleEdit, match="这个人的信息刚被别的操作员改过，请刷新后再改"):
        household_work.update_person(person.id, name="改错的名字", phone="13900000002", relation=person.relation,
                                     row_version=seen)
    after = Person.get_by_id(person.id)
    assert (after.name, after.phone) == (person.name, "13900000001")
    assert after.row_version == seen + 1


def test_every_update_of_a_person_moves_its_version(demo_ledger):
    person = Person.select().order_by(Person.id).first()
    before = household_work.person_version(person.id)
    Person.update(note="任何写入").where(Person.id == person.id).execute()  # not through the form
    assert household_work.person_version(person.id) == before + 1


def test_two_clerks_saving_one_person_at_once_keep_the_first_and_refuse_the_second(server_ledger):
    person = Person.select().order_by(Person.id).first()
    seen = household_work.person_version(person.id)  # both opened the form at this version
    release = threading.Event()
    first = first_clerk_holding(lambda: household_work.update_person(
        person.id, name=person.name, phone="13900000011", relation=person.relation, row_version=seen), release)
    second = Clerk(lambda: household_work.update_person(
        person.id, name=person.name, phone="13900000022", relation=person.relation, row_version=seen))
    second.start()
    wait_until_someone_waits_on_a_lock()  # the second UPDATE waits for the first one's row
    release.set()
    first.finish()
    second.finish()
    assert first.error is None
    assert isinstance(second.error, household_work.StaleEdit)
    assert Person.get_by_id(person.id).phone == "13900000011"


def test_an_import_running_while_clerks_record_payments_loses_no_payment(server_ledger, tmp_path):
    unpaid = [e for e in Enrollment.select().where((Enrollment.year == YEAR) & (Enrollment.status == "unpaid")
                                                 & (Enrollment.due_fen > 0)).order_by(Enrollment.id)]
    imported, at_desk = unpaid[:40], unpaid[40:44]
    rows = [["纳税人姓名", "证件号码", "缴费金额", "缴费日期", "票据号码"]]
    rows += [[e.person.name, e.person.id_number, e.due_fen / 100, "2024/11/5", f"PJ{e.id}"] for e in imported]
    plan = importing.plan("payments", build_xlsx(tmp_path / "税务回传.xlsx", [SheetSpec("Sheet1", rows)]))
    assert len(plan.new) == len(imported)
    release = threading.Event()
    importer = first_clerk_holding(lambda: importing.apply(plan), release)  # written, not yet committed
    clerks = [Clerk(lambda e=e: payments.record_payment(PaymentInput(e.person_id, YEAR, e.due_fen, PAID_ON, "现金代收")))
              for e in at_desk]
    for clerk in clerks:
        clerk.start()
    wait_until_someone_waits_on_a_lock()  # a clerk's payment waits for the import's commit
    release.set()
    importer.finish()
    for clerk in clerks:
        clerk.finish()
    assert importer.error is None and all(clerk.error is None for clerk in clerks), \
        [importer.error, *(c.error for c in clerks)]
    for e in imported + at_desk:
        assert [p.amount_fen for p in normal_payments(e.person_id)] == [e.due_fen]
        assert Enrollment.get_by_id(e.id).status == "paid"
    ids = [p.id for p in Payment.select(Payment.id)]
    assert len(ids) == len(set(ids))
    assert audit.verify_chain(db.connection()) is None  # one chain, however many clerks wrote


def test_a_clerk_pays_while_another_clerks_payment_is_still_open(server_ledger):
    """The audit chain's turn is taken at the commit, not at the first entry: a clerk whose
    payment is written but not yet committed holds up no other clerk paying someone else."""
    first_id, _n, first_amount = payments.household_due(household_owing(1), YEAR)[0]
    other = next(h.id for h in Household.select().where(Household.id != Person.get_by_id(first_id).household_id)
                 .order_by(Household.id) if payments.household_due(h.id, YEAR))
    second_id, _n, second_amount = payments.household_due(other, YEAR)[0]
    release = threading.Event()
    first = first_clerk_holding(lambda: payments.record_payment(
        PaymentInput(first_id, YEAR, first_amount, PAID_ON, "现金代收")), release)
    second = Clerk(lambda: payments.record_payment(PaymentInput(second_id, YEAR, second_amount, PAID_ON, "现金代收")))
    second.start()
    waited = False
    while second.is_alive() and not waited:  # ends at the second clerk's commit, or its wait on a lock
        (waited,) = db.execute_sql(
            "SELECT COUNT(*) > 0 FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()").fetchone()
        second.join(0.02)
    release.set()
    first.finish()
    second.finish()
    assert not waited, "the second clerk waited for the first one's open payment"
    assert first.error is None and second.error is None, [first.error, second.error]
    assert [p.amount_fen for p in normal_payments(second_id)] == [second_amount]
    assert audit.verify_chain(db.connection()) is None
