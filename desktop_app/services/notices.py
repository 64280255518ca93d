"""缴费告知单: everything a household payment notice says, as plain data (no Qt).

A notice is handed to the family itself, so it carries each member's name but only the last four
characters of the ID number (enough to tell two members apart, nothing a lost sheet would leak).
Members who died or moved away are left off: the notice goes to the family. Amounts are the
ledger's stored charges (the same rows the household panel shows), never recomputed here.

The wording is DOMAIN.md's vocabulary in Chinese: the notice is content, not UI chrome. The
township sets how to pay, the phone and the issuing unit in its settings (``notice.*``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from desktop_app.domain.charges import compute_charge, household_owing, refund_due
from desktop_app.domain.money import format_yuan
from desktop_app.domain.newborn import enrollment_deadline, first_birthday, is_newborn
from desktop_app.domain.policy import NO_CATEGORY_NAME, Policy
from desktop_app.domain.vocabulary import CollectionMode, Status
from desktop_app.exchange import CellError, parse_phone
from desktop_app.services.households import MemberRow, household_members
from desktop_app.services.ledger import ServiceError, get_setting, set_setting, township
from desktop_app.services.policy import policy_for_year
from desktop_app.services.townships import only_village
from desktop_app.store import dialect
from desktop_app.store.models import db

HOW_TO_PAY_KEY = "notice.how_to_pay"
PHONE_KEY = "notice.phone"
ISSUER_KEY = "notice.issuer"

DEFAULT_HOW_TO_PAY = (
    "1. 手机缴费：打开当地税务APP（或微信、支付宝里的税务缴费小程序），选择“城乡居民医保缴费”，"
    "输入参保人身份证号，核对金额后缴费；\n"
    "2. 银行缴费：带上参保人身份证或户口簿，到就近银行网点柜台缴费；\n"
    "3. 村里代收：交村委会或村卫生室现金代收，请当面索取收据。"
)



def consult_phone() -> str:
    """The 咨询电话 printed on every notice ("" until an administrator sets it)."""
    return get_setting(PHONE_KEY, "")


def set_consult_phone(text: str) -> str:
    """Set the notice's 咨询电话 (administrator only, as every setting): a mobile or a fixed
    line with its area code, in the words of the cells' phone parser; "" clears it. Returns
    the number as stored ("0731-84123456")."""
    try:
        phone = parse_phone(text.strip(), "咨询电话") or ""
    except CellError as exc:
        raise ServiceError(f"咨询电话：{exc.reason}") from exc
    set_setting(PHONE_KEY, phone)
    return phone


#: Left off the notice: it goes to the family, and these persons are no longer part of it.
_LEFT_OFF = {Status.DECEASED.value, Status.MOVED.value}
#: The persons who pay (or are paid for) through the resident scheme this year.
_COLLECTED = {Status.UNPAID.value, Status.PAID.value, Status.EXEMPT.value}


@dataclass(frozen=True)
class NoticeMember:
    name: str
    relation: str
    id_tail: str  # the last four characters of the ID number
    categories: str  # the year's category names joined by 、; 普通居民 for none
    status: str | None  # code, None when not registered that year
    status_name: str  # 未缴费, 已缴费, 全额资助代缴, 参加职工医保…
    collected: bool  # pays (or is paid for) through resident insurance this year
    standard_fen: int
    subsidy_fen: int
    due_fen: int
    paid_fen: int
    owed_fen: int  # still to pay: due − paid for an unpaid member, else 0
    collection_mode: str  # code: exempt | difference | ordinary
    mode_name: str  # 免征代缴 | 差额征缴 | 正常征缴 ("" when not collected)
    remark: str


@dataclass(frozen=True)
class NewbornDeadline:
    name: str
    birth_date: dt.date
    deadline: dt.date  # birth date + 90 days
    passed: bool  # the deadline was before the notice's date

    @property
    def sentence(self) -> str:
        if not self.passed:
            return (
                f"新生儿{self.name}（{cn_date(self.birth_date)}出生）请在{cn_date(self.deadline)}前缴费："
                "出生90天内缴费的，自出生之日起享受医保待遇。"
            )
        return (
            f"新生儿{self.name}（{cn_date(self.birth_date)}出生）出生90天内缴费的期限{cn_date(self.deadline)}"
            f"已过；在{cn_date(first_birthday(self.birth_date))}前缴费的，自缴费次日起享受医保待遇，"
            "不设等待期，请尽快缴费。"
        )


@dataclass(frozen=True)
class Notice:
    """One household's 缴费告知单 for a year."""

    year: int
    township: str
    village: str
    household_id: int
    household_number: str
    head_name: str
    address: str
    members: tuple[NoticeMember, ...]
    standard_fen: int
    total_due_fen: int  # 个人应缴 of members who pay this year (unpaid and paid)
    total_paid_fen: int
    owed_fen: int  # still owed by the household
    collection_start: dt.date
    deadline: dt.date  # the policy's collection_end
    waiting_fixed_months: int
    subsidy_rules: str  # the year's subsidies in one sentence, from the policy
    newborns: tuple[NewbornDeadline, ...]
    how_to_pay: str
    phone: str
    issuer: str
    issued_on: dt.date

    @property
    def title(self) -> str:
        return f"{self.year}年度城乡居民医疗保险缴费告知单"

    @property
    def addressee(self) -> str:
        return f"{self.head_name}户：" if self.head_name else "户主："

    @property
    def intro(self) -> str:
        text = (
            f"根据{self.year}年度城乡居民基本医疗保险政策，个人缴费标准为每人每年{format_yuan(self.standard_fen)}元。"
        )
        if self.subsidy_rules:
            text += self.subsidy_rules + "。"
        return text + "您家参保缴费情况如下："

    @property
    def summary(self) -> str:
        if self.owed_fen > 0:
            return (
                f"全户{self.year}年度个人应缴合计{format_yuan(self.total_due_fen)}元，"
                f"已缴{format_yuan(self.total_paid_fen)}元，还需缴纳{format_yuan(self.owed_fen)}元。"
            )
        return (
            f"全户{self.year}年度个人应缴合计{format_yuan(self.total_due_fen)}元，"
            f"已缴{format_yuan(self.total_paid_fen)}元，本年度无需再缴费。"
        )

    @property
    def deadline_sentence(self) -> str:
        return (
            f"请在{cn_date(self.deadline)}前缴清（集中征缴期{cn_date(self.collection_start)}至"
            f"{cn_date(self.deadline)}）。集中征缴期结束后再参保的，按规定设置待遇等待期"
            f"（一般不少于{self.waiting_fixed_months}个月），等待期内发生的医疗费用医保基金不予支付。"
        )

    @property
    def how_to_pay_lines(self) -> list[str]:
        return [line.strip() for line in self.how_to_pay.splitlines() if line.strip()]


