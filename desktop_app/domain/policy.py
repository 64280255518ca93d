"""年度政策: the policy of one year, read from a TOML file (DOMAIN.md sections 3, 4 and 6).

Every number a county can change lives in its policy file, never in code. A file looks like::

    year = 2025
    standard = 400                  # 个人缴费标准, yuan per person per year
    collection_start = 2024-09-01   # 集中征缴期
    collection_end = 2024-12-31

    [categories.dibao]
    name = "低保对象"
    mode = "fixed"                  # full 全额 | fixed 定额 | ratio 按比例
    amount = 200                    # yuan, for fixed

    [categories.canji]
    name = "重度残疾人"
    mode = "ratio"
    percent = 50                    # for ratio

    [waiting]                       # optional; the values of DOMAIN.md section 6 by default
    fixed_months = 3
    months_per_break_year = 1
    months_repaid_per_year = 1
    floor_after_years = 4
    floor_months = 6
    exempt_categories = ["tekun", "guer", "dibao", "jiance"]

Decisions (DOMAIN.md leaves them open):

- Amounts are yuan with at most two decimals (``400``, ``400.5``, ``187.25``). Decimals are read
  by ``tomllib`` straight into :class:`decimal.Decimal`, so no float ever touches an amount; a
  third decimal (less than a fen) is refused. Percentages are whole numbers 0..100.
- Dates are TOML dates (``2024-09-01``). A quoted ``"2024-09-01"`` is accepted too, because a
  clerk editing in Notepad may well add the quotes; any other spelling is refused.
- Unknown keys are refused (a typo such as ``amout`` would otherwise silently mean "no amount"),
  with a suggestion of the key that was probably meant.
- A category code is lower-case ASCII (``dibao``, ``dibao_bianyuan``); ``none`` is reserved for
  普通居民. Two categories may not share a name (exports and imports match on names).
- ``amount`` belongs only to ``fixed`` and ``percent`` only to ``ratio``: a leftover of the other
  kind is refused rather than ignored, so the file always says what it means.
- A ``fixed`` amount above the standard is allowed (DOMAIN.md section 10): it is kept as written
  and gives *S* (min(amount, *S*), :func:`desktop_app.domain.charges.category_subsidy`); reading
  the file puts a warning in :attr:`Policy.warnings`, which the load reports once.
- ``exempt_categories`` may only name categories of the same file. When it is left out, it is
  the hard-pressed categories (tekun, guer, dibao, jiance) that the file defines.
- A file may be UTF-8 (with or without BOM) or, failing that, GB18030 (old Notepad "ANSI").
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal, TypeGuard

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from desktop_app.domain.money import FEN_PER_YUAN, format_yuan
from desktop_app.domain.toml_lines import KeyLines, syntax_problem
from desktop_app.domain.vocabulary import DEFAULT_CATEGORY_NAMES
from desktop_app.errors import UserError

SubsidyMode = Literal["full", "fixed", "ratio"]

#: 资助方式 and how the policy file spells them.
SUBSIDY_MODE_NAMES: dict[str, str] = {
    "full": "全额资助",
    "fixed": "定额资助",
    "ratio": "按比例资助",
}

#: The code and name of a person in no subsidised category (DOMAIN.md section 3).
NO_CATEGORY = "none"
NO_CATEGORY_NAME = "普通居民"

#: The hard-pressed categories exempt from waiting periods unless the file says otherwise.
DEFAULT_WAITING_EXEMPT: tuple[str, ...] = ("tekun", "guer", "dibao", "jiance")

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOP_KEYS = ("year", "standard", "collection_start", "collection_end", "categories", "waiting")
_CATEGORY_KEYS = ("name", "mode", "amount", "percent")
_WAITING_INT_KEYS = (  # also in policy_toml, which writes them in this order
    "fixed_months",
    "months_per_break_year",
    "months_repaid_per_year",
    "floor_after_years",
    "floor_months",
)
_WAITING_KEYS = (*_WAITING_INT_KEYS, "exempt_categories")
_WAITING_UNITS = {key: "年" if key == "floor_after_years" else "月" for key in _WAITING_INT_KEYS}
_MODES_HINT = "应为 full（全额资助）、fixed（定额资助）或 ratio（按比例资助）"
_DATE_KEYS = {"collection_start": "集中征缴期开始日期", "collection_end": "集中征缴期结束日期"}
_DATE_EXAMPLES = {"collection_start": "2024-09-01", "collection_end": "2024-12-31"}
#: The years a policy (and every ``--year``) may name: a plausible policy year, four digits.
POLICY_YEARS = range(2000, 2101)
#: Bounds of DOMAIN.md section 10: a standard is between 1 and 100,000 yuan, months between 0
#: and 120. A fixed subsidy is at most the same 100,000 yuan; percentages are 0..100.
STANDARD_MIN_FEN = 1 * FEN_PER_YUAN
AMOUNT_MAX_FEN = 100_000 * FEN_PER_YUAN
MONTHS_MAX = 120
_FEN = Decimal("0.01")


class PolicyError(UserError, ValueError):
    """A policy file that cannot be used, with the line (1-based) and a reason in plain Chinese.

    ``message`` names the line itself ("第5行：…"), so it can be shown as it is; ``line`` is
    None when no single line is at fault (a missing ``year``, an unreadable file).
    """

    def __init__(self, problem: str, line: int | None = None, source: str = "政策文件") -> None:
        self.line = line
        self.source = source
        self.problem = problem
        self.message = f"第{line}行：{problem}" if line is not None else problem
        super().__init__(f"{source}：{self.message}")


@dataclass(frozen=True)
class CategoryRule:
    """How one 资助类别 is subsidised: full 全额, fixed 定额 (amount) or ratio 按比例 (percent)."""

    code: str
    name: str
    mode: SubsidyMode
    amount_fen: int | None = None
    percent: int | None = None

    def __post_init__(self) -> None:
        if self.mode not in SUBSIDY_MODE_NAMES:
            raise ValueError(f"unknown subsidy mode {self.mode!r}")
        if self.mode == "fixed" and (self.amount_fen is None or self.amount_fen < 0):
            raise ValueError("a fixed subsidy needs an amount_fen >= 0")
        if self.mode == "ratio" and (self.percent is None or not 0 <= self.percent <= 100):
            raise ValueError("a ratio subsidy needs a percent in 0..100")


@dataclass(frozen=True)
class WaitingRules:
    """待遇等待期 numbers of 国办发〔2024〕38号 (DOMAIN.md section 6); a policy file may change them.

    - ``fixed_months``: 固定等待期, 3 months after enrolment outside the period or after a break;
    - ``months_per_break_year``: 变动等待期, +1 month per year of break beyond the first;
    - ``months_repaid_per_year``: each extra year paid back repairs this many months of it;
    - ``floor_after_years`` / ``floor_months``: after a break of 4+ years, fixed + variable
      stays at least 6 months however much is paid back;
    - ``exempt_categories``: special groups with no waiting period (newborns always are).
    """

    fixed_months: int = 3
    months_per_break_year: int = 1
    months_repaid_per_year: int = 1
    floor_after_years: int = 4
    floor_months: int = 6
    exempt_categories: tuple[str, ...] = DEFAULT_WAITING_EXEMPT


@dataclass(frozen=True)
class Policy:
    """The policy of one year: standard, collection period, category rules, waiting periods.

    ``categories`` keeps the order of the file (ties between equal subsidies go to the
    category written first); treat it as read-only.
    """

    year: int
    standard_fen: int
    collection_start: dt.date
    collection_end: dt.date
    categories: dict[str, CategoryRule] = field(default_factory=dict)
    waiting: WaitingRules = field(default_factory=WaitingRules)
    #: What reading the file found worth saying without refusing it ("第8行：…"), for the load
    #: to report once; a policy read back from the ledger has none. Not part of equality.
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def category_name(self, code: str | None) -> str:
        """The name this year's policy gives a category; 普通居民 for none; the default name of a
        category the policy does not list (脱贫人口 where only 低保 is subsidised); else the code."""
        if code is None or code == NO_CATEGORY:
            return NO_CATEGORY_NAME
        rule = self.categories.get(code)
        if rule is not None:
            return rule.name
        # a category this year's policy does not subsidise is still a fact about the person
        return DEFAULT_CATEGORY_NAMES.get(code, code)

    def in_collection_period(self, day: dt.date) -> bool:
        """Whether ``day`` falls in the 集中征缴期, both end dates included."""
        return self.collection_start <= day <= self.collection_end


# --------------------------------------------------------------------------------- reading


def parse_policy(text: str, source: str = "政策文件") -> Policy:
    """Read and check a policy file's text; raise :class:`PolicyError` saying which line is wrong."""
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(text, str(exc), source) from exc
    return _Reader(KeyLines(text), source).policy(data)


