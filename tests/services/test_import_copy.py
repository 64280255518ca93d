"""The PostgreSQL bulk path writes by ``COPY … FROM STDIN`` (store/bulk.copy_rows): an import into
a server ledger must leave the rows an import into a ledger file leaves, and the id sequences
must stand past the ids the COPY wrote, so that the next clerk's ordinary insert gets a free id.
Known persons' changes go in through a temporary table and one ``UPDATE … FROM`` (bulk.update_rows).
"""

from __future__ import annotations

import datetime as dt

from desktop_app.services import audit, charges, importing
from desktop_app.store import bulk
from desktop_app.store.models import Household, Payment, Person, Region, db
from desktop_app.store.portable import file_value
from tests.services.test_import_writes import TABLES, open_fresh, plan_of, roster, rows_of


def portable_rows() -> dict[str, list[tuple]]:
    return {table: [tuple(file_value(v) for v in row) for row in rows_of(table)] for table in TABLES}


def two_imports() -> None:
    people = roster(1_200)
    importing.apply(plan_of(people))
    known = [p._replace(phone="13900000000", person_id=n + 1, changes={"phone": ("", "13900000000")})
             for n, p in enumerate(people[:bulk.UPDATE_VIA_COPY + 50])]  # enough for the temporary table
    importing.apply(plan_of(roster(300, start=5_000, prefix="K"), updated=known))


def test_a_server_import_writes_what_a_file_import_writes(tmp_path, postgres_url):
    open_fresh(tmp_path / "file.sqlite")
    two_imports()
    on_file = portable_rows()
    open_fresh(postgres_url)
    two_imports()
    assert charges.verify() == []
    on_server = portable_rows()
    for table in TABLES:
        assert on_server[table] == on_file[table], table
    assert len(on_server["person"]) == 1_500
    assert db.execute_sql("SELECT COUNT(*) FROM person WHERE phone = '13900000000'").fetchone()[0] == bulk.UPDATE_VIA_COPY + 50
    assert db.execute_sql("SELECT COUNT(*) FROM audit_entry WHERE action = 'update'").fetchone()[0] >= bulk.UPDATE_VIA_COPY + 50


def test_after_a_copied_import_a_clerks_insert_gets_the_next_free_id(tmp_path, postgres_url):
    open_fresh(postgres_url)
    importing.apply(plan_of(roster(900)))
    highest = {t: db.execute_sql(f"SELECT MAX(id) FROM {t}").fetchone()[0] for t in ("household", "person", "payment")}
    village = Region.select().where(Region.level == "village").first()
    household = Household.create(number="DESK-1", village=village, head_name="柜台")
    person = Person.create(id_number="430102199001011234", name="柜台人", sex="M",
                           birth_date=dt.date(1990, 1, 1), household=household)
    payment = Payment.create(person=person, year=2025, amount_fen=38_000, paid_on=dt.date(2025, 3, 1))
    assert (household.id, person.id, payment.id) == (
        highest["household"] + 1, highest["person"] + 1, highest["payment"] + 1)


def test_copy_rows_sends_a_rows_constants_with_every_row(postgres_url):
    open_fresh(postgres_url)
    importing.apply(plan_of(roster(3)))  # a village to put the households in
    village = Region.select().where(Region.level == "village").first()
    conn = db.connection()
    with db.atomic():
        written = bulk.insert_rows(
            conn, "INSERT INTO household (number, village_id, head_name, address, created_at)",
            "(?, ?, '', 'a, (b)', LOCALTIMESTAMP(0))", [(f"C{n}", village.id) for n in range(3)])
    assert written == 3
    rows = db.execute_sql("SELECT number, head_name, address, created_at IS NOT NULL FROM household"
                          " WHERE number LIKE 'C%' ORDER BY id").fetchall()
    assert rows == [(f"C{n}", "", "a, (b)", True) for n in range(3)]


def test_a_rows_items_are_split_at_top_level_commas_only():
    assert bulk._row_items("(?, ?, 'a, b', f(x, y), NULL)") == ["?", "?", "'a, b'", "f(x, y)", "NULL"]


def test_a_large_import_leaves_the_planner_knowing_the_tables_sizes(postgres_url):
    """Without fresh statistics the import's next statements were planned for empty tables
    (nested loops) and ran for minutes at 100,000 persons."""
    open_fresh(postgres_url)
    importing.apply(plan_of(roster(3 * bulk.ANALYZE_FROM)))  # households of three: as many as ANALYZE_FROM
    known = dict(db.execute_sql(
        "SELECT relname, reltuples FROM pg_class WHERE relname IN ('person', 'household', 'enrollment')").fetchall())
    assert known["person"] == 3 * bulk.ANALYZE_FROM
    assert known["household"] == bulk.ANALYZE_FROM
    assert known["enrollment"] > 0
    assert db.execute_sql("SELECT COUNT(*) FROM pg_stats WHERE tablename = 'person' AND attname = 'household_id'"
                          ).fetchone()[0] == 1


