"""The one PDF preview: a real document made by the core, every page in the view, and Print
through the desk's own printer door (never a real printer in tests)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView

from app.documents.timeline import timeline_pdf
from ui.widgets.pdf_preview import PdfPreviewDialog


def long_timeline() -> bytes:
    """An order timeline long enough for several A4 pages."""
    events = [
        (f"2026-11-02 09:{minute:02d}", "收货", "张三 / 收货台 1", f"扫描入库 第 {minute} 步")
        for minute in range(60)
    ] * 2
    return timeline_pdf("RO-2026-000123 订单时间线", ["客户:李四", "型号:X1"], events)


def test_the_preview_shows_every_page_of_a_core_document(qtbot) -> None:
    pdf = long_timeline()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 2

    dialog = PdfPreviewDialog(pdf, "订单时间线", object_name="timelinePreviewDialog")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)

    assert dialog.objectName() == "timelinePreviewDialog"
    assert dialog.windowTitle() == "订单时间线"
    assert dialog.page_count() == pages
    assert dialog.view.pageMode() is QPdfView.PageMode.MultiPage
    assert dialog.print_button is None  # no printer door given: nothing to print from here
    dialog.close()
    assert not dialog.isVisible()


def test_print_goes_through_the_desks_printer_door(qtbot) -> None:
    pdf = long_timeline()
    answers = [True, False]  # a printer answers, then none is set up
    sent: list[tuple[bytes, str]] = []

    def door(document: bytes, title: str) -> bool:
        sent.append((document, title))
        return answers[len(sent) - 1]

    dialog = PdfPreviewDialog(pdf, "Label", print_with=door)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert dialog.print_button is not None and dialog.print_button.isVisible()

    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert sent == [(pdf, "Label")] and dialog.printed is True
    assert dialog.isVisible()  # printing keeps the preview open
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert len(sent) == 2 and dialog.printed is False
    dialog.reject()
    assert not dialog.isVisible()


def test_an_unreadable_pdf_shows_no_pages(qtbot) -> None:
    dialog = PdfPreviewDialog(b"not a pdf", "Broken")
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.page_count() == 0
    dialog.close()
