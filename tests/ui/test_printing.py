"""Printing to PDF, read back: notices one to an A4 page, any table with its header on every page."""

import dataclasses
import os
import shutil
import subprocess
import sys
import threading

import pytest
from PySide6.QtGui import QPageLayout
from PySide6.QtWidgets import QMessageBox

from desktop_app.domain.money import format_yuan
from desktop_app.services.notices import count_notices, notice_for, notices_for
from desktop_app.store.models import Enrollment, Household, Person
from desktop_app.ui import printing
from desktop_app.ui.app import make_application
from desktop_app.ui.operations import Operation


def pdf_pages(path) -> list[str]:
    """The text of each page, with Qt's own PDF reader (PySide6-Addons), else poppler's pdftotext."""
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError:  # pragma: no cover - Addons missing
        if shutil.which("pdftotext") is None:
            pytest.skip("neither QtPdf nor pdftotext to read the PDF back")
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        return text.split("\f")[:-1]
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_, f"{path} does not open as a PDF"
    pages = [doc.getAllText(page).text() for page in range(doc.pageCount())]
    doc.close()
    return pages


def flat(text: str) -> str:
    """Without whitespace: PDF readers give back spaces and line ends of their own."""
    return "".join(text.split())


def page_size(path, page: int = 0):
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    doc.load(str(path))
    size = doc.pagePointSize(page)
    doc.close()
    return size


def _dibao_household() -> tuple[int, Person]:
    dibao = Enrollment.get((Enrollment.year == 2025) & (Enrollment.applied_category == "dibao")
                           & (Enrollment.status == "unpaid"))
    person = Person.get_by_id(dibao.person_id)
    return person.household_id, person


def test_one_notice_reads_back_from_the_pdf(qtbot, demo_ledger, tmp_path):
    make_application()
    household_id, person = _dibao_household()
    notice = notice_for(household_id, 2025)
    result = printing.print_notices_to_pdf([notice], tmp_path / "告知单.pdf")
    assert (result.path, result.documents, result.pages, result.cancelled) == (tmp_path / "告知单.pdf", 1, 1, False)
    [text] = pdf_pages(result.path)
    text = flat(text)
    assert "2025年度城乡居民医疗保险缴费告知单" in text
    assert notice.head_name in text and person.name in text
    assert f"还需缴纳{format_yuan(notice.owed_fen)}元" in text
    assert "低保对象" in text and "差额征缴" in text and "200.00" in text
    assert "请在2024年12月31日前缴清" in text
    assert "户编号" in text and "回执" in text and "签字" in text
    assert person.id_number[-4:] in text and person.id_number not in text


def test_chinese_copies_out_of_the_pdf_as_written(qtbot, demo_ledger, tmp_path):
    """Qt maps 户 人 方 … to look-alike Kangxi radicals in the PDF's text; we map them back."""
    make_application()
    notice = notice_for(Household.select().first().id, 2025)
    path = printing.print_notices_to_pdf([notice], tmp_path / "n.pdf").path
    text = "".join(pdf_pages(path))
    radicals = sorted({c for c in text if 0x2E80 <= ord(c) < 0x2FE0})
    assert not radicals, f"look-alike radicals in the PDF text: {radicals}"
    assert "户主" in text and "个人" in text
    assert printing.fix_pdf_text(path) == 0, "a fixed file has nothing left to fix"


def test_a_village_prints_one_page_per_household(qtbot, demo_ledger, tmp_path):
    make_application()
    village = Household.select().first().village.name
    total = count_notices(village, 2025, only_unpaid=False)
    seen = []
    result = printing.print_village_notices_to_pdf(
        village, 2025, tmp_path / "村.pdf", only_unpaid=False, progress=lambda d, t: seen.append((d, t)))
    assert (result.documents, result.pages) == (total, total)
    pages = pdf_pages(result.path)
    assert len(pages) == total
    for text, notice in zip(pages, notices_for(village, 2025, only_unpaid=False)):
        assert f"户编号：{notice.household_number}" in flat(text) and notice.head_name in flat(text)
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert page_size(result.path).width() < page_size(result.path).height(), "A4 portrait"
    assert round(page_size(result.path).width()) == 595  # A4: 210 mm = 595 pt


