"""年度政策 files: reading, refusing with the right line, writing back (DOMAIN.md sections 3, 4, 6)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.policy import (
    AMOUNT_MAX_FEN,
    MONTHS_MAX,
    STANDARD_MIN_FEN,
    CategoryRule,
    Policy,
    PolicyError,
    WaitingRules,
    load_policy_file,
    parse_policy,
    shipped_policy_files,
)
from desktop_app.domain.policy_toml import policy_to_toml
from desktop_app.domain.toml_lines import KeyLines, split_dotted_key
from desktop_app.domain.vocabulary import DEFAULT_CATEGORY_NAMES

# The example of the issue, line for line (line numbers matter to the tests below).
ISSUE_EXAMPLE = """\
year = 2025
standard = 400                  # yuan per person per year
collection_start = 2024-09-01
collection_end = 2024-12-31
[categories.dibao]
name = "低保对象"
mode = "fixed"                  # full | fixed | ratio
amount = 200                    # yuan, for fixed
[categories.canji]
name = "重度残疾人"
mode = "ratio"
percent = 50                    # for ratio
[waiting]                        # optional; DOMAIN.md section 6 values by default
fixed_months = 3
months_per_break_year = 1
floor_after_years = 4
floor_months = 6
exempt_categories = ["dibao"]
"""


def _with(old: str, new: str, text: str = ISSUE_EXAMPLE) -> str:
    """The example with one piece replaced (the replacement keeps the line count unless said)."""
    assert old in text, old
    return text.replace(old, new, 1)


# ------------------------------------------------------------------------------ good files


def test_issue_example_reads_every_value() -> None:
    policy = parse_policy(ISSUE_EXAMPLE)
    assert policy.year == 2025
    assert policy.standard_fen == 40000
    assert policy.collection_start == dt.date(2024, 9, 1)
    assert policy.collection_end == dt.date(2024, 12, 31)
    assert list(policy.categories) == ["dibao", "canji"]
    assert policy.categories["dibao"] == CategoryRule("dibao", "低保对象", "fixed", 20000, None)
    assert policy.categories["canji"] == CategoryRule("canji", "重度残疾人", "ratio", None, 50)
    assert policy.waiting == WaitingRules(3, 1, 1, 4, 6, ("dibao",))


def test_categories_keep_file_order() -> None:
    text = """\
year = 2025
standard = 400
collection_start = 2024-09-01
collection_end = 2024-12-31
[categories.zeta]
name = "Z"
mode = "full"
[categories.alpha]
name = "A"
mode = "full"
[categories.mid]
name = "M"
mode = "fixed"
amount = 1
"""
    assert list(parse_policy(text).categories) == ["zeta", "alpha", "mid"]


def test_waiting_table_is_optional_and_defaults_to_section_6() -> None:
    text = ISSUE_EXAMPLE[: ISSUE_EXAMPLE.index("[waiting]")]
    policy = parse_policy(text)
    # Defaults of DOMAIN.md section 6; the exempt hard-pressed categories this file defines.
    assert policy.waiting == WaitingRules(3, 1, 1, 4, 6, ("dibao",))


def test_default_exempt_categories_are_the_hard_pressed_ones_present() -> None:
    text = """\
