"""Moving a township's ledger: a file into the county's database, and a township back out as a file.

``db copy --from ledger.sqlite --to postgresql://…`` and ``db copy --from postgresql://…
--township CODE --to ledger.sqlite`` are one operation, :func:`copy_township`: the township's
rows are read from the source and written into the target under the target's own ids.

What "several townships side by side" needs in this schema, and what was decided:

- **The region tree is keyed by code.** A township is the ``region`` of level ``township`` with
  that 9-digit code; it hangs under its county (6 digits, found or made by code), its villages
  under it (by 12-digit code, or by name for a village typed in by hand without one). A
  township without a code cannot be copied (it would have no key in a county database).
- **Persons are unique by ID number nation-wide** (``person.id_number`` UNIQUE). A person of the
  township whom the target already holds elsewhere is a real conflict (moved between townships?
  entered twice?) to settle by hand: the copy is refused with the ID numbers listed, nothing
  written. The same for household numbers (the ledger's own numbers start with the village's
  12-digit code and so differ between townships; a hand-made village's ``V004…`` numbers or a
  county's own numbers may collide), a household head's ID key, a payment's uid and a village
  code already used under another township.
- **Re-running is idempotent by refusal, not by update**: when the target already holds the
  township with persons, the copy compares the two (the counts, the charge sums and a digest of
  every row by natural keys: :mod:`services.db_copy_rows`). Identical: "already there", nothing
  written, success. Different: refused, nothing written. Updating a township in place (rows
  deleted or changed on either side, payments clerks recorded on the server meanwhile) is not
  done here: which side wins is a decision for people, not for a copy. ``replace=True``
  (``db copy --replace``) is that decision made: the file wins, the township's rows on the
  target are deleted and the file's copied in, in one transaction, refused when payments made
  on the server would be lost unless ``force`` (:mod:`services.db_copy_replace`).
- **Policies are per year, not per township**: a policy year the target lacks is copied with its
  category rules; one it holds must decide the same (standard, period, waiting rules, each
  category's subsidy), else the copy is refused naming the year.
- **Operators are global**: a payment's operator is kept by name; a name the target lacks is
  added as an inactive clerk without a password (the record of who took the money, not an
  account: an administrator activates it and sets a password if that person is to work there).
  Settings (the ledger's own facts: default year, a work copy's marker) are not copied; a
  village work copy is refused as a source.
- **Audit**: the source's chain is verified before anything is read (a broken chain is refused);
  the chains are not merged (each ledger has one chain): the target gets one entry naming who
  copied, from where and the counts.
- **Verified after each copy**: inside the target's transaction the township is read back and its
  figures must equal the source's, else everything rolls back. A new file is written under a
  temporary name and appears under its own only when all of that held; the target file must not
  exist yet.

The target's writes are bulk inserts with ids counted on (:mod:`store.bulk`: a few hundred rows
to an INSERT; on PostgreSQL the tables are locked against other writers for the copy).
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import peewee
import psycopg

from desktop_app.errors import UserError
from desktop_app.services import audit
from desktop_app.services.access import WORK_COPY_SETTING
from desktop_app.services.db_copy_replace import clear_township, hold_tables, lost_payments, refusal
from desktop_app.services.db_copy_rows import (
    Figures,
    TownshipRows,
    columns,
    figures,
    policy_terms,
    read_policies,
    read_township,
)
from desktop_app.store.bulk import IN_LIST, chunks, insert_rows, next_id
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import (
    CategoryMembership,
    CategoryRule,
    Enrollment,
    Household,
    Payment,
    Person,
    PolicyYear,
    Region,
)
from desktop_app.store.postgres import display_name, is_server_url

#: Items named in a refusal, at most.
SHOWN = 10


class CopyRefused(UserError):
    """The copy was not done (nothing written), with the reason."""


@dataclass(frozen=True)
class CopyResult:
    township_code: str
    township_name: str
    figures: Figures
    already_there: bool  # the target held the identical township: nothing written
    policies_added: int
    operators_added: int
    seconds: float
    replaced: dict[str, int] | None = None  # --replace: what of the old township was removed
    payments_dropped: int = 0  # --replace --force: payments made on the server, dropped


def where(target: Path | str) -> str:
    """A ledger named for messages: a file's name, or a server database as DBNAME@HOST."""
    return display_name(str(target)) if is_server_url(target) else Path(target).name


