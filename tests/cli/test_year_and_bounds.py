"""``--year`` must be a plausible policy year, and an absurd policy number is refused with its line."""

import pytest

from desktop_app.cli.main import main

COMMANDS_WITH_YEAR = [
    ["import", "payments", "x.xlsx"],
    ["export", "summary", "out.xlsx"],
    ["demo"],
    ["check", "--charges"],
    ["policy", "show"],
]


@pytest.mark.parametrize("year", ["0", "-1", "1999", "2101", "25", "二〇二五"])
@pytest.mark.parametrize("command", COMMANDS_WITH_YEAR, ids=lambda c: " ".join(c[:2]))
def test_an_implausible_year_is_a_usage_error(tmp_path, capsys, command, year):
    db = tmp_path / "x.sqlite"
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(db), *command, "--year", year])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--year" in err and ("2000 到 2100" in err or "四位数字" in err)
    assert not db.exists()  # refused before anything was opened


def test_a_plausible_year_still_works(tmp_path, capsys):
    db = str(tmp_path / "x.sqlite")
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "policy", "load", "resources/policies/2025.toml"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "policy", "show", "--year", "2025"]) == 0
    assert "2025年度政策" in capsys.readouterr().out


@pytest.mark.parametrize("standard", ["1e20", "1e15"])
def test_an_absurd_standard_is_refused_with_its_line(tmp_path, capsys, standard):
    db = str(tmp_path / "x.sqlite")
    assert main(["--db", db, "init"]) == 0
    policy = tmp_path / "2025.toml"
    policy.write_text(
        f"year = 2025\nstandard = {standard}\ncollection_start = 2024-09-01\ncollection_end = 2024-12-31\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["--db", db, "policy", "load", str(policy)]) == 1
    err = capsys.readouterr().err
    assert "第2行" in err and "不合理" in err
    assert main(["--db", db, "policy", "show"]) == 0
    assert "none" in capsys.readouterr().out  # nothing was stored
