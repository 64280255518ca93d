"""``backpay``: record a back-payment (补缴) for a person's missed year (DOMAIN.md section 10)."""

from __future__ import annotations

import argparse
import datetime as dt

from desktop_app.cli.common import EXIT_OK, add_command, open_ledger, year_arg
from desktop_app.domain.money import format_yuan
from desktop_app.domain.vocabulary import PAYMENT_CHANNELS
from desktop_app.exchange import CellError, parse_amount_fen, parse_date


def _amount(text: str) -> int:
    """400 / 400.00 / 400元, read as a county file's amount cell."""
    try:
        fen = parse_amount_fen(text)
    except CellError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None
    if not fen:
        raise argparse.ArgumentTypeError("补缴金额应大于0，例如 400 或 400.00")
    return fen


def _date(text: str) -> dt.date:
    """2026-03-01 / 2026年3月1日 / 20260301, read as a county file's date cell."""
    try:
        day = parse_date(text)
    except CellError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None
    if day is None:
        raise argparse.ArgumentTypeError("缴费日期为空")
    return day


def _cmd_backpay(args: argparse.Namespace) -> int:
    # lazy: the back-payment services load only for this command (start-up time)
    from desktop_app.services import backpay, continuity

    open_ledger(args)
    person = backpay.person_by_id_number(args.id_number)
    paid_on = args.date or dt.date.today()
    payment = backpay.record_backpay(backpay.BackPaymentInput(
        person.id, args.year, args.amount, paid_on, args.channel or "", args.voucher or ""))
    run = continuity.continuity_of([person.id], args.year)[person.id]
    print(f"backpay: {person.name} {person.id_number} {args.year}年度 {format_yuan(payment.amount_fen)}元 "
          f"recorded on {paid_on:%Y-%m-%d} (payment {payment.id}); {args.year}年度为补缴修复年度，{run.words()}")
    return EXIT_OK


#: ``backpay --help``: what a back-payment is, for whoever records one from the command line.
DESCRIPTION = (
    "Record a back-payment for a year the person was not insured (a break from 2025 on, already "
    "over). The amount must be that year's personal part at that year's standard (less the "
    "subsidy of a category the person held that year). The year becomes a repaired year: it "
    "counts towards continuous enrollment and repairs one month of the variable waiting period, "
    "but is not an enrollment of that year. A wrong one is reversed like any payment."
)


def register(commands: argparse._SubParsersAction) -> None:
    p = add_command(commands, "backpay", _cmd_backpay, help="record a back-payment (补缴) for a missed year",
                    description=DESCRIPTION)
    p.add_argument("id_number", metavar="ID", help="the person's ID number (公民身份号码)")
    p.add_argument("--year", type=year_arg, required=True, help="the missed year paid back")
    p.add_argument("--amount", type=_amount, required=True, help="yuan, e.g. 400 or 400.00")
    p.add_argument("--date", type=_date, help="the payment date (default: today), e.g. 2026-03-01")
    p.add_argument("--channel", choices=list(PAYMENT_CHANNELS.values()), help="how it was paid")
    p.add_argument("--voucher", help="the voucher or receipt number")
