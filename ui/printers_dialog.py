"""This station's printers, one per role: the label printer (its label stock and resolution), the
waybill printer (100 × 150 mm, its resolution) and the A4 document printer; each with a button
that prints a test page on it. Saved in this PC's settings (``ui.settings``)."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.documents.order_label import SIZES_MM, check_design
from app.documents.roles import PrinterRole, RolePrinter, printer_test_page_pdf
from app.errors import DomainError
from ui import pdf_print
from ui.i18n import domain_message
from ui.settings import (
    DOCUMENT_PRINTER,
    LABEL_DPI,
    LABEL_LANGUAGE,
    LABEL_PRINTER,
    LABEL_STOCK,
    WAYBILL_DPI,
    WAYBILL_PRINTER,
)

DPIS = (203, 300)


class PrintersDialog(QDialog):
    """Opened with ``open()``; OK saves, a test page prints what is chosen (saved or not)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printersDialog")
        self.setWindowTitle(self.tr("Printers of this station"))
        names = [""] + sorted(QPrinterInfo.availablePrinterNames())
        self.printer: dict[PrinterRole, QComboBox] = {}
        self.dpi: dict[PrinterRole, QComboBox] = {}
        self.test_buttons: dict[PrinterRole, QPushButton] = {}
        self.printed: dict[PrinterRole, bool] = {}
        self.stock = QComboBox(self)
        self.stock.setObjectName("labelStock")
        self.stock.addItem(self.tr("The center's label size"), "")
        for width, height in SIZES_MM:
            self.stock.addItem(f"{width} × {height} mm", f"{width}x{height}")
        self._select(self.stock, LABEL_STOCK.get())
        self.message = QLabel(self)
        self.message.setObjectName("printersMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        titles = {
            PrinterRole.LABEL: self.tr("Label printer (repair-order labels)"),
            PrinterRole.WAYBILL: self.tr("Waybill printer (100 × 150 mm)"),
            PrinterRole.DOCUMENT: self.tr("Document printer (A4: slips, packing lists, letters)"),
        }
        saved = {
            PrinterRole.LABEL: (LABEL_PRINTER.get(), LABEL_DPI.get()),
            PrinterRole.WAYBILL: (WAYBILL_PRINTER.get(), WAYBILL_DPI.get()),
            PrinterRole.DOCUMENT: (DOCUMENT_PRINTER.get(), None),
        }
        for role, title in titles.items():
            box = QGroupBox(title, self)
            form = QFormLayout(box)
            combo = QComboBox(box)
            combo.setObjectName(f"{role.value}Printer")
            combo.setEditable(True)  # a printer not connected right now can still be named
            for name in names:
                combo.addItem(name or self.tr("(the system's default printer)"), name)
            name, dpi = saved[role]
            self._select(combo, name, editable_text=True)
            self.printer[role] = combo
            form.addRow(self.tr("Printer"), combo)
            if role is PrinterRole.LABEL:
                form.addRow(self.tr("Label size"), self.stock)
                self.language = QComboBox(box)
                self.language.setObjectName("labelLanguage")
                self.language.addItem(self.tr("PDF (any printer)"), "pdf")
                self.language.addItem(self.tr("ZPL, sent raw (Zebra and compatible)"), "zpl")
                self._select(self.language, LABEL_LANGUAGE.get())
                form.addRow(self.tr("Labels as"), self.language)
            if dpi is not None:
                resolution = QComboBox(box)
                resolution.setObjectName(f"{role.value}Dpi")
                for value in DPIS:
                    resolution.addItem(f"{value} dpi", value)
                self._select(resolution, dpi)
                self.dpi[role] = resolution
                form.addRow(self.tr("Resolution"), resolution)
            test = QPushButton(self.tr("Print a test page"), box)
            test.setObjectName(f"{role.value}TestPage")
            test.clicked.connect(lambda _checked=False, role=role: self.print_test_page(role))
            self.test_buttons[role] = test
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(test)
            form.addRow(row)
            layout.addWidget(box)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _select(combo: QComboBox, value: object, editable_text: bool = False) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)
        elif editable_text and value:
            combo.addItem(str(value), value)
            combo.setCurrentIndex(combo.count() - 1)

    def chosen(self, role: PrinterRole) -> RolePrinter:
        """The printer as chosen in the dialog (not yet saved)."""
        combo = self.printer[role]
        index = combo.currentIndex()
        typed = combo.currentText().strip()
        name = combo.itemData(index) if index >= 0 and combo.itemText(index) == typed else typed
        current = pdf_print.role_printer(role)
        paper = current.paper_mm
        if role is PrinterRole.LABEL:
            stock = str(self.stock.currentData() or "")
            paper = pdf_print.parse_stock(stock) or paper
        dpi = self.dpi[role].currentData() if role in self.dpi else None
        return RolePrinter(role, str(name or ""), paper, dpi)

    def _check(self) -> bool:
        label = self.chosen(PrinterRole.LABEL)
        try:
            check_design(label.paper_mm, label.dpi or 203)
        except DomainError as error:
            self.message.setText(domain_message(error))
            return False
        return True

    def print_test_page(self, role: PrinterRole) -> None:
        if not self._check():
            return
        printer = self.chosen(role)
        title = self.tr("Test page")
        self.printed[role] = pdf_print.print_pdf(
            printer_test_page_pdf(printer), title, printer.name, dpi=printer.dpi
        )
        text = (
            self.tr("Test page sent to {printer}.")
            if self.printed[role]
            else self.tr("Not printed: printer {printer} not found.")
        )
        self.message.setText(
            text.format(printer=printer.name or self.tr("(the system's default printer)"))
        )

    def save(self) -> None:
        if not self._check():
            return
        LABEL_PRINTER.set(self.chosen(PrinterRole.LABEL).name)
        LABEL_STOCK.set(str(self.stock.currentData() or ""))
        LABEL_DPI.set(int(self.dpi[PrinterRole.LABEL].currentData()))
        LABEL_LANGUAGE.set(str(self.language.currentData()))
        WAYBILL_PRINTER.set(self.chosen(PrinterRole.WAYBILL).name)
        WAYBILL_DPI.set(int(self.dpi[PrinterRole.WAYBILL].currentData()))
        DOCUMENT_PRINTER.set(self.chosen(PrinterRole.DOCUMENT).name)
        self.accept()
