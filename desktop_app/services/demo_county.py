"""A demo county: several made-up townships brought into one server database, as a county would.

Each township is generated into a ledger file of its own (its own 9-digit township code, and its
own 6-digit area code for the ID numbers, so that no two townships share a person) and copied
into the server database with ``db copy`` (:func:`desktop_app.services.db_copy.copy_township`),
the way a county fills its database from its townships' laptops. For trying the county views,
training and tests; never on a real database.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from desktop_app.services.db_copy import CopyResult, copy_township
from desktop_app.services.demo import DEMO_COUNTY, DemoOptions, generate_demo
from desktop_app.services.ledger import ServiceError, set_township
from desktop_app.store.db import close_database, open_database
from desktop_app.store.postgres import is_server_url

#: (name, township code, area code of its persons' ID numbers), the county's first townships.
DEMO_TOWNSHIPS = (
    ("青山镇", f"{DEMO_COUNTY[1]}101", "431101"),
    ("白水乡", f"{DEMO_COUNTY[1]}102", "431102"),
    ("石门镇", f"{DEMO_COUNTY[1]}103", "431103"),
    ("桃源镇", f"{DEMO_COUNTY[1]}104", "431121"),
    ("柳溪乡", f"{DEMO_COUNTY[1]}105", "431122"),
)


def generate_demo_county(
    target: str,
    townships: int = 3,
    *,
    persons: int = 2000,
    seed: int = 1,
    year: int | None = None,
    today: dt.date | None = None,
) -> list[CopyResult]:
    """Bring ``townships`` demo townships of ``persons`` each into the server database ``target``
    (a ``postgresql://`` URL), one ``db copy`` each; the last copy's result is the whole county's."""
    if not is_server_url(target):
        raise ServiceError("几个乡镇放在一起要用单位服务器上的数据库（postgresql://…）；"
                           "一个台账文件只放一个乡镇")
    if not 1 <= townships <= len(DEMO_TOWNSHIPS):
        raise ServiceError(f"演示乡镇数应在1到{len(DEMO_TOWNSHIPS)}之间")
    results = []
    with tempfile.TemporaryDirectory(prefix="demo-county-") as folder:
        for index, (name, code, area) in enumerate(DEMO_TOWNSHIPS[:townships]):
            path = Path(folder) / f"{code}.sqlite"
            open_database(path)
            try:
                set_township(name, code)
                generate_demo(DemoOptions(persons=persons, seed=seed + index, year=year, today=today,
                                          id_area=area))
            finally:
                close_database()
            results.append(copy_township(path, target))
    return results
