"""Each document goes to its role's printer: labels to the label printer, the waybill label to the
waybill printer, the packing list, the receiving slip, letters and timelines to the A4 document
printer. A fake QPrinter sink (QPrinter writing a PDF) records which printer got what, and the
print is decoded as that printer would lay it: rendered at its resolution."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from documents_data import label, slip, waybill
from pdfcheck import page_sizes, printed_barcodes
from PySide6.QtPrintSupport import QPrinter

from app.config import ENV_DATA_DIR
from app.documents.order_label import LONGEST_ORDER_NO, label_pdf
from app.documents.receiving_slip import receiving_slip_pdf
from app.documents.roles import ROLE_OF, DocumentKind, PrinterRole
from app.documents.timeline import timeline_pdf
from app.documents.waybill import waybill_pdf
from ui import pdf_print, settings
from ui.complaints.letter import print_letter
from ui.printers_dialog import PrintersDialog
from ui.receiving import printing as receiving_print
from ui.search.timeline import print_timeline
from ui.shipping import printing as shipping_print

MM = 72 / 25.4
PRINTERS = {
    PrinterRole.LABEL: "Zebra GK888t",
    PrinterRole.WAYBILL: "TSC TTP-244",
    PrinterRole.DOCUMENT: "HP LaserJet M404",
}


@dataclass
class Job:
    printer: str
    path: Path
    qprinter: QPrinter

    def title(self) -> str:
        return self.qprinter.docName()


@pytest.fixture
def sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Job]:
    """Every printer the station opens, recorded; what it prints goes to a PDF file."""
    monkeypatch.setenv(ENV_DATA_DIR.name, str(tmp_path))
    settings.LABEL_PRINTER.set(PRINTERS[PrinterRole.LABEL])
    settings.LABEL_STOCK.set("50x30")
    settings.LABEL_DPI.set(203)
    settings.WAYBILL_PRINTER.set(PRINTERS[PrinterRole.WAYBILL])
    settings.WAYBILL_DPI.set(300)
    settings.DOCUMENT_PRINTER.set(PRINTERS[PrinterRole.DOCUMENT])
    jobs: list[Job] = []

    def open_printer(name: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        path = tmp_path / f"job{len(jobs)}.pdf"
        printer.setOutputFileName(str(path))
        printer.setResolution(300)  # an office laser printer's; the label roles set their own
        jobs.append(Job(name, path, printer))
        return printer

    monkeypatch.setattr(pdf_print, "open_printer", open_printer)
    return jobs


def test_every_kind_of_document_has_a_role_and_a4_ones_never_the_label_printers() -> None:
    assert set(ROLE_OF) == set(DocumentKind)
    assert ROLE_OF[DocumentKind.RECEIVING_SLIP] is PrinterRole.DOCUMENT
    assert ROLE_OF[DocumentKind.WAYBILL_LABEL] is not ROLE_OF[DocumentKind.PACKING_LIST]


def test_each_document_goes_to_its_roles_printer(qapp, sink: list[Job]) -> None:
    stock, dpi = receiving_print.label_layout()
    assert (stock, dpi) == ((50, 30), 203)
    assert receiving_print.send_to_printer(label_pdf([label()], stock, dpi), "标签")
    assert receiving_print.send_to_document_printer(receiving_slip_pdf(slip()), "收货单")
    assert shipping_print.print_pdf(waybill_pdf(waybill(), shipping_print.waybill_dpi()), "运单")
    assert print_letter(receiving_slip_pdf(slip()), "道歉信")
    assert print_timeline(timeline_pdf("时间线", ["客户:李四"], []), "时间线")
    got = [(job.printer, job.title()) for job in sink]
    assert got == [
        (PRINTERS[PrinterRole.LABEL], "标签"),
        (PRINTERS[PrinterRole.DOCUMENT], "收货单"),
        (PRINTERS[PrinterRole.WAYBILL], "运单"),
        (PRINTERS[PrinterRole.DOCUMENT], "运单"),  # the packing list after the label
        (PRINTERS[PrinterRole.DOCUMENT], "道歉信"),
        (PRINTERS[PrinterRole.DOCUMENT], "时间线"),
    ]
    label_job, slip_job, waybill_job, packing_job = sink[:4]
    # Rendered at the printer's resolution, the barcodes still scan off what it received.
    assert label_job.qprinter.resolution() == 203
    assert printed_barcodes(label_job.path.read_bytes(), 203) == [[("Code128", "RO202611240017")]]
    assert waybill_job.qprinter.resolution() == 300
    assert printed_barcodes(waybill_job.path.read_bytes(), 300)[0][0] == (
        "Code128",
        "SF1234567890123",
    )
    assert [round(w / MM) for w, _h in page_sizes(label_job.path.read_bytes())] == [50]
    assert {(round(w / MM), round(h / MM)) for w, h in page_sizes(slip_job.path.read_bytes())} == {
        (210, 297)
    }
    assert len(page_sizes(packing_job.path.read_bytes())) >= 1


def test_an_a4_page_is_never_sent_to_the_label_printer(qapp, sink: list[Job]) -> None:
    assert not pdf_print.print_document(
        receiving_slip_pdf(slip()), "收货单", DocumentKind.ORDER_LABEL
    )
    assert sink == []


def test_the_printers_dialog_shows_each_role_and_prints_a_test_page_on_each(
    qtbot, sink: list[Job]
) -> None:
    dialog = PrintersDialog()
    qtbot.addWidget(dialog)
    for role, name in PRINTERS.items():
        assert dialog.printer[role].currentText() == name
    assert dialog.dpi[PrinterRole.WAYBILL].currentData() == 300
    for role in PrinterRole:
        dialog.test_buttons[role].click()
        assert dialog.printed[role] is True
    assert [job.printer for job in sink] == list(PRINTERS.values())
    assert printed_barcodes(sink[0].path.read_bytes(), 203) == [[("Code128", LONGEST_ORDER_NO)]]
    dialog.dpi[PrinterRole.LABEL].setCurrentIndex(1)  # 300 dpi
    dialog.save()
    assert settings.LABEL_DPI.get() == 300


def test_label_stock_too_narrow_for_an_order_number_is_refused_in_the_dialog(
    qtbot, sink: list[Job]
) -> None:
    settings.LABEL_STOCK.set("30x20")
    dialog = PrintersDialog()
    qtbot.addWidget(dialog)
    dialog.stock.addItem("30 × 20 mm", "30x20")
    dialog.stock.setCurrentIndex(dialog.stock.count() - 1)
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "30x20" == settings.LABEL_STOCK.get() and dialog.message.text()
