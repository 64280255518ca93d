"""The writing half of a roster import (``importing.apply``) on real ledgers: the bulk path (ids
counted ahead, rows many to a statement, indexes set aside and rebuilt, new persons' enrollments
computed from their rows) must leave exactly what writing row by row left.

Plans are built by hand (``RosterRow``), not by the dry run, so that these tests pin the write.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.domain.pinyin import name_initials
from desktop_app.services import charges, importing
from desktop_app.services.importing import ImportCancelled, ImportKind, ImportPlan
from desktop_app.services.importing.roster import RosterRow
from desktop_app.store import bulk, dialect
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import db

VILLAGES = ("东山村", "西河村", "南岭村")
SURNAMES = "张李王赵孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔曹严华金魏陶姜"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明")
TABLES = ("region", "household", "person", "category_membership", "enrollment", "payment", "policy_year")
TIMESTAMPS = {"created_at", "updated_at", "loaded_at"}


def _name(i: int) -> str:
    if i % 97 == 5:
        return f"Anna·{SURNAMES[i % len(SURNAMES)]}"  # ASCII letters and a middle dot, as on some IDs
    return SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]


def roster(count: int, *, start: int = 0, region: str = "431199", prefix: str = "H") -> list[RosterRow]:
    """``count`` new persons in households of three, with categories, statuses, payments and a
    few born after 2025, in the shape the dry run hands to ``apply``."""
    rows: list[RosterRow] = []
    head = ""
    for i in range(start, start + count):
        born = dt.date(1940, 1, 1) + dt.timedelta(days=i * 7 % 25_000 + i // 3_500)
        if i % 31 == 7:
            born = dt.date(2026, 3, 1) + dt.timedelta(days=i % 200)  # born after the year
        relation = "户主" if i % 3 == 0 else ("配偶" if i % 3 == 1 else "子女")
        name = _name(i)
        if relation == "户主":
            head = name
        categories: tuple[str, ...] = ()
        if i % 7 == 0:
            categories = ("dibao",)
        if i % 11 == 0:
            categories = ("tekun",)
        if i % 13 == 0:
            categories = ("dibao", "jiance")
        if i % 17 == 0:
            categories = ("canji",)  # recorded though 2025's policy gives it nothing
        status, reason = None, ""
        if i % 19 == 0:
            status, reason = "employee", "参加职工医保"
        elif i % 23 == 0:
            status, reason = "deceased", "2024年死亡"
        paid_fen, paid_on = None, None
        if i % 2 == 0:
            paid_fen, paid_on = (20_000 if "dibao" in categories else 40_000), dt.date(2024, 11, 5 + i % 20)
        elif i % 29 == 0:
            paid_fen, paid_on = 10_000, dt.date(2024, 10, 1)  # a part payment
        rows.append(RosterRow(
            id_number=make_id_number(region, born, i % 997),
            name=name,
            sex="M" if i % 2 else "F",
            birth_date=born,
            relation=relation,
            phone=f"138{i:08d}" if i % 4 == 0 else "",
            village=VILLAGES[(i // 3) % len(VILLAGES)],
            household_number=f"{prefix}{i // 3:06d}",
            head_name=head,
            address=f"{VILLAGES[(i // 3) % len(VILLAGES)]}{i // 60 + 1}组",
            categories=categories,
            recorded_status=status,
            status_reason=reason,
            paid_fen=paid_fen,
            paid_on=paid_on,
        ))
    assert len({r.id_number for r in rows}) == len(rows)
    return rows


def plan_of(rows: list[RosterRow], *, updated: list[RosterRow] = (), year: int = 2025) -> ImportPlan:
    return ImportPlan(kind=ImportKind.ROSTER, path=Path("花名册.xlsx"), year=year, new=list(rows),
                      updated=list(updated), source="花名册.xlsx")


def rows_of(table: str, *, keep_ids: bool = True) -> list[tuple]:
    cursor = db.execute_sql(f"SELECT * FROM {table} ORDER BY 1")
    names = [d[0] for d in cursor.description]
    keep = [n for n, name in enumerate(names) if name not in TIMESTAMPS and (keep_ids or name != "id")]
    return [tuple(row[n] for n in keep) for row in cursor.fetchall()]


def ledger_rows() -> dict[str, list[tuple]]:
    return {table: rows_of(table) for table in TABLES}


def whole_ledger() -> dict[str, list[tuple]]:
    """Every row of every table, timestamps and the audit trail included: for 'nothing changed'."""
    tables = [name for (name,) in db.execute_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        " AND table_type = 'BASE TABLE' ORDER BY 1" if dialect.is_postgres() else
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: db.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


def schema() -> list[tuple]:
    """Indexes as sqlite_master holds them, and each table's index list in SQLite's own order (on
    PostgreSQL: its catalog's indexes and triggers)."""
    if dialect.is_postgres():
        return db.execute_sql(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " ORDER BY indexname").fetchall() + db.execute_sql(
            "SELECT event_object_table, trigger_name, event_manipulation, action_statement"
            " FROM information_schema.triggers WHERE trigger_schema = current_schema() ORDER BY 2, 3").fetchall()
    master = db.execute_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name"
    ).fetchall()
    tables = [name for (name,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    lists = [(t, db.execute_sql(f'PRAGMA index_list("{t}")').fetchall()) for t in tables]
    return master + lists


def statements_while(action) -> list[str]:
    """The SQL statements SQLite ran during ``action()`` (its trace hook)."""
    seen: list[str] = []
    conn = db.connection()
    conn.set_trace_callback(seen.append)
    try:
        action()
    finally:
        conn.set_trace_callback(None)
    return seen


def open_fresh(path: Path) -> None:
    close_database()
    open_database(path)


# ------------------------------------------------------------------------------ the bulk path


def household_changes() -> list[tuple]:
    return db.execute_sql(
        "SELECT record_id, old_value, new_value FROM audit_entry WHERE action = 'update' AND \"table\" = 'household'"
        " ORDER BY id").fetchall()


def test_a_bulk_import_writes_what_small_imports_write(tmp_path):
    people = roster(2_400)
    for n in (1, 2):  # later rows name another head: renamed
        people[n] = people[n]._replace(head_name="褚改名")
    people[2_302] = people[2_302]._replace(village="东山村")  # and one lives elsewhere: the household moves, and back
    open_fresh(tmp_path / "bulk.sqlite")
    seen = statements_while(lambda: importing.apply(plan_of(people)))
    assert any(s.startswith('DROP INDEX "person_id_number"') for s in seen), "the bulk path was not taken"
    assert any(s.startswith('DROP INDEX "enrollment_person_id_year"') for s in seen)
    bulk_rows, bulk_changes = ledger_rows(), household_changes()
    assert len(bulk_changes) == 3
    assert db.execute_sql("SELECT head_name FROM household WHERE number = 'H000000'").fetchone() == ("褚改名",)
    assert charges.verify() == []
    assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []

    open_fresh(tmp_path / "pieces.sqlite")
    for start in range(0, len(people), 150):
        seen = statements_while(lambda: importing.apply(plan_of(people[start : start + 150])))
        assert not any(s.startswith("DROP INDEX") for s in seen)
    assert ledger_rows() == bulk_rows  # same ids, same values, row for row
    assert household_changes() == bulk_changes
    close_database()


def test_bulk_enrollments_equal_the_generic_path(ledger):
    """The new persons' enrollments, computed from their rows, equal those that the generic
    ensure_enrollments makes from the ledger, followed by the roster's recorded statuses."""
    people = roster(1_500)
    importing.apply(plan_of(people))
    query = ("SELECT person_id, year, village_id, status, status_reason, applied_category, standard_fen,"
             " subsidy_fen, due_fen, paid_fen, collection_mode, enrolled_on, paid_on FROM enrollment ORDER BY person_id")
    made = db.execute_sql(query).fetchall()
    with db.atomic() as transaction:
        db.execute_sql("DELETE FROM enrollment")
        assert charges.ensure_enrollments(2025) == len(made)
        ids = dict(db.execute_sql("SELECT id_number, id FROM person").fetchall())
        db.connection().executemany(
            "UPDATE enrollment SET status = ?, status_reason = ? WHERE person_id = ? AND year = 2025",
            [(p.recorded_status, p.status_reason, ids[p.id_number]) for p in people if p.recorded_status],
        )
        generic = db.execute_sql(query).fetchall()
        transaction.rollback()
    assert made == generic
    # and what that means, spelled out for a few kinds of row
    by_number = {p.id_number: p for p in people}
    enrolled = {pid: row for pid, *row in made}
    for id_number, pid in db.execute_sql("SELECT id_number, id FROM person").fetchall():
        p = by_number[id_number]
        row = enrolled.get(pid)
        if p.birth_date > dt.date(2025, 12, 31):
            assert row is None, "born after the year: not enrolled in it"
            continue
        _year, _village, status, reason, applied, _s, _sub, due, paid, _mode, _on, paid_on = row
        if p.recorded_status:
            assert (status, reason) == (p.recorded_status, p.status_reason)
        elif "tekun" in p.categories:
            assert (status, due) == ("exempt", 0)
        assert paid == (p.paid_fen or 0)
        assert paid_on == (p.paid_on.isoformat() if p.paid_fen else None)
        if p.categories == ("canji",):
            assert applied is None


def test_bulk_import_keeps_the_schema_and_every_detail_of_the_rows(ledger):
    before = schema()
    people = roster(2_000)
    result = importing.apply(plan_of(people))
    assert result.written
    assert schema() == before
    # persons as the rows said, with their pinyin initials as name_initials gives them
    got = db.execute_sql(
        "SELECT p.id_number, p.name, p.sex, p.birth_date, p.relation, p.phone, p.name_initials, h.number,"
        " h.head_name, h.address, v.name FROM person p JOIN household h ON h.id = p.household_id"
        " JOIN region v ON v.id = h.village_id ORDER BY p.id"
    ).fetchall()
    heads = {}
    for p in people:
        heads.setdefault(p.household_number, (p.head_name, p.address, p.village))
    assert got == [
        (p.id_number, p.name, p.sex, p.birth_date.isoformat(), p.relation, p.phone, name_initials(p.name),
         p.household_number, *heads[p.household_number])
        for p in people
    ]
    assert db.execute_sql("SELECT MIN(id), MAX(id) FROM person").fetchone() == (1, len(people))
    categories = db.execute_sql(
        "SELECT p.id_number, m.category, m.source, m.ended_on FROM category_membership m"
        " JOIN person p ON p.id = m.person_id ORDER BY m.id").fetchall()
    assert categories == [(p.id_number, code, "花名册.xlsx", None) for p in people for code in p.categories]
    payments = db.execute_sql(
        "SELECT p.id_number, y.year, y.amount_fen, y.paid_on, y.reason FROM payment y"
        " JOIN person p ON p.id = y.person_id ORDER BY y.id").fetchall()
    assert payments == [(p.id_number, 2025, p.paid_fen, p.paid_on.isoformat(), "导入自花名册.xlsx")
                        for p in people if p.paid_fen]
    trail = db.execute_sql(
        'SELECT action, "table", record_id FROM audit_entry WHERE action LIKE \'import%\' ORDER BY id').fetchall()
    assert trail == [("import-create", "person", "花名册.xlsx"), ("import-extras", "enrollment", "花名册.xlsx"),
                     ("import", "roster", "花名册.xlsx")]
    assert db.execute_sql(
        "SELECT COUNT(*) FROM audit_entry WHERE action = 'create' AND \"table\" = 'region'").fetchone()[0] == 3


# ------------------------------------------------------------------------- all or nothing


@pytest.mark.parametrize("fault", ["duplicate-id-number", "category-null", "cancelled"])
@pytest.mark.sqlite_only  # SQLite's trace hook and its index set-aside
def test_a_failure_halfway_leaves_the_ledger_as_it_was(ledger, fault):
    importing.apply(plan_of(roster(600, prefix="A")))  # a ledger with persons in it already
    before, shape = whole_ledger(), schema()
    people = roster(2_000, start=10_000, region="431198", prefix="B")
    plan = plan_of(people)
    stop = None
    if fault == "duplicate-id-number":
        # a number the ledger already holds: the persons go in with their unique index set
        # aside, and building it again fails, after households and persons were written
        plan.new[1_200] = plan.new[1_200]._replace(
            id_number=db.execute_sql("SELECT id_number FROM person LIMIT 1").fetchone()[0])
        expected: type[BaseException] = sqlite3.IntegrityError
    elif fault == "category-null":
        plan.new[1_500] = plan.new[1_500]._replace(categories=(None,))  # fails the categories' insert, after the persons'
        expected = sqlite3.IntegrityError
    else:
        stop, expected = (lambda: True), ImportCancelled  # after everything was written
    seen = []
    conn = db.connection()
    conn.set_trace_callback(seen.append)
    try:
        with pytest.raises(expected):
            importing.apply(plan, should_stop=stop)
    finally:
        conn.set_trace_callback(None)
    assert any(s.startswith("DROP INDEX") for s in seen), "the failure must happen with indexes set aside"
    assert not conn.in_transaction
    assert whole_ledger() == before
    assert schema() == shape
    assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    # and the ledger takes the same import once it is right
    importing.apply(plan_of(people))
    assert charges.verify() == []


# ------------------------------------------------------------------ a big ledger, a small import


@pytest.mark.sqlite_only  # SQLite's trace hook and its index set-aside
def test_a_small_import_into_a_big_ledger_keeps_the_indexes(ledger):
    importing.apply(plan_of(roster(3_000)))
    shape = schema()
    seen = statements_while(lambda: importing.apply(plan_of(roster(1_100, start=20_000, region="431198", prefix="N"))))
    assert not any(s.startswith(("DROP INDEX", "CREATE INDEX", "CREATE UNIQUE INDEX")) for s in seen)
    assert not any("SELECT id_number, id FROM person" in s for s in seen)
    assert schema() == shape
    assert db.execute_sql("SELECT COUNT(*) FROM person").fetchone()[0] == 4_100
    assert charges.verify() == []


def test_when_indexes_are_set_aside():
    assert not bulk.worth_setting_aside(1_000, 100_000)
    assert not bulk.worth_setting_aside(999, 0)  # too few to matter
    assert not bulk.worth_setting_aside(50_000, 50_000)
    assert bulk.worth_setting_aside(100_000, 0)
    assert bulk.worth_setting_aside(100_000, 99_999)


def test_insert_rows_puts_rows_in_order_whatever_their_number(tmp_path):
    conn = sqlite3.connect(tmp_path / "t.sqlite")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT NOT NULL)")
    for count in (0, 1, bulk.ROWS_PER_STATEMENT - 1, bulk.ROWS_PER_STATEMENT, 2 * bulk.ROWS_PER_STATEMENT + 3):
        conn.execute("DELETE FROM t")
        assert bulk.insert_rows(conn, "INSERT INTO t (a, b)", "(?, 'x' || ?)", ((i, i) for i in range(count))) == count
        assert conn.execute("SELECT id, a, b FROM t ORDER BY id").fetchall() == [
            (i + 1, i, f"x{i}") for i in range(count)]
    with pytest.raises(sqlite3.IntegrityError):
        bulk.insert_rows(conn, "INSERT INTO t (a, b)", "(?, ?)", [(1, "a")] * 300 + [(2, None)])
    conn.close()


def test_indexes_are_set_aside_only_inside_a_transaction(tmp_path):
    conn = sqlite3.connect(tmp_path / "t.sqlite", isolation_level=None)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER)")
    with pytest.raises(RuntimeError), bulk.indexes_set_aside(conn, "t", 10_000):
        pass
    conn.close()