def copy_township(source: Path | str, target: Path | str, township: str | None = None, *,
                  replace: bool = False, force: bool = False) -> CopyResult:
    """Copy the township ``township`` (its 9-digit code; a file's only township by default) from
    the ledger ``source`` into the ledger ``target`` (a server database, or a new file).

    ``replace``: a different version of the township already in ``target`` is deleted and this
    one copied in its place (refused if payments made on the server would be lost, unless
    ``force``)."""
    started = time.perf_counter()
    if not is_server_url(target) and Path(target).exists():
        raise CopyRefused(f"“{target}”已经存在：迁出只写新的台账文件，没有覆盖")
    rows, policies, source_figures = _read_source(source, township)
    if is_server_url(target):
        written = _write(target, rows, policies, source_figures, source, replace, force)
    else:
        final = Path(target)
        partial = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.partial")
        try:
            written = _write(partial, rows, policies, source_figures, source)
            if os.name == "posix":
                os.chmod(partial, 0o600)
            os.replace(partial, final)
        finally:
            for leftover in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
    town = rows.township
    names = columns(Region)
    *flags, replaced, dropped = written
    return CopyResult(town[names.index("code")], town[names.index("name")], source_figures, *flags,
                      seconds=time.perf_counter() - started, replaced=replaced, payments_dropped=dropped)


def _read_source(source: Path | str, code: str | None) -> tuple[TownshipRows, dict, Figures]:
    database = open_database(source, read_only=True)
    try:
        conn = database.connection()
        with database.atomic():
            if is_server_url(source):  # one consistent snapshot while clerks work on
                database.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            broken = audit.verify_chain(conn)
            if broken is not None:
                raise CopyRefused(f"“{where(source)}”的操作日志校验不通过（{broken}），没有迁移；请先检查这个台账")
            if conn.execute("SELECT 1 FROM setting WHERE key = ?", (WORK_COPY_SETTING,)).fetchone():
                raise CopyRefused(f"“{where(source)}”是村级工作副本，不能迁移；请迁移乡镇的台账")
            town_id = _find_township(conn, source, code)
            rows = read_township(conn, town_id)
            _refuse_strays(rows, source)
            policies = read_policies(conn)
            if not is_server_url(source):  # a township's file: every person must go with it
                total = conn.execute("SELECT COUNT(*) FROM person").fetchone()[0]
                if total != len(rows.persons):
                    raise CopyRefused(f"“{where(source)}”里有{total - len(rows.persons)}人的村不在乡镇下面，"
                                      "没有迁移；请先在台账里给这些村设好乡镇")
    finally:
        close_database()
        database.close()
    return rows, policies, figures(rows)


def _refuse_strays(rows: TownshipRows, source: Path | str) -> None:
    """CopyRefused when an enrollment of the township counts its person in a village of another
    township (a person who moved between townships on the server): whose year that is, is for
    people to settle, and the copy would have no village to put it in."""
    villages = {v[0] for v in rows.villages}
    at = columns(Enrollment).index("village_id")
    strays = sum(1 for e in rows.enrollments if e[at] not in villages)
    if strays:
        raise CopyRefused(f"“{where(source)}”里这个乡镇有{strays}条参保登记记在别的乡镇的村，没有迁移；"
                          "请先核对这些人是哪个乡镇的")


def _find_township(conn: object, source: Path | str, code: str | None) -> int:
    found = conn.execute("SELECT id, code, name FROM region WHERE level = 'township' ORDER BY id").fetchall()
    if code is not None:
        match = [row for row in found if row[1] == code]
        if not match:
            raise CopyRefused(f"“{where(source)}”里没有代码为{code}的乡镇，没有迁移")
        return match[0][0]
    if not found:
        raise CopyRefused(f"“{where(source)}”里还没有乡镇（请先设定乡镇名称和代码），没有迁移")
    if len(found) > 1:
        listed = "、".join(f"{row[2]}（{row[1] or '无代码'}）" for row in found[:SHOWN])
        raise CopyRefused(f"“{where(source)}”里有{len(found)}个乡镇：{listed}；请用 --township 代码 指明迁哪一个")
    if not found[0][1]:
        raise CopyRefused(f"乡镇“{found[0][2]}”还没有代码，县里的数据库按乡镇代码区分乡镇；"
                          "请先设定乡镇代码（init --township 名称 --township-code 代码）再迁移")
    return found[0][0]


