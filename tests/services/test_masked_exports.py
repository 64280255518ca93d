"""Masked exports cannot be reversed (DOMAIN.md section 10, "Masked exports").

A demo ledger gets ID numbers and mobiles written into every free-text field (household number,
head's name, address, names, relations, status reasons, village and township names), in every
spelling a clerk produces (full-width digits, a lowercase x, 15-digit legacy numbers, spaces and
hyphens between the digit groups, +86). Every table is then exported with ``--mask`` and every
part of every workbook (sheets, shared strings, docProps…) is scanned: no ID number, no mobile,
no birth date and no date at all may be left in it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from desktop_app.cli.main import main
from desktop_app.domain.idnumber import make_id_number
from desktop_app.domain.masking import mask_phone, mask_text, year_only
from desktop_app.domain.newborn import enrollment_deadline
from desktop_app.services import exports
from desktop_app.store.db import close_database
from desktop_app.store.models import db

YEAR = 2025
SECRET_ID = make_id_number("430102", dt.date(1990, 1, 1), 123)
X_ID = next(n for k in range(1000) if (n := make_id_number("430102", dt.date(1988, 7, 9), k)).endswith("X"))
LEGACY_ID = "430102900101123"  # 15 digits: region, 900101, order
PHONE, PHONE_2 = "13812345678", "13987654321"
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

KINDS = [kind.value for kind in exports.ExportKind]

# what the scan calls an ID number and a mobile, after folding full-width to ASCII
ID_PATTERN = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])")
MOBILE_PATTERN = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
SEPARATORS = re.compile(r"(?<=[0-9])[\s\u200b\-]+(?=[0-9X])")


def _spaced(number: str) -> str:
    return f"{number[:6]} {number[6:14]} {number[14:]}"


def _seed(ledger_path: Path) -> dict[str, object]:
    """IDs and phones into every free-text field of the demo ledger; returns what to look for."""
    run = db.execute_sql
    run("UPDATE region SET name = ? WHERE level = 'township'", (f"青山镇（专干{PHONE}）",))
    village_id, village_name = run("SELECT id, name FROM region WHERE level = 'village' ORDER BY id").fetchone()
    run("UPDATE region SET name = ? WHERE id = ?", (f"{village_name}（村医{PHONE_2}）", village_id))
    # a child born this year, in a household keyed by its head's ID as imports used to key it
    child_id, household_id = run(
        "SELECT p.id, p.household_id FROM person p JOIN enrollment e ON e.person_id = p.id AND e.year = ?"
        " WHERE p.birth_date >= ? AND p.relation != '户主' ORDER BY p.id", (YEAR, f"{YEAR}-01-01"),
    ).fetchone()
    head_number = run("SELECT id_number FROM person WHERE household_id = ? AND relation = '户主'",
                      (household_id,)).fetchone()[0]
    run("UPDATE household SET number = ?, head_name = ?, address = ? WHERE id = ?",
        (head_number, f"王五{SECRET_ID.translate(FULL_WIDTH)}", f"东山村3组，户主身份证{SECRET_ID}",
         household_id))
    run("UPDATE person SET relation = ?, phone = ?, note = ? WHERE id = ?",
        (f"女（户主{X_ID.lower()}之女）", f"+86 {PHONE}", f"电话{PHONE}", child_id))
    # everyone else in that household: a legacy number in the name, a phone in groups
    run("UPDATE person SET name = name || ?, phone = ? WHERE household_id = ? AND id != ?",
        (f"（旧号{LEGACY_ID}）", "138 1234 5678", household_id, child_id))
    run("UPDATE enrollment SET status = 'other', status_reason = ? WHERE person_id IN"
        " (SELECT id FROM person WHERE household_id = ? AND relation = '户主') AND year = ?",
        (f"户主{SECRET_ID}之女，电话{PHONE}，身份证{_spaced(SECRET_ID)}、{X_ID.lower()}", household_id, YEAR))
    persons = run("SELECT id_number, phone, birth_date FROM person").fetchall()
    births = [dt.date.fromisoformat(str(b)) for _n, _p, b in persons]
    return {
        "numbers": {n for n, _p, _b in persons} | {SECRET_ID, X_ID, LEGACY_ID},
        "phones": {re.sub(r"\D", "", p)[-11:] for _n, p, _b in persons if p} | {PHONE, PHONE_2},
        "dates": set(births) | {enrollment_deadline(b) for b in births if b.year == YEAR},
        "village": f"{village_name}（村医{PHONE_2}）",
    }


@pytest.fixture
def seeded(demo_ledger, ledger_path):
    return _seed(ledger_path)


def _texts(path: Path) -> dict[str, str]:
    """Every part of the workbook as text, entities resolved, full-width folded, x upper."""
    with zipfile.ZipFile(path) as book:
        return {
            name: unicodedata.normalize("NFKC", html.unescape(book.read(name).decode("utf-8"))).upper()
            for name in book.namelist()
        }


def _assert_unreadable(path: Path, secrets: dict[str, object]) -> None:
    for part, text in _texts(path).items():
        joined = SEPARATORS.sub("", text)  # "430102 19900101 1234" read as one number
        for seen in (text, joined):
            assert not ID_PATTERN.search(seen), (path.name, part, ID_PATTERN.search(seen).group())
            assert not MOBILE_PATTERN.search(seen), (path.name, part, MOBILE_PATTERN.search(seen).group())
        for number in secrets["numbers"]:
            assert number not in joined, (path.name, part, number)
        for phone in secrets["phones"]:
            assert phone not in joined, (path.name, part, phone)
        compact = set(re.findall(r"(?<![0-9])[0-9]{8}(?![0-9])", joined))
        for day in secrets["dates"]:
            assert day.isoformat() not in text and f"{day:%Y/%m/%d}" not in text, (path.name, part, day)
            assert f"{day:%Y%m%d}" not in compact, (path.name, part, day)
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.value is None or not cell.is_date, (path.name, sheet.title, cell.coordinate, cell.value)


@pytest.mark.parametrize("kind", KINDS)
def test_every_masked_export_holds_no_id_phone_or_birth_date(seeded, tmp_path, kind):
    out = tmp_path / f"{kind}.xlsx"
    result = exports.export(kind, out, YEAR, mask=True)
    assert result.rows > 0
    _assert_unreadable(out, seeded)
    one_village = tmp_path / f"{kind}-village.xlsx"  # the village's name is in the subtitle too
    exports.export(kind, one_village, YEAR, village_name=seeded["village"], mask=True)
    _assert_unreadable(one_village, seeded)


def test_the_command_line_mask_flag_masks_every_table(seeded, ledger_path, tmp_path):
    close_database()
    for kind in KINDS:
        out = tmp_path / f"cli-{kind}.xlsx"
        assert main(["--db", str(ledger_path), "export", kind, str(out), "--year", str(YEAR), "--mask"]) == 0
        _assert_unreadable(out, seeded)
        close_database()


def test_masked_cells_keep_what_the_county_needs(seeded, tmp_path):
    """Masking hides; it does not blank: ends of IDs and phones, years, names, amounts stay."""
    out = tmp_path / "roster.xlsx"
    exports.export("roster", out, YEAR, mask=True)
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out).worksheets[0].iter_rows()]
    header = rows[2]
    col = {name: header.index(name) for name in header}
    remark = next(r[col["备注"]] for r in rows[3:] if r[col["备注"]] and "户主" in r[col["备注"]])
    assert remark == mask_text(remark) and f"户主{SECRET_ID[:6]}********{SECRET_ID[-4:]}之女" in remark
    assert f"电话{PHONE[:3]}****{PHONE[-4:]}" in remark
    data = [r for r in rows[3:-1]]
    assert all(re.fullmatch(r"\d{6}\*{8}[\dX]{4}", r[col["公民身份号码"]]) for r in data)
    assert all(re.fullmatch(r"(19|20)\d\d", r[col["出生日期"]]) for r in data)
    assert all("*" not in r[col["姓名"]] for r in data if "旧号" not in r[col["姓名"]])
    assert sum(1 for r in data if r[col["个人应缴金额"]]) > 0


def test_a_newborns_deadline_is_hidden_because_it_is_the_birth_date_plus_90_days(seeded, tmp_path):
    out = tmp_path / "newborns.xlsx"
    exports.export("newborns", out, YEAR, mask=True)
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(out).worksheets[0].iter_rows()]
    header = rows[2]
    deadlines = {r[header.index("参保截止日期")] for r in rows[3:-1]}
    assert deadlines == {"已隐藏"}
    plain = tmp_path / "plain.xlsx"
    exports.export("newborns", plain, YEAR)
    assert any(isinstance(c.value, dt.datetime) for r in openpyxl.load_workbook(plain).worksheets[0].iter_rows()
               for c in r)  # unmasked, the deadline is there to be acted on


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"户主{SECRET_ID}之女", f"户主{SECRET_ID[:6]}********{SECRET_ID[-4:]}之女"),
        (f"电话{PHONE}", "电话138****5678"),
        (X_ID.lower(), X_ID[:6].lower() + "*" * 8 + X_ID[-4:].lower()),
        (SECRET_ID.translate(FULL_WIDTH), SECRET_ID[:6].translate(FULL_WIDTH) + "*" * 8
         + SECRET_ID[-4:].translate(FULL_WIDTH)),
        (LEGACY_ID, "430102******123"),
        (_spaced(SECRET_ID), f"{SECRET_ID[:6]} ******** {SECRET_ID[-4:]}"),
        (f"{PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}", "138-****-5678"),
        (f"+86 {PHONE}", "+86 138****5678"),
        (f"{SECRET_ID}{PHONE}", SECRET_ID[:3] + "*" * 22 + PHONE[-4:]),  # glued: nothing readable
        (f"{SECRET_ID}/{PHONE}", f"{SECRET_ID[:6]}********{SECRET_ID[-4:]}/138****5678"),
        ("4311991012010001", "4311991012010001"),  # a household number made from a village code
        ("431199101201", "431199101201"),  # a village code
        ("应退200.00元（事后资助）；2025-01-02", "应退200.00元（事后资助）；2025-01-02"),
        ("0731-88881234", "0731-88881234"),  # a fixed line in free text: not an ID, not a mobile
    ],
)
def test_mask_text_masks_ids_and_mobiles_in_place(text, masked):
    assert mask_text(text) == masked


def test_phone_column_and_years():
    assert mask_phone("138 1234 5678") == "138 **** 5678"
    assert mask_phone("0731-88881234") == "0731-****1234"
    assert year_only(dt.date(1990, 1, 1)) == "1990"
    assert year_only("1990-01-01") == "1990"
