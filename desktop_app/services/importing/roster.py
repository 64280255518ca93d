"""A roster (花名册 / 参保台账): households and persons, checked (:func:`check`) and written (:func:`write`).

The check is the hot loop of every import (100,000 rows; benchmarks/bench_exchange.py). A
roster repeats its villages, relations, sexes, categories, statuses, household numbers and
addresses thousands of times: rows are taken a chunk at a time, :func:`picker` turns the chunk
into columns (C-level ``itemgetter`` and ``zip``) and a :class:`ColumnParser` parses each
column, finding the distinct cells with ``set`` and spreading the results back with ``map``
(both in C), so that a parser runs once per distinct cell; then each row is decided in order,
so that warnings and refusals come row by row as a person reads the sheet. The columns and
their parsers are one table (:func:`_column_table`); a row's parsed cells are a named tuple
named after those fields. A cell its parser refuses is kept in its place as a :class:`Failed`.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import groupby, islice
from operator import itemgetter
from typing import Any, NamedTuple

from desktop_app.domain.charges import compute_charge
from desktop_app.domain.payment_rules import payment_date_refusal, payment_verdict
from desktop_app.domain.pinyin import name_initials
from desktop_app.domain.pinyin import preload as preload_pinyin
from desktop_app.domain.policy import Policy
from desktop_app.domain.statuses import read_status_cell
from desktop_app.exchange import (
    CellError,
    DataRows,
    Field,
    clean_name,
    clean_text,
    id_warning,
    parse_amount_fen,
    parse_code,
    parse_date,
    parse_id_cell,
    parse_phone,
    split_multi,
)
from desktop_app.exchange.reading import Cell, Row
from desktop_app.services import audit
from desktop_app.services.charges import ensure_enrollments, insert_enrollments
from desktop_app.services.importing import statuses
from desktop_app.services.importing.common import (
    Failed,
    ImportPlan,
    Reader,
    Reject,
    category_resolver,
    held_categories,
    ledger_persons,
    now,
)
from desktop_app.services.importing.households import (
    Households,
    household_of,
    one_village_per_household,
    village_ids,
    write_households,
)
from desktop_app.services.ledger import ServiceError
from desktop_app.services.payments import collection_start
from desktop_app.services.policy import policy_for_year
from desktop_app.store import bulk
from desktop_app.store.models import db


class RosterRow(NamedTuple):
    """A roster row ready to write."""

    id_number: str
    name: str
    sex: str
    birth_date: dt.date
    relation: str
    phone: str
    village: str
    household_number: str
    head_name: str
    address: str
    categories: tuple[str, ...] = ()
    recorded_status: str | None = None
    status_reason: str = ""
    paid_fen: int | None = None
    paid_on: dt.date | None = None
    person_id: int | None = None  # set for a person already in the ledger
    changes: dict[str, tuple[Any, Any]] | None = None  # field → (in the ledger, in the file); None: none
    clear_status: bool = False  # 未缴费 clears the status carried from last year (importing.statuses)


# ---------------------------------------------------------------------------------- check

_SEX_BY_NAME = {"男": "M", "女": "F"}
_NOT_A_CATEGORY = frozenset({"普通居民", "无", "一般人员"})
_COMPARED = ("name", "phone", "household_number", "relation", "village")
#: Rows checked together, column by column (a few MB of cells at a time).
CHUNK_ROWS = 4096
#: A column's remembered cells are forgotten beyond this many (a column of unique phones must
#: not grow without bound on a million-row file).
MEMO_LIMIT = 1 << 16


def _checked(function: Callable[[Cell], object], cell: Cell) -> object:
    try:
        return function(cell)
    except CellError as exc:
        return Failed(exc)


class ColumnParser:
    """A parser applied to a column of cells, each distinct cell once.

    A column of one type is remembered across chunks (per type: 1, 1.0 and True are equal keys
    but different cells); a column of mixed types is parsed cell by cell.
    """

    def __init__(self, function: Callable[[Cell], object]) -> None:
        self.function = function
        self.seen: dict[type, dict[Cell, object]] = {}

    def __call__(self, cells: tuple[Cell, ...]) -> list[object]:
        function = self.function
        kinds = set(map(type, cells))
        if len(kinds) == 1:
            keys: tuple[Cell, ...] | list[tuple[type, Cell]] = cells
            known = self.seen.setdefault(kinds.pop(), {})
        else:  # e.g. dates and "" (empty cells): keyed by (type, cell)
            keys = list(zip(map(type, cells), cells))
            known = self.seen.setdefault(tuple, {})
        if len(known) > MEMO_LIMIT:
            known.clear()
        for key in set(keys).difference(known):
            known[key] = _checked(function, key if keys is cells else key[1])
        return list(map(known.__getitem__, keys))


def picker(rows: DataRows, fields: Sequence[Field]) -> Callable[[list[Row]], list[tuple[Cell, ...]]]:
    """A function from some raw rows to their cells of ``fields``, column by column, a column
    of "" for a field the sheet has no column for."""
    where = rows.header.fields
    indexes = [where.get(field) for field in fields]
    present = [index for index in indexes if index is not None]
    pick = itemgetter(*present, *present[:1])  # one more, so that a single column is a tuple too

    def columns(raws: list[Row]) -> list[tuple[Cell, ...]]:
        found = iter(zip(*map(pick, raws)))
        empty = ("",) * len(raws)
        return [empty if index is None else next(found) for index in indexes]

    return columns


def _column_table(today: dt.date, resolve: Callable[[str], str | None]) -> dict[Field, Callable[[Cell], object]]:
    """The roster's columns: the field each is read from → its parser (a cell → a value; a
    :class:`CellError` is kept as :class:`Failed`). A row's parsed cells are read by field name
    (``cells.id_number``); a field the sheet lacks reads as a parsed empty cell.

    (ID numbers are all different in a good file, but a bad one repeats its empty or damaged
    ones a million times: remembered like the rest.)"""

    def categories_of(cell: Cell) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(category codes, texts nobody recognised) of a category cell."""
        codes: list[str] = []
        unknown: list[str] = []
        for text in split_multi(cell):
            if text in _NOT_A_CATEGORY:
                continue
            code = resolve(text)
            if code is None:
                unknown.append(text)
            elif code not in codes:
                codes.append(code)
        return tuple(codes), tuple(unknown)

    def head_id_of(cell: Cell) -> str | None:
        if cell == "" or cell is None:
            return None
        return parse_id_cell(cell, Field.HEAD_ID_NUMBER, today=today).number

    return {
        Field.ID_NUMBER: partial(parse_id_cell, today=today),
        Field.NAME: clean_name,
        Field.RELATION: clean_text,
        Field.VILLAGE: clean_text,
        Field.HEAD_NAME: clean_name,
        Field.HOUSEHOLD_NUMBER: partial(parse_code, field=Field.HOUSEHOLD_NUMBER),
        Field.HEAD_ID_NUMBER: head_id_of,
        Field.PHONE: parse_phone,
        Field.SEX: clean_text,
        Field.BIRTH_DATE: partial(parse_date, field=Field.BIRTH_DATE),
        Field.CATEGORY: categories_of,
        Field.STATUS: lambda cell: read_status_cell(clean_text(cell)),
        Field.REMARK: clean_text,
        Field.AMOUNT_PAID: partial(parse_amount_fen, field=Field.AMOUNT_PAID),
        Field.PAYMENT_DATE: partial(parse_date, field=Field.PAYMENT_DATE),
        Field.ADDRESS: clean_text,
    }