year = 2025
standard = 400
collection_start = 2024-09-01
collection_end = 2024-12-31
[categories.jiance]
name = "防止返贫监测对象"
mode = "fixed"
amount = 200
[categories.tekun]
name = "特困人员"
mode = "full"
[categories.canji]
name = "重度残疾人"
mode = "ratio"
percent = 50
[waiting]
fixed_months = 2
"""
    waiting = parse_policy(text).waiting
    assert waiting.exempt_categories == ("tekun", "jiance")
    assert waiting.fixed_months == 2
    assert waiting.floor_months == 6


def test_empty_exempt_list_means_nobody_exempt_by_category() -> None:
    text = _with('exempt_categories = ["dibao"]', "exempt_categories = []")
    assert parse_policy(text).waiting.exempt_categories == ()


def test_policy_without_categories_is_valid() -> None:
    text = (
        "year = 2025\nstandard = 400\ncollection_start = 2024-09-01\ncollection_end = 2024-12-31\n"
    )
    policy = parse_policy(text)
    assert policy.categories == {}
    assert policy.waiting.exempt_categories == ()


@pytest.mark.parametrize(
    ("written", "fen"),
    [
        ("400", 40000),
        ("400.5", 40050),
        ("400.50", 40050),
        ("380.25", 38025),
        ("400.0", 40000),
        ("4e2", 40000),
        ("1_000", 100000),
        ("400.01", 40001),
    ],
)
def test_standard_in_yuan_with_up_to_two_decimals_is_exact(written: str, fen: int) -> None:
    text = _with("standard = 400 ", f"standard = {written} ")
    assert parse_policy(text).standard_fen == fen


def test_decimal_fixed_amount_is_exact() -> None:
    text = _with("amount = 200 ", "amount = 187.35 ")
    assert parse_policy(text).categories["dibao"].amount_fen == 18735


def test_fixed_amount_equal_to_standard_and_zero_are_allowed() -> None:
    assert (
        parse_policy(_with("amount = 200 ", "amount = 400 ")).categories["dibao"].amount_fen
        == 40000
    )
    assert parse_policy(_with("amount = 200 ", "amount = 0 ")).categories["dibao"].amount_fen == 0


@pytest.mark.parametrize(("written", "fen"), [("400.01", 40001), ("900", 90000), ("100000", 10_000_000)])
def test_fixed_amount_above_the_standard_is_allowed_with_one_warning(written: str, fen: int) -> None:
    """DOMAIN.md §10: "Fixed subsidy above the standard: allowed; it gives S (min(amount, S))
    and the policy load warns once." The amount is kept as written; the warning names the line."""
    policy = parse_policy(_with("amount = 200 ", f"amount = {written} "))
    assert policy.categories["dibao"].amount_fen == fen
    assert len(policy.warnings) == 1
    assert policy.warnings[0].startswith("第8行") and "dibao" in policy.warnings[0]
    assert "400.00" in policy.warnings[0]
    assert parse_policy(ISSUE_EXAMPLE).warnings == ()  # a file within the rules warns of nothing
    assert parse_policy(policy_to_toml(policy)) == policy  # written back as it was read


@pytest.mark.parametrize(
    ("old", "new"),
    [("standard = 400 ", "standard = 1 "), ("standard = 400 ", "standard = 100000 "),
     ("fixed_months = 3", "fixed_months = 120"), ("fixed_months = 3", "fixed_months = 0"),
     ("floor_months = 6", "floor_months = 120")],
)
def test_the_bounds_themselves_are_allowed(old: str, new: str) -> None:
    text = _with(old, new)
    if new.startswith("standard"):
        text = _with("amount = 200 ", "amount = 1 ", text)
    parse_policy(text)


@pytest.mark.parametrize("percent", [0, 1, 60, 100])
def test_percent_bounds_allowed(percent: int) -> None:
    text = _with("percent = 50 ", f"percent = {percent} ")
    assert parse_policy(text).categories["canji"].percent == percent


def test_quoted_iso_date_is_accepted() -> None:
    text = _with("collection_start = 2024-09-01", 'collection_start = "2024-09-01"')
    assert parse_policy(text).collection_start == dt.date(2024, 9, 1)


def test_collection_period_of_a_single_day_is_allowed() -> None:
    text = _with("collection_end = 2024-12-31", "collection_end = 2024-09-01")
    assert parse_policy(text).collection_end == dt.date(2024, 9, 1)


def test_inline_and_dotted_category_tables() -> None:
    text = """\
year = 2025
standard = 400
collection_start = 2024-09-01
collection_end = 2024-12-31
[categories]
dibao = { name = "低保对象", mode = "fixed", amount = 200 }
tekun.name = "特困人员"
tekun.mode = "full"
"""
    policy = parse_policy(text)
    assert policy.categories["dibao"].amount_fen == 20000
    assert policy.categories["tekun"].mode == "full"


def test_name_is_stripped() -> None:
    text = _with('name = "低保对象"', 'name = "  低保对象 "')
    assert parse_policy(text).categories["dibao"].name == "低保对象"


def test_byte_order_mark_is_ignored() -> None:
    assert parse_policy("\ufeff" + ISSUE_EXAMPLE).year == 2025


