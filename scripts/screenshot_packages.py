"""Screenshots of the village work packages for the README, on two demo ledgers in a temp folder:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot_packages.py docs

writes package-work-copy.png (the village laptop's marked window) and package-merge-preview.png
(the township's merge preview with conflicts, one chosen). Each window opens at the size the
program gives it on that screen; the script stops when one does not fit (scripts/screenshot.py).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from desktop_app.services import access, operators, packages, payments
from desktop_app.services.demo import DemoOptions, generate_demo
from desktop_app.services.household_work import set_status, update_person
from desktop_app.services.ledger import enrollment_years
from desktop_app.store.db import close_database, open_database
from desktop_app.store.models import Enrollment, Household, Person, Region
from desktop_app.store.paths import DATA_DIR_ENV
from desktop_app.ui.app import make_application
from desktop_app.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).parent))
from screenshot import shoot, wait  # noqa: E402 (the README's screenshot helpers)

PASSWORD = "dongshan-2026"


def _village_persons(village: str, year: int, unpaid: bool):  # noqa: ANN202
    query = (Enrollment.select().join(Person).join(Household).join(Region, on=(Household.village == Region.id))
             .where((Region.name == village) & (Enrollment.year == year)))
    if unpaid:
        query = query.where((Enrollment.status == "unpaid") & (Enrollment.due_fen > 0))
    return list(query.order_by(Person.id))


def main(folder: str) -> None:
    out = Path(folder)
    work = Path(tempfile.mkdtemp(prefix="packages-shots-"))
    os.environ.setdefault(DATA_DIR_ENV, str(work / "data"))
    make_application()
    township = work / "township.sqlite"
    open_database(township)
    generate_demo(DemoOptions(persons=2000, seed=3, today=dt.date(2026, 11, 23)))
    village = Region.select().where(Region.level == "village").order_by(Region.code).first().name
    year = max(enrollment_years())
    operators.create_operator("王站长", "zhanzhang-2026", access.ADMIN)
    operators.log_in("王站长", "zhanzhang-2026")
    operators.create_operator("李村医", "cunyi-2026", access.CLERK, villages=[village])
    package = work / f"{village}-{year}.ledgerpack"
    packages.create_package([village], year, package, password=PASSWORD)
    access.end_session()
    close_database()

    copy = work / "work-copy.sqlite"
    packages.open_package(package, PASSWORD, copy)
    open_database(copy)
    operators.log_in("李村医", "cunyi-2026")
    unpaid = _village_persons(village, year, unpaid=True)
    paid = [e.person.id_number for e in unpaid[:6]]
    for enrollment in unpaid[:6]:
        payments.record_payment(payments.PaymentInput(enrollment.person_id, year, enrollment.due_fen,
                                                      dt.date(2026, 11, 20), "现金代收"))
    edited = [e.person.id_number for e in _village_persons(village, year, unpaid=False)[10:13]]
    for n, id_number in enumerate(edited):
        person = Person.get(Person.id_number == id_number)
        update_person(person.id, name=person.name, phone=f"1390000{n:04d}", relation=person.relation)
    window = MainWindow(copy)
    window.show()
    window.village_list.setCurrentRow(1)
    wait(200)
    window.person_table.setCurrentIndex(window.person_model.index(10, 0))  # its household on the panel
    shoot(window, out / "package-work-copy.png")
    back = work / "back.ledgerreturn"
    packages.write_return(back, password=PASSWORD)
    window.close()
    access.end_session()
    close_database()

    open_database(township)
    operators.log_in("王站长", "zhanzhang-2026")
    for n, id_number in enumerate(edited):  # the township corrected the same phones its own way meanwhile
        person = Person.get(Person.id_number == id_number)
        update_person(person.id, name=person.name, phone=f"1370000{n:04d}", relation=person.relation)
    gone = Person.get(Person.id_number == paid[0])  # marked deceased at the township; the village took a payment
    set_status(gone.id, year, "deceased", "11月3日民政通报")
    window = MainWindow(township)
    window.show()
    dialog = window.show_merge()
    dialog.choose_page.file.setText(str(back))
    dialog.choose_page.password.setText(PASSWORD)
    dialog.next()
    while dialog.plan is None:
        wait(100)
    dialog.preview_page.conflicts.choose(0, "village")
    shoot(dialog, out / "package-merge-preview.png")
    access.end_session()
    close_database()


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(arguments[0] if arguments else "docs")