def check(reader: Reader, policy: Policy) -> None:
    """Every roster row checked and matched, as DOMAIN.md section 7 says, into ``reader.plan``."""
    preload_pinyin()  # new persons get name initials when written
    plan = reader.plan
    known = ledger_persons()
    held = held_categories(plan.year)
    enrolled = {
        pid: (status, bool(paid), paid_fen)
        for pid, status, paid, paid_fen in db.execute_sql(
            """SELECT e.person_id, e.status, EXISTS (SELECT 1 FROM payment y WHERE y.person_id = e.person_id
                                                      AND y.year = e.year), e.paid_fen
               FROM enrollment e WHERE e.year = ?""",
            (plan.year,),
        )
    }
    status_rules = statuses.RosterStatuses(policy, enrolled, held)
    start = collection_start(plan.year)
    table = _column_table(reader.today, category_resolver(policy))
    fields = tuple(table)
    parsers = [ColumnParser(parse) for parse in table.values()]
    cells_of = namedtuple("RosterCells", [f.value for f in fields])  # type: ignore[misc]  # made from the table
    new, updated, rejected = plan.new, plan.updated, plan.rejected
    seen: dict[str, tuple[str, int]] = {}  # ID number → (sheet, row) of its first row
    # household key → its accepted rows (one_village_per_household), without their raw cells: kept for
    # every row they held a whole sheet twice over outside calamine (100,000 rows grew by 328 MB, not 200)
    homes: dict[str, list[tuple]] = {}
    current_head: dict[str, tuple[str, str]] = {}  # sheet → (household number, head name) of the last 户主

    def warn(field: Field, reason: str, number: str) -> None:
        """A warning on the row being decided (the loop's variables, read when called)."""
        plan.warnings.append(reader.issue_at(rows, row_number, raw, field, reason, number))

    for rows, records in groupby(reader.records(), key=itemgetter(0)):
        columns_of = picker(rows, fields)
        sheet, sheet_village = rows.sheet.name, rows.sheet_village or ""
        while chunk := list(islice(records, CHUNK_ROWS)):
            columns = [parse(column) for parse, column in zip(parsers, columns_of(list(map(itemgetter(2), chunk))))]
            for (_rows, row_number, raw), cells in zip(chunk, map(cells_of, *columns)):
                try:
                    person, existing = _person(cells, sheet, row_number, sheet_village, plan.year, seen,
                                               current_head, known, warn)
                except Reject as exc:
                    rejected.append(reader.issue_at(rows, row_number, raw, exc.field, exc.reason))
                    continue
                person = status_rules.apply(person, cells.status, cells.remark, warn)
                if person.paid_fen and person.paid_on:
                    person = _payment_judged(person, policy, held, enrolled, reader.today, start, warn)
                home = homes.setdefault(person.household_number, [])
                if existing is None:
                    home.append((person.village, person.relation == "户主", rows, row_number, len(new), False))
                    new.append(person)
                    continue
                has_payment = enrolled.get(person.person_id, (None, False, 0))[1]
                extra = (
                    set(person.categories) - held.get(person.person_id, set())
                    or status_rules.changes(person)
                    or (person.paid_fen and not has_payment)
                )
                if person.changes or extra:
                    home.append((person.village, person.relation == "户主", rows, row_number, ~len(updated),
                                 bool(extra)))
                    updated.append(person)
                else:
                    home.append((person.village, person.relation == "户主", rows, row_number, person, False))
                    plan.unchanged += 1
    one_village_per_household(reader, homes)


