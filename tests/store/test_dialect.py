"""The services' SQL, written once in SQLite's style, as psycopg is given it on PostgreSQL."""

from __future__ import annotations

import pytest

from desktop_app.store.dialect import _bind, qmark_to_pyformat


@pytest.mark.parametrize(("sqlite", "postgres"), [
    ("SELECT 1 FROM person WHERE id = ? AND name LIKE ?", "SELECT 1 FROM person WHERE id = %s AND name LIKE %s"),
    # a literal % (inside quotes or a modulo) is doubled; a ? inside quotes is text, not a parameter
    ("SELECT '%Y', a % 2 FROM t WHERE b = '?' AND c = ?", "SELECT '%%Y', a %% 2 FROM t WHERE b = '?' AND c = %s"),
    # a quoted identifier with a ? is left alone
    ('SELECT "odd?" FROM t WHERE x = ?', 'SELECT "odd?" FROM t WHERE x = %s'),
    # psycopg's own style (the store's statements) passes unchanged
    ("SELECT pg_advisory_lock(%s), '%%'", "SELECT pg_advisory_lock(%s), '%%'"),
])
def test_placeholders_and_percent_signs(sqlite, postgres):
    assert qmark_to_pyformat(sqlite) == postgres


def test_numbered_parameters_are_given_in_the_order_they_appear():
    sql, params = _bind("SELECT * FROM t WHERE a = ?1 OR b = ?2 OR c = ?1", ["x", "y"])
    assert sql == "SELECT * FROM t WHERE a = %s OR b = %s OR c = %s"
    assert params == ["x", "y", "x"]


def test_a_statement_without_parameters_still_gets_an_empty_tuple():
    """psycopg reads %% as % only when parameters are given: always give some."""
    assert _bind("SELECT '100%'", None) == ("SELECT '100%%'", ())
