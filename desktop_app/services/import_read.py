"""The dry run of an import: read the file, check every row, match it against the ledger.

Nothing here writes. Every refused row gets its sheet, row number, column and a reason a
village doctor understands; persons in a categories or payments file who are not in the ledger
are reported as unmatched, never invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop_app.domain.idnumber import IdNumber
from desktop_app.domain.policy import Policy
from desktop_app.domain.vocabulary import (
    CATEGORY_SPELLINGS,
    DEFAULT_CATEGORY_NAMES,
    RECORDED_STATUSES,
    STATUS_NAMES,
)
from desktop_app.exchange import (
    CellError,
    DataRow,
    Field,
    clean_name,
    clean_text,
    id_warning,
    locate_tables,
    parse_amount_fen,
    parse_code,
    parse_date,
    parse_id_cell,
    parse_phone,
    read_tables,
    split_multi,
)
from desktop_app.services.import_plan import (
    CategoryRow,
    EndedCategory,
    ImportCancelled,
    ImportKind,
    ImportPlan,
    PaymentRow,
    PersonRow,
    RowIssue,
    TableInfo,
)
from desktop_app.store.models import db

Progress = Callable[[int, int], None]
ShouldStop = Callable[[], bool]
Overrides = Callable[[str], dict[int, str] | None]

_STATUS_BY_NAME = {name: status.value for status, name in STATUS_NAMES.items() if status in RECORDED_STATUSES}
_SEX_BY_NAME = {"男": "M", "女": "F"}


class _Reject(Exception):
    def __init__(self, field: Field | str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def category_resolver(policy: Policy) -> Callable[[str], str | None]:
    """A county file's category spelling → the year's category code, or None when unknown."""
    index: dict[str, str] = {}
    # every category DOMAIN.md names, subsidised this year or not: holding one is a fact about
    # the person, and whether it brings a subsidy is the policy's business
    for code, spellings in CATEGORY_SPELLINGS.items():
        for spelling in spellings:
            index[spelling] = code
        index[DEFAULT_CATEGORY_NAMES[code]] = code
    for code, rule in policy.categories.items():
        index[rule.name] = code
        index[code] = code
    return lambda text: index.get(text.strip())


class _Reader:
    """Walks the rows of every sheet, with the bookkeeping every kind of import shares."""

    def __init__(self, plan: ImportPlan, progress: Progress | None, should_stop: ShouldStop | None,
                 overrides: Overrides | None) -> None:
        self.plan = plan
        self.progress = progress
        self.should_stop = should_stop
        sheets = read_tables(plan.path)
        found = locate_tables(sheets, overrides=overrides, path=str(plan.path))
        self.tables = found.found
        plan.sheets_without_header = list(found.without_header)
        self.total = sum(max(t.sheet.height - t.header.data_start, 0) for t in self.tables)
        self.today = dt.date.today()
        self._headers: dict[str, tuple[str, ...]] = {}
        self._columns: dict[str, dict[Field, int]] = {}

    def rows(self) -> Iterator[DataRow]:
        done = 0
        for table in self.tables:
            header = table.header
            self._headers[table.sheet.name] = header.headers
            self._columns[table.sheet.name] = header.fields
            count = 0
            for row in table.rows():
                count += 1
                done += 1
                if done % 2000 == 0:
                    if self.should_stop is not None and self.should_stop():
                        raise ImportCancelled()
                    if self.progress is not None:
                        self.progress(done, self.total)
                yield row
            self.plan.tables.append(
                TableInfo(table.sheet.name, header.headers, header.header_row_number,
                          header.layout_signature, {c: f.value for c, f in header.columns.items()}, count)
            )
        self.plan.rows_read = done
        if self.progress is not None:
            self.progress(done, done)

    def column_name(self, row: DataRow, field: Field | str | None) -> str:
        if field is None:
            return ""
        column = self._columns.get(row.sheet, {}).get(Field(field))
        headers = self._headers.get(row.sheet, ())
        if column is not None and column < len(headers) and headers[column]:
            return headers[column]
        return Field(field).label

    def issue(self, row: DataRow, field: Field | str | None, reason: str, id_number: str = "") -> RowIssue:
        return RowIssue(row.sheet, row.row_number, self.column_name(row, field), reason,
                        tuple(row.raw), id_number)

    def reject(self, row: DataRow, field: Field | str | None, reason: str, id_number: str = "") -> None:
        self.plan.rejected.append(self.issue(row, field, reason, id_number))

    def warn(self, row: DataRow, field: Field | str | None, reason: str, id_number: str = "") -> None:
        self.plan.warnings.append(self.issue(row, field, reason, id_number))


def _id_of(reader: _Reader, row: DataRow, seen: dict[str, str]) -> IdNumber:
    """The row's checked ID number; ``seen`` maps numbers met so far to where (not to rows:
    keeping 100,000 rows alive would double an import's memory)."""
    try:
        parsed = parse_id_cell(row.get(Field.ID_NUMBER, None), today=reader.today)
    except CellError as exc:
        raise _Reject(Field.ID_NUMBER, exc.reason) from None
    warning = id_warning(parsed)
    if warning:
        reader.warn(row, Field.ID_NUMBER, warning, parsed.number)
    first = seen.get(parsed.number)
    if first is not None:
        raise _Reject(Field.ID_NUMBER, f"身份证号与{first}重复，只导入第一次出现的那一行")
    seen[parsed.number] = row.location
    return parsed


