"""The import wizard and the export dialog, clicked through offscreen on real files."""

import datetime as dt
import threading

from python_calamine import CalamineWorkbook

from desktop_app.domain.idnumber import make_id_number
from desktop_app.store.models import Person
from desktop_app.ui.app import make_application
from desktop_app.ui.export_dialog import ExportDialog
from desktop_app.ui.import_wizard import ImportWizard
from tests.exchange.xch_builders import SheetSpec, build_xlsx

HEAD = ["序号", "姓名", "公民身份号码", "户编号", "与户主关系", "村(社区)"]


def pid(n: int) -> str:
    return make_id_number("431199", dt.date(1980, 1, 1) + dt.timedelta(days=n), 11)


def roster_with_rejects(tmp_path):
    rows = [["青山镇花名册"], HEAD,
            [1, "吴一", pid(1), "H1", "户主", "东山村"],
            [2, "吴二", pid(2)[:-1] + ("1" if pid(2)[-1] != "1" else "2"), "H1", "子", "东山村"],
            [3, "吴三", pid(3), "H1", "女", "东山村"]]
    return build_xlsx(tmp_path / "花名册.xlsx", [SheetSpec("Sheet1", rows, merges=["A1:F1"])])


def test_wizard_previews_saves_rejects_and_imports(qtbot, ledger, tmp_path):
    make_application()
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.choose_page.file_edit.setText(str(roster_with_rejects(tmp_path)))
    with qtbot.waitSignal(wizard.planned, timeout=20000) as planned:
        wizard.next()
    plan = planned.args[0]
    assert (len(plan.new), len(plan.rejected)) == (2, 1)
    assert wizard.stack.currentIndex() == wizard.COLUMNS
    labels = {box.objectName(): box.currentText() for _s, _c, box in wizard.columns_page.mapping_boxes}
    assert labels["mapping_2"] == "公民身份号码" and labels["mapping_1"] == "姓名"
    wizard.next()  # mapping unchanged: straight to the preview, no second read
    assert wizard.stack.currentIndex() == wizard.PREVIEW
    assert "新增 2" in wizard.preview_page.counts.text() and "拒绝 1" in wizard.preview_page.counts.text()
    assert Person.select().count() == 0, "the preview writes nothing"
    saved = wizard.save_rejects(tmp_path / "rejects.xlsx")
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()
    assert "校验码" in rows[3][0] and rows[3][3] == "吴二"
    with qtbot.waitSignal(wizard.imported, timeout=20000):
        wizard.next()
    assert wizard.stack.currentIndex() == wizard.RESULT
    assert Person.select().count() == 2
    assert "新增2人" in wizard.result_page.result_text.text()


def test_wizard_maps_a_header_nobody_recognised_and_remembers_it(qtbot, ledger, tmp_path):
    make_application()
    rows = [["名字", "号码", "户", "村"], ["郑九", pid(9), "H9", "西河村"]]
    path = build_xlsx(tmp_path / "怪表头.xlsx", [SheetSpec("Sheet1", rows)])
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.choose_page.file_edit.setText(str(path))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.operation is None and wizard.stack.currentIndex() == wizard.COLUMNS, timeout=20000)
    assert "表头" in wizard.status.text()
    boxes = {column: box for _sig, column, box in wizard.columns_page.mapping_boxes}
    for column, field in ((0, "name"), (1, "id_number"), (2, "household_number"), (3, "village")):
        boxes[column].setCurrentIndex(boxes[column].findData(field))
    with qtbot.waitSignal(wizard.planned, timeout=20000) as planned:
        wizard.next()
    assert [p.name for p in planned.args[0].new] == ["郑九"]
    # the next file of that layout is understood without asking
    again = ImportWizard()
    qtbot.addWidget(again)
    again.choose_page.file_edit.setText(str(path))
    with qtbot.waitSignal(again.planned, timeout=20000) as planned_again:
        again.next()
    assert [p.name for p in planned_again.args[0].new] == ["郑九"]


def test_cancel_during_import_writes_nothing(qtbot, ledger, tmp_path):
    make_application()
    wizard = ImportWizard()
    qtbot.addWidget(wizard)
    wizard.choose_page.file_edit.setText(str(roster_with_rejects(tmp_path)))
    with qtbot.waitSignal(wizard.planned, timeout=20000):
        wizard.next()
    wizard.next()
    worker = wizard.run_apply()
    worker.cancel()  # before the worker checks: the transaction is rolled back
    qtbot.waitUntil(lambda: wizard.operation is None, timeout=20000)
    if wizard.stack.currentIndex() == wizard.PREVIEW:
        assert "没有写入" in wizard.status.text() or "Nothing" in wizard.status.text() or "取消" in wizard.status.text()
        assert Person.select().count() == 0
    else:  # the import finished before the cancel was seen: then it is complete
        assert Person.select().count() == 2


