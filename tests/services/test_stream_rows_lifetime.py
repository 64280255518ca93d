"""dialect.stream_rows holds a transaction open on PostgreSQL while its rows are read: a stream
left unfinished, or two finished out of order, must not leave the thread's later writes in a
transaction that is never committed."""

from __future__ import annotations

from desktop_app.services import exports
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.store import dialect
from desktop_app.store.models import db

YEAR = 2025
SQL = "SELECT id FROM person ORDER BY id"


def test_two_streams_finished_out_of_order_leave_no_transaction_open(ledger):
    generate_demo(DemoOptions(persons=30, seed=3, year=YEAR))
    first = dialect.stream_rows(SQL, chunk=4)
    second = dialect.stream_rows(SQL, chunk=4)
    next(first), next(second)
    rest_first = list(first)  # the first one opened ends first
    rest_second = list(second)
    assert len(rest_first) == len(rest_second) == 29
    assert db.transaction_depth() == 0
    assert not db.in_transaction()


def test_a_cancelled_export_leaves_no_transaction_open(ledger, tmp_path):
    generate_demo(DemoOptions(persons=30, seed=3, year=YEAR))
    result = exports.export(exports.ExportKind.ROSTER, tmp_path / "r.xlsx", YEAR,
                            progress=lambda done, total: None, should_stop=lambda: True)
    assert result.cancelled
    assert db.transaction_depth() == 0


def test_a_write_made_while_a_stream_is_left_unfinished_is_kept(ledger):
    generate_demo(DemoOptions(persons=30, seed=3, year=YEAR))
    rows = dialect.stream_rows(SQL, chunk=4)
    first_id = next(rows)[0]  # the consumer stops here (an export cancelled, a list closed)
    with db.atomic():
        db.execute_sql("UPDATE person SET name = ? WHERE id = ?", ["改名", first_id])
    rows.close()  # collected later, as an abandoned generator is
    assert db.execute_sql("SELECT name FROM person WHERE id = ?", [first_id]).fetchone()[0] == "改名"
    assert not db.in_transaction()