# -------------------------------------------------------------------- persons already there


def test_a_roster_moving_a_person_to_another_village_moves_this_years_enrollment(ledger):
    people = roster(1_200)
    importing.apply(plan_of(people, year=2024))
    importing.apply(plan_of([], year=2025))  # nobody new: everyone gets 2025's row the generic way
    assert db.execute_sql("SELECT COUNT(*) FROM enrollment WHERE year = 2025").fetchone()[0] == sum(
        1 for p in people if p.birth_date <= dt.date(2025, 12, 31))
    mover = people[4]  # 配偶 in household H000001, 西河村
    assert mover.village == "西河村"
    pid, old_household = db.execute_sql(
        "SELECT id, household_id FROM person WHERE id_number = ?", (mover.id_number,)).fetchone()
    moved = mover._replace(
        person_id=pid, name="钱多多", village="北坡村", household_number="N000001", head_name="钱多多", relation="户主",
        categories=("tekun",), recorded_status=None, status_reason="", paid_fen=None, paid_on=None,
        changes={"name": (mover.name, "钱多多"), "household_number": (mover.household_number, "N000001"),
                 "village": ("西河村", "北坡村"), "relation": (mover.relation, "户主")})
    importing.apply(plan_of([], updated=[moved], year=2025))
    village_of = dict(db.execute_sql(
        "SELECT e.year, v.name FROM enrollment e JOIN region v ON v.id = e.village_id WHERE e.person_id = ?", (pid,)))
    assert village_of == {2024: "西河村", 2025: "北坡村"}  # last year's figures stay where they were
    name, initials, number = db.execute_sql(
        "SELECT p.name, p.name_initials, h.number FROM person p JOIN household h ON h.id = p.household_id"
        " WHERE p.id = ?", (pid,)).fetchone()
    assert (name, initials, number) == ("钱多多", name_initials("钱多多"), "N000001")
    assert db.execute_sql(
        "SELECT status, applied_category, due_fen FROM enrollment WHERE person_id = ? AND year = 2025", (pid,)
    ).fetchone() == ("exempt", "tekun", 0)
    assert db.execute_sql("SELECT COUNT(*) FROM person WHERE household_id = ?", (old_household,)).fetchone()[0] == 2
    assert charges.verify() == []


