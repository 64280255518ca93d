"""Desk work from the command line, on a real ledger (init + demo), in DOMAIN.md's words.

Each command is run as ``enrollment-ledger`` runs it (``desktop_app.cli.main.main``), and what it
wrote is read back from the file with plain SQL: the payment, the enrollment's status, the
person, and the audit entry (source ``cli``, the computer's user).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import this_computer
from desktop_app.cli.main import main
from desktop_app.domain.idnumber import check_character
from tests.raw_ledger import raw_sql

YEAR = 2025  # the demo's year, the newest shipped policy: the commands' default year


@pytest.fixture
def db(ledger_path: Path) -> Path:
    path = ledger_path  # a file, or a PostgreSQL database's URL (tests/conftest.py)
    assert main(["--db", str(path), "init", "--township", "青山镇", "--township-code", "431199101"]) == 0
    assert main(["--db", str(path), "demo", "--persons", "600", "--seed", "3"]) == 0
    return path


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    return [tuple(row) for row in raw_sql(db, (sql, params))]  # as another tool would, either engine


def one(db: Path, sql: str, *params: object) -> tuple:
    found = rows(db, sql, *params)
    assert found, f"the demo has no row for: {sql}"
    return found[0]


def audits(db: Path, action: str, table: str) -> list[tuple]:
    return rows(db, 'SELECT operator, source, record_id, new_value FROM audit_entry WHERE action = ? AND "table" = ?'
                " ORDER BY id", action, table)


def counts(db: Path) -> tuple[int, int]:
    return one(db, "SELECT (SELECT COUNT(*) FROM payment), (SELECT COUNT(*) FROM audit_entry)")


def unpaid_person(db: Path) -> tuple[int, str]:
    """(person id, ID number) of someone 未缴费 who owes the whole standard."""
    return one(db, """SELECT p.id, p.id_number FROM person p JOIN enrollment e ON e.person_id = p.id AND e.year = ?
                      WHERE e.status = 'unpaid' AND e.due_fen = e.standard_fen AND e.paid_fen = 0
                      ORDER BY p.id LIMIT 1""", YEAR)


def enrollment(db: Path, person_id: int) -> tuple:
    return one(db, "SELECT status, status_reason, due_fen, paid_fen, village_id FROM enrollment"
                   " WHERE person_id = ? AND year = ?", person_id, YEAR)


def new_id_number(db: Path, birth: str = "20240315") -> str:
    """A valid 18-digit ID number (region 431199) nobody in the ledger holds."""
    taken = {number for (number,) in rows(db, "SELECT id_number FROM person")}
    for order in range(100, 999):
        first17 = f"431199{birth}{order}"
        number = first17 + check_character(first17)
        if number not in taken:
            return number
    raise AssertionError("no free ID number")


# ------------------------------------------------------------------------------- payments


def test_pay_a_person_in_yuan_records_exact_fen_and_the_status_follows(db, capsys):
    person_id, number = unpaid_person(db)
    assert run(db, "pay", number, "--amount", "400.50", "--channel", "银行", "--voucher", "PZ-1",
               "--date", "2025-10-02") == 0
    assert "400.50" in capsys.readouterr().out
    assert rows(db, "SELECT amount_fen, paid_on, channel, voucher FROM payment WHERE person_id = ? AND year = ?",
                person_id, YEAR) == [(40050, "2025-10-02", "银行", "PZ-1")]
    status, _reason, due, paid, _village = enrollment(db, person_id)
    assert (status, paid) == ("paid", 40050) and due == 40000  # 已缴费: the personal part paid in full
    operator, source, _record, new = audits(db, "create", "payment")[-1]
    assert (operator, source) == (this_computer.user_name(), "cli") and '"amount_fen": 40050' in new


def test_pay_without_an_amount_pays_what_the_person_still_owes(db):
    person_id, number = unpaid_person(db)
    assert run(db, "pay", number, "--channel", "cash") == 0
    assert rows(db, "SELECT amount_fen, channel FROM payment WHERE person_id = ?", person_id) == [(40000, "现金代收")]


def test_pay_a_household_pays_every_unpaid_member_what_they_owe(db, capsys):
    household_id, number = one(db, """
        SELECT h.id, h.number FROM household h JOIN person p ON p.household_id = h.id
        JOIN enrollment e ON e.person_id = p.id AND e.year = ?
        GROUP BY h.id HAVING SUM(CASE WHEN e.status = 'unpaid' THEN 1 ELSE 0 END) >= 2
               AND SUM(CASE WHEN e.status != 'unpaid' THEN 1 ELSE 0 END) >= 1
        ORDER BY h.id LIMIT 1""", YEAR)
    owing = dict(rows(db, """SELECT p.id, e.due_fen - e.paid_fen FROM person p
                             JOIN enrollment e ON e.person_id = p.id AND e.year = ?
                             WHERE p.household_id = ? AND e.status = 'unpaid'""", YEAR, household_id))
    before = {pid for (pid,) in rows(db, "SELECT id FROM person WHERE household_id = ?", household_id)}
    paid_before = dict(rows(db, "SELECT person_id, COUNT(*) FROM payment GROUP BY person_id"))
    assert run(db, "pay", "--household", number, "--date", "2025-11-01") == 0
    out = capsys.readouterr().out
    assert f"{len(owing)}人" in out
    new = rows(db, "SELECT person_id, amount_fen FROM payment WHERE paid_on = '2025-11-01'")
    assert dict(new) == owing  # each unpaid member what they owe; nobody else
    for pid in before - set(owing):
        assert dict(rows(db, "SELECT person_id, COUNT(*) FROM payment GROUP BY person_id")).get(pid) == \
            paid_before.get(pid)
    assert {enrollment(db, pid)[0] for pid in owing} == {"paid"}


def test_an_absurd_amount_is_refused_with_its_reason_and_nothing_is_written(db, capsys):
    _person_id, number = unpaid_person(db)
    before = counts(db)
    # above 10 × the year's standard of 400 yuan
    assert run(db, "pay", number, "--amount", "4000.01") == 1
    assert "10倍" in capsys.readouterr().err
    assert counts(db) == before


def test_an_amount_that_is_not_money_is_a_usage_error(db, capsys):
    _person_id, number = unpaid_person(db)
    for amount in ("12.345", "四百", "-400"):
        with pytest.raises(SystemExit) as exit_:
            run(db, "pay", number, "--amount", amount)
        assert exit_.value.code == 2
    assert "两位小数" in capsys.readouterr().err


def test_a_payment_from_an_exempt_person_needs_yes_and_then_shows_as_a_refund(db, capsys):
    person_id, number = one(db, """SELECT p.id, p.id_number FROM person p JOIN enrollment e ON e.person_id = p.id
                                   WHERE e.year = ? AND e.status = 'exempt' AND e.paid_fen = 0 LIMIT 1""", YEAR)
    before = counts(db)
    assert run(db, "pay", number, "--amount", "400") == 1
    err = capsys.readouterr().err
    assert "免征代缴，无需缴费" in err and "仍要登记吗" in err and "--yes" in err
    assert counts(db) == before  # asked, not written
    assert run(db, "pay", number, "--amount", "400", "--yes") == 0
    assert "应退" in capsys.readouterr().err  # the warning, on stderr
    assert rows(db, "SELECT amount_fen FROM payment WHERE person_id = ?", person_id) == [(40000,)]
    status, _reason, due, paid, _village = enrollment(db, person_id)
    assert (status, due, paid) == ("exempt", 0, 40000)
    assert "应退" in audits(db, "create", "payment")[-1][3]  # the warning is in the audit trail


def test_reverse_with_a_reason_keeps_the_wrong_payment_in_the_history(db, capsys):
    person_id, number = unpaid_person(db)
    assert run(db, "pay", number) == 0
    (payment_id,) = one(db, "SELECT id FROM payment WHERE person_id = ?", person_id)
    capsys.readouterr()
    assert run(db, "payments", number) == 0
    assert str(payment_id) in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        run(db, "reverse", str(payment_id))  # a reversal without its reason
    assert exit_.value.code == 2
    assert run(db, "reverse", str(payment_id), "--reason", "录错了人") == 0
    assert rows(db, "SELECT amount_fen, reverses_id, reason FROM payment WHERE person_id = ? ORDER BY id",
                person_id) == [(40000, None, ""), (-40000, payment_id, "录错了人")]
    assert enrollment(db, person_id)[0] == "unpaid" and enrollment(db, person_id)[3] == 0
    assert audits(db, "reverse", "payment")[-1][1:3] == ("cli", str(payment_id))
    assert run(db, "reverse", str(payment_id), "--reason", "again") == 1
    assert "已经冲正过了" in capsys.readouterr().err


# -------------------------------------------------------------------------------- statuses


def test_status_set_with_its_reason_and_clear_again(db, capsys):
    person_id, number = unpaid_person(db)
    assert run(db, "status", "set", number, "职工医保", "--reason", "县人民医院") == 0
    assert enrollment(db, person_id)[:2] == ("employee", "县人民医院")
    assert "参加职工医保" in capsys.readouterr().out
    assert audits(db, "status", "enrollment")[-1][1] == "cli"
    assert run(db, "status", "clear", number) == 0
    assert enrollment(db, person_id)[:2] == ("unpaid", "")  # follows the money again
    assert run(db, "status", "set", number, "other") == 1  # 其他 needs its reason
    assert "原因" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        run(db, "status", "set", number, "已缴费")  # decided by the money, never marked
    assert exit_.value.code == 2


# ------------------------------------------------------------------------ persons, households


def test_person_add_checks_the_id_number_and_refuses_a_duplicate(db, capsys):
    (household_number, household_id) = one(db, "SELECT number, id FROM household ORDER BY id LIMIT 1")
    number = new_id_number(db)
    assert run(db, "person", "add", number, "--name", "王小明", "--household", household_number,
               "--relation", "孙子", "--phone", "13812345678") == 0
    person = one(db, "SELECT id, name, sex, birth_date, relation, phone, household_id FROM person WHERE id_number = ?",
                 number)
    sex = "M" if int(number[16]) % 2 else "F"  # an odd third order digit is a man (DOMAIN.md section 7)
    assert person[1:] == ("王小明", sex, "2024-03-15", "孙子", "13812345678", household_id)
    assert enrollment(db, person[0])[0] == "unpaid"  # adding a person creates the year's enrollment
    assert audits(db, "create", "person")[-1][1:3] == ("cli", str(person[0]))
    assert run(db, "person", "add", number, "--name", "王小明", "--household", household_number) == 1
    assert "不能重复登记" in capsys.readouterr().err
    wrong = number[:17] + ("0" if number[17] != "0" else "1")  # the check character wrong
    assert run(db, "person", "add", wrong, "--name", "王二", "--household", household_number) == 1
    assert "校验码" in capsys.readouterr().err
    assert not rows(db, "SELECT 1 FROM person WHERE id_number = ?", wrong)


def test_person_edit_changes_only_the_phone(db):
    person_id, number = unpaid_person(db)
    name, relation = one(db, "SELECT name, relation FROM person WHERE id = ?", person_id)
    assert run(db, "person", "edit", number, "--phone", "13900001111") == 0
    assert one(db, "SELECT name, relation, phone FROM person WHERE id = ?", person_id) == (name, relation, "13900001111")
    assert audits(db, "update", "person")[-1][1:3] == ("cli", str(person_id))


def test_person_move_to_another_household_takes_this_years_village(db):
    person_id, number = unpaid_person(db)
    target_number, target_id, target_village = one(db, """
        SELECT h.number, h.id, h.village_id FROM household h
        WHERE h.village_id != (SELECT village_id FROM household WHERE id = (SELECT household_id FROM person WHERE id = ?))
        ORDER BY h.id LIMIT 1""", person_id)
    assert run(db, "person", "move", number, "--to", target_number, "--relation", "女婿") == 0
    assert one(db, "SELECT household_id, relation FROM person WHERE id = ?", person_id) == (target_id, "女婿")
    assert enrollment(db, person_id)[4] == target_village
    assert audits(db, "move", "person")[-1][1:3] == ("cli", str(person_id))


def test_household_add_with_its_members(db, capsys):
    head, spouse = new_id_number(db, "19800101"), new_id_number(db, "19820202")
    village_id, code = one(db, "SELECT id, code FROM region WHERE level = 'village' AND name = '东山村'")
    assert run(db, "household", "add", "--village", "东山村", "--member", f"张大山,{head},户主,13900001111",
               "--member", f"李秀英，{spouse}，配偶") == 0
    assert "2人" in capsys.readouterr().out
    household_id, number, head_name, village = one(
        db, "SELECT h.id, h.number, h.head_name, h.village_id FROM household h JOIN person p ON p.household_id = h.id"
            " WHERE p.id_number = ?", head)
    assert (head_name, village) == ("张大山", village_id) and number.startswith(code) and len(number) == 16
    members = rows(db, "SELECT name, relation, phone FROM person WHERE household_id = ? ORDER BY id", household_id)
    assert members == [("张大山", "户主", "13900001111"), ("李秀英", "配偶", "")]
    assert audits(db, "create", "household")[-1][1:3] == ("cli", str(household_id))
    # a member already in the ledger: refused, nothing of the household written
    before = one(db, "SELECT COUNT(*) FROM household")
    assert run(db, "household", "add", "--village", "东山村", "--member", f"张小山,{head}") == 1
    assert "不能重复登记" in capsys.readouterr().err
    assert one(db, "SELECT COUNT(*) FROM household") == before


# ------------------------------------------------------------------------------------ help


def help_of(*command: str) -> str:
    result = subprocess.run([sys.executable, "-m", "desktop_app", *command, "--help"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_import_help_shows_only_the_options_of_its_kind():
    categories = help_of("import", "categories")
    assert "--full-list" in categories and "--category" in categories
    for kind in ("payments", "roster"):
        shown = help_of("import", kind)
        assert "--full-list" not in shown and "--category" not in shown and "--dry-run" in shown


@pytest.mark.parametrize("command, chinese, english", [
    (("pay",), "登记", "payment"),
    (("reverse",), "冲正", "reverse"),
    (("status", "set"), "参保状态", "status"),
    (("person", "move"), "迁", "household"),
    (("household", "add"), "户主", "head"),
    (("followups", "newborns"), "新生儿", "deadline"),
])
def test_help_is_in_chinese_and_english(command, chinese, english):
    shown = help_of(*command)
    assert chinese in shown and english in shown


def test_a_household_numbered_by_its_heads_id_is_found_by_it(db, capsys):
    """DOMAIN.md section 10: a household keyed by its head's ID gets a number of its own; the ID
    stays a lookup key, so `pay --household <the head's ID>` finds it."""
    head = new_id_number(db, "19750505")
    assert run(db, "household", "add", "--village", "西河村", "--number", head, "--member", f"赵一,{head}") == 0
    number, key = one(db, "SELECT h.number, h.head_id_number FROM household h JOIN person p ON p.household_id = h.id"
                          " WHERE p.id_number = ?", head)
    assert key == head and number != head
    capsys.readouterr()
    assert run(db, "pay", "--household", head) == 0
    assert number in capsys.readouterr().out
    (person_id,) = one(db, "SELECT id FROM person WHERE id_number = ?", head)
    assert enrollment(db, person_id)[0] == "paid"
