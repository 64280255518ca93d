"""The dashboard's figures: the rates of DOMAIN.md section 5, checked against SQL written here
from the definitions' words, against the summary export's 合计 row, and after a payment."""

import datetime as dt

import pytest
from python_calamine import CalamineWorkbook

from desktop_app.domain.money import format_yuan
from desktop_app.services import categories, exports, statistics
from desktop_app.services.payments import PaymentInput, record_payment, reverse_payment
from desktop_app.store.models import CategoryRule, Enrollment, Person, Region, db

YEAR = 2025
# DOMAIN.md section 5, written out here rather than imported, so a wrong set in the code fails
NOT_EXPECTED = "('deceased', 'moved', 'military', 'other')"
INSURED = "('paid', 'exempt', 'employee', 'elsewhere')"
CONTRIBUTING = "('paid', 'exempt')"


def one(sql, *params):
    return db.execute_sql(sql, params).fetchone()[0] or 0


def village_ids():
    return [r.id for r in Region.select().where(Region.level == "village").order_by(Region.code)]


def test_targets_are_the_policy_numbers_and_reached_at_the_boundary():
    assert statistics.ENROLLMENT_TARGET_PERCENT == 95
    assert statistics.NEWBORN_TARGET_PERCENT == 80
    assert statistics.meets(95, 100, 95) and statistics.meets(19, 20, 95)
    assert not statistics.meets(94, 100, 95)
    assert not statistics.meets(1899, 2000, 95)  # 94.95%: shown rounded as 95.0%, yet below
    assert statistics.meets(4, 5, 80) and not statistics.meets(3, 4, 80)
    assert not statistics.meets(0, 0, 95)  # nobody expected: no rate, not "reached"
    assert statistics.fraction(0, 0) == 0.0


def test_village_rates_agree_with_direct_counts(demo_ledger):
    rates = statistics.village_rates(YEAR)
    villages = village_ids()
    assert [r.name for r in rates] == [Region.get_by_id(v).name for v in villages]
    for rate, vid in zip(rates, villages):
        expected = one(
            f"SELECT COUNT(*) FROM enrollment WHERE year = ? AND village_id = ? "
            f"AND status NOT IN {NOT_EXPECTED}",
            YEAR,
            vid,
        )
        insured = one(
            f"SELECT COUNT(*) FROM enrollment WHERE year = ? AND village_id = ? "
            f"AND status IN {INSURED}",
            YEAR,
            vid,
        )
        assert (rate.expected, rate.insured) == (expected, insured)
        assert rate.rate == pytest.approx(insured / expected)
        assert rate.meets_target == (insured * 100 >= 95 * expected)
    # the demo township is realistic: rates between 80% and 100%, not all at the target
    assert all(0.8 < r.rate < 1.0 for r in rates)


def test_totals_agree_with_the_summary_exports_total_row(demo_ledger, tmp_path):
    out = tmp_path / "summary.xlsx"
    exports.export("summary", out, YEAR)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    header, total_row = rows[2], rows[-1]
    assert total_row[0] == "合计"
    cell = dict(zip(header, total_row))
    figures = statistics.dashboard(YEAR)
    total = figures.total
    assert (
        cell["总人数"],
        cell["应参保人数"],
        cell["已参保人数"],
        cell["居民医保缴费人数"],
        cell["资助人数"],
        cell["未缴费人数"],
    ) == (
        total.total,
        total.expected,
        total.insured,
        total.contributing,
        total.subsidised,
        total.unpaid,
    )
    for name, fen in (
        ("资助金额", total.subsidy_fen),
        ("个人应缴金额", total.due_fen),
        ("已缴金额", total.paid_fen),
    ):
        assert f"{cell[name]:.2f}" == format_yuan(fen), name
    assert cell["参保率"] == pytest.approx(total.rate)
    # the collection figures are the same sums
    c = figures.collection
    assert (c.due_fen, c.paid_fen, c.unpaid) == (total.due_fen, total.paid_fen, total.unpaid)
    # and the categories' subsidies add up to 资助人数 and 资助金额
    assert sum(f.subsidised for f in figures.categories) == total.subsidised
    assert sum(f.subsidy_fen for f in figures.categories) == total.subsidy_fen


