"""Is this file's schema exactly what the migrations make? A ledger trusts nothing in the file.

A backup from a stick or a ledger touched by another tool may carry an extra trigger (``AFTER
INSERT ON payment … DELETE FROM payment``), an extra view, a lost UNIQUE index or a loosened
CHECK; SQLite obeys all of them. :func:`schema_differences` compares the file's whole schema,
every row of ``sqlite_master`` (tables with their columns, types, defaults, CHECKs and foreign
keys, every index with its UNIQUE flag, triggers, views), with the schema the migrations 1..N
themselves make for the file's recorded version N, and describes each difference in Chinese.

The reference is built by running the runner's own :func:`migrate` on an in-memory database
(cached per version), so a new migration needs no change here. The comparison is on the SQL text
SQLite keeps (it parses the schema from exactly that text when it opens the file, so the text is
what is enforced), with whitespace outside string literals normalised; ``PRAGMA table_info`` and
``foreign_key_list`` only help to say *what* differs. ``sqlite_sequence`` and ``sqlite_stat*``
(made by SQLite itself for AUTOINCREMENT and ANALYZE) are not compared.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass

from peewee import SqliteDatabase

from desktop_app.store.errors import LedgerOpenError
from desktop_app.store.migrations.runner import LATEST_VERSION, current_version, migrate

KIND = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}
_LITERAL = re.compile(r"('(?:[^']|'')*')")
_SPACE_AROUND = re.compile(r"\s*([(),=<>])\s*")
_UNIQUE = re.compile(r"^CREATE\s+UNIQUE\s+INDEX\b", re.IGNORECASE)


@dataclass(frozen=True)
class SchemaObject:
    kind: str  # table, index, trigger, view
    name: str
    table: str  # tbl_name: the table an index or trigger belongs to
    sql: str  # normalised; "" for SQLite's own automatic indexes


def normalise(sql: str | None) -> str:
    """The statement with whitespace outside string literals collapsed (``'a  b'`` stays as is)."""
    if not sql:
        return ""
    parts = _LITERAL.split(sql)
    for i in range(0, len(parts), 2):  # even parts are outside literals
        parts[i] = _SPACE_AROUND.sub(r"\1", re.sub(r"\s+", " ", parts[i]))
    return "".join(parts).strip()


def read_schema(conn: sqlite3.Connection) -> dict[tuple[str, str], SchemaObject]:
    found: dict[tuple[str, str], SchemaObject] = {}
    for kind, name, table, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"):
        if name == "sqlite_sequence" or name.startswith("sqlite_stat"):
            continue
        found[(kind, name)] = SchemaObject(kind, name, table, normalise(sql))
    return found


_cache: dict[int, tuple[dict[tuple[str, str], SchemaObject], SqliteDatabase]] = {}
_cache_lock = threading.RLock()  # also held while the cached connection is read


def _reference(version: int) -> tuple[dict[tuple[str, str], SchemaObject], sqlite3.Connection]:
    """What migrations 1..version make, and the in-memory database they made it in (kept)."""
    with _cache_lock:
        if version not in _cache:
            database = SqliteDatabase(":memory:", pragmas={"foreign_keys": 1},
                                      check_same_thread=False, thread_safe=False)
            database.connect()
            migrate(database, target=version)
            _cache[version] = (read_schema(database.connection()), database)
        schema, database = _cache[version]
        return schema, database.connection()


def reference_schema(version: int) -> dict[tuple[str, str], SchemaObject]:
    return _reference(version)[0]


def _where(obj: SchemaObject) -> str:
    return f"（在表 {obj.table} 上）" if obj.kind in ("index", "trigger") else ""


def _columns(conn: sqlite3.Connection, table: str) -> dict[str, tuple]:
    return {row[1]: (row[2], bool(row[3]), row[4], row[5])
            for row in conn.execute(f'PRAGMA table_info("{table}")')}


def _foreign_keys(conn: sqlite3.Connection, table: str) -> set[tuple]:
    return {(row[3], row[2], row[4], row[5], row[6])
            for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')}


def _checks(sql: str) -> list[str]:
    """The ``CHECK (…)`` expressions of a (normalised) CREATE TABLE, literals kept whole."""
    found: list[str] = []
    parts = _LITERAL.split(sql)
    text = "".join(p if i % 2 == 0 else "\0" * len(p) for i, p in enumerate(parts))  # mask literals
    for match in re.finditer(r"\bCHECK\s*\(", text, re.IGNORECASE):
        depth, start = 0, match.end() - 1
        for pos in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[pos], 0)
            if depth == 0:
                found.append(sql[start:pos + 1])
                break
    return found


def _table_details(name: str, conn: sqlite3.Connection, ref_conn: sqlite3.Connection,
                   sql: str, ref_sql: str) -> list[str]:
    """What differs in a table whose definition is not the reference's, as precisely as known."""
    said: list[str] = []
    mine, ref = _columns(conn, name), _columns(ref_conn, name)
    for column in ref.keys() - mine.keys():
        said.append(f"少了列 {column}")
    for column in mine.keys() - ref.keys():
        said.append(f"多了列 {column}")
    for column in mine.keys() & ref.keys():
        (typ, notnull, default, pk), (rtyp, rnotnull, rdefault, rpk) = mine[column], ref[column]
        if typ != rtyp:
            said.append(f"列 {column} 的类型是 {typ or '（无）'}，应为 {rtyp or '（无）'}")
        if notnull != rnotnull:
            said.append(f"列 {column} {'多了' if notnull else '少了'} NOT NULL")
        if default != rdefault:
            said.append(f"列 {column} 的默认值是 {default}，应为 {rdefault}")
        if pk != rpk:
            said.append(f"列 {column} 的主键设定不同")
    if _foreign_keys(conn, name) != _foreign_keys(ref_conn, name):
        said.append("外键（引用哪张表、删除时怎么办）不同")
    checks, ref_checks = _checks(sql), _checks(ref_sql)
    for check in ref_checks:
        if check not in checks:
            said.append(f"少了检查约束 CHECK {check}")
    for check in checks:
        if check not in ref_checks:
            said.append(f"多了检查约束 CHECK {check}")
    return said or ["定义文字不同（如唯一约束、列的顺序）"]