def _ledger_persons() -> dict[str, tuple]:
    """ID number → (id, name, phone, household number, relation, village, head name, address)."""
    cursor = db.execute_sql(
        """SELECT p.id_number, p.id, p.name, p.phone, h.number, p.relation, v.name, h.head_name, h.address
           FROM person p JOIN household h ON h.id = p.household_id JOIN region v ON v.id = h.village_id"""
    )
    return {row[0]: row[1:] for row in cursor}


# --------------------------------------------------------------------------------- roster


def _plan_roster(reader: _Reader, policy: Policy) -> None:
    plan = reader.plan
    known = _ledger_persons()
    held = _held_categories(plan.year)
    enrolled = {
        pid: (status, bool(paid))
        for pid, status, paid in db.execute_sql(
            """SELECT e.person_id, e.status, EXISTS (SELECT 1 FROM payment y WHERE y.person_id = e.person_id
                                                      AND y.year = e.year)
               FROM enrollment e WHERE e.year = ?""",
            (plan.year,),
        )
    }
    resolve = category_resolver(policy)
    seen: dict[str, str] = {}
    current_head: dict[str, tuple[str, str]] = {}  # sheet → (household number, head name) of the last 户主
    for row in reader.rows():
        try:
            parsed = _id_of(reader, row, seen)
            number = parsed.number
            person = _roster_row(reader, row, parsed, known.get(number), current_head, resolve)
        except _Reject as exc:
            reader.reject(row, exc.field, exc.reason)
            continue
        existing = known.get(number)
        if existing is None:
            plan.new.append(person)
            continue
        person.person_id = existing[0]
        before = {"name": existing[1], "phone": existing[2], "household_number": existing[3],
                  "relation": existing[4], "village": existing[5]}
        after = {"name": person.name, "phone": person.phone or existing[2],
                 "household_number": person.household_number, "relation": person.relation or existing[4],
                 "village": person.village}
        person.phone, person.relation = after["phone"], after["relation"]
        person.changes = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        pid = existing[0]
        status, has_payment = enrolled.get(pid, (None, False))
        extra = (
            set(person.categories) - held.get(pid, set())
            or (person.recorded_status and person.recorded_status != status)
            or (person.paid_fen and not has_payment)
        )
        if person.changes or extra:
            plan.updated.append(person)
        else:
            plan.unchanged += 1


