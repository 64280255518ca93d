"""Policy years in the ledger: storing a policy, reading it back as the domain's Policy.

Storage only, so that :mod:`~desktop_app.services.charges` can read a year's policy without a
loop: loading a policy file (store it, then make and recompute the year's enrollments) is the use
case :mod:`~desktop_app.services.policy_load`, which builds on both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app.domain.charges import Charge, compute_charge
from desktop_app.domain.money import format_yuan
from desktop_app.domain.policy import (
    NO_CATEGORY_NAME,
    Policy,
    WaitingRules,
    load_policy_file,
    shipped_policy_files,
)
from desktop_app.domain.policy import (
    CategoryRule as RuleSpec,
)
from desktop_app.domain.policy_toml import policy_to_toml
from desktop_app.errors import ServiceError
from desktop_app.resources import resource
from desktop_app.services import audit
from desktop_app.store.models import CategoryRule, PolicyYear, db

# How the domain's Policy is stored, one table for both ways (store_policy, policy_for_year): a
# field added to the domain and the model is added here once.
#: Policy's fields kept in policy_year columns of the same name
_POLICY_COLUMNS = ("year", "standard_fen", "collection_start", "collection_end")
#: WaitingRules' numbers, each in the policy_year column ``waiting_<field>`` (exempt_categories
#: is a comma-separated text, written and read beside them)
_WAITING_COLUMNS = ("fixed_months", "months_per_break_year", "months_repaid_per_year", "floor_after_years",
                    "floor_months")
#: the domain's CategoryRule (RuleSpec here) fields, in category_rule columns of the same name
_RULE_COLUMNS = ("code", "name", "mode", "amount_fen", "percent")


def _shipped() -> dict[int, Path]:
    return shipped_policy_files(resource("policies"))


def newest_shipped_year() -> int:
    files = _shipped()
    if not files:
        raise ServiceError("程序自带的政策文件缺失（resources/policies），请重新安装")
    return max(files)


def load_shipped_policy(year: int) -> Policy:
    files = _shipped()
    if year not in files:
        known = "、".join(str(y) for y in files) or "无"
        raise ServiceError(f"没有{year}年度的自带政策文件（自带年度：{known}），请先载入该年度的政策文件")
    return load_policy_file(files[year])


@dataclass(frozen=True)
class YearStandard:
    """The policy a year's charges are computed with: the one loaded into the ledger, or, for a
    year whose policy was never loaded, the shipped national default (DOMAIN.md section 10)."""

    policy: Policy
    shipped: bool  # the shipped default: no policy of this year was loaded

    @property
    def note(self) -> str:
        """The sentence that says so, for a summary; "" for a loaded policy."""
        if not self.shipped:
            return ""
        year = self.policy.year
        return (f"{year}年度没有载入政策，按程序自带的{year}年度全国默认政策计算"
                f"（个人缴费标准{format_yuan(self.policy.standard_fen)}元）")


def year_standard(year: int) -> YearStandard:
    """Which standard ``year`` uses: its loaded policy, else the shipped default; with neither,
    refused (ServiceError). The one place that decides, for imports and the desk alike. Reads only."""
    stored = policy_for_year(year)
    if stored is not None:
        return YearStandard(stored, False)
    return YearStandard(load_shipped_policy(year), True)


def use_year_standard(year: int) -> YearStandard:
    """:func:`year_standard`, the shipped default stored as the year's policy when it is the one
    used (audited), so that the year's enrollments can be made. Call inside a transaction."""
    standard = year_standard(year)
    if standard.shipped:
        store_policy(standard.policy)
    return standard


def store_policy(policy: Policy, source_text: str | None = None, *, audited: bool = True) -> None:
    """Write (or replace) one year's policy; other years are untouched. Call inside a transaction.

    ``audited=False`` when the caller writes the entry itself (:func:`~desktop_app.services.policy_load.load_policy`, which knows more).
    """
    with db.atomic():
        old = PolicyYear.get_or_none(PolicyYear.year == policy.year)
        old_text = old.source_text if old else None
        CategoryRule.delete().where(CategoryRule.policy == policy.year).execute()
        PolicyYear.delete().where(PolicyYear.year == policy.year).execute()
        PolicyYear.insert(
            **{name: getattr(policy, name) for name in _POLICY_COLUMNS},
            **{f"waiting_{name}": getattr(policy.waiting, name) for name in _WAITING_COLUMNS},
            waiting_exempt_categories=",".join(policy.waiting.exempt_categories),
            source_text=source_text if source_text is not None else policy_to_toml(policy),
        ).execute()
        for position, rule in enumerate(policy.categories.values()):
            CategoryRule.create(policy=policy.year, position=position,
                                **{name: getattr(rule, name) for name in _RULE_COLUMNS})
        if audited:
            audit.record(
                "replace" if old else "create", "policy_year", policy.year, old_text,
                source_text if source_text is not None else policy_to_toml(policy),
            )


def policy_for_year(year: int) -> Policy | None:
    row = PolicyYear.get_or_none(PolicyYear.year == year)
    if row is None:
        return None
    rules = CategoryRule.select().where(CategoryRule.policy == year).order_by(CategoryRule.position)
    exempt = tuple(code for code in row.waiting_exempt_categories.split(",") if code)
    return Policy(
        **{name: getattr(row, name) for name in _POLICY_COLUMNS},
        categories={r.code: RuleSpec(**{name: getattr(r, name) for name in _RULE_COLUMNS}) for r in rules},
        waiting=WaitingRules(**{name: getattr(row, f"waiting_{name}") for name in _WAITING_COLUMNS},
                             exempt_categories=exempt),
    )


def policy_years() -> list[int]:
    return [row.year for row in PolicyYear.select(PolicyYear.year).order_by(PolicyYear.year)]


def charge_table(policy: Policy) -> list[tuple[str, str, str, Charge]]:
    """For the policy page and ``policy show``: each category's rule beside what it leaves to pay.

    Rows are (code, name, rule in words, charge); the last row is the ordinary resident.
    """
    rows = []
    for code, rule in policy.categories.items():
        if rule.mode == "full":
            words = "全额资助"
        elif rule.mode == "fixed":
            words = f"定额资助{format_yuan(rule.amount_fen or 0)}元"
        else:
            words = f"按标准的{rule.percent}%资助"
        rows.append((code, rule.name, words, compute_charge(policy, [code])))
    rows.append(("none", NO_CATEGORY_NAME, "无资助", compute_charge(policy, [])))
    return rows


def policy_source(year: int) -> str:
    """The policy file of ``year`` as it was loaded."""
    row = PolicyYear.get_or_none(PolicyYear.year == year)
    return row.source_text if row else ""
