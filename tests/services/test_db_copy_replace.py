"""``db copy --replace``: a township in a county database replaced by a newer file of it, in one
transaction, never losing a payment recorded on the server unless told to (``force``).

The target of a replacement is a county database, a PostgreSQL one (a file target must be new):
these tests run on the fixture's cluster and skip without it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import psycopg
import pytest

from desktop_app.services import audit, ledger, payments
from desktop_app.services.db_copy import CopyRefused, copy_township
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import AuditEntry, Enrollment, db
from tests.conftest import DEMO_TODAY

TOWN_A = ("甲镇", "431199101")
TOWN_B = ("乙镇", "431199102")


def township_file(path: Path, town: tuple[str, str], area: str, seed: int, persons: int = 120) -> Path:
    open_database(path)
    ledger.set_township(*town)
    generate_demo(DemoOptions(persons=persons, seed=seed, today=DEMO_TODAY, id_area=area))
    close_database()
    return path


def persons_of(url: str, code: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT p.id_number, p.name, p.phone FROM person p JOIN household h ON h.id = p.household_id"
            " JOIN region v ON v.id = h.village_id JOIN region t ON t.id = v.parent_id WHERE t.code = %s"
            " ORDER BY p.id_number", (code,)).fetchall()


def payment_uids(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {uid for (uid,) in conn.execute("SELECT uid FROM payment")}


@pytest.fixture
def county(tmp_path, postgres_url):
    a = township_file(tmp_path / "a.sqlite", TOWN_A, "431101", seed=7)
    b = township_file(tmp_path / "b.sqlite", TOWN_B, "431102", seed=8)
    copy_township(a, postgres_url)
    copy_township(b, postgres_url)
    return postgres_url, a, b


def change_a_phone(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        number = conn.execute("SELECT id_number FROM person ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute("UPDATE person SET phone = '13900000000' WHERE id_number = ?", (number,))
    return number


def pay_on_the_server(url: str) -> str:
    """A clerk at the county records a payment for someone of 甲镇 who has not paid; its uid."""
    open_database(url)
    try:
        unpaid = next(e for e in Enrollment.select().where(
            (Enrollment.year == 2025) & (Enrollment.status == "unpaid") & (Enrollment.due_fen > 0)
        ).order_by(Enrollment.id) if e.village.parent.code == TOWN_A[1])
        paid = payments.record_payment(payments.PaymentInput(unpaid.person_id, 2025, unpaid.due_fen,
                                                             dt.date(2024, 10, 1)))
        return paid.uid
    finally:
        close_database()


def test_without_replace_a_changed_township_is_still_refused(county):
    url, a, _b = county
    change_a_phone(a)
    with pytest.raises(CopyRefused, match="内容和要迁入的不一样"):
        copy_township(a, url)


def test_replace_puts_the_newer_file_in_place_and_leaves_the_other_township(county):
    url, a, _b = county
    other = persons_of(url, TOWN_B[1])
    number = change_a_phone(a)
    result = copy_township(a, url, replace=True)
    assert not result.already_there and result.replaced["person"] == len(persons_of(url, TOWN_A[1]))
    assert {n: phone for n, _name, phone in persons_of(url, TOWN_A[1])}[number] == "13900000000"
    assert persons_of(url, TOWN_B[1]) == other
    again = copy_township(a, url)  # now the file and the database agree
    assert again.already_there
    open_database(url)
    try:
        assert audit.verify_chain(db.connection()) is None  # the replace entry is chained like any
        entry = AuditEntry.select().where(AuditEntry.action == "replace").get()
        assert TOWN_A[1] in entry.old_value
    finally:
        close_database()


def test_a_payment_made_on_the_server_blocks_the_replacement(county):
    url, a, _b = county
    uid = pay_on_the_server(url)
    before = persons_of(url, TOWN_A[1])
    change_a_phone(a)
    with pytest.raises(CopyRefused, match="在服务器上登记、要迁入的文件里没有的缴费"):
        copy_township(a, url, replace=True)
    assert uid in payment_uids(url)  # nothing changed
    assert persons_of(url, TOWN_A[1]) == before


def test_force_drops_that_payment_and_writes_it_to_the_audit(county):
    url, a, _b = county
    uid = pay_on_the_server(url)
    change_a_phone(a)
    result = copy_township(a, url, replace=True, force=True)
    assert result.payments_dropped == 1
    assert uid not in payment_uids(url)
    open_database(url)
    try:
        entry = AuditEntry.select().where(AuditEntry.action == "replace").get()
        assert uid in entry.new_value
    finally:
        close_database()


def test_a_refused_replacement_rolls_the_deletion_back(county, tmp_path):
    url, _a, _b = county
    before = persons_of(url, TOWN_A[1])
    # a new 甲镇 file whose persons are 乙镇's (the same area code and seed): a collision
    clash = township_file(tmp_path / "clash.sqlite", TOWN_A, "431102", seed=8)
    with pytest.raises(CopyRefused, match="属于别的乡镇"):
        copy_township(clash, url, replace=True)
    assert persons_of(url, TOWN_A[1]) == before


def _clerk_villages(url: str) -> list[tuple]:
    """(township code, village name) of each village the clerk 张会计 is bound to, as the server has them."""
    with psycopg.connect(url) as conn:
        (ids,) = conn.execute("SELECT villages FROM operator WHERE name = '张会计'").fetchone()
        wanted = [int(i) for i in ids.split(",") if i]
        return conn.execute("SELECT t.code, v.name FROM region v JOIN region t ON t.id = v.parent_id"
                            " WHERE v.id = ANY(%s) ORDER BY v.name", (wanted,)).fetchall()


def test_a_replacement_keeps_the_clerks_bound_to_the_townships_villages(county):
    """A clerk at the county bound to villages of 甲镇 (Operator.villages: region ids, no foreign
    key) works in the same villages after 甲镇 is replaced."""
    url, a, _b = county
    with psycopg.connect(url, autocommit=True) as conn:
        ids = [i for (i,) in conn.execute(
            "SELECT v.id FROM region v JOIN region t ON t.id = v.parent_id WHERE t.code = %s ORDER BY v.id LIMIT 2",
            (TOWN_A[1],))]
        conn.execute("INSERT INTO operator (name, role, password_hash, villages, created_at)"
                     " VALUES ('张会计', 'clerk', 'x', %s, LOCALTIMESTAMP(0))",
                     (",".join(map(str, ids)),))
        town = conn.execute("SELECT id FROM region WHERE code = %s", (TOWN_A[1],)).fetchone()[0]
        conn.execute("INSERT INTO region (name, level, parent_id) VALUES ('新建村', 'village', %s)", (town,))
    bound = _clerk_villages(url)
    assert len(bound) == 2
    change_a_phone(a)
    copy_township(a, url, replace=True)
    assert _clerk_villages(url) == bound
    with psycopg.connect(url) as conn:  # a village made on the server, empty, not in the file: gone as before
        assert conn.execute("SELECT COUNT(*) FROM region WHERE name = '新建村'").fetchone()[0] == 0
