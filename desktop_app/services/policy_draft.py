"""Next year's policy started from the window: last year's policy copied for editing, written back
as a policy file's text so that the loader's one check (:func:`~desktop_app.domain.policy.parse_policy`)
judges what the clerk typed, exactly as it judges a file (issue 16).

The form's values are text as typed: a number is written as a number, anything else as a quoted
string, so that the loader refuses it with its own reason ("standard 应为…"). The national
document the year follows is required and heads the text as its 依据 comment, which stays in the
stored policy and in the load's audit entry.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from desktop_app.domain.money import format_yuan
from desktop_app.domain.policy import Policy
from desktop_app.errors import ServiceError
from desktop_app.services.policy import (
    load_shipped_policy,
    newest_shipped_year,
    policy_for_year,
    policy_years,
)
from desktop_app.services.policy_load import PolicyLoadResult, load_policy_text

#: The waiting-period numbers of a policy file, in its order.
WAITING_KEYS = ("fixed_months", "months_per_break_year", "months_repaid_per_year", "floor_after_years",
                "floor_months")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class CategoryDraft:
    code: str
    name: str
    mode: str  # full | fixed | ratio
    amount: str = ""  # yuan, for fixed
    percent: str = ""  # whole number, for ratio


@dataclass
class PolicyDraft:
    year: int
    standard: str  # yuan
    collection_start: dt.date
    collection_end: dt.date
    categories: list[CategoryDraft] = field(default_factory=list)
    waiting: dict[str, str] = field(default_factory=dict)
    exempt_categories: tuple[str, ...] = ()
    document: str = ""  # the national document the year's policy follows
    copied_from: int | None = None


def _a_year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _yuan(fen: int) -> str:
    return format_yuan(fen).removesuffix(".00")


def draft_from(policy: Policy, year: int) -> PolicyDraft:
    """``policy`` copied for ``year``: the same numbers, the collection period a year later."""
    categories = [
        CategoryDraft(rule.code, rule.name, rule.mode,
                      _yuan(rule.amount_fen) if rule.amount_fen is not None else "",
                      str(rule.percent) if rule.percent is not None else "")
        for rule in policy.categories.values()
    ]
    waiting = {key: str(getattr(policy.waiting, key)) for key in WAITING_KEYS}
    return PolicyDraft(year, _yuan(policy.standard_fen), _a_year_later(policy.collection_start),
                       _a_year_later(policy.collection_end), categories, waiting,
                       tuple(policy.waiting.exempt_categories), "", policy.year)


def next_year_draft() -> PolicyDraft:
    """The newest policy year of the ledger (else the newest shipped one) copied for the year after."""
    years = policy_years()
    if years:
        policy = policy_for_year(years[-1])
        assert policy is not None
    else:
        policy = load_shipped_policy(newest_shipped_year())
    return draft_from(policy, policy.year + 1)


def _value(text: str) -> str:
    """A number as a TOML number; anything else quoted, for the loader to refuse with its reason."""
    cleaned = text.strip().removesuffix("元").strip()
    return cleaned if _NUMBER.match(cleaned) else json.dumps(text.strip(), ensure_ascii=False)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def draft_to_toml(draft: PolicyDraft) -> str:
    """The draft as a policy file's text, for :func:`~desktop_app.services.policy_load.load_policy_text`."""
    document = _one_line(draft.document)
    if not document:
        raise ServiceError("请填写本年度政策依据的文件（例如国家医保局、财政部、国家税务总局的年度通知及文号）")
    source = f"（以{draft.copied_from}年度政策为底稿修改）" if draft.copied_from else ""
    out = [
        f"# 参保台账 年度政策：{draft.year}年度城乡居民基本医疗保险，在窗口中填写{source}",
        f"# 依据：{document}",
        "",
        f"year = {draft.year}",
        f"standard = {_value(draft.standard)}",
        f"collection_start = {draft.collection_start.isoformat()}",
        f"collection_end = {draft.collection_end.isoformat()}",
    ]
    for category in draft.categories:
        out += ["", f"[categories.{category.code}]", f"name = {json.dumps(category.name.strip(), ensure_ascii=False)}",
                f"mode = {json.dumps(category.mode)}"]
        if category.mode == "fixed":
            out.append(f"amount = {_value(category.amount)}")
        elif category.mode == "ratio":
            out.append(f"percent = {_value(category.percent)}")
    out += ["", "[waiting]"]
    out += [f"{key} = {_value(draft.waiting.get(key, ''))}" for key in WAITING_KEYS]
    out.append(f"exempt_categories = [{', '.join(json.dumps(c) for c in draft.exempt_categories)}]")
    return "\n".join(out) + "\n"


def load_draft(draft: PolicyDraft) -> PolicyLoadResult:
    """Load the draft as its year's policy, as a policy file is loaded (administrators only)."""
    return load_policy_text(draft_to_toml(draft), f"{draft.year}年度政策（在窗口中填写）")