def _payment_judged(person: RosterRow, policy: Policy, held: dict[int, set[str]], enrolled: dict,
                    today: dt.date, start: dt.date | None, warn: Callable[[Field, str, str], None]) -> RosterRow:
    """A roster row's 已缴金额 judged as the desk and the payments import judge a payment (one
    domain rule each: the date, then the amount against what the person owes): a payment they
    refuse is not imported, with a warning, and the rest of the row is."""
    refusal = payment_date_refusal(person.paid_on, policy.year, today, start)
    if refusal is None:
        categories = set(person.categories) | held.get(person.person_id, set())
        due = compute_charge(policy, categories).due_fen
        paid = enrolled.get(person.person_id, (None, False, 0))[2] or 0 if person.person_id else 0
        verdict = payment_verdict(person.paid_fen, policy.standard_fen, due, paid)
        if verdict.warned:
            warn(Field.AMOUNT_PAID, verdict.reason, person.id_number)
        refusal = verdict.reason if verdict.refused else None
    if refusal is None:
        return person
    warn(Field.AMOUNT_PAID, refusal + "（这笔缴费未导入，其余照常导入）", person.id_number)
    return person._replace(paid_fen=None, paid_on=None)


def _person(cells: Any, sheet: str, row_number: int, sheet_village: str, year: int, seen: dict[str, tuple[str, int]],
            current_head: dict[str, tuple[str, str]], known: dict[str, tuple],
            warn: Callable[[Field, str, str], None]) -> tuple[RosterRow, tuple | None]:
    """One row's :class:`RosterRow` from its parsed cells, and the ledger's row of that person
    (None when new); raises :class:`Reject`. ``seen`` and ``current_head`` are updated."""
    parsed = cells.id_number
    if type(parsed) is Failed:
        raise Reject(Field.ID_NUMBER, parsed.error.reason)
    number = parsed.number
    if parsed.converted_from_15:
        warn(Field.ID_NUMBER, id_warning(parsed) or "", number)
    first = seen.get(number)
    if first is not None:
        raise Reject(Field.ID_NUMBER, f"身份证号与{first[0]} 第{first[1]}行重复，只导入第一次出现的那一行")
    seen[number] = (sheet, row_number)
    existing = known.get(number)
    name, relation = cells.name, cells.relation
    if not name:
        raise Reject(Field.NAME, "姓名为空")
    village = cells.village or sheet_village
    if not village and existing is not None:
        village = existing[5]
    if not village:
        raise Reject(Field.VILLAGE, "没有填村(社区)：请加一列“村(社区)”，或每个村一张工作表、以村名命名")
    household = household_of(cells.household_number, cells.head_id_number, relation, number, existing,
                             current_head.get(sheet), known)
    head_name = cells.head_name
    if relation == "户主":
        head_name = name
        current_head[sheet] = (household, name)
    elif not head_name:
        last = current_head.get(sheet)
        head_name = last[1] if last and last[0] == household else (existing[6] if existing else "")

    phone = cells.phone
    if type(phone) is Failed:
        warn(Field.PHONE, phone.error.reason + "（电话未导入，其余照常导入）", number)
        phone = ""
    phone = phone or ""
    # sex and birth date are read from the ID number; a column that disagrees is told
    sex_text, birth = cells.sex, cells.birth_date
    if sex_text in _SEX_BY_NAME and _SEX_BY_NAME[sex_text] != parsed.sex:
        warn(Field.SEX, f"性别“{sex_text}”与身份证号不符，以身份证号为准", number)
    if birth is not None and type(birth) is not Failed and birth != parsed.birth_date:
        warn(Field.BIRTH_DATE, f"出生日期{birth}与身份证号不符，以身份证号为准", number)
    codes, unknown = cells.category
    for text in unknown:
        warn(Field.CATEGORY, f"资助类别“{text}”不认识（不在{year}年度政策里），未登记", number)
    paid_fen, paid_on = cells.amount_paid, cells.payment_date
    if paid_fen is None:
        paid_on = None
    else:
        for failed in (paid_fen, paid_on):
            if type(failed) is Failed:
                raise Reject(failed.error.field, failed.error.reason)
        if paid_fen and paid_on is None:
            raise Reject(Field.PAYMENT_DATE, "有已缴金额但没有缴费日期")
    if existing is None:  # the 参保状态 column is read by importing.statuses
        return RosterRow(number, name, parsed.sex, parsed.birth_date, relation, phone, village, household,
                         head_name, cells.address, codes, None, "", paid_fen or None, paid_on), None
    phone = phone or existing[2]
    relation = relation or existing[4]
    before = (existing[1], existing[2], existing[3], existing[4], existing[5])
    after = (name, phone, household, relation, village)
    changes = None if before == after else {k: (b, a) for k, b, a in zip(_COMPARED, before, after) if b != a}
    return RosterRow(number, name, parsed.sex, parsed.birth_date, relation, phone, village, household,
                     head_name, cells.address, codes, None, "", paid_fen or None, paid_on,
                     existing[0], changes), existing