@pytest.mark.sqlite_only  # proves the SQLite bulk path by its trace
def test_persons_not_in_the_file_get_the_year_with_their_recorded_status(ledger):
    """A bulk import of new persons into a ledger whose persons lack this year's rows: those
    persons get theirs the generic way, last year's recorded statuses carried over."""
    old = roster(900, prefix="A")
    importing.apply(plan_of(old, year=2024))
    assert db.execute_sql("SELECT COUNT(*) FROM enrollment WHERE year = 2025").fetchone()[0] == 0
    seen = statements_while(lambda: importing.apply(plan_of(roster(2_000, start=5_000, region="431198", prefix="B"))))
    assert any(s.startswith('DROP INDEX "person_id_number"') for s in seen)
    carried = db.execute_sql(
        "SELECT p.id_number, e.status, e.status_reason FROM enrollment e JOIN person p ON p.id = e.person_id"
        " WHERE e.year = 2025 AND p.id <= 900").fetchall()
    by_number = {p.id_number: p for p in old}
    assert len(carried) == sum(1 for p in old if p.birth_date <= dt.date(2025, 12, 31))
    for number, status, reason in carried:
        p = by_number[number]
        if p.recorded_status:
            assert (status, reason) == (p.recorded_status, p.status_reason)
        else:
            assert reason == "" and status in ("unpaid", "exempt")  # 2024's payments are not 2025's
    assert charges.verify() == []


