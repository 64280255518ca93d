"""What the desk commands share: the argument types of money, dates, channels and statuses, and
finding the person, household, village and year a command names.

A person is named by their ID number (公民身份号码) as a clerk types it, a household by its
household number (户编号) or its head's ID number, a village by its name. Amounts are yuan
("400", "400.50", "400元"), read exactly to fen by the reader the payments import uses; dates
are written 2025-01-02.
"""

from __future__ import annotations

import argparse
import datetime as dt

from desktop_app.cli.common import year_arg
from desktop_app.domain.idnumber import IdNumberError, normalize_id_text, parse_id_number
from desktop_app.domain.vocabulary import PAYMENT_CHANNELS, RECORDED_STATUSES, STATUS_NAMES, Status
from desktop_app.errors import ServiceError
from desktop_app.exchange import CellError, parse_amount_fen
from desktop_app.services.household_numbers import head_id_key
from desktop_app.services.household_work import STATUS_REASONS
from desktop_app.services.households import HouseholdRow, find_household_by_number
from desktop_app.services.policy import policy_years
from desktop_app.services.townships import Township, only_village, village_of
from desktop_app.store.models import Household, Person, Region


def money_arg(text: str) -> int:
    """``--amount``: yuan as typed ("400", "400.50", "400元") → fen, exactly (no float)."""
    try:
        fen = parse_amount_fen(text.strip())
    except CellError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None
    if fen is None:
        raise argparse.ArgumentTypeError("金额是空的，请写元，例如 400 或 400.50")
    return fen


def date_arg(text: str) -> dt.date:
    """``--date``: a day written 2025-01-02."""
    try:
        if len(text.strip()) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 2025-01-02 这样，这里是“{text}”") from None


#: 缴费渠道 by its Chinese name or its code (tax_app, bank, cash, family_account).
CHANNELS = {**{name: name for name in PAYMENT_CHANNELS.values()}, **PAYMENT_CHANNELS}


def channel_arg(text: str) -> str:
    """``--channel``: the channel's Chinese name as stored (税务APP, 银行, 现金代收, 个人账户共济)."""
    name = CHANNELS.get(text.strip()) or CHANNELS.get(text.strip().lower())
    if name is None:
        raise argparse.ArgumentTypeError(
            f"缴费渠道“{text}”不认识，可选：{'、'.join(PAYMENT_CHANNELS.values())}"
            f"（或 {', '.join(PAYMENT_CHANNELS)}）"
        )
    return name


#: The statuses staff record by hand, by code, full Chinese name or the short name the window offers.
STATUSES: dict[str, str] = {
    alias: status.value
    for status in RECORDED_STATUSES
    for alias in (status.value, STATUS_NAMES[status], STATUS_REASONS[status.value])
} | {"职工医保": Status.EMPLOYEE.value}
STATUS_CHOICES = "、".join(f"{name}({code})" for code, name in STATUS_REASONS.items())


def status_arg(text: str) -> str:
    """``STATUS``: a status recorded by hand (参加职工医保 / employee …), as its code."""
    code = STATUSES.get(text.strip()) or STATUSES.get(text.strip().lower())
    if code is None:
        raise argparse.ArgumentTypeError(
            f"参保状态“{text}”不能手工标记（未缴费、已缴费、全额资助代缴由缴费金额决定），可选：{STATUS_CHOICES}")
    return code


def add_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=year_arg, help="年度，默认台账里最新的政策年度 / enrollment year "
                        "(default: the newest policy year in the ledger)")


def year_of(args: argparse.Namespace) -> int:
    """``--year``, else the newest policy year the ledger holds."""
    if args.year is not None:
        return int(args.year)
    years = policy_years()
    if not years:
        raise ServiceError("台账里还没有载入任何年度的政策（先用 policy load 载入）")
    return years[-1]


def person_by_id(text: str) -> Person:
    """The person holding the ID number ``text`` (spaces, full-width digits, a 15-digit old number
    are all fine)."""
    number = normalize_id_text(text.strip())
    try:
        number = parse_id_number(number).number
    except IdNumberError:
        pass  # looked up as typed: the ledger may hold a number the check now refuses
    person = Person.get_or_none(Person.id_number == number)
    if person is None:
        raise ServiceError(f"台账里没有身份证号为{text.strip()}的人")
    return person


def household_by_number(text: str) -> HouseholdRow:
    """The household numbered ``text``, or the one whose head's ID number it is."""
    number = text.strip()
    found = find_household_by_number(number)
    if found is None:
        key = head_id_key(normalize_id_text(number))
        keyed = Household.get_or_none(Household.head_id_number == key) if key else None
        found = find_household_by_number(keyed.number) if keyed is not None else None
    if found is None:
        raise ServiceError(f"台账里没有户编号为{number}的户")
    return found


def village_by_name(name: str, town: Township | None = None) -> Region:
    """The village of that name (in ``town``, one township of a county database); a name several
    townships hold is refused without ``town``."""
    found = only_village(name) if town is None else village_of(town, name)
    if found is None:
        held = Region.select(Region.name).where(Region.level == "village")
        if town is not None:
            held = held.where(Region.parent == town.id)
        known = sorted({r.name for r in held})
        raise ServiceError(f"台账里没有叫“{name.strip()}”的村（社区）（有：{'、'.join(known) or '无'}）")
    return found
