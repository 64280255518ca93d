"""Schema version 9: a row version on person and household; on PostgreSQL, the search indexes.

Why: on a PostgreSQL ledger several clerks work at once. A clerk who opened a person's form
before another clerk saved a change to that person must not overwrite it silently: the edit
carries the version it was read at and is refused when the row has moved on
(:class:`desktop_app.services.household_work.StaleEdit`). The version is bumped by the database
itself on every UPDATE of the row (a trigger), so no writer — form, import, correction, merge —
can forget it. The SQLite file has one writer, but the same column and the same rule keep the two
engines alike (a window left open over an import gets the same refusal).

On PostgreSQL only, for the search box at a million persons (``persons.search_clause``):

- ``pg_trgm`` GIN indexes serve ``ILIKE '%…%'`` on name, ID number, phone and household number
  for fragments of 3 characters or more;
- a trigram cannot be made from 1 or 2 characters, and Chinese names are 2 or 3 characters
  long: ``ledger_grams(text)`` lists every 1- and 2-character piece of a name (lower case), and a
  GIN index on it finds the persons whose name holds a 1–2 character fragment exactly
  (``ledger_grams(name) @> ARRAY[fragment]``, then the ILIKE itself);
- ``name_initials`` gets a ``text_pattern_ops`` index for its prefix LIKE (SQLite's GLOB).

Written against the tables as they are at version 7 (unchanged by 8), never against the models.
"""

from __future__ import annotations

import sqlite3

DESCRIPTION = "person/household row_version bumped on every update; PostgreSQL search indexes"

TABLES = ("person", "household")


def apply(conn: sqlite3.Connection) -> None:
    for table in TABLES:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN row_version INTEGER NOT NULL DEFAULT 0")
        # fires only when the statement did not set the version itself (recursive_triggers is
        # off: the trigger's own UPDATE does not fire it again)
        conn.execute(
            f"CREATE TRIGGER {table}_row_version AFTER UPDATE ON {table}"
            " WHEN NEW.row_version = OLD.row_version"
            f" BEGIN UPDATE {table} SET row_version = OLD.row_version + 1 WHERE id = NEW.id; END"
        )


GRAMS_FUNCTION = """CREATE FUNCTION ledger_grams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT COALESCE(array_agg(DISTINCT lower(substr(t, i, n))), '{}')
    FROM generate_series(1, length(t)) AS i, (VALUES (1), (2)) AS sizes(n)
    WHERE i + n - 1 <= length(t) $$"""

BUMP_FUNCTION = """CREATE FUNCTION ledger_bump_row_version() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.row_version = OLD.row_version THEN
            NEW.row_version := OLD.row_version + 1;
        END IF;
        RETURN NEW;
    END $$"""

SEARCH_INDEXES = (
    "CREATE INDEX person_name_trgm ON person USING gin (name public.gin_trgm_ops)",
    "CREATE INDEX person_id_number_trgm ON person USING gin (id_number public.gin_trgm_ops)",
    "CREATE INDEX person_phone_trgm ON person USING gin (phone public.gin_trgm_ops)",
    "CREATE INDEX household_number_trgm ON household USING gin (number public.gin_trgm_ops)",
    "CREATE INDEX household_head_id_number_trgm ON household USING gin (head_id_number public.gin_trgm_ops)",
    "CREATE INDEX person_name_grams ON person USING gin (ledger_grams(name))",
    "CREATE INDEX person_name_initials_pattern ON person (name_initials text_pattern_ops)",
)


def apply_postgresql(conn: object) -> None:
    for table in TABLES:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN row_version INTEGER NOT NULL DEFAULT 0")
    conn.execute_native(BUMP_FUNCTION)
    for table in TABLES:
        conn.execute_native(f"CREATE TRIGGER {table}_row_version BEFORE UPDATE ON {table}"
                            " FOR EACH ROW EXECUTE FUNCTION ledger_bump_row_version()")
    conn.execute_native("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    conn.execute_native(GRAMS_FUNCTION)
    for statement in SEARCH_INDEXES:
        conn.execute_native(statement)
