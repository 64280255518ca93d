import datetime as dt

import pytest

from desktop_app.domain.idnumber import (
    IdNumberError,
    check_character,
    is_valid_id_number,
    make_id_number,
    mask_id_number,
    normalize_id_text,
    parse_id_number,
)

# 11010519491231002X is the standard's own worked example (GB 11643-1999).
GOOD = "11010519491231002X"


def test_standard_example_checks_and_reads():
    parsed = parse_id_number(GOOD)
    assert parsed.number == GOOD
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == "F"  # order 002: even
    assert parsed.region == "110105"
    assert check_character("11010519491231002") == "X"


@pytest.mark.parametrize(
    "raw",
    [
        " 11010519491231002x ",
        "110105\u300019491231002X",
        "1101051949\u200b1231002X",
        "\u00a011010519491231002X",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and letter
        "\ufeff11010519491231002X",
    ],
)
def test_normalisation_accepts_what_excel_and_web_pages_leave(raw):
    assert parse_id_number(raw).number == GOOD


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("", "empty", "为空"),
        ("1.10105194912310E+17", "excel_number", "Excel存成了数字"),
        ("110105194912310000.0", "excel_number", "后几位已丢失"),
        ("1101051949123100", "length", "16位"),
        ("11010519491231002Y", "characters", "最后一位可以是X"),
        ("110105194913310028", "birth_date", "不是真实日期"),
        ("110105194912310021", "check", "应为X"),
    ],
)
def test_defects_are_refused_with_a_reason(raw, code, words):
    with pytest.raises(IdNumberError) as info:
        parse_id_number(raw)
    assert info.value.code == code
    assert words in info.value.message


def test_birth_in_the_future_is_refused():
    number = make_id_number("430102", dt.date(2030, 1, 1), 11)
    with pytest.raises(IdNumberError):
        parse_id_number(number, today=dt.date(2026, 1, 1))


def test_fifteen_digit_legacy_number_converts_with_a_flag():
    parsed = parse_id_number("110105491231002")
    assert parsed.converted_from_15
    assert parsed.number.startswith("11010519491231002")
    assert is_valid_id_number(parsed.number)
    assert parsed.sex == "F"


def test_retired_region_code_is_not_a_reason_to_refuse():
    assert is_valid_id_number(make_id_number("999999", dt.date(1980, 5, 6), 123))


@pytest.mark.parametrize("order,sex", [(1, "M"), (2, "F"), (999, "M"), (100, "F")])
def test_sex_from_the_order_digits(order, sex):
    number = make_id_number("430102", dt.date(1990, 2, 28), order)
    assert parse_id_number(number).sex == sex


def test_every_check_character_appears_and_verifies():
    seen = set()
    for order in range(60):
        number = make_id_number("430102", dt.date(2000, 2, 29), order)
        seen.add(number[-1])
        assert is_valid_id_number(number)
        # any single-digit change in the body breaks the check
        wrong = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
        assert not is_valid_id_number(wrong)
    assert "X" in seen and len(seen) >= 8


def test_mask_and_normalise():
    assert mask_id_number(GOOD) == "110105********002X"
    assert normalize_id_text(" 1x ") == "1X"


def test_check_character_is_the_weighted_sum_of_the_standard():
    """check_character reads the digits in base 13 (13 ≡ 2 mod 11); it must agree with
    GB 11643's weighted sum for every digit in every position."""
    import random
    from operator import mul

    from desktop_app.domain.idnumber import CHECK_CHARACTERS, WEIGHTS

    rng = random.Random(11643)
    samples = [f"{rng.randrange(10**17):017d}" for _ in range(20_000)]
    samples += ["0" * j + str(d) + "0" * (16 - j) for j in range(17) for d in range(10)]
    for first17 in samples:
        weighted = sum(map(mul, map(int, first17), WEIGHTS))
        assert check_character(first17) == CHECK_CHARACTERS[weighted % 11], first17


@pytest.mark.parametrize("digits", ["١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧", "႑႒႓႔႕႖႗႘႙႐႑႒႓႔႕႖႗"])
def test_digits_of_other_scripts_are_refused_as_characters(digits):
    """str.isdigit() accepts them and int() would read them: the domain itself refuses."""
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(digits + "1")
    assert refused.value.code == "characters"