def test_category_name_and_collection_period() -> None:
    policy = parse_policy(ISSUE_EXAMPLE)
    assert policy.category_name("dibao") == "低保对象"
    assert policy.category_name(None) == "普通居民"
    assert policy.category_name("none") == "普通居民"
    # not in this year's policy: still a fact about the person, named as DOMAIN.md names it
    assert policy.category_name("tuopin") == "脱贫人口"
    assert policy.category_name("youfu") == "youfu"  # unknown everywhere: the code itself
    assert policy.in_collection_period(dt.date(2024, 9, 1))
    assert policy.in_collection_period(dt.date(2024, 12, 31))
    assert not policy.in_collection_period(dt.date(2024, 8, 31))
    assert not policy.in_collection_period(dt.date(2025, 1, 1))


# ------------------------------------------------------------------------------ bad files

HEAD = ISSUE_EXAMPLE[: ISSUE_EXAMPLE.index("[categories.dibao]")]  # lines 1-4
BAD_POLICIES = [
    # (what, text, line, words the message must contain)
    ("unknown mode", _with('mode = "fixed"', 'mode = "fixd"'), 7, ["fixd", "full", "ratio"]),
    ("negative amount", _with("amount = 200 ", "amount = -5 "), 8, ["-5.00", "负数"]),
    ("percent over 100", _with("percent = 50 ", "percent = 150 "), 12, ["150", "0 到 100"]),
    ("negative percent", _with("percent = 50 ", "percent = -1 "), 12, ["-1", "0 到 100"]),
    ("decimal percent", _with("percent = 50 ", "percent = 50.5 "), 12, ["50.5", "整数"]),
    ("missing year", _with("year = 2025\n", "\n"), None, ["缺少 year"]),
    ("year as text", _with("year = 2025", 'year = "2025"'), 1, ["year", "整数"]),
    ("year out of range", _with("year = 2025", "year = 225"), 1, ["225", "2000"]),
    ("missing standard", _with("standard = 400 ", "#standard = 400 "), None, ["缺少 standard"]),
    ("standard zero", _with("standard = 400 ", "standard = 0 "), 2, ["1 到 100,000 元之间"]),
    ("standard negative", _with("standard = 400 ", "standard = -400 "), 2, ["1 到 100,000 元之间"]),
    # DOMAIN.md section 10: a standard between 1 and 100,000 yuan, months between 0 and 120
    ("standard 1e20 (was an OverflowError)", _with("standard = 400 ", "standard = 1e20 "), 2, ["1E+20", "不合理"]),
    ("standard 1e15 (crashed export summary)", _with("standard = 400 ", "standard = 1e15 "), 2, ["不合理"]),
    ("standard beyond any exponent", _with("standard = 400 ", "standard = 1e999999999 "), 2, ["不合理"]),
    ("standard a fen over", _with("standard = 400 ", "standard = 100000.01 "), 2, ["100,000.01", "100,000 元"]),
    ("standard under a yuan", _with("standard = 400 ", "standard = 0.99 "), 2, ["0.99", "1 到"]),
    ("standard an endless fraction", _with("standard = 400 ", "standard = 1e-999999999 "), 2, ["两位小数"]),
    ("fixed amount 1e20", _with("amount = 200 ", "amount = 1e20 "), 8, ["amount", "不合理"]),
    ("fixed amount a huge integer", _with("amount = 200 ", "amount = 100000000000000000000 "), 8, ["不合理"]),
    ("percent a huge integer", _with("percent = 50 ", "percent = 100000000000000000000 "), 12, ["0 到 100"]),
    ("waiting months over 120", _with("fixed_months = 3", "fixed_months = 121"), 14, ["fixed_months", "0 到 120", "月"]),
    ("waiting years huge", _with("floor_after_years = 4", "floor_after_years = 1000000000000000000000"), 16,
     ["floor_after_years", "0 到 120", "年"]),
    ("waiting floor over 120", _with("floor_months = 6", "floor_months = 1200"), 17, ["floor_months", "0 到 120"]),
    (
        "standard as text",
        _with("standard = 400 ", 'standard = "400" '),
        2,
        ["standard", "不加引号"],
    ),
    (
        "standard below a fen",
        _with("standard = 400 ", "standard = 400.555 "),
        2,
        ["400.555", "两位小数"],
    ),
    ("standard not a number", _with("standard = 400 ", "standard = nan "), 2, ["NaN"]),
    ("amount as bool", _with("amount = 200 ", "amount = true "), 8, ["amount", "True"]),
    (
        "missing start",
        _with("collection_start = 2024-09-01\n", "\n"),
        None,
        ["缺少 collection_start"],
    ),
    ("missing end", _with("collection_end = 2024-12-31\n", "\n"), None, ["缺少 collection_end"]),
    ("impossible month", _with("2024-09-01", "2024-13-01"), 3, ["2024-13-01", "2024-09-01"]),
    ("slashes", _with("2024-09-01", "2024/09/01"), 3, ["2024/09/01", "年-月-日"]),
    ("single-digit month", _with("2024-12-31", "2024-12-1"), 4, ["2024-12-1", "两位"]),
    ("quoted bad date", _with("2024-09-01", '"2024-9-1"'), 3, ["2024-9-1", "年-月-日"]),
    ("quoted impossible date", _with("2024-09-01", '"2024-02-30"'), 3, ["2024-02-30"]),
    ("date with time", _with("2024-09-01", "2024-09-01T08:00:00"), 3, ["不带时间"]),
    ("date as number", _with("2024-09-01", "20240901"), 3, ["collection_start", "日期"]),
    (
        "end before start",
        _with("2024-12-31", "2024-08-31"),
        4,
        ["2024-08-31", "早于", "2024-09-01"],
    ),
    ("unknown top key", _with("standard = 400 ", "standrad = 400 "), 2, ["standrad", "standard"]),
    ("unknown category key", _with("amount = 200 ", "amout = 200 "), 8, ["amout", "amount"]),
    (
        "unknown waiting key",
        _with("floor_months = 6", "floor_month = 6"),
        17,
        ["floor_month", "floor_months"],
    ),
    (
        "category code none",
        _with("[categories.canji]", "[categories.none]"),
        9,
        ["none", "普通居民"],
    ),
    (
        "category code in Chinese",
        _with("[categories.canji]", '[categories."残疾"]'),
        9,
        ["残疾", "小写英文"],
    ),
    ("category code upper case", _with("[categories.canji]", "[categories.Canji]"), 9, ["Canji"]),
    ("missing name", _with('name = "重度残疾人"\n', "\n"), 9, ["canji", "缺少 name"]),
    ("empty name", _with('name = "重度残疾人"', 'name = "  "'), 10, ["canji", "不能为空"]),
    ("name as number", _with('name = "重度残疾人"', "name = 5"), 10, ["canji", "name"]),
    (
        "duplicate name",
        _with('name = "重度残疾人"', 'name = "低保对象"'),
        10,
        ["低保对象", "dibao", "重复"],
    ),
    ("missing mode", _with('mode = "ratio"\n', "\n"), 9, ["canji", "缺少 mode"]),
    (
        "fixed without amount",
        _with("amount = 200 ", "# amount = 200 "),
        5,
        ["dibao", "缺少 amount"],
    ),
    (
        "ratio without percent",
        _with("percent = 50 ", "# percent = 50 "),
        9,
        ["canji", "缺少 percent"],
    ),
    ("amount on a ratio", _with("percent = 50 ", "amount = 50 "), 12, ["canji", "amount", "fixed"]),
    (
        "percent on a fixed",
        _with("amount = 200 ", "percent = 50 "),
        8,
        ["dibao", "percent", "ratio"],
    ),
    (
        "category not a table",
        _with("[categories.canji]", "[categories]\ncanji = 1\n#"),
        10,
        ["canji"],
    ),
    ("categories not a table", HEAD + 'categories = "x"\n', 5, ["categories", "表"]),
    (
        "negative waiting",
        _with("fixed_months = 3", "fixed_months = -3"),
        14,
        ["fixed_months", "-3"],
    ),
    (
        "decimal waiting",
        _with("fixed_months = 3", "fixed_months = 2.5"),
        14,
        ["fixed_months", "整数"],
    ),
    ("exempt unknown code", _with('["dibao"]', '["dibao", "tekn"]'), 18, ["tekn"]),
    ("exempt not a list", _with('["dibao"]', '"dibao"'), 18, ["exempt_categories", "列表"]),
    ("waiting not a table", HEAD + "waiting = 3\n", 5, ["waiting", "表"]),
    # TOML syntax errors: the line comes from tomllib.
    ("unclosed quote", _with('name = "低保对象"', 'name = "低保对象'), 6, ["引号"]),
    ("missing equals", _with("amount = 200 ", "amount 200 "), 8, ["等号"]),
    ("unquoted text", _with('name = "低保对象"', "name = 低保对象"), 6, ["双引号"]),
    ("key written twice", _with("percent = 50 ", "percent = 50\npercent = 60 "), 13, ["两次"]),
    ("table written twice", _with("[categories.canji]", "[categories.dibao]"), 9, ["两次"]),
    ("unclosed array", _with('["dibao"]', '["dibao"'), 18, ["方括号"]),
    ("unclosed string at the end", HEAD + 'year = "2025', 5, ["引号"]),
]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [pytest.param(text, line, words, id=what) for what, text, line, words in BAD_POLICIES],
)
def test_bad_policy_refused_at_the_right_line(
    text: str, line: int | None, words: list[str]
) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, source="2025.toml")
    error = caught.value
    assert error.line == line, error.message
    if line is None:
        assert not error.message.startswith("第")
    else:
        assert error.message.startswith(f"第{line}行：")
    for word in words:
        assert word in error.message
    assert str(error) == f"2025.toml：{error.message}"
    assert error.source == "2025.toml"


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(_with("amount = 200 ", "colour = 200 "))
    assert caught.value.line == 8
    assert "name、mode、amount、percent" in caught.value.message


