"""Long reads stream on both engines: an export's rows (and the person list's export) come from a
server-side cursor on PostgreSQL, a chunk at a time, instead of psycopg taking the whole result
into the client first (a county roster of a million rows grew the exporting process by 535 MB)."""

from __future__ import annotations

from desktop_app.services import exports
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.services.persons import PersonQuery, iter_person_rows, person_rows
from desktop_app.store import dialect
from desktop_app.store.models import db

YEAR = 2025


def _server_cursors() -> int:
    return db.execute_sql("SELECT count(*) FROM pg_cursors").fetchone()[0]


def test_stream_rows_gives_every_row_of_the_query(ledger):
    generate_demo(DemoOptions(persons=120, seed=3, year=YEAR))
    sql = "SELECT id, name FROM person WHERE id > ? ORDER BY id"
    assert list(dialect.stream_rows(sql, [5], chunk=7)) == [tuple(r) for r in db.execute_sql(sql, [5])]


def test_an_export_and_the_list_export_read_through_a_server_side_cursor(ledger, ledger_engine):
    generate_demo(DemoOptions(persons=120, seed=3, year=YEAR))
    roster = exports._person_rows(exports.ExportKind.ROSTER, YEAR, None)
    listed = iter_person_rows(PersonQuery(YEAR), chunk=10)
    first_roster, first_listed = next(roster), next(listed)
    if ledger_engine == "postgresql":
        assert _server_cursors() == 2  # both still open, each a chunk at a time
    rest = [first_listed, *listed]
    assert [r.id for r in rest] == [r.id for r in person_rows(PersonQuery(YEAR), 0, 1000)]
    assert len([first_roster, *roster]) == exports._person_count(exports.ExportKind.ROSTER, YEAR, None)
    if ledger_engine == "postgresql":
        assert _server_cursors() == 0  # read to the end: closed
