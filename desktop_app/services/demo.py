"""A realistic made-up township for trying the program, for tests and for benchmarks.

``generate_demo`` fills an empty ledger with villages, households of 1–6, persons with valid
ID numbers and Chinese names, the DOMAIN.md categories in realistic shares (some overlapping),
newborns, recorded statuses (职工医保, 异地参保, 死亡…), payments and a few late identifications
that leave a refund owed. Charges come from the same rule functions as everywhere else.

The same seed gives the same township. Rows are written in bulk (``store.bulk``, ``executemany``)
in one transaction (peewee's per-row ``create`` is two orders of magnitude slower; STYLE.md).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop_app.domain.charges import compute_charge, enrollment_status
from desktop_app.domain.idnumber import make_id_number
from desktop_app.domain.pinyin import name_initials
from desktop_app.domain.policy import Policy
from desktop_app.domain.vocabulary import PAYMENT_CHANNELS, Status
from desktop_app.services import audit
from desktop_app.services import policy as policy_service
from desktop_app.services.demo_names import GIVEN_FEMALE, GIVEN_MALE, SURNAMES, VILLAGES
from desktop_app.services.ledger import ServiceError, set_township, township
from desktop_app.store import bulk
from desktop_app.store.errors import friendly_writes
from desktop_app.store.models import Person, Region, db

DEMO_COUNTY = ("示范县", "431199")
DEMO_TOWNSHIP = ("青山镇", "431199101")
BATCH = 20_000  # persons written per executemany round, inside the one transaction
HOUSEHOLD_SIZES = ((1, 10), (2, 20), (3, 25), (4, 25), (5, 12), (6, 8))

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoOptions:
    persons: int = 2000
    seed: int = 1
    year: int | None = None  # default: the newest shipped policy year
    today: dt.date | None = None  # no birth date after this day
    # the 6-digit area code every ID number is drawn from (default the demo county's): the
    # townships of a demo county each draw from their own, so their persons never collide
    id_area: str = DEMO_COUNTY[1]


@dataclass(frozen=True)
class DemoResult:
    persons: int
    households: int
    villages: int
    year: int
    seconds: float


@dataclass
class _Member:
    name: str
    sex: str
    birth: dt.date
    relation: str


class _Township:
    """The random choices, kept together so that one seed gives one township."""

    def __init__(self, rng: random.Random, year: int, today: dt.date) -> None:
        self.rng = rng
        self.year = year
        self.today = today
        self._surnames = [s for s, _ in SURNAMES]
        self._surname_weights = [w for _, w in SURNAMES]
        self._sizes = [s for s, _ in HOUSEHOLD_SIZES]
        self._size_weights = [w for _, w in HOUSEHOLD_SIZES]
        self._used_orders: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(self._surnames, self._surname_weights)[0]

    def given(self, sex: str) -> str:
        pool = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
        if self.rng.random() < 0.3:
            return self.rng.choice(pool)
        return self.rng.choice(pool) + self.rng.choice(pool)

    def birth(self, age: int) -> dt.date:
        """A birth date for someone ``age`` years old at the start of the enrollment year."""
        start = dt.date(self.year - age - 1, 1, 1)
        day = start + dt.timedelta(days=self.rng.randrange(365))
        return min(day, self.today)

    def newborn_birth(self) -> dt.date:
        """A birth date inside the enrollment year itself (a 新生儿 of that year)."""
        day = dt.date(self.year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))
        return min(day, self.today)

    def household_size(self) -> int:
        return self.rng.choices(self._sizes, self._size_weights)[0]

    def id_number(self, region: str, birth: dt.date, sex: str) -> str:
        while True:
            order = self.rng.randrange(1000)
            if (order % 2 == 1) != (sex == "M"):
                order = (order + 1) % 1000
            number = make_id_number(region, birth, order)
            if number not in self._used_orders:
                self._used_orders.add(number)
                return number

    def phone(self) -> str:
        prefix = self.rng.choice(("130", "133", "135", "136", "138", "139", "150", "152", "158", "177", "180", "186", "189", "199"))
        return prefix + f"{self.rng.randrange(10**8):08d}"

    def members(self, size: int) -> list[_Member]:
        rng = self.rng
        surname = self.surname()
        head_sex = "M" if rng.random() < 0.8 else "F"
        if size == 1:
            head_age = rng.randint(45, 92)  # people who live alone are mostly elderly
        else:
            head_age = rng.randint(28, 78)
        out = [_Member(surname + self.given(head_sex), head_sex, self.birth(head_age), "户主")]
        if size >= 2:
            sex = "F" if head_sex == "M" else "M"
            age = max(20, head_age + rng.randint(-5, 5))
            out.append(_Member(self.surname() + self.given(sex), sex, self.birth(age), "配偶"))
        children = size - 2
        # big households often hold the head's parents or grandchildren
        if children >= 3 and head_age < 60 and rng.random() < 0.5:
            parent_age = min(95, head_age + rng.randint(24, 32))
            out.append(_Member(self.surname() + self.given("F"), "F", self.birth(parent_age), "母亲"))
            children -= 1
        for _ in range(children):
            sex = rng.choice("MF")
            if head_age >= 55 and rng.random() < 0.5:
                relation = "孙子" if sex == "M" else "孙女"
                age = max(0, head_age - rng.randint(48, 60))
            else:
                relation = "子" if sex == "M" else "女"
                age = max(0, head_age - rng.randint(22, 38))
            if age <= 2 and rng.random() < 0.3:
                birth = self.newborn_birth()  # young families: a child born this very year
            else:
                birth = self.birth(age)
            out.append(_Member(surname + self.given(sex), sex, birth, relation))
        return out


def _age(birth: dt.date, year: int) -> int:
    return year - birth.year


@friendly_writes(ServiceError)
def generate_demo(options: DemoOptions, progress: Progress | None = None) -> DemoResult:
    """Fill the bound (empty) ledger with a demo township; refuse a ledger that holds persons."""
    started = time.perf_counter()
    existing = Person.select().count()
    if existing:
        raise ServiceError(f"台账里已经有{existing}人，演示数据只能放进空台账，以免和真实数据混在一起")
    if options.persons < 1:
        raise ServiceError("演示人数至少为1")
    year = options.year or policy_service.newest_shipped_year()
    today = options.today or dt.date.today()
    policy = policy_service.policy_for_year(year) or policy_service.load_shipped_policy(year)
    rng = random.Random(options.seed)
    town = _Township(rng, year, today)
    n_villages = max(3, min(12, options.persons // 700))
    conn = db.connection()
    now = dt.datetime.now().replace(microsecond=0).isoformat(" ")

    with db.atomic():
        if policy_service.policy_for_year(year) is None:
            policy_service.store_policy(policy)
        if township() is None:
            county = Region.create(name=DEMO_COUNTY[0], code=DEMO_COUNTY[1], level="county")
            set_township(*DEMO_TOWNSHIP)
            Region.update(parent=county).where(Region.level == "township").execute()
        town_row = township()
        assert town_row is not None
        base_code = town_row.code or DEMO_TOWNSHIP[1]
        village_ids: list[tuple[int, str]] = []
        for index, name in enumerate(VILLAGES[:n_villages]):
            code = f"{base_code}{201 + index:03d}"
            region = Region.get_or_none(Region.code == code) or Region.create(
                name=name, code=code, level="village", parent=town_row
            )
            village_ids.append((region.id, code))

        next_household = (conn.execute("SELECT COALESCE(MAX(id), 0) FROM household").fetchone()[0]) + 1
        households: list[tuple] = []
        persons: list[tuple] = []
        memberships: list[tuple] = []
        enrollments: list[tuple] = []
        payments: list[tuple] = []
        id_region = options.id_area
        person_id = 0
        per_village = [0] * n_villages
        household_count = 0
        while person_id < options.persons:
            v = rng.randrange(n_villages)
            village_id, village_code = village_ids[v]
            per_village[v] += 1
            size = min(town.household_size(), options.persons - person_id)
            members = town.members(size)
            hh_id = next_household
            next_household += 1
            group = f"{rng.randint(1, 12)}{rng.choice(('组', '组', '组', '屋场'))}"
            households.append(
                (hh_id, f"{village_code}{per_village[v]:04d}", None, village_id, members[0].name,
                 f"{VILLAGES[v]}{group}{rng.randint(1, 80)}号", now)
            )
            # household-level categories: 低保, 脱贫, 监测 are decided per family
            roll = rng.random()
            household_category = (
                "dibao" if roll < 0.045 else "tuopin" if roll < 0.12 else "jiance" if roll < 0.135 else None
            )
            phone = town.phone()
            for member in members:
                person_id += 1
                number = town.id_number(id_region, member.birth, member.sex)
                age = _age(member.birth, year)
                member_phone = phone if member.relation == "户主" or (age >= 18 and rng.random() < 0.35) else ""
                if member_phone and member.relation != "户主":
                    member_phone = town.phone()
                persons.append(
                    (person_id, number, member.name, member.sex, member.birth.isoformat(), member.relation,
                     member_phone, hh_id, "", now, now, name_initials(member.name))
                )
                codes: list[str] = []
                if household_category:
                    codes.append(household_category)
                if size == 1 and age >= 60 and rng.random() < 0.25:
                    codes.append("tekun")
                if age < 18 and rng.random() < 0.002:
                    codes.append("guer")
                if rng.random() < 0.015:
                    codes.append("canji")
                identified = dt.date(year - 1, rng.randint(1, 12), rng.randint(1, 28))
                for code in codes:
                    memberships.append((person_id, year, code, "演示数据", identified.isoformat()))
                enrollments.append(
                    _enrollment_row(town, policy, person_id, village_id, member, age, codes, payments, now)
                )
            household_count += 1
            if len(persons) >= BATCH:  # keep memory flat for a million persons
                _write_batch(conn, households, persons, memberships, enrollments, payments)
                if progress is not None:
                    progress(person_id, options.persons)

        _write_batch(conn, households, persons, memberships, enrollments, payments)
        audit.record(
            "demo", "ledger", "", None,
            {"persons": options.persons, "households": household_count, "seed": options.seed, "year": year},
        )
    if progress is not None:
        progress(options.persons, options.persons)
    return DemoResult(
        persons=options.persons,
        households=household_count,
        villages=n_villages,
        year=year,
        seconds=time.perf_counter() - started,
    )


def _write_batch(
    conn: Any,
    households: list[tuple],
    persons: list[tuple],
    memberships: list[tuple],
    enrollments: list[tuple],
    payments: list[tuple],
) -> None:
    """Write what has been made so far and empty the lists (households first: persons point to them)."""
    bulk.insert_households(conn, households)
    bulk.insert_persons(conn, persons)  # the person table is empty (checked above): ids 1..N are free
    conn.executemany(
        "INSERT INTO category_membership (person_id, year, category, source, identified_on)"
        " VALUES (?, ?, ?, ?, ?)",
        memberships,
    )
    conn.executemany(
        "INSERT INTO enrollment (person_id, year, village_id, status, status_reason,"
        " applied_category, standard_fen, subsidy_fen, due_fen, paid_fen, collection_mode,"
        " enrolled_on, paid_on, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        enrollments,
    )
    bulk.insert_payments(conn, payments)
    for rows in (households, persons, memberships, enrollments, payments):
        rows.clear()


_RECORDED = (
    # status, reason, share, who
    (Status.EMPLOYEE, "参加城镇职工基本医疗保险", 0.07, lambda age, sex: 22 <= age <= 60),
    (Status.ELSEWHERE, "在务工地参加居民医保", 0.04, lambda age, sex: 18 <= age <= 50),
    (Status.MILITARY, "服兵役", 0.03, lambda age, sex: 18 <= age <= 24 and sex == "M"),
    (Status.DECEASED, "已死亡，待注销户籍", 0.01, lambda age, sex: age >= 70),
    (Status.MOVED, "户籍迁出", 0.004, lambda age, sex: 18 <= age <= 40),
    (Status.OTHER, "在校学生随学校参保", 0.01, lambda age, sex: 18 <= age <= 22),
)


def _enrollment_row(
    town: _Township,
    policy: Policy,
    person_id: int,
    village_id: int,
    member: _Member,
    age: int,
    codes: list[str],
    payments: list[tuple],
    now: str,
) -> tuple:
    rng = town.rng
    year = policy.year
    charge = compute_charge(policy, codes)
    recorded: Status | None = None
    reason = ""
    for status, text, share, applies in _RECORDED:
        if applies(age, member.sex) and rng.random() < share:
            recorded, reason = status, text
            break
    newborn = member.birth.year == year
    paid_fen = 0
    paid_on: dt.date | None = None
    if recorded is None and charge.due_fen > 0:
        pays = rng.random() < (0.78 if newborn else 0.9)
        if pays:
            if newborn:
                paid_on = member.birth + dt.timedelta(days=rng.choice((rng.randint(3, 88), rng.randint(91, 200))))
            else:
                span = (policy.collection_end - policy.collection_start).days
                paid_on = policy.collection_start + dt.timedelta(days=rng.randint(0, max(span, 0)))
                if rng.random() < 0.03:  # late enrollers: paid after the period, they wait
                    paid_on = policy.collection_end + dt.timedelta(days=rng.randint(1, 200))
            paid_on = min(paid_on, town.today)
            # a few paid the whole standard before being identified: a refund is owed (事后资助)
            paid_fen = charge.standard_fen if charge.subsidy_fen and rng.random() < 0.08 else charge.due_fen
            payments.append(
                (person_id, year, paid_fen, paid_on.isoformat(),
                 rng.choice(list(PAYMENT_CHANNELS.values())), f"DJ{year}{person_id:08d}", "", now)
            )
    status = enrollment_status(charge, recorded, paid_fen)
    return (
        person_id, year, village_id, status.value, reason, charge.applied_category,
        charge.standard_fen, charge.subsidy_fen, charge.due_fen, paid_fen, charge.mode.value,
        (paid_on or policy.collection_start).isoformat() if status in (Status.PAID, Status.EXEMPT) else None,
        paid_on.isoformat() if paid_on else None, now,
    )