def test_a_roster_updating_known_persons_with_categories_statuses_and_payments(ledger):
    people = roster(1_200)
    importing.apply(plan_of(people))
    ids = dict(db.execute_sql("SELECT id_number, id FROM person").fetchall())

    def get(n: int) -> tuple:
        return db.execute_sql(
            "SELECT status, status_reason, applied_category, paid_fen, paid_on FROM enrollment"
            " WHERE person_id = ? AND year = 2025", (ids[people[n].id_number],)).fetchone()

    # 14: its dibao ended, the roster brings it again; 3: now in the army; 5: had not paid
    assert people[14].categories == ("dibao",) and people[14].paid_fen == 20_000
    db.execute_sql("UPDATE category_membership SET ended_on = '2025-03-01' WHERE person_id = ?",
                   (ids[people[14].id_number],))
    charges.recompute(2025, [ids[people[14].id_number]])
    assert get(14)[:3] == ("unpaid", "", None)
    updated = []
    for n, change in ((14, "categories"), (3, "status"), (5, "payment")):
        row = people[n]._replace(person_id=ids[people[n].id_number])
        if change == "status":
            row = row._replace(recorded_status="military", status_reason="服兵役")
        elif change == "payment":
            assert not row.paid_fen
            row = row._replace(paid_fen=40_000, paid_on=dt.date(2025, 1, 8))
        updated.append(row)
    new = roster(1_500, start=3_000, region="431198", prefix="N")
    importing.apply(plan_of(new, updated=updated))
    assert get(14)[:3] == ("paid", "", "dibao")
    assert db.execute_sql("SELECT ended_on FROM category_membership WHERE person_id = ?",
                          (ids[people[14].id_number],)).fetchone() == (None,)
    assert get(3)[:2] == ("military", "服兵役")
    assert get(5)[0] == "paid" and get(5)[3:] == (40_000, "2025-01-08")
    assert db.execute_sql("SELECT COUNT(*) FROM person").fetchone()[0] == 2_700
    assert charges.verify() == []