def read_policy_text(path: str | Path) -> str:
    """A policy file's text (UTF-8, with or without BOM, else GB18030 from old Notepad "ANSI")."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"无法读取政策文件 {path}（{exc.strerror or exc}）", None, str(path)) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise PolicyError(
                "文件编码无法识别，请用记事本“另存为”UTF-8编码", None, str(path)
            ) from exc


def load_policy_file(path: str | Path) -> Policy:
    """Read a policy file from disk (UTF-8, with or without BOM, else GB18030)."""
    return parse_policy(read_policy_text(path), source=str(path))


def shipped_policy_files(folder: Path | None = None) -> dict[int, Path]:
    """The default policy files shipped in ``resources/policies`` (``2025.toml`` -> 2025), by year.

    ``folder`` defaults to ``resources/policies`` beside the package (the repository root in a
    checkout); callers that know better (an override, a frozen bundle) pass the folder.
    """
    if folder is None:
        folder = Path(__file__).resolve().parent.parent.parent / "resources" / "policies"
    if not folder.is_dir():
        return {}
    found = {int(p.stem): p for p in folder.glob("*.toml") if p.stem.isdigit()}
    return dict(sorted(found.items()))


def _syntax_error(text: str, detail: str, source: str) -> PolicyError:
    """A TOML syntax error in plain Chinese, at the line ``tomllib`` names."""
    problem, line = syntax_problem(text, detail, _DATE_KEYS)
    return PolicyError(problem, line, source)


class _Reader:
    """Checks the parsed TOML one key at a time, raising at the line of the first problem."""

    def __init__(self, lines: KeyLines, source: str) -> None:
        self.lines = lines
        self.source = source
        self.warnings: list[str] = []

    def fail(self, problem: str, *path: str) -> PolicyError:
        return PolicyError(problem, self.lines.line_of(*path) if path else None, self.source)

    def warning(self, problem: str, *path: str) -> str:
        """A warning worded as a refusal's message is ("第8行：…"), without refusing."""
        return PolicyError(problem, self.lines.line_of(*path), self.source).message

    def policy(self, data: Mapping[str, object]) -> Policy:
        self.refuse_unknown(data, _TOP_KEYS, ())
        year = self.year(data)
        standard = self.yuan(data, ("standard",), "standard（个人缴费标准，元/人·年）")
        if standard is None:
            raise self.fail("缺少 standard（个人缴费标准，元/人·年），例如 standard = 400")
        if not STANDARD_MIN_FEN <= standard <= AMOUNT_MAX_FEN:
            raise self.fail(
                f"个人缴费标准 standard 应在 {STANDARD_MIN_FEN // FEN_PER_YUAN} 到 "
                f"{AMOUNT_MAX_FEN // FEN_PER_YUAN:,} 元之间，这里是 {_yuan_words(standard)} 元",
                "standard",
            )
        start = self.date(data, "collection_start")
        end = self.date(data, "collection_end")
        if end < start:
            raise self.fail(
                f"集中征缴期结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}",
                "collection_end",
            )
        categories = self.categories(data.get("categories", {}), standard)
        waiting = self.waiting(data.get("waiting", {}), categories)
        return Policy(year, standard, start, end, categories, waiting, tuple(self.warnings))

    def refuse_unknown(
        self, table: Mapping[str, object], known: tuple[str, ...], at: tuple[str, ...]
    ) -> None:
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                where = f"[{'.'.join(at)}] 中" if at else ""
                hint = (
                    f"，是不是想写“{close[0]}”？" if close else f"，可写的项有：{'、'.join(known)}"
                )
                raise self.fail(f"{where}不认识的设置项“{key}”{hint}", *at, key)

    def year(self, data: Mapping[str, object]) -> int:
        if "year" not in data:
            raise self.fail("缺少 year（政策年度），请在文件开头写上，例如 year = 2025")
        year = data["year"]
        if not _is_int(year):
            raise self.fail(
                f"year 应为整数年份（不加引号），例如 year = 2025，这里是“{year}”", "year"
            )
        if year not in POLICY_YEARS:
            raise self.fail(f"年度 {year} 不合理，应在 {POLICY_YEARS[0]} 到 {POLICY_YEARS[-1]} 之间", "year")
        return year

    def yuan(self, table: Mapping[str, object], path: tuple[str, ...], what: str) -> int | None:
        """An amount in yuan (at most two decimals) as fen; None when the key is absent."""
        key = path[-1]
        if key not in table:
            return None
        value = table[key]
        number: Decimal | None = None
        if _is_int(value) or (isinstance(value, Decimal) and value.is_finite()):
            number = Decimal(value)
        if number is not None and number.copy_abs() > 10 * AMOUNT_MAX_FEN // FEN_PER_YUAN:
            # compared exactly, before any arithmetic: 1e999999 never becomes a Python int
            raise self.fail(
                f"{what}“{value}”大得不合理（不能超过 {AMOUNT_MAX_FEN // FEN_PER_YUAN:,} 元）", *path
            )
        if number is None or number != number.quantize(_FEN):
            raise self.fail(
                f"{what}应为金额数字（元，最多两位小数，不加引号），例如 {key} = 400，这里是“{value}”",
                *path,
            )
        return int(number * FEN_PER_YUAN)

    def date(self, data: Mapping[str, object], key: str) -> dt.date:
        what = f"{key}（{_DATE_KEYS[key]}）"
        if key not in data:
            raise self.fail(f"缺少 {what}，例如 {key} = {_DATE_EXAMPLES[key]}")
        value = data[key]
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        raise self.fail(
            f"{what}应为日期，写成 2024-09-01 这样（年-月-日，不带时间），这里是“{value}”", key
        )

    def categories(self, table: object, standard: int) -> dict[str, CategoryRule]:
        if not isinstance(table, dict):
            raise self.fail("categories 应写成 [categories.代码] 这样的表", "categories")
        rules: dict[str, CategoryRule] = {}
        names: dict[str, str] = {}
        for code, body in table.items():
            rule = self.category(code, body, standard)
            if rule.name in names:
                raise self.fail(
                    f"类别名称“{rule.name}”与类别 {names[rule.name]} 重复，每个类别的名称应不同",
                    "categories",
                    code,
                    "name",
                )
            names[rule.name] = code
            rules[code] = rule
        return rules

    def category(self, code: str, body: object, standard: int) -> CategoryRule:
        at = ("categories", code)
        if code == NO_CATEGORY:
            raise self.fail("类别代码 none 表示普通居民（无资助），不能作为资助类别", *at)
        if not _CODE.match(code):
            raise self.fail(
                f"类别代码“{code}”只能用小写英文字母、数字和下划线，并以字母开头，例如 dibao", *at
            )
        if not isinstance(body, dict):
            raise self.fail(
                f"类别 {code} 应写成 [categories.{code}] 表，其中写 name、mode 等项", *at
            )
        self.refuse_unknown(body, _CATEGORY_KEYS, at)
        name = body.get("name")
        if name is None:
            raise self.fail(f'类别 {code} 缺少 name（类别名称），例如 name = "低保对象"', *at)
        if not isinstance(name, str) or not name.strip():
            raise self.fail(
                f"类别 {code} 的名称 name 应为加英文双引号的文字，且不能为空", *at, "name"
            )
        mode = body.get("mode")
        if mode is None:
            raise self.fail(f"类别 {code} 缺少 mode（资助方式），{_MODES_HINT}", *at)
        if mode not in SUBSIDY_MODE_NAMES:
            raise self.fail(f"类别 {code} 的资助方式“{mode}”不认识，{_MODES_HINT}", *at, "mode")
        for key, owner in (("amount", "fixed"), ("percent", "ratio")):
            if key in body and mode != owner:
                raise self.fail(
                    f"类别 {code} 为{SUBSIDY_MODE_NAMES[str(mode)]}（{mode}），不用写 {key}；"
                    f"请删去这一行，或把 mode 改为 {owner}",
                    *at,
                    key,
                )
        amount = self.yuan(body, (*at, "amount"), f"类别 {code} 的资助金额 amount ")
        percent = self.percent(code, body)
        if mode == "fixed":
            if amount is None:
                raise self.fail(
                    f"类别 {code} 为定额资助（fixed），缺少 amount（资助金额，元）", *at
                )
            if amount < 0:
                raise self.fail(
                    f"类别 {code} 的资助金额 {format_yuan(amount)} 元不能为负数", *at, "amount"
                )
            if amount > AMOUNT_MAX_FEN:
                raise self.fail(
                    f"类别 {code} 的资助金额 {_yuan_words(amount)} 元大得不合理，"
                    f"应在 0 到 {AMOUNT_MAX_FEN // FEN_PER_YUAN:,} 元之间",
                    *at,
                    "amount",
                )
            if amount > standard:  # allowed (DOMAIN.md §10): it gives S, and the load says so once
                self.warnings.append(self.warning(
                    f"类别 {code} 的资助金额 {format_yuan(amount)} 元超过了个人缴费标准 "
                    f"{format_yuan(standard)} 元，按 {format_yuan(standard)} 元资助（即全额资助）",
                    *at, "amount",
                ))
        if mode == "ratio" and percent is None:
            raise self.fail(
                f"类别 {code} 为按比例资助（ratio），缺少 percent（资助比例，如 50）", *at
            )
        return CategoryRule(code, name.strip(), mode, amount, percent)

    def percent(self, code: str, body: Mapping[str, object]) -> int | None:
        if "percent" not in body:
            return None
        value = body["percent"]
        if not _is_int(value) or not 0 <= value <= 100:
            raise self.fail(
                f"类别 {code} 的资助比例 percent 应为 0 到 100 的整数（不写%），这里是“{value}”",
                "categories",
                code,
                "percent",
            )
        return value

    def waiting(self, table: object, categories: Mapping[str, CategoryRule]) -> WaitingRules:
        if not isinstance(table, dict):
            raise self.fail("waiting 应写成 [waiting] 表", "waiting")
        self.refuse_unknown(table, _WAITING_KEYS, ("waiting",))
        numbers: dict[str, int] = {}
        for key in _WAITING_INT_KEYS:
            if key in table:
                value = table[key]
                if not _is_int(value) or not 0 <= value <= MONTHS_MAX:
                    raise self.fail(
                        f"[waiting] 中 {key} 应为 0 到 {MONTHS_MAX} 之间的整数"
                        f"（{_WAITING_UNITS[key]}），这里是“{value}”",
                        "waiting",
                        key,
                    )
                numbers[key] = value
        if "exempt_categories" in table:
            exempt = self.exempt(table["exempt_categories"], categories)
        else:
            exempt = tuple(code for code in DEFAULT_WAITING_EXEMPT if code in categories)
        return WaitingRules(**numbers, exempt_categories=exempt)

    def exempt(self, value: object, categories: Mapping[str, CategoryRule]) -> tuple[str, ...]:
        at = ("waiting", "exempt_categories")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail('exempt_categories 应写成类别代码的列表，例如 ["tekun", "dibao"]', *at)
        for code in value:
            if code not in categories:
                raise self.fail(
                    f"exempt_categories 中的“{code}”不是本文件 [categories] 中的类别代码", *at
                )
        return tuple(dict.fromkeys(value))


def _yuan_words(fen: int) -> str:
    """An amount for a refusal: 1,000,000,000,000.00 rather than 1000000000000.00."""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{'-' if fen < 0 else ''}{whole:,}.{cents:02d}"


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