# ---------------------------------------------------------------------------------- write
#
# A roster may bring a whole township at once (100,000 persons into an empty ledger) or a few
# changes into a full one; both go through the same steps, which cost little for a few rows and
# are what makes the big case fast:
# - ids are counted on from the highest (store.bulk.next_id), which gives each row the id SQLite
#   would have given it: households go in with one statement instead of one INSERT each for its
#   lastrowid, and the persons' ids need no ``SELECT id_number, id FROM person`` over the table;
# - rows go in a couple of hundred to a statement (store.bulk.insert_persons and the like);
# - a table receiving more rows than it holds has its secondary indexes set aside and rebuilt
#   (store.bulk.indexes_set_aside); a small import into a big ledger keeps them;
# - the new persons' enrollments are computed from the rows in hand (charges.insert_enrollments,
#   one computation per set of categories) instead of being found by ensure_enrollments'
#   anti-join over the whole ledger and their categories and payments read back; ensure_enrollments
#   still runs, for the persons already in the ledger only.
# Every row, value and audit entry is the same as writing them one at a time gave.


class _NewPersons:
    """What the roster's new persons bring, as rows for each table, built in one pass."""

    def __init__(self, plan: ImportPlan, first_id: int, households: Households, at: str) -> None:
        year, source = plan.year, plan.source
        reason = f"导入自{source}"
        last_day = dt.date(year, 12, 31)
        initials = _initials_table(p.name for p in plan.new)
        self.persons: list[tuple] = []  # bulk.PERSON_COLUMNS
        self.categories: list[tuple] = []
        self.payments: list[tuple] = []  # bulk.PAYMENT_COLUMNS
        self.enrollments: list[tuple] = []  # charges.KnownInputs
        for person_id, p in enumerate(plan.new, first_id):
            household_id, village_id, _head = households[p.household_number]
            self.persons.append((person_id, p.id_number, p.name, p.sex, p.birth_date.isoformat(), p.relation,
                                 p.phone, household_id, "", at, at, p.name.translate(initials)))
            for code in dict.fromkeys(p.categories):  # once each, as the upsert for known persons does
                self.categories.append((person_id, year, code, source))
            paid, paid_on = 0, None
            if p.paid_fen and p.paid_on:
                day = p.paid_on.isoformat()
                self.payments.append((person_id, year, p.paid_fen, day, "", "", reason, at))
                paid, paid_on = p.paid_fen, (day if p.paid_fen > 0 else None)
            if p.birth_date <= last_day:  # born after the year: not enrolled in it
                self.enrollments.append(
                    (person_id, village_id, p.categories, paid, paid_on, p.recorded_status, p.status_reason)
                )


