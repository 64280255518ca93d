"""Desk work from the command line: ``pay``, ``payments``, ``reverse``, ``status``, ``person``,
``household``.

Each command calls the service the window calls for the same work (``services.payments``,
``services.household_work``), so the rules, the refusals and the audit entries are the same;
on the command line the audit trail names the computer's user and the source ``cli``. A
refusal is a :class:`~desktop_app.errors.UserError`: exit status 1, its reason on stderr,
nothing written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable

from desktop_app.cli.common import EXIT_OK, add_action, add_command, open_ledger, pad, year_arg
from desktop_app.cli.desk_help import CHANNEL_HELP, TEXTS
from desktop_app.cli.desk_lookup import (
    STATUS_CHOICES,
    add_year,
    channel_arg,
    date_arg,
    household_by_number,
    money_arg,
    person_by_id,
    status_arg,
    year_of,
)
from desktop_app.domain.money import format_yuan
from desktop_app.domain.vocabulary import STATUS_NAMES, Status
from desktop_app.errors import ServiceError
from desktop_app.services import household_work, payments
from desktop_app.services.ledger import village
from desktop_app.store.models import Enrollment, Household, Person

# ------------------------------------------------------------------------------- payments


def _cmd_pay(args: argparse.Namespace) -> int:
    open_ledger(args)
    year = year_of(args)
    paid_on = args.date or dt.date.today()
    channel, voucher = args.channel or "", (args.voucher or "").strip()
    if args.household:
        if args.amount is not None:
            args.usage("全户缴费按每人还应缴的金额登记，不能写 --amount / a household pays what each member owes: "
                       "no --amount")
        household = household_by_number(args.household)
        result = payments.record_household_payment(household.id, year, paid_on, channel, voucher)
        each = "、".join(f"{name} {format_yuan(fen)}元" for name, fen in result.paid)
        print(f"已为户{household.number}（户主{household.head_name}）登记{year}年度缴费{len(result.paid)}人，"
              f"共{format_yuan(result.total_fen)}元：{each}")
        return EXIT_OK
    person = person_by_id(args.person)
    amount = args.amount if args.amount is not None else _owed(person, year)
    money = payments.PaymentInput(person.id, year, amount, paid_on, channel, voucher)
    verdict = payments.check_payment(money)  # as the window does: refused, or asked first
    if verdict.refused:
        raise payments.PaymentRefused(verdict.reason)
    if verdict.warned and not args.yes:
        raise payments.ConfirmationNeeded(
            f"{verdict.reason}。仍要登记吗？确认就在命令里加 --yes（这次什么都没有写入）")
    if verdict.warned:
        print(f"注意：{verdict.reason}", file=sys.stderr)
    created = payments.record_payment(money, confirmed=verdict.warned)
    print(f"已登记缴费 #{created.id}：{person.name} {person.id_number} {year}年度 {format_yuan(amount)}元"
          f"{'，' + channel if channel else ''}，{paid_on:%Y-%m-%d}")
    return EXIT_OK


def _owed(person: Person, year: int) -> int:
    """What ``person`` still owes for ``year``: the amount paid when ``--amount`` is not given."""
    owed = payments.still_owed(person.id, year)  # also for a year the payment would enrol them in
    if owed <= 0:
        raise ServiceError(f"{person.name}{year}年度没有还需缴纳的金额；确实收到了钱，请用 --amount 写明金额")
    return owed


def _cmd_payments(args: argparse.Namespace) -> int:
    open_ledger(args, read_only=True)
    person = person_by_id(args.person)
    found = payments.payments_of(person.id, args.year)
    print(f"# {person.name} {person.id_number} 的缴费记录（{args.year or '全部'}年度）：{len(found)}条")
    print(f"{pad('编号', 8)}{pad('年度', 6)}{'金额':>10}  {pad('缴费日期', 12)}{pad('渠道', 14)}{pad('凭证号', 16)}说明")
    for p in found:
        note = f"冲正#{p.reverses_id}：{p.reason}" if p.reverses_id else p.reason
        print(f"{pad(str(p.id), 8)}{pad(str(p.year), 6)}{format_yuan(p.amount_fen):>12}  "
              f"{pad(str(p.paid_on), 12)}{pad(p.channel, 14)}{pad(p.voucher, 16)}{note}")
    return EXIT_OK


def _cmd_reverse(args: argparse.Namespace) -> int:
    open_ledger(args)
    reversal = payments.reverse_payment(args.payment, args.reason, on=args.date)
    print(f"已冲正缴费 #{args.payment}（冲正记录 #{reversal.id}，{format_yuan(reversal.amount_fen)}元）："
          f"{reversal.reason}")
    return EXIT_OK


# -------------------------------------------------------------------------------- statuses


def _cmd_status(args: argparse.Namespace) -> int:
    open_ledger(args)
    year = year_of(args)
    person = person_by_id(args.person)
    status = args.status if args.action == "set" else None
    household_work.set_status(person.id, year, status, args.reason if status else "")
    now = Enrollment.get((Enrollment.person == person.id) & (Enrollment.year == year))
    shown = STATUS_NAMES[Status(now.status)]
    print(f"{person.name} {person.id_number} {year}年度参保状态：{shown}"
          + (f"（{now.status_reason}）" if now.status_reason else ""))
    return EXIT_OK


# ------------------------------------------------------------------------ persons, households


def _cmd_person(args: argparse.Namespace) -> int:
    open_ledger(args)
    {"add": _person_add, "edit": _person_edit, "move": _person_move}[args.action](args)
    return EXIT_OK


def _person_add(args: argparse.Namespace) -> None:
    household = household_by_number(args.household)
    member = household_work.NewMember(args.name, args.id_number, args.relation or "", args.phone or "")
    person = Person.get_by_id(household_work.add_member(household.id, member))
    print(f"已新增{person.name} {person.id_number}（{household_work.check_id(person.id_number, ignore_person=person.id).message}）"
          f"到户{household.number}（户主{household.head_name}）")


def _person_edit(args: argparse.Namespace) -> None:
    person = person_by_id(args.person)
    if args.name is None and args.phone is None and args.relation is None:
        args.usage("请至少写一项要改的：--name、--phone 或 --relation / give --name, --phone or --relation")
    household_work.update_person(
        person.id,
        name=person.name if args.name is None else args.name,
        phone=person.phone if args.phone is None else args.phone,
        relation=person.relation if args.relation is None else args.relation,
    )
    fresh = Person.get_by_id(person.id)
    print(f"已保存：{fresh.name} {fresh.id_number}，与户主关系：{fresh.relation or '（空）'}，"
          f"电话：{fresh.phone or '（空）'}")


def _person_move(args: argparse.Namespace) -> None:
    person = person_by_id(args.person)
    target = household_by_number(args.to)
    household_work.move_member(person.id, target.id, relation=args.relation or "")
    fresh = Person.get_by_id(person.id)
    print(f"已把{fresh.name} {fresh.id_number}迁入户{target.number}（{target.village}，户主{target.head_name}），"
          f"与户主关系：{fresh.relation or '（空）'}")


def member_arg(text: str) -> household_work.NewMember:
    """``--member``: 姓名,身份证号[,与户主关系[,电话]] (commas half- or full-width)."""
    parts = [part.strip() for part in text.replace("，", ",").split(",")]
    if len(parts) < 2 or len(parts) > 4 or not parts[0] or not parts[1]:
        raise argparse.ArgumentTypeError(
            f"成员应写成“姓名,身份证号[,与户主关系[,电话]]”，这里是“{text}”")
    return household_work.NewMember(*parts)


def _cmd_household(args: argparse.Namespace) -> int:
    open_ledger(args)
    new_village = village(args.village, create=False) is None
    household_id = household_work.add_household(args.village, args.members, number=args.number or "",
                                                address=args.address or "")
    household = Household.get_by_id(household_id)
    if new_village:
        print(f"注意：台账里原来没有“{args.village.strip()}”，已新建这个村（社区）", file=sys.stderr)
    print(f"已新增户{household.number}（{args.village.strip()}，户主{household.head_name}），"
          f"{len(args.members)}人：{'、'.join(m.name.strip() for m in args.members)}")
    return EXIT_OK


# ----------------------------------------------------------------------------- the parsers


def _command(commands: argparse._SubParsersAction, name: str,
             handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """:func:`add_command` with its texts from :data:`TEXTS`, and ``args.usage(message)``: a
    usage error (exit 2) that the handler finds."""
    help_text, description = TEXTS[name]
    parser = add_command(commands, name, handler, help=help_text, description=description)
    parser.set_defaults(usage=parser.error)
    return parser


def _sub(actions: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    """``name`` ("status set") as a sub-command of its group, the same way."""
    help_text, description = TEXTS[name]
    parser = add_action(actions, name.split()[-1], help=help_text, description=description)
    parser.set_defaults(usage=parser.error)
    return parser


def _person_arg(parser: argparse.ArgumentParser, dest: str = "person") -> None:
    parser.add_argument(dest, metavar="ID", help="身份证号 / the person's ID number")


def _date_opt(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help=f"{what}，默认今天 / date (default: today)")


def _actions(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return parser.add_subparsers(dest="action", metavar="ACTION", required=True)


def register(commands: argparse._SubParsersAction) -> None:
    p = _command(commands, "pay", _cmd_pay)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("person", nargs="?", metavar="ID", help="缴费人的身份证号 / the person's ID number")
    who.add_argument("--household", metavar="NUMBER",
                     help="户编号（或户主身份证号）：全户缴费 / household number (or its head's ID): the whole household")
    p.add_argument("--amount", type=money_arg, metavar="YUAN",
                   help="金额（元），如 400 或 400.50；默认此人还应缴的金额 / amount in yuan, e.g. 400 or 400.50 "
                        "(default: what the person still owes)")
    p.add_argument("--channel", type=channel_arg, metavar="CHANNEL", help=CHANNEL_HELP)
    p.add_argument("--voucher", metavar="NO", help="缴费凭证号或票据号 / receipt or tax voucher number")
    _date_opt(p, "缴费日期")
    add_year(p)
    p.add_argument("--yes", action="store_true",
                   help="确认：此人无需缴费也照样登记 / confirm a payment from a person who owes nothing")

    p = _command(commands, "payments", _cmd_payments)
    _person_arg(p)
    p.add_argument("--year", type=year_arg, help="只列这一年度 / only this year")

    p = _command(commands, "reverse", _cmd_reverse)
    p.add_argument("payment", type=int, metavar="PAYMENT", help="缴费记录编号（见 payments）/ the payment's number")
    p.add_argument("--reason", required=True, help="冲正原因 / why it is reversed")
    _date_opt(p, "冲正日期")

    actions = _actions(_command(commands, "status", _cmd_status))
    q = _sub(actions, "status set")
    _person_arg(q)
    q.add_argument("status", type=status_arg, metavar="STATUS", help=STATUS_CHOICES)
    q.add_argument("--reason", default="", help="原因，如单位、地点、日期 / the reason: employer, place, date")
    add_year(q)
    q = _sub(actions, "status clear")
    _person_arg(q)
    add_year(q)

    actions = _actions(_command(commands, "person", _cmd_person))
    q = _sub(actions, "person add")
    _person_arg(q, "id_number")
    q.add_argument("--name", required=True, help="姓名 / name")
    q.add_argument("--household", required=True, metavar="NUMBER", help="户编号 / household number")
    q.add_argument("--relation", help="与户主关系，如 配偶、子、女 / relation to the head")
    q.add_argument("--phone", help="联系电话 / phone")
    q = _sub(actions, "person edit")
    _person_arg(q)
    q.add_argument("--name", help="姓名 / name")
    q.add_argument("--phone", help="联系电话 / phone")
    q.add_argument("--relation", help="与户主关系 / relation to the head")
    q = _sub(actions, "person move")
    _person_arg(q)
    q.add_argument("--to", required=True, metavar="NUMBER", help="迁入户的户编号 / the household joined")
    q.add_argument("--relation", help="在新户里与户主的关系 / relation to the new head")

    q = _sub(_actions(_command(commands, "household", _cmd_household)), "household add")
    q.add_argument("--village", required=True, help="村（社区）名 / village name")
    q.add_argument("--member", dest="members", action="append", required=True, type=member_arg,
                   metavar="NAME,ID[,RELATION[,PHONE]]", help="一个成员（可写多次）/ one member (repeat)")
    q.add_argument("--number", help="户编号，默认自动编号 / household number (default: made from the village code)")
    q.add_argument("--address", help="家庭住址 / address")
