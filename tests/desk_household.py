"""The household the correction tests work on, at the desk and in the services: one place."""

from __future__ import annotations

import datetime as dt

from desktop_app.domain.idnumber import make_id_number
from desktop_app.resources import resource
from desktop_app.services import household_work
from desktop_app.services.policy_load import load_policy


def add_desk_household() -> int:
    """Load the shipped 2024 and 2025 policies and add one household of three in 东山村 (张大山
    the head, 李秀英 his wife, 张小山 their son); returns its id."""
    for year in (2024, 2025):
        load_policy(resource("policies") / f"{year}.toml")
    members = [
        household_work.NewMember("张大山", make_id_number("431199", dt.date(1970, 3, 3), 11), "户主"),
        household_work.NewMember("李秀英", make_id_number("431199", dt.date(1972, 4, 4), 22), "配偶"),
        household_work.NewMember("张小山", make_id_number("431199", dt.date(2000, 5, 5), 31), "子"),
    ]
    return household_work.add_household("东山村", members)
