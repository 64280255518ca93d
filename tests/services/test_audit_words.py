"""The 操作日志 in words (issue 16): on a real ledger, each kind of entry says what was done, to
whom by name and household, and what changed, in Chinese, with no JSON and no English codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from desktop_app.domain.vocabulary import Status
from desktop_app.resources import resource
from desktop_app.services import (
    audit,
    corrections,
    household_work,
    importing,
    payments,
    policy_load,
)
from desktop_app.services.audit_words import ACTIONS, FIELDS, TABLES, describe, describe_page
from desktop_app.store.models import AuditEntry, Enrollment, Household, Person, db
from tests.exchange.xch_builders import build_csv
from tests.services.test_imports import pid

#: Everything the ledger stores as a code: none of it may reach the words.
CODES = ({a for a, _t in ACTIONS} | {t for _a, t in ACTIONS if t} | set(TABLES) | set(FIELDS)
         | {s.value for s in Status} | {"null", "true", "false", "tax_app", "bank", "cash"})
_CODE = re.compile(r"(?<![A-Za-z_])(" + "|".join(sorted(map(re.escape, CODES), key=len, reverse=True))
                   + r")(?![A-Za-z_])")


def _text(words) -> str:
    return f"{words.what} {words.whom} {words.content} {words.source}"


def _clean(words) -> None:
    text = re.sub(r"/[^；]*", "", _text(words))  # a file's path is the user's own words
    text = re.sub(r"[0-9a-f]{64}|\.(csv|xlsx|toml|sqlite)\b", "", text)  # a file's fingerprint, its type
    assert not re.search(r"[A-Za-z]{3,}", text), text  # a stored key or code
    assert "{" not in text and "[" not in text and '"' not in text, text
    assert not _CODE.search(text), (text, _CODE.search(text).group(0))


def _newest(count: int = 1) -> list:
    return audit.entries(0, count)


def _unpaid() -> tuple[Person, str]:
    enrollment = Enrollment.select().where((Enrollment.year == 2025) & (Enrollment.status == "unpaid")).first()
    person = Person.get_by_id(enrollment.person_id)
    return person, Household.get_by_id(person.household_id).number


def test_each_kind_of_entry_in_chinese_with_name_and_household(demo_ledger, tmp_path):
    person, number = _unpaid()
    whom = f"{person.name}（户号 {number}）"

    paid = payments.record_payment(payments.PaymentInput(person.id, 2025, 40000, dt.date(2024, 10, 1)))
    pay = describe(_newest()[0])
    assert (pay.what, pay.whom) == ("登记缴费", whom)
    assert ("金额", "", "400.00元") in pay.changes and "金额：400.00元" in pay.content
    _clean(pay)

    payments.reverse_payment(paid.id, "录错")
    reverse = describe(_newest()[0])
    assert (reverse.what, reverse.whom) == ("冲正缴费", whom)
    assert ("原因", "", "录错") in reverse.changes and "冲正金额：400.00元" in reverse.content
    _clean(reverse)

    household_work.set_status(person.id, 2025, "deceased", "已故")
    status = describe(_newest()[0])
    assert (status.what, status.whom) == ("标记参保状态", whom)
    assert ("参保状态", "未缴费", "死亡") in status.changes and "参保状态：未缴费 → 死亡" in status.content
    _clean(status)

    household_work.update_person(person.id, name=person.name, phone="13900000000", relation=person.relation)
    edit = describe(_newest()[0])
    assert (edit.what, edit.whom) == ("修改人员信息", whom)
    assert ("联系电话", person.phone or "", "13900000000") in edit.changes
    assert [name for name, _b, _a in edit.changes] == ["联系电话"]  # name and relation kept: not said
    _clean(edit)

    path = build_csv(tmp_path / "花名册.csv", [["姓名", "身份证号", "户编号", "与户主关系", "村(社区)"],
                                               ["钱八", pid(20), "H020", "户主", "东山村"]])
    importing.apply(importing.plan("roster", path, year=2025))
    imported = [w for w in describe_page(_newest(5)) if w.what == "导入花名册"]
    assert imported and imported[0].whom == "花名册.csv" and "新增：1" in imported[0].content
    _clean(imported[0])

    text = resource("policies", "2025.toml").read_text(encoding="utf-8")
    policy = tmp_path / "2025-variant.toml"
    policy.write_text(text.replace("amount = 200", "amount = 260", 1), encoding="utf-8")
    policy_load.load_policy(policy)
    load = describe(_newest()[0])
    assert (load.what, load.whom) == ("替换年度政策", "2025年度")
    assert ("原政策", "已被替换", "") in load.changes and "policy" not in load.content.replace(str(policy), "")
    _clean(load)


def test_a_deleted_person_is_named_from_the_entry_itself(demo_ledger):
    person, number = _unpaid()
    name = person.name
    corrections.remove_person(person.id, "重复录入")
    assert Person.get_or_none(Person.id == person.id) is None
    words = [w for w in describe_page(_newest(3)) if w.what == "删除人员"]
    assert words and words[0].whom == f"{name}（户号 {number}）"
    assert ("原因", "", "重复录入") in words[0].changes
    _clean(words[0])


@pytest.mark.sqlite_only  # counts statements with SQLite's trace hook
def test_a_page_is_described_with_one_query(demo_ledger):
    person, _number = _unpaid()
    for day in range(1, 6):
        paid = payments.record_payment(payments.PaymentInput(person.id, 2025, 100, dt.date(2024, 10, day)))
        payments.reverse_payment(paid.id, "录错")
    page = audit.entries(0, 200)
    conn = db.connection()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        words = describe_page(page)
    finally:
        conn.set_trace_callback(None)
    assert len(words) == len(page) == min(200, AuditEntry.select().count())
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert sum(w.whom.startswith(person.name) for w in words) >= 10


def test_every_entry_of_the_demo_ledger_reads_without_codes(demo_ledger, tmp_path):
    importing.apply(importing.plan("roster", build_csv(tmp_path / "名单.csv", [
        ["姓名", "身份证号", "户编号", "与户主关系", "村(社区)"], ["钱八", pid(20), "H020", "户主", "新村"]]), year=2025))
    for words in describe_page(audit.entries(0, 500)):
        assert words.what and words.whom
        _clean(words)


def test_an_unknown_action_is_readable_not_raw():
    words = describe(("2026-01-01 08:00:00", "", "cli", "re_count", "widget", "7", '{"a_b": 1}', ""))
    assert words.what == "re count（widget）" and words.source == "命令行" and words.who == "—"
    assert words.content == "a b：1（原）"  # only a value before: what it was