def _write(target: Path | str, rows: TownshipRows, policies: dict, expected: Figures,
           source: Path | str, replace: bool = False, force: bool = False) -> tuple:
    database = open_database(target)
    try:
        with _raced(target):
            return _write_into(database, target, rows, policies, expected, source, replace, force)
    finally:
        close_database()
        database.close()


@contextmanager
def _raced(target: Path | str) -> Iterator[None]:
    """A key taken by another writer between the checks and the inserts (two copies of one township
    at once, a clerk adding the same person meanwhile): refused, everything rolled back."""
    try:
        yield
    except (peewee.IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError) as exc:
        raise CopyRefused(f"写入“{where(target)}”时有别人同时写进了同样的人员或户（{str(exc).splitlines()[0]}），"
                          "已全部撤销；请稍后再迁移一次") from exc


def _write_into(database: object, target: Path | str, rows: TownshipRows, policies: dict, expected: Figures,
                source: Path | str, replace: bool, force: bool) -> tuple:
    conn = database.connection()
    replaced, dropped = None, []
    with database.atomic():
        names = columns(Region)
        code = rows.township[names.index("code")]
        existing = conn.execute("SELECT id FROM region WHERE code = ?", (code,)).fetchone()
        if existing and conn.execute(
                "SELECT 1 FROM household h JOIN region v ON v.id = h.village_id WHERE v.parent_id = ?",
                (existing[0],)).fetchone():
            there = figures(read_township(conn, existing[0]))
            if there == expected:
                return True, 0, 0, None, 0
            if not replace:
                raise CopyRefused(_differs(code, where(target), expected, there))
            hold_tables(conn)
            dropped = lost_payments(conn, existing[0], rows)
            if dropped and not force:
                raise CopyRefused(refusal(code, where(target), dropped))
            replaced = clear_township(conn, existing[0], rows)
        new_policies = _check_policies(conn, policies, target)
        _refuse_collisions(conn, rows, target, existing[0] if existing else None)
        added_policies = _insert_policies(conn, policies, new_policies)
        town_id, village_ids = _place_regions(conn, rows, existing[0] if existing else None)
        operators_added = _copy_rows(conn, rows, village_ids)
        got = figures(read_township(conn, town_id))
        if got != expected:
            raise CopyRefused(f"迁移后核对不一致（应为{expected.counts()}，实为{got.counts()}），已全部撤销")
        if replaced is not None:
            audit.record("replace", "region", town_id, {"township": code, **replaced}, {
                "from": where(source), "payments_dropped": [
                    {"uid": uid, "id_number": number, "year": year, "amount_fen": amount, "paid_on": str(paid_on)}
                    for uid, number, _name, year, amount, paid_on in dropped]})
        audit.record("copy-in", "region", town_id, None, {
            "from": where(source), "township": code, **expected.counts(),
            "policies_added": added_policies, "operators_added": operators_added})
    return False, added_policies, operators_added, replaced, len(dropped)


def _differs(code: str, target: str, mine: Figures, there: Figures) -> str:
    changed = [f"{name} {there.counts()[name]}→{value}" for name, value in mine.counts().items()
               if there.counts()[name] != value]
    return (f"“{target}”里已经有乡镇{code}，内容和要迁入的不一样（{'，'.join(changed) or '人员或缴费的内容不同'}），"
            "没有写入任何数据。迁移不会覆盖已有的乡镇；请先确定以哪一份为准")