def schema_differences(conn: sqlite3.Connection, version: int | None = None) -> list[str]:
    """Each way the file's schema differs from what the migrations make for its version, in Chinese.

    ``version`` defaults to the file's recorded one. A file newer than this program is not judged
    here (the caller refuses it as too new); [] means the schema is exactly right.
    """
    version = current_version(conn) if version is None else version
    if version > LATEST_VERSION:
        return []
    mine = read_schema(conn)
    if version == 0:
        if not mine:
            return []  # a new, empty file
        names = "、".join(sorted(obj.name for obj in mine.values() if obj.kind == "table")[:5])
        return [f"文件里有表（{names or '其他对象'}），却没有台账的数据结构版本记录：不是本程序建立的台账"]
    ref, ref_conn = _reference(version)
    said: list[str] = []
    for key in sorted(mine.keys() - ref.keys()):
        obj = mine[key]
        said.append(f"多了一个{KIND.get(obj.kind, obj.kind)} “{obj.name}”{_where(obj)}")
    for key in sorted(ref.keys() - mine.keys()):
        obj = ref[key]
        said.append(f"少了{KIND.get(obj.kind, obj.kind)} “{obj.name}”{_where(obj)}")
    for key in sorted(mine.keys() & ref.keys()):
        obj, want = mine[key], ref[key]
        if obj == want:
            continue
        kind = KIND.get(obj.kind, obj.kind)
        if obj.kind == "index" and _UNIQUE.match(want.sql) and not _UNIQUE.match(obj.sql):
            said.append(f"索引 “{obj.name}” 不再是唯一索引{_where(want)}")
        elif obj.kind == "index" and _UNIQUE.match(obj.sql) and not _UNIQUE.match(want.sql):
            said.append(f"索引 “{obj.name}” 被改成了唯一索引{_where(want)}")
        elif obj.kind == "table" and obj.table == want.table:
            with _cache_lock:
                details = _table_details(obj.name, conn, ref_conn, obj.sql, want.sql)
            said.append(f"表 {obj.name} 的定义不同：{'；'.join(details)}")
        else:
            said.append(f"{kind} “{obj.name}” 的定义不同{_where(want)}")
    return said


def tampered_message(differences: list[str], limit: int = 5, *, what: str = "台账文件") -> str:
    """One sentence for a refusal: the first few differences, and how many more."""
    shown = "；".join(differences[:limit])
    more = f"；另有{len(differences) - limit}处不同" if len(differences) > limit else ""
    return f"{what}被改动过：{shown}{more}"


def refuse_tampered(differences: list[str], not_opened: str, advice: str, *, what: str = "台账文件") -> None:
    """LedgerOpenError when a ledger's schema differs from what its migrations make (``differences``
    from either engine's check): ``not_opened`` says which ledger and that it is untouched, ``advice``
    who can help."""
    if differences:
        raise LedgerOpenError(f"{not_opened}。{tampered_message(differences, what=what)}。"
                              f"这样的台账可能悄悄改掉或删掉数据，{advice}。")