def _roster_row(
    reader: _Reader,
    row: DataRow,
    parsed: IdNumber,
    existing: tuple | None,
    current_head: dict[str, tuple[str, str]],
    resolve: Callable[[str], str | None],
) -> PersonRow:
    get = row.values.get  # the raw cells by field; a direct dict lookup (hot path)
    number = parsed.number
    name = clean_name(get(Field.NAME, ""))
    if not name:
        raise _Reject(Field.NAME, "姓名为空")
    relation = clean_text(get(Field.RELATION, ""))
    village = clean_text(get(Field.VILLAGE, "")) or (row.sheet_village or "")
    if not village and existing is not None:
        village = existing[5]
    if not village:
        raise _Reject(Field.VILLAGE, "没有填村(社区)：请加一列“村(社区)”，或每个村一张工作表、以村名命名")
    head_name = clean_name(get(Field.HEAD_NAME, ""))
    household = _household_number(row, number, relation, existing, current_head)
    if relation == "户主":
        head_name = name
        current_head[row.sheet] = (household, name)
    elif not head_name:
        last = current_head.get(row.sheet)
        head_name = last[1] if last and last[0] == household else (existing[6] if existing else "")
    try:
        phone = parse_phone(get(Field.PHONE)) or ""
    except CellError as exc:
        reader.warn(row, Field.PHONE, exc.reason + "（电话未导入，其余照常导入）", number)
        phone = ""
    _check_against_id(reader, row, parsed, number)
    categories: list[str] = []
    for text in split_multi(get(Field.CATEGORY, "")):
        if text in ("普通居民", "无", "一般人员"):
            continue
        code = resolve(text)
        if code is None:
            reader.warn(row, Field.CATEGORY, f"资助类别“{text}”不认识（不在{reader.plan.year}年度政策里），未登记", number)
        elif code not in categories:
            categories.append(code)
    status_text = clean_text(get(Field.STATUS, ""))
    recorded = _STATUS_BY_NAME.get(status_text)
    paid_fen: int | None = None
    paid_on: dt.date | None = None
    if get(Field.AMOUNT_PAID) not in ("", None):
        try:
            paid_fen = parse_amount_fen(get(Field.AMOUNT_PAID, ""), Field.AMOUNT_PAID)
            paid_on = parse_date(get(Field.PAYMENT_DATE), Field.PAYMENT_DATE)
        except CellError as exc:
            raise _Reject(exc.field, exc.reason) from None
        if paid_fen and paid_on is None:
            raise _Reject(Field.PAYMENT_DATE, "有已缴金额但没有缴费日期")
    return PersonRow(
        id_number=number,
        name=name,
        sex=parsed.sex,
        birth_date=parsed.birth_date,
        relation=relation,
        phone=phone,
        village=village,
        household_number=household,
        head_name=head_name,
        address=clean_text(get(Field.ADDRESS, "")),
        categories=tuple(categories),
        recorded_status=recorded,
        status_reason=clean_text(get(Field.REMARK, "")) if recorded else "",
        paid_fen=paid_fen or None,
        paid_on=paid_on,
    )


def _household_number(
    row: DataRow, number: str, relation: str, existing: tuple | None,
    current_head: dict[str, tuple[str, str]],
) -> str:
    get = row.values.get  # the raw cells by field; a direct dict lookup (hot path)
    """户编号; else the head's ID number (a household keyed by its head); else the rows' order."""
    try:
        code = parse_code(get(Field.HOUSEHOLD_NUMBER))
    except CellError as exc:
        raise _Reject(Field.HOUSEHOLD_NUMBER, exc.reason) from None
    if code:
        return code
    head_cell = get(Field.HEAD_ID_NUMBER)
    if head_cell not in ("", None):
        try:
            return parse_id_cell(head_cell, Field.HEAD_ID_NUMBER).number
        except CellError as exc:
            raise _Reject(Field.HEAD_ID_NUMBER, "户主" + exc.reason) from None
    if relation == "户主":
        return number
    if existing is not None:
        return existing[3]
    last = current_head.get(row.sheet)
    if last is not None:
        return last[0]
    raise _Reject(Field.HOUSEHOLD_NUMBER, "无法确定属于哪一户：表中没有户编号或户主身份证号，这一行前面也没有户主")


