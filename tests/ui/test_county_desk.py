"""The window at county size, beyond the person list: the village rates of a county's villages
of one name, the list export dialog's count off the UI thread, the households tab's capped count
(read only while shown), and what Ctrl+A on a capped list says it selected. Real window
offscreen, real demo ledger; the caps are made small rather than the ledger big."""

import threading

from PySide6.QtCore import Qt

from desktop_app.services.statistics import village_rates
from tests.services.test_village_rates_county import same_name_in_two_townships

YEAR = 2025


def test_a_village_shows_its_own_rate_beside_another_townships_village_of_its_name(
        qtbot, demo_ledger, ledger_path, open_window):
    ours, theirs = same_name_in_two_townships()
    rates = {r.village_id: r for r in village_rates(YEAR)}
    window = open_window(ledger_path)
    qtbot.waitUntil(lambda: "参保率" in window.village_list.item(1).text(), timeout=20_000)
    items = {window.village_list.item(r).data(Qt.ItemDataRole.UserRole): window.village_list.item(r)
             for r in range(1, window.village_list.count())}
    for village in (ours, theirs):
        assert items[village.id].text().startswith(ours.name)
        assert f"参保率 {rates[village.id].rate:.1%}" in items[village.id].text()
    assert items[ours.id].text() != items[theirs.id].text()