def test_policy_error_is_a_value_error() -> None:
    error = PolicyError("缺少 year", None)
    assert isinstance(error, ValueError)
    assert error.message == "缺少 year"
    assert str(error) == "政策文件：缺少 year"


# ------------------------------------------------------------------------------ files on disk


def test_load_policy_file_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "2025.toml"
    path.write_bytes(b"\xef\xbb\xbf" + ISSUE_EXAMPLE.encode("utf-8"))
    assert load_policy_file(path).categories["dibao"].name == "低保对象"


def test_load_policy_file_saved_as_gbk_by_old_notepad(tmp_path: Path) -> None:
    path = tmp_path / "2025.toml"
    path.write_bytes(ISSUE_EXAMPLE.encode("gb18030"))
    assert load_policy_file(path).categories["canji"].name == "重度残疾人"


def test_load_policy_file_names_the_file_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "本县2025.toml"
    path.write_text(_with("amount = 200 ", "amount = -900 "), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy_file(path)
    assert caught.value.line == 8
    assert caught.value.source == str(path)
    assert str(caught.value).startswith(str(path))


def test_missing_file_is_a_policy_error_without_line(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy_file(tmp_path / "nothing.toml")
    assert caught.value.line is None
    assert "nothing.toml" in caught.value.message


# ------------------------------------------------------------------------------ shipped files

NATIONAL = {
    2023: (38000, "2023年城乡居民基本医疗保障"),
    2024: (40000, "医保发〔2024〕19号"),
    2025: (40000, "冀医保发〔2025〕6号"),
}


def test_the_three_shipped_years_are_found() -> None:
    files = shipped_policy_files()
    assert {2023, 2024, 2025} <= set(files)
    assert list(files) == sorted(files)
    for year, path in files.items():
        assert path.name == f"{year}.toml"
        assert path.parent.name == "policies"


@pytest.mark.parametrize("year", sorted(NATIONAL))
def test_shipped_policy_follows_the_national_notice(year: int) -> None:
    path = shipped_policy_files()[year]
    policy = load_policy_file(path)
    standard, document = NATIONAL[year]
    assert policy.year == year
    assert policy.standard_fen == standard
    assert policy.collection_start == dt.date(year - 1, 9, 1)
    assert policy.collection_end == dt.date(year - 1, 12, 31)
    assert policy.categories["tekun"].mode == "full"
    assert policy.categories["guer"].mode == "full"
    assert policy.categories["dibao"] == CategoryRule("dibao", "低保对象", "fixed", 20000, None)
    for code, rule in policy.categories.items():
        assert rule.name == DEFAULT_CATEGORY_NAMES[code]
    assert policy.waiting == WaitingRules()
    header = path.read_text(encoding="utf-8").split("\n\n")[0]
    assert document in header
    assert "复制一份" in header  # a county edits its own copy


def test_every_shipped_file_parses_and_round_trips() -> None:
    for path in shipped_policy_files().values():
        policy = load_policy_file(path)
        assert parse_policy(policy_to_toml(policy)) == policy


def test_2025_commented_examples_parse_when_uncommented() -> None:
    text = shipped_policy_files()[2025].read_text(encoding="utf-8")
    uncommented = re.sub(
        r"(?m)^# (\[categories\.|name = |mode = |amount = |percent = )", r"\1", text
    )
    policy = parse_policy(uncommented)
    assert policy.categories["tuopin"].amount_fen == 10000
    assert policy.categories["canji"].percent == 50
    assert "38号" in text


# ------------------------------------------------------------------------------ writing back


def test_policy_to_toml_is_readable_and_exact() -> None:
    policy = Policy(
        year=2026,
        standard_fen=40050,
        collection_start=dt.date(2025, 9, 1),
        collection_end=dt.date(2026, 2, 28),
        categories={
            "dibao": CategoryRule("dibao", '低保"对象"\\', "fixed", 18735, None),
            "canji": CategoryRule("canji", "重度残疾人", "ratio", None, 60),
            "tekun": CategoryRule("tekun", "特困人员", "full"),
        },
        waiting=WaitingRules(2, 1, 2, 5, 7, ("tekun",)),
    )
    text = policy_to_toml(policy)
    assert "standard = 400.50\n" in text
    assert "amount = 187.35\n" in text
    assert "percent = 60\n" in text
    assert "collection_end = 2026-02-28\n" in text
    assert 'exempt_categories = ["tekun"]\n' in text
    assert parse_policy(text) == policy


_NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12
).filter(lambda s: s.strip() == s and s != "")


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    standard = draw(st.integers(min_value=STANDARD_MIN_FEN, max_value=AMOUNT_MAX_FEN))
    start = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 1, 1)))
    end = start + dt.timedelta(days=draw(st.integers(0, 400)))
    codes = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), unique=True, max_size=5)
    )
    codes = [c for c in codes if c != "none"]
    names = draw(st.lists(_NAMES, unique=True, min_size=len(codes), max_size=len(codes)))
    categories: dict[str, CategoryRule] = {}
    for code, name in zip(codes, names):
        mode = draw(st.sampled_from(["full", "fixed", "ratio"]))
        amount = draw(st.integers(0, standard)) if mode == "fixed" else None
        percent = draw(st.integers(0, 100)) if mode == "ratio" else None
        categories[code] = CategoryRule(code, name, mode, amount, percent)  # type: ignore[arg-type]
    exempt = tuple(draw(st.lists(st.sampled_from(codes), unique=True))) if codes else ()
    waiting = WaitingRules(*draw(st.lists(st.integers(0, MONTHS_MAX), min_size=5, max_size=5)), exempt)
    return Policy(draw(st.integers(2000, 2100)), standard, start, end, categories, waiting)