def test_collection_progress_agrees_with_direct_sums(demo_ledger):
    # a paid ordinary resident found to be 低保 afterwards: 200 yuan is owed back (事后资助)
    paid = (
        Enrollment.select()
        .where(
            (Enrollment.year == YEAR)
            & (Enrollment.status == "paid")
            & Enrollment.applied_category.is_null()
        )
        .order_by(Enrollment.id)
        .first()
    )
    assert categories.set_category(paid.person_id, YEAR, "dibao", "民政低保名单")
    c = statistics.collection_progress(YEAR)
    due = one(
        "SELECT SUM(due_fen) FROM enrollment WHERE year = ? AND status IN ('unpaid', 'paid')", YEAR
    )
    paid = one("SELECT SUM(paid_fen) FROM enrollment WHERE year = ?", YEAR)
    owed = one(
        "SELECT SUM(due_fen - paid_fen) FROM enrollment WHERE year = ? AND status = 'unpaid'", YEAR
    )
    refund = one(
        f"SELECT SUM(paid_fen - due_fen) FROM enrollment WHERE year = ? AND status IN {CONTRIBUTING} "
        "AND paid_fen > due_fen",
        YEAR,
    )
    unpaid = one("SELECT COUNT(*) FROM enrollment WHERE year = ? AND status = 'unpaid'", YEAR)
    assert (c.due_fen, c.paid_fen, c.outstanding_fen, c.refund_fen, c.unpaid) == (
        due,
        paid,
        owed,
        refund,
        unpaid,
    )
    assert c.collected_fen == due - owed
    assert 0 < c.rate < 1
    assert refund >= 20000
    assert sum(v.due_fen for v in c.villages) == due
    assert sum(v.collected_fen for v in c.villages) == c.collected_fen


def _unpaid_ordinary_person(village_id=None):
    query = Enrollment.select().where(
        (Enrollment.year == YEAR)
        & (Enrollment.status == "unpaid")
        & (Enrollment.paid_fen == 0)
        & (Enrollment.due_fen > 0)
    )
    if village_id is not None:
        query = query.where(Enrollment.village == village_id)
    return query.order_by(Enrollment.id).first()


def test_a_payment_changes_the_villages_rate_and_collected_amount(demo_ledger):
    enrollment = _unpaid_ordinary_person()
    village = Region.get_by_id(enrollment.village_id).name
    before = {s.name: s for s in statistics.village_summaries(YEAR)}[village]
    collection_before = statistics.collection_progress(YEAR)
    record_payment(
        PaymentInput(
            enrollment.person_id, YEAR, enrollment.due_fen, dt.date(2024, 11, 5), "现金代收"
        )
    )
    after = {s.name: s for s in statistics.village_summaries(YEAR)}[village]
    assert after.insured == before.insured + 1 and after.expected == before.expected
    assert after.rate > before.rate
    assert after.unpaid == before.unpaid - 1
    assert after.collected_fen == before.collected_fen + enrollment.due_fen
    assert after.outstanding_fen == before.outstanding_fen - enrollment.due_fen
    collection = statistics.collection_progress(YEAR)
    assert collection.paid_fen == collection_before.paid_fen + enrollment.due_fen
    assert collection.rate > collection_before.rate
    rate = {r.name: r for r in statistics.village_rates(YEAR)}[village]
    assert (rate.insured, rate.expected) == (after.insured, after.expected)


def test_reaching_the_target_is_decided_exactly(demo_ledger):
    """A village of exactly 100 expected persons: 95 insured reach 95%, 94 do not."""
    vid = village_ids()[0]
    ids = [
        e.id
        for e in Enrollment.select(Enrollment.id)
        .where((Enrollment.year == YEAR) & (Enrollment.village == vid))
        .order_by(Enrollment.id)
    ]
    assert len(ids) > 100
    Enrollment.update(status="moved").where(Enrollment.id.in_(ids[100:])).execute()
    Enrollment.update(status="paid").where(Enrollment.id.in_(ids[:95])).execute()
    Enrollment.update(status="unpaid").where(Enrollment.id.in_(ids[95:100])).execute()
    rate = statistics.village_rates(YEAR)[0]
    assert (rate.insured, rate.expected, rate.meets_target) == (95, 100, True)
    assert rate.rate == pytest.approx(0.95)
    Enrollment.update(status="unpaid").where(Enrollment.id == ids[94]).execute()
    rate = statistics.village_rates(YEAR)[0]
    assert (rate.insured, rate.meets_target) == (94, False)


def _newborns_by_sql():
    """Born in the year, expected to enrol; enrolled = paid (or fully subsidised) in the birth year."""
    where = (
        f"FROM person p JOIN enrollment e ON e.person_id = p.id AND e.year = {YEAR} "
        f"WHERE p.birth_date BETWEEN '{YEAR}-01-01' AND '{YEAR}-12-31' AND e.status NOT IN {NOT_EXPECTED}"
    )
    born = one(f"SELECT COUNT(*) {where}")
    enrolled = one(
        f"SELECT COUNT(*) {where} AND ("
        f"  (e.status = 'paid' AND e.paid_on >= p.birth_date AND e.paid_on <= '{YEAR}-12-31')"
        f"  OR (e.status = 'exempt' AND COALESCE(e.paid_on, e.enrolled_on, p.birth_date) <= '{YEAR}-12-31'))"
    )
    return born, enrolled


