"""The whole-schema check on a PostgreSQL ledger: its catalog against what the migrations make.

The counterpart of :mod:`desktop_app.store.schema_check` (which compares a file's
``sqlite_master``). Read from ``pg_catalog`` for the ledger's schema (``current_schema()``):
each table's columns (type, NOT NULL, default, identity) and constraints (primary and unique
keys, foreign keys with their ON DELETE, CHECKs), every index with its definition (UNIQUE
included), triggers (and whether enabled), rules, views, functions and sequences. Objects that
belong to an extension (pg_trgm's functions in ``public``) are the DBA's and not compared.

The reference is made by running the runner's own :func:`migrate` up to the ledger's version in a
scratch schema inside a transaction that is rolled back (nothing stays behind; the connecting
role needs the right to create a schema, as it needs to own the ledger's), cached per version and
server version. Both are read with ``search_path`` set to the schema read, so PostgreSQL prints
names unqualified and the two compare as text.
"""

from __future__ import annotations

import re
import threading
import uuid

from peewee import Database

from desktop_app.store.migrations.runner import LATEST_VERSION, current_version, migrate
from desktop_app.store.schema_check import KIND, SchemaObject

KIND_PG = {**KIND, "function": "函数", "sequence": "序列", "rule": "规则"}

_NOT_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.objid = {oid} AND e.deptype = 'e')"

_QUERIES = {
    "column": (
        "SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,"
        " pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity"
        " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a"
        "  ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
        " WHERE c.relnamespace = %s AND c.relkind IN ('r', 'p', 'f') ORDER BY c.relname, a.attnum"
    ),
    "constraint": (
        "SELECT t.relname, con.conname, pg_catalog.pg_get_constraintdef(con.oid)"
        " FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class t ON t.oid = con.conrelid"
        " WHERE t.relnamespace = %s"
    ),
    "table": (
        "SELECT c.relname, c.relname, c.relkind::text || CASE WHEN c.relrowsecurity THEN ' rls' ELSE '' END"
        " FROM pg_catalog.pg_class c WHERE c.relnamespace = %s AND c.relkind IN ('r', 'p', 'f')"
        " AND " + _NOT_EXTENSION.format(oid="c.oid")
    ),
    "index": (
        "SELECT i.relname, t.relname, pg_catalog.pg_get_indexdef(i.oid)"
        " FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid"
        " JOIN pg_catalog.pg_class t ON t.oid = x.indrelid WHERE t.relnamespace = %s"
    ),
    "trigger": (
        "SELECT g.tgname, t.relname, pg_catalog.pg_get_triggerdef(g.oid) || ' ' || g.tgenabled::text"
        " FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class t ON t.oid = g.tgrelid"
        " WHERE NOT g.tgisinternal AND t.relnamespace = %s"
    ),
    "rule": (
        "SELECT r.rulename, t.relname, pg_catalog.pg_get_ruledef(r.oid)"
        " FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class t ON t.oid = r.ev_class"
        " WHERE r.rulename <> '_RETURN' AND t.relnamespace = %s"
    ),
    "view": (
        "SELECT c.relname, c.relname, c.relkind::text || ' ' || pg_catalog.pg_get_viewdef(c.oid)"
        " FROM pg_catalog.pg_class c WHERE c.relnamespace = %s AND c.relkind IN ('v', 'm')"
        " AND " + _NOT_EXTENSION.format(oid="c.oid")
    ),
    "function": (
        "SELECT p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', '',"
        " concat_ws(' ', pg_catalog.pg_get_function_result(p.oid), l.lanname, p.prokind::text,"
        "  p.provolatile::text, p.prosecdef::text, p.proconfig::text, md5(p.prosrc))"
        " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang"
        " WHERE p.pronamespace = %s AND " + _NOT_EXTENSION.format(oid="p.oid")
    ),
    "sequence": (
        "SELECT c.relname, '', 'sequence' FROM pg_catalog.pg_class c"
        " WHERE c.relnamespace = %s AND c.relkind = 'S' AND " + _NOT_EXTENSION.format(oid="c.oid")
    ),
}