def _initials_table(names: Iterable[str]) -> dict[int, str]:
    """``str.translate`` table giving a name's 拼音首字母, for every character of ``names``.

    ``name_initials`` takes each character on its own, so a name's initials are its characters'
    initials in a row; a township's names use a few hundred distinct characters. Looking each up
    once and translating in C halves the time (100,000 names: 0.07–0.18 s → 0.04–0.09 s). Checked
    against ``name_initials`` in tests/services/test_import_writes.py.
    """
    return {ord(char): name_initials(char) for char in set("".join(names))}


def write(plan: ImportPlan) -> list[int]:
    """Write the plan's new and updated persons, their households, villages, categories,
    statuses, payments and the year's enrollments; return the persons whose charges must be
    recomputed (the new persons' were computed as they were made)."""
    conn = db.connection()
    at = now()
    rows: list[RosterRow] = [*plan.new, *plan.updated]
    villages = village_ids({p.village for p in rows})
    households = write_households(rows, villages, at)
    first_new = bulk.next_id(conn, "person")
    new = _NewPersons(plan, first_new, households, at)
    with bulk.indexes_set_aside(conn, "person", len(new.persons)):
        bulk.insert_persons(conn, new.persons)
    if plan.new:
        audit.record("import-create", "person", plan.source, None,
                     {"count": len(plan.new), "first": plan.new[0].id_number, "last": plan.new[-1].id_number})
    changed = [person for person in plan.updated if person.changes]
    bulk.update_rows(conn, "person", ("name", "phone", "relation", "household_id", "name_initials", "updated_at"), [
        (person.name, person.phone, person.relation, households[person.household_number][0],
         name_initials(person.name), at, person.person_id) for person in changed])
    for person in changed:
        audit.record("update", "person", person.person_id,
                     {k: v[0] for k, v in person.changes.items()}, {k: v[1] for k, v in person.changes.items()})
        if "village" in person.changes:  # counted this year where they live now
            conn.execute("UPDATE enrollment SET village_id = ? WHERE person_id = ? AND year = ?",
                         (villages[person.village], person.person_id, plan.year))
    _write_extras(plan, new, first_new, at)
    return [p.person_id for p in plan.updated if p.person_id is not None]