def _check_against_id(reader: _Reader, row: DataRow, parsed: IdNumber, number: str) -> None:
    get = row.values.get  # the raw cells by field; a direct dict lookup (hot path)
    sex_text = clean_text(get(Field.SEX, ""))
    if sex_text in _SEX_BY_NAME and _SEX_BY_NAME[sex_text] != parsed.sex:
        reader.warn(row, Field.SEX, f"性别“{sex_text}”与身份证号不符，以身份证号为准", number)
    birth_cell = get(Field.BIRTH_DATE)
    if birth_cell not in ("", None):
        try:
            birth = parse_date(birth_cell, Field.BIRTH_DATE)
        except CellError:
            birth = None
        if birth is not None and birth != parsed.birth_date:
            reader.warn(row, Field.BIRTH_DATE, f"出生日期{birth}与身份证号不符，以身份证号为准", number)


# ----------------------------------------------------------------------------- categories


def _plan_categories(reader: _Reader, policy: Policy, category: str | None) -> None:
    plan = reader.plan
    resolve = category_resolver(policy)
    whole_file = None
    if category:
        whole_file = resolve(category)
        if whole_file is None:
            from desktop_app.services.ledger import ServiceError

            names = "、".join(rule.name for rule in policy.categories.values())
            raise ServiceError(f"“{category}”不是{plan.year}年度政策里的资助类别（有：{names}）")
    known = _ledger_persons()
    held = _held_categories(plan.year)
    seen: dict[str, str] = {}
    listed: set[tuple[int, str]] = set()
    codes_in_file: set[str] = set()
    for row in reader.rows():
        try:
            number = _id_of(reader, row, seen).number
            codes = _row_categories(row, resolve, whole_file, plan.year)
            identified = parse_date(row.get(Field.IDENTIFIED_DATE, None), Field.IDENTIFIED_DATE)
        except (_Reject, CellError) as exc:  # both name the field and the reason
            reader.reject(row, exc.field, exc.reason)
            continue
        codes_in_file.update(codes)
        person = known.get(number)
        if person is None:
            plan.unmatched.append(reader.issue(row, Field.ID_NUMBER, "台账里没有这个人（请先导入花名册或新增此人）", number))
            continue
        name = clean_name(row.get(Field.NAME))
        if name and name != person[1]:
            reader.warn(row, Field.NAME, f"姓名“{name}”与台账里的“{person[1]}”不一致，按身份证号登记", number)
        for code in codes:
            listed.add((person[0], code))
        new_codes = tuple(c for c in codes if c not in held.get(person[0], set()))
        entry = CategoryRow(person[0], number, person[1], codes, identified, new_codes)
        if new_codes:
            plan.new.append(entry)
        else:
            plan.unchanged += 1
    if plan.full_list:
        names = {pid: (number, name) for number, (pid, name, *_rest) in known.items()}
        for person_id, codes in held.items():
            for code in sorted(codes & codes_in_file):
                if (person_id, code) not in listed:
                    number, name = names.get(person_id, ("", ""))
                    plan.ended.append(EndedCategory(person_id, number, name, code))


def _row_categories(row: DataRow, resolve: Callable[[str], str | None], whole_file: str | None, year: int) -> tuple[str, ...]:
    texts = split_multi(row.get(Field.CATEGORY))
    if not texts:
        if whole_file is None:
            raise _Reject(Field.CATEGORY, "没有资助类别：请在表中加“人员类别”列，或导入时指明整个文件是哪一类")
        return (whole_file,)
    codes: list[str] = []
    for text in texts:
        code = resolve(text)
        if code is None:
            raise _Reject(Field.CATEGORY, f"资助类别“{text}”不认识（不在{year}年度政策里）")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _held_categories(year: int) -> dict[int, set[str]]:
    held: dict[int, set[str]] = {}
    for person_id, code in db.execute_sql(
        "SELECT person_id, category FROM category_membership WHERE year = ? AND ended_on IS NULL", (year,)
    ):
        held.setdefault(person_id, set()).add(code)
    return held


