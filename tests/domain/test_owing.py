"""还需缴纳 and 应退: what a person and a household still owe, or are owed back (DOMAIN.md §4, §5).

One rule for the desk, the payments and the notices: only an ``unpaid`` person owes, the amount
due less what they paid; 事后资助 is owed back to a person who paid (or is exempt) and paid more
than is due. The household's 个人应缴 counts the members who pay this year (unpaid and paid).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.charges import (
    HouseholdOwing,
    compute_charge,
    enrollment_status,
    household_owing,
    refund_due,
    still_owes,
)
from desktop_app.domain.policy import CategoryRule, Policy
from desktop_app.domain.vocabulary import RECORDED_STATUSES, Status


def _policy(standard_fen: int) -> Policy:
    """Seed 004, 2023: S = 380 yuan, 低保 subsidy 200 yuan, 特困 in full."""
    return Policy(
        year=2023, standard_fen=standard_fen,
        collection_start=dt.date(2022, 9, 1), collection_end=dt.date(2022, 12, 31),
        categories={
            "dibao": CategoryRule("dibao", "低保对象", "fixed", amount_fen=20000),
            "tekun": CategoryRule("tekun", "特困人员", "full"),
        },
    )


def _status(policy: Policy, codes: list[str], paid_fen: int) -> Status:
    return enrollment_status(compute_charge(policy, codes), None, paid_fen)


def test_the_worked_example_a_dibao_person_owes_the_difference_until_it_is_paid():
    policy = _policy(38000)
    due = compute_charge(policy, ["dibao"]).due_fen
    assert due == 18000
    assert still_owes(_status(policy, ["dibao"], 0), due, 0) == 18000
    assert still_owes(_status(policy, ["dibao"], 10000), due, 10000) == 8000  # a part payment
    assert still_owes(_status(policy, ["dibao"], 18000), due, 18000) == 0  # paid: nothing more


def test_a_fully_subsidised_person_owes_nothing_and_a_payment_from_them_is_owed_back():
    policy = _policy(40000)
    charge = compute_charge(policy, ["tekun"])
    assert (charge.due_fen, _status(policy, ["tekun"], 0)) == (0, Status.EXEMPT)
    assert still_owes(Status.EXEMPT, 0, 0) == 0
    assert refund_due(Status.EXEMPT, 40000, 0) == 40000  # 事后资助: identified after paying


def test_identified_after_paying_in_full_the_subsidy_is_owed_back():
    policy = _policy(38000)  # paid 380, then found to be 低保: due 180, 应退 200
    status = _status(policy, ["dibao"], 38000)
    assert status is Status.PAID
    assert (still_owes(status, 18000, 38000), refund_due(status, 38000, 18000)) == (0, 20000)


def test_a_person_with_a_recorded_status_owes_nothing_and_is_owed_no_subsidy_back():
    for status in RECORDED_STATUSES:
        assert still_owes(status, 38000, 0) == 0
        assert refund_due(status, 38000, 0) == 0


def test_strings_from_the_ledger_and_statuses_give_the_same_answer():
    assert still_owes("unpaid", 38000, 100) == still_owes(Status.UNPAID, 38000, 100) == 37900
    assert refund_due("paid", 500, 400) == refund_due(Status.PAID, 500, 400) == 100
    assert still_owes(None, 38000, 0) == 0  # not registered that year


def test_the_household_sums_count_only_the_members_who_pay_this_year():
    owing = household_owing([
        ("unpaid", 18000, 5000),   # part paid: owes 130
        ("paid", 38000, 40000),    # overpaid: counts its 380 due and 380 paid
        ("exempt", 0, 0),          # 免征代缴: not in 个人应缴
        ("employee", 38000, 0),    # 职工医保: neither due here nor owing
        (None, 0, 0),              # not registered
    ])
    assert owing == HouseholdOwing(due_fen=56000, paid_fen=43000, owed_fen=13000)
    assert owing.due_fen - owing.paid_fen == owing.owed_fen


@given(
    standard=st.integers(1, 10_000_000),
    dibao=st.integers(0, 10_000_000),
    holds=st.booleans(),
    paid=st.integers(0, 20_000_000),
)
def test_a_person_owes_exactly_when_the_rules_leave_them_unpaid(standard, dibao, holds, paid):
    policy = Policy(
        year=2023, standard_fen=standard,
        collection_start=dt.date(2022, 9, 1), collection_end=dt.date(2022, 12, 31),
        categories={"dibao": CategoryRule("dibao", "低保对象", "fixed", amount_fen=dibao)},
    )
    charge = compute_charge(policy, ["dibao"] if holds else [])
    status = enrollment_status(charge, None, paid)
    owed = still_owes(status, charge.due_fen, paid)
    assert (owed > 0) == (status is Status.UNPAID)
    if status is Status.UNPAID:
        assert owed + paid == charge.due_fen  # what is owed and what was paid make the amount due
    assert owed == 0 or refund_due(status, paid, charge.due_fen) == 0  # never both owing and owed