def _write_extras(plan: ImportPlan, new: _NewPersons, first_new: int, at: str) -> None:
    """Categories, recorded statuses and payments that a roster (our own export) carries, and
    the year's enrollments of everyone who lacks one."""
    conn = db.connection()
    year = plan.year
    # a new person holds no category yet: a plain insert, which needs no unique index (so the
    # indexes can be set aside); one already in the ledger may hold it, ended: an upsert
    with bulk.indexes_set_aside(conn, "category_membership", len(new.categories)):
        bulk.insert_rows(
            conn, "INSERT INTO category_membership (person_id, year, category, source)", "(?, ?, ?, ?)",
            new.categories,
        )
    held = [(p.person_id, year, code, plan.source) for p in plan.updated for code in p.categories]
    conn.executemany(
        "INSERT INTO category_membership (person_id, year, category, source) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (person_id, year, category) DO UPDATE SET ended_on = NULL",
        held,
    )
    # a payment is taken from the roster only for a person with none this year (new persons have none)
    paying = [p for p in plan.updated if p.paid_fen and p.paid_on]
    already_paid = bulk.persons_with(conn, "payment", year, [p.person_id for p in paying])
    payments = new.payments + [
        (p.person_id, year, p.paid_fen, p.paid_on.isoformat(), "", "", f"导入自{plan.source}", at)
        for p in paying
        if p.person_id not in already_paid
    ]
    with bulk.indexes_set_aside(conn, "payment", len(payments)):
        bulk.insert_payments(conn, payments)
    # enrollments: persons already in the ledger who lack one (in the file or not) the generic way,
    # from what the ledger now holds; those who had one get their date paid below
    had_enrollment = bulk.persons_with(conn, "enrollment", year, [row[0] for row in payments[len(new.payments):]])
    ensure_enrollments(year, persons_before=first_new)
    if new.enrollments:
        policy = policy_for_year(year)
        if policy is None:  # apply() stores it first; worded as ensure_enrollments words it
            raise ServiceError(f"{year}年度还没有载入政策，无法登记参保")
        with bulk.indexes_set_aside(conn, "enrollment", len(new.enrollments)):
            insert_enrollments(policy, new.enrollments, at)
    # the statements below find rows by (person_id, year): the indexes are back by now
    conn.executemany(
        "UPDATE enrollment SET paid_on = ? WHERE person_id = ? AND year = ?",
        [(paid_on, pid, year) for pid, _y, _a, paid_on, *_rest in payments if pid in had_enrollment],
    )
    # the new persons' recorded statuses went in with their rows; known persons' are set or cleared
    recorded = sum(1 for p in plan.new if p.recorded_status) + statuses.write(conn, year, plan.source, plan.updated)
    categories = len(new.categories) + len(held)
    if categories or recorded or payments:
        audit.record("import-extras", "enrollment", plan.source, None,
                     {"categories": categories, "statuses": recorded, "payments": len(payments)})