# ------------------------------------------------------------------------------- payments


def _plan_payments(reader: _Reader) -> None:
    plan = reader.plan
    known = _ledger_persons()
    enrolled = {
        pid: (status, due, paid)
        for pid, status, due, paid in db.execute_sql(
            "SELECT person_id, status, due_fen, paid_fen FROM enrollment WHERE year = ?", (plan.year,)
        )
    }
    vouchers = {
        (pid, voucher)
        for pid, voucher in db.execute_sql(
            "SELECT person_id, voucher FROM payment WHERE year = ? AND voucher != '' AND amount_fen > 0",
            (plan.year,),
        )
    }
    seen: dict[str, str] = {}
    for row in reader.rows():
        try:
            number = _id_of(reader, row, seen).number
            amount = parse_amount_fen(row.get(Field.AMOUNT_PAID, None), Field.AMOUNT_PAID)
            paid_on = parse_date(row.get(Field.PAYMENT_DATE, None), Field.PAYMENT_DATE)
        except (_Reject, CellError) as exc:  # both name the field and the reason
            reader.reject(row, exc.field, exc.reason)
            continue
        if not amount:
            reader.reject(row, Field.AMOUNT_PAID, "缴费金额为空或为0")
            continue
        person = known.get(number)
        if person is None or person[0] not in enrolled:
            why = "台账里没有这个人" if person is None else f"这个人没有{plan.year}年度的参保登记"
            plan.unmatched.append(reader.issue(row, Field.ID_NUMBER, why, number))
            continue
        person_id = person[0]
        status, due, paid = enrolled[person_id]
        voucher = clean_text(row.get(Field.VOUCHER))
        if voucher and (person_id, voucher) in vouchers:
            plan.unchanged += 1  # the same feedback imported again: already recorded
            continue
        if status == "exempt":
            reader.reject(row, Field.AMOUNT_PAID, "此人全额资助代缴（免征），个人无需缴费，请核实后办理退费", number)
            continue
        if due > 0 and paid >= due:
            reader.reject(row, Field.ID_NUMBER, f"此人{plan.year}年度已缴费，不重复记录", number)
            continue
        if paid_on is None:
            paid_on = reader.today
            reader.warn(row, Field.PAYMENT_DATE, "没有缴费日期，按导入当天记录", number)
        if amount != due - paid:
            from desktop_app.domain.money import format_yuan

            reader.warn(row, Field.AMOUNT_PAID,
                        f"缴费金额{format_yuan(amount)}元与应缴{format_yuan(due - paid)}元不一致", number)
        enrolled[person_id] = (status, due, paid + amount)
        if voucher:
            vouchers.add((person_id, voucher))
        plan.new.append(
            PaymentRow(person_id, number, person[1], amount, paid_on,
                       clean_text(row.get(Field.PAYMENT_CHANNEL)), voucher)
        )


def plan_import(
    kind: ImportKind | str,
    path: Path,
    *,
    year: int,
    policy: Policy,
    category: str | None = None,
    full_list: bool = False,
    overrides: Overrides | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ImportPlan:
    """Read ``path`` and decide, row by row, what an import would do. Writes nothing."""
    plan = ImportPlan(ImportKind(kind), Path(path), year, full_list=full_list, source=Path(path).name)
    reader = _Reader(plan, progress, should_stop, overrides)
    if plan.kind is ImportKind.ROSTER:
        _plan_roster(reader, policy)
    elif plan.kind is ImportKind.CATEGORIES:
        _plan_categories(reader, policy, category)
    else:
        _plan_payments(reader)
    return plan