def cn_date(day: dt.date) -> str:
    """2024-09-01 -> 2024年9月1日, as notices write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def subsidy_rules(policy: Policy) -> str:
    """The year's subsidies in words, from the policy: who is exempt, who pays the difference."""
    full, partial = [], []
    for code, rule in policy.categories.items():
        charge = compute_charge(policy, [code])
        if charge.mode is CollectionMode.EXEMPT_PAID_BY_FUND:
            full.append(rule.name)
        elif charge.mode is CollectionMode.DIFFERENCE:
            partial.append(f"{rule.name}资助{format_yuan(charge.subsidy_fen)}元")
    parts = []
    if full:
        parts.append("、".join(full) + "全额资助，个人不缴费（免征代缴）")
    if partial:
        parts.append("、".join(partial) + "，个人只缴纳差额（差额征缴）")
    if parts:
        parts.append("同时属于几类的，按资助金额最高的一类资助，不重复资助")
    return "；".join(parts)


def _id_tail(number: str) -> str:
    return number[-4:] if len(number) >= 4 else number


def _member(row: MemberRow) -> NoticeMember:
    collected = row.status in _COLLECTED
    owed = row.owed_fen
    remarks = []
    if row.status_reason:
        remarks.append(row.status_reason)
    if not collected:
        remarks.append("无需缴纳居民医保" if row.status is not None else "本年度未登记参保，请与村医保专干联系")
    if collected and row.status == Status.UNPAID.value and row.paid_fen:
        remarks.append(f"已缴{format_yuan(row.paid_fen)}元，尚差{format_yuan(owed)}元")
    refund = refund_due(row.status, row.paid_fen, row.due_fen)
    if refund:
        remarks.append(f"应退{format_yuan(refund)}元（事后资助）")
    mode_name = CollectionMode(row.collection_mode).chinese if collected and row.collection_mode else ""
    return NoticeMember(
        name=row.name,
        relation=row.relation,
        id_tail=_id_tail(row.id_number),
        categories=row.categories or NO_CATEGORY_NAME,
        status=row.status,
        status_name=Status(row.status).chinese if row.status else "未登记",
        collected=collected,
        standard_fen=row.standard_fen if collected else 0,
        subsidy_fen=row.subsidy_fen if collected else 0,
        due_fen=row.due_fen if collected else 0,
        paid_fen=row.paid_fen,
        owed_fen=owed,
        collection_mode=row.collection_mode if collected else "",
        mode_name=mode_name,
        remark="；".join(remarks),
    )


