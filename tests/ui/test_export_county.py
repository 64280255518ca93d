"""The window's export dialog on a county database: a township row (the whole county, or one
township whose villages the village row then lists), the file named after it, and the export of
that township only; a township's own ledger shows no such row."""

from __future__ import annotations

from python_calamine import CalamineWorkbook

from desktop_app.store.models import Region
from desktop_app.ui.app import make_application
from desktop_app.ui.export_dialog import ExportDialog
from tests.services.test_county_views import SECOND, add_second_township

YEAR = 2025


def _dialog(qtbot) -> ExportDialog:
    make_application()
    dialog = ExportDialog(YEAR)
    qtbot.addWidget(dialog)
    return dialog


def _villages(dialog: ExportDialog) -> list[str]:
    return [dialog.village_box.itemText(i) for i in range(1, dialog.village_box.count())]


def test_a_township_ledger_has_no_township_row(qtbot, demo_ledger):
    dialog = _dialog(qtbot)
    assert dialog.township_box.isHidden()
    assert dialog.suggested_name().startswith("青山镇")


def test_one_township_of_a_county_is_exported_from_the_window(qtbot, demo_ledger, tmp_path):
    second = add_second_township()
    dialog = _dialog(qtbot)
    box = dialog.township_box
    assert not box.isHidden()
    assert [box.itemText(i) for i in range(box.count())] == ["全县", "青山镇 431199101", f"{SECOND[0]} {SECOND[1]}"]
    assert dialog.suggested_name().startswith("示范县")  # the county, never its first township
    box.setCurrentIndex(2)
    own = [v.name for v in Region.select().where(Region.parent == second.id).order_by(Region.code)]
    assert _villages(dialog) == own
    assert dialog.suggested_name().startswith(SECOND[0])
    dialog.path_edit.setText(str(tmp_path / "roster.xlsx"))
    with qtbot.waitSignal(dialog.exported, timeout=20000) as done:
        dialog.start()
    assert not done.args[0].cancelled
    rows = CalamineWorkbook.from_path(str(tmp_path / "roster.xlsx")).get_sheet_by_index(0).to_python()
    town, village = rows[2].index("乡镇(街道)"), rows[2].index("村(社区)")
    assert rows[0][0].startswith(SECOND[0])
    assert {r[town] for r in rows[3:-1]} == {SECOND[0]} and {r[village] for r in rows[3:-1]} == set(own)
    box.setCurrentIndex(0)
    assert len(_villages(dialog)) == Region.select().where(Region.level == "village").count()
