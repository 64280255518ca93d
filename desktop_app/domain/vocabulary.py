"""The fixed vocabulary of DOMAIN.md: insurance statuses, collection modes, default categories.

Codes are what the ledger stores; Chinese names are what exports and county files use
(DOMAIN.md sections 3, 4, 5 and 9). The Qt layer translates codes for display itself.
"""

from __future__ import annotations

from enum import Enum
from typing import Self


class Worded(str, Enum):
    """A code the ledger stores, with the Chinese words that name it (in exports, county files
    and messages): each member is written ``CODE = "code", "中文"``; its value is the code."""

    chinese: str

    def __new__(cls, code: str, chinese: str) -> Self:
        member = str.__new__(cls, code)
        member._value_ = code
        member.chinese = chinese
        return member


class Status(Worded):
    """参保状态 of a person in a year (DOMAIN.md section 5)."""

    UNPAID = "unpaid", "未缴费"
    PAID = "paid", "已缴费"
    EXEMPT = "exempt", "全额资助代缴"
    EMPLOYEE = "employee", "参加职工医保"
    ELSEWHERE = "elsewhere", "异地参保"
    DECEASED = "deceased", "死亡"
    MOVED = "moved", "迁出"
    MILITARY = "military", "服兵役"
    OTHER = "other", "其他不需参保"


STATUS_NAMES: dict[Status, str] = {status: status.chinese for status in Status}

#: Statuses recorded by staff with a reason; they take precedence over the automatic
#: ``exempt`` / ``unpaid`` choice (DOMAIN.md section 5).
RECORDED_STATUSES = frozenset(
    {Status.EMPLOYEE, Status.ELSEWHERE, Status.DECEASED, Status.MOVED, Status.MILITARY, Status.OTHER}
)
#: 不计入应参保人数: persons with these statuses are not expected to enrol.
NOT_EXPECTED = frozenset({Status.DECEASED, Status.MOVED, Status.MILITARY, Status.OTHER})
#: 已参保人数 counts these.
INSURED = frozenset({Status.PAID, Status.EXEMPT, Status.EMPLOYEE, Status.ELSEWHERE})
#: 居民医保缴费人数 counts these.
CONTRIBUTING = frozenset({Status.PAID, Status.EXEMPT})


class CollectionMode(Worded):
    """征缴方式 (DOMAIN.md section 4)."""

    EXEMPT_PAID_BY_FUND = "exempt", "免征代缴"  # subsidy equals the standard
    DIFFERENCE = "difference", "差额征缴"  # 0 < subsidy < standard
    ORDINARY = "ordinary", "正常征缴"  # no subsidy

#: Default categories (DOMAIN.md section 3). A policy file can rename, add or drop them;
#: these are the codes and names used when no policy says otherwise, and by the demo.
DEFAULT_CATEGORY_NAMES: dict[str, str] = {
    "tekun": "特困人员",
    "guer": "孤儿（含事实无人抚养儿童）",
    "dibao": "低保对象",
    "jiance": "防止返贫监测对象",
    "tuopin": "脱贫人口",
    "canji": "重度残疾人",
}

#: Spellings of category names found in county files (DOMAIN.md section 3).
CATEGORY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "tekun": ("特困", "特困人员", "特困供养人员", "特困供养"),
    "guer": ("孤儿", "事实无人抚养儿童", "孤儿（含事实无人抚养儿童）"),
    "dibao": ("低保", "低保对象", "城乡低保", "农村低保", "低保户"),
    "jiance": ("监测对象", "防返贫监测对象", "防止返贫监测对象", "返贫监测对象"),
    "tuopin": ("脱贫户", "脱贫人口"),
    "canji": ("重度残疾", "重度残疾人"),
}

#: Payment channels (DOMAIN.md section 2).
PAYMENT_CHANNELS: dict[str, str] = {
    "tax_app": "税务APP",
    "bank": "银行",
    "cash": "现金代收",
    "family_account": "个人账户共济",
}

#: 与户主关系 values as written on household registers.
RELATIONS: tuple[str, ...] = (
    "户主", "配偶", "子", "女", "父亲", "母亲", "孙子", "孙女", "儿媳", "女婿",
    "兄弟", "姐妹", "祖父", "祖母", "其他",
)


def category_code_for(name: str) -> str | None:
    """The category code a county file's spelling stands for, or None when unknown."""
    cleaned = name.strip()
    for code, spellings in CATEGORY_SPELLINGS.items():
        if cleaned in spellings or cleaned == DEFAULT_CATEGORY_NAMES[code]:
            return code
    return None