def test_export_dialog_writes_each_kind(qtbot, demo_ledger, tmp_path):
    make_application()
    dialog = ExportDialog(2025)
    qtbot.addWidget(dialog)
    assert "青山镇2025年度参保台账" in dialog.path_edit.text()
    for index in range(dialog.kind_box.count()):
        dialog.kind_box.setCurrentIndex(index)
        dialog.path_edit.setText(str(tmp_path / f"{dialog.kind_box.currentData()}.xlsx"))
        with qtbot.waitSignal(dialog.exported, timeout=20000) as done:
            dialog.start()
        assert done.args[0].path.exists()
        assert dialog.open_button.isEnabled()
    dialog.village_box.setCurrentIndex(1)
    dialog.mask.setChecked(True)
    assert "（已隐藏）" in dialog.path_edit.text() or "(masked)" in dialog.path_edit.text()


def test_a_masked_file_name_holds_no_mobile_either(qtbot, demo_ledger):
    """The suggested name carries the township's and village's names out of the office too."""
    from desktop_app.store.models import Region

    Region.update(name="青山镇13812345678").where(Region.level == "township").execute()
    make_application()
    dialog = ExportDialog(2025)
    qtbot.addWidget(dialog)
    assert "13812345678" in dialog.path_edit.text()  # an unmasked file: the name as it is
    dialog.mask.setChecked(True)
    assert "13812345678" not in dialog.path_edit.text() and "138****5678" in dialog.path_edit.text()


def _gated_export_dialog(qtbot, monkeypatch, every: int):
    """An export dialog whose roster producer is held after its fifth row until the returned
    ``gate`` opens (``reached`` is set when it is held): the test then acts while the export is
    surely running, before any progress has been reported (every ``every`` rows)."""
    from desktop_app.services import exports

    make_application()
    monkeypatch.setattr(exports, "PROGRESS_EVERY", every)
    real = exports._roster
    gate, reached = threading.Event(), threading.Event()

    def held(*args):  # noqa: ANN002, ANN202
        for n, row in enumerate(real(*args)):
            if n == 5:
                reached.set()
                assert gate.wait(20), "the test never opened the gate"
            yield row

    monkeypatch.setattr(exports, "_roster", held)
    dialog = ExportDialog(2025)
    qtbot.addWidget(dialog)
    return dialog, gate, reached


def test_export_dialog_shows_rows_of_the_total(qtbot, demo_ledger, tmp_path, monkeypatch):
    dialog, gate, reached = _gated_export_dialog(qtbot, monkeypatch, every=100)
    dialog.path_edit.setText(str(tmp_path / "roster.xlsx"))
    heard: list[tuple[int, int]] = []
    with qtbot.waitSignal(dialog.exported, timeout=20000) as done:
        worker = dialog.start()
        worker.progress.connect(lambda d, t: heard.append((d, t)))  # no progress before the gate opens
        assert reached.wait(20) and not dialog.export_button.isEnabled()
        gate.set()
    result = done.args[0]
    assert not result.cancelled and result.rows == 500 and (tmp_path / "roster.xlsx").exists()
    assert heard[0] == (100, 500)  # the total was known from the first report on
    assert [d for d, _t in heard] == [100, 200, 300, 400, 500]
    assert dialog.progress.maximum() == 500 and "500" in dialog.status.text()
    assert dialog.open_button.isEnabled() and dialog.export_button.isEnabled() and dialog.operation is None


def test_esc_while_exporting_cancels_and_writes_nothing(qtbot, demo_ledger, tmp_path, monkeypatch):
    dialog, gate, reached = _gated_export_dialog(qtbot, monkeypatch, every=1)
    dialog.show()
    target = tmp_path / "out" / "roster.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"yesterday's file")
    dialog.path_edit.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=20000) as done:
        dialog.start()
        assert reached.wait(20)
        assert dialog.cancel_button.text() != dialog.tr("Close") and not dialog.export_button.isEnabled()
        dialog.reject()  # Esc while writing: cancel, and the dialog stays open
        assert dialog.isVisible() and ("取消" in dialog.status.text() or "Cancel" in dialog.status.text())
        gate.set()
    result = done.args[0]
    assert result.cancelled and result.rows < 500
    assert target.read_bytes() == b"yesterday's file"
    assert [f.name for f in target.parent.iterdir()] == ["roster.xlsx"]  # no temporary file
    assert "已取消" in dialog.status.text() or "Cancelled" in dialog.status.text()
    assert not dialog.open_button.isEnabled() and dialog.export_button.isEnabled() and dialog.operation is None
    dialog.reject()  # nothing running now: Esc closes
    assert not dialog.isVisible()
