"""The 操作日志 in words: what was done, to whom, field by field — presentation only.

Nothing here changes what :mod:`desktop_app.services.audit` stores or hashes; it reads an
entry as stored (``audit.ENTRY_COLUMNS``) and says it in Chinese: a verb for the action
(“登记缴费”), the person by name and household number rather than a record number, and each
field's name with its value before and after. :func:`describe_page` looks the persons of a
whole page up in one query; a person since deleted is named from the entry's own old value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop_app.domain.money import format_yuan
from desktop_app.domain.vocabulary import (
    DEFAULT_CATEGORY_NAMES,
    PAYMENT_CHANNELS,
    STATUS_NAMES,
    Status,
)
from desktop_app.services.access import ROLE_NAMES
from desktop_app.services.audit import CLI, ENTRY_COLUMNS, GUI
from desktop_app.store.models import db

#: (action, table) → the verb; (action, "") is the verb for any table.
ACTIONS: dict[tuple[str, str], str] = {
    ("create", "payment"): "登记缴费",
    ("copy-in", "region"): "迁入乡镇台账",
    ("reverse", "payment"): "冲正缴费",
    ("refund", "payment"): "退款",
    ("backpay", "payment"): "补缴",
    ("reverse_household", "household"): "整户冲正",
    ("status", "enrollment"): "标记参保状态",
    ("status-confirm", "enrollment"): "确认参保状态",
    ("import-extras", "enrollment"): "导入花名册附带信息",
    ("create", "household"): "新建户",
    ("update", "household"): "修改户信息",
    ("delete", "household"): "删除户",
    ("create", "person"): "新增人员",
    ("update", "person"): "修改人员信息",
    ("move", "person"): "迁入他户",
    ("correct_id", "person"): "更正身份证号",
    ("merge", "person"): "合并重复人员",
    ("delete", "person"): "删除人员",
    ("import-create", "person"): "导入新增人员",
    ("create", "category_membership"): "登记资助身份",
    ("update", "category_membership"): "恢复资助身份",
    ("end", "category_membership"): "结束资助身份",
    ("import", "roster"): "导入花名册",
    ("import", "categories"): "导入资助名单",
    ("import", "payments"): "导入缴费信息",
    ("create", "policy_year"): "载入年度政策",
    ("replace", "policy_year"): "替换年度政策",
    ("create", "region"): "新增地区",
    ("update", "region"): "修改地区",
    ("update", "setting"): "修改设置",
    ("create", "operator"): "新建操作员",
    ("update", "operator"): "修改操作员",
    ("login-failed", "operator"): "登录失败",
    ("login-reset", "operator"): "登录成功，清除失败次数",
    ("password", "operator"): "重设密码",
    ("reset-admin", "operator"): "重置管理员",
    ("backup", "ledger"): "备份",
    ("restore", "ledger"): "恢复备份",
    ("demo", "ledger"): "生成演示数据",
    ("take-over-lock", "ledger_lock"): "接管被占用的台账",
    ("denied", ""): "拒绝（权限不足）",
    ("import", ""): "导入",
    ("create", ""): "新建",
    ("update", ""): "修改",
    ("delete", ""): "删除",
    ("renumber", ""): "重新编号",
    ("merge", ""): "合并",
}

TABLES: dict[str, str] = {
    "payment": "缴费", "enrollment": "参保", "person": "人员", "household": "户",
    "category_membership": "资助身份", "policy_year": "年度政策", "region": "地区", "setting": "设置",
    "operator": "操作员", "ledger": "台账", "ledger_lock": "台账占用", "roster": "花名册",
    "categories": "资助名单", "payments": "缴费信息",
}

SOURCES = {GUI: "窗口", CLI: "命令行", "": "—"}

#: Field names. A field that is None here is not shown (an internal number the 对象 already says).
FIELDS: dict[str, str | None] = {
    "status": "参保状态", "reason": "原因", "status_reason": "原因", "amount_fen": "金额", "paid_fen": "已缴金额", "due_fen": "应缴金额",
    "paid_on": "缴费日期", "channel": "缴费渠道", "voucher": "凭证号", "year": "年度", "warning": "提醒",
    "kind": "缴费类别", "name": "姓名", "phone": "联系电话", "relation": "与户主关系", "household": "户号",
    "village": "村", "village_id": None, "address": "地址", "id_number": "身份证号", "sex": "性别",
    "birth_date": "出生日期", "head_name": "户主姓名", "head_id_number": "户主身份证号", "number": "户号",
    "note": "备注", "created_at": "建立时间", "file": "文件", "sha256": "文件校验值", "from": "来源文件",
    "source": "来源", "identified_on": "认定日期", "ended_on": "结束日期", "category": "资助类别",
    "person": "身份证号", "count": "人数", "first": "第一人", "last": "最后一人", "categories": "资助身份",
    "statuses": "参保状态条数", "payments": "缴费笔数", "new": "新增", "updated": "更新", "unchanged": "未变",
    "rejected": "拒收", "unmatched": "未匹配", "ended": "结束", "policy_from_shipped_default": "使用默认政策",
    "enrollments_created": "新建参保记录", "enrollments_changed": "重算参保记录", "warnings": "提醒",
    "enrollments": "参保年度", "enrollments_removed": "删去的参保年度", "enrollments_added": "新建参保记录",
    "kept": "保留的身份证号", "payments_moved": "转过去的缴费笔数", "years_moved": "转过去的年度",
    "years_joined": "合并的年度", "merged_into": None, "id": None, "person_id": None, "reversal_id": None,
    "reversal_ids": "冲正笔数", "role": "角色", "villages": "负责村", "active": "启用", "failures": "失败次数",
    "reset": "已重设", "created": "新建", "reactivated": "重新启用", "unlocked": "解除锁定", "password": "密码",
    "what": "想做的事", "operator": "操作员", "encrypted": "加密", "size": "大小", "schema_version": "台账版本",
    "sha256_proven": "校验值已核对", "persons": "人数", "households": "户数", "seed": None,
    "replaced_ledger_kept_as": "原台账另存为", "user": "电脑用户", "host": "电脑", "pid": None,
    "since": "打开时间", "code": "行政区划代码", "level": "级别", "program": "程序", "text": None, "value": "值",
}

_SEX = {"M": "男", "F": "女", "male": "男", "female": "女", "1": "男", "2": "女"}
_KINDS = {"normal": "正常缴费", "backpay": "补缴", "refund": "退款"}
_LEVELS = {"township": "乡镇", "village": "村"}
#: The fields whose stored code is shown by its name; an unknown code is shown as stored.
_NAMED: dict[str, Mapping[str, str]] = {
    "channel": PAYMENT_CHANNELS, "category": DEFAULT_CATEGORY_NAMES, "sex": _SEX,
    "kind": _KINDS, "level": _LEVELS, "role": ROLE_NAMES,
}


@dataclass(frozen=True)
class EntryWords:
    """One entry as the trail shows it; ``changes`` is (field, before, after), "" for nothing."""

    when: str
    who: str
    source: str
    what: str
    whom: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def content(self) -> str:
        """The changes in one line: 参保状态：未缴费 → 死亡；原因：已故."""
        parts = []
        for name, before, after in self.changes:
            if before and after and before != after:
                parts.append(f"{name}：{before} → {after}")
            elif before and not after:
                parts.append(f"{name}：{before}（原）")
            else:
                parts.append(f"{name}：{after or before}")
        return "；".join(parts)


def _parsed(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text  # a plain string (a setting's value, a policy's text)


def _readable(code: str) -> str:
    return code.replace("_", " ").replace("-", " ")


def action_words(action: str, table: str) -> str:
    """The verb for an action on a table; an unknown one in a readable form."""
    found = ACTIONS.get((action, table)) or ACTIONS.get((action, ""))
    if found:
        return found
    return f"{_readable(action)}（{TABLES.get(table, _readable(table))}）" if table else _readable(action)


def _value(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if key.endswith("_fen") and isinstance(value, int):
        return f"{format_yuan(value)}元"
    if key == "status":
        try:
            return STATUS_NAMES[Status(value)]
        except ValueError:
            return str(value)
    if key in _NAMED:
        return _NAMED[key].get(str(value), str(value))
    if key == "reversal_ids" and isinstance(value, list):
        return str(len(value))
    if key == "categories" and isinstance(value, list):
        return "、".join(DEFAULT_CATEGORY_NAMES.get(_first_code(v), _first_code(v)) for v in value)
    if key == "password":
        return "已重设"
    if isinstance(value, list):
        return "、".join(_value(key, v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{FIELDS.get(k) or _readable(k)} {_value(k, v)}" for k, v in value.items()
                        if FIELDS.get(k, "") is not None and _value(k, v))
    return str(value)


def _first_code(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("category") or value.get("code") or "")
    return str(value)


def _changes(action: str, table: str, old: Any, new: Any) -> list[tuple[str, str, str]]:
    if table == "policy_year":
        rows = [("原政策", "已被替换", "")] if old else []
        if isinstance(new, dict):
            rows += _dict_changes({}, new)
        elif new:
            rows.append(("政策", "", "已载入"))
        return rows
    if table == "setting":
        return [("值", _value("value", old), _value("value", new))]
    if isinstance(old, dict) or isinstance(new, dict):
        old, new = (old if isinstance(old, dict) else {}), (new if isinstance(new, dict) else {})
        if action == "import":
            new = {k: v for k, v in new.items() if k != "kind"}  # the verb says which kind of file
        rows = _dict_changes(old, new)
        if action == "update":  # a form saves every field: say only the ones that changed
            rows = [r for r in rows if r[1] != r[2]]
        if action == "reverse":  # the amount is what the reversal took back
            rows = [("冲正金额", "", b) if name == "金额" else (name, b, a) for name, b, a in rows]
        return rows
    return [("内容", _value("value", old), _value("value", new))] if (old or new) else []


def _dict_changes(old: dict, new: dict) -> list[tuple[str, str, str]]:
    rows = []
    order = {key: i for i, key in enumerate(FIELDS)}  # stored sorted by English key: show in FIELDS' order
    for key in sorted({*old, *new}, key=lambda k: (order.get(k, len(order)), k)):
        name = FIELDS.get(key, _readable(key))
        if name is None:
            continue
        before, after = _value(key, old.get(key)), _value(key, new.get(key))
        if before or after:
            rows.append((name, before, after))
    return rows


# --- whom: one query for a page -------------------------------------------------------------------

_KIND_OF_TABLE = {"person": "p", "enrollment": "e", "payment": "y", "category_membership": "c",
                  "household": "h", "operator": "o"}
_LOOKUP = {
    "p": "SELECT 'p', p.id, p.name, h.number FROM person p JOIN household h ON h.id = p.household_id"
         " WHERE p.id IN ({})",
    "e": "SELECT 'e', x.id, p.name, h.number FROM enrollment x JOIN person p ON p.id = x.person_id"
         " JOIN household h ON h.id = p.household_id WHERE x.id IN ({})",
    "y": "SELECT 'y', x.id, p.name, h.number FROM payment x JOIN person p ON p.id = x.person_id"
         " JOIN household h ON h.id = p.household_id WHERE x.id IN ({})",
    "c": "SELECT 'c', x.id, p.name, h.number FROM category_membership x JOIN person p ON p.id = x.person_id"
         " JOIN household h ON h.id = p.household_id WHERE x.id IN ({})",
    "h": "SELECT 'h', id, head_name, number FROM household WHERE id IN ({})",
    "o": "SELECT 'o', id, name, '' FROM operator WHERE id IN ({})",
}


def _key(table: str, record_id: str) -> tuple[str, int] | None:
    kind = _KIND_OF_TABLE.get(table)
    if kind is None:
        return None
    if kind == "c" and "/" in record_id:  # an import's "person/year/category"
        kind, record_id = "p", record_id.split("/", 1)[0]
    return (kind, int(record_id)) if record_id.isdigit() else None


def _lookup(keys: set[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, str]]:
    parts, params = [], []
    for kind, sql in _LOOKUP.items():
        ids = sorted(i for k, i in keys if k == kind)
        if ids:
            parts.append(sql.format(", ".join("?" * len(ids))))
            params += ids
    if not parts:
        return {}
    rows = db.execute_sql(" UNION ALL ".join(parts), params).fetchall()
    return {(kind, int(i)): (str(name or ""), str(number or "")) for kind, i, name, number in rows}


def _person_words(name: str, number: str) -> str:
    return f"{name}（户号 {number}）" if number else name


def _whom(table: str, record_id: str, old: Any, new: Any, found: tuple[str, str] | None) -> str:
    kind = _KIND_OF_TABLE.get(table)
    if found is not None:
        name, number = found
        if kind == "h":
            return f"户号 {number}（户主 {name}）"
        return name if kind == "o" else _person_words(name, number)
    said = old if isinstance(old, dict) else new if isinstance(new, dict) else {}
    if kind == "h" and said.get("number"):
        return f"户号 {said['number']}（户主 {said.get('head_name', '')}）"
    if kind in ("p", "e", "y", "c") and said.get("name"):  # deleted since: named from the entry itself
        return _person_words(str(said["name"]), str(said.get("household") or ""))
    if table == "policy_year":
        return f"{record_id}年度"
    if table == "setting":
        return f"设置 {record_id}"
    if table == "region" and isinstance(new, dict) and new.get("name"):
        return str(new["name"])
    if not record_id.isdigit() and record_id:
        return record_id  # a file's name: an import, a backup, a ledger
    if kind in ("p", "e", "y", "c") and isinstance(new, dict) and new.get("person"):
        return f"身份证号 {new['person']}"
    return f"{TABLES.get(table, _readable(table))} {record_id}".strip()


def describe_page(rows: Sequence[Sequence[Any]]) -> list[EntryWords]:
    """Entries as read by ``audit.entries`` / ``audit.person_history``, in words; one query for all."""
    at, op, src, act, tab, rec, old_i, new_i = (ENTRY_COLUMNS.index(c) for c in (
        "at", "operator", "source", "action", "table", "record_id", "old_value", "new_value"))
    parsed = [(_parsed(r[old_i]), _parsed(r[new_i])) for r in rows]
    keys = {k for r in rows if (k := _key(str(r[tab]), str(r[rec] or ""))) is not None}
    found = _lookup(keys)
    words = []
    for row, (old, new) in zip(rows, parsed, strict=True):
        table, record_id, source = str(row[tab]), str(row[rec] or ""), str(row[src] or "")
        key = _key(table, record_id)
        operator = str(row[op] or "") or ("（未登录）" if source == GUI else "—")
        words.append(EntryWords(
            when=str(row[at]), who=operator, source=SOURCES.get(source, source),
            what=action_words(str(row[act]), table),
            whom=_whom(table, record_id, old, new, found.get(key) if key else None),
            changes=_changes(str(row[act]), table, old, new),
        ))
    return words


def describe(entry: Sequence[Any]) -> EntryWords:
    """One entry in words (a page of them: :func:`describe_page`, one query instead of many)."""
    return describe_page([entry])[0]