def _check_policies(conn: object, policies: dict, target: Path | str) -> list[int]:
    """The policy years the target lacks; CopyRefused when it holds one that decides differently."""
    theirs = read_policies(conn)
    different = [year for year in policies if year in theirs and policy_terms(policies[year]) != policy_terms(theirs[year])]
    if different:
        raise CopyRefused(f"“{where(target)}”里{'、'.join(map(str, different))}年度的政策和要迁入的台账不一样，"
                          "没有写入任何数据；同一年度全县只能有一套政策，请先核对政策文件")
    return [year for year in policies if year not in theirs]


def _refuse_collisions(conn: object, rows: TownshipRows, target: Path | str, town_id: int | None) -> None:
    """CopyRefused naming the keys of the township that the target holds already (elsewhere)."""
    def pick(model: type, records: list[tuple], name: str) -> list[str]:
        index = columns(model).index(name)
        return [r[index] for r in records if r[index] is not None]

    checks = (
        ("身份证号", "person", "id_number", pick(Person, rows.persons, "id_number")),
        ("户编号", "household", "number", pick(Household, rows.households, "number")),
        ("户主身份证号", "household", "head_id_number", pick(Household, rows.households, "head_id_number")),
        ("缴费记录编号", "payment", "uid", pick(Payment, rows.payments, "uid")),
        ("村代码", "region", "code", pick(Region, rows.villages, "code")),
    )
    # the township's own villages (made there before its persons came) are no collision
    mine = "" if town_id is None else f" AND (parent_id IS NULL OR parent_id <> {int(town_id)})"
    problems = []
    for label, table, column, keys in checks:
        taken = _taken(conn, table, column, keys, mine if table == "region" else "")
        if taken:
            taken.sort()
            more = f"等{len(taken)}个" if len(taken) > SHOWN else ""
            problems.append(f"{label}{'、'.join(taken[:SHOWN])}{more}")
    if problems:
        raise CopyRefused(f"“{where(target)}”里已经有这些（属于别的乡镇）：{'；'.join(problems)}。"
                          "没有写入任何数据；请先查清是同一个人（户）重复登记还是迁移了乡镇")


def _taken(conn: object, table: str, column: str, keys: list[str], also: str) -> list[str]:
    """Which of ``keys`` the target's ``table.column`` holds (``also``: a further condition).
    PostgreSQL: the keys COPYed into a temporary table and joined (100,000 ID numbers: one
    statement instead of 112 ``IN`` lists, 2.1 s → a few tenths for all five keys)."""
    if isinstance(conn, sqlite3.Connection) or len(keys) <= IN_LIST:
        taken: list[str] = []
        for chunk in chunks(keys):
            marks = ",".join("?" * len(chunk))
            taken.extend(row[0] for row in conn.execute(
                f'SELECT "{column}" FROM "{table}" WHERE "{column}" IN ({marks}){also}', tuple(chunk)))
        return taken
    conn.execute("CREATE TEMPORARY TABLE IF NOT EXISTS copy_keys (key text) ON COMMIT DROP")
    conn.execute("TRUNCATE copy_keys")
    with conn.cursor().copy("COPY copy_keys (key) FROM STDIN") as copy:
        for key in keys:
            copy.write_row((key,))
    return [row[0] for row in conn.execute(
        f'SELECT "{column}" FROM "{table}" JOIN copy_keys ON key = "{column}" WHERE TRUE{also}')]


def _insert_policies(conn: object, policies: dict, years: list[int]) -> int:
    for year in years:
        head, rules = policies[year]
        _insert(conn, "policy_year", columns(PolicyYear), [head])
        rule_cols = columns(CategoryRule)[1:]  # new ids
        _insert(conn, "category_rule", rule_cols, [r[1:] for r in rules])
    return len(years)


def _insert(conn: object, table: str, cols: list[str], records: list[tuple]) -> int:
    """``records`` into ``table`` by the store's bulk writer: multi-row INSERTs on SQLite, ``COPY …
    FROM STDIN`` on PostgreSQL (measured for 20,000 persons: the inserts 2.9 s as 200-row INSERTs,
    COPY a fraction of it), the id sequence moved past written ids."""
    if not records:
        return 0
    return insert_rows(conn, f'INSERT INTO {table} ({", ".join(cols)})', f"({', '.join('?' * len(cols))})",
                       records)