def test_the_statistics_refreshed_in_an_import_leave_out_the_expression_indexes(postgres_url):
    """ledger_grams(name) would be computed again for every sampled row; autovacuum gathers those."""
    open_fresh(postgres_url)
    importing.apply(plan_of(roster(3 * bulk.ANALYZE_FROM)))
    gathered = {name for (name,) in db.execute_sql(
        "SELECT DISTINCT tablename FROM pg_stats WHERE tablename LIKE 'person%'").fetchall()}
    assert gathered == {"person"}  # an expression index's statistics are kept under the index's name


def test_copy_rows_puts_constants_between_and_before_a_rows_own_values(postgres_url):
    open_fresh(postgres_url)
    importing.apply(plan_of(roster(3)))
    village = Region.select().where(Region.level == "village").first()
    with db.atomic():
        bulk.insert_rows(db.connection(), "INSERT INTO household (head_name, number, address, village_id, created_at)",
                         "('头', ?, 'x', ?, LOCALTIMESTAMP(0))", [(f"D{n}", village.id) for n in range(2)])
    assert db.execute_sql("SELECT head_name, number, address, village_id FROM household WHERE number LIKE 'D%'"
                          " ORDER BY id").fetchall() == [("头", f"D{n}", "x", village.id) for n in range(2)]


def test_a_bulk_write_turns_jit_off_for_its_transaction_only(postgres_url):
    """JIT compiling cost the import's whole-ledger statements a third of their time; the clerks'
    sessions (and this one after the import) keep the server's setting."""
    open_fresh(postgres_url)
    importing.apply(plan_of(roster(3)))
    before = db.execute_sql("SHOW jit").fetchone()[0]
    village = Region.select().where(Region.level == "village").first()
    with db.atomic():
        bulk.insert_rows(db.connection(), "INSERT INTO household (number, village_id, head_name, address, created_at)",
                         "(?, ?, '', '', LOCALTIMESTAMP(0))", [("J1", village.id)])
        assert db.execute_sql("SHOW jit").fetchone()[0] == "off"
    assert db.execute_sql("SHOW jit").fetchone()[0] == before == "on"


def trail() -> list[tuple]:
    return db.execute_sql('SELECT id, operator, source, action, "table", record_id, old_value, new_value'
                          " FROM audit_entry ORDER BY id").fetchall()


def test_an_imports_many_audit_entries_go_in_at_once_and_chain_as_one_by_one(tmp_path, postgres_url):
    """A changed person's entry each (250 here), kept for the commit on PostgreSQL, appended by one
    bulk insert (audit.APPEND_IN_BULK): the same trail as the file's, the chain whole."""
    assert bulk.UPDATE_VIA_COPY + 50 >= audit.APPEND_IN_BULK
    open_fresh(tmp_path / "file.sqlite")
    two_imports()
    on_file = trail()
    open_fresh(postgres_url)
    two_imports()
    assert trail() == on_file
    assert audit.verify_chain(db.connection()) is None
    assert sum(1 for entry in on_file if entry[3] == "update") >= bulk.UPDATE_VIA_COPY + 50


def _households(numbers: range, village_id: int) -> int:
    return bulk.insert_rows(db.connection(), "INSERT INTO household (number, village_id, head_name, address, created_at)",
                            "(?, ?, '', '', LOCALTIMESTAMP(0))", [(f"B{n}", village_id) for n in numbers])


def test_rows_written_batch_by_batch_refresh_the_statistics_once_when_they_pass_analyze_from(postgres_url):
    """An import writing batch by batch: batches each under ANALYZE_FROM still get the planner its
    statistics (once the rows written pass it), and not a new ANALYZE per batch after that; a
    batch taken back with its savepoint is not counted."""
    open_fresh(postgres_url)
    importing.apply(plan_of(roster(3)))
    village = Region.select().where(Region.level == "village").first()
    there = Household.select().count()
    batch = bulk.ANALYZE_FROM * 3 // 5
    with db.atomic():
        with db.atomic() as undone:
            _households(range(batch), village.id)
            undone.rollback()
        _households(range(batch, 2 * batch), village.id)
        _households(range(2 * batch, 3 * batch), village.id)  # passes ANALYZE_FROM: analysed here
        _households(range(3 * batch, 4 * batch), village.id)  # not again
    counted = db.execute_sql("SELECT reltuples FROM pg_class WHERE relname = 'household'").fetchone()[0]
    assert counted == there + 2 * batch
    assert Household.select().count() == there + 3 * batch