def read_catalog(conn: object) -> dict[tuple[str, str], SchemaObject]:
    """The objects of ``current_schema()``, as comparable text; run with ``search_path`` set to
    that schema alone (inside a transaction: ``SET LOCAL``)."""
    schema_oid, schema = conn.execute(
        "SELECT current_schema()::regnamespace::oid, quote_ident(current_schema())").fetchone()
    found: dict[tuple[str, str], SchemaObject] = {}
    for kind, query in _QUERIES.items():
        rows = conn.execute(query, (schema_oid,)).fetchall()
        if kind == "column":
            for table, column, typ, notnull, default, identity in rows:
                text = " ".join(x for x in (typ, "NOT NULL" if notnull else "",
                                            f"DEFAULT {default}" if default else "",
                                            {"a": "IDENTITY ALWAYS", "d": "IDENTITY"}.get(identity, "")) if x)
                found[(kind, f"{table}.{column}")] = SchemaObject(kind, column, table, text)
        elif kind == "constraint":
            for table, name, definition in rows:
                found[(kind, f"{table}.{name}")] = SchemaObject(kind, name, table, definition)
        else:
            for name, table, definition in rows:
                if kind == "index":  # pg_get_indexdef names the table with its schema, always
                    definition = definition.replace(f" ON {schema}.", " ON ", 1)
                    # an extension's operator class (pg_trgm's, in public) is named with its
                    # schema when public is not on the search_path (the scratch reference)
                    definition = re.sub(r"\bpublic\.(\w+_ops)\b", r"\1", definition)
                if kind == "trigger":  # pg_get_triggerdef too
                    definition = definition.replace(f" ON {schema}.", " ON ", 1)
                found[(kind, name)] = SchemaObject(kind, name, table, definition)
    return found


_cache: dict[tuple[int, int], dict[tuple[str, str], SchemaObject]] = {}
_cache_lock = threading.Lock()


def _in_schema(database: Database, schema: str, work):
    """``work(conn)`` inside a transaction whose search_path is ``schema`` alone."""
    conn = database.connection()
    with database.atomic():
        conn.execute(f'SET LOCAL search_path = "{schema}"')
        return work(conn)


def reference_catalog(database: Database, version: int) -> dict[tuple[str, str], SchemaObject]:
    """What migrations 1..version make, built in a scratch schema that is rolled back."""
    conn = database.connection()
    key = (conn.info.server_version, version)
    with _cache_lock:
        if key not in _cache:
            scratch = f"ledger_reference_{uuid.uuid4().hex[:12]}"
            with database.atomic() as transaction:
                # a read-only ledger's connections default to read-only transactions; this one
                # is rolled back, so it may build the reference
                conn.execute("SET TRANSACTION READ WRITE")
                conn.execute(f'CREATE SCHEMA "{scratch}"')
                conn.execute(f'SET LOCAL search_path = "{scratch}"')
                migrate(database, target=version)
                _cache[key] = read_catalog(conn)
                transaction.rollback()  # the scratch schema goes with it
        return _cache[key]


def schema_differences_pg(database: Database, version: int | None = None) -> list[str]:
    """Each way the ledger's schema on the server differs from what the migrations make for its
    version, in Chinese; [] when it is exactly right (or the database is empty, or newer)."""
    conn = database.connection()
    version = current_version(conn) if version is None else version
    if version > LATEST_VERSION:
        return []
    schema = conn.execute("SELECT current_schema()").fetchone()[0]
    mine = _in_schema(database, schema, read_catalog)
    if version == 0:
        tables = sorted(obj.name for obj in mine.values() if obj.kind == "table")
        if not tables:
            return []
        return [f"数据库里有表（{'、'.join(tables[:5])}），却没有台账的数据结构版本记录：不是本程序建立的台账"]
    ref = reference_catalog(database, version)
    return describe(mine, ref)


def _where(obj: SchemaObject) -> str:
    return f"（在表 {obj.table} 上）" if obj.kind in ("index", "trigger", "rule") else ""


def describe(mine: dict[tuple[str, str], SchemaObject], ref: dict[tuple[str, str], SchemaObject]) -> list[str]:
    said: list[str] = []
    tables = {obj.name for obj in mine.values() if obj.kind == "table"} & {
        obj.name for obj in ref.values() if obj.kind == "table"}
    details: dict[str, list[str]] = {}
    for key in sorted(mine.keys() | ref.keys()):
        obj, want = mine.get(key), ref.get(key)
        if obj == want:
            continue
        some = obj or want
        if some.kind in ("column", "constraint"):
            if some.table not in tables:
                continue  # the whole table is extra or missing: said once below
            word = "列" if some.kind == "column" else "约束"
            if want is None:
                details.setdefault(some.table, []).append(f"多了{word} {some.name}（{obj.sql}）")
            elif obj is None:
                details.setdefault(some.table, []).append(f"少了{word} {some.name}（{want.sql}）")
            else:
                details.setdefault(some.table, []).append(f"{word} {some.name} 是 {obj.sql}，应为 {want.sql}")
            continue
        kind = KIND_PG.get(some.kind, some.kind)
        if want is None:
            said.append(f"多了一个{kind} “{some.name}”{_where(some)}")
        elif obj is None:
            said.append(f"少了{kind} “{some.name}”{_where(some)}")
        elif some.kind == "index" and " UNIQUE " in f" {want.sql} " and " UNIQUE " not in f" {obj.sql} ":
            said.append(f"索引 “{some.name}” 不再是唯一索引{_where(want)}")
        else:
            said.append(f"{kind} “{some.name}” 的定义不同{_where(want)}")
    for table in sorted(details):
        said.append(f"表 {table} 的定义不同：{'；'.join(details[table])}")
    return said
