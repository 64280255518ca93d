"""差额征缴 / 免征代缴 and 参保状态 (DOMAIN.md sections 4 and 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.charges import (
    Charge,
    amount_due,
    category_subsidy,
    collection_mode,
    compute_charge,
    enrollment_status,
    explain_charge,
    highest_subsidy,
    refund_owed,
)
from desktop_app.domain.policy import CategoryRule, Policy, load_policy_file, shipped_policy_files
from desktop_app.domain.vocabulary import RECORDED_STATUSES, CollectionMode, Status

EXEMPT = CollectionMode.EXEMPT_PAID_BY_FUND
DIFFERENCE = CollectionMode.DIFFERENCE
ORDINARY = CollectionMode.ORDINARY


def make_policy(standard_fen: int, *rules: CategoryRule) -> Policy:
    return Policy(
        year=2025,
        standard_fen=standard_fen,
        collection_start=dt.date(2024, 9, 1),
        collection_end=dt.date(2024, 12, 31),
        categories={rule.code: rule for rule in rules},
    )


TEKUN = CategoryRule("tekun", "特困人员", "full")
GUER = CategoryRule("guer", "孤儿（含事实无人抚养儿童）", "full")
DIBAO = CategoryRule("dibao", "低保对象", "fixed", amount_fen=20000)
JIANCE = CategoryRule("jiance", "防止返贫监测对象", "fixed", amount_fen=20000)
CANJI_60 = CategoryRule("canji", "重度残疾人", "ratio", percent=60)
TUOPIN_100 = CategoryRule("tuopin", "脱贫人口", "fixed", amount_fen=10000)
P2025 = make_policy(40000, TEKUN, GUER, DIBAO, JIANCE, CANJI_60, TUOPIN_100)


# ------------------------------------------------------------------------------ rule 1


@pytest.mark.parametrize(
    ("rule", "standard", "subsidy"),
    [
        (TEKUN, 38000, 38000),
        (TEKUN, 40000, 40000),
        (DIBAO, 38000, 20000),
        (DIBAO, 40000, 20000),
        # a fixed amount larger than the standard is capped at the standard
        (CategoryRule("x", "x", "fixed", amount_fen=50000), 40000, 40000),
        (CategoryRule("x", "x", "fixed", amount_fen=40000), 40000, 40000),
        (CategoryRule("x", "x", "fixed", amount_fen=0), 40000, 0),
        # ratio: round half up to the fen, integer arithmetic
        (CategoryRule("x", "x", "ratio", percent=50), 33300, 16650),  # 333 yuan × 50%: exact
        (CategoryRule("x", "x", "ratio", percent=50), 33301, 16651),  # 16650.5 → 16651
        (CategoryRule("x", "x", "ratio", percent=50), 33303, 16652),  # 16651.5 → 16652
        (CategoryRule("x", "x", "ratio", percent=50), 1, 1),  # 0.5 → 1
        (CategoryRule("x", "x", "ratio", percent=50), 3, 2),  # 1.5 → 2
        (CategoryRule("x", "x", "ratio", percent=49), 1, 0),  # 0.49 → 0
        (CategoryRule("x", "x", "ratio", percent=51), 1, 1),  # 0.51 → 1
        (CategoryRule("x", "x", "ratio", percent=33), 33301, 10989),  # 10989.33 → 10989
        (CategoryRule("x", "x", "ratio", percent=33), 33350, 11006),  # 11005.5 → 11006
        (CategoryRule("x", "x", "ratio", percent=60), 40000, 24000),
        (CategoryRule("x", "x", "ratio", percent=60), 38000, 22800),
        (CategoryRule("x", "x", "ratio", percent=0), 40000, 0),
        (CategoryRule("x", "x", "ratio", percent=100), 40001, 40001),
    ],
)
def test_category_subsidy(rule: CategoryRule, standard: int, subsidy: int) -> None:
    assert category_subsidy(rule, standard) == subsidy


def test_category_subsidy_needs_a_positive_standard() -> None:
    with pytest.raises(ValueError):
        category_subsidy(TEKUN, 0)


@pytest.mark.parametrize(
    "bad",
    [
        {"mode": "half"},
        {"mode": "fixed"},
        {"mode": "fixed", "amount_fen": -1},
        {"mode": "ratio"},
        {"mode": "ratio", "percent": 101},
        {"mode": "ratio", "percent": -1},
    ],
)
def test_category_rule_refuses_impossible_rules(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        CategoryRule("x", "x", **bad)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ rule 2


@pytest.mark.parametrize(
    ("codes", "applied", "subsidy"),
    [
        ([], None, 0),
        (["none"], None, 0),
        (["tekun"], "tekun", 40000),
        (["dibao"], "dibao", 20000),
        (["dibao", "tekun"], "tekun", 40000),  # the highest, not the first recorded
        (["tekun", "dibao"], "tekun", 40000),
        # 就高不重复资助: dibao 200 + jiance 200 is never 400
        (["dibao", "jiance"], "dibao", 20000),
        (["jiance", "dibao"], "dibao", 20000),  # tie: the category written first in the policy
        (["dibao", "canji"], "canji", 24000),  # 60% of 400 beats 200 fixed
        (["tuopin", "dibao", "canji", "jiance"], "canji", 24000),
        (["tuopin"], "tuopin", 10000),
        (["guer", "tekun"], "tekun", 40000),  # tie of two full subsidies: file order
        (["unknown", "none", "dibao"], "dibao", 20000),  # codes the policy lacks are ignored
        (["unknown"], None, 0),
    ],
)
def test_highest_subsidy(codes: list[str], applied: str | None, subsidy: int) -> None:
    assert highest_subsidy(P2025, codes) == (applied, subsidy)


def test_highest_subsidy_tie_follows_the_policy_file_order() -> None:
    reordered = make_policy(40000, JIANCE, DIBAO)
    assert highest_subsidy(reordered, {"dibao", "jiance"}) == ("jiance", 20000)
    assert highest_subsidy(reordered, ("dibao", "jiance")) == ("jiance", 20000)


def test_category_worth_nothing_applies_no_category() -> None:
    policy = make_policy(40000, CategoryRule("zero", "零", "fixed", amount_fen=0))
    assert highest_subsidy(policy, ["zero"]) == (None, 0)


def test_category_dropped_from_the_year_gives_nothing() -> None:
    policy_2023 = load_policy_file(shipped_policy_files()[2023])
    assert highest_subsidy(policy_2023, ["canji"]) == (None, 0)


# ------------------------------------------------------------------------------ rules 3-5


@pytest.mark.parametrize(
    ("standard", "subsidy", "due", "mode"),
    [
        (38000, 20000, 18000, DIFFERENCE),  # seed 004: 380 − 200 = 180 差额征缴
        (40000, 40000, 0, EXEMPT),  # 特困 at 400: 免征代缴
        (40000, 0, 40000, ORDINARY),
        (40000, 1, 39999, DIFFERENCE),
        (40000, 39999, 1, DIFFERENCE),
        (40000, 50000, 0, EXEMPT),  # never below 0
    ],
)
def test_amount_due_and_collection_mode(
    standard: int, subsidy: int, due: int, mode: CollectionMode
) -> None:
    assert amount_due(standard, subsidy) == due
    assert collection_mode(standard, subsidy) is mode


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError):
        amount_due(40000, -1)
    with pytest.raises(ValueError):
        collection_mode(40000, -1)
    with pytest.raises(ValueError):
        collection_mode(-40000, 0)
    with pytest.raises(ValueError):
        refund_owed(-1, 0)
    with pytest.raises(ValueError):
        refund_owed(0, -1)


@pytest.mark.parametrize(
    ("paid", "due", "refund"),
    [
        (38000, 18000, 20000),  # paid 380 in full, then identified as 低保: 200 back (事后资助)
        (40000, 0, 40000),  # paid 400, then identified as 特困: all back
        (18000, 18000, 0),
        (10000, 18000, 0),  # still short: nothing to refund
        (0, 0, 0),
    ],
)
def test_refund_owed(paid: int, due: int, refund: int) -> None:
    assert refund_owed(paid, due) == refund


# ------------------------------------------------------------------------------ worked examples


def test_worked_example_2023_dibao_pays_the_difference() -> None:
    policy = load_policy_file(shipped_policy_files()[2023])
    charge = compute_charge(policy, ["dibao"])
    assert charge == Charge(38000, "dibao", 20000, 18000, DIFFERENCE)
    assert explain_charge(policy, charge) == "低保对象，资助200.00元，个人应缴180.00元，差额征缴"


def test_worked_example_tekun_at_400_is_exempt() -> None:
    policy = load_policy_file(shipped_policy_files()[2025])
    charge = compute_charge(policy, ["tekun"])
    assert charge == Charge(40000, "tekun", 40000, 0, EXEMPT)
    assert explain_charge(policy, charge) == "特困人员，全额资助400.00元，个人应缴0.00元，免征代缴"


@pytest.mark.parametrize(
    ("codes", "sentence"),
    [
        ([], "普通居民，无资助，个人应缴400.00元，正常征缴"),
        (["none"], "普通居民，无资助，个人应缴400.00元，正常征缴"),
        (["dibao"], "低保对象，资助200.00元，个人应缴200.00元，差额征缴"),
        (["dibao", "canji"], "重度残疾人，资助240.00元，个人应缴160.00元，差额征缴"),
        (
            ["guer", "dibao"],
            "孤儿（含事实无人抚养儿童），全额资助400.00元，个人应缴0.00元，免征代缴",
        ),
        (["tuopin"], "脱贫人口，资助100.00元，个人应缴300.00元，差额征缴"),
    ],
)
def test_explain_charge(codes: list[str], sentence: str) -> None:
    assert explain_charge(P2025, compute_charge(P2025, codes)) == sentence


def test_explain_charge_with_fen() -> None:
    policy = make_policy(33301, CategoryRule("canji", "重度残疾人", "ratio", percent=50))
    sentence = explain_charge(policy, compute_charge(policy, ["canji"]))
    assert sentence == "重度残疾人，资助166.51元，个人应缴166.50元，差额征缴"


# ------------------------------------------------------------------------------ status

ORDINARY_CHARGE = compute_charge(P2025, [])  # due 40000
DIBAO_CHARGE = compute_charge(P2025, ["dibao"])  # due 20000
TEKUN_CHARGE = compute_charge(P2025, ["tekun"])  # due 0


@pytest.mark.parametrize(
    ("charge", "recorded", "paid", "status"),
    [
        (ORDINARY_CHARGE, None, 0, Status.UNPAID),
        (ORDINARY_CHARGE, None, 39999, Status.UNPAID),  # a part payment is still unpaid
        (ORDINARY_CHARGE, None, 40000, Status.PAID),
        (ORDINARY_CHARGE, None, 45000, Status.PAID),
        (DIBAO_CHARGE, None, 0, Status.UNPAID),
        (DIBAO_CHARGE, None, 20000, Status.PAID),
        (DIBAO_CHARGE, None, 40000, Status.PAID),  # paid in full before 低保: paid, 200 owed back
        (TEKUN_CHARGE, None, 0, Status.EXEMPT),
        (TEKUN_CHARGE, None, 40000, Status.EXEMPT),  # paid before 特困: exempt, 400 owed back
        # computed statuses are recomputed from money, whatever was stored before
        (ORDINARY_CHARGE, Status.PAID, 0, Status.UNPAID),
        (ORDINARY_CHARGE, Status.EXEMPT, 0, Status.UNPAID),
        (TEKUN_CHARGE, Status.UNPAID, 0, Status.EXEMPT),
        (DIBAO_CHARGE, Status.UNPAID, 20000, Status.PAID),
        # recorded statuses win
        (TEKUN_CHARGE, Status.DECEASED, 0, Status.DECEASED),
        (ORDINARY_CHARGE, Status.EMPLOYEE, 40000, Status.EMPLOYEE),
        (DIBAO_CHARGE, Status.MILITARY, 0, Status.MILITARY),
    ],
)
def test_enrollment_status(
    charge: Charge, recorded: Status | None, paid: int, status: Status
) -> None:
    assert enrollment_status(charge, recorded, paid) is status


@pytest.mark.parametrize("recorded", sorted(RECORDED_STATUSES, key=lambda s: s.value))
@pytest.mark.parametrize("charge", [ORDINARY_CHARGE, DIBAO_CHARGE, TEKUN_CHARGE])
def test_every_recorded_status_wins(charge: Charge, recorded: Status) -> None:
    assert enrollment_status(charge, recorded, 0) is recorded
    assert enrollment_status(charge, recorded, charge.standard_fen) is recorded


def test_negative_amount_paid_is_refused() -> None:
    with pytest.raises(ValueError):
        enrollment_status(ORDINARY_CHARGE, None, -1)


# ------------------------------------------------------------------------------ properties

RULES = st.one_of(
    st.builds(lambda: ("full", None, None)),
    st.integers(0, 2_000_000).map(lambda a: ("fixed", a, None)),
    st.integers(0, 100).map(lambda p: ("ratio", None, p)),
)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    standard = draw(st.integers(1, 1_000_000))
    kinds = draw(st.lists(RULES, max_size=6))
    rules = [
        CategoryRule(f"c{i}", f"类别{i}", mode, amount, percent)  # type: ignore[arg-type]
        for i, (mode, amount, percent) in enumerate(kinds)
    ]
    return make_policy(standard, *rules)


@st.composite
def people(draw: st.DrawFn) -> tuple[Policy, list[str]]:
    policy = draw(policies())
    codes = draw(st.lists(st.sampled_from([*policy.categories, "none", "other"]), max_size=6))
    return policy, codes


@given(people())
def test_due_plus_subsidy_is_the_standard(person: tuple[Policy, list[str]]) -> None:
    policy, codes = person
    charge = compute_charge(policy, codes)
    assert 0 <= charge.subsidy_fen <= policy.standard_fen
    assert 0 <= charge.due_fen <= policy.standard_fen
    assert charge.due_fen + charge.subsidy_fen == policy.standard_fen
    # the single highest, never a sum
    singles = [
        category_subsidy(policy.categories[c], policy.standard_fen)
        for c in codes
        if c in policy.categories
    ]
    assert charge.subsidy_fen == max(singles, default=0)
    assert (charge.applied_category is None) == (charge.subsidy_fen == 0)
    if charge.applied_category is not None:
        assert charge.applied_category in codes
    # the order the categories were recorded in does not matter
    assert compute_charge(policy, list(reversed(codes))) == charge


@given(people())
def test_mode_matches_the_subsidy(person: tuple[Policy, list[str]]) -> None:
    policy, codes = person
    charge = compute_charge(policy, codes)
    if charge.subsidy_fen == policy.standard_fen:
        assert charge.mode is EXEMPT
        assert charge.due_fen == 0
    elif charge.subsidy_fen == 0:
        assert charge.mode is ORDINARY
        assert charge.due_fen == policy.standard_fen
    else:
        assert charge.mode is DIFFERENCE
        assert 0 < charge.due_fen < policy.standard_fen
    text = explain_charge(policy, charge)
    assert text.endswith(charge.mode.chinese)


@given(people(), st.integers(0, 3_000_000), st.sampled_from([None, *Status]))
def test_status_is_consistent(
    person: tuple[Policy, list[str]], paid: int, recorded: Status | None
) -> None:
    policy, codes = person
    charge = compute_charge(policy, codes)
    status = enrollment_status(charge, recorded, paid)
    refund = refund_owed(paid, charge.due_fen)
    assert refund >= 0
    assert paid - refund <= charge.due_fen
    if recorded in RECORDED_STATUSES:
        assert status is recorded
    elif charge.mode is EXEMPT:
        assert status is Status.EXEMPT
        assert refund == paid
    elif paid >= charge.due_fen:
        assert status is Status.PAID
        assert refund == paid - charge.due_fen
    else:
        assert status is Status.UNPAID
        assert refund == 0


@given(st.integers(1, 10**9), st.integers(0, 100))
def test_ratio_rounding_is_half_up_and_exact(standard: int, percent: int) -> None:
    subsidy = category_subsidy(CategoryRule("x", "x", "ratio", percent=percent), standard)
    # |subsidy − S·p/100| ≤ 1/2 fen, and exactly half rounds up
    exact_times_100 = standard * percent
    assert abs(subsidy * 100 - exact_times_100) <= 50
    if exact_times_100 % 100 == 50:
        assert subsidy * 100 - exact_times_100 == 50
