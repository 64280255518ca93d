"""The ``--help`` texts of the desk commands, Chinese first, then English ("中文 / English"): what
``--help`` lists (help) and what it explains (description), by command ("status set")."""

from __future__ import annotations

from desktop_app.cli.desk_lookup import STATUS_CHOICES
from desktop_app.domain.vocabulary import PAYMENT_CHANNELS

CHANNEL_HELP = (f"缴费渠道 / payment channel: {'、'.join(PAYMENT_CHANNELS.values())} "
                f"({', '.join(PAYMENT_CHANNELS)})")

TEXTS: dict[str, tuple[str, str]] = {
    "pay": (
        "登记缴费 / record a payment",
        ("登记一个人的缴费（按身份证号），或用 --household 为一户里每个还没缴费的人按他还应缴的金额登记。"
         "金额不合常理（超过缴费标准的10倍，或超过还应缴的再加一年标准）的不登记；免征代缴、无需缴费的人"
         "要加 --yes 确认才登记（记为应退）。 / Record a payment by a person (their ID number), or with "
         "--household for every member who still owes, each what they owe. An absurd amount is refused; "
         "a payment from a person who owes nothing (fully subsidised) is recorded only with --yes, and "
         "shows as a refund owed."),
    ),
    "payments": (
        "列出一个人的缴费记录 / list a person's payments",
        "列出一个人的缴费记录及其编号（冲正时用）。 / List a person's payments with their numbers (for reverse).",
    ),
    "reverse": (
        "冲正一笔缴费 / reverse a wrong payment",
        ("冲正：登记一笔金额相反、写明原因的冲正记录，原来那笔仍留在记录里。 / Cancel a wrong payment by a "
         "negative one naming it, with the reason; the original stays in the history."),
    ),
    "status": (
        "标记或清除参保状态 / mark or clear an insurance status",
        (f"标记一个人这一年度的参保状态并写明原因（{STATUS_CHOICES}），或清除它（回到按缴费金额：未缴费、"
         "已缴费、全额资助代缴）。 / Mark a person's status for the year with its reason, or clear it so the "
         "status follows the money again."),
    ),
    "status set": (
        "标记参保状态 / mark a status",
        f"标记参保状态。STATUS：{STATUS_CHOICES}；“其他”必须写原因。 / Mark a status; other needs a reason.",
    ),
    "status clear": (
        "清除参保状态 / clear a recorded status",
        "清除手工标记的参保状态，回到按缴费金额。 / Clear a recorded status; it follows the money again.",
    ),
    "person": (
        "新增、修改或迁移人员 / add, edit or move a person",
        ("新增人员到一户（身份证号要通过校验，且台账里没有人用过），修改姓名、电话、与户主关系，或迁到另一户。"
         " / Add a person to a household (the ID number checked, never held twice), edit their name, phone "
         "or relation, or move them to another household."),
    ),
    "person add": (
        "新增人员 / add a person to a household",
        "把一个人加入已有的一户。 / Add a person to an existing household.",
    ),
    "person edit": (
        "修改姓名、电话、与户主关系 / edit name, phone, relation",
        "只改写出的项；--phone \"\" 清空电话。 / Changes only what is given; --phone \"\" clears it.",
    ),
    "person move": (
        "迁到另一户 / move to another household",
        ("把一个人迁到另一户（结婚、分户），本年度的村随之改变。 / Move a person to another household "
         "(a marriage, a split); this year's village follows."),
    ),
    "household": (
        "新增户 / add a household",
        "新增一户及其成员（household add）。 / Add a household with its members (household add).",
    ),
    "household add": (
        "新增一户及其成员 / add a household and its members",
        ("新增一户及其成员。每个 --member 写“姓名,身份证号[,与户主关系[,电话]]”；第一个是户主，除非另有人写明"
         "“户主”。不写 --number 则按村代码自动编号。 / Add a household and its members; each --member is "
         "NAME,ID[,RELATION[,PHONE]]; the first is the head unless one says 户主. Without --number the "
         "household is numbered from its village's code."),
    ),
}