def test_newborns_enrolled_in_their_birth_year_agree_with_direct_counts(demo_ledger):
    figures = statistics.newborn_enrollment(YEAR)
    born, enrolled = _newborns_by_sql()
    assert (figures.born, figures.enrolled) == (born, enrolled)
    assert born > 10 and 0 < enrolled < born
    assert figures.rate == pytest.approx(enrolled / born)
    assert figures.meets_target == (enrolled * 100 >= 80 * born)
    assert sum(v.born for v in figures.villages) == born
    assert sum(v.enrolled for v in figures.villages) == enrolled
    # paid the next year: not enrolled in the birth year (the demo's "today" is in 2026)
    late = one(
        f"SELECT COUNT(*) FROM person p JOIN enrollment e ON e.person_id = p.id AND e.year = {YEAR} "
        f"WHERE p.birth_date BETWEEN '{YEAR}-01-01' AND '{YEAR}-12-31' AND e.status = 'paid' AND e.paid_on > '{YEAR}-12-31'"
    )
    assert late > 0
    assert enrolled + late <= born


def _unpaid_newborn():
    return (
        Enrollment.select()
        .join(Person, on=(Person.id == Enrollment.person))
        .where(
            (Enrollment.year == YEAR)
            & (Enrollment.status == "unpaid")
            & (Enrollment.paid_fen == 0)
            & Person.birth_date.between(dt.date(YEAR, 1, 1), dt.date(YEAR, 6, 30))
        )
        .order_by(Enrollment.id)
        .first()
    )


def test_a_newborn_paid_in_its_birth_year_counts_and_a_reversal_takes_it_back(demo_ledger):
    enrollment = _unpaid_newborn()
    assert enrollment is not None
    birth = Person.get_by_id(enrollment.person_id).birth_date
    before = statistics.newborn_enrollment(YEAR)
    payment = record_payment(
        PaymentInput(
            enrollment.person_id, YEAR, enrollment.due_fen, birth + dt.timedelta(days=30), "银行"
        )
    )
    after = statistics.newborn_enrollment(YEAR)
    assert (after.born, after.enrolled) == (before.born, before.enrolled + 1)
    reverse_payment(payment.id, "录错了人", on=dt.date(YEAR, 12, 1))
    assert statistics.newborn_enrollment(YEAR).enrolled == before.enrolled


def test_a_newborn_paid_the_next_year_does_not_count(demo_ledger):
    enrollment = _unpaid_newborn()
    before = statistics.newborn_enrollment(YEAR)
    record_payment(
        PaymentInput(enrollment.person_id, YEAR, enrollment.due_fen, dt.date(YEAR + 1, 1, 2))
    )
    assert Enrollment.get_by_id(enrollment.id).status == "paid"
    after = statistics.newborn_enrollment(YEAR)
    assert (after.born, after.enrolled) == (before.born, before.enrolled)


@pytest.mark.parametrize("paid_in_birth_year", [True, False])
def test_a_paid_newborn_without_a_paid_on_is_dated_by_its_payment_rows(demo_ledger, paid_in_birth_year):
    """Only such an enrollment has its payment rows read (the query looks them up for no other)."""
    enrollment = _unpaid_newborn()
    birth = Person.get_by_id(enrollment.person_id).birth_date
    before = statistics.newborn_enrollment(YEAR)
    day = birth + dt.timedelta(days=30) if paid_in_birth_year else dt.date(YEAR + 1, 1, 2)
    record_payment(PaymentInput(enrollment.person_id, YEAR, enrollment.due_fen, day, "银行"))
    Enrollment.update(paid_on=None).where(Enrollment.id == enrollment.id).execute()
    assert Enrollment.get_by_id(enrollment.id).status == "paid"
    after = statistics.newborn_enrollment(YEAR)
    assert (after.born, after.enrolled) == (before.born, before.enrolled + paid_in_birth_year)


@pytest.mark.parametrize(
    ("status", "paid_on", "enrolled_on", "last_payment", "counts"),
    [
        ("paid", dt.date(2025, 3, 1), None, None, True),
        (
            "paid",
            None,
            None,
            dt.date(2025, 3, 1),
            True,
        ),  # no date on the enrollment: the payment rows'
        ("paid", dt.date(2026, 1, 1), None, None, False),
        (
            "paid",
            dt.date(2025, 1, 10),
            None,
            None,
            False,
        ),  # before the birth: not a newborn's payment
        ("unpaid", dt.date(2025, 3, 1), None, None, False),  # a part payment is not enrolment
        ("exempt", None, dt.date(2024, 9, 1), None, True),  # registered before birth: from birth
        ("exempt", None, dt.date(2026, 2, 1), None, False),
        ("employee", dt.date(2025, 3, 1), None, None, False),
    ],
)
def test_enrolled_in_birth_year_rule(status, paid_on, enrolled_on, last_payment, counts):
    birth = dt.date(2025, 2, 1)
    assert (
        statistics.enrolled_in_birth_year(2025, birth, status, paid_on, enrolled_on, last_payment)
        is counts
    )