def test_a_large_household_shrinks_onto_its_page_then_continues(qtbot, demo_ledger, tmp_path):
    make_application()
    notice = notice_for(Household.select().first().id, 2025)
    nine = dataclasses.replace(notice, members=(notice.members * 9)[:9])
    forty = dataclasses.replace(notice, members=(notice.members * 40)[:40])
    result = printing.print_notices_to_pdf([nine, forty], tmp_path / "big.pdf")
    pages = pdf_pages(result.path)
    assert result.documents == 2 and len(pages) == result.pages >= 3
    assert "回执" in pages[0], "nine members still fit one page"
    assert "回执" not in pages[1] and "回执" in pages[-1], "forty continue on the next page"
    assert flat(printing.page_text(notice.head_name, 1, result.pages - 1)) in flat(pages[1])


def test_cancel_stops_early_and_writes_nothing(qtbot, demo_ledger, tmp_path):
    make_application()
    folder = tmp_path / "prints"
    folder.mkdir()
    out = folder / "全镇.pdf"
    out.write_bytes(b"an earlier print")
    done = []
    result = printing.print_village_notices_to_pdf(
        None, 2025, out, only_unpaid=False, progress=lambda d, t: done.append(d),
        should_stop=lambda: len(done) > 3,
    )
    assert result.cancelled and result.path is None
    assert result.documents == 3 < count_notices(None, 2025, only_unpaid=False)
    assert out.read_bytes() == b"an earlier print", "a cancelled print leaves the old file alone"
    assert sorted(p.name for p in folder.iterdir()) == ["全镇.pdf"], "no half-written file left"


@pytest.mark.qt_log_level_fail("WARNING")
def test_printing_runs_in_a_worker_thread(qtbot, demo_ledger, tmp_path):
    make_application()
    threads, progress = [], []

    def job(job):
        threads.append(threading.current_thread())
        return printing.print_village_notices_to_pdf(None, 2025, tmp_path / "w.pdf", True, job.progress, job.should_stop)

    operation = Operation(None, op=job, progress=lambda d, t: progress.append((d, t)))
    with qtbot.waitSignal(operation.succeeded, timeout=60000) as finished:
        operation.run_in_background()
    result = finished.args[0]
    assert threads and threads[0] is not threading.main_thread()
    total = count_notices(None, 2025)
    assert (result.documents, result.pages) == (total, total)
    qtbot.waitUntil(lambda: progress and progress[-1] == (total, total), timeout=5000)
    assert len(pdf_pages(result.path)) == total


def test_a_table_repeats_its_header_and_numbers_its_pages(qtbot, ledger, tmp_path):
    make_application()
    headers = ["序号", "村(社区)", "户编号", "户主姓名", "姓名", "公民身份号码", "联系电话", "资助类别",
               "参保状态", "个人应缴金额", "已缴金额", "备注"]
    rows = [[i, "东山村", f"43119910120100{i:02d}", "张三", f"李四{i}", f"43119919900101{i:04d}",
             "13900000000", "低保对象", "未缴费", "200.00", "0.00", "电话为户主电话"] for i in range(1, 121)]
    rows[41][4] = "ZZ单元格42"
    result = printing.print_table_to_pdf("青山镇2025年度未缴费人员清单", headers, rows, tmp_path / "t.pdf",
                                         subtitle="导出日期：2026-11-23")
    pages = pdf_pages(result.path)
    assert result.documents == 120 and len(pages) == result.pages >= 3
    assert "ZZ单元格42" in "".join(pages)
    for number, text in enumerate(pages, start=1):
        assert "公民身份号码" in text, f"page {number} repeats the header"
        assert flat(printing.page_text("青山镇2025年度未缴费人员清单", number, len(pages))) in flat(text)
    assert "431199199001010120" in pages[-1] and "431199199001010001" in pages[0]
    size = page_size(result.path)
    assert size.width() > size.height(), "a wide table prints landscape"
    narrow = printing.print_table_to_pdf("小表", ["村", "人数"], [["东山村", 3]], tmp_path / "n.pdf")
    assert narrow.pages == 1 and page_size(narrow.path).width() < page_size(narrow.path).height()


def test_a_table_print_can_be_cancelled(qtbot, ledger, tmp_path):
    make_application()
    rows = [[str(i), "x" * 10] for i in range(2000)]
    result = printing.print_table_to_pdf("长表", ["序号", "内容"], rows, tmp_path / "long.pdf",
                                         should_stop=lambda: True)
    assert result.cancelled and result.path is None and not (tmp_path / "long.pdf").exists()