@given(policies())
def test_any_valid_policy_round_trips(policy: Policy) -> None:
    assert parse_policy(policy_to_toml(policy)) == policy


# ------------------------------------------------------------------------------ line finder


def test_key_lines_finds_tables_keys_and_falls_back_to_the_table() -> None:
    text = """\
# comment = 1
year = 2025
[categories."di bao"]
name = "x = y"
description = \"\"\"
mode = "not a key"
\"\"\"
[ categories . canji ]
  percent=5
[categories]
tuopin.amount = 1
dibao = { name = "d" }
"""
    lines = KeyLines(text)
    assert lines.line_of("year") == 2
    assert lines.line_of("categories", "di bao") == 3
    assert lines.line_of("categories", "di bao", "name") == 4
    assert lines.exact_line_of("categories", "di bao", "mode") is None
    assert lines.line_of("categories", "di bao", "mode") == 3  # the table's header
    assert lines.line_of("categories", "canji", "percent") == 9
    assert lines.line_of("categories", "tuopin", "amount") == 11
    assert lines.line_of("categories", "dibao", "name") == 12  # inside an inline table
    assert lines.line_of("comment") is None
    assert lines.line_of("missing") is None


def test_split_dotted_key() -> None:
    assert split_dotted_key('categories . "di\\"bao" . name') == ("categories", 'di"bao', "name")
    assert split_dotted_key("a.'b.c'") == ("a", "b.c")


def test_shipped_policy_files_in_another_folder(tmp_path: Path) -> None:
    (tmp_path / "2030.toml").write_text(ISSUE_EXAMPLE, encoding="utf-8")
    (tmp_path / "notes.toml").write_text("", encoding="utf-8")
    (tmp_path / "2029.toml").write_text(ISSUE_EXAMPLE, encoding="utf-8")
    assert shipped_policy_files(tmp_path) == {
        2029: tmp_path / "2029.toml",
        2030: tmp_path / "2030.toml",
    }
    assert shipped_policy_files(tmp_path / "missing") == {}