def _region_id(conn: object, record: tuple, parent_id: int | None) -> int:
    """The target's region for ``record`` (by code, or by name under the parent), made if missing."""
    names = columns(Region)
    code, name, level = (record[names.index(c)] for c in ("code", "name", "level"))
    found = (conn.execute("SELECT id FROM region WHERE code = ?", (code,)).fetchone() if code else
             conn.execute("SELECT id FROM region WHERE name = ? AND level = ? AND parent_id IS ?"
                          if isinstance(conn, sqlite3.Connection) else
                          "SELECT id FROM region WHERE name = ? AND level = ? AND parent_id IS NOT DISTINCT FROM ?",
                          (name, level, parent_id)).fetchone())
    if found:
        return found[0]
    new = next_id(conn, "region")
    _insert(conn, "region", names, [(new, code, name, level, parent_id)])
    return new


def _place_regions(conn: object, rows: TownshipRows, town_id: int | None) -> tuple[int, dict[int, int]]:
    county_id = _region_id(conn, rows.county, None) if rows.county else None
    if town_id is None:
        town_id = _region_id(conn, rows.township, county_id)
    return town_id, {v[0]: _region_id(conn, v, town_id) for v in rows.villages}


def _renumbered(conn: object, table: str, records: list[tuple]) -> dict[int, int]:
    start = next_id(conn, table)
    return {record[0]: start + index for index, record in enumerate(records)}


def _copy_rows(conn: object, rows: TownshipRows, village_ids: dict[int, int]) -> int:
    """The township's households, persons, categories, enrollments and payments under new ids;
    returns how many operators were added."""
    hh_cols, p_cols, c_cols = columns(Household), columns(Person), columns(CategoryMembership)
    e_cols, pay_cols = columns(Enrollment), columns(Payment)

    def swapped(cols: list[str], records: list[tuple], ids: dict[int, int], maps: dict[str, dict]) -> list[tuple]:
        at = {cols.index(name): mapping for name, mapping in maps.items()}
        out = []
        for record in records:
            values = list(record)
            values[0] = ids[record[0]] if ids else None
            for index, mapping in at.items():
                if values[index] is not None:
                    values[index] = mapping[values[index]]
            out.append(tuple(values))
        return out

    households = _renumbered(conn, "household", rows.households)
    _insert(conn, "household", hh_cols, swapped(hh_cols, rows.households, households, {"village_id": village_ids}))
    persons = _renumbered(conn, "person", rows.persons)
    _insert(conn, "person", p_cols, swapped(p_cols, rows.persons, persons, {"household_id": households}))
    _insert(conn, "category_membership", c_cols[1:],
            [r[1:] for r in swapped(c_cols, rows.categories, {}, {"person_id": persons})])
    _insert(conn, "enrollment", e_cols[1:],
            [r[1:] for r in swapped(e_cols, rows.enrollments, {}, {"person_id": persons, "village_id": village_ids})])
    operators, added = _operators(conn, rows, pay_cols)
    payments = _renumbered(conn, "payment", rows.payments)
    _insert(conn, "payment", pay_cols, swapped(pay_cols, rows.payments, payments, {
        "person_id": persons, "reverses_id": payments, "operator_id": operators}))
    return added


def _operators(conn: object, rows: TownshipRows, pay_cols: list[str]) -> tuple[dict[int, int], int]:
    """The target's operator id for each source operator who recorded a payment (module docstring)."""
    used = {r[pay_cols.index("operator_id")] for r in rows.payments} - {None}
    theirs = {name: oid for oid, name in conn.execute("SELECT id, name FROM operator")}
    missing = sorted({rows.operators[oid] for oid in used} - set(theirs))
    if missing:
        start = next_id(conn, "operator")
        made = time.strftime("%Y-%m-%d %H:%M:%S")
        _insert(conn, "operator", ["id", "name", "role", "password_hash", "active", "created_at", "failed_attempts",
                                   "villages"],
                [(start + i, name, "clerk", "", False, made, 0, "") for i, name in enumerate(missing)])
        theirs.update({name: start + i for i, name in enumerate(missing)})
    return {oid: theirs[rows.operators[oid]] for oid in used}, len(missing)