def test_table_from_a_model_prints_what_the_view_shows(qtbot, demo_ledger, tmp_path):
    make_application()
    from desktop_app.ui.models import HouseholdTableModel

    model = HouseholdTableModel()
    headers, rows = printing.table_from_model(model)
    assert len(rows) == Household.select().count() and len(headers) == model.columnCount()
    first = Household.select().order_by(Household.number).first()
    result = printing.print_table_to_pdf("户列表", headers, rows, tmp_path / "h.pdf")
    assert first.number in "".join(pdf_pages(result.path))


def test_dialogs_construct_offscreen(qtbot, demo_ledger):
    make_application()
    household_id, _person = _dibao_household()
    preview = printing.notice_preview(None, household_id, 2025)
    qtbot.addWidget(preview)
    table = printing.table_preview(None, "表", ["甲", "乙"], [["1", "2"]])
    qtbot.addWidget(table)
    chooser = printing.print_dialog(None, printing.make_printer())
    qtbot.addWidget(chooser)
    assert preview.windowTitle() and chooser.windowTitle()
    painted = []
    preview.paintRequested.connect(lambda printer: painted.append(printer.pageLayout().orientation()))
    preview.show()  # the preview renders the notice through its own printer
    qtbot.waitUntil(lambda: bool(painted), timeout=10000)
    assert painted[0] == QPageLayout.Orientation.Portrait
    preview.close()


def test_ctrl_p_opens_the_notice_in_a_preview(qtbot, demo_ledger, monkeypatch):
    make_application()
    household_id, _person = _dibao_household()
    dialog = printing.choose_printer_and_print_notice(None, household_id, 2025)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    dialog.close()
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    assert printing.choose_printer_and_print_notice(None, household_id, 2031) is None
    assert warnings and "2031年度还没有载入政策" in warnings[0]


def test_the_notice_dialog_prints_a_village_in_a_worker(qtbot, demo_ledger, tmp_path):
    make_application()
    dialog = printing.NoticeBatchDialog(2025)
    qtbot.addWidget(dialog)
    assert dialog.year_box.currentData() == 2025
    assert dialog.path_edit.text().endswith("青山镇2025年度缴费告知单.pdf")
    dialog.village_box.setCurrentIndex(1)
    village = dialog.village_box.currentData()
    assert village in dialog.path_edit.text()
    dialog.path_edit.setText(str(tmp_path / "村.pdf"))
    with qtbot.waitSignal(dialog.printed, timeout=60000) as printed:
        dialog.start()
    result = printed.args[0]
    assert result.pages == count_notices(village, 2025) and (tmp_path / "村.pdf").exists()
    assert dialog.open_button.isEnabled() and dialog.operation is None
    assert str(tmp_path / "村.pdf") in dialog.status.text()


def test_void_calls_no_longer_abort_the_interpreter():
    """PySide6 6.12 on Python 3.11 drops a reference to None on every void call; printing a
    village makes thousands. Without the guard this child process aborts (none_dealloc)."""
    code = (
        "from desktop_app.ui import printing\n"
        "from PySide6.QtCore import QObject\n"
        "o = QObject()\n"
        "for _ in range(200_000):\n"
        "    o.setObjectName('x')\n"
        "print('alive')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0 and "alive" in out.stdout, out.stderr[-500:]


def test_cancel_in_the_notice_dialog(qtbot, demo_ledger, tmp_path):
    make_application()
    dialog = printing.NoticeBatchDialog(2025)
    qtbot.addWidget(dialog)
    dialog.only_unpaid.setChecked(False)
    dialog.path_edit.setText(str(tmp_path / "全部.pdf"))
    with qtbot.waitSignal(dialog.printed, timeout=60000) as printed:
        dialog.start()
        assert dialog.cancel_button.text() != dialog.tr("Close") and not dialog.print_button.isEnabled()
        dialog.cancel_or_close()  # the Cancel button while printing
    result = printed.args[0]
    if result.cancelled:  # the usual case: the worker sees the request before the second notice
        assert not (tmp_path / "全部.pdf").exists() and result.documents < Household.select().count()
        assert "取消" in dialog.status.text() or "Cancelled" in dialog.status.text()
    else:  # it had already finished: then the file is complete
        assert result.pages == Household.select().count()
    assert dialog.print_button.isEnabled() and dialog.operation is None
