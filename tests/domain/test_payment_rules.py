"""The payment verdict, table-driven from DOMAIN.md section 10's words (standard 400 yuan)."""

import pytest

from desktop_app.domain.payment_rules import VerdictKind, channel_refusal, payment_verdict
from desktop_app.domain.vocabulary import PAYMENT_CHANNELS

S = 40000  # 400 yuan, the 2025 standard, in fen

ACCEPT, WARN, REFUSE = VerdictKind.ACCEPT, VerdictKind.WARN, VerdictKind.REFUSE

CASES = [
    # (words, amount, due, paid, kind, words the reason must hold)
    ("an ordinary resident pays the standard", S, S, 0, ACCEPT, ""),
    ("a 低保 person pays the 180 left after the subsidy", 18000, 18000, 0, ACCEPT, ""),
    ("a partial payment", 10000, S, 0, ACCEPT, ""),
    ("the rest after a partial payment", 30000, S, 10000, ACCEPT, ""),
    ("paying a little more than owed is within one standard", S + 100, S, 0, ACCEPT, ""),
    ("exactly remaining due plus one standard", 2 * S, S, 0, ACCEPT, ""),
    ("above remaining due plus one standard", 2 * S + 1, S, 0, REFUSE, "再加一年的缴费标准"),
    ("above 10 × the standard", 10 * S + 1, S, 0, REFUSE, "10倍"),
    ("a keying slip: 40000 yuan for 400", 100 * S, S, 0, REFUSE, "10倍"),
    ("nothing due (免征代缴): accepted with a warning, shows as 应退", S, 0, 0, WARN, "应退400.00元"),
    ("nothing due, a small amount", 100, 0, 0, WARN, "免征代缴"),
    ("nothing due, more than one standard", S + 1, 0, 0, REFUSE, "再加一年的缴费标准"),
    ("already paid in full", S, S, S, REFUSE, "不能重复缴费"),
    ("already paid for a person who owes nothing", S, 0, S, REFUSE, "不能重复缴费"),
    ("zero", 0, S, 0, REFUSE, "必须大于0"),
    ("negative (a reversal is not a new payment)", -S, S, 0, REFUSE, "冲正"),
]


@pytest.mark.parametrize(("words", "amount", "due", "paid", "kind", "reason"), CASES, ids=[c[0] for c in CASES])
def test_payment_verdict(words, amount, due, paid, kind, reason):
    verdict = payment_verdict(amount, S, due, paid)
    assert verdict.kind is kind
    assert reason in verdict.reason
    assert bool(verdict.reason) == (kind is not ACCEPT)



def test_channel_refusal_names_the_channels_the_ledger_knows():
    assert channel_refusal("") is None  # not said
    for name in PAYMENT_CHANNELS.values():
        assert channel_refusal(name) is None
    assert channel_refusal("红包") == f"缴费渠道“红包”不认识（可选：{'、'.join(PAYMENT_CHANNELS.values())}）"
    assert channel_refusal("红包", "退款").startswith("退款渠道“红包”不认识")
