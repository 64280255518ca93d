"""A roster's 已缴金额 is a payment like any other (DOMAIN.md §10 "Absurd amounts", and payment dates
no desk would take): the same domain rules judge it as at the desk and in a payments import. A
payment they refuse is not imported, with a warning on its row; the rest of the row is."""

from __future__ import annotations

import datetime as dt

from desktop_app.domain.idnumber import make_id_number
from desktop_app.resources import resource
from desktop_app.services import importing
from desktop_app.services.policy_load import load_policy
from desktop_app.store.models import Enrollment, Payment, Person
from tests.exchange.xch_builders import SheetSpec, build_xlsx

HEADER = ["姓名", "公民身份号码", "户编号", "与户主关系", "村(社区)", "已缴金额", "缴费日期"]


def test_an_absurd_amount_or_an_impossible_date_in_a_roster_is_not_imported(ledger, tmp_path):
    load_policy(resource("policies", "2025.toml"))  # standard 400 yuan, collection from 2024-09-01
    fine, absurd, future, early = (make_id_number("431199", dt.date(1970 + n, 3, 3), 11 + n) for n in range(4))
    rows = [HEADER,
            ["张一", fine, "H1", "户主", "东山村", "400", "2024-10-08"],
            ["张二", absurd, "H2", "户主", "东山村", "9999", "2024-10-08"],  # 400 owed: above owed + S
            ["张三", future, "H3", "户主", "东山村", "400", "2031-01-02"],
            ["张四", early, "H4", "户主", "东山村", "400", "2019-11-05"]]
    plan = importing.plan("roster", build_xlsx(tmp_path / "花名册.xlsx", [SheetSpec("Sheet1", rows)]), year=2025)
    assert len(plan.new) == 4 and not plan.rejected  # every person comes in
    warned = {issue.id_number: issue.reason for issue in plan.warnings if "未导入" in issue.reason}
    assert set(warned) == {absurd, future, early}
    assert "10倍" in warned[absurd] or "应缴" in warned[absurd]
    assert "2031-01-02" in warned[future] and "2019-11-05" in warned[early]
    importing.apply(plan)
    paid = {Person.get_by_id(p.person_id).id_number: p.amount_fen for p in Payment.select()}
    assert paid == {fine: 40000}  # no 应退9599.00元 from a typing slip, no payment dated 2031
    statuses = {Person.get_by_id(e.person_id).id_number: e.status for e in Enrollment.select()}
    assert statuses == {fine: "paid", absurd: "unpaid", future: "unpaid", early: "unpaid"}