@dataclass(frozen=True)
class _Context:
    policy: Policy
    township: str
    how_to_pay: str
    phone: str
    issuer: str
    today: dt.date
    subsidy_rules: str


def _context(year: int, today: dt.date | None) -> _Context:
    policy = policy_for_year(year)
    if policy is None:
        raise ServiceError(f"{year}年度还没有载入政策，不能打印缴费告知单")
    town = township()
    town_name = town.name if town else ""
    return _Context(
        policy=policy,
        township=town_name,
        how_to_pay=get_setting(HOW_TO_PAY_KEY, "") or DEFAULT_HOW_TO_PAY,
        phone=consult_phone(),
        issuer=get_setting(ISSUER_KEY, ""),  # empty: the household's township's 人民政府
        today=today or dt.date.today(),
        subsidy_rules=subsidy_rules(policy),
    )


def _notice(household_id: int, year: int, context: _Context) -> Notice:
    found = db.execute_sql(
        """SELECT h.number, h.head_name, h.address, v.name, t.name FROM household h
           JOIN region v ON v.id = h.village_id LEFT JOIN region t ON t.id = v.parent_id WHERE h.id = ?""",
        (household_id,),
    ).fetchone()
    if found is None:
        raise ServiceError(f"找不到编号为{household_id}的户")
    number, head_name, address, village_name, own_town = found
    # a county database: the household's own township, never the first one's for every household
    town_name = own_town or context.township
    policy = context.policy
    rows = [r for r in household_members(household_id, year) if r.status not in _LEFT_OFF]
    members = tuple(_member(r) for r in rows)
    totals = household_owing((m.status, m.due_fen, m.paid_fen) for m in members)
    newborns = []
    for row in rows:
        born = dt.date.fromisoformat(row.birth_date)
        if is_newborn(born, year) and row.status == Status.UNPAID.value:
            deadline = enrollment_deadline(born)
            newborns.append(NewbornDeadline(row.name, born, deadline, deadline < context.today))
    return Notice(
        year=year,
        township=town_name,
        village=village_name,
        household_id=household_id,
        household_number=number,
        head_name=head_name,
        address=address,
        members=members,
        standard_fen=policy.standard_fen,
        total_due_fen=totals.due_fen,
        total_paid_fen=totals.paid_fen,
        owed_fen=totals.owed_fen,
        collection_start=policy.collection_start,
        deadline=policy.collection_end,
        waiting_fixed_months=policy.waiting.fixed_months,
        subsidy_rules=context.subsidy_rules,
        newborns=tuple(newborns),
        how_to_pay=context.how_to_pay,
        phone=context.phone,
        issuer=context.issuer or (f"{town_name}人民政府" if town_name else ""),
        issued_on=context.today,
    )


def notice_for(household_id: int, year: int, today: dt.date | None = None) -> Notice:
    """The 缴费告知单 of one household for ``year`` (``today`` is the date printed on it)."""
    return _notice(household_id, year, _context(year, today))


def _household_ids(village_name: str | None, year: int, only_unpaid: bool) -> list[int]:
    where, params = [], []
    if village_name:
        found = only_village(village_name)  # a county database: a name two townships hold is refused
        if found is None:
            raise ServiceError(f"台账里没有“{village_name}”这个村(社区)")
        where.append("h.village_id = ?")
        params.append(found.id)
    if only_unpaid:
        where.append(
            """EXISTS (SELECT 1 FROM person p JOIN enrollment e ON e.person_id = p.id AND e.year = ?
                       WHERE p.household_id = h.id AND e.status = 'unpaid' AND e.due_fen > e.paid_fen)"""
        )
        params.append(year)
    sql = "SELECT h.id FROM household h JOIN region v ON v.id = h.village_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += (f" ORDER BY {dialect.text_key('v.code', nullable=True)}, {dialect.text_key('v.name')},"
            f" {dialect.text_key('h.number')}")
    return [row[0] for row in db.execute_sql(sql, params).fetchall()]


def count_notices(village_name: str | None, year: int, only_unpaid: bool = True) -> int:
    """How many notices :func:`notices_for` gives (for a progress bar)."""
    return len(_household_ids(village_name, year, only_unpaid))


def notices_for(
    village_name: str | None, year: int, only_unpaid: bool = True, today: dt.date | None = None
) -> Iterator[Notice]:
    """The notices of a whole village (all villages for None), in village and household order.

    ``only_unpaid`` keeps the households where someone still owes money this year. The household
    list is read first; each notice is read when it is reached, so printing can stop early.
    """
    context = _context(year, today)
    for household_id in _household_ids(village_name, year, only_unpaid):
        yield _notice(household_id, year, context)
