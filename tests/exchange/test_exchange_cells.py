"""Cell parsers: every ID defect of DOMAIN.md section 7, amounts and dates in every spelling,
phones, text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.idnumber import check_character
from desktop_app.domain.money import format_yuan
from desktop_app.exchange.cells import (
    CellError,
    clean_name,
    clean_text,
    id_warning,
    is_blank,
    parse_amount_fen,
    parse_code,
    parse_date,
    parse_id_cell,
    parse_phone,
    split_multi,
)
from desktop_app.exchange.fields import Field
from tests.exchange.xch_builders import ID_A, ID_C

TODAY = dt.date(2025, 6, 1)

# --------------------------------------------------------------------------- ID numbers


@pytest.mark.parametrize(
    "cell",
    [
        ID_A,
        f" {ID_A} ",
        "4301 0219 9001 0112 38",
        "430102\u3000199001011238",
        f"\u3000{ID_A}\u3000",
        f"\u00a0{ID_A}",
        f"\u200b{ID_A}\u200b",
        f"\ufeff{ID_A}",
        "4301\u200d02199001011238",
        "４３０１０２１９９００１０１１２３８",
        f"{ID_A}\n",
    ],
    ids=[
        "clean",
        "spaces",
        "inner-spaces",
        "u3000-inside",
        "u3000-ends",
        "nbsp",
        "zero-width",
        "bom",
        "zwj",
        "full-width-digits",
        "newline",
    ],
)
def test_id_spaces_and_full_width_are_normalised(cell: str) -> None:
    number = parse_id_cell(cell, today=TODAY)
    assert number.number == ID_A
    assert number.birth_date == dt.date(1990, 1, 1)
    assert number.sex == "M"
    assert id_warning(number) is None


def test_id_lowercase_x_and_full_width_x() -> None:
    assert parse_id_cell(ID_C.lower(), today=TODAY).number == ID_C
    assert parse_id_cell(ID_C[:-1] + "ｘ", today=TODAY).number == ID_C


@pytest.mark.parametrize(
    "cell", [4.30102199001011e17, 430102199001011238, 4.301021990010112e17, 430102900101123.0]
)
def test_id_typed_as_a_number_is_always_refused(cell: float) -> None:
    with pytest.raises(CellError) as caught:
        parse_id_cell(cell, today=TODAY)
    assert caught.value.code == "excel_number"
    assert caught.value.field == Field.ID_NUMBER
    assert "数字" in caught.value.reason and "丢失" in caught.value.reason


@pytest.mark.parametrize(
    "cell", ["4.30102199001011E+17", "4.30102E+17", "4.30102199001011e+17", "430102199001011238.00"]
)
def test_id_number_text_as_excel_shows_a_number_is_refused(cell: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_id_cell(cell, today=TODAY)
    assert caught.value.code == "excel_number"


def test_id_with_last_digits_turned_to_zeros_gets_a_hint() -> None:
    with pytest.raises(CellError) as caught:
        parse_id_cell("430102198506152000", today=TODAY)  # ID_B after Excel
    assert caught.value.code == "check"
    assert "变成0" in caught.value.reason


def test_id_15_digit_legacy_number_is_converted_with_a_warning() -> None:
    number = parse_id_cell("430102900101123", today=TODAY)
    assert number.number == ID_A
    assert number.converted_from_15
    warning = id_warning(number)
    assert warning is not None and "15位" in warning and ID_A in warning


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        (ID_A[:-1] + ("9" if ID_A[-1] != "9" else "0"), "check"),
        (ID_A[:17], "length"),
        (ID_A + "1", "length"),
        ("43010219900101123A", "characters"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_id_defects(cell: str, code: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_id_cell(cell, today=TODAY)
    assert caught.value.code == code
    assert caught.value.reason


def test_id_bad_birth_dates() -> None:
    impossible = "43010219901301123"  # month 13
    with pytest.raises(CellError) as caught:
        parse_id_cell(impossible + check_character(impossible), today=TODAY)
    assert caught.value.code == "birth_date"
    future = "43010220900101123"
    with pytest.raises(CellError) as caught:
        parse_id_cell(future + check_character(future), today=TODAY)
    assert caught.value.code == "birth_date"


@pytest.mark.parametrize("cell", [True, dt.date(1990, 1, 1), None])
def test_id_of_other_types(cell: object) -> None:
    with pytest.raises(CellError):
        parse_id_cell(cell, today=TODAY)  # type: ignore[arg-type]


def test_id_retired_region_code_is_accepted() -> None:
    first17 = "43219919900101123"  # region 432199: not a current code
    assert parse_id_cell(first17 + check_character(first17), today=TODAY).region == "432199"


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("cell", "fen"),
    [
        (400, 40000),
        (400.0, 40000),
        ("400", 40000),
        ("400.00", 40000),
        ("400.0", 40000),
        ("400元", 40000),
        ("400.00元", 40000),
        ("￥400", 40000),
        ("¥400", 40000),
        ("¥400.5", 40050),
        ("￥ 1,200.00 元", 120000),
        ("1,200.00", 120000),
        ("1，200", 120000),
        ("１８０", 18000),
        ("RMB400", 40000),
        ("人民币400元", 40000),
        (" 180 ", 18000),
        ("400.500", 40050),
        (0, 0),
        ("0", 0),
        (0.1, 10),
        (19.99, 1999),
        (0.1 + 0.2, 30),  # formula float noise: Excel shows 0.3
        (380 * 0.6, 22800),
        (1234567.89, 123456789),
    ],
)
def test_amounts(cell: object, fen: int) -> None:
    assert parse_amount_fen(cell) == fen  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["", "  ", None, "\u3000"])
def test_empty_amount_is_none(cell: object) -> None:
    assert parse_amount_fen(cell) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("-400", "negative"),
        (-400, "negative"),
        (-0.5, "negative"),
        ("(400)", "negative"),
        ("￥-400", "negative"),
        ("400.005", "decimals"),
        (400.005, "decimals"),
        (0.001, "decimals"),
        ("四百元", "invalid"),
        ("400 元 500", "invalid"),
        ("12,00", "invalid"),
        ("1.2.3", "invalid"),
        ("#VALUE!", "invalid"),
        (True, "invalid"),
        (dt.date(2025, 1, 2), "invalid"),
        (float("nan"), "invalid"),
    ],
)
def test_bad_amounts_say_why(cell: object, code: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_amount_fen(cell, Field.SUBSIDY)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert caught.value.field == Field.SUBSIDY
    assert caught.value.reason


@given(st.integers(min_value=0, max_value=10**11))
def test_amount_round_trips_through_xlsx_float_and_text(fen: int) -> None:
    assert parse_amount_fen(fen / 100) == fen  # what our exports store
    assert parse_amount_fen(format_yuan(fen)) == fen
    assert parse_amount_fen(f"￥{format_yuan(fen)}元") == fen


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "cell",
    [
        dt.date(2025, 1, 2),
        dt.datetime(2025, 1, 2, 15, 30),
        45659,
        45659.0,
        45659.75,
        20250102,
        "2025-01-02",
        "2025-1-2",
        "2025/1/2",
        "2025/01/02",
        "2025.1.2",
        "20250102",
        "2025年1月2日",
        "2025年01月02日",
        "2025 年 1 月 2 日",
        "2025-01-02 10:30:00",
        "2025/1/2 10:30",
        "2025-01-02T10:30:00",
        "2025年1月2日 10时30分",
        "2025年1月2日10时",
        "20250102 103000",
        " 2025-01-02 ",
        "２０２５－０１－０２",
    ],
)
def test_dates_in_every_spelling(cell: object) -> None:
    assert parse_date(cell) == dt.date(2025, 1, 2)  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["", None, "  "])
def test_empty_date_is_none(cell: object) -> None:
    assert parse_date(cell) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cell",
    [
        "2025-02-30",
        "2025-13-01",
        "1/2/2025",
        "25/1/2",
        "2025年1月",
        "明天",
        "45659",
        "1800-01-01",
        12,
        -5,
        99999999,
        dt.time(10, 30),
        dt.timedelta(days=1),
        True,
        "#N/A",
        "2025-01-0210",
    ],
)
def test_bad_dates_say_why(cell: object) -> None:
    with pytest.raises(CellError) as caught:
        parse_date(cell, Field.BIRTH_DATE)  # type: ignore[arg-type]
    assert caught.value.field == Field.BIRTH_DATE
    assert caught.value.reason


def test_excel_serial_boundaries() -> None:
    assert parse_date(61) == dt.date(1900, 3, 1)
    assert parse_date(73415) == dt.date(2100, 12, 31)
    for serial in (1, 60, 73416):  # before 1900-03-01 (Excel's leap-year bug) or after 2100
        with pytest.raises(CellError):
            parse_date(serial)


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("cell", "phone"),
    [
        ("13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
        ("13812345678.0", "13812345678"),
        ("1.3812345678E+10", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("８６１３８１２３４５６７８", "13812345678"),
        ("0731-84123456", "0731-84123456"),
        ("0731－84123456", "0731-84123456"),
        ("0731 84123456", "0731-84123456"),
        ("(0731)84123456", "0731-84123456"),
        ("（0731）84123456", "0731-84123456"),
        ("073184123456", "0731-84123456"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("02012345678", "020-12345678"),
        ("0731-8412345", "0731-8412345"),
        ("010-12345678-123", "010-12345678-123"),
        ("0731-84123456转801", "0731-84123456-801"),
        ("13812345678/13987654321", "13812345678/13987654321"),
        ("13812345678、0731-84123456", "13812345678/0731-84123456"),
    ],
)
def test_phones(cell: object, phone: str) -> None:
    assert parse_phone(cell) == phone  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["", None, " "])
def test_empty_phone_is_none(cell: object) -> None:
    assert parse_phone(cell) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cell",
    [
        "84123456",
        "12345",
        "1381234567",
        "138123456789",
        "23812345678",
        "abc",
        "138.5",
        13.5,
        73184123456,
        1381234567,
        True,
        dt.date(2025, 1, 2),
    ],
)
def test_bad_phones_say_why(cell: object) -> None:
    with pytest.raises(CellError) as caught:
        parse_phone(cell)  # type: ignore[arg-type]
    assert caught.value.code in ("phone", "invalid")
    assert caught.value.field == Field.PHONE


def test_fixed_line_typed_as_number_explains_the_lost_zero() -> None:
    with pytest.raises(CellError) as caught:
        parse_phone(73184123456)
    assert "0" in caught.value.reason and "数字" in caught.value.reason


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("东山村", "东山村"),
        ("  东山村\u3000", "东山村"),
        ("\u200b东山村", "东山村"),
        ("外出\n务工", "外出 务工"),
        ("a   b", "a b"),
        (12.0, "12"),
        (12, "12"),
        (12.5, "12.5"),
        (True, "是"),
        (dt.date(2025, 1, 2), "2025-01-02"),
        (dt.datetime(2025, 1, 2), "2025-01-02"),
        (dt.datetime(2025, 1, 2, 10, 30), "2025-01-02 10:30:00"),
        ("", ""),
        (None, ""),
        ("=SUM(A1)", "=SUM(A1)"),
    ],
)
def test_clean_text(cell: object, text: str) -> None:
    assert clean_text(cell) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("张  三", "张三"),
        ("张\u3000三", "张三"),
        (" 欧阳 小明 ", "欧阳小明"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("John  Smith", "John Smith"),
    ],
)
def test_clean_name(cell: str, name: str) -> None:
    assert clean_name(cell) == name


def test_parse_code() -> None:
    assert parse_code(" 4301 0200 1 ") == "430102001"
    assert parse_code("ＨＨ-001") == "HH-001"
    assert parse_code(430102001.0) == "430102001"
    assert parse_code("") is None
    with pytest.raises(CellError) as caught:
        parse_code(4.30102001000012e15)
    assert caught.value.code == "excel_number"
    with pytest.raises(CellError):
        parse_code("4.30102E+15")
    with pytest.raises(CellError):
        parse_code(12.5)


def test_split_multi_and_is_blank() -> None:
    assert split_multi("低保、监测对象") == ["低保", "监测对象"]
    assert split_multi("特困/孤儿，低保") == ["特困", "孤儿", "低保"]
    assert split_multi("") == []
    assert is_blank("") and is_blank(" \u3000") and is_blank("\u200b") and not is_blank(0)