def test_categories_use_the_years_policy_names_and_add_up(demo_ledger):
    figures = {f.code: f for f in statistics.categories(YEAR)}
    assert list(figures)[:4] == ["tekun", "guer", "dibao", "jiance"]  # the policy's order
    assert list(figures)[-1] == "none"
    assert figures["dibao"].name == "低保对象" and figures["none"].name == "普通居民"
    assert figures["tuopin"].name == "脱贫人口"  # held but not subsidised by the 2025 policy
    for code, figure in figures.items():
        if code == "none":
            continue
        holders = one(
            "SELECT COUNT(*) FROM category_membership m JOIN enrollment e "
            "ON e.person_id = m.person_id AND e.year = m.year "
            "WHERE m.year = ? AND m.category = ? AND m.ended_on IS NULL",
            YEAR,
            code,
        )
        subsidised = one(
            f"SELECT COUNT(*) FROM enrollment WHERE year = ? AND applied_category = ? "
            f"AND status IN {CONTRIBUTING} AND subsidy_fen > 0",
            YEAR,
            code,
        )
        subsidy = one(
            f"SELECT SUM(subsidy_fen) FROM enrollment WHERE year = ? AND applied_category = ? "
            f"AND status IN {CONTRIBUTING}",
            YEAR,
            code,
        )
        assert (figure.persons, figure.subsidised, figure.subsidy_fen) == (
            holders,
            subsidised,
            subsidy,
        ), code
    assert figures["dibao"].persons > 0 and figures["dibao"].subsidy_fen > 0
    assert figures["tuopin"].subsidy_fen == 0
    without = one(
        "SELECT COUNT(*) FROM enrollment e WHERE e.year = ? AND e.person_id NOT IN "
        "(SELECT person_id FROM category_membership WHERE year = ? AND ended_on IS NULL)",
        YEAR,
        YEAR,
    )
    assert figures["none"].persons == without > 0


def test_an_ended_category_no_longer_counts(demo_ledger):
    before = {f.code: f for f in statistics.categories(YEAR)}
    holder = one(
        "SELECT m.person_id FROM category_membership m WHERE m.year = ? AND m.category = 'dibao' "
        "AND (SELECT COUNT(*) FROM category_membership o WHERE o.person_id = m.person_id "
        "AND o.year = m.year) = 1 ORDER BY m.person_id LIMIT 1",
        YEAR,
    )
    assert categories.end_category(holder, YEAR, "dibao", dt.date(YEAR, 3, 1))
    after = {f.code: f for f in statistics.categories(YEAR)}
    assert after["dibao"].persons == before["dibao"].persons - 1
    assert after["none"].persons == before["none"].persons + 1


def test_category_names_follow_a_renamed_policy(demo_ledger):
    CategoryRule.update(name="城乡低保").where(
        (CategoryRule.policy == YEAR) & (CategoryRule.code == "dibao")
    ).execute()
    names = {f.code: f.name for f in statistics.categories(YEAR)}
    assert names["dibao"] == "城乡低保"


def test_a_year_without_data_gives_zeros(demo_ledger):
    figures = statistics.dashboard(2030)
    assert figures.villages == () and figures.total.total == 0 and figures.total.rate == 0.0
    assert figures.collection.due_fen == 0 and figures.collection.rate == 0.0
    assert figures.newborns.born == 0 and figures.newborns.rate == 0.0
    assert [f.code for f in figures.categories] == [
        "none"
    ]  # no policy for 2030, nobody holds anything


def test_one_summary_definition_for_export_and_dashboard(demo_ledger):
    rows = exports.summary_rows(YEAR)
    summaries = statistics.village_summaries(YEAR)
    assert [r[0] for r in rows] == [s.name for s in summaries]
    assert [r[1:4] + r[5:] for r in rows] == [
        [
            s.total,
            s.expected,
            s.insured,
            s.contributing,
            s.subsidised,
            s.subsidy_fen,
            s.due_fen,
            s.paid_fen,
            s.unpaid,
        ]
        for s in summaries
    ]
    vid = village_ids()[1]
    assert [s.village_id for s in statistics.village_summaries(YEAR, vid)] == [vid]
